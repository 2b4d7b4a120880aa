// ky 2 needs Node ≥ 22: this file runs under `npx -y node@22` (vitest.node22.config.ts).
import ky from 'ky2';
import { describeKyErrors } from './run-adapter-errors.ts';

describeKyErrors('ky 2', ky as never);
