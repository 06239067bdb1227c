#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Build the test initramfs: busybox-static, saker, sakerdump, the syscall
# workload, their shared libraries (from ldd) and tests/kernels/init as /init.
#   tests/kernels/mkinitramfs.sh BUILD OUT.cpio
set -eu
BUILD=$1
OUT=$2
here=$(cd "$(dirname "$0")" && pwd)
root=$(mktemp -d /tmp/kernel-initramfs.XXXXXX)
trap 'rm -rf "$root"' EXIT
bb=$(command -v busybox)
file -L "$bb" 2>/dev/null | grep -q 'statically linked' ||
	ldd "$bb" 2>&1 | grep -q 'not a dynamic' || { echo "mkinitramfs: $bb is not static (install busybox-static)" >&2; exit 1; }
mkdir -p "$root/bin" "$root/sbin" "$root/etc" "$root/proc" "$root/sys" "$root/dev" "$root/tmp" "$root/run" "$root/saker"
cp "$bb" "$root/bin/busybox"
for b in "$BUILD/saker" "$BUILD/sakerdump" "$BUILD/tests/syscall_child"; do
	cp "$b" "$root/saker/"
	ldd "$b" | awk '/=> \//{print $3} /^\t\/.*ld-linux/{print $1}' | while read -r lib; do
		mkdir -p "$root$(dirname "$lib")"
		cp -L -n "$lib" "$root$lib"
	done
done
# glibc's lib64 loader path
if [ -e /lib64/ld-linux-x86-64.so.2 ]; then
	mkdir -p "$root/lib64"
	cp -L -n /lib64/ld-linux-x86-64.so.2 "$root/lib64/"
fi
# a BPF object that lacks every kernel type the capture programs need:
# loaded as the kernel BTF it breaks every CO-RE relocation (failure path)
if [ -e "$BUILD/bench/floor.bpf.o" ]; then cp "$BUILD/bench/floor.bpf.o" "$root/saker/broken-btf.o"; fi
printf 'root:x:0:0:root:/:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/sh\n' >"$root/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
cp "$here/../../saker.yaml" "$root/saker/saker.yaml"
cp "$here/init" "$root/init"
chmod 755 "$root/init"
(cd "$root" && find . | busybox cpio -o -H newc 2>/dev/null) >"$OUT.tmp"
mv "$OUT.tmp" "$OUT"
