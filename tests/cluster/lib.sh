#!/bin/bash
# tests/cluster/lib.sh: a cluster of N real corosync nodes on one host, for
# pccvs-syncd's namespace tests and benchmarks (source it).
#
# Per node: a network namespace (192.0.2.I/24 on a veth to a bridge that
# lives in a switch namespace of its own; no default route) and a private
# mount namespace (own /run and /var/lib/corosync), both held by a
# long-lived holder process and entered with nsenter -t HOLDER -n -m, so
# corosync, pccvs-syncd and the tools of one node always share /run and
# /dev/shm (apis.md 8). Namespaces are named $CL_P<n> with CL_P = pcs<pid>;
# everything started is recorded by pid, killed by pid and deleted in
# cl_down (call it from a trap).

CL_TOP=${CL_TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
CL_BIN=$CL_TOP/build/rel
SYNCD=$CL_BIN/syncd/pccvs-syncd
SYNCCTL=$CL_BIN/tests/tools/syncctl
CPGSEND=$CL_BIN/tests/tools/cpgsend
CPGBENCH=$CL_BIN/tests/tools/cpgbench
CL_P=pcs$$
CL_N=0
CL_DIR=
CL_GROUP=pccvs-test
declare -A CL_HOLDER CL_COROSYNC CL_SYNCD

cl_log() { echo "# $(date +%T.%3N) $*"; }

# cl_wait SECONDS DESCRIPTION CMD...: poll CMD every 0.1 s until it succeeds.
cl_wait() {
	local t=$1 what=$2 end
	shift 2
	end=$(( $(date +%s%N) + t * 1000000000 ))
	until "$@" >/dev/null 2>&1; do
		if [ "$(date +%s%N)" -gt "$end" ]; then
			cl_log "timeout (${t}s) waiting for: $what"
			return 1
		fi
		sleep 0.1
	done
}

cl_in() { local i=$1; shift; nsenter -t "${CL_HOLDER[$i]:-}" -n -m "$@"; }

cl_corosync_conf() {
	cat <<CONF
totem {
    version: 2
    cluster_name: pccvstest
    transport: knet
    crypto_cipher: none
    crypto_hash: none
    token: ${CL_TOKEN:-300}
    token_coefficient: 0
    join: 50
    consensus: $(( ${CL_TOKEN:-300} * 6 / 5 ))
    # knet derives its link pings from the token (150 ms timeout at 300):
    # on a loaded 2-core box scheduling hiccups then take links down. The
    # token keeps failure detection fast; links get more slack.
    interface {
        linknumber: 0
        knet_ping_interval: 200
        knet_ping_timeout: ${CL_KNET_PING_TIMEOUT:-1000}
    }
}
nodelist {
CONF
	for i in $(seq 1 "$CL_N"); do
		printf '    node {\n        nodeid: %d\n        name: n%d\n        ring0_addr: 192.0.2.%d\n    }\n' "$i" "$i" "$i"
	done
	cat <<CONF
}
quorum {
    provider: corosync_votequorum
}
logging {
    to_stderr: yes
    to_syslog: no
    to_logfile: no
    timestamp: hires
}
system {
    sched_rr: no
    priority: max
    move_to_root_cgroup: no
    allow_knet_handle_fallback: yes
}
CONF
}

# cl_up N: namespaces, holders and corosync on every node.
cl_up() {
	CL_N=$1
	CL_DIR=$(mktemp -d /tmp/pccvs-cluster.XXXXXX)
	ip netns add ${CL_P}sw || return 1
	ip -n ${CL_P}sw link add br0 type bridge
	ip -n ${CL_P}sw link set br0 up
	for i in $(seq 1 "$CL_N"); do
		local d=$CL_DIR/n$i
		mkdir -p "$d/state"
		ip netns add ${CL_P}n$i
		ip -n ${CL_P}sw link add v$i type veth peer name eth0 netns ${CL_P}n$i
		ip -n ${CL_P}sw link set v$i master br0 up
		ip -n ${CL_P}n$i link set lo up
		ip -n ${CL_P}n$i addr add 192.0.2.$i/24 dev eth0
		ip -n ${CL_P}n$i link set eth0 up
		setsid ip netns exec ${CL_P}n$i unshare --mount --propagation private \
			sh -c "mount -t tmpfs tmpfs /run && mount --bind $d/state /var/lib/corosync && echo \$\$ > $d/holder.pid && exec sleep infinity" \
			</dev/null >/dev/null 2>&1 &
	done
	for i in $(seq 1 "$CL_N"); do
		cl_wait 10 "holder $i" test -s "$CL_DIR/n$i/holder.pid" || return 1
		CL_HOLDER[$i]=$(cat "$CL_DIR/n$i/holder.pid")
	done
	cl_corosync_conf >"$CL_DIR/corosync.conf"
	for i in $(seq 1 "$CL_N"); do cl_corosync_start "$i"; done
	cl_wait 30 "corosync membership of $CL_N" cl_members_all "$CL_N"
}

cl_members_all() {
	local want=$1 i
	for i in $(seq 1 "$CL_N"); do
		[ -n "${CL_COROSYNC[$i]:-}" ] || continue
		cl_in "$i" corosync-quorumtool -s 2>/dev/null |
			grep -q "^Total votes: *$want\$" || return 1
	done
}

cl_corosync_start() {
	local i=$1
	setsid nsenter -t "${CL_HOLDER[$i]:-}" -n -m corosync -f -c "$CL_DIR/corosync.conf" \
		</dev/null >>"$CL_DIR/n$i/corosync.log" 2>&1 &
	CL_COROSYNC[$i]=$!
	cl_wait 10 "corosync $i IPC" cl_in "$i" corosync-cmapctl -g totem.token
}

cl_corosync_kill() {	# i [signal]
	local i=$1 sig=${2:-KILL}
	[ -n "${CL_COROSYNC[$i]:-}" ] || return 0
	kill -"$sig" "${CL_COROSYNC[$i]:-}" 2>/dev/null
	wait "${CL_COROSYNC[$i]:-}" 2>/dev/null
	CL_COROSYNC[$i]=
}

# cl_syncd_conf: the daemons' configuration (sim backend); extra lines
# from ${CL_SYNCD_EXTRA:-}.
cl_syncd_conf() {
	cat <<CONF
group = $CL_GROUP
backend = sim
log_target = stderr
log_level = ${CL_LOG_LEVEL:-info}
flush_interval_ms = 2
status_wait_ms = 1000
xfer_timeout_ms = 5000
sim_tpl_max = ${CL_TPL_MAX:-4000000}
sim_conn_max = 1000000
CONF
	local p
	for p in 80 81 82 83 84 85 86 87 88 89 90 91 92 93 94 95; do
		echo "sim_service = tcp 192.0.2.10 $p timeout=600 sched=rr"
		echo "sim_dest = tcp 192.0.2.10 $p 203.0.113.1 $p"
		echo "sim_dest = tcp 192.0.2.10 $p 203.0.113.2 $p"
	done
	echo "sim_service = tcp 2001:db8::10 80 netmask=128 timeout=600"
	echo "sim_dest = tcp 2001:db8::10 80 2001:db8:2::1 80"
	[ -n "${CL_SYNCD_EXTRA:-}" ] && printf '%s\n' "${CL_SYNCD_EXTRA:-}"
	return 0
}

cl_syncd_start() {
	local i=$1
	# each node keeps its cluster configuration state apart
	{ cl_syncd_conf; echo "state_dir = $CL_DIR/n$i/lib"; } >"$CL_DIR/n$i/syncd.conf"
	# nice -10 as in deploy/pccvs-syncd.service: below corosync (-20),
	# ahead of ordinary work
	setsid nsenter -t "${CL_HOLDER[$i]:-}" -n -m nice -n "${CL_SYNCD_NICE:--10}" \
		"$SYNCD" -f -c "$CL_DIR/n$i/syncd.conf" \
		</dev/null >>"$CL_DIR/n$i/syncd.log" 2>&1 &
	CL_SYNCD[$i]=$!
	cl_wait 10 "syncd $i IPC" cl_ctl "$i" status
}

cl_syncd_kill() {	# i [signal]
	local i=$1 sig=${2:-TERM}
	[ -n "${CL_SYNCD[$i]:-}" ] || return 0
	kill -"$sig" "${CL_SYNCD[$i]:-}" 2>/dev/null
	wait "${CL_SYNCD[$i]:-}" 2>/dev/null
	CL_SYNCD[$i]=
}

cl_syncd_alive() { [ -n "${CL_SYNCD[$1]:-}" ] && kill -0 "${CL_SYNCD[$1]:-}" 2>/dev/null; }

cl_ctl() { local i=$1; shift; cl_in "$i" "$SYNCCTL" "$@"; }

# cl_get I KEY: one value of "syncctl status" (or of another command:
# cl_get I KEY sim-stats).
cl_get() {
	local i=$1 key=$2 cmd=${3:-status}
	cl_ctl "$i" "$cmd" 2>/dev/null | sed -n "s/^$key=//p"
}

cl_synced() { [ "$(cl_get "$1" synced)" = 1 ]; }

cl_all_synced() {
	local i
	for i in "$@"; do cl_synced "$i" || return 1; done
}

cl_digest() { cl_ctl "$1" digest confirmed 2>/dev/null | tr '\n' ' '; }

# cl_same_digest I J...: every listed node holds the same templates
# (count and digest over domain, client, server, port, stamp).
cl_same_digest() {
	local ref
	ref=$(cl_digest "$1")
	[ -n "$ref" ] || return 1
	shift
	local i
	for i in "$@"; do [ "$(cl_digest "$i")" = "$ref" ] || return 1; done
}

cl_count_is() { [ "$(cl_get "$1" templates)" = "$2" ]; }

cl_down() {
	local i
	for i in $(seq 1 "$CL_N"); do cl_syncd_kill "$i" KILL; done
	for i in $(seq 1 "$CL_N"); do cl_corosync_kill "$i" KILL; done
	for i in $(seq 1 "$CL_N"); do
		[ -n "${CL_HOLDER[$i]:-}" ] && kill "${CL_HOLDER[$i]:-}" 2>/dev/null
		ip netns del ${CL_P}n$i 2>/dev/null
	done
	ip netns del ${CL_P}sw 2>/dev/null
	if [ -n "$CL_DIR" ] && [ -z "${CL_KEEP:-}" ]; then
		rm -rf "$CL_DIR"
	fi
	return 0
}

# cl_suite NAME BINARY...: a test suite on this harness: needs root and
# the binaries; PASS/FAIL counters, result NAME OK DETAIL... (a RESULT
# line), at exit the cluster torn down and the suite's "N passed, N
# failed" line; a 3-node corosync cluster up.
cl_suite() {
	local name=$1 b
	shift
	PASS=0
	FAIL=0
	if [ "$(id -u)" != 0 ]; then
		echo "$name: needs root (network namespaces)"
		exit 1
	fi
	for b in "$@"; do
		[ -x "$b" ] || { echo "$name: $b missing (make all)"; exit 1; }
	done
	trap cl_suite_finish EXIT
	trap 'exit 1' INT TERM
	if ! cl_up 3; then
		result cluster_up 0
		exit 1
	fi
	cl_log "corosync cluster up in $CL_DIR"
}
cl_suite_finish() {
	cl_down
	echo "$PASS passed, $FAIL failed"
}
result() {	# name ok detail...
	local name=$1 ok=$2
	shift 2
	echo "RESULT scenario=$name ok=$ok $*"
	if [ "$ok" = 1 ]; then PASS=$((PASS + 1)); else FAIL=$((FAIL + 1)); fi
}
