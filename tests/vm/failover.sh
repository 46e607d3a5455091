#!/bin/bash
# tests/vm/failover.sh: the failover proof. Sourced by
# scenarios/95-failover.sh (inside the VM runner: lb1 is up with BACKEND
# loaded) it defines fo_flow; run as `failover.sh --demo` (make demo) it
# sets up its own test bed, runs the flow for pccvs and for keepalived +
# IPVS, prints both result sets side by side and writes a timeline plot.
#
# The flow, on one boot of each director (lb2 boots here; lb1 boots again
# once, after its crash):
#   setup       lb1 active, lb2 standby (and synced, for pccvs)
#   sync        templates made by real traffic through lb1 appear on lb2,
#               same server, lifetime within 1 s (pccvs)
#   switchover  planned, under load: lb1 -> lb2 (pccvsadm cluster
#               switchover; keepalived: stop it on the master)
#   edit        (pccvs) pccvsadm on the standby (lb1) quiesces a real
#               server under load: the active applies it, nothing fails,
#               new clients avoid it; then it is undone on the active
#   split       the active (lb2) is cut off: lb1 takes over, the isolated
#               side (no quorum) drops the VIP; after healing one active and
#               identical template tables
#   kill1       kill -9 of the active's qemu (lb1) at a random moment under
#               load: failover_ms, affinity_kept_pct, streams_survived,
#               requests_failed
#   restart     lb1 boots again, rejoins, receives the snapshot, reports
#               synced, stays standby
#   kill2       kill -9 of lb2: lb1 serves with what it received as a
#               snapshot: affinity again 100 %
# Load: $FO_CLIENTS (200) client addresses, $FO_RATE new connections per
# second, $FO_STREAMS (20) long-lived TCP streams (pcctraffic load).
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# ---- reporting: scenario.sh's result/check, and a file per backend ----

fo_res() {	# STEP KEY VALUE
	result "$1.$2" "$3"
	echo "$1.$2=$3" >>"$VM_RUNLOG/failover-$BACKEND.res"
}

# A property: required from pccvs; for the keepalived baseline it is
# measured and reported, not required.
fo_expect() {	# CASE 'test' WHY
	if [ "$BACKEND" = pccvs ]; then
		check "$1" "$2" "$3"
	elif eval "$2"; then
		pass "$1"
	else
		echo "NOTE $BACKEND/$SCENARIO/$1: baseline: $3"
		pass "$1"
	fi
}

fo_get() { sed -n "s/^RESULT $2=//p" "$1" | tail -n1; }

# Runs the load around ACTION (shell text run at a random moment; it sets
# t, the event time in ms), then analyses: results under STEP.
fo_measured() {	# STEP SECONDS ACTION
	local step=$1 dur=$2 action=$3 log=$FO_OUT/$1.log pid t=
	pid=$(fo_load "$log" "$dur")
	fo_load_going "$log" || { fail "$step" "the load did not get going (see $log)"; return 1; }
	fo_sleep_random 1 3
	eval "$action"
	[ -n "$t" ] || { vm_kill_spawned "$pid"; fail "$step" "the event did not happen"; return 1; }
	fo_load_wait "$pid" $((dur + 30)) || { fail "$step" "the load did not end"; return 1; }
	fo_analyse "$log" "$t" "$FO_OUT/$step.res"
	echo "$t" >"$FO_OUT/$step.event_ms"
	for k in failover_ms affinity_kept_pct affinity_clients streams_survived streams_rst \
		requests requests_failed failed_in_outage stream_max_stall_ms; do
		fo_res "$step" "$k" "$(fo_get "$FO_OUT/$step.res" "$k")"
	done
}

fo_core_ok() {	# STEP: affinity 100 %, every stream survived without RST
	local r=$FO_OUT/$1.res
	[ "$(fo_get "$r" affinity_kept_pct)" = 100.0 ] && [ "$(fo_get "$r" affinity_clients)" -gt 0 ] &&
		[ "$(fo_get "$r" streams_survived)" = "$FO_STREAMS/$FO_STREAMS" ] &&
		[ "$(fo_get "$r" streams_rst)" = 0 ]
}

fo_core_why() {
	local r=$FO_OUT/$1.res
	echo "affinity $(fo_get "$r" affinity_kept_pct)% of $(fo_get "$r" affinity_clients)," \
		"streams $(fo_get "$r" streams_survived) (rst $(fo_get "$r" streams_rst))," \
		"failover $(fo_get "$r" failover_ms) ms, failed $(fo_get "$r" requests_failed)"
}

fo_wait_steady() { fo_poll "${2:-60}" "fo_steady $BACKEND"; }

# ---- steps ----

fo_step_setup() {
	local b=$BACKEND
	fo_client_onlink || { fail setup "client route"; return 1; }
	vm_start lb2 --nics 1 --mem 1024 --id "${FO_GUEST_ID[1]}" || { fail setup "lb2 did not start"; return 1; }
	fo_director_setup lb1 "$b" || { fail setup "lb1 setup"; return 1; }
	if [ "$b" = pccvs ]; then
		fo_witness_start || { fail setup "witness"; return 1; }
		fo_corosync_start lb1 >/dev/null
	fi
	fo_director_setup lb2 "$b" || { fail setup "lb2 setup"; return 1; }
	if [ "$b" = pccvs ]; then
		fo_corosync_start lb2 >/dev/null
		fo_poll 90 '[ "$(fo_votes lb1)" = 3 ] && [ "$(fo_votes lb2)" = 3 ]' ||
			{ fail setup "corosync: not 3 votes (lb1: $(fo_votes lb1), lb2: $(fo_votes lb2))"; return 1; }
		fo_log "corosync: 3 votes on both directors"
	fi
	fo_director_start lb1 "$b" || { fail setup "lb1 start"; return 1; }
	fo_poll 30 "fo_holds lb1" || { fail setup "lb1 did not take the VIP"; return 1; }
	fo_director_start lb2 "$b" || { fail setup "lb2 start"; return 1; }
	fo_wait_steady 60 || { fail setup "not steady: holders '$(fo_holders)'"; return 1; }
	[ "$b" = pccvs ] && fo_status lb1 | sed 's/^/# /'
	check setup "[ '$(fo_holders)' = lb1 ]" "the VIP is on '$(fo_holders)', not lb1"
}

fo_probe() {	# NAME: one connection from every client
	ns_exec c timeout 120 "$PCCT" probe --src "$(clients4 1 "$FO_CLIENTS")" --to "$VIP4:80" \
		--conns 1 --out "$FO_OUT/$1.conns" >"$FO_OUT/$1.probe" 2>&1
}

fo_step_sync() {
	local a=$FO_OUT/sync.lb1 bb=$FO_OUT/sync.lb2 n m diff same bad p1 ts te td td1 res
	ts=$(date +%s%3N)
	fo_probe sync || { fail sync "the probe failed"; return 1; }
	te=$(date +%s%3N)
	if [ "$BACKEND" != pccvs ]; then
		sleep 1
		vm_exec lb1 'ipvsadm -Lnc' >"$a" 2>&1
		vm_exec lb2 'ipvsadm -Lnc' >"$bb" 2>&1
		# templates: the entries with client port 0
		fo_res sync templates_active "$(awk '$4 ~ /:0$/' "$a" | wc -l)"
		fo_res sync templates_standby "$(awk '$4 ~ /:0$/' "$bb" | wc -l)"
		pass sync
		return 0
	fi
	sleep 0.5
	td=$(date +%s%3N)
	fo_tpl_pairs lb1 >"$a" &
	p1=$!
	fo_tpl_pairs lb2 >"$bb" &
	wait $p1 $!
	td1=$(date +%s%3N)
	n=$(wc -l <"$a") m=$(wc -l <"$bb")
	# Lifetimes travel as remaining time: a template made and replicated
	# between ts and te has, on the standby when dumped (between td and
	# td1), the lifetime it had on the active when sent (the full 300 s: its
	# connection was open) minus the time since, within 1 s. (The active
	# holds the full lifetime while the template controls connections, so
	# its own figure only starts to fall later.)
	fo_res sync probe_ms $((te - ts))
	fo_res sync dump_ms $((td1 - td))
	res=$(join "$a" "$bb" | awk -v lo=$((300000 - (td1 - ts) - 1000)) -v hi=$((300000 - (td - te) + 1000)) '
		{ if ($2 == $4) s++; if ($5 < lo || $5 > hi) bad++
		  d = $3 - $5; if (d < 0) d = -d; if (d > m) m = d }
		END { print s + 0, bad + 0, m + 0 }')
	read -r same bad diff <<<"$res"
	fo_res sync templates_active "$n"
	fo_res sync templates_standby "$m"
	fo_res sync same_server "$same"
	fo_res sync lifetime_off_by_more_than_1s "$bad"
	fo_res sync max_lifetime_diff_ms "$diff"
	check sync "[ $n -ge $FO_CLIENTS ] && [ $m = $n ] && [ $same = $n ] && [ $bad = 0 ]" \
		"active $n templates, standby $m, same server $same, lifetime off by more than 1 s: $bad"
}

fo_step_switchover() {
	local action h
	if [ "$BACKEND" = pccvs ]; then
		action='t=$(date +%s%3N); vm_exec lb1 "$FO_PADM cluster switchover 2" | sed "s/^/# /"'
	else
		action='t=$(date +%s%3N); fo_keepalived_stop lb1'
	fi
	fo_measured switchover 9 "$action" || return 1
	fo_wait_steady 60 || fo_log "switchover: not steady: holders '$(fo_holders)'"
	h=$(fo_holders)
	fo_res switchover active_after "$h"
	[ "$BACKEND" = pccvs ] || { fo_keepalived_start lb1 >/dev/null; sleep 2; }
	fo_expect switchover "[ '$(fo_get "$FO_OUT/switchover.res" requests_failed)' = 0 ] && fo_core_ok switchover &&
		[ '$h' = lb2 ]" "$(fo_core_why switchover), active now '$h'"
}

# The weight of real server ADDR on director NAME's table ("" if absent).
fo_weight() {	# NAME ADDR
	vm_exec "$1" "$FO_PADM -L -n -o json 2>/dev/null" 2>/dev/null |
		jq -r --arg a "$2" '.services[].dests[] | select(.address == $a) | .weight' | head -n1
}

# A cluster-wide edit on the standby under load (pccvs): lb1, the standby
# after the switchover, makes r3 quiescent with pccvsadm; the active (lb2)
# applies it at its delivery. Under the load: nothing fails, every client
# keeps its server (quiescent keeps templates), every stream survives; new
# clients (addresses the load does not use) avoid r3. pccvsadm_ms: the
# edit as its caller waits for it (checked, multicast, applied here at its
# delivery); on_active_within_ms: seen on the active's table, polled through
# the guest agent (an upper bound: each look costs hundreds of ms under TCG). Then r3 gets its
# weight back by an edit on the active, and cluster status shows one
# configuration version with every table in sync.
fo_step_edit() {
	local out=$FO_OUT/edit.out rs=${RS4[2]} v w1 w2 r3 n st t_seen insync=0
	[ "$BACKEND" = pccvs ] || return 0
	ns_addr_range c 198.51.100. 201 225 24 2>/dev/null
	# shellcheck disable=SC2016
	fo_measured edit 8 't=$(date +%s%3N)
		vm_exec lb1 "t0=\$(date +%s%3N); $FO_PADM -e -t $VIP4:80 -r $rs:80 -g -w 0 &&
			echo pccvsadm_ms=\$((\$(date +%s%3N) - t0))" >"$out" 2>&1
		fo_poll 10 "[ \"\$(fo_weight lb2 $rs)\" = 0 ]" && t_seen=$(date +%s%3N)
		ns_exec c timeout 60 "$PCCT" probe --src 198.51.100.201-225 --to "$VIP4:80" \
			--conns 1 --parallel 8 --timeout 10000 --out "$FO_OUT/edit.conns" >"$FO_OUT/edit.probe" 2>&1' || return 1
	v=$(sed -n 's/^cluster configuration version \([0-9]*\)$/\1/p' "$out")
	fo_res edit version "${v:--}"
	fo_res edit pccvsadm_ms "$(sed -n 's/^pccvsadm_ms=//p' "$out")"
	fo_res edit on_active_within_ms "$([ -n "$t_seen" ] && echo $((t_seen - $(cat "$FO_OUT/edit.event_ms"))) || echo -)"
	n=$(grep -c '^C .* ok ' "$FO_OUT/edit.conns" 2>/dev/null)
	r3=$(awk '$1 == "C" && $4 == "ok" && $5 == "r3"' "$FO_OUT/edit.conns" 2>/dev/null | wc -l)
	fo_res edit new_clients_served "${n:-0}/25"
	fo_res edit new_clients_on_quiescent "$r3"
	vm_exec lb2 "$FO_PADM -e -t $VIP4:80 -r $rs:80 -g -w 1" >>"$out" 2>&1
	fo_poll 10 "[ \"\$(fo_weight lb1 $rs)\" = 1 ]"
	w1=$(fo_weight lb1 "$rs") w2=$(fo_weight lb2 "$rs")
	st=$(fo_status lb1)
	echo "$st" >"$FO_OUT/cluster-status.txt"
	echo "$st" | sed 's/^/# /'
	[[ $st == *"tables in sync on 2"* ]] && insync=1
	check edit "[ -n '$v' ] && [ -n '$t_seen' ] && [ '${n:-0}' = 25 ] && [ '$r3' = 0 ] &&
		[ '$(fo_get "$FO_OUT/edit.res" requests_failed)' = 0 ] && fo_core_ok edit &&
		[ '$w1' = 1 ] && [ '$w2' = 1 ] && [ $insync = 1 ]" \
		"version '$v', seen on the active: '${t_seen:+yes}', new clients $n/25, on r3 $r3, $(fo_core_why edit), weights back $w1/$w2, tables in sync: $insync"
}

# The active (lb2) is cut off the network: its side has no quorum.
fo_step_split() {
	local watch=$FO_OUT/split.watch held=0 t0 i dropped=
	# During the cut the isolated side is watched from inside (the agent
	# works without the network): the guest polls its own addresses every
	# 50 ms for 6 s and reports when the VIP went and whether it came back;
	# its times count from the loop start, which the host places after the
	# cut (h0), so the figure is the cut-to-drop time within the agent's
	# start latency.
	fo_measured split 16 '
		t=$(date +%s%3N); vm_cut lb2
		h0=$(date +%s%3N)
		vm_exec lb2 "ms() { local e=\${EPOCHREALTIME/./}; echo \${e:0:-3}; }
			t0=\$(ms) d= back=0
			while n=\$(( \$(ms) - t0 )); [ \$n -lt 6000 ]; do
				if [[ \$(ip -o -4 addr show dev eth0) == *\" $VIP4/\"* ]]; then
					[ -n \"\$d\" ] && back=\$((back + 1))
				else
					[ -n \"\$d\" ] || d=\$n
				fi
				sleep 0.05
			done
			echo \"\${d:--1} \$back\"" >"$FO_OUT/split.watch"
		echo "$((h0 - t))" >>"$FO_OUT/split.watch"
		vm_restore lb2' || return 1
	# the isolated side: when it let go of the VIP, and whether it held it
	# again later during the cut
	read -r dropped held <"$watch"
	if [ "${dropped:--1}" -ge 0 ]; then
		dropped=$((dropped + $(sed -n 2p "$watch")))
	else
		dropped=
	fi
	held=${held:-0}
	fo_res split isolated_dropped_vip_ms "${dropped:--1}"
	fo_res split isolated_held_vip_later "$held"
	fo_wait_steady 90 || fo_log "split: not steady after healing: holders '$(fo_holders)'"
	fo_res split active_after_heal "$(fo_holders)"
	if [ "$BACKEND" = pccvs ]; then
		local a=$FO_OUT/split.lb1 bb=$FO_OUT/split.lb2
		fo_poll 30 '[ "$(vm_exec lb1 "$FO_SYNCCTL digest confirmed")" = "$(vm_exec lb2 "$FO_SYNCCTL digest confirmed")" ]'
		vm_exec lb1 "$FO_SYNCCTL digest confirmed" >"$a.digest"
		vm_exec lb2 "$FO_SYNCCTL digest confirmed" >"$bb.digest"
		fo_tpl_pairs lb1 | cut -d' ' -f1,2 >"$a"
		fo_tpl_pairs lb2 | cut -d' ' -f1,2 >"$bb"
		fo_res split templates "$(wc -l <"$a")"
		fo_res split tables_identical "$(cmp -s "$a" "$bb" && cmp -s "$a.digest" "$bb.digest" && echo yes || echo no)"
	fi
	local ident=n/a h
	[ "$BACKEND" = pccvs ] && ident=$(fo_get_res split.tables_identical)
	h=$(fo_holders)
	fo_expect split "[ -n '$dropped' ] && [ '${dropped:-0}' -le 2000 ] && [ $held = 0 ] &&
		[ '$h' = lb1 ] && fo_core_ok split && [ '$ident' != no ]" \
		"isolated side let go of the VIP: ${dropped:-never}${dropped:+ ms after the cut}, took it back $held times; active after healing '$h'; tables identical: $ident; $(fo_core_why split)"
}

fo_get_res() { sed -n "s/^$1=//p" "$VM_RUNLOG/failover-$BACKEND.res" | tail -n1; }

# kill -9 of the active director's qemu (FO_VICTIM: who it was).
fo_step_kill() {	# STEP
	local step=$1 v h
	v=$(fo_holders)
	case $v in
	lb1 | lb2) ;;
	*) fail "$step" "not one active director before the crash: '$v'"; return 1 ;;
	esac
	FO_VICTIM=$v
	fo_res "$step" victim "$v"
	fo_measured "$step" 10 "t=\$(vm_kill $v)" || return 1
	h=$(fo_holders)
	fo_res "$step" active_after "$h"
	fo_expect "$step" "[ '$h' = $(fo_other "$v") ] && fo_core_ok $step &&
		[ '$(fo_get "$FO_OUT/$step.res" failover_ms)' -ge 0 ] &&
		[ '$(fo_get "$FO_OUT/$step.res" failover_ms)' -le ${FO_FAILOVER_MAX_MS:-1500} ]" \
		"$(fo_core_why "$step"); active after: '$h'"
}

# The crashed director boots again and rejoins as a standby.
fo_step_restart() {	# VICTIM
	local v=$1 s t0 h
	s=$(fo_other "$v")
	t0=$(date +%s)
	vm_retire "$v" "$BACKEND-crashed" >/dev/null 2>&1
	vm_start "$v" --nics 1 --mem 1024 --id "${FO_GUEST_ID[$(fo_idx "$v")]}" &&
		fo_director_setup "$v" "$BACKEND" || { fail restart "$v did not boot"; return 1; }
	[ "$BACKEND" = pccvs ] && fo_corosync_start "$v" >/dev/null
	fo_director_start "$v" "$BACKEND" || { fail restart "$v start"; return 1; }
	if [ "$BACKEND" = pccvs ]; then
		fo_poll 90 "fo_synced $v" || { fail restart "$v did not report synced"; return 1; }
		fo_res restart synced_after_s "$(($(date +%s) - t0))"
		fo_res restart snapshot_templates "$(vm_exec "$v" "$FO_SYNCCTL status" | sed -n 's/^last_snap_count=//p')"
		fo_res restart snapshot_ms "$(vm_exec "$v" "$FO_SYNCCTL status" | sed -n 's/^last_snap_ms=//p')"
		fo_wait_steady 30
		h=$(fo_holders)
		check restart "[ '$h' = $s ] && fo_status $v | grep -q '^This director: standby'" \
			"the VIP is on '$h'; $v: $(fo_status "$v" | grep '^This director')"
	else
		sleep 5
		fo_res restart templates_restarted "$(vm_exec "$v" 'ipvsadm -Lnc' | awk '$4 ~ /:0$/' | wc -l)"
		fo_res restart templates_active "$(vm_exec "$s" 'ipvsadm -Lnc' | awk '$4 ~ /:0$/' | wc -l)"
		h=$(fo_holders)
		check restart "[ '$h' = $s ]" "the VIP is on '$h'"
	fi
}

# The whole flow for $BACKEND (lb1 up, namespaces up); results in FO_OUT.
fo_flow() {
	FO_OUT=${FO_OUT:-$VM_RUNLOG/failover-$BACKEND}
	mkdir -p "$FO_OUT"
	: >"$VM_RUNLOG/failover-$BACKEND.res"
	fo_log "failover flow, backend $BACKEND, corosync token $FO_TOKEN ms"
	if fo_step_setup; then
		fo_step_sync
		fo_step_switchover
		fo_step_edit
		fo_step_split
		FO_VICTIM=
		fo_step_kill kill1 && fo_step_restart "$FO_VICTIM" && fo_step_kill kill2
	fi
	fo_res corosync token_ms "$([ "$BACKEND" = pccvs ] && echo "$FO_TOKEN" || echo -)"
	fo_res corosync membership_changes "$([ "$BACKEND" = pccvs ] &&
		fo_count 'A new membership' "$VM_RUNLOG/witness/corosync.log" || echo -)"
	fo_cleanup
}

fo_cleanup() {
	local n
	fo_client_restore
	# lb2 is ours; lb1 stays for the runner (booted again if it crashed)
	vm_retire lb2 "$BACKEND" >/dev/null 2>&1
	for n in "$VM_RUNLOG"/lb[12]*/out; do
		for f in "$n"/*.log; do
			[ -e "$f" ] && cp "$f" "$FO_OUT/$(basename "$(dirname "$n")")-${f##*/}"
		done
	done
	true
}

# ---- side by side ----

FO_KEYS="kill1.failover_ms kill1.affinity_kept_pct kill1.streams_survived kill1.requests_failed
kill2.failover_ms kill2.affinity_kept_pct kill2.streams_survived kill2.requests_failed
switchover.failover_ms switchover.affinity_kept_pct switchover.streams_survived switchover.requests_failed
split.failover_ms split.affinity_kept_pct split.streams_survived split.isolated_dropped_vip_ms
split.isolated_held_vip_later split.active_after_heal split.tables_identical
sync.templates_active sync.templates_standby restart.synced_after_s restart.snapshot_templates
corosync.token_ms corosync.membership_changes"

fo_cell() {	# FILE KEY: the value, -1 of isolated_dropped_vip_ms as "never"
	local v
	v=$(sed -n "s/^$2=//p" "$1" | tail -n1)
	case $2 in *isolated_dropped_vip_ms) [ "$v" = -1 ] && v=never ;; esac
	echo "${v:--}"
}

fo_side_by_side() {
	local a=$VM_RUNLOG/failover-pccvs.res b=$VM_RUNLOG/failover-ipvs.res k
	[ -s "$a" ] && [ -s "$b" ] || return 0
	echo
	printf '%-34s %14s %18s\n' "failover (client's view)" pccvs "keepalived+IPVS"
	printf '%-34s %14s %18s\n' "----------------------------------" "--------------" "------------------"
	for k in $FO_KEYS; do
		printf '%-34s %14s %18s\n' "$k" "$(fo_cell "$a" "$k")" "$(fo_cell "$b" "$k")"
	done
	echo
}

# ---- the plot (make demo) ----

fo_color() {
	case $1 in
	r1) echo '#1f77b4' ;; r2) echo '#2ca02c' ;; r3) echo '#9467bd' ;;
	fail) echo '#d62728' ;; *) echo '#7f7f7f' ;;
	esac
}

# fo_plot PNG: requests per second per real server around kill1, one panel
# per backend, the crash marked.
fo_plot() {
	local png=$1 b csv ev start x gp=$VM_RUNLOG/failover-plot.gp n=0
	{
		echo "set terminal pngcairo size 1200,800 font 'Sans,10'"
		echo "set output '$png'"
		echo "set datafile separator ','"
		echo "set multiplot layout 2,1 title 'Director crash (kill -9 of the active director) under load: requests/s per real server'"
		echo "set xlabel 'seconds since the load started'"
		echo "set ylabel 'requests per second'"
		echo "set key outside right"
		echo "set grid"
	} >"$gp"
	for b in pccvs ipvs; do
		csv=$VM_RUNLOG/failover-$b/kill1.res.csv
		[ -s "$csv" ] || continue
		ev=$(cat "$VM_RUNLOG/failover-$b/kill1.event_ms")
		start=$(sed -n 's/.*start_ms=\([0-9]*\).*/\1/p' "$VM_RUNLOG/failover-$b/kill1.log" | head -n1)
		x=$(awk -v e="$ev" -v s="$start" 'BEGIN { printf "%.2f", (e - s) / 1000 }')
		n=$((n + 1))
		local title fo
		fo=$(sed -n 's/^kill1.failover_ms=//p' "$VM_RUNLOG/failover-$b.res" | tail -n1)
		title=$([ $b = pccvs ] && echo "pccvs (CPG + HA)" || echo "keepalived + IPVS + sync daemon")
		local cols name
		cols=$(head -n1 "$csv" | tr ',' '\n' | wc -l)
		{
			echo "set title '$title: crash at ${x} s, failover ${fo} ms (client side)'"
			echo "unset arrow"
			echo "set arrow from $x, graph 0 to $x, graph 1 nohead lw 2 lc rgb 'red' dt 2"
			echo "set label 1 'crash' at $x, graph 0.95 offset 0.5,0 tc rgb 'red'"
			printf "plot "
			for ((i = 2; i <= cols; i++)); do
				name=$(head -n1 "$csv" | cut -d, -f"$i")
				# 250 ms buckets, drawn as steps, x4 = per second
				printf "'%s' using 1:(column(%d)*4) with steps lw 2 lc rgb '%s' title '%s'%s" \
					"$csv" "$i" "$(fo_color "$name")" \
					"$([ "$name" = fail ] && echo failed || echo "server $name")" \
					"$([ $i -lt "$cols" ] && echo ', ')"
			done
			echo
		} >>"$gp"
	done
	echo "unset multiplot" >>"$gp"
	[ $n -gt 0 ] && gnuplot "$gp" 2>"$gp.err" && [ -s "$png" ]
}

# ---- make demo ----

fo_demo() {
	. "$here/lib/vm.sh"
	. "$here/lib/lb.sh"
	. "$here/failover-lib.sh"
	local png b t0
	result() { echo "RESULT $BACKEND.failover.$1=$2"; }
	pass() { echo "PASS $BACKEND/failover/$1"; }
	fail() { echo "FAIL $BACKEND/failover/$1: ${2:-}"; }
	check() { if eval "$2"; then pass "$1"; else fail "$1" "${3:-$2}"; fi; }
	SCENARIO=failover
	t0=$(date +%s)
	[ -x "$PCCT" ] && [ -x "$FO_SYNCD" ] && [ -e "$VM_TOP/kmod/pccvs.ko" ] ||
		{ echo "demo: build first (make all)"; return 1; }
	vm_init || { echo "demo: cannot set up the switch namespace"; return 1; }
	echo "demo: kernel $VM_KVER, $(vm_accel), logs in ${VM_RUNLOG#"$VM_TOP"/}"
	lb_hosts_up || { echo "demo: namespace hosts failed"; return 1; }
	for b in pccvs ipvs; do
		BACKEND=$b
		echo "=== demo: $b"
		if ! { lb_director_start && lb_director_setup "$b"; }; then
			echo "demo: $b: director did not boot"
			continue
		fi
		fo_flow 2>&1 | tee "$VM_RUNLOG/demo-$b.log" | grep -E '^(RESULT|PASS|FAIL|NOTE|# .*(corosync|failover flow))'
		vm_retire lb1 "$b" >/dev/null 2>&1
	done
	echo
	echo "=== pccvs (CPG membership + HA election) vs keepalived + IPVS (VRRP, default timing, IPVS sync daemon)"
	fo_side_by_side
	png=$VM_LOGS/failover-demo.png
	if fo_plot "$png"; then
		echo "demo: timeline plot: ${png#"$VM_TOP"/}"
	else
		echo "demo: no plot (see $VM_RUNLOG/failover-plot.gp.err)"
	fi
	echo "demo: logs in ${VM_RUNLOG#"$VM_TOP"/}; took $(($(date +%s) - t0)) s"
	! grep -h '^FAIL ' "$VM_RUNLOG"/demo-*.log
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	case ${1:-} in
	--demo) fo_demo ;;
	*) echo "usage: $0 --demo   (the scenario runs in make check-vm: tests/vm/run-vm.sh failover)" >&2; exit 2 ;;
	esac
fi
