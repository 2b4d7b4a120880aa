import { isCountersignError } from '@countersign/core';
import { describe, expect, it } from 'vitest';
import { createSigningChecker, mswSignedBy } from '../src/index.ts';

// A mistaken expectation used to surface only when a request arrived, as a TypeError from
// inside the helper ("Invalid URL"), or as every request refused for a reason that did not
// name it. It is said when the helper is made, naming the field.
const BAD: Array<[string, object, RegExp]> = [
  ['a path for url', { url: '/1.1/statuses/update.json' }, /^url: /],
  ['a URL that is not http(s)', { url: 'ftp://api.example.com/r' }, /^url: /],
  ['a method that is not a string', { method: 5 }, /^method: /],
  ['a parameter value that is not a string', { params: { count: 5 } }, /^params\.count: /],
  ['no consumer key', { consumerKey: undefined }, /^consumerKey: /],
];

describe('expectations that cannot be met', () => {
  for (const [what, change, message] of BAD) {
    it(`${what}: refused when the helper is made, in words`, () => {
      const expected = { consumerKey: 'ck', consumerSecret: 'cs', ...change } as Parameters<
        typeof createSigningChecker
      >[0];
      for (const make of [() => createSigningChecker(expected), () => mswSignedBy(expected, () => 'ok')]) {
        let error: unknown;
        try {
          make();
        } catch (caught) {
          error = caught;
        }
        expect(isCountersignError(error) && error.code).toBe('invalid_option');
        expect((error as Error).message).toMatch(message);
      }
    });
  }

  it('a URL object and an absolute URL string are both fine', () => {
    expect(() =>
      createSigningChecker({ consumerKey: 'ck', consumerSecret: 'cs', url: 'https://a.example/r' }),
    ).not.toThrow();
    expect(() =>
      createSigningChecker({ consumerKey: 'ck', consumerSecret: 'cs', url: new URL('https://a.example/r') }),
    ).not.toThrow();
  });
});
