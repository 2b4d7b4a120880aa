import { type EncodedParameter, mergeSorted } from './base-string.ts';
import { type ProtocolValues, protocolPairs } from './protocol-block.ts';
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
  #parameters: ReadonlyArray<EncodedParameter> | undefined;
  readonly #requestParameters: ReadonlyArray<EncodedParameter>;
  readonly #protocol: ReadonlyArray<EncodedParameter> | ProtocolValues;
  readonly #sensitive: boolean;

  constructor(
    readonly method: string,
    readonly url: string,
    readonly authorization: string | undefined,
    readonly body: string | undefined,
    readonly contentType: string | undefined,
    readonly signature: string,
    readonly baseString: string,
    readonly oauthParams: Readonly<Record<string, string>>,
    requestParameters: ReadonlyArray<EncodedParameter>,
    protocol: ReadonlyArray<EncodedParameter> | ProtocolValues,
    sensitive: boolean,
  ) {
    this.#requestParameters = requestParameters;
    this.#protocol = protocol;
    this.#sensitive = sensitive;
  }

  /**
   * The normalized parameters, put together when first read: most callers never look, and
   * building the list on every signature measured as a noticeable share of it.
   */
  get parameters(): ReadonlyArray<EncodedParameter> {
    if (this.#parameters === undefined) {
      const protocol = this.#protocol;
      const merged = mergeSorted(
        this.#requestParameters,
        Array.isArray(protocol) ? protocol : protocolPairs(protocol as ProtocolValues),
      );
      this.#parameters = this.#sensitive ? merged.map(redactParameter) : merged;
    }
    return this.#parameters;
  }

  /** PLAINTEXT signatures are the secrets themselves; its subclass says so. */
  protected get secretSignature(): boolean {
    return false;
  }

  toJSON(): object {
    const secretSignature = this.secretSignature;
    return {
      method: this.method,
      url: redactUrl(this.url, secretSignature),
      authorization:
        this.authorization === undefined ? undefined : redactAuthorizationHeader(this.authorization, secretSignature),
      body: this.body === undefined ? undefined : redactForm(this.body, secretSignature),
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

function redactParameter(parameter: EncodedParameter): EncodedParameter {
  return isSensitiveName(decodeURIComponent(parameter[0])) ? [parameter[0], REDACTED] : parameter;
}

/** A PLAINTEXT result: its signature is redacted when printed, like the secrets it is made of. */
export class PlaintextSignedRequestRecord extends SignedRequestRecord {
  protected override get secretSignature(): boolean {
    return true;
  }
}

// The unredacted base string of a signing that had secrets in it, out of sight of printing.
const rawBaseStrings = new WeakMap<object, string>();

export function rememberRawBaseString(signed: object, baseString: string): void {
  rawBaseStrings.set(signed, baseString);
}

/** The base string as signed, passwords included: for comparing, never for printing. */
export function rawBaseStringOf(signed: SignedRequest): string {
  return rawBaseStrings.get(signed) ?? signed.baseString;
}
