import { createPublicKey } from 'node:crypto';
import { CountersignError, hasControlCharacters, inertText, SIGNATURE_METHODS } from '@countersign/core';
import type { SandboxConsumer } from './options.ts';

function invalid(at: string, reason: string): CountersignError {
  return new CountersignError('invalid_option', `consumers: ${at} ${reason}`);
}

function checkPublicKey(at: string, publicKey: unknown): void {
  if (publicKey === undefined) return;
  if (typeof publicKey === 'string') {
    try {
      createPublicKey(publicKey);
    } catch {
      throw invalid(
        at,
        'has a publicKey that is not an RSA public key in PEM (-----BEGIN PUBLIC KEY-----, RSA PUBLIC KEY or CERTIFICATE).',
      );
    }
    return;
  }
  if (typeof publicKey !== 'object' || publicKey === null || (publicKey as { type?: unknown }).type !== 'public') {
    throw invalid(at, 'has a publicKey that is neither PEM text nor a public KeyObject or CryptoKey.');
  }
}

/**
 * Checks one consumer when the sandbox learns of it, so a mistake is an error at start-up
 * rather than a 500 on every request: a printable key, a secret that is a string, a public
 * key that parses, `signatureMethods` a list of known methods, and something to verify with.
 * Says which consumer and what to fix, never the secret.
 */
export function checkConsumer(consumer: unknown, index: number): SandboxConsumer {
  let at = `#${index + 1}`;
  if (typeof consumer !== 'object' || consumer === null || Array.isArray(consumer)) {
    throw invalid(at, 'is not an object: give {"key": "…", "secret": "…"} or {"key": "…", "publicKey": "…"}.');
  }
  const { key, secret, publicKey, signatureMethods, privateApp } = consumer as Record<string, unknown>;
  if (typeof key !== 'string' || key === '') throw invalid(at, 'has no key: give its consumer key as a string.');
  at = `#${index + 1} (${JSON.stringify(inertText(key, 60))})`;
  if (hasControlCharacters(key)) {
    throw invalid(at, 'has a key with a line break or another control character: a consumer key is printable text.');
  }
  if (secret !== undefined && typeof secret !== 'string') throw invalid(at, 'has a secret that is not a string.');
  checkPublicKey(at, publicKey);
  if ((secret === undefined || secret === '') && publicKey === undefined) {
    throw invalid(at, 'needs a secret or a publicKey to verify its signatures with.');
  }
  if (
    signatureMethods !== undefined &&
    !(
      Array.isArray(signatureMethods) &&
      signatureMethods.every((method) => SIGNATURE_METHODS.includes(method as (typeof SIGNATURE_METHODS)[number]))
    )
  ) {
    throw invalid(at, `has signatureMethods that is not a list of ${SIGNATURE_METHODS.join(', ')}.`);
  }
  if (privateApp !== undefined && typeof privateApp !== 'boolean')
    throw invalid(at, 'has a privateApp that is not true or false.');
  return consumer as SandboxConsumer;
}

/** Checks every consumer, and that no key is registered twice. */
export function checkConsumers(consumers: unknown): SandboxConsumer[] {
  if (consumers === undefined) return [];
  if (!Array.isArray(consumers))
    throw new CountersignError('invalid_option', 'consumers: expected an array of consumers.');
  const seen = new Set<string>();
  return consumers.map((consumer, index) => {
    const checked = checkConsumer(consumer, index);
    if (seen.has(checked.key)) {
      throw invalid(`#${index + 1} (${JSON.stringify(checked.key)})`, 'has a key given twice: each consumer key once.');
    }
    seen.add(checked.key);
    return checked;
  });
}
