/**
 * Packs every built package as it would be published (pnpm applies publishConfig), then
 * lints each tarball: publint --strict and arethetypeswrong, both run in this process (their
 * CLIs start Node, and attw's loads TypeScript, again for every tarball). Writes the
 * tarballs' paths for the checks that install them.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkPackage, createPackageFromTarballData } from '@arethetypeswrong/core';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { PACKAGES } from '../workspace-packages.mjs';
import { root, run } from './run.mjs';

export const PACKED = join(root, '.countersign-tmp', 'packed');
export const TARBALLS = join(PACKED, 'tarballs.json');

/** pnpm as the test run was started with it (npm_execpath), else through npx. */
export function pnpm(args) {
  const execpath = process.env.npm_execpath;
  return execpath !== undefined && /pnpm/.test(execpath)
    ? [process.execPath, [execpath, ...args]]
    : ['npx', ['-y', 'pnpm@10.34.8', ...args]];
}

async function lint(name, tarball) {
  const bytes = readFileSync(tarball);
  // publint in this process, as its CLI runs it on a tarball (`publint --strict file.tgz`):
  // strict makes every warning an error, and errors fail. A CLI per tarball cost a Node start each.
  const { messages, pkg } = await publint({
    pack: { tarball: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) },
    strict: true,
  });
  const errors = messages.filter((message) => message.type === 'error');
  if (errors.length > 0) {
    const lines = errors.map((message) => `  - ${formatMessage(message, pkg) ?? message.code}`);
    throw new Error(`@countersign/${name} fails publint --strict:\n${lines.join('\n')}`);
  }
  const analysis = await checkPackage(createPackageFromTarballData(new Uint8Array(bytes)));
  // The strict profile of attw's CLI: every problem fails.
  const problems = analysis.types === false ? [{ kind: 'NoTypes' }] : analysis.problems;
  if (problems.length > 0) {
    const kinds = [
      ...new Set(
        problems.map(
          (problem) =>
            `${problem.kind}${problem.entrypoint ? ` (${problem.entrypoint}, ${problem.resolutionKind})` : ''}`,
        ),
      ),
    ];
    throw new Error(`@countersign/${name} fails arethetypeswrong: ${kinds.join('; ')}`);
  }
}

export async function packPackages({ log = () => {} } = {}) {
  rmSync(PACKED, { recursive: true, force: true });
  mkdirSync(PACKED, { recursive: true });
  // One pnpm packs them all (the same tarballs, byte for byte, as one `pnpm pack` in each
  // package): a pnpm start per package cost more than the packing.
  const filters = PACKAGES.flatMap((name) => ['--filter', `./packages/${name}`]);
  const [command, args] = pnpm(['-r', ...filters, 'pack', '--pack-destination', PACKED]);
  await run(command, args, { cwd: root });
  const tarballs = {};
  for (const name of PACKAGES) {
    const { version } = JSON.parse(readFileSync(join(root, 'packages', name, 'package.json'), 'utf8'));
    const file = join(PACKED, `countersign-${name}-${version}.tgz`);
    if (!existsSync(file)) throw new Error(`@countersign/${name}: pnpm pack wrote no ${file}`);
    tarballs[name] = file;
  }
  for (const name of PACKAGES) await lint(name, tarballs[name]);
  writeFileSync(TARBALLS, JSON.stringify(tarballs, null, 2));
  log(`Each of the ${PACKAGES.length} tarballs passes publint --strict and attw.`);
  return tarballs;
}

if (import.meta.url === `file://${process.argv[1]}`) await packPackages({ log: console.log });
