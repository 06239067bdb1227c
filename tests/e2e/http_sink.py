#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""A local HTTP endpoint for tests: appends each POST body as a line to a
file. Usage: http_sink.py PORTFILE OUTFILE (binds 127.0.0.1 on a free port,
writes the port to PORTFILE). Exits after 60 seconds."""
import http.server
import sys
import threading


class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        with open(sys.argv[2], "ab") as f:
            f.write(body + b"\n")
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


srv = http.server.HTTPServer(("127.0.0.1", 0), Handler)
with open(sys.argv[1], "w") as f:
    f.write(str(srv.server_address[1]))
threading.Timer(60, srv.shutdown).start()
srv.serve_forever()
