import { normalizeParameters, signatureBaseString } from '@countersign/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { verifierBaseString } from '../src/base-string.ts';

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
