#!/bin/bash
# Port-0 persistence (the FTP case): a client's connections to two ports of
# the VIP (21 and 2121) reach the same real server. "port0" uses a service
# on port 0 (all ports); "port_group" uses two services of one port group
# (a pccvs extension: --pgroup; IPVS has none).
# cases: port0 port_group
. "$(dirname "$0")/../lib/scenario.sh"

# sticky_across CASE: 60 clients x 2 connections to each of ports 21, 2121.
sticky_across() {
	local c=$1 res=$SC_OUT/$1.res seen
	probe "$c" --src "$(clients4 41 100)" --to "$VIP4:21,$VIP4:2121" --conns 2 --parallel 16 --timeout 5000
	seen=$(servers_seen "$SC_OUT/$c.conns" | wc -l)
	result "$c.ok" "$(rget "$res" ok)/$(rget "$res" conns)"
	result "$c.sticky_pct" "$(rget "$res" sticky_pct)"
	result "$c.servers" "$seen"
	check "$c" "[ '$(rget "$res" ok)' = 240 ] && [ '$(rget "$res" sticky_pct)' = 100.0 ] && [ $seen -ge 2 ]" \
		"$(rget "$res" ok) of 240 answered, sticky_pct=$(rget "$res" sticky_pct), $seen servers"
}

# Hook: the backend's way to group ports 21 and 2121 into one persistence
# domain. Prints why not, and fails, where there is none.
port_group_setup() {
	local p s=""
	case $BACKEND in
	pccvs)
		for p in 21 2121; do
			s+="${s:+ && }$ADM -A -t $VIP4:$p -s rr -p 300 --pgroup ftp"
			for r in "${RS4[@]}"; do s+=" && $ADM -a -t $VIP4:$p -r $r:$p -g"; done
		done
		on_lb "$s"
		;;
	*)
		echo "IPVS has no port groups (its equivalent, a firewall-mark service, needs iptables, not installed)"
		return 1
		;;
	esac
}

rs_mode_all dr
script="$ADM -A -t $VIP4:0 -s rr -p 300"
for r in "${RS4[@]}"; do script+=" && $ADM -a -t $VIP4:0 -r $r -g"; done
if adm_reset && on_lb "$script"; then
	sticky_across port0
else
	fail port0 "cannot configure the port-0 service"
fi

adm_reset
if why=$(port_group_setup 2>&1); then
	sticky_across port_group
else
	skip port_group "$why"
fi
adm_reset
