#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Boot one kernel under qemu (software emulation) with the test initramfs.
#   tests/kernels/boot.sh VMLINUZ INITRAMFS OUT [MODE]
# OUT gets the results written by /init to the second serial port and
# OUT.console the kernel console. MODE (run, fail) goes on the command line.
set -u
vmlinuz=$1
initrd=$2
out=$3
mode=${4:-run}
: >"$out"
timeout "${SAKER_VM_TIMEOUT:-170}" qemu-system-x86_64 -machine q35 -cpu max -m 1024 -smp 1 \
	-accel tcg -nographic -no-reboot -nodefaults \
	-kernel "$vmlinuz" -initrd "$initrd" \
	-append "console=ttyS0 panic=-1 loglevel=4 saker_mode=$mode" \
	-serial "file:$out.console" -serial "file:$out" </dev/null >"$out.qemu" 2>&1
echo "$?" >"$out.rc"
