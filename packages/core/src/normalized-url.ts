/**
 * Absolute http(s) URLs that WHATWG URL parsing returns exactly as written, recognised
 * without building a URL object: on 2,000 distinct requests in turn, `new URL()` and its
 * `href` measured about 0.5 µs of a 5 µs signature. Anything else takes the parser, so this
 * only has to be right where it says yes (a property test compares it with `new URL()`).
 *
 * Yes means: a lowercase scheme and host of letters, digits, `-` and `.` (no empty label,
 * the last starting with a letter, so the host is never read as an IPv4 address, and no
 * `xn--` label for IDNA to check); a port with no leading zero, at most 65535, not the
 * scheme's default (which the parser drops); a path of characters the parser keeps, with no
 * `/.` (a dot segment it would resolve) and no `%2e`; a query likewise, without `'` (which it
 * escapes in http(s) queries); no fragment.
 */
const SHAPE =
  /^https?:\/\/[a-z0-9-]+(?:\.[a-z0-9-]+)*(?::[1-9][0-9]{0,4})?\/[A-Za-z0-9\-._~!$&'()*+,;=:@%/]*(?:\?[A-Za-z0-9\-._~!$&()*+,;=:@%/?]*)?$/;

export function isNormalizedHttpUrl(text: string): boolean {
  if (!SHAPE.test(text)) return false;
  const hostStart = text.charCodeAt(4) === 115 ? 8 : 7;
  const pathStart = text.indexOf('/', hostStart);
  const colon = text.indexOf(':', hostStart);
  const hostEnd = colon !== -1 && colon < pathStart ? colon : pathStart;
  const lastLabel = text.lastIndexOf('.', hostEnd) + 1;
  const first = text.charCodeAt(Math.max(lastLabel, hostStart));
  if (first < 97 || first > 122) return false;
  const xn = text.indexOf('xn--', hostStart);
  if (xn !== -1 && xn < hostEnd) return false;
  if (hostEnd !== pathStart) {
    const port = Number(text.slice(hostEnd + 1, pathStart));
    if (port > 65535 || port === (hostStart === 8 ? 443 : 80)) return false;
  }
  return (
    text.indexOf('/.', pathStart) === -1 &&
    text.indexOf('%2e', pathStart) === -1 &&
    text.indexOf('%2E', pathStart) === -1
  );
}
