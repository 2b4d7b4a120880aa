"""Signs requests with oauthlib's client (an implementation we did not write), nonce and
timestamp fixed, so its signature can be compared with ours for the same request.

Reads a JSON array on stdin, each item: url, method, body (optional, form), contentType,
consumerKey, consumerSecret, token, tokenSecret, signatureMethod, privateKey, realm,
signatureType ("header" or "query"), nonce, timestamp, callback. Prints a JSON array of
{uri, authorization, body}, in order.
"""
import json
import sys

from oauthlib.oauth1 import SIGNATURE_TYPE_AUTH_HEADER, SIGNATURE_TYPE_QUERY, Client

TYPES = {"header": SIGNATURE_TYPE_AUTH_HEADER, "query": SIGNATURE_TYPE_QUERY}
signed = []
for spec in json.load(sys.stdin):
    client = Client(
        spec["consumerKey"],
        client_secret=spec.get("consumerSecret"),
        resource_owner_key=spec.get("token"),
        resource_owner_secret=spec.get("tokenSecret"),
        signature_method=spec["signatureMethod"],
        rsa_key=spec.get("privateKey"),
        realm=spec.get("realm"),
        signature_type=TYPES[spec.get("signatureType", "header")],
        nonce=spec["nonce"],
        timestamp=spec["timestamp"],
        callback_uri=spec.get("callback"),
    )
    headers = {"Content-Type": spec["contentType"]} if spec.get("contentType") else {}
    uri, headers, body = client.sign(spec["url"], http_method=spec["method"], body=spec.get("body"), headers=headers)
    signed.append({"uri": uri, "authorization": headers.get("Authorization"), "body": body})
print(json.dumps(signed))
