import { describe, expect, it } from 'vitest';
import { countersign } from './run-cli.ts';

const CORRECT = 'GET&https%3A%2F%2Fapi.example.com%2Fr&oauth_consumer_key%3Dk%26q%3Da%2520b';

describe('countersign explain', () => {
  it('from two base strings: + for a space comes first', async () => {
    const result = await countersign(['explain', '--ours', CORRECT.replace('a%2520b', 'a%2Bb'), '--theirs', CORRECT]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^1\. plus_for_space: Parameter q was encoded with \+ for a space/);
  });

  it('from a captured answer: a used nonce, and a clock an hour off by the Date header', async () => {
    const nonce = await countersign(['explain', '--status', '401', '--response', 'oauth_problem=nonce_used']);
    expect(nonce.stdout).toMatch(/^1\. nonce_reused:/);
    const authorization = `OAuth oauth_consumer_key="k", oauth_timestamp="${Math.floor(Date.now() / 1000) - 3600}"`;
    const clock = await countersign([
      'explain',
      '--authorization',
      authorization,
      '--status',
      '401',
      '--date',
      new Date().toUTCString(),
    ]);
    expect(clock.stdout).toMatch(/^1\. clock_skew: Our timestamp is 3[56]\d\d s away/);
  });

  it('nothing to go on, or a bad status: one line on stderr, exit 2', async () => {
    for (const args of [['explain'], ['explain', '--status', 'four-oh-one']]) {
      const result = await countersign(args);
      expect(result.code).toBe(2);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});
