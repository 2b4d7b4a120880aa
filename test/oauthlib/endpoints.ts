import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { pythonWithOauthlib } from './judge.ts';

/**
 * Starts test/oauthlib/endpoints.py: oauthlib's RequestTokenEndpoint, AccessTokenEndpoint
 * and ResourceEndpoint behind Python's HTTP server, on a free loopback port.
 */
export async function startOauthlibEndpoints(
  consumers: Record<string, string>,
): Promise<{ url: string; close(): void }> {
  const child = spawn(pythonWithOauthlib(), [fileURLToPath(new URL('./endpoints.py', import.meta.url))], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  child.stdin.write(`${JSON.stringify({ consumers })}\n`);
  const port = await new Promise<string>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the oauthlib endpoints exited with ${code}`)));
    createInterface({ input: child.stdout }).once('line', resolve);
  });
  return { url: `http://127.0.0.1:${port}`, close: () => child.kill() };
}
