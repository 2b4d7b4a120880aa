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

/**
 * Distinct requests as real traffic has them: every path, query and form body differs,
 * with values that need encoding (spaces, commas, `&`, `/`, non-ASCII). No `+` and no
 * repeated names, so that every peer (`oauth-1.0a` reads a query `+` as a plus, and the
 * object-shaped inputs of the others hold one value per name) signs what a server checks.
 * A fixed seed: every run signs the same requests.
 */
export function variedRequests(count = 2000) {
  let seed = 0x2545f491;
  const next = () => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) / 2 ** 32;
  };
  const pick = (list) => list[Math.floor(next() * list.length)];
  const words = ['Hello', 'Ladies', 'Gentlemen', 'a signed', 'OAuth', 'request!', 'café', '50%', 'a/b', 'x&y', 'été'];
  const resources = ['statuses', 'users', 'lists', 'favorites', 'direct_messages', 'friendships'];
  const requests = [];
  for (let i = 0; i < count; i++) {
    const baseUri = `https://api.example.com/1.1/${pick(resources)}/${100000 + i}/show.json`;
    const query = {
      include_entities: String(i % 2 === 0),
      page: String(1 + (i % 37)),
      cursor: String(Math.floor(next() * 1e12)),
    };
    const form = {
      status: `${pick(words)} ${pick(words)}, ${pick(words)} #${i}`,
      in_reply_to_status_id: String(Math.floor(next() * 1e15)),
    };
    const queryText = Object.entries(query)
      .map(([name, value]) => `${name}=${encodeURIComponent(value)}`)
      .join('&');
    const body = Object.entries(form)
      .map(([name, value]) => `${name}=${encodeURIComponent(value)}`)
      .join('&');
    requests.push({
      method: 'POST',
      url: `${baseUri}?${queryText}`,
      baseUri,
      body,
      contentType: 'application/x-www-form-urlencoded',
      query,
      form,
    });
  }
  return requests;
}

/** Each request in turn, round and round: `take()` is the next one. */
export function cycle(list) {
  let at = 0;
  return () => {
    const item = list[at];
    at = at + 1 === list.length ? 0 : at + 1;
    return item;
  };
}

/** The Twitter request in the shape each peer takes its input from (decoded query and form). */
export const TWITTER_REQUEST = {
  method: TWITTER.method,
  url: TWITTER.url,
  baseUri: TWITTER.baseUri,
  query: { include_entities: 'true' },
  form: { status: TWITTER.status },
};
const always = (request) => () => request;

/**
 * oauth-1.0a: its documented use, with node:crypto as the hash function; each request's form
 * parameters decoded, as its documentation passes them. `next` gives each call its request.
 */
export function oauth1a(next = always(TWITTER_REQUEST)) {
  const OAuth = require('oauth-1.0a');
  const client = OAuth({
    consumer: { key: TWITTER.consumerKey, secret: TWITTER.consumerSecret },
    signature_method: 'HMAC-SHA1',
    hash_function: (base, key) => createHmac('sha1', key).update(base).digest('base64'),
  });
  const token = { key: TWITTER.token, secret: TWITTER.tokenSecret };
  return () => {
    const request = next();
    return client.toHeader(client.authorize({ url: request.url, method: request.method, data: request.form }, token))
      .Authorization;
  };
}

/**
 * oauth-sign (what `request` used): it takes pre-parsed parameters (the decoded query and
 * form pairs) and returns only the signature, so the nonce, timestamp and header are built
 * around it the way `request` did.
 */
export function oauthSign(next = always(TWITTER_REQUEST)) {
  const { hmacsign, rfc3986 } = require('oauth-sign');
  return () => {
    const request = next();
    const oauth = {
      oauth_consumer_key: TWITTER.consumerKey,
      oauth_nonce: randomBytes(16).toString('hex'),
      oauth_signature_method: 'HMAC-SHA1',
      oauth_timestamp: Math.floor(Date.now() / 1000).toString(),
      oauth_token: TWITTER.token,
      oauth_version: '1.0',
    };
    const params = { ...request.query, ...request.form, ...oauth };
    oauth.oauth_signature = hmacsign(
      request.method,
      request.baseUri,
      params,
      TWITTER.consumerSecret,
      TWITTER.tokenSecret,
    );
    return `OAuth ${Object.keys(oauth)
      .map((name) => `${name}="${rfc3986(oauth[name])}"`)
      .join(',')}`;
  };
}

/** oauth (node-oauth): the two steps its own request methods run to make a header; it parses the URL's query itself. */
export function nodeOauth(next = always(TWITTER_REQUEST)) {
  const { OAuth } = require('oauth');
  const client = new OAuth(null, null, TWITTER.consumerKey, TWITTER.consumerSecret, '1.0', null, 'HMAC-SHA1');
  return () => {
    const request = next();
    const ordered = client._prepareParameters(
      TWITTER.token,
      TWITTER.tokenSecret,
      request.method,
      request.url,
      request.form,
    );
    return client._buildAuthorizationHeaders(ordered);
  };
}
