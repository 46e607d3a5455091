#!/bin/bash
# Forwarding: DR, TUN and NAT each carry an HTTP-like request/response from
# the clients to all three real servers, over IPv4 and IPv6.
# cases: dr4 tun4 nat4 dr6 tun6 nat6
# needs: tunrs
. "$(dirname "$0")/../lib/scenario.sh"

# forward CASE FLAG VIP PORT CLIENTS REAL-SERVER...
forward() {
	local c=$1 flag=$2 vip=$3 port=$4 clients=$5 r script seen
	shift 5
	script="$ADM -A -t $vip:$port -s rr"
	for r in "$@"; do script+=" && $ADM -a -t $vip:$port -r $r:$port $flag"; done
	if ! adm_reset || ! on_lb "$script"; then
		fail "$c" "cannot configure the service"
		return
	fi
	probe "$c" --src "$clients" --to "$vip:$port" --conns 2 --parallel 8 --timeout 3000
	seen=$(servers_seen "$SC_OUT/$c.conns" | wc -l)
	result "$c.ok" "$(rget "$SC_OUT/$c.res" ok)/$(rget "$SC_OUT/$c.res" conns)"
	result "$c.servers" "$seen"
	check "$c" "[ '$(rget "$SC_OUT/$c.res" failed)' = 0 ] && [ '$(rget "$SC_OUT/$c.res" timeout)' = 0 ] &&
		[ '$(rget "$SC_OUT/$c.res" reset)' = 0 ] && [ $seen = $# ]" \
		"$(rget "$SC_OUT/$c.res" ok) of $(rget "$SC_OUT/$c.res" conns) answered, by $seen of $# servers"
}

rs_mode_all dr
forward dr4 -g "$VIP4" 80 "$(clients4 1 12)" "${RS4[@]}"
forward tun4 -i "$VIP4" 80 "$(clients4 13 24)" "${RT4[@]}"
rs_mode_all nat
forward nat4 -m "$VIP4" 80 "$(clients4 25 36)" "${RS4[@]}"
rs_mode_all dr
br=(); for a in "${RS6[@]}"; do br+=("[$a]"); done
forward dr6 -g "[$VIP6]" 80 "$(clients6 1 12)" "${br[@]}"
br=(); for a in "${RT6[@]}"; do br+=("[$a]"); done
forward tun6 -i "[$VIP6]" 80 "$(clients6 13 24)" "${br[@]}"
rs_mode_all nat
br=(); for a in "${RS6[@]}"; do br+=("[$a]"); done
forward nat6 -m "[$VIP6]" 80 "$(clients6 25 36)" "${br[@]}"
rs_mode_all dr
adm_reset
