# SPDX-License-Identifier: Apache-2.0
# Unconnected UDP for test_io.sh: sendto/recvfrom, sendmsg/recvmsg (with an
# IP_PKTINFO control message) and sendmmsg/recvmmsg (libc through ctypes,
# each message with its msg_name), empty datagrams and a long control message
# between two loopback sockets. Prints its
# pid and the two ports, then "A B".
import ctypes, os, socket, sys, time

mark = sys.argv[1]
a = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
b = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
a.bind(("127.0.0.1", 0))
b.bind(("127.0.0.1", 0))
b.setsockopt(socket.IPPROTO_IP, 8, 1)  # IP_PKTINFO: a control message on each receive
pa, pb = a.getsockname()[1], b.getsockname()[1]
print(os.getpid(), pa, pb, flush=True)
time.sleep(0.5)
a.sendto((mark + "-sendto").encode(), ("127.0.0.1", pb))
b.recvfrom(100)
a.sendmsg([(mark + "-sendmsg").encode()], [], 0, ("127.0.0.1", pb))
b.recvmsg(100, 256)


class iovec(ctypes.Structure):
    _fields_ = [("base", ctypes.c_void_p), ("len", ctypes.c_size_t)]


class msghdr(ctypes.Structure):
    _fields_ = [("name", ctypes.c_void_p), ("namelen", ctypes.c_uint32), ("iov", ctypes.POINTER(iovec)),
                ("iovlen", ctypes.c_size_t), ("control", ctypes.c_void_p), ("controllen", ctypes.c_size_t),
                ("flags", ctypes.c_int)]


class mmsghdr(ctypes.Structure):
    _fields_ = [("hdr", msghdr), ("len", ctypes.c_uint32)]


def sockaddr(port):
    sa = (ctypes.c_uint8 * 16)()
    sa[0], sa[1] = socket.AF_INET, 0
    sa[2], sa[3] = port >> 8, port & 0xff
    sa[4:8] = [127, 0, 0, 1]
    return sa


libc = ctypes.CDLL(None, use_errno=True)
dst = sockaddr(pb)
bufs = [ctypes.create_string_buffer((mark + "-mmsg%d" % i).encode()) for i in (1, 2)]
iovs = [iovec(ctypes.cast(x, ctypes.c_void_p), len(x.value)) for x in bufs]
mm = (mmsghdr * 2)()
for i in range(2):
    mm[i].hdr.name = ctypes.cast(dst, ctypes.c_void_p)
    mm[i].hdr.namelen = 16
    mm[i].hdr.iov = ctypes.pointer(iovs[i])
    mm[i].hdr.iovlen = 1
libc.sendmmsg(a.fileno(), mm, 2, 0)
rbuf = ctypes.create_string_buffer(100)
riov = iovec(ctypes.cast(rbuf, ctypes.c_void_p), 100)
src = (ctypes.c_uint8 * 16)()
ctl = (ctypes.c_uint8 * 64)()
rm = (mmsghdr * 1)()
rm[0].hdr.name = ctypes.cast(src, ctypes.c_void_p)
rm[0].hdr.namelen = 16
rm[0].hdr.iov = ctypes.pointer(riov)
rm[0].hdr.iovlen = 1
rm[0].hdr.control = ctypes.cast(ctl, ctypes.c_void_p)
rm[0].hdr.controllen = 64
libc.recvmmsg(b.fileno(), rm, 1, 0, None)
b.recvfrom(100)
# receives of an empty datagram (ret 0): libs sends their tuple and control data empty
a.sendto(b"", ("127.0.0.1", pb))
b.recvfrom(100)
a.sendto(b"", ("127.0.0.1", pb))
b.recvmsg(100, 256)
# control data longer than the snaplen (libs reads msg_controllen bytes): a
# timestamp, IP_PKTINFO, IP_TTL and IP_TOS messages, 112 bytes
b.setsockopt(socket.IPPROTO_IP, 12, 1)  # IP_RECVTTL
b.setsockopt(socket.IPPROTO_IP, 13, 1)  # IP_RECVTOS
b.setsockopt(socket.SOL_SOCKET, 35, 1)  # SO_TIMESTAMPNS
a.sendto((mark + "-ctl").encode(), ("127.0.0.1", pb))
b.recvmsg(100, 256)
# receives that fail (nothing queued on a non-blocking connected socket):
# libs sends their tuple and data empty, recvmsg's size 0
c = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
c.connect(("127.0.0.1", pa))
c.setblocking(False)
for f in (lambda: c.recvfrom(100), lambda: c.recvmsg(100, 256)):
    try:
        f()
    except BlockingIOError:
        pass
