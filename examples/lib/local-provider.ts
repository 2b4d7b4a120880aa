/**
 * The local provider the examples use when no real credentials are set: the sandbox with
 * demo consumers, and a "user" who approves in its place.
 */
import { generateKeyPairSync } from 'node:crypto';
import { createInterface } from 'node:readline/promises';
import { type Sandbox, type SandboxOptions, startSandbox } from '@countersign/sandbox';

export const DEMO = {
  consumer: { key: 'exampleConsumerKey0000', secret: 'example consumer secret' },
  device: { key: 'exampleDeviceConsumer0', secret: 'example device secret' },
  user: { username: 'example_user', password: 'example password' },
  rsaConsumerKey: 'exampleRsaConsumerKey0',
};

/** An RSA key pair for the RSA examples, the private half as PKCS#1 PEM. */
export const demoRsa = (() => {
  const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    publicKey: keys.publicKey,
    privateKeyPem: keys.privateKey.export({ type: 'pkcs1', format: 'pem' }) as string,
  };
})();

/** The sandbox with the demo consumers; `profile` makes it play one provider, quirk enforced. */
export function startLocalProvider(profile?: SandboxOptions['profile']): Promise<Sandbox> {
  return startSandbox({
    ...(profile === undefined ? {} : { profile }),
    consumers: [
      DEMO.consumer,
      DEMO.device,
      { key: DEMO.rsaConsumerKey, publicKey: demoRsa.publicKey, privateApp: true },
    ],
    users: [DEMO.user],
  });
}

/** Approves at the sandbox's authorize page (oob) and returns the verifier it shows. */
export async function approveLocally(authorizeUrl: string): Promise<string> {
  const page = await (await fetch(authorizeUrl)).text();
  return /Your verifier: (\w+)/.exec(page)?.[1] ?? '';
}

/** Asks the person at the terminal for the verifier a real provider showed them. */
export async function askForVerifier(authorizeUrl: string): Promise<string> {
  console.log(`Open ${authorizeUrl}, approve, and type the verifier it shows.`);
  const terminal = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return (await terminal.question('Verifier: ')).trim();
  } finally {
    terminal.close();
  }
}
