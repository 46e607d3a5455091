#!/bin/bash
# Connection entries deleted mid-stream: long-lived TCP streams (and short
# requests) through a persistent DR service keep flowing when their
# connection entries are deleted, one by one (PCCVS_CMD_CONN_DEL: pccvsadm has
# no verb for it, data/conndel.py sends it) and then all at once
# (PCCVS_CMD_CONN_FLUSH): the next packet of each stream finds its template,
# the connection comes back flagged restored, on the same real server; no
# stream is reset or stalls, no request fails, every client keeps its server.
# pccvs only (IPVS cannot delete one connection entry, and a mid-stream
# packet without one goes to its local stack, which answers RST).
# cases: conn_del conn_flush streams
. "$(dirname "$0")/../lib/scenario.sh"
CASES="conn_del conn_flush streams"
STREAMS=6
CONNDEL=$VM_TOP/tests/vm/scenarios/data/conndel.py

if [ "$BACKEND" != pccvs ]; then
	for c in $CASES; do skip "$c" "pccvs only: IPVS cannot delete a connection entry (and would reset the stream)"; done
	exit 0
fi
fail_all() { for c in $CASES; do fail "$c" "$1"; done; exit 1; }

# Connections of the streams' clients now, one line each:
# "PROTO CADDR CPORT VADDR VPORT SERVER STATE RESTORED"
stream_conns() {
	adm -L -c -n -o json | /usr/bin/python3 -c '
import json, sys
srcs = set(sys.argv[1:])
for c in json.load(sys.stdin)["connections"]:
    if c["client_address"] in srcs:
        print(c["protocol"], c["client_address"], c["client_port"], c["virtual_address"],
              c["virtual_port"], c["server_address"], c["state"], str(c["restored"]).lower())' $srcs
}
info() { adm --info -o json | /usr/bin/python3 -c "import json, sys; print(json.load(sys.stdin)['$1'])"; }

# delete CASE HOW: deletes the streams' connections (HOW del or flush), then
# checks that each came back restored on its server while the stream goes on.
delete() {
	local c=$1 how=$2 before after r0 r1 out n back
	before=$(stream_conns)
	n=$(echo "$before" | grep -c " ESTABLISHED ")
	r0=$(info restored)
	if [ "$how" = del ]; then
		out=$(on_lb "$CONNDEL del <<'EOF'
$(echo "$before" | cut -d' ' -f1-5)
EOF" 2>&1)
	else
		out=$(on_lb "$CONNDEL flush" 2>&1)
	fi
	echo "$out" >"$SC_OUT/$c.out"
	# two pings (100 ms apart) bring each back
	sleep 1
	after=$(stream_conns)
	r1=$(info restored)
	back=$(echo "$before" | while read -r p ca cp va vp srv _; do
		echo "$after" | grep -qx "$p $ca $cp $va $vp $srv ESTABLISHED true" && echo "$ca"
	done | grep -c .)
	printf 'before:\n%s\nafter:\n%s\n' "$before" "$after" >>"$SC_OUT/$c.out"
	result "$c.deleted" "$n"
	result "$c.restored_same_server" "$back"
	result "$c.info_restored" "$((r1 - r0))"
	check "$c" "[ $n = $STREAMS ] && [ $back = $n ] && [ $((r1 - r0)) -ge $n ] &&
		! grep -q '^error' '$SC_OUT/$c.out'" \
		"$n stream connections, $back back restored on their server, info restored +$((r1 - r0)); $(head -n1 "$SC_OUT/$c.out")"
}

rs_mode_all dr
script="$ADM -A -t $VIP4:80 -s rr -p 300"
for r in "${RS4[@]}"; do script+=" && $ADM -a -t $VIP4:80 -r $r:80 -g"; done
adm_reset && on_lb "$script" || fail_all "cannot configure the service"

# streams from clients 101-110, short requests from 51-100
log=$SC_OUT/streams.log rlog=$SC_OUT/requests.log
pid=$(ns_spawn c "$SC_OUT/streams.out" "$PCCT" load --src "$(clients4 101 110)" --to "$VIP4:80" \
	--rate 0 --streams $STREAMS --interval 100ms --stall 400ms --timeout 2000 --duration 60s --log "$log")
rpid=$(ns_spawn c "$SC_OUT/requests.out" "$PCCT" load --src "$(clients4 51 100)" --to "$VIP4:80" \
	--rate 20 --timeout 2000 --duration 60s --log "$rlog")
vm_poll 20 "[ \$(cat '$log' 2>/dev/null | grep -c ' open ') -ge $STREAMS ] && [ \$(grep -c ' data ' '$log') -ge 60 ]" ||
	{ vm_kill_spawned "$pid"; vm_kill_spawned "$rpid"; fail_all "the streams did not get going (see $log)"; }
srcs=$(awk '$5 == "open" { print $4 }' "$log" | sort -u | tr '\n' ' ')
t_del=$(date +%s%3N)
delete conn_del del
sleep 1
t_flush=$(date +%s%3N)
delete conn_flush flush
# the loads run until stopped: each step takes a few seconds under TCG
sleep 1
vm_kill_spawned "$pid"
vm_kill_spawned "$rpid"
vm_poll 10 "[ ! -d /proc/$pid ] && [ ! -d /proc/$rpid ]" ||
	{ vm_kill_spawned "$pid" -KILL; vm_kill_spawned "$rpid" -KILL; fail streams "the load did not end"; exit 1; }

"$PCCT" analyse "$log" --crash-ms "$t_del" >"$SC_OUT/streams.res"
"$PCCT" analyse "$rlog" --crash-ms "$t_del" >"$SC_OUT/requests.res"
a=$SC_OUT/streams.res ra=$SC_OUT/requests.res
for k in streams_survived streams_rst stream_max_stall_ms; do result "$k" "$(rget "$a" "$k")"; done
for k in requests ok failed reset timeout affinity_kept_pct; do result "$k" "$(rget "$ra" "$k")"; done
# every stream answered after the flush, and every answer matched its ping
late=$(awk -v t="$((t_flush + 1000))" '$1 == "S" && $2 > t && $5 == "data" { print $3 }' "$log" | sort -u | wc -l)
odd=$(awk '$1 == "S" && $5 == "data" && $7 == -1' "$log" | wc -l)
result streams_flowing_after "$late"
result pongs_out_of_order "$odd"
survived=$(rget "$a" streams_survived) rst=$(rget "$a" streams_rst) stall=$(rget "$a" stream_max_stall_ms)
rok=$(rget "$ra" ok) rbad=$(rget "$ra" failed)/$(rget "$ra" reset)/$(rget "$ra" timeout)
kept=$(rget "$ra" affinity_kept_pct)
check streams "[ '$survived' = $STREAMS/$STREAMS ] && [ '$rst' = 0 ] && [ '${stall:-9999}' -lt 1000 ] &&
	[ $late = $STREAMS ] && [ $odd = 0 ] && [ '${rok:-0}' -gt 0 ] && [ '$rbad' = 0/0/0 ] && [ '$kept' = 100.0 ]" \
	"streams survived $survived, rst $rst, max stall $stall ms, $late flowing after the flush, \
$odd odd pongs; requests ok $rok, failed/reset/timeout $rbad, affinity kept $kept%"
adm_reset
