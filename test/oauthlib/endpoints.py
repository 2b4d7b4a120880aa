"""oauthlib's own server endpoints (RequestTokenEndpoint, AccessTokenEndpoint,
ResourceEndpoint) behind Python's HTTP server: an OAuth 1.0a provider we did not write,
for the three-legged flow of our client.

Reads its configuration as JSON on stdin: {"consumers": {key: secret}}. Prints its port
once listening. Routes: POST /request_token, GET /authorize?oauth_token=… (approves at once
and answers the verifier as JSON, as a user clicking "allow" would), POST /access_token,
and any other path as a protected resource that answers {"ok": true, "params": …} when
oauthlib's ResourceEndpoint accepts the request, 401 otherwise.
"""
import json
import secrets
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

from oauthlib.oauth1 import AccessTokenEndpoint, RequestTokenEndpoint, RequestValidator, ResourceEndpoint

CONFIG = json.loads(sys.stdin.readline())
CONSUMERS = CONFIG["consumers"]
REQUEST_TOKENS = {}  # token -> {client, secret, callback, verifier}
ACCESS_TOKENS = {}  # token -> {client, secret}
NONCES = set()


class Validator(RequestValidator):
    enforce_ssl = False

    @property
    def dummy_client(self):
        return "dummy_client_key_000000"

    @property
    def dummy_request_token(self):
        return "dummy_request_token_0000"

    @property
    def dummy_access_token(self):
        return "dummy_access_token_00000"

    def validate_client_key(self, client_key, request):
        return client_key in CONSUMERS

    def get_client_secret(self, client_key, request):
        return CONSUMERS.get(client_key, "dummy secret")

    def validate_timestamp_and_nonce(self, client_key, timestamp, nonce, request, request_token=None, access_token=None):
        key = (client_key, timestamp, nonce, request_token or access_token or "")
        if key in NONCES:
            return False
        NONCES.add(key)
        return True

    def validate_requested_realms(self, client_key, realms, request):
        return True

    def get_default_realms(self, client_key, request):
        return []

    def validate_redirect_uri(self, client_key, redirect_uri, request):
        return True

    def save_request_token(self, token, request):
        REQUEST_TOKENS[token["oauth_token"]] = {
            "client": request.client_key,
            "secret": token["oauth_token_secret"],
            "callback": request.redirect_uri,
            "verifier": None,
        }

    def validate_request_token(self, client_key, token, request):
        record = REQUEST_TOKENS.get(token)
        return record is not None and record["client"] == client_key

    def get_request_token_secret(self, client_key, token, request):
        record = REQUEST_TOKENS.get(token)
        return record["secret"] if record else "dummy secret"

    def validate_verifier(self, client_key, token, verifier, request):
        record = REQUEST_TOKENS.get(token)
        return record is not None and record["verifier"] is not None and secrets.compare_digest(record["verifier"], verifier)

    def verify_request_token(self, token, request):
        return token in REQUEST_TOKENS

    def get_realms(self, token, request):
        return []

    def get_redirect_uri(self, token, request):
        return REQUEST_TOKENS[token]["callback"]

    def save_verifier(self, token, verifier, request):
        REQUEST_TOKENS[token]["verifier"] = verifier["oauth_verifier"]

    def invalidate_request_token(self, client_key, request_token, request):
        REQUEST_TOKENS.pop(request_token, None)

    def save_access_token(self, token, request):
        ACCESS_TOKENS[token["oauth_token"]] = {"client": request.client_key, "secret": token["oauth_token_secret"]}

    def validate_access_token(self, client_key, token, request):
        record = ACCESS_TOKENS.get(token)
        return record is not None and record["client"] == client_key

    def get_access_token_secret(self, client_key, token, request):
        record = ACCESS_TOKENS.get(token)
        return record["secret"] if record else "dummy secret"

    def validate_realms(self, client_key, token, request, uri=None, realms=None):
        return True


VALIDATOR = Validator()
REQUEST_TOKEN = RequestTokenEndpoint(VALIDATOR)
ACCESS_TOKEN = AccessTokenEndpoint(VALIDATOR)
RESOURCE = ResourceEndpoint(VALIDATOR)


class Provider(BaseHTTPRequestHandler):
    def answer(self, status, body, headers=None):
        data = body.encode() if isinstance(body, str) else body
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def handle_any(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8") if length else None
        uri = f"http://{self.headers['Host']}{self.path}"
        headers = dict(self.headers.items())
        path = urlparse(self.path).path
        if path == "/request_token":
            out_headers, out_body, status = REQUEST_TOKEN.create_request_token_response(uri, self.command, body, headers)
            return self.answer(status, out_body or "", out_headers)
        if path == "/authorize":
            token = parse_qs(urlparse(self.path).query).get("oauth_token", [""])[0]
            if token not in REQUEST_TOKENS:
                return self.answer(404, "unknown request token")
            verifier = secrets.token_hex(12)
            REQUEST_TOKENS[token]["verifier"] = verifier
            return self.answer(200, json.dumps({"oauth_token": token, "oauth_verifier": verifier}))
        if path == "/access_token":
            out_headers, out_body, status = ACCESS_TOKEN.create_access_token_response(uri, self.command, body, headers)
            return self.answer(status, out_body or "", out_headers)
        valid, request = RESOURCE.validate_protected_resource_request(uri, self.command, body, headers)
        if not valid:
            return self.answer(401, json.dumps({"ok": False}), {"Content-Type": "application/json"})
        params = [[name, value] for name, value in request.params if not name.startswith("oauth_")]
        return self.answer(200, json.dumps({"ok": True, "params": params}), {"Content-Type": "application/json"})

    do_GET = do_POST = do_PUT = do_DELETE = handle_any

    def log_message(self, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", 0), Provider)
print(server.server_address[1], flush=True)
server.serve_forever()
