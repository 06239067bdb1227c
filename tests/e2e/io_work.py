# SPDX-License-Identifier: Apache-2.0
# I/O workload for test_io.sh: known strings written to and read from a
# file, a pipe and a loopback TCP socket, with write(2)/read(2) (os.write,
# os.read). Usage: io_work.py DIR MARK; prints its pid first.
import os
import socket
import sys
import time

d, mark = sys.argv[1], sys.argv[2]
print(os.getpid(), flush=True)
time.sleep(0.5)
fd = os.open(d + "/file", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
os.write(fd, (mark + "-file").encode())
os.write(fd, (mark + "-long-" + "x" * 150).encode())
os.close(fd)
fd = os.open(d + "/file", os.O_RDONLY)
os.read(fd, 4096)
os.close(fd)
r, w = os.pipe()
os.write(w, (mark + "-pipe").encode())
os.read(r, 100)
srv = socket.socket()
srv.bind(("127.0.0.1", 0))
srv.listen(1)
cli = socket.create_connection(srv.getsockname())
acc, _ = srv.accept()
os.write(cli.fileno(), (mark + "-sock").encode())
os.read(acc.fileno(), 100)
os.write(w, b"\x00\x01bin\x00ary" + mark.encode())
os.read(r, 100)
# control and high bytes, for the hex and ascii dumps (a tab, LF, CR, DEL, UTF-8)
os.write(w, b"a\tb\nc\rd\x7fe\xc3\xa9" + mark.encode() + bytes(range(16)))
os.read(r, 100)
