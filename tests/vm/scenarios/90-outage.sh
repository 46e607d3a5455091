#!/bin/bash
# Outage measurement, end to end (the pattern of the failover tests): steady
# load with long-lived streams through the director, a 2 s partition of the
# director (link down in the switch), then the load log analysed around the
# cut: requests fail only during it, every stream survives (TCP retransmits,
# the director keeps its connections), every client keeps its real server,
# and the measured outage is about the cut.
# cases: outage
. "$(dirname "$0")/../lib/scenario.sh"
CUT_MS=2000

rs_mode_all dr
script="$ADM -A -t $VIP4:80 -s rr -p 300"
for r in "${RS4[@]}"; do script+=" && $ADM -a -t $VIP4:80 -r $r:80 -g"; done
adm_reset && on_lb "$script" || { fail outage "cannot configure the service"; exit 1; }

log=$SC_OUT/load.log
pid=$(ns_spawn c "$SC_OUT/load.out" "$PCCT" load --src "$(clients4 1 50)" --to "$VIP4:80" \
	--rate 50 --streams 8 --interval 100ms --stall 300ms --timeout 1000 --duration 9s --log "$log")
vm_poll 20 "[ \$(cat '$log' 2>/dev/null | grep -c ' open ') -ge 8 ] && [ \$(cat '$log' 2>/dev/null | grep -c '^R .* ok ') -ge 100 ]" ||
	{ fail outage "the load did not get going (see $log)"; exit 1; }
vm_cut "$LB"
cut=$(date +%s%3N) # once the link is down
sleep "$((CUT_MS / 1000))" # the outage itself
vm_restore "$LB"
vm_poll 30 "[ ! -d /proc/$pid ]" || { vm_kill_spawned "$pid"; fail outage "the load did not end"; exit 1; }

"$PCCT" analyse "$log" --crash-ms "$cut" --timeline "$SC_OUT/timeline.csv" >"$SC_OUT/analyse.res"
a=$SC_OUT/analyse.res
for k in requests ok failed_in_outage failover_ms affinity_kept_pct affinity_clients streams_survived \
	streams_rst stream_max_stall_ms; do
	result "$k" "$(rget "$a" $k)"
done
fo=$(rget "$a" failover_ms) ss=$(rget "$a" streams_survived)
check outage "[ '$ss' = 8/8 ] && [ '$(rget "$a" affinity_kept_pct)' = 100.0 ] &&
	[ '${fo:--1}' -ge $((CUT_MS - 200)) ] && [ '${fo:--1}' -le $((CUT_MS + 3000)) ]" \
	"streams survived $ss, affinity kept $(rget "$a" affinity_kept_pct)%, failover_ms $fo (cut $CUT_MS)"
adm_reset
