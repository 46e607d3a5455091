# tests/vm/lib/lb.sh: the load-balancer topology on top of vm.sh (sourced).
#
# One bridge carries everything (documentation ranges only, no default routes):
#   clients  198.51.100.1-200/24  2001:db8:c::1-c8/64   namespace "c"
#   director 198.51.100.254 192.0.2.1  2001:db8:c::fe 2001:db8:b::1, guest "lb1"
#            VIPs 203.0.113.100, 2001:db8:f::100 on its eth0
#   real servers (namespaces r1-r3)  192.0.2.11-13  2001:db8:b::11-13
#            VIPs on lo (DR); reply route to the clients on-link (DR) or via
#            the director (NAT): see rs_mode
#   TUN real servers rt1-rt3: namespaces inside guest "rs" (the host kernel
#            has no ipip/ip6tnl), one NIC each, 192.0.2.21-23 2001:db8:b::21-23,
#            VIPs on tunl0/ip6tnl0
# Every real server runs "pcctraffic serve --id <name>" on ports 80, 21, 2121
# (IPv4 and IPv6) and answers with its name.
#
# Backends: BACKEND=ipvs (ip_vs + ipvsadm) or pccvs (kmod/pccvs.ko +
# build/rel/cli/pccvsadm); ADM is the ipvsadm-compatible command in the guest.

LB=lb1
LB_TUNRS=rs
VIP4=203.0.113.100
VIP6=2001:db8:f::100
DIR4=192.0.2.1
DIR6=2001:db8:b::1
DIRC4=198.51.100.254
DIRC6=2001:db8:c::fe
CLIENTS4_NET=198.51.100.0/24
CLIENTS6_NET=2001:db8:c::/64
RS_NAMES="r1 r2 r3"
RS4=(192.0.2.11 192.0.2.12 192.0.2.13)
RS6=(2001:db8:b::11 2001:db8:b::12 2001:db8:b::13)
RT_NAMES="rt1 rt2 rt3"
RT4=(192.0.2.21 192.0.2.22 192.0.2.23)
RT6=(2001:db8:b::21 2001:db8:b::22 2001:db8:b::23)
RS_PORTS=(80 21 2121)
PCCT=$VM_TOP/build/rel/tests/tools/pcctraffic

# clients "first-last" (1..200) in pcctraffic syntax
clients4() { echo "198.51.100.${1:-1}-${2:-200}"; }
clients6() { printf '2001:db8:c::%x-%x' "${1:-1}" "${2:-200}"; }

backend_adm() {
	case $1 in
	ipvs) echo ipvsadm ;;
	pccvs) echo "$VM_TOP/build/rel/cli/pccvsadm" ;;
	esac
}

# The pccvs.ko for the guests' kernel ($VM_KVER): make kmod builds one per
# installed kernel in build/kmod/<kver>/; kmod/pccvs.ko is the default's.
pccvs_ko() {
	local k=$VM_TOP/build/kmod/$VM_KVER/pccvs.ko
	[ -e "$k" ] || k=$VM_TOP/kmod/pccvs.ko
	echo "$k"
}

# Why a backend cannot run here (empty: it can).
backend_missing() {
	case $1 in
	ipvs) command -v ipvsadm >/dev/null || echo "ipvsadm not installed" ;;
	pccvs)
		[ -x "$VM_TOP/build/rel/cli/pccvsadm" ] || echo "build/rel/cli/pccvsadm not built"
		[ -e "$(pccvs_ko)" ] || echo "pccvs.ko not built (for $VM_KVER)"
		;;
	*) echo "unknown backend $1" ;;
	esac
}

# Shell text (for the guest) that loads the backend's module(s).
backend_load_cmd() {
	case $1 in
	ipvs) echo "modprobe -a ip_vs ip_vs_rr ip_vs_wrr ip_vs_wlc ip_vs_sh" ;;
	pccvs) echo "modprobe -a \$(modinfo -F depends $(pccvs_ko) | tr , ' ') && insmod $(pccvs_ko)" ;;
	esac
}

# Shell text that unloads and loads the backend again: a scenario starts
# with empty connection and template tables (IPVS keeps entries of deleted
# services until they expire).
backend_reload_cmd() {
	case $1 in
	ipvs) echo "ipvsadm -C; modprobe -r ip_vs_rr ip_vs_wrr ip_vs_wlc ip_vs_sh ip_vs && $(backend_load_cmd ipvs)" ;;
	pccvs) echo "$(backend_adm pccvs) -C; rmmod pccvs && $(backend_load_cmd pccvs)" ;;
	esac
}

_serve_listen() {
	local p l=
	for p in "${RS_PORTS[@]}"; do l+="${l:+,}0.0.0.0:$p,[::]:$p"; done
	echo "$l"
}

# Namespace hosts: clients and three real servers with their servers.
lb_hosts_up() {
	local i n
	ns_add c || return 1
	ns_addr_range c 198.51.100. 1 200 24 && ns_addr_range c 2001:db8:c:: 1 200 64 || return 1
	ns_exec c ip route add 203.0.113.0/24 via $DIRC4 &&
		ns_exec c ip -6 route add 2001:db8:f::/64 via $DIRC6 || return 1
	i=0
	for n in $RS_NAMES; do
		ns_add "$n" && ns_addr "$n" "${RS4[i]}/24" "${RS6[i]}/64" || return 1
		ns_exec "$n" sh -c "ip addr add $VIP4/32 dev lo && ip addr add $VIP6/128 dev lo nodad &&
			sysctl -qw net.ipv4.conf.all.arp_ignore=1 net.ipv4.conf.all.arp_announce=2 \
				net.ipv4.conf.eth0.arp_ignore=1 net.ipv4.conf.eth0.arp_announce=2" || return 1
		ns_spawn "$n" "$VM_RUNLOG/serve-$n.log" "$PCCT" serve --id "$n" --listen "$(_serve_listen)" \
			--pidfile "$VM_RUNLOG/serve-$n.pid" >/dev/null
		rs_mode "$n" dr || return 1
		i=$((i + 1))
	done
	for n in $RS_NAMES; do
		vm_poll 10 "[ -s '$VM_RUNLOG/serve-$n.pid' ]" || { vm_log "server $n did not start"; return 1; }
	done
}

# rs_mode NAME dr|tun|nat: how a namespace real server reaches the clients:
# directly on the link (DR) or through the director (NAT).
rs_mode() {
	case $2 in
	dr | tun) ns_exec "$1" sh -c "ip route replace $CLIENTS4_NET dev eth0 &&
		ip -6 route replace $CLIENTS6_NET dev eth0" ;;
	nat) ns_exec "$1" sh -c "ip route replace $CLIENTS4_NET via $DIR4 &&
		ip -6 route replace $CLIENTS6_NET via $DIR6" ;;
	esac
}

rs_mode_all() {
	local n
	for n in $RS_NAMES; do rs_mode "$n" "$1" || return 1; done
}

# Director guest: addresses, forwarding, no redirects (clients and real
# servers share the link, and a redirect would send NAT replies around the
# director), then the backend's module.
lb_director_start() { vm_start $LB --nics 1 --mem 1024; }
lb_director_setup() {
	local backend=$1
	vm_wait_ready $LB || return 1
	vm_exec $LB "set -e
		for a in $DIRC4/24 $DIR4/24 $VIP4/32; do ip addr add \$a dev eth0; done
		for a in $DIRC6/64 $DIR6/64 $VIP6/128; do ip addr add \$a dev eth0 nodad; done
		sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1 \
			net.ipv4.conf.all.send_redirects=0 net.ipv4.conf.eth0.send_redirects=0 \
			net.ipv4.conf.default.send_redirects=0
		$(backend_load_cmd "$backend")" || return 1
}

# TUN real servers: guest "rs", NIC i moved into namespace rt<i+1>, VIPs on
# the fallback tunnel devices, servers started there.
lb_tunrs_start() { vm_start $LB_TUNRS --nics 3 --mem 512; }
lb_tunrs_setup() {
	local i cmd="set -e; modprobe -a ipip ip6_tunnel"
	for i in 0 1 2; do
		cmd+="
		ip netns add rt$((i + 1)); ip link set eth$i netns rt$((i + 1))
		ip netns exec rt$((i + 1)) sh -c 'set -e
			sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0 \
				net.ipv4.conf.all.arp_ignore=1 net.ipv4.conf.all.arp_announce=2 \
				net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0
			ip link set lo up; ip link set eth$i up
			ip addr add ${RT4[i]}/24 dev eth$i; ip addr add ${RT6[i]}/64 dev eth$i nodad
			ip addr add $VIP4/32 dev tunl0; ip link set tunl0 up
			sysctl -qw net.ipv4.conf.tunl0.rp_filter=0
			ip addr add $VIP6/128 dev ip6tnl0 nodad; ip link set ip6tnl0 up
			ip route add $CLIENTS4_NET dev eth$i; ip -6 route add $CLIENTS6_NET dev eth$i
			setsid $PCCT serve --id rt$((i + 1)) --listen $(_serve_listen) \
				--pidfile /run/serve-rt$((i + 1)).pid </dev/null >/run/serve-rt$((i + 1)).log 2>&1 &'"
	done
	cmd+="
	for i in 1 2 3; do for t in \$(seq 50); do [ -s /run/serve-rt\$i.pid ] && break; sleep 0.1; done; done
	ls /run/serve-rt*.pid | wc -l"
	vm_wait_ready $LB_TUNRS || return 1
	[ "$(vm_exec $LB_TUNRS "$cmd" | tail -n1)" = 3 ] || { vm_log "TUN real servers did not start"; return 1; }
}
