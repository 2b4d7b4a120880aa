import type { IncomingMessage } from 'node:http';

/**
 * The host names a page on this machine reaches the sandbox by. DNS rebinding makes a page
 * on evil.example talk to 127.0.0.1 as its own origin; its requests still say
 * `Host: evil.example:port`, so the Host header decides who may read the inspector.
 */
const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

/** Who may read the inspector: these `host:port` values in Host, and the same origins in Origin. */
export function allowedHosts(port: number, extraHosts: readonly string[]): Set<string> {
  const hosts = new Set<string>();
  for (const name of [...LOOPBACK_NAMES, ...extraHosts]) {
    const lower = name.toLowerCase();
    // A name given with its port is taken as it is; without one, with the sandbox's.
    hosts.add(/:\d+$/.test(lower) && !lower.endsWith(']') ? lower : `${lower}:${port}`);
  }
  return hosts;
}

/**
 * Why the inspector must not answer this request, or undefined when it may. The Host must be
 * one of `hosts`; an Origin, when sent, one of theirs (a page on another origin, even another
 * port of this machine, must not read it); and data (the request list and the event stream)
 * is refused to a browser that says the request comes from another site.
 */
export function refusalOf(request: IncomingMessage, hosts: Set<string>, data: boolean): string | undefined {
  const host = request.headers.host?.toLowerCase();
  if (host === undefined || !hosts.has(host)) {
    return 'The inspector answers only requests addressed to this machine by its loopback name (127.0.0.1, localhost or [::1] with the sandbox port). To reach it under another name, start the sandbox with inspector: { hosts: [that name] }.';
  }
  const origin = request.headers.origin;
  if (
    origin !== undefined &&
    !(origin.toLowerCase().startsWith('http://') && hosts.has(origin.slice(7).toLowerCase()))
  ) {
    return 'The inspector does not answer pages on other origins.';
  }
  const site = request.headers['sec-fetch-site'];
  if (data && site !== undefined && site !== 'same-origin' && site !== 'none') {
    return 'The inspector does not answer pages on other origins.';
  }
  return undefined;
}
