#!/bin/bash
# sync-cluster.sh: pccvs-syncd in a 3-node corosync cluster of network
# namespaces (lib.sh), simulation backend. Each scenario prints a RESULT
# line; the suite ends with "N passed, N failed".
#
#   formation     three daemons start, one declares itself synced, the
#                 others take a snapshot from it
#   replication   templates made on node 1 reach 2 and 3 with the same
#                 server and lifetimes within tolerance; deletes follow;
#                 delete-then-recreate keeps its order
#   joiner        a daemon that comes back finds 200k templates, receives
#                 them as a snapshot and reports synced
#   kill_syncd    kill -9 of a daemon, restart, resync
#   kill_corosync kill -9 of a node's corosync: its daemon reconnects,
#                 resyncs, and sweeps what was deleted meanwhile
#   flood         creation at full speed plus a re-announce of the whole
#                 table: TRY_AGAIN seen, nothing lost
#   wire          malformed messages counted and dropped; a version-2
#                 message with unknown fields applied; nobody crashes
#   ipc           malformed IPC requests get errors
set -u
. "$(dirname "$0")/lib.sh"

load_done() { [ "$(cl_get "$1" running sim-stats)" = 0 ]; }

# load I COUNT RATE START: create templates on node I and wait for it.
load() {
	cl_ctl "$1" sim-load "$2" "$3" "$4" >/dev/null || return 1
	cl_wait 120 "load on node $1" load_done "$1"
}

converged() {	# COUNT nodes...: same digest and COUNT templates everywhere
	local n=$1
	shift
	cl_count_is "$1" "$n" && cl_same_digest "$@"
}

now_s() { date +%s.%N; }
since() { echo "$(now_s) - $1" | bc | sed 's/^\./0./'; }

scenario_formation() {
	local t0 ok=1 i
	t0=$(now_s)
	for i in 1 2 3; do cl_syncd_start "$i" || ok=0; done
	cl_wait 30 "all synced" cl_all_synced 1 2 3 || ok=0
	for i in 1 2 3; do
		[ "$(cl_get "$i" members)" = 3 ] || ok=0
		[ "$(cl_get "$i" quorate)" = 1 ] || ok=0
	done
	result formation $ok secs="$(since "$t0")" \
		snapshots_received="$(( $(cl_get 2 snapshots_received) + $(cl_get 3 snapshots_received) ))"
}

# Compare server and lifetime of node 1's templates (first page) with
# node 2's copies: same server, |remaining difference| <= 1500 ms.
check_lifetimes() {
	local a b
	a=$(cl_ctl 1 dump confirmed 0 4096)
	b=$( { cl_ctl 2 dump confirmed 0 4096; cl_ctl 2 dump confirmed 4096 4096;
	       cl_ctl 2 dump confirmed 8192 4096; cl_ctl 2 dump confirmed 12288 4096;
	       cl_ctl 2 dump confirmed 16384 4096; } )
	awk -v tol=1500 '
		function kv(s,   n, i, f, out) {
			n = split(s, f, " ")
			for (i = 2; i <= n; i++) { split(f[i], p, "="); out[p[1]] = p[2] }
		}
		FNR == NR && /^tpl / { n = split($0, f, " "); delete v
			for (i = 2; i <= n; i++) { split(f[i], p, "="); v[p[1]] = p[2] }
			k = v["vip"] "|" v["vport"] "|" v["client"]
			srv[k] = v["server"] ":" v["dport"]; rem[k] = v["remaining_ms"]; next }
		/^tpl / { n = split($0, f, " "); delete v
			for (i = 2; i <= n; i++) { split(f[i], p, "="); v[p[1]] = p[2] }
			k = v["vip"] "|" v["vport"] "|" v["client"]
			if (!(k in srv)) next
			seen++
			if (srv[k] != v["server"] ":" v["dport"]) bad_srv++
			d = rem[k] - v["remaining_ms"]; if (d < 0) d = -d
			if (d > max) max = d
			if (d > tol) bad_life++ }
		END { printf "compared=%d bad_server=%d bad_lifetime=%d max_diff_ms=%d\n",
			seen, bad_srv, bad_life, max
			exit !(seen >= 4000 && bad_srv == 0 && bad_life == 0) }
	' <(echo "$a") <(echo "$b")
}

scenario_replication() {
	local ok=1 t0 lt
	t0=$(now_s)
	load 1 20000 50000 0 || ok=0
	cl_wait 30 "20000 everywhere" converged 20000 1 2 3 || ok=0
	local secs
	secs=$(since "$t0")
	lt=$(check_lifetimes) || ok=0
	cl_ctl 1 sim-delete 5000 0 >/dev/null || ok=0
	cl_wait 30 "deletes replicated" converged 15000 1 2 3 || ok=0
	local del_ok=$ok
	# delete then re-create the same clients at once: order must hold
	cl_ctl 1 sim-delete 2000 5000 >/dev/null || ok=0
	load 1 7000 0 0 || ok=0
	cl_wait 30 "delete+recreate replicated" converged 20000 1 2 3 || ok=0
	result replication $ok secs="$secs" deletes_ok="$del_ok" $lt \
		applied_n3="$(cl_get 3 tpl_applied)" deleted_n3="$(cl_get 3 tpl_deleted)"
}

scenario_joiner() {
	local ok=1 t0
	cl_syncd_kill 3 TERM
	load 1 200000 0 100000 || ok=0
	cl_wait 60 "node 2 has 220000" converged 220000 1 2 || ok=0
	t0=$(now_s)
	cl_syncd_start 3 || ok=0
	cl_wait 60 "joiner synced" cl_synced 3 || ok=0
	local secs
	secs=$(since "$t0")
	cl_wait 30 "joiner converged" converged 220000 1 2 3 || ok=0
	[ "$(cl_get 3 last_snap_count)" -ge 200000 ] || ok=0
	result joiner $ok templates=220000 synced_after_s="$secs" \
		snap_count="$(cl_get 3 last_snap_count)" snap_ms="$(cl_get 3 last_snap_ms)"
}

scenario_kill_syncd() {
	local ok=1 t0
	cl_syncd_kill 2 KILL
	load 1 1000 0 1000000 || ok=0
	t0=$(now_s)
	cl_syncd_start 2 || ok=0
	cl_wait 60 "restarted daemon synced" cl_synced 2 || ok=0
	cl_wait 30 "converged" converged 221000 1 2 3 || ok=0
	result kill_syncd $ok resynced_after_s="$(since "$t0")" \
		snap_count="$(cl_get 2 last_snap_count)"
}

scenario_kill_corosync() {
	local ok=1 t0 rec0
	rec0=$(cl_get 3 cpg_reconnects)
	cl_corosync_kill 3 KILL
	cl_wait 10 "node 3 not connected" test "$(cl_get 3 connected)" = 0 || ok=0
	# meanwhile: 2000 deletes and 1000 new templates node 3 misses
	cl_ctl 1 sim-delete 2000 100000 >/dev/null || ok=0
	load 1 1000 0 1001000 || ok=0
	cl_wait 30 "1 and 2 converged" converged 220000 1 2 || ok=0
	t0=$(now_s)
	cl_corosync_start 3 || ok=0
	cl_wait 60 "node 3 reconnected and synced" cl_synced 3 || ok=0
	cl_wait 30 "converged" converged 220000 1 2 3 || ok=0
	[ "$(cl_get 3 cpg_reconnects)" -gt "$rec0" ] || ok=0
	[ "$(cl_get 3 swept)" -ge 2000 ] || ok=0
	cl_syncd_alive 3 || ok=0
	result kill_corosync $ok resynced_after_s="$(since "$t0")" \
		reconnects="$(cl_get 3 cpg_reconnects)" swept="$(cl_get 3 swept)"
}

scenario_flood() {
	local ok=1 ta0 ta k
	ta0=$(cl_get 1 try_again)
	# creation at full speed, plus the whole local table re-announced
	# on top (hundreds of 64 KiB messages queued at once)
	cl_ctl 1 sim-load 300000 0 1200000 >/dev/null || ok=0
	cl_ctl 1 reannounce >/dev/null || ok=0
	cl_wait 120 "load on node 1" load_done 1 || ok=0
	for k in 1 2 3; do
		[ $(( $(cl_get 1 try_again) - ta0 )) -gt 0 ] && break
		cl_ctl 1 reannounce >/dev/null || ok=0
		sleep 2
	done
	cl_wait 120 "flood converged" converged 520000 1 2 3 || ok=0
	ta=$(( $(cl_get 1 try_again) - ta0 ))
	[ "$ta" -gt 0 ] || ok=0
	result flood $ok templates=300000 try_again="$ta" \
		ev_overruns="$(cl_get 1 ev_overruns)" reannounces="$(cl_get 1 reannounces)" \
		merged="$(cl_get 1 events_merged)"
}

scenario_wire() {
	local ok=1 i m0=() u0=() k
	for i in 1 2 3; do
		m0[$i]=$(cl_get "$i" malformed)
		u0[$i]=$(cl_get "$i" refused_unknown_type)
	done
	for k in "garbage 300" truncated badsender unknownbody \
		 "future 192.0.2.10 80 198.51.100.250 203.0.113.2 80"; do
		# shellcheck disable=SC2086
		cl_in 2 "$CPGSEND" "$CL_GROUP" $k >/dev/null || ok=0
	done
	for i in 1 2 3; do
		cl_wait 10 "node $i has the future template" has_future "$i" || ok=0
	done
	local fut=0 mal="" unk=""
	for i in 1 2 3; do
		cl_syncd_alive "$i" || ok=0
		mal="$mal$(( $(cl_get "$i" malformed) - ${m0[$i]} )),"
		unk="$unk$(( $(cl_get "$i" refused_unknown_type) - ${u0[$i]} )),"
		[ $(( $(cl_get "$i" malformed) - ${m0[$i]} )) -ge 3 ] || ok=0
		[ $(( $(cl_get "$i" refused_unknown_type) - ${u0[$i]} )) -ge 1 ] || ok=0
		if has_future "$i"; then fut=$((fut + 1)); else ok=0; fi
	done
	cl_wait 10 "converged" converged 520001 1 2 3 || ok=0
	result wire $ok malformed="${mal%,}" unknown_type="${unk%,}" future_applied_on="$fut"
}

has_future() {
	cl_ctl "$1" dump all 0 10 198.51.100.250 |
		grep -q 'client=198.51.100.250 server=203.0.113.2 dport=80'
}

scenario_ipc() {
	local ok=1 e1 e2 e3 e4
	e1=$(cl_ctl 1 raw 1 16 2>/dev/null | sed -n 's/^error=//p')
	e2=$(cl_ctl 1 raw 1 24 99 2>/dev/null | sed -n 's/^error=//p')
	e3=$(cl_ctl 1 raw 77 24 2>/dev/null | sed -n 's/^error=//p')
	e4=$(cl_ctl 1 raw 4 24 2>/dev/null | sed -n 's/^error=//p')	# dump, short
	[ "$e1" = -22 ] && [ "$e2" = -71 ] && [ "$e3" = -95 ] && [ "$e4" = -22 ] || ok=0
	cl_syncd_alive 1 || ok=0
	cl_ctl 1 status >/dev/null || ok=0
	result ipc $ok short="$e1" bad_version="$e2" unknown_id="$e3" short_dump="$e4"
}

cl_suite sync-cluster "$SYNCD" "$SYNCCTL" "$CPGSEND"
scenario_formation
scenario_replication
scenario_joiner
scenario_kill_syncd
scenario_kill_corosync
scenario_flood
scenario_wire
scenario_ipc
if [ "$FAIL" != 0 ]; then
	for i in 1 2 3; do
		echo "--- node $i syncd.log (tail)"
		tail -n 15 "$CL_DIR/n$i/syncd.log"
	done
fi
