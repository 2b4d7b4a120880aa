import { isCountersignError } from '@countersign/core';
import { mastercardSigner } from '../src/index.ts';

/** The error for a key given as `megabytes` of bytes, or as that much text, at creation or first signing. */
export async function hugeKeyError(megabytes: number, as: 'bytes' | 'text'): Promise<string> {
  const size = megabytes * 1024 * 1024;
  const privateKey = as === 'bytes' ? new Uint8Array(size).fill(0x30, 0, 1) : 'MIIK'.repeat(size / 4);
  try {
    await mastercardSigner({ consumerKey: 'ck!00', privateKey }).sign({
      method: 'GET',
      url: 'https://api.mastercard.com/r',
    });
  } catch (error) {
    if (!isCountersignError(error)) throw error;
    return `${error.code}: ${error.message}`;
  }
  throw new Error('expected the key to be refused');
}
