#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Capture cost, side by side in one run, as ratios (figures in bench/README.md).
#
#  1. Added ns per openat+close pair (loop pinned to CPU 0, consumer on CPU 1),
#     configurations alternating each round: no sensor; an empty program on
#     sys_exit (the floor); saker with openat/close uninteresting; the BASE
#     build capturing both ("today's", built in a temp copy); this build
#     capturing both. Per-round ratios against the floor and against BASE,
#     medians over the rounds (the VM runs at two speeds: compare ratios).
#  2. BPF run time per captured syscall, from the kernel's statistics
#     (kernel.bpf_stats_enabled=1), BASE and this build.
#  3. perf record of the loop while capturing: the share of its time in
#     wakeups (irq_work_queue and below), BASE and this build.
#  4. Live end to end: saker with the default rules on CPU 1, the loop on
#     CPU 0: events/s consumed, drops, saker CPU ns per event, RSS after a
#     minute (BASE and this build).
#  5. Event-to-alert latency at a low rate (bench/latency.c), both builds.
#  6. The I/O family: a loop of 4 KiB writes to /dev/null (bench/loop N
#     write), alternating each round: no sensor; the empty program; saker
#     with the default rules (no rule names write: the dispatcher's table
#     lookup only); saker with one rule that names write (each write captured
#     with its first 80 bytes and matched). Ratios as in 1, and drops.
# Environment: BUILD (build), BASE (git revision, default 649eade: main before
# the second round of issue 15's work; fc0be38 is the build before all of it), OLD (a BASE build directory to reuse), N, ROUNDS, SECTIONS
# (a subset of "loop bpf perf live latency write"), WN (writes per round),
# BPF_CAPTURE (the syscalls the BPF section captures, default openat,close),
# VARIANTS ("NAME=DIR ...": more build directories measured in the BPF
# section, each a line of its own, for an ablation; a variant that builds no
# event is counted per syscall of the loop), BPF_ROUNDS (rounds of the BPF section, default 3), BPF_LOOP (the loop's mode
# in the BPF section: empty for openat+close, write or sendto; with
# BPF_CAPTURE=sendto, the socket programs' cost per captured sendto).
# The live and RSS sections run each build from its own source tree (BUILD/..,
# OLD/..) with that tree's saker.yaml and default rules, as a user of that
# version would; a saker that exits before it captures (rules it cannot
# load) stops the script with its message.
# Needs bpftool, jq, perf.
set -eu
BUILD=${BUILD:-build}
N=${N:-200000}
ROUNDS=${ROUNDS:-7}
BASE=${BASE:-649eade}
SECTIONS=${SECTIONS:-loop bpf perf live latency write}
WN=${WN:-200000}
LIVE_N=${LIVE_N:-1000000}
# the syscalls captured in the BPF section (openat,close; openat or close alone splits the figure)
BPF_CAPTURE=${BPF_CAPTURE:-openat,close}
BPF_ROUNDS=${BPF_ROUNDS:-3}
VARIANTS=${VARIANTS:-}
OUT=$(mktemp -d /tmp/saker-perf-bench.XXXXXX)
cleanup() { [ -n "${dp:-}" ] && kill -INT "$dp" 2>/dev/null; rm -rf "$OUT"; }
trap cleanup EXIT
make -s "$BUILD/saker" "$BUILD/sakerdump" "$BUILD/bench/floor" "$BUILD/bench/loop" "$BUILD/bench/floor.bpf.o" \
	"$BUILD/bench/latency"
if [ -z "${OLD:-}" ]; then
	echo "building $BASE in $OUT/old ..."
	git clone -q "$(git rev-parse --show-toplevel)" "$OUT/old"
	git -C "$OUT/old" checkout -q "$BASE"
	make -C "$OUT/old" -s -j2 build/saker build/sakerdump >"$OUT/old.build" 2>&1 || { tail "$OUT/old.build"; exit 1; }
	OLD=$OUT/old/build
fi
# absolute from here on: in_tree runs a build from its own tree
BUILD=$(cd "$BUILD" && pwd)
OLD=$(cd "$OLD" && pwd)
has() { case " $SECTIONS " in *" $1 "*) return 0 ;; esac; return 1; }
# Both builds must have what the sections run: a missing saker in OLD used
# to make the live section wait forever for it to say "capturing".
for b in "$OLD" "$BUILD"; do
	for t in sakerdump $(has live || has latency || has write && echo saker); do
		[ -x "$b/$t" ] || { echo "overhead.sh: $b/$t is not built (make -C <its tree> $(basename "$b")/$t)" >&2; exit 2; }
	done
done
load() { cut -d' ' -f1-3 /proc/loadavg; }
# started FILE WORD PID: wait until FILE says WORD; if PID exits first
# (rules that do not load, say), stop with what it said, not wait forever
started() {
	while ! grep -q "$2" "$1" 2>/dev/null; do
		if ! kill -0 "$3" 2>/dev/null; then
			echo "overhead.sh: pid $3 exited before it said '$2':" >&2
			tail -5 "$1" >&2
			exit 1
		fi
		sleep 0.05
	done
}
# in_tree BUILD CMD... &: run CMD, in the background only (its pid is $!),
# from BUILD's source tree when it has one: its own saker.yaml and rules
# (a build older than today's rules would not load them)
in_tree() {
	if [ -f "$1/../saker.yaml" ] && [ -d "$1/../rules" ]; then
		cd "$1/.." || exit 1
	fi
	shift
	exec "$@"
}
others() { # the dispatcher or its __cast twin (6.2+)
	{ bpftool prog show name sys_exit_dispatch; bpftool prog show name sys_exit_dispatch__cast; } 2>/dev/null |
		grep -c raw_tracepoint || true
}
echo "load average at start: $(load); other sys_exit_dispatch programs attached: $(others)"

run_loop() { taskset -c 0 "$BUILD/bench/loop" "$@"; }
med() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

start_floor() {
	"$BUILD/bench/floor" "$BUILD/bench/floor.bpf.o" >"$OUT/floor.out" &
	fp=$!
	started "$OUT/floor.out" attached "$fp"
}
start_dump() { # $1: build dir, $2: --syscalls list
	taskset -c 1 "$1/sakerdump" -v --syscalls "$2" >/dev/null 2>"$OUT/dump.err" &
	dp=$!
	started "$OUT/dump.err" attached "$dp"
	sleep 0.5
}
stop_dump() { kill -INT "$dp"; wait "$dp" || true; dp=; }

if has loop; then
	: >"$OUT/rounds"
	for r in $(seq 1 "$ROUNDS"); do
		none=$(run_loop "$N")
		start_floor; floor=$(run_loop "$N"); kill $fp; wait $fp || true
		start_dump "$BUILD" execve; unint=$(run_loop "$N"); stop_dump
		start_dump "$OLD" openat,close; old=$(run_loop "$N"); stop_dump
		start_dump "$BUILD" openat,close; new=$(run_loop "$N"); stop_dump
		echo "$none $floor $unint $old $new" >>"$OUT/rounds"
	done
	echo "ns per openat+close pair, $ROUNDS rounds x $N pairs (none floor uninteresting base-capturing new-capturing):"
	sed 's/^/  /' "$OUT/rounds"
	awk '{ f = $2 - $1; u = $3 - $1; o = $4 - $1; n = $5 - $1;
		print f, u, o, n, u / f, n / f, n / o, o / f }' "$OUT/rounds" >"$OUT/added"
	for c in 1 2 3 4 5 6 7 8; do awk -v c=$c '{print $c}' "$OUT/added" | med; done | tr '\n' ' ' | awk '{
		printf "median added ns per pair: floor %.0f, uninteresting %.0f, base capturing %.0f, new capturing %.0f\n", $1, $2, $3, $4;
		printf "median per-round ratios: uninteresting/floor %.2fx (target <= 1.15x), new capturing/floor %.2fx (target <= 3x; base %.2fx), new/base capturing %.0f%% (target <= 40%%)\n", $5, $6, $8, $7 * 100 }'
	echo "load average after the rounds: $(load)"
fi

# BPF run time: the dispatcher's stats include the programs it tail-calls.
# Per captured syscall = (run time - uninteresting invocations x their cost)
# / events built, from the dispatcher's and the counters' deltas.
prog_stats() { # $1: prog id -> "run_time_ns run_cnt"
	bpftool -j prog show id "$1" | jq -r '"\(.run_time_ns // 0) \(.run_cnt // 0)"'
}
# The process's own program and map by id (listing every program by name can
# stop short while other jobs load and free programs).
own_ids() { # $1 pid, $2 prog|map
	grep -h "^$2_id:" /proc/"$1"/fdinfo/* 2>/dev/null | awk '{print $2}' | sort -un
}
own_prog() { # $1 pid, $2 name: the program or its __cast twin, whichever was loaded
	for i in $(own_ids "$1" prog); do
		n=$(bpftool -j prog show id "$i" | jq -r .name)
		[ "$n" = "$2" ] || [ "$n" = "$2__cast" ] && { echo "$i"; return; }
	done
}
own_map() { # $1 pid, $2 name
	for i in $(own_ids "$1" map); do
		[ "$(bpftool -j map show id "$i" | jq -r .name)" = "$2" ] && { echo "$i"; return; }
	done
}
seen() { # $1 map id: events built, summed over CPUs (events_sent + drops: the
	# programs no longer count events_seen; a base build before that counts both)
	bpftool -j map dump id "$1" | jq '[.[0].formatted.values[].value | .events_sent + (.drops | add)] | add'
}
bpf_round() { # $1 build, $2 syscalls -> "ns_per_invocation ns_per_captured"
	start_dump "$1" "$2"
	id=$(own_prog "$dp" sys_exit_dispatch); mid=$(own_map "$dp" counters)
	set -- $(prog_stats "$id") $(seen "$mid")
	t0=$1; c0=$2; s0=$3
	run_loop "$N" ${BPF_LOOP:-} >/dev/null
	set -- $(prog_stats "$id") $(seen "$mid")
	stop_dump
	awk -v t="$(($1 - t0))" -v c="$(($2 - c0))" -v s="$(($3 - s0))" -v u="${UNINT_NS:-0}" -v l="$LOOP_CAPTURED" 'BEGIN {
		printf "%.1f %.1f %d %d %.1f\n", (c > 0 ? t / c : 0), (s > 0 ? (t - (c - s) * u) / s : 0), c, s,
			(t - (c - l) * u) / l }'
}
# the loop's own captured syscalls in the BPF section: the denominator of an
# ablation variant that builds no event (VARIANTS)
case ${BPF_LOOP:-}:$BPF_CAPTURE in
:openat,close) LOOP_CAPTURED=$((2 * N)) ;;
*) LOOP_CAPTURED=$N ;;
esac
# The statistics cost something themselves (two clock reads per run): the
# empty floor program's ns per invocation, measured the same way, is that
# cost plus the empty program, and is given so figures can be read net of it.
floor_round() { # -> ns per invocation of the empty program over the loop
	start_floor
	id=$(own_ids "$fp" prog | head -1)
	set -- $(prog_stats "$id"); t0=$1; c0=$2
	run_loop "$N" ${BPF_LOOP:-} >/dev/null
	set -- $(prog_stats "$id")
	kill "$fp"; wait "$fp" || true
	awk -v t="$(($1 - t0))" -v c="$(($2 - c0))" 'BEGIN { printf "%.1f\n", (c > 0 ? t / c : 0) }'
}
if has bpf; then
	sysctl -qw kernel.bpf_stats_enabled=1
	: >"$OUT/bpf"; : >"$OUT/bpfv"
	for r in $(seq 1 "$BPF_ROUNDS"); do
		FLOOR_NS=$(floor_round)
		UNINT_NS=$(bpf_round "$BUILD" execve | cut -d' ' -f1)
		old=$(UNINT_NS=$UNINT_NS bpf_round "$OLD" "$BPF_CAPTURE")
		new=$(UNINT_NS=$UNINT_NS bpf_round "$BUILD" "$BPF_CAPTURE")
		echo "$FLOOR_NS $UNINT_NS $old $new" >>"$OUT/bpf"
		for v in $VARIANTS; do
			echo "${v%%=*} $(UNINT_NS=$UNINT_NS bpf_round "${v#*=}" "$BPF_CAPTURE")" >>"$OUT/bpfv"
		done
	done
	sysctl -qw kernel.bpf_stats_enabled=0
	echo "BPF run time (kernel stats; per round: empty program ns/invocation, uninteresting ns/invocation, then base and new: ns/invocation ns/captured invocations captured ns/loop-captured):"
	sed 's/^/  /' "$OUT/bpf"
	awk '{print $4}' "$OUT/bpf" | med >"$OUT/o"; awk '{print $9}' "$OUT/bpf" | med >"$OUT/n"
	awk '{print $2}' "$OUT/bpf" | med >"$OUT/u"; awk '{print $1}' "$OUT/bpf" | med >"$OUT/f"
	echo "median BPF ns per captured syscall: base $(cat "$OUT/o"), new $(cat "$OUT/n") (target <= 120); uninteresting invocation $(cat "$OUT/u"); empty program (the statistics' own cost) $(cat "$OUT/f")"
	awk -v o="$(cat "$OUT/o")" -v n="$(cat "$OUT/n")" -v f="$(cat "$OUT/f")" 'BEGIN {
		printf "net of the empty program: base %.0f, new %.0f ns per captured syscall; new/base %.0f%%\n", o - f, n - f, (n - f) / (o - f) * 100 }'
	if [ -n "$VARIANTS" ]; then
		echo "ablation variants: ns per loop-captured syscall ((run time - other invocations x uninteresting ns) / the loop's $LOOP_CAPTURED captured syscalls), medians; base and new the same way:"
		for c in 7 12; do awk -v c=$c '{print $c}' "$OUT/bpf" | med; done | tr '\n' ' ' | awk '{ printf "  base %s, new %s\n", $1, $2 }'
		for v in $VARIANTS; do
			echo "  ${v%%=*} $(awk -v n="${v%%=*}" '$1 == n {print $6}' "$OUT/bpfv" | med) (rounds: $(awk -v n="${v%%=*}" '$1 == n {printf "%s ", $6}' "$OUT/bpfv"))"
		done
	fi
fi

# perf: the loop's own samples (its syscalls, and interrupts taken on its
# CPU in its context); wakeups are irq_work_queue and what it calls.
if has perf; then
	for b in "$OLD" "$BUILD"; do
		start_dump "$b" openat,close
		perf record -q -e cpu-clock -g -o "$OUT/perf.data" -- taskset -c 0 "$BUILD/bench/loop" "$N" >/dev/null 2>&1
		stop_dump
		perf report -q -i "$OUT/perf.data" --children --stdio --sort sym -g none 2>/dev/null >"$OUT/perf.txt"
		w=$(awk '$NF == "irq_work_queue" {print $1; exit}' "$OUT/perf.txt")
		m=$(awk '$NF == "native_write_msr" {print $1; exit}' "$OUT/perf.txt")
		[ "$b" = "$OLD" ] && n=base || n=new
		echo "perf ($n capturing): irq_work_queue (wakeups) ${w:-0%} of the loop's samples, native_write_msr ${m:-0%} (target < 2%); top self:"
		perf report -q -i "$OUT/perf.data" --no-children --stdio --sort sym -g none 2>/dev/null | head -6 | sed 's/^/    /'
	done
fi

# Live: saker with the default rules, the loop on CPU 0 for LIVE_N pairs.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
if has live; then
	hz=$(getconf CLK_TCK)
	for b in "$OLD" "$BUILD" "$OLD" "$BUILD"; do
		[ "$b" = "$OLD" ] && n=base || n=new
		in_tree "$b" taskset -c 1 "$b/saker" -c saker.yaml -v -o stdout_output.enabled=false >/dev/null 2>"$OUT/live.err" &
		dp=$!
		started "$OUT/live.err" capturing "$dp"
		sleep 1
		mid=$(own_map "$dp" counters)
		e0=$(seen "$mid"); c0=$(cpu_ticks "$dp"); t0=$(date +%s.%N)
		# the consumer's wakeups: epoll_wait calls while the loop runs
		perf stat -x, -e syscalls:sys_enter_epoll_wait -p "$dp" -o "$OUT/epoll" 2>/dev/null &
		pp=$!
		run_loop "$LIVE_N" >/dev/null
		t1=$(date +%s.%N)
		kill -INT "$pp" 2>/dev/null; wait "$pp" 2>/dev/null || true
		ep=$(grep epoll_wait "$OUT/epoll" 2>/dev/null | cut -d, -f1)
		sleep 0.5
		c1=$(cpu_ticks "$dp"); e1=$(seen "$mid")
		rss=
		if [ "${RSS_WAIT:-60}" -gt 0 ] && [ "$b" = "$BUILD" ] && [ -z "${rss_done:-}" ]; then
			sleep "${RSS_WAIT:-60}"
			rss=$(awk '/^VmRSS|^RssAnon|^RssFile/ {printf "%s %s kB, ", $1, $2}' "/proc/$dp/status")
			rss_done=1
		fi
		kill -INT "$dp"; wait "$dp" || true; dp=
		awk -v n="$n" -v c="$((c1 - c0))" -v hz="$hz" -v t0="$t0" -v t1="$t1" -v ev="$((e1 - e0))" -v rss="$rss" -v ep="${ep:-0}" '
			/^Events processed:/ {p = $3} /^Kernel:/ {d = $8 + $10 + $12 + $14}
			END { printf "live %s: %d events in %.2f s of loop (all processes), %.0f events/s consumed, %d processed by saker in all, drops %d, saker CPU %.0f ns per event, consumer wakeups %.0f/s%s\n",
				n, ev, t1 - t0, ev / (t1 - t0), p, d, c / hz * 1e9 / ev, ep / (t1 - t0), rss != "" ? "; after a minute " rss : "" }' \
			"$OUT/live.err"
	done
fi

# What the rings cost: saker idle for a few seconds per ring size preset
# (Falco's buf_size_preset: N = 2^(N-1) MiB per CPU; saker's default is 3,
# 4 MiB). The new consumer maps each ring's data once; BASE maps it twice.
if has live; then
	for p in 4 3 2; do
		for b in "$OLD" "$BUILD"; do
			[ "$b" = "$OLD" ] && n=base || n=new
			t=.; [ -f "$b/../saker.yaml" ] && t=$b/..
			sed "s/buf_size_preset: .*/buf_size_preset: $p/" "$t/saker.yaml" >"$OUT/preset.yaml"
			in_tree "$b" taskset -c 1 "$b/saker" -c "$OUT/preset.yaml" -o stdout_output.enabled=false >/dev/null 2>"$OUT/rss.err" &
			dp=$!
			started "$OUT/rss.err" capturing "$dp"
			sleep 5
			echo "rss $n with buf_size_preset $p ($((1 << (p - 1))) MiB per CPU, $(nproc) CPUs): $(awk '/^VmRSS|^RssAnon|^RssFile/ {printf "%s %s kB ", $1, $2}' "/proc/$dp/status")"
			kill -INT "$dp"; wait "$dp" || true; dp=
		done
	done
fi

if has latency; then
	for b in "$OLD" "$BUILD"; do
		[ "$b" = "$OLD" ] && n=base || n=new
		rm -f "$OUT/fifo"; mkfifo "$OUT/fifo"
		taskset -c 1 "$b/saker" -c saker.yaml -r bench/latency_rules.yaml -U >"$OUT/fifo" 2>"$OUT/lat.err" &
		dp=$!
		exec 7<"$OUT/fifo"
		started "$OUT/lat.err" capturing "$dp"
		echo "$n: $("$BUILD/bench/latency" /tmp/saker-perf-lat "${LAT_COUNT:-300}" "${LAT_MS:-20}" <&7)"
		kill -INT "$dp"; wait "$dp" || true; dp=
		exec 7<&-
	done
fi
echo "load average at end: $(load)"

# The I/O family: 4 KiB writes, uninteresting and captured.
start_saker() { # saker on CPU 1 with the default config and these extra arguments
	taskset -c 1 "$BUILD/saker" -c saker.yaml -v -o stdout_output.enabled=false "$@" >/dev/null 2>"$OUT/w.err" &
	dp=$!
	started "$OUT/w.err" capturing "$dp"
	sleep 0.5
}
stop_saker() { kill -INT "$dp"; wait "$dp" || true; dp=; }
if has write; then
	cat >"$OUT/write.yaml" <<'Y'
- rule: bench write
  desc: names write, so every write is captured and matched; never fires
  condition: evt.type = write and evt.dir = < and evt.buffer contains "saker-bench-never"
  output: "never (%evt.buffer)"
  priority: WARNING
Y
	: >"$OUT/wrounds"
	: >"$OUT/wdrops"
	for r in $(seq 1 "$ROUNDS"); do
		none=$(run_loop "$WN" write)
		start_floor; floor=$(run_loop "$WN" write); kill $fp; wait $fp || true
		start_saker; unint=$(run_loop "$WN" write); stop_saker
		start_saker -r "$OUT/write.yaml"; cap=$(run_loop "$WN" write); stop_saker
		grep '^Kernel:' "$OUT/w.err" >>"$OUT/wdrops" || true
		ev=$(sed -nE 's/^Kernel: events ([0-9]+),.*/\1/p' "$OUT/w.err")
		echo "$none $floor $unint $cap ${ev:-0}" >>"$OUT/wrounds"
	done
	echo "ns per 4 KiB write, $ROUNDS rounds x $WN writes (none floor uninteresting(default rules) capturing(a rule on write) events-captured):"
	sed 's/^/  /' "$OUT/wrounds"
	# a round whose capturing saker committed fewer events than the loop wrote did not capture it: left out
	awk -v n="$WN" '$5 >= n { f = $2 - $1; u = $3 - $1; c = $4 - $1; print f, u, c, u / f, c / f }' "$OUT/wrounds" >"$OUT/wadded"
	echo "rounds kept (the capturing saker committed at least $WN events): $(wc -l <"$OUT/wadded")"
	for c in 1 2 3 4 5; do awk -v c=$c '{print $c}' "$OUT/wadded" | med; done | tr '\n' ' ' | awk '{
		printf "median added ns per write: floor %.0f, uninteresting %.0f, capturing %.0f\n", $1, $2, $3;
		printf "median per-round ratios: uninteresting/floor %.2fx (target <= 1.25x), capturing/floor %.2fx\n", $4, $5 }'
	echo "saker's kernel counters while capturing writes (per round):"
	sed 's/^/  /' "$OUT/wdrops"
	# BPF run time per captured write: the dispatcher's stats (programs it
	# tail-calls included) over the loop, per invocation; nearly every
	# invocation in that window is one of the loop's writes.
	sysctl -qw kernel.bpf_stats_enabled=1
	for r in 1 2 3; do
		start_saker -r "$OUT/write.yaml"
		id=$(own_prog "$dp" sys_exit_dispatch)
		set -- $(prog_stats "$id"); t0=$1; c0=$2
		run_loop "$WN" write >/dev/null
		set -- $(prog_stats "$id")
		stop_saker
		awk -v t="$(($1 - t0))" -v c="$(($2 - c0))" 'BEGIN { printf "%.1f %d\n", t / c, c }'
	done >"$OUT/wbpf"
	sysctl -qw kernel.bpf_stats_enabled=0
	echo "BPF ns per dispatcher invocation while capturing the write loop (ns invocations, 3 rounds): $(tr '\n' ';' <"$OUT/wbpf")"
	echo "median BPF ns per captured write: $(cut -d' ' -f1 "$OUT/wbpf" | med)"
	echo "load average after the write rounds: $(load)"
fi
