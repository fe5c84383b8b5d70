#!/usr/bin/python3
"""Checks the SigV4 signatures stackshift's HTTP client (libcurl's signer) puts on requests,
by signing each request again with botocore's own signer, from Debian's AWS CLI package.

Usage: sigv4_check_server.py ACCESS_KEY SECRET_KEY
Listens on 127.0.0.1 on a free port and prints "port N" first. For every request it takes the
region and service from the request's credential scope, the headers the request says it signed
(SignedHeaders), its method, URL, body and X-Amz-Date, signs that with botocore under the
credentials given here, and answers 200 when the Authorization header is exactly botocore's,
403 with both signatures otherwise. A request with X-Amz-Security-Token must have signed it.
Every answer carries X-Connection-Number, the count of the TCP connection it came on (1 for the
first the server accepted), so that a test sees whether its client reused a connection.
The path /hang is never answered (a test of timeouts).

Exits with status 3 at once when botocore's signer cannot be imported.
"""

import http.server
import sys
import threading
import time

try:
    import awscli.botocore.session  # noqa: F401  (sets up the vendored botocore package)
    from awscli.botocore.auth import SigV4Auth
    from awscli.botocore.awsrequest import AWSRequest
    from awscli.botocore.credentials import Credentials
except ImportError as error:
    print("botocore signer unavailable: %s" % error, flush=True)
    sys.exit(3)

ACCESS_KEY, SECRET_KEY = sys.argv[1], sys.argv[2]
connections = 0
connections_lock = threading.Lock()


def authorization_fields(value):
    """'AWS4-HMAC-SHA256 Credential=K/D/R/S/aws4_request, SignedHeaders=a;b, Signature=x' as a dict."""
    algorithm, _, rest = value.partition(" ")
    fields = {"Algorithm": algorithm}
    for part in rest.split(","):
        name, _, field = part.strip().partition("=")
        fields[name] = field
    return fields


def expected_authorization(method, url, headers, body):
    """botocore's Authorization header for the request, or (None, reason)."""
    fields = authorization_fields(headers.get("Authorization", ""))
    scope = fields.get("Credential", "").split("/")
    if fields["Algorithm"] != "AWS4-HMAC-SHA256" or len(scope) != 5:
        return None, "no SigV4 Authorization header: %r" % headers.get("Authorization")
    signed = fields.get("SignedHeaders", "").split(";")
    if "X-Amz-Security-Token" in headers and "x-amz-security-token" not in signed:
        return None, "X-Amz-Security-Token was sent but not signed"
    region, service = scope[2], scope[3]
    signed_headers = {name: headers[name] for name in signed if name in headers}
    request = AWSRequest(method=method, url=url, data=body, headers=signed_headers)
    request.context["timestamp"] = headers.get("X-Amz-Date", "")
    auth = SigV4Auth(Credentials(ACCESS_KEY, SECRET_KEY, headers.get("X-Amz-Security-Token")), service, region)
    canonical = auth.canonical_request(request)
    signature = auth.signature(auth.string_to_sign(request, canonical), request)
    names = auth.signed_headers(auth.headers_to_sign(request))
    return "AWS4-HMAC-SHA256 Credential=%s, SignedHeaders=%s, Signature=%s" % (
        auth.scope(request), names, signature), canonical


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: connections can be reused

    def setup(self):
        global connections
        super().setup()
        with connections_lock:
            connections += 1
            self.connection_number = connections

    def log_message(self, format, *args):
        sys.stdout.write("%s\n" % (format % args))
        sys.stdout.flush()

    def check(self):
        if self.path == "/hang":
            time.sleep(60)
            return
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length) if length else b""
        url = "http://%s%s" % (self.headers["Host"], self.path)
        expected, detail = expected_authorization(self.command, url, self.headers, body)
        given = self.headers.get("Authorization", "")
        if expected == given:
            self.answer(200, "signature matches botocore's\n" + given)
        else:
            self.answer(403, "signature differs\ngiven:    %s\nbotocore: %s\n%s" % (given, expected, detail))

    def answer(self, status, text):
        data = text.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("X-Connection-Number", str(self.connection_number))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_PUT = do_DELETE = check


def main():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    print("port %d" % server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
