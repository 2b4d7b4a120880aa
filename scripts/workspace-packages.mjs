/** The published packages: every folder under packages/ with a package.json, core first. */
import { existsSync, readdirSync } from 'node:fs';

const folder = new URL('../packages/', import.meta.url);
export const PACKAGES = readdirSync(folder)
  .filter((name) => existsSync(new URL(`${name}/package.json`, folder)))
  .sort((a, b) => (a === 'core' ? -1 : b === 'core' ? 1 : a.localeCompare(b)));
