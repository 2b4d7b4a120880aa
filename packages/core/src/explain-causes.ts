import { type BaseStringDifference, quoted } from './compare.ts';
import type { RejectionCause } from './explain.ts';
import type { Facts } from './explain-facts.ts';
import { isSensitiveName, REDACTED } from './redact.ts';

const SUB_DELIMS = /[!*'()]/;

/** A value for an explanation: never a password or secret; inert and bounded, as it may come from the server. */
function shown(difference: BaseStringDifference, value: string): string {
  return isSensitiveName(difference.name ?? '') ? REDACTED : quoted(value);
}

/** The name of the parameter that differs, as an explanation quotes it. */
function nameOf(difference: BaseStringDifference | undefined): string {
  return quoted(difference?.name ?? '');
}

function decodeOnce(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/** A parameter's two encodings, when its text is the same or its values differ. */
function encodings(facts: Facts): { ours: string; theirs: string } | undefined {
  if (facts.differs !== 'encoding' && facts.differs !== 'values') return undefined;
  return { ours: facts.difference?.encoded?.ours ?? '', theirs: facts.difference?.encoded?.theirs ?? '' };
}

/** Why the encodings differ: `+` for a space, or `!*'()` left as they are; else undefined. */
function encodingReason(facts: Facts): 'plus' | 'sub-delims' | undefined {
  const encoded = encodings(facts);
  if (encoded === undefined) return undefined;
  if (encoded.ours.includes('+') || encoded.theirs.includes('+')) return 'plus';
  return SUB_DELIMS.test(encoded.ours) || SUB_DELIMS.test(encoded.theirs) ? 'sub-delims' : undefined;
}

/** For two different values with nothing wrong in their encodings: the same text after all? */
function valueReason(facts: Facts): 'plus' | 'twice' | undefined {
  const { ours, theirs } = facts.difference ?? {};
  if (facts.differs !== 'values' || encodingReason(facts) !== undefined) return undefined;
  if (ours === undefined || theirs === undefined) return undefined;
  if (ours.replace(/\+/g, ' ') === theirs || theirs.replace(/\+/g, ' ') === ours) return 'plus';
  return decodeOnce(ours) === theirs || decodeOnce(theirs) === ours ? 'twice' : undefined;
}

/** Whether the parameter that differs is one of the form body's own. */
function inFormBody(facts: Facts): boolean {
  return facts.formNames.has(facts.difference?.name as string);
}

/** How strong the evidence is: what the provider said, then the base strings, then the request. */
const SAID = 0;
const COMPARED = 1;
const REQUEST = 2;
const DATES = 3;

export interface Finding {
  readonly rank: number;
  readonly explanation: string;
}

/** One cause explain() can name, and the detector that finds it in the facts. */
export interface CauseRow {
  readonly cause: RejectionCause;
  detect(facts: Facts): Finding | undefined;
}

const said = (explanation: string): Finding => ({ rank: SAID, explanation });
const compared = (explanation: string): Finding => ({ rank: COMPARED, explanation });

/** What the provider said: a refused timestamp (or one the Date header shows), a used nonce, a refused method. */
const SAID_CAUSES: readonly CauseRow[] = [
  {
    cause: 'clock_skew',
    detect(facts) {
      const fix = facts.cli;
      if (facts.problem === 'timestamp_refused') {
        const accepts = facts.acceptableTimestamps ? ` (it accepts ${quoted(facts.acceptableTimestamps)})` : '';
        return said(
          `The server refused the timestamp: its clock and yours differ${accepts}. ${fix ? "Set this machine's clock right, or pass --timestamp with a time the server accepts." : "Correct it with signer.setClockOffset(), or let the flows' retries do it."}`,
        );
      }
      const timestamp = Number(facts.oauth.get('oauth_timestamp'));
      const skew = facts.serverDate / 1000 - timestamp;
      if (Number.isNaN(facts.serverDate) || !Number.isFinite(timestamp) || Math.abs(skew) <= 300) return undefined;
      return {
        rank: DATES,
        explanation: `Our timestamp is ${Math.round(skew)} s away from the server's Date header: ${fix ? "set this machine's clock right, or pass --timestamp with the server's time." : 'correct the clock with signer.setClockOffset().'}`,
      };
    },
  },
  {
    cause: 'nonce_reused',
    detect: (facts) =>
      facts.problem === 'nonce_used'
        ? said(
            'The nonce was used before: something resent an already-signed request (a retry or a redirect). Sign every attempt afresh.',
          )
        : undefined,
  },
  {
    cause: 'wrong_signature_method',
    detect: (facts) =>
      facts.problem === 'signature_method_rejected'
        ? said(
            'The provider does not accept this signature method: use the one its documentation names (HMAC-SHA1 for most, RSA-SHA1 for Jira and Xero private apps).',
          )
        : undefined,
  },
];

/** The base strings as wholes: not encoded twice, equal, from two signings, or another method or URI. */
const BASE_STRING_CAUSES: readonly CauseRow[] = [
  {
    // The parameter string of a base string is encoded once more; a client that skipped that
    // leaves & and = of its own in it.
    cause: 'not_double_encoded',
    detect: (facts) =>
      facts.ours !== undefined && facts.ours.split('&').length > 3
        ? compared(
            'The parameter string in our base string was not percent-encoded again (it still holds its own & and =): encode the whole parameter string once more, RFC 5849 §3.4.1.1.',
          )
        : undefined,
  },
  {
    cause: 'signing_key',
    detect: (facts) =>
      facts.differs === 'none'
        ? compared(
            'Both sides computed the same base string, so the signature differs in its key: check the consumer and token secrets, and that the HMAC key keeps its & even without a token secret.',
          )
        : undefined,
  },
  {
    // Two signings' base strings, not one request seen from both sides: nothing follows from them.
    cause: 'different_signings',
    detect: (facts) =>
      facts.differs === 'signings'
        ? compared(
            `The two base strings come from different signings (${nameOf(facts.difference)} differs): compare the server's with the base string of the request that was actually sent.`,
          )
        : undefined,
  },
  {
    cause: 'wrong_method_or_url',
    detect: (facts) => (facts.differs === 'uri' ? compared(facts.difference?.summary as string) : undefined),
  },
];

/** One parameter encoded two ways: `+` for a space, `!*'()` left as they are, encoded twice. */
const ENCODING_CAUSES: readonly CauseRow[] = [
  {
    cause: 'plus_for_space',
    detect(facts) {
      const difference = facts.difference as BaseStringDifference;
      if (encodingReason(facts) === 'plus') {
        const { ours, theirs } = encodings(facts) as { ours: string; theirs: string };
        return compared(
          `Parameter ${nameOf(difference)} was encoded with + for a space (${shown(difference, ours.includes('+') ? ours : theirs)}); RFC 5849 wants %20. Encode with RFC 3986 rules, or let Countersign sign the URL as sent.`,
        );
      }
      if (valueReason(facts) !== 'plus') return undefined;
      return compared(
        difference.ours?.includes('+')
          ? `Parameter ${nameOf(difference)}: we signed a literal + where the server read a space. In a query or form body a raw + means a space (application/x-www-form-urlencoded): send %2B for a plus, and sign the URL exactly as sent.`
          : `Parameter ${nameOf(difference)}: we signed a space where the server read a literal +. The client sent %2B (or the server does not read + as a space): sign the URL exactly as sent.`,
      );
    },
  },
  {
    cause: 'unencoded_reserved_characters',
    detect(facts) {
      if (encodingReason(facts) !== 'sub-delims') return undefined;
      const difference = facts.difference as BaseStringDifference;
      const { ours, theirs } = encodings(facts) as { ours: string; theirs: string };
      return compared(
        `Parameter ${nameOf(difference)} has !*'() left unencoded (${shown(difference, SUB_DELIMS.test(ours) ? ours : theirs)}): encodeURIComponent leaves them, RFC 5849 encodes them (%21 %2A %27 %28 %29).`,
      );
    },
  },
  {
    cause: 'encoded_twice',
    detect(facts) {
      if (valueReason(facts) !== 'twice') return undefined;
      const difference = facts.difference as BaseStringDifference;
      const twiceOurs = decodeOnce(difference.ours as string) === difference.theirs;
      return compared(
        `Parameter ${nameOf(difference)} was percent-encoded twice ${twiceOurs ? 'before we signed it' : 'on its way to the server'} (${shown(difference, (twiceOurs ? difference.ours : difference.theirs) as string)}): encode each value once, and let the signer do the base string's own encoding.`,
      );
    },
  },
];

/** One parameter on one side only: from the body or not, signed or sent. */
const PARAMETER_CAUSES: readonly CauseRow[] = [
  {
    cause: 'body_params_not_signed',
    detect: (facts) =>
      facts.differs === 'unsigned' && inFormBody(facts)
        ? compared(
            `The form body parameter ${nameOf(facts.difference)} was sent but not signed: for application/x-www-form-urlencoded bodies every body parameter belongs in the base string.`,
          )
        : undefined,
  },
  {
    cause: 'params_sent_not_signed',
    detect: (facts) =>
      facts.differs === 'unsigned' && !inFormBody(facts)
        ? compared(
            `${facts.difference?.summary} Sign the final URL, after the HTTP client added its parameters (${nameOf(facts.difference)} is a typical extra).`,
          )
        : undefined,
  },
  {
    cause: 'body_params_wrongly_signed',
    detect(facts) {
      if (facts.differs !== 'unsent') return undefined;
      const name = nameOf(facts.difference);
      if (facts.request?.body !== undefined && facts.formBody === undefined) {
        return compared(
          `We signed ${name} from a body that is not a form (${facts.request?.contentType === undefined ? 'no Content-Type' : quoted(facts.request.contentType)}): only form bodies count.`,
        );
      }
      if (!inFormBody(facts)) return undefined;
      return compared(
        `We signed the body parameter ${name}, which the server did not count: it did not read the body as a form. Check the Content-Type that reached it: only application/x-www-form-urlencoded bodies are signed, and a proxy or client that changes it breaks the signature.`,
      );
    },
  },
  {
    cause: 'params_signed_not_sent',
    detect(facts) {
      const summary = facts.difference?.summary;
      // Not from a body: there was none, or it is a form without this parameter.
      const notFromBody = (facts.request?.body === undefined || facts.formBody !== undefined) && !inFormBody(facts);
      if (facts.differs === 'unsent' && notFromBody)
        return compared(`${summary} Send exactly the URL and body you signed.`);
      if (facts.differs === 'values' && encodingReason(facts) === undefined && valueReason(facts) === undefined)
        return compared(summary as string);
      return undefined;
    },
  },
];

/** What the request itself shows. */
const REQUEST_CAUSES: readonly CauseRow[] = [
  {
    // Twitter's reverse auth wants x_auth_mode=reverse_auth in the header and the body.
    cause: 'reverse_auth_mode_placement',
    detect(facts) {
      const modeInBody = facts.reverseAuthInBody;
      if (modeInBody === (facts.oauth.get('x_auth_mode') === 'reverse_auth')) return undefined;
      return {
        rank: REQUEST,
        explanation: `x_auth_mode=reverse_auth was only in the ${modeInBody ? 'body' : 'header'}: Twitter wants it in both the Authorization header and the form body (oauthParams plus the body).`,
      };
    },
  },
];

/**
 * Every cause explain() can name, each with its detector, in groups; equal ranks keep this
 * order. Groups rather than one spread array: a spread at module level is code a bundler
 * must keep (it could run an iterator), and it would pull explain() into every signer bundle.
 */
export const CAUSES: ReadonlyArray<readonly CauseRow[]> = [
  SAID_CAUSES,
  BASE_STRING_CAUSES,
  ENCODING_CAUSES,
  PARAMETER_CAUSES,
  REQUEST_CAUSES,
];
