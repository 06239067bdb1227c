#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Build the container image localhost/saker:VERSION (and :latest) from scratch:
# the binaries, the shared libraries ldd lists for them, the default config and
# rules, CA certificates (HTTPS sinks) and a static busybox (probes, debugging).
# No registry is contacted (podman build --pull=never).
#   packaging/image/build.sh BUILD VERSION [IMAGE]
set -eu
BUILD=$1
VERSION=$2
IMAGE=${3:-localhost/saker}
ctx=$BUILD/image
root=$ctx/rootfs
rm -rf "$ctx"
mkdir -p "$root/usr/bin" "$root/etc/saker/rules.d" "$root/tmp" "$root/host" "$root/bin"
chmod 1777 "$root/tmp"

for b in saker sakerdump saker-eventgen; do
	install -m 0755 "$BUILD/$b" "$root/usr/bin/$b"
	strip --strip-unneeded "$root/usr/bin/$b"
done
# Each library at the path the dynamic loader looks in, symlinks resolved.
ldd "$BUILD/saker" "$BUILD/sakerdump" "$BUILD/saker-eventgen" |
	awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// && $1 !~ /:$/ { print $1 }' | sort -u |
	while read -r lib; do
		mkdir -p "$root$(dirname "$lib")"
		cp -L "$lib" "$root$lib"
	done
# /lib64 -> usr/lib64 style layouts: keep the interpreter where PT_INTERP says.
interp=$(readelf -l "$BUILD/saker" | sed -n 's/.*Requesting program interpreter: \(.*\)]/\1/p')
[ -e "$root$interp" ] || { mkdir -p "$root$(dirname "$interp")"; cp -L "$interp" "$root$interp"; }

install -m 0644 packaging/saker.yaml "$root/etc/saker/saker.yaml"
install -m 0644 rules/saker_rules.yaml "$root/etc/saker/saker_rules.yaml"
install -m 0644 rules/saker_rules.local.yaml "$root/etc/saker/saker_rules.local.yaml"
if [ -f /etc/ssl/certs/ca-certificates.crt ]; then
	mkdir -p "$root/etc/ssl/certs"
	cp -L /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/"
fi
cp /bin/busybox "$root/bin/busybox"
for c in sh cat ls wget sleep id ps; do ln -sf busybox "$root/bin/$c"; done
printf 'root:x:0:0:root:/root:/bin/sh\n' >"$root/etc/passwd"
printf 'root:x:0:\n' >"$root/etc/group"

sed "s/@VERSION@/$VERSION/g" packaging/image/Containerfile >"$ctx/Containerfile"
podman build --pull=never --quiet -f "$ctx/Containerfile" -t "$IMAGE:$VERSION" -t "$IMAGE:latest" "$ctx" >/dev/null
size=$(podman image inspect --format '{{.Size}}' "$IMAGE:$VERSION")
echo "image $IMAGE:$VERSION ($((size / 1024 / 1024)) MB)"
