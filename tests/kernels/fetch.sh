#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Fetch a Debian kernel image and print the path of its vmlinuz.
#   tests/kernels/fetch.sh SUITE PACKAGE     e.g. bullseye linux-image-cloud-amd64
# PACKAGE may be a meta package: its linux-image-* dependency is downloaded.
# Every suite goes through a private apt directory whose sources are this
# machine's /etc/apt/sources.list.d/debian.sources with the machine's own
# suite name replaced by SUITE, so mirrors and keys are the machine's own.
# Downloads are cached in $SAKER_KERNEL_CACHE (/var/cache/saker-kernels);
# delete the cache directory to pick up a newer kernel.
set -eu
suite=$1
pkg=$2
cache=${SAKER_KERNEL_CACHE:-/var/cache/saker-kernels}
out=$cache/$suite-$pkg
if [ -s "$out/vmlinuz" ]; then
	echo "$out/vmlinuz"
	exit 0
fi
mkdir -p "$cache"
exec 8>"$cache/.lock"
flock 8
if [ -s "$out/vmlinuz" ]; then
	echo "$out/vmlinuz"
	exit 0
fi
src=/etc/apt/sources.list.d/debian.sources
[ -r "$src" ] || { echo "fetch: no $src to derive apt sources from" >&2; exit 1; }
host=$(. /etc/os-release && echo "$VERSION_CODENAME")
[ -n "$host" ] || { echo "fetch: no VERSION_CODENAME in /etc/os-release" >&2; exit 1; }
apt=$cache/apt-$suite
mkdir -p "$apt/sources.list.d" "$apt/lists/partial" "$apt/archives/partial" "$apt/preferences.d"
# Replace the suite name in Suites: lines only (bookworm, bookworm-updates,
# bookworm-security -> bullseye, ...); URIs and Signed-By stay the machine's.
sed "/^Suites:/s/\\b$host\\b/$suite/g" "$src" > "$apt/sources.list.d/debian.sources"
set -- -o Dir::Etc::SourceList=/dev/null -o Dir::Etc::SourceParts="$apt/sources.list.d" \
	-o Dir::Etc::Preferences=/dev/null -o Dir::Etc::PreferencesParts="$apt/preferences.d" \
	-o Dir::State::Lists="$apt/lists" -o Dir::Cache::Archives="$apt/archives" \
	-o Dir::State::Status=/dev/null -o Dir::Cache::pkgcache="" -o Dir::Cache::srcpkgcache="" \
	-o APT::Architecture=amd64 -o Debug::NoLocking=1 -o APT::Sandbox::User=root
apt-get "$@" -qq update >&2
# A meta package depends on the versioned image: follow it.
real=$(apt-cache "$@" depends "$pkg" 2>/dev/null |
	sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*\)$/\1/p' | head -1)
[ -n "$real" ] || real=$pkg
tmp=$(mktemp -d "$cache/.dl.XXXXXX")
(cd "$tmp" && apt-get "$@" -qq download "$real") >&2
mkdir -p "$tmp/x"
dpkg-deb -x "$tmp"/*.deb "$tmp/x"
v=$(ls "$tmp"/x/boot/vmlinuz-* | head -1)
[ -n "$v" ] || { echo "fetch: no /boot/vmlinuz-* in $real" >&2; exit 1; }
rm -rf "$out"
mkdir -p "$out"
cp "$v" "$out/vmlinuz.tmp"
basename "$v" | sed 's/^vmlinuz-//' > "$out/release"
echo "$real" > "$out/package"
mv "$out/vmlinuz.tmp" "$out/vmlinuz"
rm -rf "$tmp"
echo "$out/vmlinuz"
