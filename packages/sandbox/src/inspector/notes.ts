import type { ServerResponse } from 'node:http';
import type { VerifyResult } from '@countersign/server';
import type { ArrivedRequest } from '../verification.ts';

/** What the routes learned about one request, read by the inspector once the answer is sent. */
export interface RequestNotes {
  /** The request as read (target checked, body read). */
  arrived?: ArrivedRequest;
  /** The verifier's result, when it ran. */
  verdict?: VerifyResult;
  /** The refusal sent, whoever refused (the verifier, a route, a provider profile). */
  refusal?: { readonly problem: string; readonly advice: string; readonly acceptableTimestamps?: string };
  /** Why a request could not be taken at all (bad target, body too large): the error's message. */
  failure?: string;
}

// Keyed by the response, so a note lives exactly as long as the exchange it describes.
const notes = new WeakMap<ServerResponse, RequestNotes>();

/** Adds what a route learned about the request this response answers. */
export function note(response: ServerResponse, learned: RequestNotes): void {
  const current = notes.get(response);
  if (current === undefined) notes.set(response, { ...learned });
  else Object.assign(current, learned);
}

/** Everything noted for this response (nothing when no route got that far). */
export function notesOf(response: ServerResponse): RequestNotes {
  return notes.get(response) ?? {};
}
