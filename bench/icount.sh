#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Capture cost in guest instructions, a figure the machine's noise cannot
# move: this VM has no PMU (perf stat -e instructions: "<not supported>",
# dmesg "PMU not available due to virtualization"), so the loop runs in a
# qemu guest under -icount shift=0, where one guest instruction is one ns of
# guest time, and every clock of the guest (the loop's thread CPU time, the
# BPF statistics) counts instructions. Configurations as bench/overhead.sh's
# loop section: no sensor; the empty program (the floor); the new build's
# sakerdump with openat/close uninteresting; the BASE and new builds
# capturing both. Prints instructions per openat+close pair and BPF
# instructions per dispatcher run, and their ratios.
#
# What it does not see: the cost of an instruction. A VM exit, a cache
# miss, a serialising clock read (rdtsc) or a locked instruction is one
# instruction here, as a register move is; wall time on real hardware
# weighs them. Read it next to overhead.sh's BPF statistics.
#
# Environment: BUILD (build), OLD (the BASE build directory; default: BASE,
# a git revision, built in a temporary clone), BASE (default d17dba4), KERNEL
# (5.10, 6.1 or 6.12 from tests/kernels: default 6.12), N (pairs per run,
# default 20000), ROUNDS (default 2: the figures should repeat exactly or
# nearly), CAPTURE (the syscalls captured, default openat,close: openat or
# close alone splits the figure), VARIANTS ("NAME=DIR ...": more build
# directories whose sakerdump captures the same way, each a line of its
# own against base, for an ablation: a build with one part taken out).
set -eu
BUILD=${BUILD:-build}
BASE=${BASE:-d17dba4}
KERNEL=${KERNEL:-6.12}
N=${N:-20000}
ROUNDS=${ROUNDS:-2}
CAPTURE=${CAPTURE:-openat,close}
VARIANTS=${VARIANTS:-}
K=$(dirname "$0")/../tests/kernels
OUT=$(mktemp -d /tmp/saker-icount.XXXXXX)
trap 'rm -rf "$OUT"' EXIT
make -s "$BUILD/sakerdump" "$BUILD/bench/loop" "$BUILD/bench/floor" "$BUILD/bench/floor.bpf.o"
if [ -z "${OLD:-}" ]; then
	echo "building $BASE in $OUT/old ..."
	git clone -q "$(git rev-parse --show-toplevel)" "$OUT/old"
	git -C "$OUT/old" checkout -q "$BASE"
	make -C "$OUT/old" -s -j2 build/sakerdump >"$OUT/old.build" 2>&1 || { tail "$OUT/old.build"; exit 1; }
	OLD=$OUT/old/build
fi
case $KERNEL in
5.10) m=bullseye:linux-image-cloud-amd64 ;;
6.1) m=bookworm:linux-image-cloud-amd64 ;;
6.12) m=bookworm:linux-image-6.12-cloud-amd64 ;;
*) echo "icount: KERNEL is 5.10, 6.1 or 6.12" >&2; exit 2 ;;
esac
vmlinuz=$(sh "$K/fetch.sh" "${m%%:*}" "${m#*:}")

# the initramfs: busybox, both sakerdumps, the loop, the floor, their libraries
root=$OUT/root
bb=$(command -v busybox)
mkdir -p "$root/bin" "$root/sbin" "$root/b" "$root/old" "$root/new" "$root/etc" "$root/proc" "$root/sys" "$root/dev" "$root/tmp"
cp "$bb" "$root/bin/busybox"
cp "$OLD/sakerdump" "$root/old/"
cp "$BUILD/sakerdump" "$root/new/"
cp "$BUILD/bench/loop" "$BUILD/bench/floor" "$BUILD/bench/floor.bpf.o" "$root/b/"
for v in $VARIANTS; do
	mkdir -p "$root/v/${v%%=*}"
	cp "${v#*=}/sakerdump" "$root/v/${v%%=*}/"
done
for b in "$root/old/sakerdump" "$root/new/sakerdump" "$root/b/loop" "$root/b/floor"; do
	ldd "$b" | awk '/=> \//{print $3} /^\t\/.*ld-linux/{print $1}' | while read -r lib; do
		mkdir -p "$root$(dirname "$lib")"
		cp -L -n "$lib" "$root$lib"
	done
done
mkdir -p "$root/lib64"
cp -L -n /lib64/ld-linux-x86-64.so.2 "$root/lib64/"
printf 'root:x:0:0:root:/:/bin/sh\n' >"$root/etc/passwd"
cp "$(dirname "$0")/icount_init" "$root/init"
chmod 755 "$root/init"
(cd "$root" && find . | busybox cpio -o -H newc 2>/dev/null) >"$OUT/initrd.cpio"

echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg); kernel $KERNEL, $N pairs per run, $ROUNDS rounds, capturing $CAPTURE"
timeout "${ICOUNT_TIMEOUT:-1200}" qemu-system-x86_64 -machine q35 -cpu max -m 1024 -smp 1 \
	-accel tcg -icount shift=0,sleep=off -nographic -no-reboot -nodefaults \
	-kernel "$vmlinuz" -initrd "$OUT/initrd.cpio" \
	-append "console=ttyS0 panic=-1 loglevel=4 icount_n=$N icount_rounds=$ROUNDS icount_capture=$CAPTURE" \
	-serial "file:$OUT/console" -serial "file:$OUT/vm" </dev/null >"$OUT/qemu" 2>&1 || {
	echo "icount: qemu failed or timed out"; tail -5 "$OUT/console" "$OUT/qemu"; exit 1; }
tr -d '\r' <"$OUT/vm" | grep '^@@ ' | sed 's/^@@ //' >"$OUT/rows"
grep -v '^[A-Za-z0-9_]* [0-9.]* [0-9]* [0-9]*$' "$OUT/rows" || true
echo "per run: configuration, guest instructions per openat+close pair (loop thread, user and kernel), BPF instructions, BPF runs"
grep '^[A-Za-z0-9_]* [0-9.]* [0-9]* [0-9]*$' "$OUT/rows" | sed 's/^/  /'
# medians per configuration over the rounds
med() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
for c in none floor unint base new $(for v in $VARIANTS; do echo "${v%%=*}"; done); do
	echo "$c $(awk -v c=$c '$1 == c {print $2}' "$OUT/rows" | med) $(awk -v c=$c '$1 == c && $4 > 0 {print $3 / $4}' "$OUT/rows" | med)"
done >"$OUT/med"
awk '{ ins[$1] = $2; bpf[$1] = $3 }
	END {
		f = ins["floor"] - ins["none"]; u = ins["unint"] - ins["none"];
		o = ins["base"] - ins["none"]; n = ins["new"] - ins["none"];
		printf "instructions per pair: none %.0f; added: floor %.0f, uninteresting %.0f, base capturing %.0f, new capturing %.0f\n", ins["none"], f, u, o, n;
		printf "ratios: uninteresting/floor %.2fx, new capturing/floor %.2fx (base %.2fx), new/base capturing %.0f%%\n", u / f, n / f, o / f, n / o * 100;
		printf "BPF instructions per dispatcher run (2 runs per pair): empty program %.0f, uninteresting %.0f, base capturing %.0f, new capturing %.0f; net of the empty program new/base %.0f%%\n",
			bpf["floor"], bpf["unint"], bpf["base"], bpf["new"], (bpf["new"] - bpf["floor"]) / (bpf["base"] - bpf["floor"]) * 100 }' "$OUT/med"
# per captured syscall: every run where both are captured; else half the
# runs are the uninteresting other one
case $CAPTURE in *,*) both=1 ;; *) both=0 ;; esac
for c in base new $(for v in $VARIANTS; do echo "${v%%=*}"; done); do
	awk -v c="$c" -v both=$both '{ bpf[$1] = $3 }
		END { x = both ? bpf[c] : 2 * bpf[c] - bpf["unint"];
			printf "%s: %.0f BPF instructions per captured syscall (base %+.0f)\n", c, x, x - (both ? bpf["base"] : 2 * bpf["base"] - bpf["unint"]) }' "$OUT/med"
done
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
