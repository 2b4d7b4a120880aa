"""A strict OAuth 1.0a provider built on oauthlib (an implementation we did not write), for
the refusal corpus: it verifies with oauthlib's own signature functions and refuses in the
Problem Reporting format, echoing the base string it computed (oauth_signature_base_string,
as Atlassian's net.oauth does), so a client can compare.

Reads its configuration as JSON on stdin: consumers {key: {secret, methods}}, tokens
{token: secret}. Prints its port once listening. OAuth parameters are read from the
Authorization header, query and form body; oauthlib's parameter collection decodes them.
"""
import json
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlencode, urlparse

from oauthlib.common import Request
from oauthlib.oauth1.rfc5849 import signature

CONFIG = json.loads(sys.stdin.readline())
WINDOW = 300
SEEN = set()
VERIFY = {
    "HMAC-SHA1": lambda r, c, t: signature.verify_hmac_sha1(r, c, t),
    "HMAC-SHA256": lambda r, c, t: signature.verify_hmac_sha256(r, c, t),
    "PLAINTEXT": lambda r, c, t: signature.verify_plaintext(r, c, t),
}


def is_form(content_type):
    return bool(content_type) and content_type.split(";")[0].strip().lower() == "application/x-www-form-urlencoded"


class Provider(BaseHTTPRequestHandler):
    def refuse(self, status, problem, **fields):
        body = urlencode([("oauth_problem", problem), *fields.items()]).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/x-www-form-urlencoded")
        self.send_header("WWW-Authenticate", f'OAuth realm="oauthlib", oauth_problem="{problem}"')
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def handle_any(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length).decode("utf-8") if length else ""
        body = raw if is_form(self.headers.get("Content-Type")) else ""
        url = f"http://{self.headers['Host']}{self.path}"
        headers = {"Authorization": self.headers.get("Authorization", "")} if self.headers.get("Authorization") else {}
        try:
            params = signature.collect_parameters(
                uri_query=urlparse(url).query, body=body, headers=headers, exclude_oauth_signature=False, with_realm=False
            )
        except Exception as error:  # oauthlib's strict decoder
            return self.refuse(400, "parameter_rejected", oauth_problem_advice=str(error))
        oauth = {}
        for name, value in params:
            if name.startswith("oauth_"):
                if name in oauth:
                    return self.refuse(400, "parameter_rejected", oauth_problem_advice=f"{name} sent twice")
                oauth[name] = value
        absent = [n for n in ("oauth_consumer_key", "oauth_signature_method", "oauth_signature", "oauth_timestamp", "oauth_nonce") if n not in oauth]
        if absent:
            return self.refuse(400, "parameter_absent", oauth_parameters_absent="&".join(absent))
        # Twitter's reverse auth: x_auth_mode=reverse_auth in the header and in the body.
        in_header = "x_auth_mode" in dict(signature.collect_parameters(headers=headers)) if headers else False
        in_body = any(n == "x_auth_mode" for n, _ in signature.collect_parameters(body=body)) if body else False
        if in_header != in_body:
            return self.refuse(400, "parameter_absent", oauth_parameters_absent="x_auth_mode")
        consumer = CONFIG["consumers"].get(oauth["oauth_consumer_key"])
        if consumer is None:
            return self.refuse(401, "consumer_key_unknown")
        method = oauth["oauth_signature_method"]
        if method not in consumer["methods"] or method not in VERIFY:
            return self.refuse(401, "signature_method_rejected")
        token_secret = ""
        if "oauth_token" in oauth:
            if oauth["oauth_token"] not in CONFIG["tokens"]:
                return self.refuse(401, "token_rejected")
            token_secret = CONFIG["tokens"][oauth["oauth_token"]]
        now = int(time.time())
        if abs(int(oauth["oauth_timestamp"]) - now) > WINDOW:
            return self.refuse(401, "timestamp_refused", oauth_acceptable_timestamps=f"{now - WINDOW}-{now + WINDOW}")
        signed = [(n, v) for n, v in params if n != "oauth_signature"]
        base = signature.signature_base_string(self.command, signature.base_string_uri(url), signature.normalize_parameters(signed))
        request = Request(url, http_method=self.command, body=body, headers=headers)
        request.params = signed
        request.signature = oauth["oauth_signature"]
        if not VERIFY[method](request, consumer["secret"], token_secret):
            return self.refuse(401, "signature_invalid", oauth_signature_base_string=base)
        key = (oauth["oauth_consumer_key"], oauth.get("oauth_token", ""), oauth["oauth_timestamp"], oauth["oauth_nonce"])
        if key in SEEN:
            return self.refuse(401, "nonce_used")
        SEEN.add(key)
        reply = json.dumps({"ok": True, "baseString": base}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)

    do_GET = do_POST = do_PUT = do_DELETE = handle_any

    def log_message(self, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", 0), Provider)
print(server.server_address[1], flush=True)
server.serve_forever()
