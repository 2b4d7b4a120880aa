/**
 * The main job: sign the published example requests and check every signature, then run
 * whole flows against a strict provider over HTTP and explain two refusals, which its
 * inspector page shows as well. Secrets are redacted in everything printed. Exits 1 if any
 * step fails.
 *
 * Run: npx -y pnpm@10.34.8 demo
 * With --keep-open the sandbox and its inspector stay up after the last step, until Ctrl-C.
 */
import type { Sandbox } from '@countersign/sandbox';
import { publishedVectors } from './demo/published-vectors.ts';
import { sandboxFlows } from './demo/sandbox-flows.ts';

async function untilCtrlC(sandbox: Sandbox): Promise<void> {
  console.log(`\nThe sandbox stays up: open ${sandbox.inspectorUrl} to see every request. Ctrl-C to stop.`);
  await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
}

const keepOpen = process.argv.includes('--keep-open');
const failures = (await publishedVectors()) + (await sandboxFlows(keepOpen ? { beforeClose: untilCtrlC } : {}));
console.log(failures === 0 ? '\nEvery step of the demo succeeded.' : `\n${failures} step(s) failed.`);
process.exitCode = failures === 0 ? 0 : 1;
