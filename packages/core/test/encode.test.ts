import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseFormEncoded, reencodeFormComponent } from '../src/encode.ts';
import { formatForm, formDecode, parseForm, percentEncode } from '../src/index.ts';

describe('percentEncode (RFC 5849 §3.6)', () => {
  it.each([
    ['abcABC123-._~', 'abcABC123-._~'],
    [' ', '%20'],
    ['+', '%2B'],
    ["!*'()", '%21%2A%27%28%29'],
    ['&=%', '%26%3D%25'],
    ['é', '%C3%A9'],
    ['😀', '%F0%9F%98%80'],
    ['/?#[]@', '%2F%3F%23%5B%5D%40'],
  ])('%j → %s', (input, expected) => {
    expect(percentEncode(input)).toBe(expected);
  });

  it('outputs only unreserved characters and uppercase escapes, and decodes back to the input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (value) => {
        const encoded = percentEncode(value);
        expect(encoded).toMatch(/^(?:[A-Za-z0-9\-._~]|%[0-9A-F]{2})*$/);
        expect(decodeURIComponent(encoded)).toBe(value);
      }),
      { numRuns: 2000 },
    );
  });

  it('form round trip: formatForm then parseForm gives the pairs back', () => {
    const pair = fc.tuple(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'grapheme' }));
    fc.assert(
      fc.property(fc.array(pair, { maxLength: 6 }), (pairs) => {
        const withNames = pairs.filter(([name, value]) => name !== '' || value !== '');
        expect(parseForm(formatForm(withNames))).toEqual(withNames);
      }),
      { numRuns: 1000 },
    );
  });

  it('agrees with URLSearchParams on how a form value decodes, malformed escapes included', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z%+0-9A-F]{0,12}$/), (raw) => {
        expect(formDecode(raw)).toBe(new URLSearchParams(`v=${raw}`).get('v'));
      }),
      { numRuns: 2000 },
    );
  });

  it('re-encodes a raw form component in one pass exactly as decoding with URLSearchParams then percentEncode would', () => {
    const fragment = fc.oneof(
      fc.constantFrom(
        'a',
        'Z',
        '9',
        '-',
        '.',
        '_',
        '~',
        '+',
        ' ',
        '!',
        '*',
        "'",
        '(',
        ')',
        '=',
        '/',
        '?',
        '[',
        ']',
        '%',
      ),
      fc.constantFrom('é', '😀', '\u00ff'),
      fc.tuple(fc.integer({ min: 0, max: 255 }), fc.boolean()).map(([byte, lower]) => {
        const hex = byte.toString(16).padStart(2, '0');
        return `%${lower ? hex : hex.toUpperCase()}`;
      }),
      fc.constantFrom('%C3%A9', '%c3%a9', '%E2%82%AC', '%2', '%G1', '%%41'),
      // Escaped UTF-8, well formed and not: the one pass keeps a well-formed sequence and
      // leaves the rest to the decoder (overlong forms, surrogates, past U+10FFFF, cut short).
      fc.constantFrom(
        '%e2%82%ac',
        '%F0%9F%98%80',
        '%f4%8f%bf%bf',
        '%F4%90%80%80',
        '%E0%A0%80',
        '%E0%9F%BF',
        '%ED%9F%BF',
        '%ED%A0%80',
        '%F0%8F%BF%BF',
        '%C0%80',
        '%C1%BF',
        '%C2%80',
        '%DF%BF',
        '%E2%82',
        '%F0%9F%98',
        '%80',
        '%BF%BF',
        '%F5%80%80%80',
        '%FF',
      ),
    );
    fc.assert(
      fc.property(fc.array(fragment, { maxLength: 12 }), (fragments) => {
        const raw = fragments.join('');
        const oracle = new URLSearchParams(`v=${raw}`).get('v') ?? '';
        expect(reencodeFormComponent(raw)).toBe(percentEncode(oracle));
      }),
      { numRuns: 5000 },
    );
  });

  it('splits a form with no = in it, however long, in linear time (the next = is not searched for again per pair)', () => {
    // 256 KiB of `a&`: searching for = from every pair scanned the rest of the text each time.
    const pairs = parseFormEncoded('a&'.repeat(128 * 1024));
    expect(pairs).toHaveLength(128 * 1024);
    expect(parseFormEncoded('a&b=1&c&d=2=3&&e')).toEqual([
      ['a', ''],
      ['b', '1'],
      ['c', ''],
      ['d', '2%3D3'],
      ['e', ''],
    ]);
  });
});
