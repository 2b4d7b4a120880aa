"""Signs one request with oauthlib's client (an implementation we did not write) and sends it.

Reads a JSON object on stdin: url, method, body (form, optional), consumer and token
credentials, signature method. Prints the HTTP status and the response body.
"""
import json
import sys
import urllib.error
import urllib.request

from oauthlib.oauth1 import Client

spec = json.load(sys.stdin)
client = Client(
    spec["consumerKey"],
    client_secret=spec.get("consumerSecret"),
    resource_owner_key=spec.get("token"),
    resource_owner_secret=spec.get("tokenSecret"),
    signature_method=spec.get("signatureMethod", "HMAC-SHA1"),
    rsa_key=spec.get("privateKey"),
    callback_uri=spec.get("callback"),
)
headers = {"Content-Type": "application/x-www-form-urlencoded"} if spec.get("body") else {}
uri, headers, body = client.sign(spec["url"], http_method=spec["method"], body=spec.get("body"), headers=headers)
request = urllib.request.Request(uri, data=body.encode() if body else None, headers=headers, method=spec["method"])
try:
    with urllib.request.urlopen(request) as response:
        print(json.dumps({"status": response.status, "body": response.read().decode()}))
except urllib.error.HTTPError as error:
    print(json.dumps({"status": error.code, "body": error.read().decode()}))
