import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { finishesWithin } from '../../core/test/within-deadline.ts';

const errors = fileURLToPath(new URL('./hostile-key-errors.ts', import.meta.url));

describe('a huge key is refused by its head, not copied whole', () => {
  // 300 MB of bytes took 12-14 s and 1.1-1.8 GB when the whole array was copied to read 40 bytes.
  it('300 MB of bytes', async () => {
    await expect(finishesWithin(5_000, errors, 'hugeKeyError', 300, 'bytes')).resolves.toBeDefined();
  });

  it('says what to pass instead', async () => {
    const { hugeKeyError } = await import('./hostile-key-errors.ts');
    expect(await hugeKeyError(1, 'bytes')).toMatch(/^invalid_option: privateKey: got bytes; pass the PEM text/);
    expect(await hugeKeyError(64, 'text')).toMatch(/^invalid_private_key: privateKey: the text is 64\.0 MB/);
  });
});
