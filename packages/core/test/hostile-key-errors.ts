import { createSigner, isCountersignError } from '../src/index.ts';

/** The typed error createSigner and a first signing give for `privateKey` (for the deadline tests). */
export async function privateKeyError(privateKey: string): Promise<string> {
  try {
    const signer = createSigner({ consumerKey: 'ck', signatureMethod: 'RSA-SHA1', privateKey });
    await signer.sign({ method: 'GET', url: 'https://api.example.com/r' });
  } catch (error) {
    if (!isCountersignError(error)) throw error;
    return `${error.code}: ${error.message}`;
  }
  throw new Error('expected the key to be refused');
}
