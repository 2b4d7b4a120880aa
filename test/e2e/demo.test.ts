import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

it('the README main job (the demo) succeeds end to end and prints no secret', async () => {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'examples/demo.ts'], {
    cwd: root,
  });
  expect(stdout).toContain('All 7 published signatures reproduced.');
  expect(stdout).toContain('answers        axios 200, ky 200, fetch wrapper 200');
  expect(stdout).toContain('refused        401 timestamp_refused');
  expect(stdout).toContain('explanation    clock_skew: The server refused the timestamp');
  expect(stdout).toMatch(/then {11}with retries on: clock corrected by 3\d{3} s/);
  expect(stdout).toContain('Every step of the demo succeeded.');
  expect(stdout).toMatch(/reverse auth 2 +the device obtained token \w+ for the app/);
  expect(stdout).toMatch(/Jira +oob flow .* -> 200/);
  for (const secret of [
    'demo consumer secret',
    'demo%20consumer%20secret',
    'demo password',
    'demo%20password',
    'kd94hf93k423kf44',
    'ja893SD9',
    'PRIVATE KEY',
  ]) {
    expect(stdout).not.toContain(secret);
  }
}, 60_000);
