import { installOAuth } from '@countersign/axios';
import { createOAuthFetch } from '@countersign/core';
import { kyOAuth } from '@countersign/ky';
import axios from 'axios';
import axiosRetry, { isNetworkError } from 'axios-retry';
import ky from 'ky';
import pRetry from 'p-retry';
import { wireSigner } from './credentials.ts';
import { describeRetries } from './run-retries.ts';

for (const adapter of ['http', 'fetch'] as const) {
  describeRetries(`axios (${adapter} adapter) with axios-retry`, () => {
    const instance = axios.create({ adapter });
    installOAuth(instance, wireSigner());
    axiosRetry(instance, {
      retries: 2,
      retryDelay: () => 0,
      retryCondition: (error) => isNetworkError(error) || error.response?.status === 503,
    });
    return async (url) => (await instance.get(url)).status;
  });
}

describeRetries('ky 1', () => {
  const api = ky.create({ ...kyOAuth(wireSigner()), retry: { limit: 2, delay: () => 0 } });
  return async (url) => (await api.get(url)).status;
});

describeRetries('createOAuthFetch with p-retry', () => {
  const oauthFetch = createOAuthFetch(wireSigner());
  return (url) =>
    pRetry(
      async () => {
        const response = await oauthFetch(url);
        if (response.status === 503) throw new Error('503');
        return response.status;
      },
      { retries: 2, minTimeout: 0 },
    );
});
