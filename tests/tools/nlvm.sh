#!/bin/bash
# tests/tools/nlvm.sh: pccvs.ko's netlink API and lifecycle in one guest.
# Boots a director guest (tests/vm/lib/vm.sh), loads kmod/pccvs.ko, and runs
# nlprobe: every command, bad input with its extack text, CAP_NET_ADMIN
# refusal (capsh and self-drop), a second namespace, template inject/dump
# timing; then unloads and reloads the module, and checks the kernel log.
# With -d it also forwards TCP in DR mode from a namespace client to a
# namespace real server through the guest, unloading with traffic flowing.
# Ends with "N passed, N failed".
#
#   tests/tools/nlvm.sh [-d] [-n TEMPLATES]
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/vm/lib/vm.sh"

dr=0
bench=200000
while getopts dn: o; do
	case $o in
	d) dr=1 ;;
	n) bench=$OPTARG ;;
	*) echo "usage: $0 [-d] [-n TEMPLATES]" >&2; exit 2 ;;
	esac
done

probe=$VM_TOP/build/rel/tests/tools/nlprobe
ko=$VM_TOP/kmod/pccvs.ko
[ -x "$probe" ] && [ -e "$ko" ] || { echo "build first: make all"; echo "0 passed, 1 failed"; exit 1; }
deps=$(modinfo -F depends "$ko" | tr , ' ')
load="modprobe -a $deps && insmod $ko"

pass=0 fail=0
step() {	# step NAME CMD...: a guest command that must succeed
	local name=$1 out rc
	shift
	out=$(vm_exec d1 "$*" 2>&1)
	rc=$?
	printf '%s\n' "$out" | sed 's/^/    /'
	if [ $rc = 0 ]; then pass=$((pass + 1)); echo "ok $name"
	else fail=$((fail + 1)); echo "FAIL $name (exit $rc)"; fi
}
probe_step() {	# probe_step NAME CMD...: an nlprobe run, its tally added
	local name=$1 out line p f
	shift
	out=$(vm_exec d1 "$*" 2>&1)
	printf '%s\n' "$out" | grep -E '^(FAIL|RESULT|BENCH|   extack)' | sed 's/^/    /'
	line=$(printf '%s\n' "$out" | grep -E '^[0-9]+ passed, [0-9]+ failed$' | tail -n1)
	if [ -z "$line" ]; then
		fail=$((fail + 1)); echo "FAIL $name: no summary"
		printf '%s\n' "$out" | tail -n 5 | sed 's/^/    /'
		return
	fi
	p=${line%% passed*}; f=${line#*passed, }; f=${f%% failed}
	pass=$((pass + p)); fail=$((fail + f))
	echo "$name: $line"
}

vm_init || exit 1
vm_start d1 --nics 1 --mem 1536 || exit 1
vm_wait_ready d1 || exit 1

step load "$load && dmesg | grep -a 'pccvs:'"
step genl_family "grep -q pccvs /proc/net/netlink 2>/dev/null; $probe info"
probe_step all "$probe all"
probe_step bad "$probe bad"
probe_step unpriv_capsh "capsh --drop=cap_net_admin -- -c '$probe unpriv'"
probe_step unpriv_self "$probe unpriv"
probe_step other_netns "ip netns add nlp && ip netns exec nlp $probe all; rc=\$?; ip netns del nlp; exit \$rc"
probe_step bench "$probe bench $bench"
step info_after "$probe info"

if [ $dr = 1 ]; then
	# client 192.0.2.100 -> VIP 192.0.2.10:80 on the director (192.0.2.1),
	# real server 192.0.2.2 with the VIP on lo, answering the client itself.
	ns_add cl && ns_addr cl 192.0.2.100/24 &&
	ns_add rs && ns_addr rs 192.0.2.2/24 &&
	ns_exec rs ip addr add 192.0.2.10/32 dev lo &&
	ns_exec rs sysctl -qw net.ipv4.conf.all.arp_ignore=1 net.ipv4.conf.all.arp_announce=2
	srv=$(ns_spawn rs "$VM_RUNLOG/rs.log" python3 -c '
import socket
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("192.0.2.10", 80)); s.listen(64)
while True:
    c, a = s.accept(); c.sendall(b"hello from rs " + a[0].encode() + b"\n"); c.close()')
	step dr_setup "ip addr add 192.0.2.1/24 dev eth0 && ip addr add 192.0.2.10/32 dev eth0"
	step dr_config "$probe dr 192.0.2.10 80 192.0.2.2"
	vm_exec d1 "$probe events 4" >"$VM_RUNLOG/events.log" 2>&1 &
	evpid=$!
	sleep 1.5
	out=$(ns_exec cl python3 -c '
import socket
s = socket.create_connection(("192.0.2.10", 80), timeout=5); print(s.recv(100).decode().strip())' 2>&1)
	echo "    client: $out"
	if [ "${out#hello from rs 192.0.2.100}" != "$out" ]; then pass=$((pass + 1)); echo "ok dr_tcp"
	else fail=$((fail + 1)); echo "FAIL dr_tcp"; fi
	step dr_conns "$probe conns"
	# the cached route must not outlive a device going down
	step dr_link_bounce "ip link set eth0 down && ip link set eth0 up && ip addr add 192.0.2.10/32 dev eth0 2>/dev/null; ip addr replace 192.0.2.1/24 dev eth0 && sleep 1"
	out=$(ns_exec cl python3 -c '
import socket
s = socket.create_connection(("192.0.2.10", 80), timeout=5); print(s.recv(100).decode().strip())' 2>&1)
	echo "    client: $out"
	if [ "${out#hello from rs}" != "$out" ]; then pass=$((pass + 1)); echo "ok dr_tcp_after_bounce"
	else fail=$((fail + 1)); echo "FAIL dr_tcp_after_bounce"; fi
	wait $evpid
	sed 's/^/    /' "$VM_RUNLOG/events.log"
	if grep -q '^event confirmed' "$VM_RUNLOG/events.log"; then pass=$((pass + 1)); echo "ok dr_event"
	else fail=$((fail + 1)); echo "FAIL dr_event"; fi
	# 60 clients at once: batched events for a listener with room, an
	# overrun reported to one without
	ns_exec cl sh -c 'for i in $(seq 101 160); do ip addr add 192.0.2.$i/24 dev eth0; done'
	# (the guest agent runs one command at a time: both listeners in one)
	vm_exec d1 "$probe events 6 >/tmp/evb.log 2>&1 & $probe events 6 1 3000 >/tmp/evs.log 2>&1; wait
		cat /tmp/evb.log; sed 's/^/small: /' /tmp/evs.log" >"$VM_RUNLOG/ev.log" 2>&1 &
	ev1=$!
	sleep 2
	ns_exec cl python3 -c '
import socket, threading
def one(i):
    s = socket.socket(); s.bind(("192.0.2.%d" % i, 0)); s.settimeout(5)
    s.connect(("192.0.2.10", 80)); s.recv(100); s.close()
ts = [threading.Thread(target=one, args=(i,)) for i in range(101, 161)]
[t.start() for t in ts]; [t.join() for t in ts]'
	wait $ev1
	grep -v '^small: ' "$VM_RUNLOG/ev.log" >"$VM_RUNLOG/ev_big.log"
	grep '^small: ' "$VM_RUNLOG/ev.log" | sed 's/^small: //' >"$VM_RUNLOG/ev_small.log"
	n=$(awk '$1 == "events" { print $2, $4 }' "$VM_RUNLOG/ev_big.log")
	echo "    listener: events and last_seq: $n"
	if [ "${n%% *}" = 60 ]; then pass=$((pass + 1)); echo "ok ev_batch_60"
	else fail=$((fail + 1)); echo "FAIL ev_batch_60"; tail -3 "$VM_RUNLOG/ev_big.log"; fi
	grep '^lost' "$VM_RUNLOG/ev_small.log" | sed 's/^/    small buffer: /'
	if grep -q 'overran' "$VM_RUNLOG/ev_small.log"; then pass=$((pass + 1)); echo "ok ev_overrun_reported"
	else fail=$((fail + 1)); echo "FAIL ev_overrun_reported"; tail -3 "$VM_RUNLOG/ev_small.log"; fi
	# unload while a client keeps connecting
	loadpid=$(ns_spawn cl "$VM_RUNLOG/load.log" python3 -c '
import socket, time
while True:
    try:
        s = socket.create_connection(("192.0.2.10", 80), timeout=1); s.recv(100); s.close()
    except OSError: pass
    time.sleep(0.005)')
	sleep 1
	step dr_unload_busy "rmmod pccvs && $load && rmmod pccvs && $load"
	vm_kill_spawned "$loadpid"
	vm_kill_spawned "$srv"
fi

# a listener learns that the module went away
step unload "$probe events 3 >/tmp/evu.log 2>&1 & sleep 1; rmmod pccvs && ! grep -q '^pccvs ' /proc/modules; rc=\$?; wait; cat /tmp/evu.log; grep -q 'module was unloaded' /tmp/evu.log && exit \$rc"
step reload "$load && $probe all >/dev/null && rmmod pccvs"
vm_stop d1
if vm_klog_check d1; then pass=$((pass + 1)); echo "ok klog_clean"
else fail=$((fail + 1)); echo "FAIL klog_clean"; fi
echo "$pass passed, $fail failed"
[ $fail = 0 ]
