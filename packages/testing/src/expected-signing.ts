import {
  CountersignError,
  inertText,
  type PublicKeyInput,
  redactUrl,
  type SignatureMethodName,
} from '@countersign/core';

/** What a fake provider expects: the credentials a request must be signed with, and more it may check. */
export interface ExpectedSigning {
  readonly consumerKey: string;
  /** For HMAC and PLAINTEXT. Never printed. */
  readonly consumerSecret?: string;
  /** For RSA-SHA1 and RSA-SHA256. */
  readonly publicKey?: PublicKeyInput;
  readonly token?: string;
  /** Never printed. @default '' */
  readonly tokenSecret?: string;
  /** Accept only this signature method. @default any the credentials allow */
  readonly signatureMethod?: SignatureMethodName;
  /** The HTTP method the request must use. */
  readonly method?: string;
  /** The URL the request must go to: scheme, host, port and path are compared, not the query. */
  readonly url?: string | URL;
  /** Parameters that must be among the signed ones, with these (decoded) values. */
  readonly params?: Readonly<Record<string, string>>;
  /**
   * Refuse a nonce used before by requests this helper saw, as a provider does: a retry that
   * reuses its nonce fails the test. @default true
   */
  readonly refuseReplays?: boolean;
  /** How far the timestamp may be from `now`, in seconds. @default 300 */
  readonly windowSeconds?: number;
  /** The provider's clock, milliseconds since the epoch (for tests with a fixed clock). @default Date.now */
  readonly now?: () => number;
}

function refuse(message: string): CountersignError {
  return new CountersignError('invalid_option', message);
}

/**
 * Checks an expectation once, when a helper is made: a path where a URL belongs, or a number
 * where a string does, failed only when a request arrived (a TypeError from inside the
 * helper, or every request refused without saying why).
 */
export function checkExpected(expected: ExpectedSigning): ExpectedSigning {
  if (typeof expected !== 'object' || expected === null)
    throw refuse('expected: pass the credentials to check requests against.');
  if (typeof expected.consumerKey !== 'string' || expected.consumerKey === '') {
    throw refuse('consumerKey: expected the consumer key requests must be signed with.');
  }
  if (expected.url !== undefined) {
    let url: URL | undefined;
    try {
      url = new URL(expected.url);
    } catch {
      url = undefined;
    }
    if (url === undefined || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
      throw refuse(
        `url: expected the absolute http(s) URL requests must go to, such as https://api.example.com/1.1/statuses/update.json; got ${JSON.stringify(inertText(redactUrl(String(expected.url)), 200))}.`,
      );
    }
  }
  if (expected.method !== undefined && typeof expected.method !== 'string') {
    throw refuse(`method: expected an HTTP method such as "POST"; got ${typeof expected.method}.`);
  }
  for (const [name, value] of Object.entries(expected.params ?? {})) {
    if (typeof value !== 'string') {
      throw refuse(`params.${inertText(name, 80)}: expected the decoded value as a string; got ${typeof value}.`);
    }
  }
  return expected;
}
