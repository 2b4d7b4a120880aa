import { describe, expect, it } from 'vitest';
import { isOAuthError, OAuthError, parseProviderProblem, throwIfRefused } from '../src/index.ts';

describe('provider error bodies', () => {
  it('Problem Reporting, with acceptable timestamps and absent parameters', () => {
    expect(
      parseProviderProblem('oauth_problem=timestamp_refused&oauth_acceptable_timestamps=1700000000-1700000600'),
    ).toMatchObject({
      problem: 'timestamp_refused',
      acceptableTimestamps: '1700000000-1700000600',
    });
    expect(
      parseProviderProblem('oauth_problem=parameter_absent&oauth_parameters_absent=oauth_nonce%26oauth_timestamp'),
    ).toMatchObject({
      parametersAbsent: ['oauth_nonce', 'oauth_timestamp'],
    });
  });

  it("Xero's oauth_problem_advice and Atlassian's echoed base string (redacted)", () => {
    const xero = parseProviderProblem(
      'oauth_problem=token_expired&oauth_problem_advice=The%20access%20token%20has%20expired',
    );
    expect(xero).toMatchObject({ problem: 'token_expired', advice: 'The access token has expired' });
    const base = 'POST&https%3A%2F%2Fapi.example.com%2Fx&a%3D1%26x_auth_password%3Dhunter2';
    const jira = parseProviderProblem(
      `oauth_problem=signature_invalid&oauth_signature_base_string=${encodeURIComponent(base)}`,
    );
    expect(jira.serverBaseString).toContain('a%3D1');
    expect(jira.serverBaseString).not.toContain('hunter2');
  });

  it("Flickr's debug_sbs", () => {
    expect(
      parseProviderProblem(
        'oauth_problem=signature_invalid&debug_sbs=GET&https%3A%2F%2Fwww.flickr.com%2Fservices&a%3D1',
      ).serverBaseString,
    ).toBe('GET&https%3A%2F%2Fwww.flickr.com%2Fservices&a%3D1');
  });

  it.each([
    [32, 'signature_invalid'],
    [89, 'token_rejected'],
    [135, 'timestamp_refused'],
    [215, 'parameter_absent'],
    [415, 'callback_rejected'],
  ])("Twitter's JSON error code %i is %s", (code, problem) => {
    expect(parseProviderProblem(JSON.stringify({ errors: [{ code, message: 'x' }] }))).toMatchObject({
      problem,
      providerCode: code,
    });
  });

  it("Twitter's plain-text refusal and a WWW-Authenticate problem", () => {
    expect(parseProviderProblem('Failed to validate oauth signature and token').problem).toBe('signature_invalid');
    expect(parseProviderProblem('', 'OAuth realm="x", oauth_problem="nonce_used"').problem).toBe('nonce_used');
  });

  it('throwIfRefused makes a typed error with a hint, and passes successes through', async () => {
    const ok = new Response('fine');
    expect(await throwIfRefused(ok)).toBe(ok);
    const refused = new Response('oauth_problem=nonce_used', { status: 401 });
    const error = await throwIfRefused(refused, 'GET&x&y').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OAuthError);
    expect(isOAuthError(error)).toBe(true);
    expect(error).toMatchObject({ status: 401, problem: 'nonce_used', code: 'provider_error', baseString: 'GET&x&y' });
    expect((error as Error).message).toMatch(/Sign every attempt afresh/);
    expect(Object.keys(error as object)).not.toContain('baseString');
    expect(JSON.stringify(error)).not.toContain('GET&x&y');
  });
});

describe("the server's base string, wherever the provider put it", () => {
  const BASE = 'GET&https%3A%2F%2Fapi.example.com%2Fr&a%3D1%26oauth_consumer_key%3Dk';
  it('a Problem Reporting body (net.oauth, the sandbox)', () => {
    expect(
      parseProviderProblem(`oauth_problem=signature_invalid&oauth_signature_base_string=${encodeURIComponent(BASE)}`)
        .serverBaseString,
    ).toBe(BASE);
  });
  it('WWW-Authenticate (net.oauth answers there too)', () => {
    const header = `OAuth realm="x", oauth_problem="signature_invalid", oauth_signature_base_string="${encodeURIComponent(BASE)}"`;
    expect(parseProviderProblem('', header)).toMatchObject({ problem: 'signature_invalid', serverBaseString: BASE });
  });
  it('a plain-text error', () => {
    expect(
      parseProviderProblem(`Invalid signature. Expected base string: ${BASE}\nsee the docs`).serverBaseString,
    ).toBe(BASE);
  });
  it('a JSON error', () => {
    expect(
      parseProviderProblem(JSON.stringify({ error: 'invalid signature', base_string: BASE })).serverBaseString,
    ).toBe(BASE);
  });
});
