import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { pythonWithOauthlib } from './judge.ts';

export interface OauthlibProviderConfig {
  readonly consumers: Record<string, { secret: string; methods: string[] }>;
  readonly tokens: Record<string, string>;
}

/** Starts test/oauthlib/provider.py (oauthlib behind Python's HTTP server) on a free loopback port. */
export async function startOauthlibProvider(config: OauthlibProviderConfig): Promise<{ url: string; close(): void }> {
  const child = spawn(pythonWithOauthlib(), [fileURLToPath(new URL('./provider.py', import.meta.url))], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  child.stdin.write(`${JSON.stringify(config)}\n`);
  const port = await new Promise<string>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the oauthlib provider exited with ${code}`)));
    createInterface({ input: child.stdout }).once('line', resolve);
  });
  return { url: `http://127.0.0.1:${port}`, close: () => child.kill() };
}
