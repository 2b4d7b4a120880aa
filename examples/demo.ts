/**
 * The main job: sign the published example requests and check every signature, then run
 * whole flows against a strict provider over HTTP and explain a refusal. Secrets are
 * redacted in everything printed. Exits 1 if any step fails.
 *
 * Run: npx -y pnpm@10.34.8 demo
 */
import { publishedVectors } from './demo/published-vectors.ts';
import { sandboxFlows } from './demo/sandbox-flows.ts';

const failures = (await publishedVectors()) + (await sandboxFlows());
console.log(failures === 0 ? '\nEvery step of the demo succeeded.' : `\n${failures} step(s) failed.`);
process.exitCode = failures === 0 ? 0 : 1;
