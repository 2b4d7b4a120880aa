/**
 * The agreement tests judge our signatures with Debian's python3-oauthlib, an
 * implementation we did not write. Installs it (with PyJWT and cryptography, which its
 * RSA methods need) when it is missing and we are root; otherwise says how.
 */
import { execFileSync, spawnSync } from 'node:child_process';

const PACKAGES = ['python3-oauthlib', 'python3-jwt', 'python3-cryptography'];
const present = () => spawnSync('/usr/bin/python3', ['-c', 'import oauthlib, jwt, cryptography']).status === 0;

if (!present()) {
  if (process.getuid?.() !== 0) {
    console.error(`python3-oauthlib is missing: run  sudo apt-get install -y ${PACKAGES.join(' ')}`);
    process.exit(1);
  }
  console.log(`Installing ${PACKAGES.join(', ')} with apt-get (the independent OAuth judge for the tests)…`);
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...PACKAGES], {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (!present()) {
    console.error('python3-oauthlib still cannot be imported by /usr/bin/python3.');
    process.exit(1);
  }
}
