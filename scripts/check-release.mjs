/**
 * Run before publishing: every package points at the project's real home. The repository
 * URL lives in the root package.json and each package repeats it (npm shows a package's own
 * fields); while it is the example.invalid placeholder, nothing is published.
 */
import { readFileSync } from 'node:fs';
import { PACKAGES } from './workspace-packages.mjs';

const read = (path) => JSON.parse(readFileSync(new URL(`../${path}`, import.meta.url), 'utf8'));
const root = read('package.json');
const home = root.repository.url.replace(/^git\+/, '').replace(/\.git$/, '');
const problems = [];
if (new URL(home).hostname.endsWith('.invalid')) {
  problems.push(`package.json: repository.url is the placeholder ${root.repository.url}; set the real one first`);
}
for (const name of PACKAGES) {
  const manifest = read(`packages/${name}/package.json`);
  const where = `packages/${name}/package.json`;
  if (manifest.repository?.url !== root.repository.url)
    problems.push(`${where}: repository.url differs from the root's`);
  if (manifest.repository?.directory !== `packages/${name}`)
    problems.push(`${where}: repository.directory is not packages/${name}`);
  if (manifest.bugs?.url !== root.bugs.url) problems.push(`${where}: bugs.url differs from the root's`);
  if (!manifest.homepage?.startsWith(home)) problems.push(`${where}: homepage is not under ${home}`);
}
if (problems.length > 0) {
  console.error(`Not ready to publish:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log('Every package points at', home);
