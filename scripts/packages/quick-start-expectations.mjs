/**
 * What each package README's quick start prints when it runs as written: the packed check
 * (quick-starts.mjs) and the workspace test (test/e2e/readme-quick-starts.test.ts) read the
 * same table.
 */
export const QUICK_START_OUTPUT = {
  core: /^OAuth oauth_consumer_key="xvz1evFS4wEEPTGEFPHBog", oauth_nonce="\w{24}"[\s\S]*^GET&https%3A%2F%2Fapi\.twitter\.com/m,
  axios: /^OAuth oauth_consumer_key="ck", oauth_nonce="\w+", oauth_signature="[^"]+"/m,
  ky: /^OAuth oauth_consumer_key="ck", oauth_nonce="\w+", oauth_signature="[^"]+"/m,
  twitter: /token: '\w{20,}',[\s\S]*tokenSecret: '\[redacted\]'/,
  xero: /^200$/m,
  jira: /^200$/m,
  sandbox: /token: '\w{20,}',\s+callbackConfirmed: true,[\s\S]*tokenSecret: '\[redacted\]'/,
  // A request that verifies, then the cause of one that does not (the wrong token secret).
  testing: /^200 \{ screen_name: 'ada' \}\n[\s\S]*No common mistake reproduces the signature/m,
  mastercard: /^200 \[ 'oauth_body_hash', '47DEQpj8HBSa\+\/TImW\+5JCeuQeRkm5NMpJWZG3hSuFU=' \]$/m,
  netsuite: /^200\n401 INVALID_LOGIN$/m,
  woocommerce: /^200 true$/m,
  magento: /^200 HMAC-SHA256$/m,
  lti: /^success 0\.92$/m,
  etrade: /^200 \d{4}-\d\d-\d\dT0[45]:00:00\.000Z$/m,
  // Serves until stopped: serve-client.mjs sends it a signed launch and an unsigned one.
  server:
    /listening on http:\/\/[\s\S]*^signed: 200 Hello, user 42$[\s\S]*^unsigned: 400 oauth_problem=parameter_absent/m,
  // RFC 5849 §1.2: the photo request's signature.
  cli: /"signature": "MdpQcU8iPSUjWoN\/UDMsK2sui9I="/,
};

/** The secrets the quick starts use: none may reach their output. */
export const QUICK_START_SECRETS =
  /kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw|LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE|kd94hf93k423kf44|pfkkdhi9sl3r4s00|app secret|device secret|correct horse|demo-secret|integration secret|lms shared secret|etrade consumer secret|cs_quickstart secret|PRIVATE KEY|"cs"|"ts"|shared secret/;
