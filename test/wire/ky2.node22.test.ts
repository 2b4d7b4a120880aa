// ky 2 needs Node ≥ 22: this file runs under `npx -y node@22` (vitest.node22.config.ts).
import { kyOAuth } from '@countersign/ky';
import ky from 'ky2';
import { wireSigner } from './credentials.ts';
import { kyDriver } from './drivers.ts';
import { describeWireCases } from './run-cases.ts';
import { describeRetries } from './run-retries.ts';

describeWireCases('ky 2', () => kyDriver(ky as never, 2, wireSigner()));

describeRetries('ky 2', () => {
  const api = ky.create({ ...kyOAuth(wireSigner()), retry: { limit: 2, delay: () => 0 } });
  return async (url) => (await api.get(url)).status;
});
