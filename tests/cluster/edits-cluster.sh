#!/bin/bash
# edits-cluster.sh: cluster-wide service edits (docs/cluster-edits.md) in
# a 3-node corosync cluster of network namespaces (lib.sh), simulation
# backend: pccvsadm talks to its node's pccvs-syncd, which multicasts the
# edit; every daemon applies it in the same order to its configuration and
# its (simulated) table. Each scenario prints a RESULT line; the suite
# ends with "N passed, N failed".
#
#   formation   three daemons agree on configuration version 0
#   propagate   an edit made on node 2 appears on nodes 1 and 3
#   concurrent  200 edits from all three nodes at once, many conflicting:
#               the same verdicts and the same configuration everywhere,
#               every table equal to it
#   catchup     a daemon stopped during 50 edits catches up at its restart
#   quorum      an edit on a node cut off alone (no quorum) is refused; the
#               quorate side goes on; after healing the cut node has its
#               edits and not the refused one
#   unauth      a caller neither root nor in ipc_group is refused
#   malformed   malformed IPC requests get errors; nobody crashes
#   bad_edits   invalid edits (port group, a bad -R line, a duplicate)
#               change nothing anywhere
#   status      pccvsadm cluster status of the 3 nodes (printed)
set -u
. "$(dirname "$0")/lib.sh"

PADM=$CL_BIN/cli/pccvsadm
CFGIPC=$CL_BIN/tests/tools/cfgipc
padm() { local i=$1; shift; cl_in "$i" "$PADM" "$@"; }
now_ms() { date +%s%3N; }

# The replicated configuration of node I as -R text, with its version line.
cfg_of() { padm "$1" cluster config 2>/dev/null; }
cfg_version() {
	cfg_of "$1" | sed -n 's/^# pccvs cluster configuration version \([0-9]*\) .*/\1/p'
}
same_config() {	# I J...: identical configuration and version, all current
	local ref i
	ref=$(cfg_of "$1")
	[ -n "$ref" ] && [[ $ref != *"NOT CURRENT"* ]] || return 1
	shift
	for i in "$@"; do [ "$(cfg_of "$i")" = "$ref" ] || return 1; done
}
# Every director's table equals the replicated configuration.
tables_match() { padm "$1" cluster diff >/dev/null 2>&1; }
versions() { echo "$(cfg_version 1),$(cfg_version 2),$(cfg_version 3)"; }
all_agree() { same_config 1 2 3 && tables_match 1; }

scenario_formation() {
	local ok=1 i t0
	t0=$(now_ms)
	for i in 1 2 3; do cl_syncd_start "$i" || ok=0; done
	cl_wait 30 "all synced" cl_all_synced 1 2 3 || ok=0
	cl_wait 10 "same configuration" all_agree || ok=0
	[ "$(versions)" = "0,0,0" ] || ok=0
	result formation $ok ms=$(($(now_ms) - t0)) versions="$(versions)" \
		services="$(cfg_of 1 | grep -c '^-A')"
}

scenario_propagate() {
	local ok=1 v0 out t0 t1 seen=
	v0=$(cfg_version 1)
	t0=$(now_ms)
	out=$(padm 2 -A -t 192.0.2.50:80 -s wrr -p 120 2>&1 &&
	      padm 2 -a -t 192.0.2.50:80 -r 203.0.113.50:80 -w 2 2>&1) || ok=0
	t1=$(now_ms)
	[[ $out == *"cluster configuration version $((v0 + 2))"* ]] || ok=0
	# on the others at once (they applied it at the same delivery)
	for i in 1 3; do
		cl_wait 5 "node $i has the edit" eval "cfg_of $i | grep -q -- '-a -t 192.0.2.50:80 -r 203.0.113.50:80 -g -w 2'" || ok=0
	done
	seen=$(($(now_ms) - t1))
	cl_wait 10 "agreement" all_agree || ok=0
	[ "$(versions)" = "$((v0 + 2)),$((v0 + 2)),$((v0 + 2))" ] || ok=0
	result propagate $ok versions="$(versions)" two_edits_ms=$((t1 - t0)) \
		seen_elsewhere_within_ms="$seen"
}

# The edits of one node, one per line (see scenario_concurrent).
edit_list() {
	local node=$1 k port
	for k in $(seq 1 67); do
		port=$((80 + k % 16))
		case $node in
		1) echo "-a -t 192.0.2.10:$port -r 10.1.0.$k:$port -w 1" ;;
		2) if [ $((k % 3)) = 0 ]; then
			echo "-a -t 192.0.2.10:$port -r 10.1.0.$k:$port -w 4"	# same as node 1's
		   else
			echo "-e -t 192.0.2.10:$port -r 10.1.0.$k:$port -w 7"	# before or after it?
		   fi ;;
		3) [ "$k" = 67 ] && continue
		   if [ $((k % 2)) = 0 ]; then
			echo "-d -t 192.0.2.10:$port -r 10.1.0.$k:$port"	# there yet?
		   else
			echo "-A -t 192.0.2.41:$((k % 20 + 1)) -s rr"		# twice each
		   fi ;;
		esac
	done
}

# run_list NODE STREAMS: the node's edits, STREAMS at a time; a line per
# edit: its exit status.
run_list() {
	local node=$1 streams=$2
	edit_list "$node" | xargs -P "$streams" -I{} sh -c \
		"nsenter -t ${CL_HOLDER[$node]} -n -m $PADM {} >/dev/null 2>&1; echo \$?"
}

scenario_concurrent() {
	local ok=1 v0 v1 t0 i out=$CL_DIR/concurrent applied refused other pids=
	v0=$(cfg_version 1)
	t0=$(now_ms)
	# wait for these three only: the daemons are children of this shell too
	for i in 1 2 3; do run_list "$i" 3 >"$out.$i" & pids+=" $!"; done
	# shellcheck disable=SC2086
	wait $pids
	applied=$(cat "$out".[123] | grep -c '^0$')
	refused=$(cat "$out".[123] | grep -c '^2$')
	other=$(cat "$out".[123] | grep -vc '^[02]$')
	[ $((applied + refused + other)) = 200 ] && [ "$other" = 0 ] || ok=0
	[ "$refused" -gt 0 ] || ok=0	# there were conflicts
	cl_wait 10 "agreement" all_agree || ok=0
	v1=$(cfg_version 1)
	[ "$((v1 - v0))" = "$applied" ] || ok=0
	for i in 1 2 3; do cfg_of "$i" | md5sum; done >"$out.sums"
	[ "$(sort -u "$out.sums" | wc -l)" = 1 ] || ok=0
	result concurrent $ok edits=200 applied="$applied" refused="$refused" \
		failed="$other" secs=$(( ($(now_ms) - t0) / 1000 )) versions="$(versions)"
}

scenario_catchup() {
	local ok=1 v0 k rc bad=0 t0
	v0=$(cfg_version 1)
	cl_syncd_kill 3 TERM
	for k in $(seq 1 50); do
		if [ $((k % 2)) = 0 ]; then
			padm 1 -A -t 192.0.2.60:$k -s rr >/dev/null 2>&1 || bad=$((bad + 1))
		else
			padm 2 -A -t 192.0.2.61:$k -s lc >/dev/null 2>&1 || bad=$((bad + 1))
		fi
	done
	[ "$bad" = 0 ] || ok=0
	[ "$(cfg_version 1)" = $((v0 + 50)) ] || ok=0
	t0=$(now_ms)
	cl_syncd_start 3 || ok=0
	cl_wait 30 "node 3 synced" cl_synced 3 || ok=0
	cl_wait 10 "agreement" all_agree || ok=0
	grep -q "configuration version $((v0 + 50)) from node" "$CL_DIR/n3/syncd.log" || ok=0
	result catchup $ok edits_while_down=50 failed="$bad" versions="$(versions)" \
		synced_after_ms=$(($(now_ms) - t0))
}

node_quorate() { [ "$(cl_get "$1" quorate)" = "$2" ]; }

scenario_quorum() {
	local ok=1 v0 out3 rc3 rc1 t0
	v0=$(cfg_version 1)
	ip -n "${CL_P}sw" link set v3 down
	cl_wait 30 "node 3 without quorum" node_quorate 3 0 || ok=0
	out3=$(padm 3 -A -t 192.0.2.70:80 2>&1)
	rc3=$?
	[ "$rc3" = 1 ] && [[ $out3 == *"no quorum"* ]] || ok=0
	cl_wait 30 "nodes 1, 2 quorate and synced" eval "node_quorate 1 1 && cl_all_synced 1 2" || ok=0
	padm 1 -A -t 192.0.2.71:80 >/dev/null 2>&1
	rc1=$?
	[ "$rc1" = 0 ] || ok=0
	[ "$(cfg_version 3)" = "$v0" ] || ok=0
	t0=$(now_ms)
	ip -n "${CL_P}sw" link set v3 up
	cl_wait 60 "node 3 back and synced" eval "node_quorate 3 1 && cl_synced 3" || ok=0
	cl_wait 10 "agreement" all_agree || ok=0
	cfg_of 3 | grep -q -- '-A -t 192.0.2.71:80' || ok=0
	cfg_of 1 | grep -q -- '192.0.2.70' && ok=0
	result quorum $ok refused_rc="$rc3" refused_msg="\"${out3//$'\n'/ }\"" \
		quorate_side_rc="$rc1" versions="$(versions)" healed_ms=$(($(now_ms) - t0))
}

scenario_unauth() {
	local ok=1 v0 out rc
	v0=$(versions)
	out=$(cl_in 1 setpriv --reuid 65534 --regid 65534 --clear-groups \
		"$PADM" -A -t 192.0.2.80:80 2>&1)
	rc=$?
	[ "$rc" = 1 ] && [[ $out == *"root or the daemon's ipc_group"* ]] || ok=0
	cl_in 1 setpriv --reuid 65534 --regid 65534 --clear-groups \
		"$PADM" cluster status >/dev/null 2>&1 && ok=0
	[ "$(versions)" = "$v0" ] || ok=0
	result unauth $ok rc="$rc" msg="\"$out\""
}

ipc_err() { cl_in 1 "$CFGIPC" "$@" 2>/dev/null | sed -n 's/^error=//p'; }
ipc_status() { cl_in 1 "$CFGIPC" "$@" 2>/dev/null | sed -n 's/^status=\([-0-9]*\) refusal=\([0-9]*\).*/\1\/\2/p'; }

scenario_malformed() {
	local ok=1 v0 e s i got=
	v0=$(versions)
	# malformed: an error response
	for e in "edit 16 0 0 1" "edit 0 5 0 1 abc" "edit 0 -1 8 1 -C" \
		 "edit 100000 -1 0 1 -C" "result 0" "garbage 9 100" "garbage 10 3" \
		 "garbage 11 2" "garbage 12 50" "garbage 13 7"; do
		# shellcheck disable=SC2086
		s=$(ipc_err $e)
		got+="${e// /_}=$s "
		[ -n "$s" ] && [ "$s" != 0 ] || ok=0
	done
	# well-formed but bad: refused as bad input (status/refusal 1)
	for e in 'edit 0 -1 0 1 -A\ -t\ 192.0.2.90:80\0junk' 'edit 0 -1 0 1 garbage\ words' \
		 'edit 0 -1 0 99 -C' 'edit 0 -1 0 1' 'edit 0 -1 0 1 -L\ -n' \
		 'edit 0 -1 0 1 -Z'; do
		s=$(eval "ipc_status $e")
		got+="$(echo "$e" | cut -c1-22 | tr ' \\' '__')=$s "
		[[ $s == -*/1 ]] || ok=0
	done
	s=$(ipc_status result 123456)
	[ "$s" = "-2/3" ] || ok=0
	for i in 1 2 3; do cl_syncd_alive "$i" || ok=0; done
	[ "$(versions)" = "$v0" ] || ok=0
	all_agree || ok=0
	result malformed $ok versions="$(versions)" answers="\"$got\""
}

scenario_bad_edits() {
	local ok=1 v0 out rc1 rc2 rc3
	# a port group whose services have their real servers (a group may be
	# filled service by service: a rule on the whole -R input)
	printf '%s\n' '-A -t 192.0.2.95:80 -p 300 --pgroup grp' \
		'-A -t 192.0.2.95:443 -p 300 --pgroup grp' \
		'-a -t 192.0.2.95:80 -r 10.9.9.1' '-a -t 192.0.2.95:443 -r 10.9.9.1' |
		padm 1 -R >/dev/null 2>&1 || ok=0
	v0=$(versions)
	out=$(padm 2 -a -t 192.0.2.95:80 -r 10.9.9.9 2>&1)
	rc1=$?
	[ "$rc1" = 2 ] && [[ $out == *grp* ]] || ok=0
	out=$(printf '%s\n' '# two services' '-A -t 192.0.2.96:80' \
		'-a -t 192.0.2.97:80 -r 10.0.0.1' | padm 3 -R 2>&1)
	rc2=$?
	[ "$rc2" = 2 ] && [[ $out == *"line 3: no service TCP 192.0.2.97:80"* ]] || ok=0
	padm 1 -A -t 192.0.2.95:80 >/dev/null 2>&1
	rc3=$?
	[ "$rc3" = 2 ] || ok=0
	[ "$(versions)" = "$v0" ] || ok=0
	cfg_of 2 | grep -q '192.0.2.96' && ok=0
	all_agree || ok=0
	result bad_edits $ok group_rc="$rc1" restore_rc="$rc2" dup_rc="$rc3" \
		restore_msg="\"$out\"" versions="$(versions)"
}

scenario_status() {
	local ok=1 st
	st=$(padm 1 cluster status 2>&1) || ok=0
	[[ $st == *"current on 3 of 3 directors, tables in sync on 3"* ]] || ok=0
	echo "$st" >"$CL_DIR/cluster-status.txt"
	echo "--- pccvsadm cluster status (node 1)"
	echo "$st"
	echo "---"
	result status $ok
}

cl_suite edits-cluster "$SYNCD" "$SYNCCTL" "$PADM" "$CFGIPC"
scenario_formation
scenario_propagate
scenario_concurrent
scenario_catchup
scenario_quorum
scenario_unauth
scenario_malformed
scenario_bad_edits
scenario_status
if [ -n "${EDITS_STATUS_OUT:-}" ]; then
	cp "$CL_DIR/cluster-status.txt" "$EDITS_STATUS_OUT" 2>/dev/null
fi
if [ "$FAIL" != 0 ]; then
	for i in 1 2 3; do
		echo "--- node $i syncd.log (tail)"
		tail -n 20 "$CL_DIR/n$i/syncd.log"
	done
fi
