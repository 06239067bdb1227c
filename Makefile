# SPDX-License-Identifier: Apache-2.0
# saker build: BPF objects and skeletons, the binaries, tests, install.
#   make            build/saker, build/sakerdump, build/saker-eventgen
#   make deps       install missing Debian packages (as root)
#   make test       run every test, print "N passed, N failed"
#   make run        deps + build + start the sensor with the default rules
#   make install    PREFIX=/usr/local DESTDIR=
#   make image      container image localhost/saker:VERSION and :latest (podman)
#   make image-save OCI archive of it: build/saker-VERSION.oci.tar
#   make deb        Debian package build/saker_VERSION_ARCH.deb (and its systemd unit)
#   make SANITIZE=address,undefined test
#   V=1             show commands

.DELETE_ON_ERROR:
.SUFFIXES:

BUILD   ?= build
VERSION := $(shell sed -n 's/^\#define SAKER_VERSION "\(.*\)"/\1/p' src/app/saker.c)
IMAGE   ?= localhost/saker
PREFIX  ?= /usr/local
DESTDIR ?=
CC      ?= cc
CLANG   ?= clang
BPFTOOL ?= bpftool

ifeq ($(V),1)
Q =
msg =
else
Q = @
msg = @printf '  %-8s %s\n' "$(1)" "$(2)";
endif

ARCH ?= $(shell uname -m)
ifeq ($(ARCH),x86_64)
BPF_ARCH := x86
else ifeq ($(ARCH),x86)
BPF_ARCH := x86
else ifeq ($(ARCH),aarch64)
BPF_ARCH := arm64
else ifeq ($(ARCH),arm64)
BPF_ARCH := arm64
else
$(error unsupported architecture '$(ARCH)': saker builds for x86_64 (and arm64 once vmlinux/arm64 exists))
endif
VMLINUX_DIR := vmlinux/$(BPF_ARCH)
ifeq ($(wildcard $(VMLINUX_DIR)/vmlinux.h),)
$(error no $(VMLINUX_DIR)/vmlinux.h for architecture '$(ARCH)': generate it with 'bpftool btf dump file /sys/kernel/btf/vmlinux format c')
endif

WARN    := -Wall -Wextra -Werror -Wstrict-prototypes -Wvla -Wwrite-strings -Wno-unused-parameter -Wno-format-truncation
CFLAGS  ?= -O2 -g
CFLAGS  += $(WARN) -std=gnu11 -D_GNU_SOURCE -Isrc -Ibpf -I$(BUILD) -I$(BUILD)/gen -pthread
LDLIBS  := -lbpf -lelf -lz -lyaml -lcjson -lcurl -lprotobuf-c -lmicrohttpd -lm -pthread
ifneq ($(SANITIZE),)
CFLAGS  += -fsanitize=$(SANITIZE) -fno-sanitize-recover=all -fno-omit-frame-pointer
LDFLAGS += -fsanitize=$(SANITIZE)
endif

BPF_CFLAGS := -g -O2 -target bpf -D__TARGET_ARCH_$(BPF_ARCH) -I$(VMLINUX_DIR) -Ibpf -I$(BUILD) -Wall -Werror -Wno-unused-function

# Userspace sources, by folder; every binary links the library of all of them.
LIB_SRCS := $(wildcard src/capture/*.c src/event/*.c src/state/*.c src/fields/*.c src/runtime/*.c \
	src/rules/*.c src/output/*.c src/scapfile/*.c src/web/*.c src/app/config.c src/app/pipeline.c src/app/metrics.c \
	src/app/io_cli.c src/app/cli.c src/app/sha256.c)
LIB_OBJS := $(patsubst %.c,$(BUILD)/%.o,$(LIB_SRCS)) $(BUILD)/gen/syscall_table.o
# The event ABI header (types, parameter counts, kinds), generated from the TSV.
GEN_EVENTS := $(BUILD)/gen/saker_events.h
GEN_HDRS := $(BUILD)/saker.skel.h $(GEN_EVENTS) $(BUILD)/gen/cri.pb-c.h
DEBS := clang llvm libbpf-dev bpftool libelf-dev zlib1g-dev libyaml-dev libcjson-dev \
	libcurl4-openssl-dev libcmocka-dev pkg-config libfalcosecurity0-dev sysdig make gcc \
	linux-libc-dev gawk podman runc busybox-static python3 iproute2 procps libcap2-bin \
	qemu-system-x86 \
	libprotobuf-c-dev protobuf-c-compiler containerd catatonit python3-grpcio python3-grpc-tools
# the detection tests' benign workload (dpkg-preconfigure, sudo, logrotate)
DEBS += apt-utils sudo logrotate openssh-server cron
# the web endpoint; images, packages, manifests and their tests
DEBS += libmicrohttpd-dev python3-prometheus-client python3-yaml curl catatonit lintian dpkg-dev nodejs unzip
# npm: Debian's package, unless a nodejs that ships its own npm is installed
DEBS += $(if $(shell command -v npm),,npm)
# the red-team pass (tools/redteam/redteam.sh, not part of make test): `make redteam-deps`
REDTEAM_DEBS := socat netcat-openbsd ncat php-cli ruby lua5.4 at kmod nmap bind9-dnsutils telnet gdb strace \
	podman busybox-static

UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRCS))
E2E_HELPERS := $(BUILD)/tests/syscall_child $(BUILD)/tests/storm $(BUILD)/tests/seccomp_deny $(BUILD)/bench/loop $(BUILD)/bench/floor.bpf.o

BINS := $(BUILD)/sakerdump $(if $(wildcard src/app/saker.c),$(BUILD)/saker) $(if $(wildcard tools/eventgen/eventgen.c),$(BUILD)/saker-eventgen)

all: $(BINS)

$(BUILD)/saker.bpf.o: bpf/saker.bpf.c $(wildcard bpf/*.h) $(GEN_EVENTS) | $(BUILD)
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(BUILD)/saker.skel.h: $(BUILD)/saker.bpf.o
	$(call msg,SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name saker_bpf > $@

# Syscall name/number tables come from the kernel's uapi headers (facts).
$(BUILD)/gen/syscall_table.c: tools/gen_syscalls.sh | $(BUILD)
	$(call msg,GEN,$@)
	$(Q)mkdir -p $(dir $@) && sh tools/gen_syscalls.sh > $@

$(GEN_EVENTS): src/event/event_table.tsv tools/gen_event_header.awk | $(BUILD)
	$(call msg,GEN,$@)
	$(Q)mkdir -p $(dir $@) && awk -F'\t' -f tools/gen_event_header.awk $< > $@

$(BUILD)/gen/event_table.c: src/event/event_table.tsv tools/gen_event_table.awk | $(BUILD)
	$(call msg,GEN,$@)
	$(Q)mkdir -p $(dir $@) && awk -F'\t' -f tools/gen_event_table.awk $< > $@

$(BUILD)/gen/ppm_sc.c: tools/gen_ppm_sc.sh | $(BUILD)
	$(call msg,GEN,$@)
	$(Q)mkdir -p $(dir $@) && sh tools/gen_ppm_sc.sh > $@

$(BUILD)/gen/sysdig_2022.c: src/scapfile/sysdig_2022.tsv | $(BUILD)
	$(call msg,GEN,$@)
	$(Q)mkdir -p $(dir $@) && awk 'BEGIN { print "/* Generated from src/scapfile/sysdig_2022.tsv; do not edit. */"; \
		print "#include <stdint.h>"; print "const uint8_t sysdig2022_nparams[512] = {"; \
		} !/^#/ { printf "\t[%d] = %d,\n", $$1, $$2 + 1 } END { print "};" }' $< > $@

# CRI messages: protobuf-c code generated from our own subset of the CRI.
$(BUILD)/gen/cri.pb-c.c $(BUILD)/gen/cri.pb-c.h &: src/runtime/cri.proto | $(BUILD)
	$(call msg,PROTOC,$@)
	$(Q)mkdir -p $(BUILD)/gen && protoc-c --c_out=$(BUILD)/gen -Isrc/runtime $<

LIB_OBJS += $(BUILD)/gen/cri.pb-c.o
LIB_OBJS += $(BUILD)/gen/event_table.o $(BUILD)/gen/ppm_sc.o $(BUILD)/gen/sysdig_2022.o

$(BUILD)/gen/%.o: $(BUILD)/gen/%.c $(GEN_EVENTS)
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/%.o: %.c $(GEN_HDRS) $(wildcard src/*/*.h bpf/*.h)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(dir $@) && $(CC) $(CFLAGS) -c $< -o $@

# rebuilt from scratch: a source file removed or renamed leaves no stale member
$(BUILD)/libsaker.a: $(LIB_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && $(AR) rcs $@ $^

$(BUILD)/saker: $(BUILD)/src/app/saker.o $(BUILD)/libsaker.a
	$(call msg,LINK,$@)
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/sakerdump: $(BUILD)/src/app/sakerdump.o $(BUILD)/libsaker.a
	$(call msg,LINK,$@)
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/saker-eventgen: tools/eventgen/eventgen.c
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< -pthread

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libsaker.a
	$(call msg,CC,$@)
	$(Q)mkdir -p $(dir $@) && $(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS) -lcmocka

$(BUILD)/tests/syscall_child: tests/e2e/syscall_child.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(dir $@) && $(CC) $(CFLAGS) $(LDFLAGS) -o $@ $<

$(BUILD)/tests/storm: tests/e2e/storm.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(dir $@) && $(CC) $(CFLAGS) $(LDFLAGS) -o $@ $<

$(BUILD)/tests/seccomp_deny: tests/kernels/seccomp_deny.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(dir $@) && $(CC) $(CFLAGS) $(LDFLAGS) -o $@ $<

$(BUILD)/bench/floor.bpf.o: bench/floor.bpf.c | $(BUILD)
	$(call msg,BPF,$@)
	$(Q)mkdir -p $(dir $@) && $(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(BUILD)/bench/floor: bench/floor.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(dir $@) && $(CC) $(CFLAGS) -o $@ $< -lbpf

$(BUILD)/bench/loop: bench/loop.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(dir $@) && $(CC) $(CFLAGS) -o $@ $<

$(BUILD)/bench/latency: bench/latency.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(dir $@) && $(CC) $(CFLAGS) -o $@ $<

# libFuzzer targets: the library rebuilt with clang, -fsanitize=fuzzer,address.
FUZZ_SRCS := $(filter-out src/capture/capture.c src/output/output.c src/runtime/% src/web/% src/app/metrics.c,$(LIB_SRCS))
FUZZ_FLAGS := -g -O1 -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE -Isrc -Ibpf -I$(BUILD) -Wno-unused-command-line-argument
FUZZERS := $(BUILD)/fuzz/fuzz_rules $(BUILD)/fuzz/fuzz_cond $(BUILD)/fuzz/fuzz_scap $(BUILD)/fuzz/fuzz_config $(BUILD)/fuzz/fuzz_event

$(BUILD)/fuzz/%: tests/fuzz/%.c $(FUZZ_SRCS) $(BUILD)/gen/event_table.c $(BUILD)/gen/ppm_sc.c $(BUILD)/gen/syscall_table.c $(BUILD)/gen/sysdig_2022.c $(GEN_HDRS)
	$(call msg,FUZZ,$@)
	$(Q)mkdir -p $(dir $@) && $(CLANG) $(FUZZ_FLAGS) -o $@ $< $(FUZZ_SRCS) $(BUILD)/gen/event_table.c \
		$(BUILD)/gen/ppm_sc.c $(BUILD)/gen/syscall_table.c $(BUILD)/gen/sysdig_2022.c -lyaml -lcjson -lz -lm

fuzz: $(FUZZERS)

docs/fields.md: $(BUILD)/saker
	$(BUILD)/saker --list-markdown > $@

docs: docs/fields.md

$(BUILD)/bench/rules_bench: bench/rules_bench.c $(BUILD)/libsaker.a
	$(call msg,CC,$@)
	$(Q)mkdir -p $(dir $@) && $(CC) $(CFLAGS) -O2 -o $@ $^ $(LDLIBS)

$(BUILD)/bench/containers_bench: bench/containers_bench.c $(BUILD)/libsaker.a
	$(call msg,CC,$@)
	$(Q)mkdir -p $(dir $@) && $(CC) $(CFLAGS) -O2 -o $@ $^ $(LDLIBS)

$(BUILD)/bench/output_bench: bench/output_bench.c $(BUILD)/libsaker.a
	$(call msg,CC,$@)
	$(Q)mkdir -p $(dir $@) && $(CC) $(CFLAGS) -O2 -o $@ $^ $(LDLIBS)

bench: all $(BUILD)/bench/rules_bench $(BUILD)/bench/containers_bench $(BUILD)/bench/output_bench
	$(BUILD)/bench/rules_bench ../shared/compat/falco_rules.yaml
	$(BUILD)/bench/rules_bench rules/saker_rules.yaml
	taskset -c 1 $(BUILD)/bench/containers_bench ../shared/compat/falco_rules.yaml
	taskset -c 1 $(BUILD)/bench/containers_bench rules/saker_rules.yaml
	sh bench/overhead.sh
	sh bench/output.sh $(BUILD)

$(BUILD):
	$(Q)mkdir -p $(BUILD)

deps:
	@sh tools/deps.sh $(DEBS)

redteam-deps:
	@sh tools/deps.sh $(REDTEAM_DEBS)

# test and run install what is missing first, then build: one command each.
test:
	@$(MAKE) --no-print-directory deps
	@$(MAKE) --no-print-directory all test-bins
	@sh tests/run.sh $(BUILD)

test-bins: $(UNIT_BINS) $(E2E_HELPERS) $(if $(SANITIZE),,$(FUZZERS))

run:
	@$(MAKE) --no-print-directory deps
	@$(MAKE) --no-print-directory all
	$(BUILD)/saker -c saker.yaml

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)/etc/saker/rules.d
	install -m 0755 $(BINS) $(DESTDIR)$(PREFIX)/bin/
	install -m 0644 rules/saker_rules.yaml $(DESTDIR)/etc/saker/saker_rules.yaml
	test -e $(DESTDIR)/etc/saker/saker_rules.local.yaml || \
		install -m 0644 rules/saker_rules.local.yaml $(DESTDIR)/etc/saker/saker_rules.local.yaml
	test -e $(DESTDIR)/etc/saker/saker.yaml || \
		install -m 0644 packaging/saker.yaml $(DESTDIR)/etc/saker/saker.yaml

image: all
	$(Q)sh packaging/image/build.sh $(BUILD) $(VERSION) $(IMAGE)

image-save: image
	$(Q)rm -f $(BUILD)/saker-$(VERSION).oci.tar
	$(Q)podman save --format oci-archive -o $(BUILD)/saker-$(VERSION).oci.tar $(IMAGE):$(VERSION)
	@echo "wrote $(BUILD)/saker-$(VERSION).oci.tar"

deb: all
	$(Q)sh packaging/deb/build.sh $(BUILD) $(VERSION)

clean:
	rm -rf $(BUILD)

.PHONY: fuzz docs bench all deps redteam-deps test test-bins run install clean image image-save deb
