/**
 * The client side of the server package's quick start, which serves until stopped: a launch
 * signed the way an LMS signs it (for the origin the quick start verifies, sent to where it
 * listens), and the same without a signature. Prints each answer's status and body.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';

// The packed core, from the fresh project this runs in (its working directory).
const { createSigner } = createRequire(join(process.cwd(), 'package.json'))('@countersign/core');

const listening = new URL(process.argv[2]);
// The quick start's consumer and its origin, as the README sets them.
const signer = createSigner({ consumerKey: 'my-lms-consumer-key', consumerSecret: 'shared secret' });
const body = 'user_id=42&lti_message_type=basic-lti-launch-request';
const form = { 'content-type': 'application/x-www-form-urlencoded' };
const signed = await signer.sign({
  method: 'POST',
  url: 'https://tool.example.com/lti/launch',
  body,
  contentType: form['content-type'],
});
const send = (headers) =>
  fetch(new URL('/lti/launch', listening), { method: 'POST', headers: { ...form, ...headers }, body });
const verified = await send({ authorization: signed.authorization });
console.log(`signed: ${verified.status} ${await verified.text()}`);
const unsigned = await send({});
console.log(`unsigned: ${unsigned.status} ${(await unsigned.text()).split('&')[0]}`);
