import { printAs, REDACTED, redactForm, redactText, redactUrl } from '@countersign/core';

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

function shownBody(body: unknown, plaintext: boolean): unknown {
  if (typeof body === 'string') return body.includes('=') ? redactForm(body, plaintext) : redactText(body);
  if (body instanceof URLSearchParams) return redactForm(body.toString(), plaintext);
  if (body === undefined || body === null) return body;
  return `[${Object.prototype.toString.call(body).slice(8, -1)}]`;
}

/** ky's options as they may be printed: the body, json and searchParams redacted, no functions. */
function optionsView(options: Record<string, unknown>, plaintext: boolean): object {
  const view: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(options)) {
    if (typeof value === 'function' || name === 'hooks' || name === 'signal' || name === 'fetch') continue;
    if (name === 'body') view[name] = shownBody(value, plaintext);
    else if (name === 'json') view[name] = value === undefined ? undefined : REDACTED;
    else if (name === 'searchParams')
      view[name] = shownBody(typeof value === 'object' ? new URLSearchParams(value as never) : value, plaintext);
    else if (name === 'headers') view[name] = REDACTED;
    else view[name] = value;
  }
  return view;
}

/**
 * Makes ky's HTTPError print without secrets: the Request and Response it carries (whose
 * URL holds a PLAINTEXT signature sent in the query), and the options (whose body holds a
 * password, or the PLAINTEXT signature sent in the body). Only printing changes.
 */
export function printHttpErrorRedacted(error: Error, plaintext: boolean): void {
  const { request, response, options } = error as { request?: unknown; response?: unknown; options?: unknown };
  const target = (value: unknown) =>
    value instanceof Request || value instanceof Response
      ? {
          url: redactUrl(value.url, plaintext),
          ...(value instanceof Request ? { method: value.method } : { status: value.status }),
        }
      : undefined;
  if (request instanceof Request) printAs(request, () => target(request) as object);
  if (response instanceof Response) printAs(response, () => target(response) as object);
  if (typeof options === 'object' && options !== null) {
    const view = () => optionsView(options as Record<string, unknown>, plaintext);
    // ky 1 freezes its options: the error then carries a copy that prints redacted.
    if (Object.isExtensible(options)) printAs(options, view);
    else
      Object.defineProperty(error, 'options', {
        value: printAs({ ...options }, view),
        writable: true,
        configurable: true,
        enumerable: true,
      });
  }
  const view = () => ({
    name: error.name,
    message: redactUrl(error.message, plaintext),
    request: target(request),
    response: target(response),
    ...(typeof options === 'object' && options !== null
      ? { options: optionsView(options as Record<string, unknown>, plaintext) }
      : {}),
  });
  Object.defineProperty(error, 'toJSON', { value: view, configurable: true });
  Object.defineProperty(error, INSPECT, {
    configurable: true,
    value: (_depth: number, inspectOptions: object, inspect: (value: unknown, options: object) => string) =>
      `${redactUrl(error.stack ?? error.message, plaintext)} ${inspect({ ...view(), cause: (error as { cause?: unknown }).cause }, inspectOptions)}`,
  });
}
