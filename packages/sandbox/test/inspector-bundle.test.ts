import { expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without types.
import { bundleInspectorScript } from '../scripts/bundle-inspector.mjs';
import { INSPECTOR_SCRIPT } from '../src/inspector/page-script.generated.ts';

it('the page script the sandbox serves is the bundle of src/inspector/page as it is now', async () => {
  const fresh = (await bundleInspectorScript()) as string;
  // If this fails: node packages/sandbox/scripts/bundle-inspector.mjs, and commit the result.
  expect(INSPECTOR_SCRIPT === fresh, 'page-script.generated.ts is stale').toBe(true);
  // Nothing of Node in a page's script, and no markup written from data.
  expect(fresh).not.toMatch(/\bnode:|require\(|\.innerHTML\s*=|insertAdjacentHTML|document\.write/);
});
