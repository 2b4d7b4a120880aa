import { inertText } from '@countersign/core';

interface Cause {
  readonly code?: string;
  readonly message?: string;
  readonly hostname?: string;
  readonly address?: string;
  readonly port?: number;
}

// The certificate failures Node reports by code, in words.
const CERTIFICATE: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'it is self-signed',
  SELF_SIGNED_CERT_IN_CHAIN: 'its chain ends in a self-signed certificate',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'its issuer is not known here',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'its issuer is not known here',
  UNABLE_TO_GET_ISSUER_CERT: 'its issuer is not known here',
  CERT_HAS_EXPIRED: 'it has expired',
  CERT_NOT_YET_VALID: 'it is not valid yet (or this machine’s clock is behind)',
  ERR_TLS_CERT_ALTNAME_INVALID: 'it is for another host name',
  CERT_REVOKED: 'it has been revoked',
};

function where(cause: Cause, url: URL | undefined): string {
  if (url !== undefined) return url.host;
  if (cause.hostname !== undefined) return cause.hostname;
  if (cause.address !== undefined) return cause.port === undefined ? cause.address : `${cause.address}:${cause.port}`;
  return 'the server';
}

/**
 * What a failed `fetch` means to someone at a shell, and what to do about it: fetch itself
 * says only "fetch failed", and the reason sits in its `cause` as a code.
 */
export function describeNetworkFailure(error: unknown, target?: string): string | undefined {
  if (!(error instanceof TypeError) || error.message !== 'fetch failed') return undefined;
  const cause = (error.cause ?? {}) as Cause;
  const url = target !== undefined && URL.canParse(target) ? new URL(target) : undefined;
  const host = where(cause, url);
  const code = cause.code ?? '';
  if (code === 'ECONNREFUSED') {
    return `nothing is listening at ${host} (connection refused): check the URL's host and port, and that the server is running.`;
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME') {
    return `the host ${url?.hostname ?? host} was not found (DNS${code === 'EAI_AGAIN' ? ', no answer' : ''}): check its spelling, and that this machine can resolve names.`;
  }
  if (Object.hasOwn(CERTIFICATE, code)) {
    return `the TLS certificate of ${host} was refused: ${CERTIFICATE[code]}. If it is your own test server, let Node trust its CA with NODE_EXTRA_CA_CERTS=ca.pem; never turn verification off for a real provider.`;
  }
  if (code === 'ERR_SSL_WRONG_VERSION_NUMBER' || code === 'EPROTO' || code.startsWith('ERR_SSL_')) {
    return `${host} did not answer in TLS: is it http:// rather than https://, or the wrong port?`;
  }
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE') {
    return `${host} closed the connection before answering (reset): the server, a proxy or a firewall dropped the request; try again, and check the port is the server's.`;
  }
  if (code === 'ETIMEDOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') {
    return `connecting to ${host} timed out: check the host and port, and any firewall in between.`;
  }
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
    return `${host} took the request but did not answer in time: try again later, or with a longer --timeout.`;
  }
  if (cause.message === 'bad port') {
    return `fetch refuses to connect to port ${url?.port || '?'} (a port browsers block for safety): use another port.`;
  }
  return `the request to ${host} could not be sent: ${inertText(String(cause.message ?? (code || 'unknown reason')), 200)}.`;
}

/** A request that never got an answer, said in words: printed as it is, exit code 1. */
export class NetworkFailure extends Error {
  override name = 'NetworkFailure';
}
