import { type IncomingHttpHeaders, request } from 'node:http';

export interface Answer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/**
 * A GET with headers a browser would send, the Host among them (fetch does not let a caller
 * set it): how a page on another name or origin reaches the sandbox.
 */
export function get(url: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { method, headers }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      const done = () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body });
      // An event stream never ends: what arrived first is enough.
      if (method !== 'HEAD' && response.headers['content-type']?.startsWith('text/event-stream')) {
        response.once('data', (chunk: string) => {
          body += chunk;
          outgoing.destroy();
          done();
        });
        return;
      }
      response.on('data', (chunk: string) => {
        body += chunk;
      });
      response.on('end', done);
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

/** An unsigned request to the sandbox: it is refused, and recorded. */
export async function poke(base: string, path: string): Promise<void> {
  await (await fetch(`${base}${path}`)).arrayBuffer();
}
