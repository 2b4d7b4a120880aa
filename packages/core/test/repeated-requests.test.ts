import { describe, expect, it } from 'vitest';
import {
  createOAuthFetch,
  createSigner,
  isCountersignError,
  normalizeParameters,
  parseForm,
  signatureBaseString,
} from '../src/index.ts';

// The signer prepares the last request it signed with its own options and signs the same
// request again from that template. Each signing must still be the base string RFC 5849
// gives for that request: here it is rebuilt from the parts with the public building blocks.
const FORM = 'application/x-www-form-urlencoded';
const URL_WITH_QUERY = 'https://api.example.com/1.1/statuses/update.json?include_entities=true';
const secrets = { consumerKey: 'ck', consumerSecret: 'cs', token: 'tk', tokenSecret: 'ts' };

function expectedBaseString(method: string, url: string, body: string | undefined, oauth: Record<string, string>) {
  const target = new URL(url);
  const pairs: Array<[string, string]> = [
    ...parseForm(target.search.slice(1)),
    ...(body === undefined ? [] : parseForm(body)),
    ...Object.entries(oauth).filter(([name]) => name !== 'oauth_signature'),
  ];
  return signatureBaseString(method, `${target.origin}${target.pathname}`, normalizeParameters(pairs));
}

describe('a request signed again, and others in between', () => {
  it('each signing is the RFC base string of its own request', async () => {
    const signer = createSigner(secrets);
    const requests = [
      ['POST', URL_WITH_QUERY, 'status=Hello%20Ladies%20%2B%20Gentlemen'],
      ['POST', URL_WITH_QUERY, 'status=Hello%20Ladies%20%2B%20Gentlemen'],
      ['PUT', URL_WITH_QUERY, 'status=Hello%20Ladies%20%2B%20Gentlemen'],
      ['POST', URL_WITH_QUERY, 'status=another'],
      ['POST', 'https://api.example.com/1.1/statuses/update.json', 'status=another'],
      ['GET', URL_WITH_QUERY, undefined],
      ['GET', URL_WITH_QUERY, undefined],
      ['POST', URL_WITH_QUERY, 'status=Hello%20Ladies%20%2B%20Gentlemen'],
      ['POST', URL_WITH_QUERY, 'z=last&a=first&oauthx=1'],
    ] as const;
    const nonces = new Set<string>();
    for (const [method, url, body] of requests) {
      const signed = await signer.sign({ method, url, body, contentType: body === undefined ? undefined : FORM });
      expect(signed.baseString).toBe(expectedBaseString(method, url, body, signed.oauthParams));
      nonces.add(signed.oauthParams.oauth_nonce as string);
    }
    expect(nonces.size).toBe(requests.length);
  });

  it('a password in a repeated form is redacted every time, and compared unredacted', async () => {
    const signer = createSigner({ consumerKey: 'ck', consumerSecret: 'cs' });
    const body = 'x_auth_username=u&x_auth_password=p4ss%21&x_auth_mode=client_auth';
    for (let i = 0; i < 2; i++) {
      const signed = await signer.sign({ method: 'POST', url: URL_WITH_QUERY, body, contentType: FORM });
      expect(signed.baseString).not.toContain('p4ss');
      expect(JSON.stringify(signed)).not.toContain('p4ss');
    }
  });

  it('a URL or URLSearchParams changed in place between two signings is signed as it is now', async () => {
    const signer = createSigner(secrets);
    const url = new URL(URL_WITH_QUERY);
    const form = new URLSearchParams({ status: 'first' });
    await signer.sign({ method: 'POST', url, body: form, contentType: FORM });
    url.searchParams.set('page', '2');
    form.set('status', 'second');
    const signed = await signer.sign({ method: 'POST', url, body: form, contentType: FORM });
    expect(signed.baseString).toBe(expectedBaseString('POST', url.href, form.toString(), signed.oauthParams));
    expect(signed.baseString).toContain('page%3D2');
    expect(signed.baseString).toContain('status%3Dsecond');
  });

  it('the same body under another Content-Type is signed as that type says', async () => {
    const signer = createSigner(secrets);
    const request = { method: 'POST', url: URL_WITH_QUERY, body: 'status=hi' };
    const asForm = await signer.sign({ ...request, contentType: FORM });
    const asText = await signer.sign({ ...request, contentType: 'text/plain' });
    const asFormAgain = await signer.sign({ ...request, contentType: FORM });
    expect(asForm.baseString).toContain('status%3Dhi');
    expect(asText.baseString).toBe(expectedBaseString('POST', URL_WITH_QUERY, undefined, asText.oauthParams));
    expect(asFormAgain.baseString).toBe(
      expectedBaseString('POST', URL_WITH_QUERY, 'status=hi', asFormAgain.oauthParams),
    );
  });

  it('per-request options are neither taken from the last signing nor left for the next', async () => {
    const signer = createSigner(secrets);
    const request = { method: 'GET', url: URL_WITH_QUERY };
    const own = await signer.sign(request);
    const other = await signer.sign(request, { token: 'other token', tokenSecret: 'other' });
    const inQuery = await signer.sign(request, { transmission: 'query' });
    const again = await signer.sign(request);
    expect(own.authorization).toContain('oauth_token="tk"');
    expect(other.authorization).toContain('oauth_token="other%20token"');
    expect(inQuery.authorization).toBeUndefined();
    expect(inQuery.url).toContain('&oauth_token=tk&');
    expect(again.authorization).toContain('oauth_token="tk"');
    for (const signed of [own, other, inQuery, again]) {
      expect(signed.baseString).toBe(expectedBaseString('GET', URL_WITH_QUERY, undefined, signed.oauthParams));
    }
  });

  it('every transmission, and nonces that need encoding, give the RFC text when repeated', async () => {
    let count = 0;
    const nonce = () => `n ${count++}+/`;
    for (const transmission of ['header', 'query', 'body'] as const) {
      const signer = createSigner({ ...secrets, realm: 'Example', transmission, nonce });
      for (let i = 0; i < 2; i++) {
        const body = 'status=hi%20there';
        const signed = await signer.sign({ method: 'POST', url: URL_WITH_QUERY, body, contentType: FORM });
        expect(signed.baseString).toBe(expectedBaseString('POST', URL_WITH_QUERY, body, signed.oauthParams));
        const sentNonce = `oauth_nonce${transmission === 'header' ? '="' : '='}n%20${count - 1}%2B%2F`;
        const sent =
          transmission === 'header' ? signed.authorization : transmission === 'query' ? signed.url : signed.body;
        expect(sent).toContain(sentNonce);
        expect(sent).toContain(
          `oauth_signature${transmission === 'header' ? '="' : '='}${encodeURIComponent(signed.signature)}`,
        );
      }
    }
  });

  it('a form that carries an OAuth parameter is refused every time, not only the first', async () => {
    const signer = createSigner(secrets);
    for (let i = 0; i < 2; i++) {
      const error = await signer
        .sign({ method: 'POST', url: URL_WITH_QUERY, body: 'oauth_token=x&a=1', contentType: FORM })
        .catch((caught: unknown) => caught);
      expect(isCountersignError(error) && error.code).toBe('invalid_param');
    }
  });
});

const fixedSigner = () =>
  createSigner({ ...secrets, nonce: () => 'fixedNonce0000000000', clock: () => 1_700_000_000_000 });

describe('fetch(request, { body }): the new body replaces the request’s, as fetch does', () => {
  function capture() {
    const sent: Array<{ url: string; init: RequestInit }> = [];
    const oauthFetch = createOAuthFetch(fixedSigner(), {
      fetch: async (url, init) => {
        sent.push({ url: String(url), init: init ?? {} });
        return new Response('ok');
      },
    });
    return { sent, oauthFetch };
  }

  it('signs and sends the new body, leaves the request’s own unread, keeps its headers', async () => {
    const { sent, oauthFetch } = capture();
    const request = new Request(URL_WITH_QUERY, {
      method: 'POST',
      headers: { 'content-type': FORM, 'x-trace': '1' },
      body: 'status=old',
    });
    await oauthFetch(request, { body: 'status=new%20one' });
    expect(request.bodyUsed).toBe(false);
    expect(sent).toHaveLength(1);
    const init: RequestInit = sent[0]?.init ?? {};
    expect(init.body).toBe('status=new%20one');
    const headers = new Headers(init.headers);
    expect(headers.get('x-trace')).toBe('1');
    const expected = await fixedSigner().sign({
      method: 'POST',
      url: URL_WITH_QUERY,
      body: 'status=new%20one',
      contentType: FORM,
    });
    expect(headers.get('authorization')).toBe(expected.authorization);
  });

  it('adds the Content-Type the new body implies when the request has none', async () => {
    const { sent, oauthFetch } = capture();
    const request = new Request(URL_WITH_QUERY, { method: 'POST', body: new Uint8Array([1, 2]) });
    await oauthFetch(request, { body: new URLSearchParams({ status: 'a b' }) });
    const headers = new Headers(sent[0]?.init.headers);
    expect(headers.get('content-type')).toBe(
      new Request(request, { body: new URLSearchParams() }).headers.get('content-type'),
    );
  });

  it('a GET request given a body is refused as fetch refuses it', async () => {
    const { oauthFetch } = capture();
    const plain = await fetch(new Request(URL_WITH_QUERY), { body: 'a=1' }).catch((caught: unknown) => caught);
    const ours = await oauthFetch(new Request(URL_WITH_QUERY), { body: 'a=1' }).catch((caught: unknown) => caught);
    expect(ours).toBeInstanceOf(TypeError);
    expect(plain).toBeInstanceOf(TypeError);
  });
});
