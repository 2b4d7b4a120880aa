/**
 * Key text that costs far more than its size: PEM scanning must be linear and bounded, and
 * the error typed.
 */
import { generateKeyPairSync } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { finishesWithin } from './within-deadline.ts';

const errors = fileURLToPath(new URL('./hostile-key-errors.ts', import.meta.url));

describe('PEM text that would make a scan quadratic', () => {
  // Just under the size that is refused unread. With a lazy `[\s\S]*?` per BEGIN, 288 KB took
  // 2 s and these took 10 s to a minute.
  it('1 MB of BEGIN lines that never end is refused at once', async () => {
    const text = '-----BEGIN RSA PRIVATE KEY-----\n'.repeat(31_000);
    await expect(finishesWithin(5_000, errors, 'privateKeyError', text)).resolves.toBeDefined();
  });

  it('BEGIN lines of many labels, none closed, are refused at once', async () => {
    const text = Array.from({ length: 55_000 }, (_, i) => `-----BEGIN K${i}-----\n`).join('');
    await expect(finishesWithin(5_000, errors, 'privateKeyError', text)).resolves.toBeDefined();
  });

  it('a key text of several megabytes is refused before it is scanned, in words', async () => {
    const { privateKeyError } = await import('./hostile-key-errors.ts');
    const pem = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({
      type: 'pkcs8',
      format: 'pem',
    }) as string;
    const message = await privateKeyError(`${'#'.repeat(4 * 1024 * 1024)}\n${pem}`);
    expect(message).toMatch(/^invalid_private_key: privateKey: .*MB.*a PEM key is a few KB/);
  });

  it('the first complete block is still the one read, with text around it', async () => {
    const { privateKeyError } = await import('./hostile-key-errors.ts');
    const cert = '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n';
    expect(await privateKeyError(`junk\n-----BEGIN FOO-----\n${cert}trailing`)).toMatch(/holds a certificate/);
  });
});
