import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const VERIFY_SCRIPT = fileURLToPath(new URL('./verify.py', import.meta.url));

/** Debian's python3 carries python3-oauthlib; a pyenv or venv python3 on PATH may not. */
export function pythonWithOauthlib(): string {
  for (const candidate of ['/usr/bin/python3', 'python3']) {
    if (candidate.startsWith('/') && !existsSync(candidate)) continue;
    if (spawnSync(candidate, ['-c', 'import oauthlib, jwt, cryptography']).status === 0) return candidate;
  }
  throw new Error(
    'No python3 with oauthlib, jwt and cryptography: apt-get install -y python3-oauthlib python3-jwt python3-cryptography',
  );
}

/** A request as oauthlib should judge it: the server's view, OAuth parameters in the header. */
export interface JudgedRequest {
  signatureMethod: string;
  method: string;
  url: string;
  authorization?: string;
  body?: string;
  contentType?: string;
  consumerSecret: string;
  tokenSecret: string;
  publicKey?: string;
}

export interface Verdict {
  ok: boolean;
  error?: string;
}

/** One long-lived oauthlib process that verifies requests as they arrive. */
export interface OauthlibJudge {
  judge(request: JudgedRequest): Promise<Verdict>;
  close(): void;
}

export function startOauthlibJudge(): OauthlibJudge {
  const child: ChildProcessWithoutNullStreams = spawn(pythonWithOauthlib(), [VERIFY_SCRIPT]);
  const waiting = new Map<number, (verdict: Verdict) => void>();
  let next = 0;
  createInterface({ input: child.stdout }).on('line', (line) => {
    const verdict = JSON.parse(line) as Verdict & { id: number };
    waiting.get(verdict.id)?.({ ok: verdict.ok, error: verdict.error });
    waiting.delete(verdict.id);
  });
  return {
    judge(request) {
      const id = next++;
      return new Promise((resolve) => {
        waiting.set(id, resolve);
        child.stdin.write(`${JSON.stringify({ id, ...request })}\n`);
      });
    },
    close() {
      child.stdin.end();
      child.kill();
    },
  };
}
