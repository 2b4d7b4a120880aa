// nock 15 needs Node ≥ 22: this file runs under `npx -y node@22` (vitest.node22.config.ts).
import nock from 'nock15';
import { describeNockSignedBy } from './run-nock-cases.ts';

describeNockSignedBy('15', nock as never);
