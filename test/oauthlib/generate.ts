import { generateKeyPairSync } from 'node:crypto';
import type { SignatureMethodName } from '@countersign/core';

/** A small seeded PRNG (mulberry32) so every run judges the same requests. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface GeneratedCase {
  id: number;
  signatureMethod: SignatureMethodName;
  method: string;
  url: string;
  body?: string;
  contentType?: string;
  bodyHash: boolean;
  consumerSecret: string;
  token?: string;
  tokenSecret: string;
  realm?: string;
  oauthParams: Record<string, string>;
  privateKey?: string;
  publicKey?: string;
}

const PIECES = [
  'a',
  'Z',
  '0',
  '-',
  '.',
  '_',
  '~',
  ' ',
  '+',
  '!',
  '*',
  "'",
  '(',
  ')',
  '&',
  '=',
  '%',
  '/',
  '?',
  '#',
  '[',
  ']',
  '{',
  '}',
  '|',
  '^',
  '@',
  ':',
  ',',
  ';',
  '$',
  '"',
  'é',
  'ß',
  '日本',
  '😀',
  'Ω',
  '\u00a0',
];

/**
 * Form-encodes one name or value the way different clients do: spaces as `+` or `%20`,
 * `!*'()` raw or escaped, lowercase or uppercase hex. `[ ] { } | ^` are always escaped
 * (oauthlib's strict decoder refuses them raw; the base string is the same either way).
 */
function encodeLikeSomeClient(text: string, random: () => number): string {
  const spaceAsPlus = random() < 0.5;
  const rawSubDelims = random() < 0.5;
  const lowerHex = random() < 0.3;
  let out = '';
  for (const character of text) {
    if (/[A-Za-z0-9\-._~]/.test(character)) out += character;
    else if (character === ' ' && spaceAsPlus) out += '+';
    else if (/[!*'()]/.test(character) && rawSubDelims) out += character;
    else {
      const escaped = encodeURIComponent(character).replace(
        /[!*'()]/g,
        (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
      );
      out += lowerHex ? escaped.toLowerCase().replace(/%[0-9a-f]{2}/g, (e) => e) : escaped;
    }
  }
  return out;
}

function text(random: () => number, max = 6): string {
  let out = '';
  const length = Math.floor(random() * (max + 1));
  for (let i = 0; i < length; i++) out += PIECES[Math.floor(random() * PIECES.length)];
  return out;
}

function pairs(random: () => number): string {
  const out: string[] = [];
  const count = Math.floor(random() * 5);
  for (let i = 0; i < count; i++) {
    const roll = random();
    if (roll < 0.1)
      out.push(
        `searchCriteria%5BfilterGroups%5D%5B0%5D%5Bfilters%5D%5B${i}%5D%5Bfield%5D=${encodeLikeSomeClient(text(random), random)}`,
      );
    else if (roll < 0.2 && out.length > 0) out.push(out[out.length - 1] as string);
    else if (roll < 0.3) out.push(`${encodeLikeSomeClient(text(random, 3) || 'k', random)}=`);
    else
      out.push(`${encodeLikeSomeClient(text(random, 3) || 'k', random)}=${encodeLikeSomeClient(text(random), random)}`);
  }
  return out.join('&');
}

const HOSTS = [
  'api.example.com',
  'API.Example.COM',
  'localhost',
  '127.0.0.1',
  '[::1]',
  '[2001:DB8::7]',
  'xn--bcher-kva.example',
];
const METHODS: SignatureMethodName[] = [
  'HMAC-SHA1',
  'HMAC-SHA256',
  'HMAC-SHA512',
  'RSA-SHA1',
  'RSA-SHA256',
  'PLAINTEXT',
];

/** Generates `count` requests covering every method, a PKCS#1 and a PKCS#8 key among them. */
export function generateCases(count: number, seed = 5849): GeneratedCase[] {
  const random = seededRandom(seed);
  const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pkcs1 = keys.privateKey.export({ type: 'pkcs1', format: 'pem' }) as string;
  const pkcs8 = keys.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  const publicKey = keys.publicKey.export({ type: 'spki', format: 'pem' }) as string;
  const cases: GeneratedCase[] = [];
  for (let id = 0; id < count; id++) {
    const signatureMethod = METHODS[id % METHODS.length] as SignatureMethodName;
    const scheme = random() < 0.5 ? 'https' : random() < 0.5 ? 'HTTP' : 'http';
    const port = ['', '', ':80', ':443', ':8080', ':8443'][Math.floor(random() * 6)] as string;
    const path = Array.from({ length: Math.floor(random() * 3) }, () =>
      encodeURIComponent(text(random, 3) || 'p'),
    ).join('/');
    const query = pairs(random);
    const method = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'][Math.floor(random() * 5)] as string;
    const url = `${scheme}://${HOSTS[Math.floor(random() * HOSTS.length)]}${port}/${path}${query ? `?${query}` : ''}`;
    const generated: GeneratedCase = {
      id,
      signatureMethod,
      method,
      url,
      bodyHash: false,
      consumerSecret: text(random, 8),
      tokenSecret: '',
      oauthParams: {},
    };
    if (method !== 'GET' && method !== 'DELETE') {
      if (random() < 0.7) {
        generated.body = pairs(random);
        generated.contentType = [
          'application/x-www-form-urlencoded',
          'application/x-www-form-urlencoded; charset=utf-8',
          'Application/X-WWW-Form-Urlencoded',
        ][Math.floor(random() * 3)];
      } else {
        generated.body = JSON.stringify({ text: text(random), n: id });
        generated.contentType = 'application/json';
        generated.bodyHash = signatureMethod !== 'PLAINTEXT' && random() < 0.7;
      }
    }
    if (random() < 0.7) {
      generated.token = `tok-${id}-${text(random, 2)}`;
      generated.tokenSecret = text(random, 8);
    }
    if (random() < 0.3) generated.realm = random() < 0.5 ? 'Photos' : 'https://api.example.com/';
    if (random() < 0.2)
      generated.oauthParams.oauth_callback = `https://app.example.com/cb?state=${encodeURIComponent(text(random))}`;
    if (random() < 0.1) generated.oauthParams.oauth_verifier = text(random, 4) || 'v';
    if (random() < 0.1) generated.oauthParams.x_auth_mode = 'reverse_auth';
    if (signatureMethod.startsWith('RSA')) {
      generated.privateKey = id % 2 === 0 ? pkcs1 : pkcs8;
      generated.publicKey = publicKey;
    }
    cases.push(generated);
  }
  return cases;
}
