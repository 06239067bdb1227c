#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Where a captured syscall's BPF time goes, by ablation: copies of this tree
# with one part of the programs taken out (or done twice), built and measured
# side by side with this build by overhead.sh's BPF section (its VARIANTS),
# from the kernel's BPF statistics. A part's cost is this build's figure
# minus the variant's (clock2: the variant's minus this build's). The
# variants build events that are wrong on purpose: measure with them, never
# run them.
#
#   noclock   the event timestamp is a constant (no bpf_ktime_get_boot_ns)
#   clock2    the clock read twice per event: one read's marginal cost
#   nopath    openat's name not copied from user memory (left empty)
#   nofacts   the opened file's dev, ino and overlay layer not read
#   userread  the name read as 64 bytes by bpf_probe_read_user and a NUL
#             scan, falling back to bpf_probe_read_user_str (an alternative
#             copy, not a part: compare it with this build)
#
# Figures per captured syscall of the loop (openat+close pairs; the average
# of the two unless BPF_CAPTURE names one). Environment: BUILD (build),
# PARTS (a subset of the names above), BPF_ROUNDS (default 5), N (pairs per
# round, default 200000), BPF_CAPTURE (default openat,close), KEEP=1 keeps
# the trees (printed). Needs what overhead.sh needs.
set -eu
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
PARTS=${PARTS:-noclock clock2 nopath nofacts userread}
T=$(mktemp -d /tmp/saker-ablate.XXXXXX)
[ "${KEEP:-0}" = 1 ] && echo "variant trees in $T" || trap 'rm -rf "$T"' EXIT

# edit TREE FILE OLD NEW: replace the one occurrence of OLD, or stop (the
# programs changed under this script: update the edit).
edit() {
	/usr/bin/python3 - "$1/$2" "$3" "$4" <<'EOF'
import sys
path, old, new = sys.argv[1:4]
s = open(path).read()
n = s.count(old)
if n != 1:
    sys.exit("ablate.sh: %s: the text to replace occurs %d times, not once: update the edit\n  %s" % (path, n, old))
open(path, "w").write(s.replace(old, new))
EOF
}

CLOCK='evt__put_hdr(buf, bpf_ktime_get_boot_ns() + boot_to_epoch_ns, tid, type, nparams);'
USTR='	if (p)
		n = bpf_probe_read_user_str(&e->buf[e->pos & SAKER_POS_MASK], SAKER_MAX_PATH, p);
	if (n < 0)'
USTR_64='	__u8 *d = &e->buf[e->pos & SAKER_POS_MASK];

	if (p) {
		int i;

		if (!bpf_probe_read_user(d, 64, p)) {
#pragma unroll
			for (i = 0; i < 8; i++) {
				__u64 w = *(__u64 *)(d + i * 8);
				__u64 z = (w - 0x0101010101010101ULL) & ~w & 0x8080808080808080ULL;

				if (z) {
					long k = i * 8 + 1;

					if (!(z & 0xffffffffULL)) { k += 4; z >>= 32; }
					if (!(z & 0xffffULL)) { k += 2; z >>= 16; }
					if (!(z & 0xffULL))
						k += 1;
					n = k;
					break;
				}
			}
		}
		if (!n)
			n = bpf_probe_read_user_str(d, SAKER_MAX_PATH, p);
	}
	if (n < 0)'

variants=
for p in $PARTS; do
	d=$T/$p
	mkdir "$d"
	tar -C . --exclude=./build --exclude=./.git -cf - . | tar -C "$d" -xf -
	case $p in
	noclock) edit "$d" bpf/scratch.bpf.h "$CLOCK" 'evt__put_hdr(buf, boot_to_epoch_ns, tid, type, nparams);' ;;
	clock2) edit "$d" bpf/scratch.bpf.h "$CLOCK" \
		'evt__put_hdr(buf, bpf_ktime_get_boot_ns() + (bpf_ktime_get_boot_ns() & 1) + boot_to_epoch_ns, tid, type, nparams);' ;;
	nopath) edit "$d" bpf/scratch.bpf.h "$USTR" "$(printf '%s' "$USTR" | sed 's/if (p)$/if (p \&\& 0)/')" ;;
	nofacts) edit "$d" bpf/task.bpf.h '	if (fd >= 0)
		f = cast ? cur__fd_file_cast' '	if (fd >= 0 && 0)
		f = cast ? cur__fd_file_cast' ;;
	userread) edit "$d" bpf/scratch.bpf.h "$USTR" "$USTR_64" ;;
	*) echo "ablate.sh: no variant named $p (noclock clock2 nopath nofacts userread)" >&2; exit 2 ;;
	esac
	echo "building $p ..."
	make -C "$d" -s -j2 build/sakerdump >"$d.build" 2>&1 || { tail -20 "$d.build"; exit 1; }
	variants="$variants $p=$d/build"
done
make -s "$BUILD/sakerdump"
SECTIONS=bpf OLD=$BUILD VARIANTS=$variants BPF_ROUNDS=${BPF_ROUNDS:-5} N=${N:-200000} \
	sh bench/overhead.sh >"$T/out" 2>&1 || { cat "$T/out"; exit 1; }
cat "$T/out"
# The build measured twice (as base and new): their mean is this build.
awk '
/^  base [0-9.]+, new [0-9.]+$/ { gsub(",", ""); b = ($2 + $4) / 2 }
/^  [a-z0-9]+ [0-9.]+ \(rounds:/ { name[++n] = $1; v[n] = $2 }
END {
	if (!b) { print "ablate.sh: no ablation figures in overhead.sh output" > "/dev/stderr"; exit 1 }
	printf "this build: %.1f ns per captured syscall; by part (ns per captured syscall):\n", b
	for (i = 1; i <= n; i++) {
		if (name[i] == "clock2") printf "  %-9s %6.1f  (one more clock read)\n", "clock", v[i] - b
		else if (name[i] == "userread") printf "  %-9s %6.1f  (the 64-byte read against this build; negative is cheaper)\n", name[i], v[i] - b
		else printf "  %-9s %6.1f\n", name[i], b - v[i]
	}
}' "$T/out"
