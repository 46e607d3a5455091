#!/bin/bash
# Template lifetime, watched through `pccvsadm -L --templates -n -o json`
# (polled in the director while one client works), with persistence 3 s and
# TCP timeouts 5/2 s: the template appears with the client's first
# connection (confirmed, pointing at its server), stays while that long-lived
# connection lives (6 s, twice the timeout), counts down once it ended, is
# refreshed by a new connection of the client (same server), and disappears
# about the timeout after the last connection ended. Tolerance: not earlier
# than the timeout less one 32 ms tick, not later than the timeout plus
# TPL_SLACK_MS (default 600: the tick and TCG scheduling), on top of the
# uncertainty of the polls (each poll is bounded by its start and end times;
# the bounds are printed). pccvs only (IPVS has no template listing).
# cases: appear stays refresh expiry
. "$(dirname "$0")/../lib/scenario.sh"
CASES="appear stays refresh expiry"
TMO=3
SLACK=${TPL_SLACK_MS:-600}
CLIENT=198.51.100.7
WATCH=/run/vm/out/tplexpiry.watch # in the guest; on the host:
HWATCH=$(vm_dir "$LB")/out/tplexpiry.watch

if [ "$BACKEND" != pccvs ]; then
	for c in $CASES; do skip "$c" "pccvs only: IPVS has no template listing (-L --templates)"; done
	exit 0
fi
fail_all() {
	on_lb "touch $WATCH.stop" >/dev/null 2>&1
	for c in $CASES; do fail "$c" "$1"; done
	exit 1
}

# The template of CLIENT in the last poll: "controlled_conns expires_ms", or
# nothing when it has none.
last_tpl() {
	tail -n1 "$HWATCH" 2>/dev/null | grep -o "\"client_address\":\"$CLIENT\"[^}]*" |
		sed 's/.*"expires_ms":\([0-9]*\).*"controlled_conns":\([0-9]*\).*/\2 \1/'
}

rs_mode_all dr
script="$ADM --set 5 2 5 && $ADM -A -t $VIP4:80 -s rr -p $TMO"
for r in "${RS4[@]}"; do script+=" && $ADM -a -t $VIP4:80 -r $r:80 -g"; done
adm_reset && on_lb "$script" || fail_all "cannot configure the service"

# The watch: polls back to back until told to stop (or 60 s).
on_lb "rm -f $WATCH $WATCH.stop
	setsid bash -c 'end=\$((\${EPOCHSECONDS} + 60))
		while [ ! -e $WATCH.stop ] && [ \$EPOCHSECONDS -lt \$end ]; do
			t0=\$EPOCHREALTIME
			j=\$($ADM -L --templates -n -o json | tr -d \" \\n\")
			echo \"\$t0 \$EPOCHREALTIME \$j\"
		done >$WATCH' </dev/null >/dev/null 2>&1 &"
vm_poll 10 "[ -s '$HWATCH' ]" || fail_all "the watch did not start"

# One long-lived connection (6 s) of the client.
load=$SC_OUT/stream.log
pid=$(ns_spawn c "$SC_OUT/stream.out" "$PCCT" load --src "$CLIENT" --to "$VIP4:80" --rate 0 --streams 1 \
	--interval 200ms --stall 1000ms --duration 6s --log "$load")
vm_poll 15 "[ ! -d /proc/$pid ]" || { vm_kill_spawned "$pid"; fail_all "the stream did not end"; }
server=$(awk '$5 == "open" { print $6; exit }' "$load")
result stream_server "$server"
result stream_data "$(grep -c ' data ' "$load")"
# Its connection ended (FIN seen, then tcpfin 2 s): refresh when the template
# has counted down to 1.5 s, with one new connection of the client.
vm_poll 15 "[ \"\$(last_tpl | cut -d' ' -f1)\" = 0 ] && [ \"\$(last_tpl | cut -d' ' -f2)\" -le 1500 ]" ||
	fail_all "the template did not count down after the connection ended (last: $(last_tpl))"
probe refresh --src "$CLIENT" --to "$VIP4:80" --conns 1 --timeout 3000
refresh_server=$(servers_seen "$SC_OUT/refresh.conns" | cut -d' ' -f1)
result refresh_server "$refresh_server"
# then it must go, about TMO after that connection ended (tcpfin 2 s)
vm_poll 20 "[ -z \"\$(last_tpl)\" ]"
on_lb "touch $WATCH.stop; sleep 0.5; rm -f $WATCH.stop"
cp "$HWATCH" "$SC_OUT/watch.log"

addr=${server#r}
addr=${RS4[${addr:-9} - 1]:-none}
/usr/bin/python3 "$(dirname "$0")/data/tplwatch.py" "$SC_OUT/watch.log" "$CLIENT" "$addr" "$TMO" "$SLACK" >"$SC_OUT/analysis.txt"
grep -v '^CASE ' "$SC_OUT/analysis.txt" | while IFS='=' read -r k v; do result "$k" "$v"; done
verdict() { sed -n "s/^CASE $1 //p" "$SC_OUT/analysis.txt"; }
check appear "[ '$(verdict appear)' = ok ]" "$(verdict appear)"
check stays "[ '$(verdict stays)' = ok ] && [ '$(rget "$SC_OUT/stream.out" streams_rst)' = 0 ]" \
	"$(verdict stays); stream resets $(rget "$SC_OUT/stream.out" streams_rst)"
check refresh "[ '$(verdict refresh)' = ok ] && [ '$refresh_server' = '$server' ]" \
	"$(verdict refresh); the new connection went to '$refresh_server', the first to '$server'"
check expiry "[ '$(verdict expiry)' = ok ]" "$(verdict expiry)"
adm_reset
