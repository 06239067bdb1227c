#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The upstream Falco rulesets load: every *.yaml in ../shared/compat (the
# stable falco_rules.yaml, and falco-incubating_rules.yaml and
# falco-sandbox_rules.yaml where the machine has them) is Ok for saker -V.
# The fields those two rulesets need beyond the stable one compile in
# conditions and outputs, written here as they use them: fd.rnet against a
# list of networks, the fd.*ip.name family, evt.buffer, evt.arg.uid by name,
# the ancestors, the container and k8s fields.
. "$(dirname "$0")/lib.sh"
S="$BUILD/saker"
COMPAT=${COMPAT:-$(dirname "$0")/../../../shared/compat}

for f in "$COMPAT"/*.yaml; do
	[ -e "$f" ] || continue
	"$S" -V "$f" >"$TMP/v.out" 2>&1 && grep -q ': Ok$' "$TMP/v.out" && ok "$(basename "$f") loads" ||
		not_ok "$(basename "$f") loads" "$(head -5 "$TMP/v.out")"
done
for f in falco-incubating_rules.yaml falco-sandbox_rules.yaml; do
	[ -e "$COMPAT/$f" ] || echo "skip - $f loads (not in $COMPAT on this machine)"
done

cat >"$TMP/fields.yaml" <<'Y'
- list: fields2_private_nets
  items: ['"10.0.0.0/8"', '"172.16.0.0/12"', '"192.168.0.0/16"']
- macro: fields2_local_subnet
  condition: (fd.rnet in (fields2_private_nets) or fd.ip = "0.0.0.0" or fd.net = "127.0.0.0/8" or fd.lnet = "127.0.0.0/8")
- rule: fields2 outside local subnet
  desc: the incubating ruleset's network shape
  condition: evt.type in (connect, accept) and evt.dir = < and not fields2_local_subnet and k8s.ns.name in (default)
  output: "out (rip_name=%fd.rip.name lip_name=%fd.lip.name cip_name=%fd.cip.name sip_name=%fd.sip.name connection=%fd.name proto=%fd.sproto)"
  priority: WARNING
- rule: fields2 dns to a mining pool
  desc: the sandbox ruleset's shape (names, buffers)
  condition: evt.type in (sendto, sendmsg) and evt.dir = < and (fd.sip.name in (pool.fields2.invalid) or evt.buffer contains fields2pool) and fd.sport = 53
  output: "dns (buffer=%evt.buffer len=%evt.buflen sip_name=%fd.sip.name)"
  priority: WARNING
- rule: fields2 setuid themselves
  desc: evt.arg.uid compared by name, ancestors by index
  condition: evt.type = setuid and evt.dir = > and (user.name = nobody and evt.arg.uid = nobody) and proc.aname[2] = bash and thread.cap_permitted contains CAP_SYS_ADMIN and container.privileged = true
  output: "setuid (uid=%evt.arg.uid gparent=%proc.aname[2] ggparent=%proc.aname[3] aname=%proc.aname env=%proc.aenv[HOME])"
  priority: NOTICE
Y
# Ok (with the warnings evt.dir, deprecated since Falco 0.42, gets)
"$S" -V "$TMP/fields.yaml" >"$TMP/f.out" 2>&1 && grep -Eq ': Ok(, with warnings)?$' "$TMP/f.out" &&
	ok "the incubating and sandbox rulesets' fields compile (fd.rnet in a list, fd.*ip.name, evt.buffer, evt.arg.uid, proc.aname[N])" ||
	not_ok "the incubating and sandbox rulesets' fields compile" "$(head -5 "$TMP/f.out")"
