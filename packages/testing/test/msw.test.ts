import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { describeMswSignedBy } from './run-msw-cases.ts';

describeMswSignedBy('2', { http, HttpResponse, setupServer });
