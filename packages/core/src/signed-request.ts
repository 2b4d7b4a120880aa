import type { EncodedParameter } from './base-string.ts';
import { isSensitiveName, REDACTED, redactAuthorizationHeader, redactForm, redactUrl } from './redact.ts';
import type { SignedRequest } from './sign.ts';

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/**
 * The signer's result. A class rather than an object literal: every result has the same
 * shape from its constructor, which V8 allocates fastest (measured against
 * `Object.create` plus assignments). Printing (`JSON.stringify`, `util.inspect`) redacts
 * passwords and secrets in the URL, body, header and OAuth parameters; the methods live on
 * the prototype (not enumerable, so `for…in` lists only the fields), and signing pays
 * nothing for them.
 */
export class SignedRequestRecord implements SignedRequest {
  constructor(
    readonly method: string,
    readonly url: string,
    readonly authorization: string | undefined,
    readonly body: string | undefined,
    readonly contentType: string | undefined,
    readonly signature: string,
    readonly baseString: string,
    readonly parameters: ReadonlyArray<EncodedParameter>,
    readonly oauthParams: Readonly<Record<string, string>>,
  ) {}

  /** PLAINTEXT signatures are the secrets themselves; its subclass says so. */
  protected get secretSignature(): boolean {
    return false;
  }

  toJSON(): object {
    const secretSignature = this.secretSignature;
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
  }

  [INSPECT](_depth: number, options: object, inspect: (value: unknown, options: object) => string): string {
    return inspect(this.toJSON(), options);
  }
}

/** A PLAINTEXT result: its signature is redacted when printed, like the secrets it is made of. */
export class PlaintextSignedRequestRecord extends SignedRequestRecord {
  protected override get secretSignature(): boolean {
    return true;
  }
}
