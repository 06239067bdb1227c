#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Install the Debian packages given as arguments that are not installed yet.
# Idempotent and quiet when nothing is missing; runs apt-get update first.
set -eu
missing=""
for p in "$@"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
	echo "deps: missing packages:$missing; run 'make deps' as root" >&2
	exit 1
fi
echo "deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
# Serialize with other builds on this machine: apt holds one dpkg lock.
exec 9>/var/lock/saker-deps.lock
flock 9
apt-get update -qq
apt-get install -y -qq --no-install-recommends $missing >/dev/null
