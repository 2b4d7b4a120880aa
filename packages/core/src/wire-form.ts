import { reencodeFormComponent } from './encode.ts';
import type { RequestTarget } from './request-target.ts';

/**
 * The query in RFC 3986 form: each name and value exactly as the base string has it
 * (`+` and spaces as `%20`, `!*'()` and every other reserved character escaped, hex in
 * uppercase), in the order sent; empty pieces (`a&&b`) dropped, a name without `=` kept so.
 *
 * RFC 5849 reads a parameter by decoding it and encoding it again; some gateways
 * (Mastercard's, and its own signers in all seven languages) read it as it arrives and
 * encode the whole parameter string once. The two readings agree exactly when what arrives
 * is already in this form.
 *
 * @example
 * ```ts
 * rfc3986Query("MerchantId=GOOGLE%20LTD%20(CC@GOOGLE.COM)&q=a+b!"); // 'MerchantId=GOOGLE%20LTD%20%28CC%40GOOGLE.COM%29&q=a%20b%21'
 * ```
 */
export function rfc3986Query(query: string): string {
  let out = '';
  let start = 0;
  while (start <= query.length) {
    let end = query.indexOf('&', start);
    if (end === -1) end = query.length;
    if (end > start) {
      // Searched within the piece only: a query without `=` stays linear.
      const piece = query.slice(start, end);
      const equals = piece.indexOf('=');
      const pair =
        equals === -1
          ? reencodeFormComponent(piece)
          : `${reencodeFormComponent(piece.slice(0, equals))}=${reencodeFormComponent(piece.slice(equals + 1))}`;
      out += out === '' ? pair : `&${pair}`;
    }
    start = end + 1;
  }
  return out;
}

/** The URL to send with its query in RFC 3986 form ({@link rfc3986Query}), without a fragment. */
export function rfc3986Url(target: RequestTarget): string {
  if (!target.hasQuery) return target.url;
  const query = rfc3986Query(target.queryText);
  return query === '' ? target.baseUri : `${target.baseUri}?${query}`;
}
