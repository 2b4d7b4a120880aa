import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildBaseString } from '../src/build-base-string.ts';
import { createSigner } from '../src/index.ts';
import { isNormalizedHttpUrl } from '../src/normalized-url.ts';
import { placeParameters } from '../src/placement.ts';
import { prepareRequest } from '../src/prepare.ts';
import { collectParameters } from '../src/request-parameters.ts';
import { parseTarget } from '../src/request-target.ts';
import { signerSettings } from '../src/signer-options.ts';

// Each step of a signature, on its own. The reference is RFC 5849 §3.4.1.1's example request
// (POST http://example.com/request with a form body) and the base string the RFC prints for it.
const RFC_URL = 'http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b';
const RFC_BODY = 'c2&a3=2+q';
const FORM = 'application/x-www-form-urlencoded';

describe('parse the target', () => {
  it('cuts the base URI, the query and the origin from the URL as fetch sends it', () => {
    const target = parseTarget('HTTPS://Api.Example.COM:443/a/./b/../c%7e?x=1&y=a+b#frag');
    expect(target.baseUri).toBe('https://api.example.com/a/c%7e');
    expect(target.encodedBaseUri).toBe('https%3A%2F%2Fapi.example.com%2Fa%2Fc%257e');
    expect(target.url).toBe('https://api.example.com/a/c%7e?x=1&y=a+b');
    expect(target.origin).toBe('https://api.example.com');
    expect(target.secure).toBe(true);
    expect(target.query).toEqual([
      ['x', '1'],
      ['y', 'a%20b'],
    ]);
    expect(target.queryText).toBe('x=1&y=a+b');
  });

  it('keeps the port and IPv6 brackets; drops an empty fragment', () => {
    const target = parseTarget('http://[::1]:8080/p?#');
    expect(target.baseUri).toBe('http://[::1]:8080/p');
    expect(target.origin).toBe('http://[::1]:8080');
    expect(target.url).toBe('http://[::1]:8080/p?');
    expect(target.hasQuery).toBe(false);
    expect(target.secure).toBe(false);
  });

  it('refuses user info and other schemes in words', () => {
    expect(() => parseTarget('https://user:pass@example.com/')).toThrow(/remove the user:password@ part/);
    expect(() => parseTarget('ftp://example.com/')).toThrow(/got a ftp: URL/);
    expect(() => parseTarget('/relative')).toThrow(/absolute http\(s\) URL/);
  });
});

describe('a URL recognised as already normalized is exactly what new URL() gives', () => {
  const label = fc.oneof(
    fc.stringMatching(/^[a-z0-9-]{1,8}$/),
    fc.constantFrom('xn--abc', 'xn--bcher-kva', '0x1f', '0', '123', 'localhost', 'a'),
  );
  const host = fc.array(label, { minLength: 1, maxLength: 4 }).map((labels) => labels.join('.'));
  const port = fc.constantFrom('', ':80', ':443', ':8080', ':080', ':65535', ':65536', ':0', ':1');
  const piece = fc.constantFrom(
    'a',
    'Z',
    '9',
    '-',
    '.',
    '_',
    '~',
    '!',
    '$',
    '&',
    "'",
    '(',
    ')',
    '*',
    '+',
    ',',
    ';',
    '=',
    ':',
    '@',
    '%',
    '%41',
    '%2e',
    '%2E',
    '%7e',
    '/',
    '..',
    '.',
    '?',
    '#',
    ' ',
    '"',
    '<',
    '>',
    '`',
    '{',
    '}',
    '|',
    '^',
    '[',
    ']',
    '\\',
    'é',
    '\t',
  );
  const text = fc.array(piece, { maxLength: 10 }).map((pieces) => pieces.join(''));
  const url = fc
    .tuple(fc.constantFrom('http://', 'https://', 'HTTP://'), host, port, text, fc.option(text))
    .map(([scheme, h, p, path, query]) => `${scheme}${h}${p}/${path}${query === null ? '' : `?${query}`}`);

  it('for generated URLs', () => {
    fc.assert(
      fc.property(url, (candidate) => {
        if (isNormalizedHttpUrl(candidate)) expect(new URL(candidate).href).toBe(candidate);
      }),
      { numRuns: 20000 },
    );
  });

  it('and says yes to ordinary API URLs, no to the ones the parser rewrites', () => {
    for (const yes of [
      'https://api.example.com/1.1/statuses/update.json?include_entities=true&page=2',
      'http://localhost:8080/oauth/request_token',
      'https://sandbox.api.mastercard.com/merchantid/v1/merchantid?MerchantId=GOOGLE%20LTD%20ADWORDS%20%28CC%40GOOGLE.COM%29&Format=XML',
    ]) {
      expect(isNormalizedHttpUrl(yes)).toBe(true);
    }
    for (const no of [
      'https://api.example.com',
      'https://API.example.com/',
      'https://api.example.com:443/',
      'https://127.0.0.1/',
      'https://api.example.com/a/../b',
      "https://api.example.com/?q='",
      'https://api.example.com/#x',
      'https://xn--bcher-kva.example/',
    ]) {
      expect(isNormalizedHttpUrl(no)).toBe(false);
    }
  });
});

describe('collect the parameters', () => {
  it('merges the query and the form body, encoded and sorted (RFC 5849 §3.4.1.3.2)', () => {
    const parameters = collectParameters('POST', parseTarget(RFC_URL), RFC_BODY);
    expect(parameters.user).toEqual([
      ['a2', 'r%20b'],
      ['a3', '2%20q'],
      ['a3', 'a'],
      ['b5', '%3D%253D'],
      ['c%40', ''],
      ['c2', ''],
    ]);
    expect(parameters.beforeBlock).toBe(
      'POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26',
    );
    expect(parameters.afterBlock).toBe('');
  });

  it('gives no block position when a request parameter sorts inside the OAuth block', () => {
    expect(collectParameters('GET', parseTarget('https://x.example/?oauth_foo=1'), undefined).beforeBlock).toBe(
      undefined,
    );
  });

  it('refuses a form that carries an OAuth protocol parameter', () => {
    expect(() => collectParameters('POST', parseTarget('https://x.example/'), 'oauth_nonce=1')).toThrow(
      /form body already contains oauth_nonce/,
    );
  });
});

describe('build the base string, then place the parameters', () => {
  // RFC 5849 §3.4.1.1's own example: its base string, rebuilt from the prepared request.
  const settings = signerSettings({
    consumerKey: '9djdj82h48djs9d2',
    consumerSecret: 'j49sk3j29djd',
    token: 'kkk9d7dh3k39sjv7',
    tokenSecret: 'dh893hdasih9',
    includeVersion: false,
    realm: 'Example',
  });
  const prepared = prepareRequest(settings, { method: 'POST', url: RFC_URL, body: RFC_BODY, contentType: FORM }, {});

  it('writes the RFC example base string around the nonce and timestamp', () => {
    expect(buildBaseString(prepared, '7d8f3e4a', '137131201', undefined)).toBe(
      'POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk9d7dh3k39sjv7',
    );
  });

  it('puts the sent parameters in the header, the query or after the form body', () => {
    expect(placeParameters(prepared, 'OAuth x="1"')).toEqual({
      url: 'http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b',
      authorization: 'OAuth x="1"',
      body: undefined,
      contentType: undefined,
    });
    expect(placeParameters({ ...prepared, transmission: 'query' }, 'x=1').url).toBe(
      'http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b&x=1',
    );
    expect(placeParameters({ ...prepared, transmission: 'body' }, 'x=1')).toMatchObject({
      body: 'c2&a3=2+q&x=1',
      contentType: FORM,
    });
    expect(placeParameters({ ...prepared, url: 'https://x.example/p?', transmission: 'query' }, 'x=1').url).toBe(
      'https://x.example/p?x=1',
    );
  });
});

describe('a URL with a fragment', () => {
  it('is sent without it, and transmission query puts the OAuth parameters in the query, not after a #', async () => {
    const signer = createSigner({ consumerKey: 'ck', consumerSecret: 'cs', transmission: 'query' });
    for (const url of ['https://x.example/p#', 'https://x.example/p#frag']) {
      const signed = await signer.sign({ method: 'GET', url });
      expect(signed.url).toMatch(/^https:\/\/x\.example\/p\?oauth_consumer_key=ck&/);
      expect(signed.url).not.toContain('#');
    }
  });
});
