/** Prints one closing line for the whole test run, from the vitest JSON reports (Node 20, lowest peers, Node 22). */
import { readFileSync } from 'node:fs';

const reports = ['vitest-node20.json', 'vitest-lowest-peers.json', 'vitest-node22.json'].map((name) =>
  JSON.parse(readFileSync(new URL(`../.countersign-tmp/${name}`, import.meta.url), 'utf8')),
);
const sum = (field) => reports.reduce((total, report) => total + report[field], 0);
const passed = sum('numPassedTests');
const failed = sum('numFailedTests');
console.log(`tests: ${passed} passed, ${failed} failed, ${sum('numPendingTests') + sum('numTodoTests')} skipped`);
process.exitCode = failed === 0 && passed > 0 ? 0 : 1;
