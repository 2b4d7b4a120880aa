import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Each package README opens with its install line, then a quick start: the quick starts run
// as pasted in a fresh project from the packed tarballs (scripts/packages/quick-starts.mjs);
// this checks what a reader sees first.
const root = fileURLToPath(new URL('../..', import.meta.url));
const PACKAGES = readdirSync(`${root}packages`).filter((name) => existsSync(`${root}packages/${name}/package.json`));

const INSTALL = /^(npm install .*\n?)+$/;

function codeBlocks(name: string): { language: string; code: string }[] {
  const readme = readFileSync(`${root}packages/${name}/README.md`, 'utf8');
  return [...readme.matchAll(/```(ts|js|sh)\n([\s\S]*?)\n```/g)].map((match) => ({
    language: match[1] as string,
    code: match[2] as string,
  }));
}

/** The quick start: the first code block that is not the install line. */
function firstCodeBlock(name: string): { language: string; code: string } {
  const block = codeBlocks(name).find(({ code }) => !INSTALL.test(code));
  if (block === undefined) throw new Error(`packages/${name}/README.md has no quick start`);
  return block;
}

describe('every package README opens with its npm install line', () => {
  it.each(PACKAGES)('%s', (name) => {
    const manifest = JSON.parse(readFileSync(`${root}packages/${name}/package.json`, 'utf8'));
    const [first] = codeBlocks(name);
    expect(first?.code).toMatch(INSTALL);
    const installed = (first?.code ?? '').split(/\s+/);
    expect(installed).toContain(manifest.name);
    // Peer dependencies are named (optional ones too, on a line of their own), and so is core
    // wherever the quick start imports it: a strict package manager installs only what is named.
    for (const peer of Object.keys(manifest.peerDependencies ?? {})) expect(installed).toContain(peer);
    if (firstCodeBlock(name).code.includes("from '@countersign/core'"))
      expect(installed).toContain('@countersign/core');
  });
});

describe("the root README's package table lists every package", () => {
  const readme = readFileSync(`${root}README.md`, 'utf8');
  const table = readme.slice(
    readme.indexOf('## Which package for which job'),
    readme.indexOf('\n## ', readme.indexOf('## Which package for which job') + 1),
  );
  it.each(PACKAGES)('%s', (name) => {
    expect(table).toMatch(new RegExp(`@countersign/${name}\\b|\`/${name}\``));
  });
});
