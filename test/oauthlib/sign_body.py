"""Signs form POSTs the way an LMS signs LTI 1.1 launches, with oauthlib's client (an
implementation we did not write): HMAC-SHA1, the OAuth parameters in the form body.

Reads a JSON array on stdin, each item: url, consumerKey, consumerSecret, params (pairs),
and optionally token and tokenSecret. Prints a JSON array of the signed bodies, in order.
"""
import json
import sys
from urllib.parse import urlencode

from oauthlib.oauth1 import SIGNATURE_TYPE_BODY, Client

signed = []
for spec in json.load(sys.stdin):
    client = Client(
        spec["consumerKey"],
        client_secret=spec["consumerSecret"],
        resource_owner_key=spec.get("token"),
        resource_owner_secret=spec.get("tokenSecret"),
        signature_type=SIGNATURE_TYPE_BODY,
    )
    _uri, _headers, body = client.sign(
        spec["url"],
        http_method="POST",
        body=urlencode([tuple(pair) for pair in spec["params"]]),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    signed.append(body)
print(json.dumps(signed))
