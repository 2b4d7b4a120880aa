"""A server that does not read chunked requests, as Python's http.server does not: it reads
Content-Length bytes (none when the header is missing) and answers with what it got.

Prints its port on stdout once listening; answers JSON {status, contentLength, transferEncoding, body}.
"""
import json
from http.server import BaseHTTPRequestHandler, HTTPServer


class Echo(BaseHTTPRequestHandler):
    def do_POST(self):
        length = self.headers.get("Content-Length")
        body = self.rfile.read(int(length)) if length is not None else b""
        reply = json.dumps({
            "contentLength": length,
            "transferEncoding": self.headers.get("Transfer-Encoding"),
            "body": body.decode("utf-8"),
        }).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(reply)))
        # Unread chunked bytes would be taken for the next request: close instead.
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(reply)

    def log_message(self, *args):
        pass


server = HTTPServer(("127.0.0.1", 0), Echo)
print(server.server_address[1], flush=True)
server.serve_forever()
