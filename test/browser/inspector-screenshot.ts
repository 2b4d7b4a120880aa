/**
 * Takes the README's screenshot of the inspector (docs/inspector.png) from the real page:
 * the demo's sandbox flows run, then, before the sandbox closes, Chromium opens its
 * inspector on the demo's deliberate + mistake. Run after changing the page:
 *
 *   node --import tsx test/browser/inspector-screenshot.ts
 */
import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { sandboxFlows } from '../../examples/demo/sandbox-flows.ts';

const output = fileURLToPath(new URL('../../docs/inspector.png', import.meta.url));

const failures = await sandboxFlows({
  async beforeClose(sandbox) {
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
        '--font-render-hinting=none',
      ],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
      await page.goto(sandbox.inspectorUrl ?? '');
      await page.locator('#requests button', { hasText: '/1/search?q=1+1' }).click();
      // The list's own focus ring is not part of the picture.
      await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
      await page.screenshot({ path: output });
    } finally {
      await browser.close();
    }
  },
});
if (failures > 0) throw new Error('the demo failed: no screenshot');
console.log(`${output}: ${Math.round(statSync(output).size / 1024)} KB`);
