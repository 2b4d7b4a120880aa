import { installOAuth } from '@countersign/axios';
import { createOAuthFetch, type Signer } from '@countersign/core';
import { kyOAuth } from '@countersign/ky';
import axios, { type AxiosInstance } from 'axios';
import { FORM, formBody, queryPairs, type WireCase } from './cases.ts';

/** Sends one wire case to `origin` and resolves with the HTTP status. */
export type Send = (wireCase: WireCase, origin: string) => Promise<number>;

export function axiosDriver(
  signer: Signer,
  adapter: 'http' | 'fetch',
  configure?: (instance: AxiosInstance) => void,
): Send {
  const instance = axios.create({ adapter, validateStatus: () => true });
  configure?.(instance);
  installOAuth(instance, signer);
  return async (wireCase, origin) => {
    const form = formBody(wireCase);
    const response = await instance.request({
      method: wireCase.method,
      baseURL: origin + (wireCase.base ?? ''),
      url: wireCase.path,
      params: wireCase.pairs ? new URLSearchParams(wireCase.pairs as Array<[string, string]>) : wireCase.params,
      data: wireCase.json ?? form,
      headers: form === undefined ? {} : { 'Content-Type': wireCase.contentType ?? FORM },
    });
    return response.status;
  };
}

/** ky's option names differ between majors: `prefixUrl` (1) and `prefix` (2). */
export function kyDriver(ky: typeof import('ky').default, major: 1 | 2, signer: Signer): Send {
  const api = ky.create({ ...kyOAuth(signer), throwHttpErrors: false, retry: 0 });
  return async (wireCase, origin) => {
    const form = formBody(wireCase);
    const base = origin + (wireCase.base ?? '/');
    const input = wireCase.path.replace(/^\//, '');
    const pairs = queryPairs(wireCase);
    const response = await api(input, {
      method: wireCase.method,
      ...(major === 1 ? { prefixUrl: base } : { prefix: base }),
      ...(pairs.length > 0 ? { searchParams: pairs } : {}),
      ...(wireCase.json === undefined ? {} : { json: wireCase.json }),
      ...(form === undefined
        ? {}
        : {
            body: typeof form === 'string' || form instanceof URLSearchParams ? form : new URLSearchParams(form),
            headers: { 'content-type': wireCase.contentType ?? FORM },
          }),
    } as never);
    return response.status;
  };
}

export function fetchDriver(signer: Signer): Send {
  const oauthFetch = createOAuthFetch(signer);
  return async (wireCase, origin) => {
    const url = new URL(origin + (wireCase.base ?? '') + wireCase.path);
    for (const [name, value] of queryPairs(wireCase)) url.searchParams.append(name, value);
    const form = formBody(wireCase);
    const body =
      wireCase.json !== undefined
        ? JSON.stringify(wireCase.json)
        : form === undefined || typeof form === 'string' || form instanceof URLSearchParams
          ? form
          : new URLSearchParams(form);
    const headers: Record<string, string> = {};
    if (wireCase.json !== undefined) headers['content-type'] = 'application/json';
    if (form !== undefined) headers['content-type'] = wireCase.contentType ?? FORM;
    const response = await oauthFetch(url, { method: wireCase.method, body, headers });
    await response.arrayBuffer();
    return response.status;
  };
}
