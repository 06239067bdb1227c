#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# A container runtime socket that misbehaves, for tests:
#   bad_runtime.py hang PATH      accepts, reads, never answers
#   bad_runtime.py garbage PATH   answers HTTP/1.1 200 with a body that is not JSON
#   bad_runtime.py bytes PATH     answers random bytes (no HTTP/2 at all)
#   bad_runtime.py slow PATH REAL relays to the socket REAL, 0.5 s late
import os
import socket
import sys
import threading
import time

mode, path = sys.argv[1], sys.argv[2]
try:
    os.unlink(path)
except FileNotFoundError:
    pass
srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
srv.bind(path)
srv.listen(64)
held = []


def pump(a, b):
    try:
        while True:
            d = a.recv(65536)
            if not d:
                break
            b.sendall(d)
    except OSError:
        pass
    for s in (a, b):
        try:
            s.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


def relay(c, first):
    up = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    up.connect(sys.argv[3])
    up.sendall(first)
    threading.Thread(target=pump, args=(up, c), daemon=True).start()
    pump(c, up)


def serve(c):
    try:
        first = c.recv(65536)
        if mode == "garbage":
            c.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 9\r\n\r\n{garbage]")
            c.close()
        elif mode == "bytes":
            c.sendall(os.urandom(64))
            c.close()
        elif mode == "slow":
            time.sleep(0.5)
            relay(c, first)
        else:
            held.append(c)  # keep it open, never answer
    except OSError:
        pass


while True:
    conn, _ = srv.accept()
    threading.Thread(target=serve, args=(conn,), daemon=True).start()
