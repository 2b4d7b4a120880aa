/**
 * Core's messages name code options (`privateKey:`, `tokenSecret`, `setClockOffset()`),
 * which a shell user never typed: the CLI says the flag instead. One table, so every
 * command words a mistake the same way.
 */
const FLAGS: ReadonlyArray<readonly [RegExp, string]> = [
  [/\bconsumerKey\b/g, '--consumer-key'],
  [/\bconsumerSecret\b/g, '--consumer-secret'],
  [/\btokenSecret\b/g, '--token-secret'],
  [/\bprivateKey\b/g, '--private-key'],
  [/\bpublicKey\b/g, '--consumers publicKey'],
  [/\boauthParams\.(\w+)/g, '--oauth-param $1'],
  [/\boauthParams\b/g, '--oauth-param'],
  [/\bbodyHash\b/g, '--body-hash'],
  [/\bsignatureMethod\b/g, '--signature-method'],
  [/\btransmission: '(\w+)'/g, '--transmission $1'],
  [/\btransmission\b/g, '--transmission'],
  [/\bincludeVersion: false\b/g, '--no-oauth-version'],
  [/\bincludeVersion\b/g, '--no-oauth-version'],
  [/\b(?:signer\.)?setClockOffset\(\)/g, '--timestamp'],
  [/\bclockOffsetSeconds\b/g, '--timestamp'],
  [/\ballowPlaintextOverHttp(?:: true)?/g, '--allow-plaintext-over-http'],
  [/\brequireCallbackConfirmed: false\b/g, 'a provider known to omit it'],
  [/^(url|method|realm|nonce|token):/, '--$1:'],
];

/** A message from core, worded for the command line. */
export function inCliTerms(message: string): string {
  let worded = message;
  for (const [pattern, flag] of FLAGS) worded = worded.replace(pattern, flag);
  return worded;
}
