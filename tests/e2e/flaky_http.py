#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""An HTTP endpoint on loopback whose behaviour a test switches at run time:
appends each accepted POST body as a line to OUTFILE; MODEFILE holds "ok",
"500" (answers 500 Internal Server Error) or "hang" (reads the request and
never answers). Usage: flaky_http.py PORTFILE OUTFILE MODEFILE [PORT]
(PORT 0 or none: a free port, written to PORTFILE). Exits after 120 seconds."""
import http.server
import socketserver
import sys
import threading
import time


def mode():
    try:
        with open(sys.argv[3]) as f:
            return f.read().strip() or "ok"
    except OSError:
        return "ok"


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        m = mode()
        if m == "hang":
            time.sleep(30)
            return
        if m == "500":
            self.send_response(500)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        with open(sys.argv[2], "ab") as f:
            f.write(body + b"\n")
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True


srv = Server(("127.0.0.1", int(sys.argv[4]) if len(sys.argv) > 4 else 0), Handler)
with open(sys.argv[1], "w") as f:
    f.write(str(srv.server_address[1]))
threading.Timer(120, srv.shutdown).start()
srv.serve_forever()
