"""Signs requests with oauthlib's client (an implementation we did not write) and prints,
for each, what it sent and the base string oauthlib itself computes for what it sent.

Reads a JSON array on stdin, each item: url, method, body (form text or null), consumerKey,
consumerSecret, token, tokenSecret, signatureMethod, nonce, timestamp. Prints a JSON array
of {uri, authorization, body, baseString}, in order.
"""
import json
import sys
from urllib.parse import urlparse

from oauthlib.oauth1 import SIGNATURE_TYPE_AUTH_HEADER, Client
from oauthlib.oauth1.rfc5849 import signature

FORM = "application/x-www-form-urlencoded"
signed = []
for spec in json.load(sys.stdin):
    client = Client(
        spec["consumerKey"],
        client_secret=spec["consumerSecret"],
        resource_owner_key=spec.get("token"),
        resource_owner_secret=spec.get("tokenSecret"),
        signature_method=spec["signatureMethod"],
        signature_type=SIGNATURE_TYPE_AUTH_HEADER,
        nonce=spec["nonce"],
        timestamp=spec["timestamp"],
    )
    headers = {"Content-Type": FORM} if spec.get("body") is not None else {}
    uri, headers, body = client.sign(spec["url"], http_method=spec["method"], body=spec.get("body"), headers=headers)
    params = signature.collect_parameters(
        uri_query=urlparse(uri).query,
        body=body or "",
        headers={"Authorization": headers["Authorization"]},
        exclude_oauth_signature=True,
        with_realm=False,
    )
    base = signature.signature_base_string(
        spec["method"], signature.base_string_uri(uri), signature.normalize_parameters(params)
    )
    signed.append({"uri": uri, "authorization": headers["Authorization"], "body": body, "baseString": base})
print(json.dumps(signed))
