import { type Sandbox, startSandbox } from '@countersign/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  deleteResult,
  ltiOutcomesSigner,
  OutcomeError,
  outcomeXml,
  parseOutcomeResponse,
  readResult,
  replaceResult,
} from '../src/index.ts';

const LMS = { key: 'ltiOutcomesConsumer000', secret: 'lms shared secret' };
let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ consumers: [LMS], profile: { provider: 'lti-outcomes' } });
});
afterAll(() => sandbox.close());
const signer = ltiOutcomesSigner({ consumerKey: LMS.key, consumerSecret: LMS.secret });

describe('LTI 1.1 Basic Outcomes', () => {
  it('writes the replaceResult message of LTI 1.1 §6 (sourcedId escaped, no exponent in a score)', () => {
    const xml = outcomeXml('replaceResult', '3124567', { score: 0.92, messageId: '999999123' });
    expect(xml).toContain(
      '<imsx_POXEnvelopeRequest xmlns="http://www.imsglobal.org/services/ltiv1p1/xsd/imsoms_v1p0">',
    );
    expect(xml).toContain('<imsx_messageIdentifier>999999123</imsx_messageIdentifier>');
    expect(xml).toContain(
      '<replaceResultRequest><resultRecord><sourcedGUID><sourcedId>3124567</sourcedId></sourcedGUID><result><resultScore><language>en</language><textString>0.92</textString></resultScore></result></resultRecord></replaceResultRequest>',
    );
    expect(outcomeXml('replaceResult', 'a<b>&"c', { score: 1e-7 })).toContain(
      '<sourcedId>a&#60;b&#62;&#38;&#34;c</sourcedId></sourcedGUID><result><resultScore><language>en</language><textString>0.0000001</textString>',
    );
    expect(() => outcomeXml('replaceResult', 'x', { score: 1.5 })).toThrow(/decimal from 0 to 1/);
  });

  it('sends, reads and deletes a grade at an outcomes service that requires oauth_body_hash', async () => {
    const request = { serviceUrl: `${sandbox.url}/mod/lti/service.php`, sourcedId: 'course-7:user-42' };
    expect(await replaceResult(signer, request, 0.92)).toMatchObject({
      codeMajor: 'success',
      description: 'Score for course-7:user-42 is now 0.92.',
    });
    expect((await readResult(signer, request)).score).toBe(0.92);
    await deleteResult(signer, request);
    expect((await readResult(signer, request)).score).toBeUndefined();
  });

  it('an answer other than success is an OutcomeError with the LMS description', async () => {
    const refused = await replaceResult(signer, { serviceUrl: `${sandbox.url}/outcomes`, sourcedId: 'x' }, 0.5, {
      fetch: async () =>
        new Response('<imsx_codeMajor>failure</imsx_codeMajor><imsx_description>No such sourcedId.</imsx_description>'),
    }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(OutcomeError);
    expect((refused as OutcomeError).message).toBe('The LMS answered replaceResult with failure: No such sourcedId.');
    expect(parseOutcomeResponse('<html>Moodle error</html>').codeMajor).toBe('unreadable');
  });
});
