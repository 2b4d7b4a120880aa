"""Judges requests signed by Countersign with oauthlib, an implementation we did not write.

Reads one JSON request per line on stdin; writes one JSON verdict per line on stdout.
OAuth parameters arrive in the Authorization header (oauthlib decodes oauth_* values in
a query or body twice, which would make the comparison unfair), or, for a request without
an Authorization header (WooCommerce), in the query string, decoded once here.
"""
import base64
import hashlib
import json
import sys
from urllib.parse import parse_qsl, urlparse

from oauthlib.common import Request
from oauthlib.oauth1.rfc5849 import signature

VERIFY = {
    "HMAC-SHA1": lambda r, c: signature.verify_hmac_sha1(r, c["consumerSecret"], c["tokenSecret"]),
    "HMAC-SHA256": lambda r, c: signature.verify_hmac_sha256(r, c["consumerSecret"], c["tokenSecret"]),
    "HMAC-SHA512": lambda r, c: signature.verify_hmac_sha512(r, c["consumerSecret"], c["tokenSecret"]),
    "RSA-SHA1": lambda r, c: signature.verify_rsa_sha1(r, c["publicKey"]),
    "RSA-SHA256": lambda r, c: signature.verify_rsa_sha256(r, c["publicKey"]),
    "PLAINTEXT": lambda r, c: signature.verify_plaintext(r, c["consumerSecret"], c["tokenSecret"]),
}
BODY_HASH = {"SHA1": hashlib.sha1, "SHA256": hashlib.sha256, "SHA512": hashlib.sha512}


def is_form(content_type):
    return bool(content_type) and content_type.split(";")[0].strip().lower() == "application/x-www-form-urlencoded"


def judge(case):
    headers = {"Authorization": case["authorization"]} if case.get("authorization") else {}
    body = case.get("body") or ""
    form_body = body if is_form(case.get("contentType")) else ""
    params = signature.collect_parameters(
        uri_query=urlparse(case["url"]).query,
        body=form_body,
        headers=headers,
        exclude_oauth_signature=True,
        with_realm=False,
    )
    # collect_parameters decodes header values; utils.parse_authorization_header does not.
    if headers:
        header_params = dict(signature.collect_parameters(headers=headers, exclude_oauth_signature=False))
    else:
        header_params = dict(parse_qsl(urlparse(case["url"]).query, keep_blank_values=True))
    request = Request(case["url"], http_method=case["method"], body=form_body, headers=headers)
    request.params = params
    request.signature = header_params["oauth_signature"]
    ok = VERIFY[case["signatureMethod"]](request, case)
    if ok and "oauth_body_hash" in header_params:
        digest = BODY_HASH[case["signatureMethod"].split("-")[-1]](body.encode("utf-8")).digest()
        ok = header_params["oauth_body_hash"] == base64.b64encode(digest).decode("ascii")
    return ok


for line in sys.stdin:
    case = json.loads(line)
    try:
        print(json.dumps({"id": case["id"], "ok": bool(judge(case))}), flush=True)
    except Exception as error:  # a crash is a disagreement, reported with its reason
        print(json.dumps({"id": case["id"], "ok": False, "error": f"{type(error).__name__}: {error}"}), flush=True)
sys.stdout.flush()
