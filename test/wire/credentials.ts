import { createSigner, type Signer } from '@countersign/core';

/** The consumer and token the wire server knows. Keys are 20–30 alphanumerics, as oauthlib servers expect. */
export const CREDENTIALS = {
  consumerKey: 'wireConsumerKey0000000',
  consumerSecret: 'wire consumer secret!&',
  token: 'wireAccessToken000000000',
  tokenSecret: 'wire/token+secret',
};

export function wireSigner(): Signer {
  return createSigner(CREDENTIALS);
}
