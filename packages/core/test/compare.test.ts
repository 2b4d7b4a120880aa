import { describe, expect, it } from 'vitest';
import { compareBaseStrings, createSigner, OAuthError, parseProviderProblem } from '../src/index.ts';

const signer = createSigner({
  consumerKey: 'ck',
  consumerSecret: 'cs',
  nonce: () => 'n0nce',
  clock: () => 1_700_000_000_000,
});
const FORM = 'application/x-www-form-urlencoded';

describe('compareBaseStrings', () => {
  it('names a parameter whose value differs (a + signed as a plus, sent as a space)', async () => {
    const ours = (
      await signer.sign({ method: 'POST', url: 'https://api.example.com/r', body: 'status=a%2Bb', contentType: FORM })
    ).baseString;
    const theirs = (
      await signer.sign({ method: 'POST', url: 'https://api.example.com/r', body: 'status=a+b', contentType: FORM })
    ).baseString;
    expect(compareBaseStrings(ours, theirs)).toMatchObject({
      part: 'parameter',
      name: 'status',
      ours: 'a+b',
      theirs: 'a b',
    });
  });

  it('names a parameter only one side has, the method and the URI', async () => {
    const ours = (await signer.sign({ method: 'GET', url: 'https://api.example.com/r?a=1' })).baseString;
    const extra = (await signer.sign({ method: 'GET', url: 'https://api.example.com/r?a=1&include_entities=true' }))
      .baseString;
    expect(compareBaseStrings(ours, extra)?.summary).toMatch(/server signed parameter include_entities/);
    expect(compareBaseStrings(extra, ours)?.summary).toMatch(/We signed parameter include_entities/);
    const post = (await signer.sign({ method: 'POST', url: 'https://api.example.com/r?a=1' })).baseString;
    expect(compareBaseStrings(ours, post)).toMatchObject({ part: 'method' });
    const other = (await signer.sign({ method: 'GET', url: 'https://api.example.com:8443/r?a=1' })).baseString;
    expect(compareBaseStrings(ours, other)).toMatchObject({ part: 'uri' });
    expect(compareBaseStrings(ours, ours)).toBeUndefined();
  });

  it('an Atlassian refusal that echoes its base string names the first difference in the error', async () => {
    const ours = (await signer.sign({ method: 'GET', url: 'https://jira.example.com/rest/api/2/search?jql=a b' }))
      .baseString;
    const theirs = (await signer.sign({ method: 'GET', url: 'https://jira.example.com/rest/api/2/search?jql=a%2Bb' }))
      .baseString;
    const body = `oauth_problem=signature_invalid&oauth_signature_base_string=${encodeURIComponent(theirs)}`;
    const error = new OAuthError(401, parseProviderProblem(body), { baseString: ours });
    expect(error.difference).toMatchObject({ name: 'jql', ours: 'a b', theirs: 'a+b' });
    expect(error.message).toMatch(/Parameter jql differs: we signed "a b", the server used "a\+b"/);
  });
});
