/**
 * What the tests need from Debian, installed with apt-get when missing (as root; otherwise
 * it says what to run): python3-oauthlib, the independent OAuth judge (with PyJWT and
 * cryptography, which its RSA methods need), Chromium for the browser test, and
 * redis-server for the shared nonce store's tests (started by the tests on a free port), and
 * curl, which runs the commands `countersign request --curl` prints.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const needs = [
  {
    what: 'python3-oauthlib (the independent OAuth judge)',
    packages: ['python3-oauthlib', 'python3-jwt', 'python3-cryptography'],
    present: () => spawnSync('/usr/bin/python3', ['-c', 'import oauthlib, jwt, cryptography']).status === 0,
  },
  {
    what: 'Chromium (the browser test)',
    packages: ['chromium'],
    present: () => existsSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'),
  },
  {
    what: 'redis-server (the Redis nonce store test)',
    packages: ['redis-server'],
    present: () => existsSync(process.env.REDIS_SERVER_PATH ?? '/usr/bin/redis-server'),
  },
  {
    what: 'curl (runs the commands `countersign request --curl` prints)',
    packages: ['curl'],
    present: () => existsSync('/usr/bin/curl'),
  },
];

const missing = needs.filter((need) => !need.present());
if (missing.length > 0) {
  const packages = missing.flatMap((need) => need.packages);
  if (process.getuid?.() !== 0) {
    console.error(
      `Missing ${missing.map((need) => need.what).join(' and ')}: run  sudo apt-get install -y ${packages.join(' ')}`,
    );
    process.exit(1);
  }
  console.log(`Installing ${packages.join(', ')} with apt-get for ${missing.map((need) => need.what).join(' and ')}…`);
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  const still = missing.filter((need) => !need.present());
  if (still.length > 0) {
    console.error(`Still missing after apt-get: ${still.map((need) => need.what).join(', ')}.`);
    process.exit(1);
  }
}
