import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { InspectorLog, StoredEntry } from './log.ts';

/**
 * What one page may have waiting unsent before its stream is dropped: a page that stopped
 * reading must not make the sandbox hold every entry for it. Dropped, not ended (an end
 * waits for the unsent data); the page's EventSource reconnects with Last-Event-ID and gets
 * what the log still keeps.
 */
const MAX_UNSENT = 1024 * 1024;

/** The live stream of entries (server-sent events), to at most `maxViewers` pages at once. */
export function createEventStreams(log: InspectorLog, maxViewers: number) {
  const open = new Set<ServerResponse>();
  // Event ids name this sandbox too: a page that outlived a sandbox restarted on the same
  // port must get the new one's entries from the first, not only those past its old last id.
  const instance = randomBytes(4).toString('hex');
  // JSON.stringify escapes line breaks, so an entry is one data line whatever it holds.
  const event = (entry: StoredEntry) => `id: ${instance}.${entry.id}\nevent: entry\ndata: ${entry.json}\n\n`;
  const lastEventId = (request: IncomingMessage): number | undefined => {
    const header = request.headers['last-event-id'];
    const match = typeof header === 'string' ? /^([0-9a-f]{8})\.(\d{1,15})$/.exec(header) : null;
    return match?.[1] === instance ? Number(match[2]) : undefined;
  };
  return {
    serve(request: IncomingMessage, response: ServerResponse, headers: Record<string, string>): void {
      if (open.size >= maxViewers) {
        response
          .writeHead(503, { ...headers, 'content-type': 'text/plain; charset=utf-8', 'retry-after': '10' })
          .end(`The inspector already streams to ${maxViewers} pages: close one, or raise inspector.maxViewers.`);
        return;
      }
      open.add(response);
      response.writeHead(200, {
        ...headers,
        'content-type': 'text/event-stream; charset=utf-8',
        'x-accel-buffering': 'no',
      });
      // The page learns how many entries the sandbox keeps, so it keeps no more, and which sandbox this is.
      response.write(`event: hello\ndata: ${JSON.stringify({ maxRequests: log.maxRequests, instance })}\n\n`);
      for (const entry of log.entries(lastEventId(request))) response.write(event(entry));
      const unsubscribe = log.subscribe((entry) => {
        if (response.writableLength > MAX_UNSENT) {
          response.destroy();
          return;
        }
        response.write(event(entry));
      });
      response.once('close', () => {
        unsubscribe();
        open.delete(response);
      });
    },
    get viewers(): number {
      return open.size;
    },
  };
}
