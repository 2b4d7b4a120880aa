import { CAUSES } from './explain-causes.ts';
import { factsOf } from './explain-facts.ts';
import { inertText } from './inert-text.ts';
import type { OAuthError } from './oauth-error.ts';

/** The causes {@link explain} can name, most specific first. */
export type RejectionCause =
  | 'clock_skew'
  | 'nonce_reused'
  | 'plus_for_space'
  | 'unencoded_reserved_characters'
  | 'not_double_encoded'
  | 'encoded_twice'
  | 'different_signings'
  | 'body_params_not_signed'
  | 'body_params_wrongly_signed'
  | 'params_sent_not_signed'
  | 'params_signed_not_sent'
  | 'reverse_auth_mode_placement'
  | 'wrong_signature_method'
  | 'wrong_method_or_url'
  | 'signing_key';

export interface Cause {
  readonly cause: RejectionCause;
  /**
   * What happened and what to change, in one or two sentences. What it quotes from a base
   * string or an answer is inert (control characters written out) and shortened, so it can
   * go to a terminal or a log as it is.
   */
  readonly explanation: string;
}

// Each detector quotes at most a few shortened parts; this only bounds what a new one might add.
const EXPLANATION_LENGTH = 2000;

/** What is known about a refused request; give what you have. */
export interface ExplainInput {
  /** The base string the client signed (Countersign's `signed.baseString`, or another library's). */
  readonly ourBaseString?: string;
  /** The base string the server computed, when it reports one (Jira, Flickr, the sandbox). */
  readonly serverBaseString?: string;
  /** The request as it was sent. */
  readonly request?: {
    readonly method?: string;
    readonly url?: string;
    readonly authorization?: string;
    readonly body?: string;
    readonly contentType?: string;
  };
  /** The server's answer. */
  readonly response?: {
    readonly status: number;
    readonly body?: string;
    readonly date?: string;
    readonly wwwAuthenticate?: string;
  };
  /** The error Countersign threw for the answer: carries both base strings and the problem. */
  readonly error?: OAuthError;
  /**
   * Who reads the advice: `'code'` (the default) is told of `signer.setClockOffset()`,
   * `'cli'` of the `countersign` options.
   */
  readonly audience?: 'code' | 'cli';
}

// When the provider only said signature_invalid and nothing else points anywhere.
const UNLOCATED: Cause = {
  cause: 'params_signed_not_sent',
  explanation:
    'The server computed a different base string; without its copy, compare what was sent with what was signed (query serialization, body parameters, + for a space).',
};

/**
 * Ranks the likely causes of a refused OAuth 1.0a request, most likely first: what the
 * provider said (a refused timestamp, a used nonce, a refused method), then where its base
 * string differs from ours (`+` for a space, unencoded `!*'()`, a parameter string encoded
 * only once, body parameters left out or wrongly included, parameters sent but not signed),
 * then what the request itself shows (reverse auth's `x_auth_mode` in one place only, a
 * clock off by the response's `Date`). With identical base strings the signing key is left.
 * Each cause has its own detector in a table; a request sent with another scheme
 * (`Authorization: Basic …`) is reasoned about like any other, never thrown on.
 *
 * @example
 * ```ts
 * try { await requestToken(signer, endpoints); } catch (error) {
 *   if (isOAuthError(error)) console.log(explain({ error })[0]?.explanation);
 * }
 * ```
 */
export function explain(input: ExplainInput): Cause[] {
  const facts = factsOf(input);
  const found: Array<Cause & { rank: number }> = [];
  for (const group of CAUSES) {
    for (const row of group) {
      const finding = row.detect(facts);
      if (finding === undefined) continue;
      // Quoted parts are inert already; this keeps any explanation fit for a terminal.
      const explanation = inertText(finding.explanation, EXPLANATION_LENGTH);
      found.push({ rank: finding.rank, cause: row.cause, explanation });
    }
  }
  // A stable sort: equal ranks keep the table's order.
  const causes: Cause[] = found
    .sort((a, b) => a.rank - b.rank)
    .map(({ cause, explanation }) => ({ cause, explanation }));
  if (causes.length === 0 && facts.problem === 'signature_invalid') causes.push(UNLOCATED);
  return causes;
}
