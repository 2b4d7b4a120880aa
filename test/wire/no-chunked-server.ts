import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** What the Python server saw. */
export interface NoChunkedArrival {
  readonly contentLength: string | null;
  readonly transferEncoding: string | null;
  readonly body: string;
}

/** Starts Python's http.server-based echo (no chunked reading) on a free loopback port. */
export async function startNoChunkedServer(): Promise<{ url: string; close(): void }> {
  const child = spawn('python3', [fileURLToPath(new URL('./no-chunked-server.py', import.meta.url))], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<string>((resolve, reject) => {
    child.once('error', reject);
    createInterface({ input: child.stdout }).once('line', resolve);
  });
  return { url: `http://127.0.0.1:${port}`, close: () => child.kill() };
}
