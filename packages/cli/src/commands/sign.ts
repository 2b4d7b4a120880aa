import {
  createSigner,
  isFormContentType,
  SIGNATURE_METHODS,
  type SignatureMethodName,
  type SignerOptions,
  type Transmission,
} from '@countersign/core';
import { Command, Option } from 'commander';
import { readLocalFile } from '../local-file.ts';
import { UsageError } from '../usage-error.ts';

export interface SignFlags {
  method: string;
  url: string;
  body?: string;
  contentType?: string;
  consumerKey?: string;
  consumerSecret?: string;
  token?: string;
  tokenSecret?: string;
  signatureMethod: SignatureMethodName;
  privateKey?: string;
  realm?: string;
  nonce?: string;
  timestamp?: string;
  oauthParam: string[];
  transmission: Transmission;
  bodyHash?: boolean;
  oauthVersion: boolean;
  allowPlaintextOverHttp?: boolean;
  json?: boolean;
}

// A PEM key is a few KB; a body is held in memory to be signed, so it is bounded too.
const MAX_KEY_FILE_BYTES = 1024 * 1024;
const MAX_BODY_FILE_BYTES = 64 * 1024 * 1024;

const FORM = 'application/x-www-form-urlencoded';

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

// Names an options object cannot hold as its own data: assigning them changes the object instead.
const UNHOLDABLE_NAMES = new Set(['__proto__', 'constructor', 'prototype']);

// The protocol parameters the signer writes, and the flag that chooses each.
const SET_BY_FLAGS: Record<string, string> = {
  oauth_consumer_key: 'use --consumer-key',
  oauth_token: 'use --token',
  oauth_signature_method: 'use --signature-method',
  oauth_signature: 'it is the signature being made',
  oauth_timestamp: 'use --timestamp to fix it',
  oauth_nonce: 'use --nonce to fix it',
  oauth_version: 'use --no-oauth-version to leave it out',
};

function parseOauthParams(values: string[]): Record<string, string> {
  const params: Record<string, string> = {};
  for (const value of values) {
    const equals = value.indexOf('=');
    if (equals <= 0) throw new UsageError(`--oauth-param expects name=value; got ${JSON.stringify(value)}`);
    const name = value.slice(0, equals);
    if (Object.hasOwn(SET_BY_FLAGS, name)) {
      throw new UsageError(`--oauth-param ${name}: countersign sets it itself; ${SET_BY_FLAGS[name]}`);
    }
    if (UNHOLDABLE_NAMES.has(name)) {
      throw new UsageError(`--oauth-param ${name} cannot be sent: that name would be dropped, not signed`);
    }
    if (Object.hasOwn(params, name)) throw new UsageError(`--oauth-param ${name} was given twice; give it once`);
    params[name] = value.slice(equals + 1);
  }
  return params;
}

/** The body to send, and the file it came from when `--body @file` named one. */
export interface BodyFlag {
  readonly text: string | undefined;
  readonly file: string | undefined;
}

/**
 * `--body @file` reads the body from a file, as curl's `-d @file` does (`@-` is not
 * supported: the body must be known before signing). Any other value is the body itself.
 */
function bodyFrom(body: string | undefined): BodyFlag {
  if (body === undefined || !body.startsWith('@')) return { text: body, file: undefined };
  const { bytes, path } = readLocalFile('--body', body.slice(1), MAX_BODY_FILE_BYTES, `--body ${body}`);
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  if (!Buffer.from(text, 'utf8').equals(bytes)) {
    throw new UsageError(`--body ${body} is not UTF-8 text; countersign sends bodies as UTF-8`);
  }
  return { text, file: path };
}

// The CLI sends --body as UTF-8: a Content-Type that promises another charset would be a lie on the wire.
function checkCharset(contentType: string | undefined): void {
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(contentType ?? '')?.[1]?.toLowerCase();
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8' && charset !== 'us-ascii') {
    throw new UsageError(
      `--content-type says charset=${charset}, but countersign sends --body as UTF-8: use charset=utf-8 or leave charset out`,
    );
  }
}

function readPrivateKey(file: string): string {
  return readLocalFile('--private-key', file, MAX_KEY_FILE_BYTES).bytes.toString('utf8');
}

/**
 * RFC 5849 §3.4.4: PLAINTEXT sends the secrets themselves, so only over https, the rule our
 * server applies too; `--allow-plaintext-over-http` is for a test server on loopback.
 */
export function checkPlaintextTransport(flags: SignFlags, url: string): void {
  if (flags.signatureMethod !== 'PLAINTEXT' || flags.allowPlaintextOverHttp === true) return;
  if (/^http:/i.test(url.trim())) {
    throw new UsageError(
      'PLAINTEXT over http: would send the consumer and token secrets in clear: use https, another --signature-method, or --allow-plaintext-over-http for a test server on loopback',
    );
  }
}

/** Turns flags and environment into signer options, refusing what cannot be signed. */
export function signerOptionsFrom(flags: SignFlags, env: NodeJS.ProcessEnv): SignerOptions {
  if (flags.consumerKey === undefined) {
    throw new UsageError('--consumer-key is required: the consumer key your provider issued');
  }
  const rsa = flags.signatureMethod.startsWith('RSA');
  if (!rsa && flags.privateKey !== undefined) {
    throw new UsageError(
      `--private-key is for RSA: add --signature-method RSA-SHA1 (or RSA-SHA256), or leave --private-key out (${flags.signatureMethod} signs with the consumer secret)`,
    );
  }
  const consumerSecret = flags.consumerSecret ?? env.OAUTH_CONSUMER_SECRET;
  if (!rsa && consumerSecret === undefined) {
    throw new UsageError(
      `${flags.signatureMethod} needs --consumer-secret (or OAUTH_CONSUMER_SECRET in the environment)`,
    );
  }
  if (rsa && flags.privateKey === undefined)
    throw new UsageError(`${flags.signatureMethod} needs --private-key FILE (PEM)`);
  const tokenSecret = flags.tokenSecret ?? env.OAUTH_TOKEN_SECRET;
  if (tokenSecret !== undefined && flags.token === undefined)
    throw new UsageError('a token secret was given without --token');
  let clock: (() => number) | undefined;
  if (flags.timestamp !== undefined) {
    // Whole seconds, at most 10 digits (until the year 2286), the range the signer signs.
    if (!/^\d{1,10}$/.test(flags.timestamp))
      throw new UsageError(
        `--timestamp expects whole seconds since 1970 (digits only, such as 1318622958); got ${JSON.stringify(flags.timestamp)}`,
      );
    const milliseconds = Number(flags.timestamp) * 1000;
    clock = () => milliseconds;
  }
  const nonce = flags.nonce;
  return {
    consumerKey: flags.consumerKey,
    consumerSecret,
    token: flags.token,
    tokenSecret: flags.token === undefined ? undefined : tokenSecret,
    signatureMethod: flags.signatureMethod,
    privateKey: flags.privateKey === undefined ? undefined : readPrivateKey(flags.privateKey),
    realm: flags.realm,
    transmission: flags.transmission,
    includeVersion: flags.oauthVersion,
    ...(nonce === undefined ? {} : { nonce: () => nonce }),
    ...(clock === undefined ? {} : { clock }),
    ...(flags.allowPlaintextOverHttp === true ? { allowPlaintextOverHttp: true } : {}),
  };
}

/** The credential and signing options every signing command takes. */
export function withSigningOptions(command: Command): Command {
  return (
    command
      // Checked in signerOptionsFrom, not by commander: a mistyped flag (--consumerkey) is then
      // reported as unknown, with the real one suggested, rather than as this one missing.
      .option('--consumer-key <key>', 'consumer key (required)')
      .option('--consumer-secret <secret>', 'consumer secret (better: OAUTH_CONSUMER_SECRET in the environment)')
      .option('--token <token>', 'token')
      .option('--token-secret <secret>', 'token secret (better: OAUTH_TOKEN_SECRET in the environment)')
      .addOption(
        new Option('--signature-method <name>', 'signature method').choices(SIGNATURE_METHODS).default('HMAC-SHA1'),
      )
      .option('--private-key <file>', 'PEM file with the RSA private key (PKCS#1 or PKCS#8)')
      .option('--realm <realm>', 'realm for the Authorization header')
      .option('--nonce <nonce>', 'fixed nonce (for reproducing a signature)')
      .option('--timestamp <seconds>', 'fixed timestamp (for reproducing a signature)')
      .option(
        '--oauth-param <name=value>',
        'extra parameter sent with the OAuth parameters, e.g. oauth_callback=oob (repeatable)',
        collect,
        [],
      )
      .addOption(
        new Option('--transmission <where>', 'where the OAuth parameters go')
          .choices(['header', 'query', 'body'])
          .default('header'),
      )
      .option('--body-hash', 'add oauth_body_hash for a non-form body')
      .option(
        '--allow-plaintext-over-http',
        'let PLAINTEXT sign a request to an http: URL (it sends the secrets in clear: only for a test server on loopback)',
      )
      .option('--no-oauth-version', 'leave out oauth_version="1.0" (optional in RFC 5849; its examples omit it)')
  );
}

/**
 * The request to sign from --method, --url, --body and --content-type (or a Content-Type
 * given with --header, which is the same header said twice: they must agree), and the
 * file the body came from.
 */
export function requestFrom(flags: SignFlags, headerContentType?: string) {
  if (flags.contentType !== undefined && headerContentType !== undefined && flags.contentType !== headerContentType) {
    throw new UsageError(
      `--content-type ${JSON.stringify(flags.contentType)} and --header "Content-Type: ${headerContentType}" disagree: give the Content-Type once, so what is signed is what is sent`,
    );
  }
  const given = flags.contentType ?? headerContentType;
  const contentType = flags.body === undefined ? given : (given ?? FORM);
  checkCharset(contentType);
  checkPlaintextTransport(flags, flags.url);
  const body = bodyFrom(flags.body);
  return { input: { method: flags.method, url: flags.url, body: body.text, contentType }, bodyFile: body.file };
}

/** Per-request signing choices; `contentType` is the request's, as {@link requestFrom} settled it. */
export function signOptionsFrom(flags: SignFlags, contentType: string | undefined) {
  const bodyHash = flags.bodyHash === true;
  // --body defaults to a form, which is signed parameter by parameter and never body-hashed.
  if (bodyHash && flags.body !== undefined && isFormContentType(contentType)) {
    throw new UsageError(
      '--body-hash is for a body that is not a form (JSON, XML, bytes): add --content-type (e.g. application/json), or leave --body-hash out; a form body is signed parameter by parameter',
    );
  }
  return { oauthParams: parseOauthParams(flags.oauthParam), bodyHash };
}

export function signCommand(write: (text: string) => void, env: NodeJS.ProcessEnv): Command {
  return withSigningOptions(
    new Command('sign')
      .description('Sign one request and print its Authorization header (or, with --json, what was signed).')
      .option('--method <method>', 'HTTP method', 'GET')
      .requiredOption('--url <url>', 'absolute URL, query included, exactly as it will be sent')
      .option('--body <body>', 'request body, exactly as it will be sent; @file reads it from a file')
      .option('--content-type <type>', `Content-Type of --body (default ${FORM}, as curl -d)`),
  )
    .option('--json', 'print a JSON object: baseString, signature, authorization, url, body, parameters')
    .action(async (flags: SignFlags) => {
      const signer = createSigner(signerOptionsFrom(flags, env));
      const { input } = requestFrom(flags);
      const signed = await signer.sign(input, signOptionsFrom(flags, input.contentType));
      if (flags.json) {
        // The signed request prints itself with secrets redacted (a PLAINTEXT signature is the secrets).
        const shown = JSON.parse(JSON.stringify(signed)) as Record<string, unknown>;
        write(
          `${JSON.stringify(
            {
              method: shown.method,
              url: shown.url,
              baseString: shown.baseString,
              signature: shown.signature,
              authorization: shown.authorization,
              body: shown.body,
              parameters: shown.parameters,
            },
            null,
            2,
          )}\n`,
        );
      } else if (flags.transmission === 'header') write(`${signed.authorization}\n`);
      else if (flags.transmission === 'query') write(`${signed.url}\n`);
      else write(`${signed.body}\n`);
    });
}
