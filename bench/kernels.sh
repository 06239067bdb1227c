#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Load time (open to attached) and BPF programs loaded, per kernel of the CI
# matrix (tests/e2e/test_kernels.sh), one VM at a time so that no two share
# a core; then this machine's own kernel, natively. Under qemu's software
# emulation every figure is several times the native one: compare kernels
# with each other, not with the native line.
#   sh bench/kernels.sh [BUILD] [ROUNDS]
set -eu
BUILD=${1:-build}
ROUNDS=${2:-3}
K=$(dirname "$0")/../tests/kernels
TMP=$(mktemp -d /tmp/saker-bench-kernels.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
sh "$K/mkinitramfs.sh" "$BUILD" "$TMP/initrd.cpio"
for m in bullseye:linux-image-cloud-amd64 bookworm:linux-image-cloud-amd64 bookworm:linux-image-6.12-cloud-amd64; do
	v=$(sh "$K/fetch.sh" "${m%%:*}" "${m#*:}")
	for r in $(seq 1 "$ROUNDS"); do
		sh "$K/boot.sh" "$v" "$TMP/initrd.cpio" "$TMP/vm" run
		tr -d '\r' <"$TMP/vm" | grep -o '^[a-z]*: [0-9]* of [0-9]* BPF programs loaded.*' | sed "s/^/qemu round $r: /"
	done
done
for r in $(seq 1 "$ROUNDS"); do
	"$BUILD/sakerdump" -v -M 1 2>&1 >/dev/null | grep -o '^[a-z]*: [0-9]* of [0-9]* BPF programs loaded.*' | sed "s/^/native round $r: /"
done
