/**
 * LTI 1.1 Basic Outcomes, the tool's side: a grade goes back to the LMS as a POX XML message,
 * signed with HMAC-SHA1 and `oauth_body_hash` (SHA-1 of the exact XML bytes), to the
 * `lis_outcome_service_url` the launch carried.
 *
 * @packageDocumentation
 * @module @countersign/lti
 */
import {
  CountersignError,
  createNonceGenerator,
  createOAuthFetch,
  createSigner,
  type FetchLike,
  inertText,
  readTextPrefix,
  type Signer,
  throwIfRefused,
} from '@countersign/core';

const NAMESPACE = 'http://www.imsglobal.org/services/ltiv1p1/xsd/imsoms_v1p0';
const messageIds = createNonceGenerator(16);

/** The three Basic Outcomes operations. */
export type OutcomeOperation = 'replaceResult' | 'readResult' | 'deleteResult';

export interface OutcomeRequest {
  /** The launch's `lis_outcome_service_url`. */
  readonly serviceUrl: string;
  /** The launch's `lis_result_sourcedid`. */
  readonly sourcedId: string;
}

/** The LMS's answer. */
export interface OutcomeResult {
  /** `success`, or the LMS's `failure` / `unsupported` / `processing` (`unreadable`: not an outcomes answer). */
  readonly codeMajor: string;
  readonly description: string | undefined;
  /** With `readResult`: the score the LMS holds (0 to 1), if any. */
  readonly score: number | undefined;
}

/**
 * The LMS answered, but not with success: its code and description.
 *
 * @example
 * ```ts
 * await replaceResult(signer, launch, 0.5).catch((error) => error instanceof OutcomeError && console.log(error.codeMajor));
 * ```
 */
export class OutcomeError extends Error {
  override readonly name = 'OutcomeError';
  readonly codeMajor: string;
  readonly description: string | undefined;
  constructor(operation: OutcomeOperation, result: OutcomeResult) {
    // The LMS's words reach logs and terminals: inert and bounded.
    super(
      inertText(
        `The LMS answered ${operation} with ${result.codeMajor}${result.description ? `: ${result.description}` : '.'}`,
        1000,
      ),
    );
    this.codeMajor = result.codeMajor;
    this.description = result.description;
  }
}

// XML 1.0 §2.2: no C0 control but tab, line feed and carriage return, no U+FFFE/U+FFFF and
// no lone surrogate, not even as a character reference. Such text cannot be sent at all.
const NOT_XML =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the characters XML 1.0 cannot carry.
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function escapeXml(text: string, what: string): string {
  if (typeof text !== 'string' || NOT_XML.test(text)) {
    throw new CountersignError(
      'invalid_param',
      `${what}: contains a character XML 1.0 cannot carry (a control character, U+FFFE/U+FFFF or a lone surrogate): remove it.`,
    );
  }
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

function scoreText(score: number): string {
  if (typeof score !== 'number' || !Number.isFinite(score) || score < 0 || score > 1) {
    throw new CountersignError(
      'invalid_option',
      `score: LTI 1.1 outcomes are a decimal from 0 to 1 (0.92 for 92%); got ${String(score)}.`,
    );
  }
  // No exponent: 1e-7 is written 0.0000001.
  return String(score).includes('e') ? score.toFixed(10).replace(/0+$/, '') : String(score);
}

/**
 * The POX message for one operation, as LTI 1.1 §6 lays it out.
 *
 * @example
 * ```ts
 * outcomeXml('replaceResult', '3124567', { score: 0.92, messageId: '999999123' });
 * ```
 */
export function outcomeXml(
  operation: OutcomeOperation,
  sourcedId: string,
  options: { score?: number; messageId?: string; language?: string } = {},
): string {
  const result =
    operation === 'replaceResult'
      ? `<result><resultScore><language>${escapeXml(options.language ?? 'en', 'language')}</language><textString>${scoreText(options.score as number)}</textString></resultScore></result>`
      : '';
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    `<imsx_POXEnvelopeRequest xmlns="${NAMESPACE}">` +
    '<imsx_POXHeader><imsx_POXRequestHeaderInfo><imsx_version>V1.0</imsx_version>' +
    `<imsx_messageIdentifier>${escapeXml(options.messageId ?? messageIds(), 'messageId')}</imsx_messageIdentifier>` +
    '</imsx_POXRequestHeaderInfo></imsx_POXHeader>' +
    `<imsx_POXBody><${operation}Request><resultRecord><sourcedGUID><sourcedId>${escapeXml(sourcedId, 'sourcedId')}</sourcedId></sourcedGUID>${result}</resultRecord></${operation}Request></imsx_POXBody>` +
    '</imsx_POXEnvelopeRequest>'
  );
}

const DECIMAL = /^(?:\d+(?:\.\d*)?|\.\d+)$/;

const element = (xml: string, name: string) =>
  new RegExp(`<(?:\\w+:)?${name}>([^<]*)</(?:\\w+:)?${name}>`).exec(xml)?.[1]?.trim();

/**
 * Reads the LMS's POX answer: its code, description, and (for readResult) the score. A
 * success whose score is not a decimal from 0 to 1 is `unreadable`: never NaN or 1e308 as a grade.
 *
 * @example
 * ```ts
 * parseOutcomeResponse(xml); // { codeMajor: 'success', description: 'Score for 3124567 is now 0.92', score: undefined }
 * ```
 */
export function parseOutcomeResponse(xml: string): OutcomeResult {
  const codeMajor = element(xml, 'imsx_codeMajor');
  if (codeMajor === undefined) {
    return {
      codeMajor: 'unreadable',
      description: 'the answer has no imsx_codeMajor: it is not an LTI 1.1 outcomes response',
      score: undefined,
    };
  }
  const score = element(xml, 'textString');
  if (score === undefined || score === '') {
    return { codeMajor, description: element(xml, 'imsx_description'), score: undefined };
  }
  // LTI 1.1 outcomes: a decimal from 0.0 to 1.0. Number() also reads 'abc' (NaN), '1e308' and
  // '0x1', which a grade book would have taken as the LMS's word.
  const value = DECIMAL.test(score) ? Number(score) : Number.NaN;
  if (codeMajor === 'success' && !(value >= 0 && value <= 1)) {
    return {
      codeMajor: 'unreadable',
      description: `the LMS answered a score that is not a decimal from 0 to 1: ${inertText(score, 40)}`,
      score: undefined,
    };
  }
  return {
    codeMajor,
    description: element(xml, 'imsx_description'),
    score: value >= 0 && value <= 1 ? value : undefined,
  };
}

/**
 * The signer an LMS expects outcomes signed with: HMAC-SHA1, the consumer key and secret the
 * launch was signed with, no token.
 *
 * @example
 * ```ts
 * const signer = ltiOutcomesSigner({ consumerKey: 'moodle-key', consumerSecret });
 * ```
 */
export function ltiOutcomesSigner(credentials: { consumerKey: string; consumerSecret: string }): Signer {
  return createSigner({ ...credentials, signatureMethod: 'HMAC-SHA1' });
}

async function send(
  signer: Signer,
  operation: OutcomeOperation,
  request: OutcomeRequest,
  xml: string,
  fetch: FetchLike | undefined,
): Promise<OutcomeResult> {
  const post = createOAuthFetch(signer, { oauth: { bodyHash: true }, ...(fetch === undefined ? {} : { fetch }) });
  const response = await throwIfRefused(
    await post(request.serviceUrl, { method: 'POST', headers: { 'content-type': 'application/xml' }, body: xml }),
  );
  // An outcomes answer is a few hundred bytes: a prefix is all that is read.
  const result = parseOutcomeResponse((await readTextPrefix(response)).text);
  if (result.codeMajor !== 'success') throw new OutcomeError(operation, result);
  return result;
}

/**
 * Sends a grade (0 to 1) for the launch's `lis_result_sourcedid`. A refusal is an
 * `OAuthError`; an answer other than success an {@link OutcomeError}.
 *
 * @example
 * ```ts
 * await replaceResult(ltiOutcomesSigner({ consumerKey, consumerSecret }), { serviceUrl: launch.lis_outcome_service_url, sourcedId: launch.lis_result_sourcedid }, 0.92);
 * ```
 */
export function replaceResult(
  signer: Signer,
  request: OutcomeRequest,
  score: number,
  options: { fetch?: FetchLike } = {},
): Promise<OutcomeResult> {
  return send(
    signer,
    'replaceResult',
    request,
    outcomeXml('replaceResult', request.sourcedId, { score }),
    options.fetch,
  );
}

/**
 * Reads the grade the LMS holds; `score` is undefined when there is none.
 *
 * @example
 * ```ts
 * const { score } = await readResult(signer, { serviceUrl, sourcedId });
 * ```
 */
export function readResult(signer: Signer, request: OutcomeRequest, options: { fetch?: FetchLike } = {}) {
  return send(signer, 'readResult', request, outcomeXml('readResult', request.sourcedId), options.fetch);
}

/**
 * Removes the grade.
 *
 * @example
 * ```ts
 * await deleteResult(signer, { serviceUrl, sourcedId });
 * ```
 */
export function deleteResult(signer: Signer, request: OutcomeRequest, options: { fetch?: FetchLike } = {}) {
  return send(signer, 'deleteResult', request, outcomeXml('deleteResult', request.sourcedId), options.fetch);
}
