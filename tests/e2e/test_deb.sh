#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The Debian package: lintian reports no errors; it installs with dpkg -i,
# saker --version runs from /usr/bin, an edited /etc/saker/saker.yaml
# survives a reinstall and an upgrade, dpkg -r keeps it, dpkg -P removes it;
# systemd-analyze verify accepts the unit.
. "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 1
VERSION=$(sed -n 's/^#define SAKER_VERSION "\(.*\)"/\1/p' src/app/saker.c)
ARCH=$(dpkg --print-architecture)
DPKG="flock /var/lock/saker-deps.lock dpkg"
command -v dpkg-deb >/dev/null && command -v lintian >/dev/null || { not_ok "dpkg-deb and lintian installed (make deps)"; exit 1; }
if dpkg-query -W -f='${Status}' saker 2>/dev/null | grep -q 'install ok'; then
	echo "skip - deb install tests (a saker package is already installed on this machine)"
	exit 0
fi
trap '$DPKG -P saker >/dev/null 2>&1; [ -n "$KEEP" ] || rm -rf "$TMP"' EXIT

B1=$TMP/b1 B2=$TMP/b2
mkdir -p "$B1" "$B2"
for b in saker sakerdump saker-eventgen; do cp "$BUILD/$b" "$B1/" && cp "$BUILD/$b" "$B2/"; done
if sh packaging/deb/build.sh "$B1" "$VERSION" >"$TMP/log" 2>&1 && sh packaging/deb/build.sh "$B2" "$VERSION.1" >>"$TMP/log" 2>&1; then
	ok "make deb's script builds saker_${VERSION}_$ARCH.deb"
else
	not_ok "deb builds" "$(tail -5 "$TMP/log")"
	exit 1
fi
D1=$B1/saker_${VERSION}_$ARCH.deb D2=$B2/saker_${VERSION}.1_$ARCH.deb
lintian --no-tag-display-limit "$D1" >"$TMP/lintian" 2>&1
grep -q '^E:' "$TMP/lintian" && not_ok "lintian: no errors" "$(grep '^E:' "$TMP/lintian" | head -5)" || ok "lintian: no errors ($(grep -c '^W:' "$TMP/lintian") warnings)"
c=$(dpkg-deb -f "$D1" Depends)
echo "$c" | grep -q 'libc6' && echo "$c" | grep -q 'libbpf' && ok "Depends computed by dpkg-shlibdeps ($c)" || not_ok "Depends" "$c"
dpkg-deb -c "$D1" >"$TMP/contents"
for f in ./usr/bin/saker ./usr/bin/sakerdump ./usr/bin/saker-eventgen ./etc/saker/saker.yaml \
	./etc/saker/saker_rules.yaml ./etc/saker/saker_rules.local.yaml ./etc/saker/rules.d/ \
	./lib/systemd/system/saker.service ./usr/share/doc/saker/copyright ./usr/share/doc/saker/README.md; do
	grep -q " $f\$" "$TMP/contents" || missing="$missing $f"
done
[ -z "$missing" ] && ok "package holds binaries, /etc/saker files, rules.d, the unit and docs" ||
	not_ok "package holds every file" "missing:$missing"
cf=$(dpkg-deb -I "$D1" conffiles | tr '\n' ' ')
[ "$cf" = "/etc/saker/saker.yaml /etc/saker/saker_rules.local.yaml /etc/saker/saker_rules.yaml " ] &&
	ok "conffiles: saker.yaml, saker_rules.yaml, saker_rules.local.yaml" || not_ok "conffiles" "$cf"

if $DPKG -i "$D1" >"$TMP/log" 2>&1; then ok "dpkg -i installs it"; else not_ok "dpkg -i" "$(tail -3 "$TMP/log")"; exit 1; fi
v=$(/usr/bin/saker --version 2>&1)
[ "$v" = "saker $VERSION $(echo "$v" | cut -d' ' -f3-)" ] && ok "/usr/bin/saker --version: $v" || not_ok "/usr/bin/saker --version" "$v"
/usr/bin/saker -V /etc/saker/saker_rules.yaml -c /etc/saker/saker.yaml -o name_resolution.enabled=false >"$TMP/v" 2>&1 && ok "installed rules validate with the installed config" ||
	not_ok "installed rules validate" "$(tail -3 "$TMP/v")"
# the unit's capability set is enough: the installed sensor runs under it
caps=$(sed -n 's/^CapabilityBoundingSet=//p' /lib/systemd/system/saker.service | tr 'A-Z' 'a-z' | sed 's/cap_/+/g; s/ /,/g')
timeout 20 setpriv --bounding-set "-all,$caps" /usr/bin/saker -c /etc/saker/saker.yaml -o name_resolution.enabled=false -M 2 >/dev/null 2>"$TMP/run"
grep -q capturing "$TMP/run" && ok "installed saker captures with only the unit's capabilities ($caps)" ||
	not_ok "installed saker under the unit's capabilities" "$(tail -3 "$TMP/run")"
echo "# ship: edited by test_deb" >>/etc/saker/saker.yaml
echo "- list: ship_local_list" >>/etc/saker/saker_rules.local.yaml
echo "  items: [a]" >>/etc/saker/saker_rules.local.yaml
edited() { grep -q '^# ship: edited by test_deb' /etc/saker/saker.yaml && grep -q ship_local_list /etc/saker/saker_rules.local.yaml; }
$DPKG -i "$D1" >"$TMP/log" 2>&1 && edited && ok "edited saker.yaml and local rules survive a reinstall" || not_ok "edits survive a reinstall" "$(tail -3 "$TMP/log")"
$DPKG -i "$D2" >"$TMP/log" 2>&1 && edited && [ "$(dpkg-query -W -f='${Version}' saker)" = "$VERSION.1" ] &&
	ok "edits survive an upgrade to $VERSION.1" || not_ok "edits survive an upgrade" "$(tail -3 "$TMP/log")"
$DPKG -r saker >"$TMP/log" 2>&1
[ ! -e /usr/bin/saker ] && edited && ok "dpkg -r removes the binaries, keeps the edited config" || not_ok "dpkg -r keeps config" "$(ls /etc/saker 2>&1)"
$DPKG -P saker >"$TMP/log" 2>&1
[ ! -e /etc/saker/saker.yaml ] && [ ! -e /etc/saker/saker_rules.local.yaml ] && ok "dpkg -P removes the config" ||
	not_ok "dpkg -P removes the config" "$(ls -la /etc/saker 2>&1)"

# The unit
dpkg-deb -x "$D1" "$TMP/x"
u=$TMP/x/lib/systemd/system/saker.service
grep -q '^ExecReload=/bin/kill -HUP \$MAINPID' "$u" && grep -q '^Restart=on-failure' "$u" &&
	grep -q '^CapabilityBoundingSet=CAP_BPF CAP_PERFMON CAP_SYS_PTRACE CAP_SYS_RESOURCE$' "$u" &&
	ok "unit: least capabilities, Restart=on-failure, reload by SIGHUP" || not_ok "unit keys" "$(cat "$u")"
if command -v systemd-analyze >/dev/null; then
	# verify resolves ExecStart: point it at the extracted binary
	sed "s#/usr/bin/saker#$TMP/x/usr/bin/saker#" "$u" >"$TMP/saker.service"
	if systemd-analyze verify "$TMP/saker.service" >"$TMP/verify" 2>&1; then
		ok "systemd-analyze verify accepts saker.service"
	else
		not_ok "systemd-analyze verify" "$(cat "$TMP/verify")"
	fi
else
	echo "skip - systemd-analyze verify (systemd is not installed here)"
fi
