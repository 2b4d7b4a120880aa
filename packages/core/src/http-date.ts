// RFC 9110 §5.6.7: IMF-fixdate, and the two obsolete forms a recipient must still read
// (RFC 850 and asctime, the latter in GMT without saying so).
const IMF_FIXDATE = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/;
const RFC850_DATE = /^(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day, \d{2}-[A-Z][a-z]{2}-\d{2} \d{2}:\d{2}:\d{2} GMT$/;
const ASCTIME_DATE = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) [A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}:\d{2} \d{4}$/;

/**
 * Milliseconds since the epoch of an HTTP-date, or undefined for anything else. `Date.parse`
 * alone reads far more: '-1', '3.5' and '5, 5' (a header sent twice) are all dates in 2001
 * to it, and a date without a zone is read in local time.
 */
export function httpDate(value: string): number | undefined {
  const text = value.trim();
  let at: number;
  if (IMF_FIXDATE.test(text) || RFC850_DATE.test(text)) at = Date.parse(text);
  else if (ASCTIME_DATE.test(text)) at = Date.parse(`${text} GMT`);
  else return undefined;
  return Number.isNaN(at) ? undefined : at;
}

/**
 * Seconds to wait from a `Retry-After` value (RFC 9110 §10.2.3: delay-seconds or an
 * HTTP-date; a date in the past means now), or undefined when it says neither: then the
 * caller's own backoff applies, never an instant retry.
 */
export function retryAfterSeconds(value: string | null, now: number): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text);
  const at = httpDate(text);
  return at === undefined ? undefined : Math.max(0, (at - now) / 1000);
}
