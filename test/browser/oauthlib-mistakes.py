"""Sends requests signed by oauthlib's client (an implementation we did not write), some
with a classic mistake made on purpose, for the inspector test.

Reads a JSON list on stdin; each item: signUrl and sendUrl (they differ when the mistake is
in the URL), method, signBody and sendBody (form text; they differ when a body parameter is
left out of the signature), consumer and token credentials, and an optional timestamp (a
clock that is off). Prints a JSON list of {status, body}.
"""
import json
import sys
import urllib.error
import urllib.request

from oauthlib.oauth1 import Client

FORM = "application/x-www-form-urlencoded"
results = []
for spec in json.load(sys.stdin):
    client = Client(
        spec["consumerKey"],
        client_secret=spec["consumerSecret"],
        resource_owner_key=spec.get("token"),
        resource_owner_secret=spec.get("tokenSecret"),
        timestamp=spec.get("timestamp"),
    )
    sign_body = spec.get("signBody")
    headers = {"Content-Type": FORM} if sign_body else {}
    _, headers, _ = client.sign(spec["signUrl"], http_method=spec["method"], body=sign_body, headers=headers)
    send_body = spec.get("sendBody")
    if send_body:
        headers["Content-Type"] = FORM
    request = urllib.request.Request(
        spec["sendUrl"], data=send_body.encode() if send_body else None, headers=headers, method=spec["method"]
    )
    try:
        with urllib.request.urlopen(request) as response:
            results.append({"status": response.status, "body": response.read().decode()})
    except urllib.error.HTTPError as error:
        results.append({"status": error.code, "body": error.read().decode()})
print(json.dumps(results))
