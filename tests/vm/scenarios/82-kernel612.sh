#!/bin/bash
# The module on the other kernel line: a second director guest boots the
# newest installed 6.12 kernel (deploy/deps.sh installs it; KVER612 picks
# another) with the pccvs.ko built for it (make kmod builds one per kernel)
# and forwards DR traffic, IPv4 and IPv6, from the clients to the real
# servers, for VIPs of its own (the first director keeps its addresses).
# Runs once, in the pccvs boot; skipped without a 6.12 kernel or module.
# cases: dr4 dr6 klog
. "$(dirname "$0")/../lib/scenario.sh"
G=k612
KV=${KVER612:-$(ls /lib/modules 2>/dev/null | grep '^6\.12\.' | sort -V | tail -n1)}
VIPB4=203.0.113.101 VIPB6=2001:db8:f::101
GC4=198.51.100.253 GC6=2001:db8:c::fd GB4=192.0.2.2 GB6=2001:db8:b::2

why=
[ "$BACKEND" = pccvs ] || why="runs once, in the pccvs boot"
[ -z "$why" ] && [ -z "$KV" ] && why="no 6.12 kernel installed (deploy/deps.sh)"
[ -z "$why" ] && [ ! -e "/boot/vmlinuz-$KV" ] && why="no /boot/vmlinuz-$KV"
[ -z "$why" ] && [ ! -e "$VM_TOP/build/kmod/$KV/pccvs.ko" ] && why="pccvs.ko not built for $KV (make kmod)"
if [ -n "$why" ]; then
	for c in dr4 dr6 klog; do skip $c "$why"; done
	exit 0
fi
result kernel "$KV"

hosts() { # add|del: the second director's VIPs at the clients and the real servers
	local op=$1 n
	ns_exec c ip route "$op" $VIPB4/32 via $GC4 2>/dev/null
	ns_exec c ip -6 route "$op" $VIPB6/128 via $GC6 2>/dev/null
	for n in $RS_NAMES; do
		ns_exec "$n" ip addr "$op" $VIPB4/32 dev lo 2>/dev/null
		ns_exec "$n" ip addr "$op" $VIPB6/128 dev lo $([ "$op" = add ] && echo nodad) 2>/dev/null
	done
	return 0
}
cleanup() {
	hosts del
	if vm_retire $G "$SCENARIO"; then
		pass klog
	else
		fail klog "oops/BUG/WARNING in the kernel log of the $KV guest (see $G-$SCENARIO/)"
	fi
}
trap cleanup EXIT

t0=$(date +%s)
(VM_KVER=$KV vm_start $G --nics 1 --mem 768) && vm_wait_ready $G ||
	{ fail dr4 "the $KV guest did not boot"; fail dr6 "the $KV guest did not boot"; exit 1; }
A=$(backend_adm pccvs)
script="set -e
	uname -r
	for a in $GC4/24 $GB4/24 $VIPB4/32; do ip addr add \$a dev eth0; done
	for a in $GC6/64 $GB6/64 $VIPB6/128; do ip addr add \$a dev eth0 nodad; done
	sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1 \
		net.ipv4.conf.all.send_redirects=0 net.ipv4.conf.eth0.send_redirects=0
	$(VM_KVER=$KV backend_load_cmd pccvs)
	$A -A -t $VIPB4:80 -s rr
	$A -A -t [$VIPB6]:80 -s rr"
for i in 0 1 2; do
	script+="
	$A -a -t $VIPB4:80 -r ${RS4[i]}:80 -g
	$A -a -t [$VIPB6]:80 -r [${RS6[i]}]:80 -g"
done
out=$(vm_exec $G "$script" 2>&1) || { fail dr4 "cannot set up the $KV director: $(echo "$out" | tail -n2)"; exit 1; }
[ "$(echo "$out" | head -n1)" = "$KV" ] || { fail dr4 "the guest runs $(echo "$out" | head -n1), not $KV"; exit 1; }
rs_mode_all dr && hosts add
echo "vm: $G: $KV guest ready in $(($(date +%s) - t0)) s"

probe p4 --src "$(clients4 1 30)" --to "$VIPB4:80" --conns 2
probe p6 --src "$(clients6 1 30)" --to "[$VIPB6]:80" --conns 2
n4=$(servers_seen "$SC_OUT/p4.conns" | wc -l)
n6=$(servers_seen "$SC_OUT/p6.conns" | wc -l)
result dr4_ok "$(rget "$SC_OUT/p4.res" ok)"
result dr6_ok "$(rget "$SC_OUT/p6.res" ok)"
stats=$(vm_exec $G "$A -L -n --stats" 2>&1)
echo "$stats" >"$SC_OUT/stats.txt"
check dr4 "[ '$(rget "$SC_OUT/p4.res" ok)' = 60 ] && [ $n4 = 3 ]" \
	"$(rget "$SC_OUT/p4.res" ok)/60 answered by $n4 servers"
check dr6 "[ '$(rget "$SC_OUT/p6.res" ok)' = 60 ] && [ $n6 = 3 ]" \
	"$(rget "$SC_OUT/p6.res" ok)/60 answered by $n6 servers"
