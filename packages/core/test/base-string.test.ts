import { describe, expect, it } from 'vitest';
import { backend } from '#crypto';
import { baseStringUri } from '../src/index.ts';
import { fixedSigner, signedParameters } from './helpers.ts';

const FORM = 'application/x-www-form-urlencoded';

describe('base string parameters (RFC 5849 §3.4.1.3)', () => {
  it('reads + in a query as a space, so it is signed as %20', async () => {
    const signed = await fixedSigner().sign({ method: 'GET', url: 'https://api.example.com/search?q=a+b' });
    expect(signedParameters(signed.baseString)).toContain('q=a%20b');
  });

  it('signs a literal plus sent as %2B as %2B', async () => {
    const signed = await fixedSigner().sign({ method: 'GET', url: 'https://api.example.com/search?q=a%2Bb' });
    expect(signedParameters(signed.baseString)).toContain('q=a%2Bb');
  });

  it('decodes an encoded key before re-encoding it (Magento searchCriteria)', async () => {
    const signed = await fixedSigner().sign({
      method: 'GET',
      url: 'https://shop.example.com/rest/V1/products?searchCriteria%5BpageSize%5D=10',
    });
    expect(signedParameters(signed.baseString)).toContain('searchCriteria%5BpageSize%5D=10');
    expect(signed.baseString).not.toContain('%25255B');
  });

  it("encodes !*'() even though encodeURIComponent leaves them", async () => {
    const signed = await fixedSigner().sign({ method: 'GET', url: "https://api.example.com/r?v=!*'()~" });
    expect(signedParameters(signed.baseString)).toContain('v=%21%2A%27%28%29~');
  });

  it('keeps duplicates and empty values, sorted by name then value', async () => {
    const signed = await fixedSigner().sign({ method: 'GET', url: 'https://api.example.com/r?b=2&a=z&a=&a=y&c' });
    const params = signedParameters(signed.baseString).filter((p) => !p.startsWith('oauth_'));
    expect(params).toEqual(['a=', 'a=y', 'a=z', 'b=2', 'c=']);
  });

  it('sorts by encoded name, so "a" comes before "a1" and "a.b"', async () => {
    const signed = await fixedSigner().sign({ method: 'GET', url: 'https://api.example.com/r?a1=1&a.b=2&a=3' });
    const params = signedParameters(signed.baseString).filter((p) => !p.startsWith('oauth_'));
    expect(params).toEqual(['a=3', 'a.b=2', 'a1=1']);
  });

  it('signs form body parameters whatever the case of the media type and its charset', async () => {
    for (const contentType of [
      FORM,
      'Application/X-WWW-Form-URLEncoded',
      `${FORM}; charset=utf-8`,
      `${FORM};charset=UTF-8`,
    ]) {
      const signed = await fixedSigner().sign({
        method: 'POST',
        url: 'https://api.example.com/r',
        body: 'status=hi+there',
        contentType,
      });
      expect(signedParameters(signed.baseString)).toContain('status=hi%20there');
    }
  });

  it('leaves JSON and other non-form bodies out of the signature', async () => {
    const signed = await fixedSigner().sign({
      method: 'POST',
      url: 'https://api.example.com/r',
      body: 'a=1',
      contentType: 'application/json',
    });
    expect(signedParameters(signed.baseString).some((p) => p.startsWith('a='))).toBe(false);
  });

  it('treats a URLSearchParams body as form parameters, from bytes as well as strings', async () => {
    const fromSearchParams = await fixedSigner().sign({
      method: 'POST',
      url: 'https://api.example.com/r',
      body: new URLSearchParams({ x: 'a b' }),
    });
    const fromBytes = await fixedSigner().sign({
      method: 'POST',
      url: 'https://api.example.com/r',
      body: new TextEncoder().encode('x=a%20b'),
      contentType: FORM,
    });
    expect(signedParameters(fromSearchParams.baseString)).toContain('x=a%20b');
    expect(fromBytes.baseString).toBe(fromSearchParams.baseString);
  });

  it('puts a parameter sent in the header and the body in the base string twice', async () => {
    const signed = await fixedSigner().sign(
      {
        method: 'POST',
        url: 'https://api.example.com/oauth/request_token',
        body: 'x_auth_mode=reverse_auth',
        contentType: FORM,
      },
      { oauthParams: { x_auth_mode: 'reverse_auth' } },
    );
    expect(signedParameters(signed.baseString).filter((p) => p === 'x_auth_mode=reverse_auth')).toHaveLength(2);
    expect(signed.authorization).toContain('x_auth_mode="reverse_auth"');
  });

  it('never signs realm or oauth_signature', async () => {
    const signed = await fixedSigner({ realm: 'Photos' }).sign({ method: 'GET', url: 'https://api.example.com/r' });
    expect(signed.baseString).not.toMatch(/realm|oauth_signature%3D/);
    expect(signed.authorization).toMatch(/^OAuth realm="Photos", /);
  });

  it('uppercases the method', async () => {
    const signed = await fixedSigner().sign({ method: 'get', url: 'https://api.example.com/r' });
    expect(signed.baseString.startsWith('GET&')).toBe(true);
  });
});

describe('base string URI (RFC 5849 §3.4.1.2)', () => {
  const cases: Array<[string, string]> = [
    ['HTTPS://API.Example.COM:443/Path/To?x=1#frag', 'https://api.example.com/Path/To'],
    ['http://Example.com:80/r', 'http://example.com/r'],
    ['http://example.com:8080/r', 'http://example.com:8080/r'],
    ['https://example.com:80/r', 'https://example.com:80/r'],
    ['http://[2001:DB8::1]:8080/r', 'http://[2001:db8::1]:8080/r'],
    ['http://[::1]/r', 'http://[::1]/r'],
    ['https://example.com', 'https://example.com/'],
    ['https://example.com/a%20b/c', 'https://example.com/a%20b/c'],
  ];
  for (const [input, expected] of cases) {
    it(`${input} → ${expected}`, () => {
      expect(baseStringUri(new URL(input))).toBe(expected);
    });
  }

  it('encodes the base URI once more inside the base string', async () => {
    const signed = await fixedSigner().sign({ method: 'GET', url: 'https://example.com/a%20b' });
    expect(signed.baseString.split('&')[1]).toBe('https%3A%2F%2Fexample.com%2Fa%2520b');
  });
});

describe('signing key (RFC 5849 §3.4.2)', () => {
  it('always has its & and encodes both secrets', async () => {
    const signer = fixedSigner({ consumerSecret: 'c s&' });
    const signed = await signer.sign({ method: 'GET', url: 'https://example.com/r' });
    const consumerOnly = await backend.hmacSigner('SHA-1', 'c%20s%26&')(signed.baseString);
    expect(signed.signature).toBe(consumerOnly);
    const withToken = await fixedSigner({ consumerSecret: 'c s&', token: 't', tokenSecret: 'ts/1' }).sign({
      method: 'GET',
      url: 'https://example.com/r',
    });
    expect(withToken.signature).toBe(await backend.hmacSigner('SHA-1', 'c%20s%26&ts%2F1')(withToken.baseString));
  });

  it('uses node:crypto under Node (the export condition resolved)', () => {
    expect(backend.runtime).toBe('node');
  });
});
