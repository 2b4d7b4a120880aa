import type { IncomingMessage } from 'node:http';
import { baseStringUri, isSensitiveName, normalizeParameters, REDACTED, signatureBaseString } from '@countersign/core';
import { type ReceivedParameters, receivedParameters } from '@countersign/server';
import { likelyCauses, type ShownCause } from './causes.ts';
import type { RequestNotes } from './notes.ts';
import { inert, shownAuthorization, shownBaseString, shownBody, shownText, shownUrl } from './shown.ts';

/** How the sandbox judged a request: its signature verified, it was refused, or nothing was verified (a page, a bad target). */
export type InspectorVerdict = 'verified' | 'refused' | 'not verified';

/** A parameter as it arrived, decoded, with where it came from. */
export interface ReceivedParameter {
  readonly source: 'header' | 'query' | 'body';
  readonly name: string;
  readonly value: string;
}

/** One request as the inspector shows it. Every text is redacted, inert and bounded. */
export interface InspectorEntry {
  readonly id: number;
  /** When it arrived, by the sandbox's clock (ISO 8601). */
  readonly time: string;
  readonly method: string;
  readonly url: string;
  readonly status: number;
  readonly verdict: InspectorVerdict;
  readonly consumer?: string;
  readonly token?: string;
  readonly signatureMethod?: string;
  /** The Problem Reporting code of a refusal (`oauth_problem`). */
  readonly problem?: string;
  /** The sandbox's advice with a refusal, or why it could not take the request. */
  readonly advice?: string;
  readonly acceptableTimestamps?: string;
  /** With `timestamp_refused`: the request's timestamp minus the sandbox's clock, in seconds. */
  readonly timestampOffsetSeconds?: number;
  /** The base string the sandbox computed (verified against, or refused with). */
  readonly baseString?: string;
  /** True when the verifier stopped before the signature and the sandbox rebuilt the base string to show it. */
  readonly baseStringRebuilt?: boolean;
  /** The client's base string, when known. */
  readonly clientBaseString?: string;
  /** `reproduced`: a classic mistake's base string verifies the signature; `sent`: the client sent it (X-Countersign-Base-String). */
  readonly clientBaseStringFrom?: 'reproduced' | 'sent';
  readonly causes: readonly ShownCause[];
  readonly parameters: readonly ReceivedParameter[];
  /** Why the parameters are not listed, or how many more there were. */
  readonly parametersNote?: string;
  readonly authorization?: string;
  readonly contentType?: string;
  readonly body?: string;
}

/** The header a client may send its own base string in, for the inspector to compare (as sent, unchecked). */
export const CLIENT_BASE_STRING_HEADER = 'x-countersign-base-string';

// Bounds per text, in characters: an entry stays under MAX_ENTRY_BYTES once serialized,
// however large or hostile the request was.
const URL_LENGTH = 2048;
const WORD_LENGTH = 200;
const BASE_STRING_LENGTH = 12 * 1024;
const HEADER_LENGTH = 2048;
const BODY_LENGTH = 2048;
const ADVICE_LENGTH = 2048;
const NAME_LENGTH = 80;
const VALUE_LENGTH = 240;
const LISTED_PARAMETERS = 40;
/** Requests larger than this (query and body) are listed without their parameters or a rebuilt base string. */
const READ_AT_MOST = 64 * 1024;
/** The most an entry takes once serialized, in UTF-16 code units of its JSON. */
export const MAX_ENTRY_LENGTH = 64 * 1024;

const SIGNING_METHOD = /^(?:HMAC|RSA)-SHA(?:1|256|512)$/;
const BASE_STRING_SHAPE = /^[A-Za-z]{1,20}&[A-Za-z0-9%._~-]+&[A-Za-z0-9%._~-]*$/;

function received(notes: RequestNotes): ReceivedParameters | undefined {
  const arrived = notes.arrived;
  if (arrived === undefined || arrived.url.search.length + arrived.body.byteLength > READ_AT_MOST) return undefined;
  try {
    const parameters = receivedParameters(arrived);
    return parameters.problem === undefined ? parameters : undefined;
  } catch {
    return undefined;
  }
}

function pairsOf(parameters: ReceivedParameters): ReceivedParameter[] {
  return [
    ...parameters.header.map(([name, value]) => ({ source: 'header' as const, name, value })),
    ...parameters.query.map(([name, value]) => ({ source: 'query' as const, name, value })),
    ...parameters.body.map(([name, value]) => ({ source: 'body' as const, name, value })),
  ];
}

function firstValue(pairs: readonly ReceivedParameter[], name: string): string | undefined {
  return pairs.find((pair) => pair.name === name)?.value;
}

/** The base string a client sent in X-Countersign-Base-String, when it has a base string's shape. */
function sentBaseString(request: IncomingMessage): string | undefined {
  const header = request.headers[CLIENT_BASE_STRING_HEADER];
  const value = typeof header === 'string' ? header.trim() : undefined;
  return value !== undefined && BASE_STRING_SHAPE.test(value) ? value : undefined;
}

/**
 * Builds the inspector's record of one answered request from what the routes noted. Nothing
 * raw is kept: every text is redacted (passwords, secrets, a PLAINTEXT signature, private
 * keys), made inert and cut to its bound here.
 */
export function inspectorEntry(
  id: number,
  time: number,
  request: IncomingMessage,
  status: number,
  notes: RequestNotes,
  origin: string,
): InspectorEntry {
  const arrived = notes.arrived;
  const parameters = received(notes);
  const pairs = parameters === undefined ? [] : pairsOf(parameters);
  const method = firstValue(pairs, 'oauth_signature_method');
  // Unknown or PLAINTEXT: the signature may be the secrets themselves.
  const signatureIsSecret = method === undefined || !SIGNING_METHOD.test(method);
  const verdict = notes.verdict;
  const refusal = notes.refusal;
  let baseString = verdict?.baseString;
  let rebuilt = false;
  if (baseString === undefined && parameters !== undefined && method !== undefined) {
    const signed = pairs
      .filter((pair) => pair.name !== 'oauth_signature')
      .map((pair) => [pair.name, pair.value] as const);
    baseString = signatureBaseString(parameters.method, baseStringUri(parameters.url), normalizeParameters(signed));
    rebuilt = true;
  }
  const reproduced = verdict?.ok === false ? verdict.diagnosis?.clientBaseString : undefined;
  const sent = reproduced === undefined ? sentBaseString(request) : undefined;
  const clientBaseString = reproduced ?? sent;
  const consumer = firstValue(pairs, 'oauth_consumer_key');
  const token = firstValue(pairs, 'oauth_token');
  const listed = pairs.slice(0, LISTED_PARAMETERS).map((pair) => ({
    source: pair.source,
    name: inert(pair.name, NAME_LENGTH),
    value:
      isSensitiveName(pair.name) || (pair.name === 'oauth_signature' && signatureIsSecret)
        ? REDACTED
        : inert(pair.value, VALUE_LENGTH),
  }));
  const parametersNote =
    arrived === undefined
      ? undefined
      : parameters === undefined
        ? `The parameters are not listed: the request is larger than ${READ_AT_MOST / 1024} KB or could not be read.`
        : pairs.length > LISTED_PARAMETERS
          ? `${pairs.length - LISTED_PARAMETERS} more parameters are not listed.`
          : undefined;
  const timestamp = firstValue(pairs, 'oauth_timestamp');
  const offset =
    refusal?.problem === 'timestamp_refused' && timestamp !== undefined && /^\d{1,12}$/.test(timestamp)
      ? Number(timestamp) - Math.floor(time / 1000)
      : Number.NaN;
  const url = arrived?.url.href ?? `${origin}${request.url ?? ''}`;
  const advice = refusal?.advice ?? notes.failure;
  return {
    id,
    time: Number.isFinite(time) ? new Date(time).toISOString() : '',
    method: inert(arrived?.method ?? request.method ?? '', WORD_LENGTH),
    url: shownUrl(url, signatureIsSecret, URL_LENGTH),
    status,
    verdict: refusal !== undefined ? 'refused' : verdict?.ok === true ? 'verified' : 'not verified',
    ...(consumer === undefined ? {} : { consumer: inert(consumer, WORD_LENGTH) }),
    ...(token === undefined ? {} : { token: inert(token, WORD_LENGTH) }),
    ...(method === undefined ? {} : { signatureMethod: inert(method, WORD_LENGTH) }),
    ...(refusal === undefined ? {} : { problem: inert(refusal.problem, WORD_LENGTH) }),
    ...(advice === undefined ? {} : { advice: shownText(advice, ADVICE_LENGTH) }),
    ...(refusal?.acceptableTimestamps === undefined
      ? {}
      : { acceptableTimestamps: inert(refusal.acceptableTimestamps, WORD_LENGTH) }),
    ...(Number.isFinite(offset) ? { timestampOffsetSeconds: offset } : {}),
    ...(baseString === undefined
      ? {}
      : {
          baseString: shownBaseString(baseString, BASE_STRING_LENGTH),
          ...(rebuilt ? { baseStringRebuilt: true } : {}),
        }),
    ...(clientBaseString === undefined
      ? {}
      : {
          clientBaseString: shownBaseString(clientBaseString, BASE_STRING_LENGTH),
          clientBaseStringFrom: reproduced === undefined ? 'sent' : 'reproduced',
        }),
    causes: likelyCauses(notes, status, baseString, sent),
    parameters: listed,
    ...(parametersNote === undefined ? {} : { parametersNote }),
    ...(arrived?.authorization === undefined
      ? {}
      : { authorization: shownAuthorization(arrived.authorization, signatureIsSecret, HEADER_LENGTH) }),
    ...(arrived?.contentType === undefined ? {} : { contentType: inert(arrived.contentType, WORD_LENGTH) }),
    ...(arrived === undefined || arrived.body.byteLength === 0
      ? {}
      : { body: shownBody(arrived.body, arrived.contentType, signatureIsSecret, BODY_LENGTH) }),
  };
}

/** The entry as JSON, within MAX_ENTRY_LENGTH: a hostile request's entry loses its listings first. */
export function serializedEntry(entry: InspectorEntry): string {
  const json = JSON.stringify(entry);
  if (json.length <= MAX_ENTRY_LENGTH) return json;
  const { parameters: _parameters, body: _body, authorization: _authorization, ...rest } = entry;
  return JSON.stringify({
    ...rest,
    parameters: [],
    parametersNote: 'The parameters, headers and body are not listed: this request is too large to show.',
    url: rest.url.slice(0, 512),
    ...(rest.baseString === undefined ? {} : { baseString: rest.baseString.slice(0, 4096) }),
    ...(rest.clientBaseString === undefined ? {} : { clientBaseString: rest.clientBaseString.slice(0, 4096) }),
  });
}
