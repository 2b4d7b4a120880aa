import { type PublicKeyInput, SIGNATURE_METHODS, type SignatureMethodName } from '@countersign/core';

/** What the server knows about a consumer. */
export interface ConsumerRecord {
  /** The shared secret, for HMAC and PLAINTEXT. An empty string counts as none. */
  readonly secret?: string;
  /** The RSA public key, for RSA-SHA1 and RSA-SHA256. */
  readonly publicKey?: PublicKeyInput;
  /**
   * The methods this consumer may use, narrowing what its secret or key allows (a consumer
   * with both can be held to RSA, say). @default every method its material supports
   */
  readonly signatureMethods?: readonly SignatureMethodName[];
}

const RSA_METHODS: readonly SignatureMethodName[] = ['RSA-SHA1', 'RSA-SHA256'];
const SECRET_METHODS = SIGNATURE_METHODS.filter((method) => !RSA_METHODS.includes(method));

/**
 * The methods a consumer's record can really verify: RSA needs a public key, HMAC and
 * PLAINTEXT a non-empty secret (an empty one makes the key `&`, which anyone can compute).
 * A method listed in `signatureMethods` without its material stays refused.
 */
export function consumerMethods(consumer: ConsumerRecord): readonly SignatureMethodName[] {
  const hasKey = consumer.publicKey !== undefined && consumer.publicKey !== null && consumer.publicKey !== '';
  const hasSecret = typeof consumer.secret === 'string' && consumer.secret !== '';
  const supported = [...(hasSecret ? SECRET_METHODS : []), ...(hasKey ? RSA_METHODS : [])];
  const listed = consumer.signatureMethods;
  return listed === undefined ? supported : supported.filter((method) => listed.includes(method));
}

/**
 * Whether a consumer's record and the server allow a method: the same answer as
 * `consumerMethods`, without building lists on every request.
 */
export function consumerAllows(
  consumer: ConsumerRecord,
  method: SignatureMethodName,
  serverMethods: readonly SignatureMethodName[],
): boolean {
  if (!serverMethods.includes(method)) return false;
  const listed = consumer.signatureMethods;
  if (listed !== undefined && !listed.includes(method)) return false;
  if (RSA_METHODS.includes(method)) {
    return consumer.publicKey !== undefined && consumer.publicKey !== null && consumer.publicKey !== '';
  }
  return SECRET_METHODS.includes(method) && typeof consumer.secret === 'string' && consumer.secret !== '';
}
