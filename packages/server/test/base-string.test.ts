import { normalizeParameters, signatureBaseString } from '@countersign/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { baseStringHead, verifierBaseString, verifierBaseStringBytes } from '../src/base-string.ts';

// The verifier builds base strings its own way (one pass for long values): it must give
// core's exact bytes for any parameters, short or long, ASCII or not.
const text = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.string({
    unit: fc.constantFrom('a', ' ', '%', '+', '=', '&', 'é', '😀', '~', '*', '!'),
    minLength: 1000,
    maxLength: 3000,
  }),
);

describe('verifierBaseString', () => {
  it("equals core's signatureBaseString for any parameters", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(text, text), { maxLength: 8 }), (pairs) => {
        const uri = 'https://api.example.com/a%20b';
        expect(verifierBaseString('POST', uri, pairs)).toBe(
          signatureBaseString('POST', uri, normalizeParameters(pairs)),
        );
      }),
      { numRuns: 300 },
    );
  });

  it('sorts names and values that differ only around their escapes as core does', () => {
    const pairs: Array<[string, string]> = [
      ['a', '%'],
      ['a', '%41'],
      ['a', '-'],
      ['a', ''],
      ['a b', 'x'],
      ['a%', 'x'],
      ['a-', 'x'],
      ['a', 'é'],
      ['a', '~'],
    ];
    expect(verifierBaseString('GET', 'http://h/', pairs)).toBe(
      signatureBaseString('GET', 'http://h/', normalizeParameters(pairs)),
    );
  });
});

// Over 64 KB a name or value is encoded straight into the bytes that are hashed; a sort that
// has to compare two of them (one name, two huge values) encodes them on their own first.
const huge = fc
  .tuple(
    fc.string({ unit: fc.constantFrom('a', ' ', '%', '+', 'é', '😀', '~', '*'), minLength: 1, maxLength: 6 }),
    fc.string({ maxLength: 3 }),
  )
  .map(([piece, tail]) => piece.repeat(Math.ceil(70_000 / piece.length)) + tail);
const anyText = fc.oneof(text, huge);
const decoder = new TextDecoder();

describe('verifierBaseStringBytes', () => {
  it("holds core's signatureBaseString as bytes, huge names and values included", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.oneof(text, fc.constant('same')), anyText), { maxLength: 5 }), (pairs) => {
        const uri = 'https://api.example.com/a%20b';
        expect(decoder.decode(verifierBaseStringBytes('POST', uri, pairs))).toBe(
          signatureBaseString('POST', uri, normalizeParameters(pairs)),
        );
      }),
      { numRuns: 15 },
    );
  });

  it('sorts huge values under one name by their encoded bytes, as core does', () => {
    const long = 'x'.repeat(70_000);
    const pairs: Array<[string, string]> = [
      ['a', `${long}~`],
      ['a', `${long} `],
      ['a', `${long}-`],
      ['a', long],
      [long, 'first'],
    ];
    expect(decoder.decode(verifierBaseStringBytes('GET', 'http://h/', pairs))).toBe(
      signatureBaseString('GET', 'http://h/', normalizeParameters(pairs)),
    );
  });

  it('refuses a huge value with a lone surrogate, as core does', () => {
    expect(() => verifierBaseStringBytes('GET', 'http://h/', [['a', `${'x'.repeat(70_000)}\uD800`]])).toThrow(
      /lone UTF-16 surrogate/,
    );
  });

  it('shows a long base string as its head and a marker with the count left out', () => {
    const bytes = verifierBaseStringBytes('GET', 'http://h/', [['a', 'x'.repeat(70_000)]]);
    const head = baseStringHead(bytes, 100, (shown) => shown);
    expect(head).toBe(`${decoder.decode(bytes.subarray(0, 100))} …[truncated: ${bytes.length - 100} more characters]`);
    expect(baseStringHead(bytes.subarray(0, 50), 100, (shown) => shown)).toBe(decoder.decode(bytes.subarray(0, 50)));
  });
});
