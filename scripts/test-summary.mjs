/** Prints one closing line for the whole test run, from vitest's JSON report. */
import { readFileSync } from 'node:fs';

const report = JSON.parse(readFileSync(new URL('../.countersign-tmp/vitest.json', import.meta.url), 'utf8'));
const skipped = report.numPendingTests + report.numTodoTests;
console.log(`tests: ${report.numPassedTests} passed, ${report.numFailedTests} failed, ${skipped} skipped`);
process.exitCode = report.numFailedTests === 0 && report.numPassedTests > 0 ? 0 : 1;
