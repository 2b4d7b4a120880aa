import { createHmac, randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** The Twitter "Creating a signature" request, the common input for every contender. */
export const TWITTER = {
  method: 'POST',
  url: 'https://api.twitter.com/1.1/statuses/update.json?include_entities=true',
  baseUri: 'https://api.twitter.com/1.1/statuses/update.json',
  body: 'status=Hello%20Ladies%20%2B%20Gentlemen%2C%20a%20signed%20OAuth%20request%21',
  contentType: 'application/x-www-form-urlencoded',
  status: 'Hello Ladies + Gentlemen, a signed OAuth request!',
  consumerKey: 'xvz1evFS4wEEPTGEFPHBog',
  consumerSecret: 'kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw',
  token: '370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb',
  tokenSecret: 'LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE',
};

/** oauth-1.0a: its documented use, with node:crypto as the hash function. */
export function oauth1a() {
  const OAuth = require('oauth-1.0a');
  const client = OAuth({
    consumer: { key: TWITTER.consumerKey, secret: TWITTER.consumerSecret },
    signature_method: 'HMAC-SHA1',
    hash_function: (base, key) => createHmac('sha1', key).update(base).digest('base64'),
  });
  const token = { key: TWITTER.token, secret: TWITTER.tokenSecret };
  return () =>
    client.toHeader(
      client.authorize({ url: TWITTER.url, method: TWITTER.method, data: { status: TWITTER.status } }, token),
    ).Authorization;
}

/**
 * oauth-sign (what `request` used): it takes pre-parsed parameters and returns only the
 * signature, so the nonce, timestamp and header are built around it the way `request` did.
 */
export function oauthSign() {
  const { hmacsign, rfc3986 } = require('oauth-sign');
  return () => {
    const oauth = {
      oauth_consumer_key: TWITTER.consumerKey,
      oauth_nonce: randomBytes(16).toString('hex'),
      oauth_signature_method: 'HMAC-SHA1',
      oauth_timestamp: Math.floor(Date.now() / 1000).toString(),
      oauth_token: TWITTER.token,
      oauth_version: '1.0',
    };
    const params = { include_entities: 'true', status: TWITTER.status, ...oauth };
    oauth.oauth_signature = hmacsign(
      TWITTER.method,
      TWITTER.baseUri,
      params,
      TWITTER.consumerSecret,
      TWITTER.tokenSecret,
    );
    return `OAuth ${Object.keys(oauth)
      .map((name) => `${name}="${rfc3986(oauth[name])}"`)
      .join(',')}`;
  };
}

/** oauth (node-oauth): the two steps its own request methods run to make a header. */
export function nodeOauth() {
  const { OAuth } = require('oauth');
  const client = new OAuth(null, null, TWITTER.consumerKey, TWITTER.consumerSecret, '1.0', null, 'HMAC-SHA1');
  return () => {
    const ordered = client._prepareParameters(TWITTER.token, TWITTER.tokenSecret, TWITTER.method, TWITTER.url, {
      status: TWITTER.status,
    });
    return client._buildAuthorizationHeaders(ordered);
  };
}
