import ky from 'ky';
import { wireSigner } from './credentials.ts';
import { axiosDriver, fetchDriver, kyDriver } from './drivers.ts';
import { NOCK_TARGETS } from './nock-server.ts';
import { describeWireCases } from './run-cases.ts';

// nock 14 intercepts node:http (axios's http adapter) and fetch (everything else).
describeWireCases('nock + axios (http adapter)', () => axiosDriver(wireSigner(), 'http'), NOCK_TARGETS);
describeWireCases('nock + axios (fetch adapter)', () => axiosDriver(wireSigner(), 'fetch'), NOCK_TARGETS);
describeWireCases('nock + ky 1', () => kyDriver(ky, 1, wireSigner()), NOCK_TARGETS);
describeWireCases('nock + createOAuthFetch', () => fetchDriver(wireSigner()), NOCK_TARGETS);
