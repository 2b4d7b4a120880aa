/**
 * Every package README's quick start (its first code block after the install line), run as
 * a user pastes it: a .ts file in the fresh project consumer.mjs installed, once in its
 * CommonJS root (what `npm init -y` makes) and once in its ESM folder, with tsx, on Node 22
 * (the latest ky, nock and msw need it), against the packed tarballs and the latest peers;
 * the CommonJS one again on this machine's Node 20 where no such peer is imported. All of
 * them are type-checked too, strict, as a user's editor would.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { PACKAGES } from '../workspace-packages.mjs';
import { CONSUMER } from './consumer.mjs';
import { QUICK_START_OUTPUT, QUICK_START_SECRETS } from './quick-start-expectations.mjs';
import { eachLimited, root, run } from './run.mjs';

const INSTALL = /^(npm install .*\n?)+$/;
// The peers whose latest release runs on Node 22 only (their README says what to install on 20).
const NEEDS_NODE_22 = /from '(?:ky|nock|msw)(?:\/[\w/]+)?'/;

/** The first code block of a package README that is not its install line. */
export function quickStart(name) {
  const readme = readFileSync(join(root, 'packages', name, 'README.md'), 'utf8');
  const block = [...readme.matchAll(/```(ts|js|sh)\n([\s\S]*?)\n```/g)]
    .map((match) => ({ language: match[1], code: match[2] }))
    .find(({ code }) => !INSTALL.test(code));
  if (block === undefined) throw new Error(`packages/${name}/README.md has no quick start`);
  return block;
}

/** Node 22, as `npx -y node@22` gives it: its binary, found once. */
async function node22() {
  const output = await run('npx', ['--loglevel=error', '-y', 'node@22', '-p', 'process.execPath']);
  return output.trim().split('\n').at(-1);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Runs one quick start. One that serves (it says "listening on …") is sent a signed request
 * and an unsigned one by `serve.mjs`, then stopped: its output is what it printed and what
 * the requests got.
 */
function runFile(node, file, cwd, env) {
  return new Promise((resolve, reject) => {
    // What `npx tsx file.ts` runs, without the wrapper process tsx's command starts first
    // (a third of each run's time): Node with tsx's loader, resolved from the project.
    const child = spawn(node, ['--import', 'tsx', file], {
      cwd,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let served = false;
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`${file} did not finish within 30 s:\n${output}`));
    }, 30_000);
    const onOutput = (chunk) => {
      output += chunk;
      if (!served && /listening on http:\/\/\S+/.test(output)) {
        served = true;
        const url = /listening on (http:\/\/\S+)/.exec(output)[1];
        run(process.execPath, [join(import.meta.dirname, 'serve-client.mjs'), url], { cwd: CONSUMER }).then(
          (answers) => {
            output += answers;
            child.kill();
          },
          (error) => {
            output += error.output ?? error.message;
            child.kill();
          },
        );
      }
    };
    child.stdout.on('data', onOutput);
    child.stderr.on('data', onOutput);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      // Stopped once served: tsx passes the SIGTERM on and exits 143 (128 + 15).
      if (code === 0 || (served && (signal === 'SIGTERM' || code === 143))) resolve(output);
      else reject(new Error(`${file} exited ${code ?? signal}:\n${output}`));
    });
  });
}

export async function runQuickStarts({ log = () => {} } = {}) {
  const node = await node22();
  const folders = { commonjs: join(CONSUMER, 'quick-starts'), esm: join(CONSUMER, 'esm', 'quick-starts') };
  for (const folder of Object.values(folders)) {
    rmSync(folder, { recursive: true, force: true });
    mkdirSync(folder, { recursive: true });
  }
  const runs = [];
  for (const name of PACKAGES) {
    const { language, code } = quickStart(name);
    if (language === 'sh') {
      runs.push({ name, kind: 'shell', code });
      continue;
    }
    for (const [kind, folder] of Object.entries(folders)) {
      writeFileSync(join(folder, `${name}.ts`), code);
      runs.push({ name, kind: `${kind}, Node 22`, file: join(folder, `${name}.ts`), node });
    }
    if (!NEEDS_NODE_22.test(code)) {
      runs.push({
        name,
        kind: 'commonjs, Node 20',
        file: join(folders.commonjs, `${name}.ts`),
        node: process.execPath,
      });
    }
  }
  const failures = [];
  await eachLimited(runs, 2, async ({ name, kind, file, code, node: binary }) => {
    const expected = QUICK_START_OUTPUT[name];
    if (expected === undefined) throw new Error(`quick-start-expectations.mjs: say what ${name}'s quick start prints`);
    try {
      const output =
        kind === 'shell'
          ? await run('bash', ['-euo', 'pipefail', '-c', code], {
              cwd: CONSUMER,
              env: { ...process.env, PATH: `${join(CONSUMER, 'node_modules', '.bin')}:${process.env.PATH}` },
            })
          : await runFile(binary, file, join(file, '..'), { PORT: String(await freePort()) });
      if (!expected.test(output)) throw new Error(`printed:\n${output}\nexpected ${expected}`);
      if (QUICK_START_SECRETS.test(output)) throw new Error(`printed a secret:\n${output}`);
    } catch (error) {
      failures.push(`@countersign/${name} (${kind}): ${error.message}`);
    }
  });
  if (failures.length > 0) throw new Error(`Quick starts that do not run as pasted:\n\n${failures.join('\n\n')}`);
  log(
    `Every package README's quick start runs as pasted, in a CommonJS and an ESM project, on Node 22 with the latest peers, and in CommonJS on Node 20 where its peers allow (${runs.length} runs).`,
  );
  // Strict types, as a user's editor would check them: req.oauth and the rest without a cast.
  writeFileSync(
    join(CONSUMER, 'tsconfig.quick-starts.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'nodenext',
        moduleResolution: 'nodenext',
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        types: ['node'],
      },
      include: ['quick-starts/*.ts', 'esm/quick-starts/*.ts'],
    }),
  );
  await run(
    process.execPath,
    [join(CONSUMER, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.quick-starts.json'],
    {
      cwd: CONSUMER,
    },
  ).catch((error) => {
    throw new Error(`The quick starts do not type-check (strict):\n${error.output ?? error.message}`);
  });
  log('and each type-checks, strict, in both.');
}

if (import.meta.url === `file://${process.argv[1]}`) await runQuickStarts({ log: console.log });
