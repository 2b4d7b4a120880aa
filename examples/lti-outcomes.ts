/**
 * LTI 1.1 Basic Outcomes, the tool's side: send a grade back to the LMS (HMAC-SHA1, XML
 * signed with oauth_body_hash), read it back, and see an out-of-range score refused.
 *
 *   npx tsx examples/lti-outcomes.ts      # against the local sandbox playing an LMS's outcomes service
 *   LTI_CONSUMER_KEY=… LTI_CONSUMER_SECRET=… LTI_OUTCOME_SERVICE_URL=… LTI_RESULT_SOURCEDID=… npx tsx examples/lti-outcomes.ts
 */
import { ltiOutcomesSigner, readResult, replaceResult } from '@countersign/lti';
import { DEMO, startLocalProvider } from './lib/local-provider.ts';

const env = process.env;
const real = env.LTI_OUTCOME_SERVICE_URL !== undefined;
const local = real ? undefined : await startLocalProvider({ provider: 'lti-outcomes' });
try {
  const signer = ltiOutcomesSigner({
    consumerKey: env.LTI_CONSUMER_KEY ?? DEMO.consumer.key,
    consumerSecret: env.LTI_CONSUMER_SECRET ?? DEMO.consumer.secret,
  });
  // What the launch carried: lis_outcome_service_url and lis_result_sourcedid.
  const request = {
    serviceUrl: env.LTI_OUTCOME_SERVICE_URL ?? `${local?.url}/mod/lti/service.php`,
    sourcedId: env.LTI_RESULT_SOURCEDID ?? 'course-7:unit-3:user-42',
  };
  const sent = await replaceResult(signer, request, 0.92);
  console.log(`replaceResult 0.92 -> ${sent.codeMajor}`);
  console.log(`readResult -> ${(await readResult(signer, request)).score}`);
  try {
    await replaceResult(signer, request, 92);
  } catch (error) {
    console.log(`replaceResult 92 -> ${(error as Error).message}`);
  }
} finally {
  await local?.close();
}
