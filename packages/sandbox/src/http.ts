import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorResponse, type ProblemResponse, problemResponse, type Refusal } from '@countersign/server';
import { note } from './inspector/notes.ts';

/** Sends a prepared answer. */
export function send(response: ServerResponse, answer: ProblemResponse): void {
  response.writeHead(answer.status, { ...answer.headers }).end(answer.body);
}

/** Problem Reporting refusal, realm `countersign-sandbox`. */
export function refuse(response: ServerResponse, refusal: Refusal): void {
  note(response, { refusal });
  send(response, problemResponse(refusal, 'countersign-sandbox'));
}

/** A request the sandbox could not take (bad target, body too large, …): its 4xx, or 500 for a bug. */
export function fail(response: ServerResponse, error: unknown): void {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  const answer = errorResponse(error);
  note(response, { failure: answer.body });
  send(response, answer);
}

export function sendText(response: ServerResponse, status: number, text: string, headers: Record<string, string> = {}) {
  response.writeHead(status, { 'content-type': 'text/plain', ...headers }).end(text);
}

/**
 * CORS headers for a browser page on another origin; answers the preflight itself.
 * Returns true when the request was a preflight and has been answered.
 */
export function allowBrowsers(request: IncomingMessage, response: ServerResponse): boolean {
  response.setHeader('access-control-allow-origin', request.headers.origin ?? '*');
  response.setHeader('vary', 'Origin');
  response.setHeader('access-control-expose-headers', 'WWW-Authenticate, Location, Date');
  if (request.method !== 'OPTIONS' || request.url === '*') return false;
  response
    .writeHead(204, {
      'access-control-allow-methods': 'GET, POST, PUT, PATCH, DELETE',
      'access-control-allow-headers': 'Authorization, Content-Type',
      'access-control-max-age': '600',
    })
    .end();
  return true;
}
