import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backend } from '../src/crypto/node.ts';
import type { HashName } from '../src/crypto/types.ts';

// Node's backend computes HMAC as two one-shot digests over padded key blocks (crypto.hash);
// createHmac, OpenSSL's own HMAC, is the reference here.
const NODE_NAME: Record<HashName, string> = { 'SHA-1': 'sha1', 'SHA-256': 'sha256', 'SHA-512': 'sha512' };
const ascii = (maxLength: number) =>
  fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code)), maxLength });

describe("Node backend's HMAC", () => {
  it.each(Object.keys(NODE_NAME) as HashName[])(
    '%s agrees with createHmac for keys shorter and longer than a block, and data of any length',
    (hash) => {
      fc.assert(
        fc.property(ascii(300), ascii(3000), (key, data) => {
          const expected = createHmac(NODE_NAME[hash] as string, key)
            .update(data)
            .digest('base64');
          expect(backend.hmacSigner(hash, key)(data)).toBe(expected);
        }),
        { numRuns: 300 },
      );
    },
  );

  it('one signer stays right across many calls of different lengths (its buffers reused and grown, the longest streamed)', () => {
    const sign = backend.hmacSigner('SHA-1', 'consumer%20secret&token%20secret');
    for (const length of [0, 1, 55, 56, 63, 64, 65, 1000, 5000, 10, 65_536, 65_537, 3_000_000, 2048]) {
      const data = 'x'.repeat(length);
      expect(sign(data)).toBe(createHmac('sha1', 'consumer%20secret&token%20secret').update(data).digest('base64'));
    }
  });
});
