import { isSensitiveName, REDACTED, redactAuthorizationHeader, redactForm, redactUrl } from './redact.ts';
import type { SignedRequest } from './sign.ts';

/**
 * How a signed request prints (`JSON.stringify`, `util.inspect`): passwords and secrets
 * redacted in the URL, body, header and OAuth parameters, and with PLAINTEXT the signature
 * too, since it is the secrets themselves. Kept on the prototype so signing pays nothing.
 */
function printable(secretSignature: boolean): object {
  const prototype = {
    toJSON(this: SignedRequest) {
      return {
        method: this.method,
        url: redactUrl(this.url),
        authorization:
          this.authorization === undefined ? undefined : redactAuthorizationHeader(this.authorization, secretSignature),
        body: this.body === undefined ? undefined : redactForm(this.body),
        contentType: this.contentType,
        signature: secretSignature ? REDACTED : this.signature,
        baseString: this.baseString,
        parameters: this.parameters,
        oauthParams: Object.fromEntries(
          Object.entries(this.oauthParams).map(([name, value]) => [
            name,
            isSensitiveName(name) || (secretSignature && name === 'oauth_signature') ? REDACTED : value,
          ]),
        ),
      };
    },
    [Symbol.for('nodejs.util.inspect.custom')](
      this: { toJSON(): object },
      _depth: number,
      options: object,
      inspect: (value: unknown, options: object) => string,
    ) {
      return inspect(this.toJSON(), options);
    },
  };
  // Not listed by for…in over a signed request.
  Object.defineProperty(prototype, 'toJSON', { enumerable: false });
  return prototype;
}

// One prototype for each case, chosen once per signer.
export const SIGNED_REQUEST_PRINTING = printable(false);
export const PLAINTEXT_PRINTING = printable(true);
