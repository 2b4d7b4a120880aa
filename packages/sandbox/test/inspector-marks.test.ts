import { compareBaseStrings, redactBaseString } from '@countersign/core';
import { describe, expect, it } from 'vitest';
import { firstDifference, type Segment, signedRows } from '../src/inspector/page/marks.ts';

// RFC 5849 §3.4.1.1's example base string (the one the RFC prints, checked by core's tests).
const RFC =
  'POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk9d7dh3k39sjv7';

/** The marked runs, written out: [changed] and ^ for a place where the other side has more. */
function drawn(segments: readonly Segment[]): string {
  return segments
    .map((segment) =>
      segment.mark === 'changed' ? `[${segment.text}]` : segment.mark === 'missing' ? '^' : segment.text,
    )
    .join('');
}

// Classic mistakes, each made to the RFC's base string as a client makes it.
const VARIANTS: Array<[string, string, string]> = [
  ['+ for a space', RFC.replace('a2%3Dr%2520b', 'a2%3Dr%252Bb'), 'a2%3Dr[%2520]b'],
  ['a parameter left out', RFC.replace('a3%3Da%26', ''), 'a3%3D2%2520q%26[a3%3Da]%26b5'],
  ['the method', RFC.replace('POST&', 'GET&'), '[POST]&'],
  ['the scheme', RFC.replace('http%3A', 'https%3A'), 'http^%3A%2F'],
  // Marks stop at whole escapes (%25XX counted as one), never inside one.
  ['a value encoded twice', RFC.replace('b5%3D%253D%25253D', 'b5%3D%25253D%2525253D'), 'b5%3D[%253D%2525]3D%26'],
  ['!*() left unencoded', RFC.replace('c2%3D%26', 'c2%3D!%26'), 'c2%3D^%26'],
  ['a parameter added', RFC.replace('%26c2%3D', '%26c1%3Dx%26c2%3D'), 'c%2540%3D%26^c2%3D'],
];

describe('the first difference, located and marked', () => {
  it.each(VARIANTS)('%s', (_name, client, marked) => {
    const difference = firstDifference(RFC, client);
    expect(drawn(difference.server)).toContain(marked);
    // Nothing is lost: the segments put back together are the base strings.
    expect(difference.server.map((segment) => segment.text).join('')).toBe(RFC);
    expect(difference.client.map((segment) => segment.text).join('')).toBe(client);
    // Core's compareBaseStrings (written separately, for explain()) finds the same place.
    const core = compareBaseStrings(client, RFC);
    expect(difference.part).toBe(core?.part);
    if (core?.part === 'parameter') expect(difference.name).toBe(core.name);
  });

  it('the scheme: the letter one side has marked, the place the other lacks it shown', () => {
    expect(drawn(firstDifference(RFC, RFC.replace('http%3A', 'https%3A')).client)).toContain('http[s]%3A');
  });

  it('a + for a space is marked on both sides as whole escapes, with the pairs for the label', () => {
    const difference = firstDifference(RFC, RFC.replace('a2%3Dr%2520b', 'a2%3Dr%252Bb'));
    expect(drawn(difference.client)).toContain('a2%3Dr[%252B]b');
    expect(difference).toMatchObject({ part: 'parameter', name: 'a2', serverPair: 'a2=r%20b', clientPair: 'a2=r%2Bb' });
  });

  it('a client that did not encode the parameter string again: its raw & and = are the difference', () => {
    const once = `POST&http%3A%2F%2Fexample.com%2Frequest&${decodeURIComponent(RFC.split('&')[2] as string)}`;
    const difference = firstDifference(RFC, once);
    expect(difference.part).toBe('parameter');
    expect(drawn(difference.server)).toContain('&a2[%3Dr%2520]b');
    expect(drawn(difference.client)).toContain('&a2[=r%20]b');
  });

  it('identical, or different only inside redacted values', () => {
    expect(firstDifference(RFC, RFC).part).toBe('same');
    const withPassword = (password: string) => redactBaseString(`${RFC}%26x_auth_password%3D${password}`);
    expect(withPassword('one')).toBe(withPassword('two'));
    expect(firstDifference(withPassword('one'), withPassword('two'), true).part).toBe('hidden');
    expect(firstDifference(withPassword('one'), withPassword('two')).part).toBe('same');
  });

  it('the parameters of each side paired by name, a missing one on its own row', () => {
    const rows = signedRows(RFC, RFC.replace('a3%3Da%26', ''));
    expect(rows.slice(0, 4)).toEqual([
      { name: 'a2', server: 'r%20b', client: 'r%20b' },
      { name: 'a3', server: '2%20q', client: '2%20q' },
      { name: 'a3', server: 'a' },
      { name: 'b5', server: '%3D%253D', client: '%3D%253D' },
    ]);
    expect(signedRows(RFC, undefined).every((row) => row.client === undefined)).toBe(true);
    expect(signedRows(RFC, undefined).length).toBe(11);
  });
});
