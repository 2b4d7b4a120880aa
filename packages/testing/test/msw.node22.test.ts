// msw 3 needs Node ≥ 22: this file runs under `npx -y node@22` (vitest.node22.config.ts).
import { HttpResponse, http } from 'msw3';
import { setupServer } from 'msw3/node';
import { describeMswSignedBy } from './run-msw-cases.ts';

describeMswSignedBy('3', { http, HttpResponse, setupServer } as never);
