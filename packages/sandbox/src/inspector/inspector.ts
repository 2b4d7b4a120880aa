import type { IncomingMessage, ServerResponse } from 'node:http';
import { inspectorEntry, serializedEntry } from './entry.ts';
import { createEventStreams } from './events.ts';
import { allowedHosts, refusalOf } from './guard.ts';
import { createInspectorLog } from './log.ts';
import { notesOf } from './notes.ts';
import type { InspectorSettings } from './options.ts';
import { INSPECTOR_CSS } from './page-css.ts';
import { INSPECTOR_HTML } from './page-html.ts';
import { INSPECTOR_SCRIPT } from './page-script.generated.ts';

/** Where the inspector lives on the sandbox's origin. */
export const INSPECTOR_PATH = '/_countersign/';

// A large request's entry is cut to 64 KB; the log as a whole keeps at most this many characters.
const MAX_LOG_LENGTH = 4 * 1024 * 1024;

// Every answer: never cached, never framed, never read by another origin, and the page runs
// only its own script (a request that carries markup cannot add any).
const HEADERS = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-resource-policy': 'same-origin',
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
};

const FILES: Record<string, { type: string; body: string }> = {
  '': { type: 'text/html; charset=utf-8', body: INSPECTOR_HTML },
  'inspector.js': { type: 'text/javascript; charset=utf-8', body: INSPECTOR_SCRIPT },
  'inspector.css': { type: 'text/css; charset=utf-8', body: INSPECTOR_CSS },
  // The page's own icon, so a browser showing it does not ask the sandbox for /favicon.ico (a request the list would show).
  'favicon.svg': {
    type: 'image/svg+xml',
    body: '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#1a4fd6"/><path d="M4 8.5l2.5 2.5L12 5" stroke="#fff" stroke-width="2" fill="none"/></svg>',
  },
};

function pathOf(request: IncomingMessage): string {
  const target = request.url ?? '';
  const query = target.indexOf('?');
  return query === -1 ? target : target.slice(0, query);
}

/**
 * The inspector: records every request the sandbox answers (redacted, bounded) and serves
 * the page, the list (`requests`) and the live stream (`events`) under `/_countersign/`, to
 * loopback pages only.
 */
export function createInspector(origin: string, port: number, settings: InspectorSettings, now: () => number) {
  const log = createInspectorLog(settings.maxRequests, MAX_LOG_LENGTH);
  const streams = createEventStreams(log, settings.maxViewers);
  const hosts = allowedHosts(port, settings.hosts);
  let lastId = 0;

  function answer(response: ServerResponse, status: number, type: string, body: string, head: boolean): void {
    response.writeHead(status, { ...HEADERS, 'content-type': type }).end(head ? undefined : body);
  }

  return {
    url: `${origin}${INSPECTOR_PATH}`,

    /** True for the inspector's own paths, which it answers itself and never records. */
    handles(request: IncomingMessage): boolean {
      const path = pathOf(request);
      return path === '/_countersign' || path.startsWith(INSPECTOR_PATH);
    },

    serve(request: IncomingMessage, response: ServerResponse): void {
      const path = pathOf(request);
      const name = path.slice(INSPECTOR_PATH.length);
      const data = name === 'requests' || name === 'events';
      const refusal = refusalOf(request, hosts, data);
      const text = 'text/plain; charset=utf-8';
      if (refusal !== undefined) {
        answer(response, 403, text, refusal, false);
        return;
      }
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        response.setHeader('allow', 'GET, HEAD');
        answer(response, 405, text, 'The inspector is read with GET.', false);
        return;
      }
      const head = request.method === 'HEAD';
      if (path === '/_countersign') {
        response.writeHead(308, { ...HEADERS, location: INSPECTOR_PATH }).end();
        return;
      }
      if (name === 'events') {
        // A HEAD learns the type without holding one of the stream's places.
        if (head) answer(response, 200, 'text/event-stream; charset=utf-8', '', true);
        else streams.serve(request, response, HEADERS);
        return;
      }
      if (name === 'requests') {
        const list = `[${log
          .entries()
          .reverse()
          .map((entry) => entry.json)
          .join(',')}]`;
        answer(response, 200, 'application/json; charset=utf-8', list, head);
        return;
      }
      const file = Object.hasOwn(FILES, name) ? FILES[name] : undefined;
      if (file === undefined) answer(response, 404, text, 'No such page in the inspector.', head);
      else answer(response, 200, file.type, file.body, head);
    },

    /** Keeps a record of this request once its answer is sent (or the client went away). */
    record(request: IncomingMessage, response: ServerResponse): void {
      const time = now();
      response.once('close', () => {
        const id = ++lastId;
        const status = response.headersSent ? response.statusCode : 0;
        let json: string;
        try {
          json = serializedEntry(inspectorEntry(id, time, request, status, notesOf(response), origin));
        } catch {
          // The sandbox answered; only its record failed. Keep a trace rather than nothing.
          json = JSON.stringify({
            id,
            time: '',
            method: '',
            url: '',
            status,
            verdict: 'not verified',
            causes: [],
            parameters: [],
            parametersNote: 'The inspector could not read this request.',
          });
        }
        log.add({ id, json });
      });
    },
  };
}

/** The inspector a sandbox runs. */
export type Inspector = ReturnType<typeof createInspector>;
