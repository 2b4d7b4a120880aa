import {
  isSensitiveName,
  printAs,
  REDACTED,
  redactAuthorizationHeader,
  redactForm,
  redactText,
  redactUrl,
} from '@countersign/core';
import type { InternalAxiosRequestConfig } from 'axios';

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/** A body as it may be printed: form and text bodies redacted, bytes and streams by size or kind. */
function shownData(data: unknown, plaintext: boolean): unknown {
  if (typeof data === 'string') return data.includes('=') ? redactForm(data, plaintext) : redactText(data);
  if (data instanceof URLSearchParams) return redactForm(data.toString(), plaintext);
  if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) return `[${data.byteLength} bytes]`;
  if (data === null || data === undefined) return data;
  return `[${Object.prototype.toString.call(data).slice(8, -1)}]`;
}

function shownParams(params: unknown, plaintext: boolean): unknown {
  if (params instanceof URLSearchParams) return redactForm(params.toString(), plaintext);
  if (typeof params !== 'object' || params === null) return params;
  return Object.fromEntries(
    Object.entries(params).map(([name, value]) => [name, isSensitiveName(name) ? REDACTED : value]),
  );
}

function shownHeaders(headers: unknown, plaintext: boolean): Record<string, unknown> {
  const plain =
    typeof (headers as { toJSON?: unknown })?.toJSON === 'function'
      ? (headers as { toJSON(): Record<string, unknown> }).toJSON()
      : { ...(headers as Record<string, unknown>) };
  return Object.fromEntries(
    Object.entries(plain).map(([name, value]) => [
      name,
      typeof value !== 'string'
        ? value
        : /^(?:authorization|proxy-authorization)$/i.test(name)
          ? redactAuthorizationHeader(value, plaintext)
          : /^cookie$/i.test(name)
            ? REDACTED
            : value,
    ]),
  );
}

/** What a signed request's config prints as: its own fields, with every secret-bearing one redacted. */
function configView(config: InternalAxiosRequestConfig, plaintext: boolean): object {
  const view: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(config)) {
    if (typeof value === 'function') continue;
    if (name === 'headers') view[name] = shownHeaders(value, plaintext);
    else if (name === 'url' || name === 'baseURL')
      view[name] = typeof value === 'string' ? redactUrl(value, plaintext) : value;
    else if (name === 'data') view[name] = shownData(value, plaintext);
    else if (name === 'params') view[name] = shownParams(value, plaintext);
    else if (name === 'httpAgent' || name === 'httpsAgent' || name === 'signal' || name === 'cancelToken') continue;
    else view[name] = value;
  }
  return view;
}

/** A request object (node's ClientRequest, a fetch Request) as it may be printed: method and URL. */
function requestView(request: object, plaintext: boolean): object {
  const { method, path, host, url } = request as { method?: string; path?: string; host?: string; url?: string };
  const target = url ?? (host === undefined ? path : `${host}${path ?? ''}`);
  return { method, url: typeof target === 'string' ? redactUrl(target, plaintext) : target };
}

interface ResponseLike {
  status?: unknown;
  statusText?: unknown;
  headers?: unknown;
  data?: unknown;
  config?: unknown;
  request?: unknown;
}

function responseView(response: ResponseLike): object {
  const data = response.data;
  return {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
    data: typeof data === 'string' ? redactText(data) : shownData(data, false),
  };
}

/**
 * Makes everything of a signed request that axios keeps and error reporters print (the
 * config, the request, the response, the AxiosError itself) print with its secrets redacted:
 * a PLAINTEXT signature in the header, query or body, a password in a form body. Only the
 * printing changes: axios-retry can still send `error.config` again, since object spread
 * (axios's mergeConfig) leaves the printing hooks behind.
 */
export function printSigningRedacted(
  config: InternalAxiosRequestConfig,
  plaintext: boolean,
  error?: { request?: unknown; response?: ResponseLike } & Error,
): void {
  printAs(config, () => configView(config, plaintext));
  if (error === undefined) return;
  const request = error.request;
  if (typeof request === 'object' && request !== null) printAs(request, () => requestView(request, plaintext));
  const response = error.response;
  if (response !== undefined) {
    printAs(response, () => ({ ...responseView(response), config: configView(config, plaintext) }));
    if (typeof response.request === 'object' && response.request !== null && response.request !== request) {
      const responseRequest = response.request;
      printAs(responseRequest, () => requestView(responseRequest, plaintext));
    }
  }
  const errorView = () => ({
    name: error.name,
    message: error.message,
    code: (error as { code?: unknown }).code,
    status: (error as { status?: unknown }).status,
    config: configView(config, plaintext),
    ...(response === undefined ? {} : { response: responseView(response) }),
  });
  Object.defineProperty(error, 'toJSON', { value: () => ({ ...errorView(), stack: error.stack }), configurable: true });
  Object.defineProperty(error, INSPECT, {
    configurable: true,
    value: (_depth: number, options: object, inspect: (value: unknown, options: object) => string) =>
      `${error.stack ?? `${error.name}: ${error.message}`} ${inspect(errorView(), options)}`,
  });
}
