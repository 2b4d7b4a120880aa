import { createSigner } from '@countersign/core';
import axios from 'axios';
import ky from 'ky';
import { describe, expect, it } from 'vitest';
import { startOauthlibJudge } from '../oauthlib/judge.ts';
import { WIRE_CASES } from './cases.ts';
import { CREDENTIALS, wireSigner } from './credentials.ts';
import { axiosDriver, fetchDriver, kyDriver } from './drivers.ts';
import { describeWireCases } from './run-cases.ts';
import { startWireServer } from './server.ts';

// One file, so the suites take turns with port 80 for the default-port case.
describeWireCases('axios (http adapter)', () => axiosDriver(wireSigner(), 'http'));
describeWireCases('axios (fetch adapter)', () => axiosDriver(wireSigner(), 'fetch'));
describeWireCases('ky 1', () => kyDriver(ky, 1, wireSigner()));
describeWireCases('createOAuthFetch', () => fetchDriver(wireSigner()));

describe('the wire check can fail', () => {
  it('a naive axios interceptor that signs config.url before axios adds params is rejected by both verifiers', async () => {
    const judge = startOauthlibJudge();
    const server = await startWireServer(judge);
    try {
      const signer = createSigner(CREDENTIALS);
      const naive = axios.create({ validateStatus: () => true });
      naive.interceptors.request.use(async (config) => {
        const signed = await signer.sign({
          method: config.method ?? 'get',
          url: `${config.baseURL ?? ''}${config.url}`,
        });
        config.headers.set('Authorization', signed.authorization);
        return config;
      });
      const withParams = WIRE_CASES.filter(
        (wireCase) => wireCase.params !== undefined && !wireCase.mixedCaseHostDefaultPort,
      );
      for (const wireCase of withParams) {
        await naive.request({
          method: wireCase.method,
          baseURL: server.origin + (wireCase.base ?? ''),
          url: wireCase.path,
          params: wireCase.params,
        });
      }
      expect(server.arrivals).toHaveLength(withParams.length);
      for (const arrival of server.arrivals) expect([arrival.ours.ok, arrival.oauthlib.ok]).toEqual([false, false]);
    } finally {
      await server.close();
      judge.close();
    }
  });
});
