import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createSigner } from '@countersign/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { type GeneratedCase, generateCases } from './oauthlib/generate.ts';

const VERIFY_SCRIPT = fileURLToPath(new URL('./oauthlib/verify.py', import.meta.url));
const CASES = 1200;

/** Debian's python3 carries python3-oauthlib; a pyenv or venv python3 on PATH may not. */
function pythonWithOauthlib(): string {
  for (const candidate of ['/usr/bin/python3', 'python3']) {
    if (candidate.startsWith('/') && !existsSync(candidate)) continue;
    const probe = spawnSync(candidate, ['-c', 'import oauthlib, jwt, cryptography'], { encoding: 'utf8' });
    if (probe.status === 0) return candidate;
  }
  throw new Error(
    'No python3 with oauthlib, jwt and cryptography: apt-get install -y python3-oauthlib python3-jwt python3-cryptography',
  );
}

interface Verdict {
  id: number;
  ok: boolean;
  error?: string;
}

function judge(python: string, requests: object[]): Map<number, Verdict> {
  const run = spawnSync(python, [VERIFY_SCRIPT], {
    input: requests.map((request) => JSON.stringify(request)).join('\n'),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.status !== 0) throw new Error(`oauthlib judge failed: ${run.stderr}`);
  const verdicts = run.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Verdict);
  return new Map(verdicts.map((verdict) => [verdict.id, verdict]));
}

/**
 * The URL a server reconstructs: scheme, host and port as the caller wrote them (mixed
 * case, explicit default ports, so oauthlib normalizes them itself), path and query as
 * fetch sends them (dot segments resolved).
 */
function asReceived(url: string): string {
  const origin = /^[A-Za-z]+:\/\/[^/?#]+/.exec(url)?.[0] as string;
  const parsed = new URL(url);
  return origin + parsed.pathname + parsed.search;
}

async function sign(generated: GeneratedCase) {
  const signer = createSigner({
    consumerKey: `ck-${generated.id}`,
    consumerSecret: generated.consumerSecret,
    privateKey: generated.privateKey,
    signatureMethod: generated.signatureMethod,
    token: generated.token,
    tokenSecret: generated.token === undefined ? undefined : generated.tokenSecret,
    realm: generated.realm,
    // Signed to be judged, never sent: PLAINTEXT cases over http are generated on purpose.
    allowPlaintextOverHttp: true,
  });
  const signed = await signer.sign(
    { method: generated.method, url: generated.url, body: generated.body, contentType: generated.contentType },
    { oauthParams: generated.oauthParams, bodyHash: generated.bodyHash },
  );
  return {
    id: generated.id,
    signatureMethod: generated.signatureMethod,
    method: generated.method,
    url: asReceived(generated.url),
    body: generated.body,
    contentType: generated.contentType,
    authorization: signed.authorization,
    consumerSecret: generated.consumerSecret,
    tokenSecret: generated.tokenSecret,
    publicKey: generated.publicKey,
  };
}

describe('agreement with oauthlib (python3-oauthlib, an implementation we did not write)', () => {
  let python: string;
  let signed: Array<Awaited<ReturnType<typeof sign>>>;
  beforeAll(async () => {
    python = pythonWithOauthlib();
    signed = await Promise.all(generateCases(CASES).map(sign));
  });

  it(`oauthlib verifies all ${CASES} generated requests, every signature method included`, () => {
    const verdicts = judge(python, signed);
    const disagreements = signed.filter((request) => !verdicts.get(request.id)?.ok);
    const report = disagreements.slice(0, 5).map((request) => ({
      ...request,
      consumerSecret: undefined,
      tokenSecret: undefined,
      verdict: verdicts.get(request.id),
    }));
    expect(verdicts.size).toBe(CASES);
    expect(report).toEqual([]);
    const methods = new Set(signed.map((request) => request.signatureMethod));
    expect(methods.size).toBe(6);
    expect(
      signed.filter((r) => r.body !== undefined && r.contentType?.toLowerCase().includes('form')).length,
    ).toBeGreaterThan(100);
    expect(signed.filter((r) => r.url.includes('+')).length).toBeGreaterThan(100);
    expect(signed.filter((r) => r.authorization?.includes('oauth_body_hash')).length).toBeGreaterThan(20);
  });

  it('and rejects every one of them once a single signed byte changes (the check can fail)', () => {
    const tampered = signed
      .filter((_, index) => index % 6 === 0)
      .map((request) => {
        const url = new URL(request.url);
        url.searchParams.append('tampered', '1');
        return { ...request, url: url.href };
      });
    const verdicts = judge(python, tampered);
    expect(tampered.filter((request) => verdicts.get(request.id)?.ok)).toEqual([]);
  });
});
