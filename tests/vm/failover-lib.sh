# tests/vm/failover-lib.sh: the two-director HA bed for the failover
# scenario (scenarios/95-failover.sh) and `make demo` (failover.sh). Sourced
# after lib/vm.sh and lib/lb.sh.
#
# Directors lb1 and lb2 (guests; lb1 is the runner's director, lb2 boots
# here), corosync on both plus a corosync-only witness (third vote) in a
# host namespace on the same bridge, so that a director cut off alone has
# no quorum. Backends:
#   pccvs  pccvs.ko + pccvs-syncd with HA (vip, priority, garp; docs/ha.md)
#   ipvs   IPVS + keepalived (VRRP, default timing) + the IPVS sync daemon
#          (lvs_sync_daemon); configs from deploy/keepalived-*.conf
# Both serve the same persistent DR service; the client reaches the VIP on
# its link, so whoever holds the VIP (and announced it) gets the traffic.
#
#   node  where            ring address   client side          priority
#   1     guest lb1        192.0.2.1      198.51.100.254        200
#   2     guest lb2        192.0.2.2      198.51.100.253        100
#   3     namespace w      192.0.2.3      (witness: corosync only)

FO_LBS=(lb1 lb2)
FO_PRIO=(200 100)
FO_KA_PRIO=(150 100)
FO_GUEST_ID=(1 12)
FO_TOKEN=${FO_TOKEN:-300}
FO_CONSENSUS=${FO_CONSENSUS:-360}
# knet's link pings default to token/4 and token/2: 150 ms without a pong
# and knet declares the link down and totem loses the token, which a TCG
# guest's jitter does every few seconds. The token (and consensus) detect a
# dead director; knet's link state is for choosing among several links.
FO_KNET_PING=${FO_KNET_PING:-250}
FO_KNET_TIMEOUT=${FO_KNET_TIMEOUT:-2000}
FO_RATE=${FO_RATE:-100}
FO_STREAMS=${FO_STREAMS:-20}
FO_CLIENTS=${FO_CLIENTS:-200}
FO_SYNCD=$VM_TOP/build/rel/syncd/pccvs-syncd
FO_SYNCCTL=$VM_TOP/build/rel/tests/tools/syncctl
FO_PADM=$VM_TOP/build/rel/cli/pccvsadm
FO_GOUT=/run/vm/out	# a guest's results share, from inside

fo_log() { echo "# $(date +%T.%3N) $*"; }

# fo_poll SECONDS 'test': like vm_poll, but SECONDS of wall time (tests
# that ask a guest take a while each).
fo_poll() {
	local end=$(($(date +%s%3N) + $1 * 1000))
	shift
	until eval "$*"; do
		[ "$(date +%s%3N)" -lt $end ] || return 1
		sleep 0.2
	done
}

fo_idx() { case $1 in lb1) echo 0 ;; lb2) echo 1 ;; esac; }
fo_node() { echo $(($(fo_idx "$1") + 1)); }
fo_other() { [ "$1" = lb1 ] && echo lb2 || echo lb1; }

fo_corosync_conf() {
	cat <<EOF
totem {
    version: 2
    cluster_name: pccvsfo
    transport: knet
    crypto_cipher: none
    crypto_hash: none
    token: $FO_TOKEN
    token_coefficient: 0
    join: 50
    consensus: $FO_CONSENSUS
    interface {
        linknumber: 0
        knet_ping_interval: $FO_KNET_PING
        knet_ping_timeout: $FO_KNET_TIMEOUT
    }
}
nodelist {
EOF
	local i
	for i in 1 2 3; do
		printf '    node {\n        nodeid: %d\n        name: n%d\n        ring0_addr: 192.0.2.%d\n    }\n' "$i" "$i" "$i"
	done
	cat <<EOF
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
    move_to_root_cgroup: no
    allow_knet_handle_fallback: yes
}
EOF
}

# A director's addresses (the VIPs are the HA's), forwarding, the backend
# module (loaded once). Works on a fresh guest and on lb1 as the runner set
# it up (its static VIPs are removed).
fo_director_setup() {
	local name=$1 backend=$2 i
	i=$(fo_node "$name")
	vm_wait_ready "$name" || return 1
	vm_exec "$name" "set -e
		ip addr replace 198.51.100.$((255 - i))/24 dev eth0
		ip addr replace 192.0.2.$i/24 dev eth0
		ip addr replace 2001:db8:c::$(printf %x $((255 - i)))/64 dev eth0 nodad
		ip addr replace 2001:db8:b::$i/64 dev eth0 nodad
		ip addr del $VIP4/32 dev eth0 2>/dev/null || true
		ip addr del $VIP6/128 dev eth0 2>/dev/null || true
		sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1 \
			net.ipv4.conf.all.send_redirects=0 net.ipv4.conf.eth0.send_redirects=0 \
			net.ipv4.conf.default.send_redirects=0
		if [ $backend = pccvs ]; then
			[ -d /sys/module/pccvs ] || { $(backend_load_cmd pccvs); }
		else
			$(backend_load_cmd ipvs)
		fi"
}

# The persistent DR service, the same on both directors.
fo_service_cmd() {
	local adm=$1 r s
	s="$adm -C && $adm -A -t $VIP4:80 -s rr -p 300"
	for r in "${RS4[@]}"; do s+=" && $adm -a -t $VIP4:80 -r $r:80 -g"; done
	echo "$s"
}

fo_corosync_start() {
	fo_corosync_conf >"$(vm_dir "$1")/out/corosync.conf"
	vm_exec "$1" "mkdir -p /var/lib/corosync; setsid corosync -f -c $FO_GOUT/corosync.conf </dev/null \
		>>$FO_GOUT/corosync.log 2>&1 & echo started"
}

# The witness: a namespace on the bridge with a holder process that keeps
# a private /run and /var/lib/corosync (apis.md 8), corosync entered there.
fo_witness_start() {
	local d=$VM_RUNLOG/witness h
	mkdir -p "$d"
	fo_corosync_conf >"$d/corosync.conf"
	if [ ! -s "$d/holder.pid" ]; then
		ns_add w && ns_addr w 192.0.2.3/24 || return 1
		ns_spawn w "$d/holder.log" bash -c "exec unshare --mount --propagation private \
			bash -c 'mount -t tmpfs tmpfs /run && mount -t tmpfs tmpfs /var/lib/corosync &&
			echo \$\$ >$d/holder.pid && exec -a fo-witness-holder sleep infinity'" >/dev/null
		fo_poll 10 "[ -s '$d/holder.pid' ]" || { fo_log "witness holder did not start"; return 1; }
	fi
	h=$(cat "$d/holder.pid")
	setsid nsenter -t "$h" -n -m corosync -f -c "$d/corosync.conf" </dev/null \
		>>"$d/corosync.log" 2>&1 &
	_vm_track $! corosync
	disown $!
}

# Total votes as corosync on director NAME sees them.
fo_votes() {
	vm_exec "$1" "corosync-quorumtool -s 2>/dev/null" | sed -n 's/^Total votes: *//p'
}

fo_syncd_conf() {
	local i
	i=$(fo_idx "$1")
	cat <<EOF
# pccvs-syncd with HA on $1 (written by tests/vm/failover-lib.sh)
group = pccvs
priority = ${FO_PRIO[i]}
log_level = info
flush_interval_ms = 2
vip = $VIP4/32 dev eth0
vip = $VIP6/128 dev eth0
garp_count = 5
garp_interval_ms = 100
notify = $VM_TOP/tests/vm/failover-notify.sh
EOF
}

fo_syncd_start() {
	fo_syncd_conf "$1" >"$(vm_dir "$1")/out/syncd.conf"
	vm_exec "$1" "setsid $FO_SYNCD -f -c $FO_GOUT/syncd.conf </dev/null \
		>>$FO_GOUT/syncd.log 2>&1 & echo started"
}

fo_keepalived_start() {
	local i
	i=$(fo_idx "$1")
	sed -e "s/@ROUTER_ID@/$1/" -e "s/@PRIORITY@/${FO_KA_PRIO[i]}/" \
		-e "s|@VIP4@|$VIP4|" -e "s|@VIP6@|$VIP6|" -e "s/@IFACE@/eth0/" \
		"$VM_TOP/deploy/keepalived-ipvs.conf" >"$(vm_dir "$1")/out/keepalived.conf"
	vm_exec "$1" "mkdir -p /run/keepalived; setsid keepalived -n -l -D \
		-f $FO_GOUT/keepalived.conf -p /run/keepalived/k.pid -r /run/keepalived/v.pid \
		-c /run/keepalived/c.pid </dev/null >>$FO_GOUT/keepalived.log 2>&1 & echo started"
}

fo_keepalived_stop() {
	vm_exec "$1" "kill \$(cat /run/keepalived/k.pid) && for i in \$(seq 50); do
		[ -e /run/keepalived/k.pid ] || exit 0; sleep 0.1; done; exit 1"
}

# Starts what the backend needs on director NAME (corosync, service,
# daemons) on a set-up guest.
fo_director_start() {
	local name=$1 backend=$2
	fo_corosync_start "$name" >/dev/null || return 1
	if [ "$backend" = pccvs ]; then
		vm_exec "$name" "$(fo_service_cmd "$FO_PADM")" || return 1
		fo_syncd_start "$name" >/dev/null
	else
		vm_exec "$name" "$(fo_service_cmd ipvsadm)" || return 1
		fo_keepalived_start "$name" >/dev/null
	fi
}

# Does NAME hold the VIP? (asked through the guest agent: works when its
# network is cut)
fo_holds() { vm_exec "$1" "ip -o -4 addr show dev eth0" 2>/dev/null | grep -q " $VIP4/"; }

# Names of the live directors that hold the VIP, space separated.
fo_holders() {
	local n out=
	for n in "${FO_LBS[@]}"; do
		vm_alive "$n" && fo_holds "$n" && out+="$n "
	done
	echo "${out% }"
}

fo_synced() { [ "$(vm_exec "$1" "$FO_SYNCCTL status" 2>/dev/null | sed -n 's/^synced=//p')" = 1 ]; }
fo_status() { vm_exec "$1" "$FO_PADM cluster status" 2>&1; }

# pccvs: the cluster is steady: exactly one holder, every live director
# synced and agreeing on the active. ipvs: one holder.
fo_steady() {
	local backend=$1 n h
	h=$(fo_holders)
	[ -n "$h" ] && [ "${h% *}" = "$h" ] || return 1
	[ "$backend" = pccvs ] || return 0
	for n in "${FO_LBS[@]}"; do
		vm_alive "$n" || continue
		fo_synced "$n" || return 1
		fo_status "$n" | grep -q "^Active director: node $(fo_node "$h") " || return 1
	done
}

# The client reaches the VIP on its link (it ARPs for it), not through a
# fixed director address; undone by fo_client_restore.
fo_client_onlink() {
	ns_exec c sh -c "ip route replace 203.0.113.0/24 dev eth0 &&
		ip -6 route replace 2001:db8:f::/64 dev eth0"
}
fo_client_restore() {
	ns_exec c sh -c "ip route replace 203.0.113.0/24 via $DIRC4 &&
		ip -6 route replace 2001:db8:f::/64 via $DIRC6" 2>/dev/null
}

# fo_load LOG SECONDS: the client's load in the background; prints its pid.
fo_load() {
	ns_spawn c "$1.out" "$PCCT" load --src "$(clients4 1 "$FO_CLIENTS")" --to "$VIP4:80" \
		--rate "$FO_RATE" --streams "$FO_STREAMS" --interval 100ms --stall 300ms \
		--timeout 5000 --duration "${2}s" --log "$1"
}

# Waits until the load runs: every stream open, every client served once.
fo_count() { local n; n=$(grep -c -- "$1" "$2" 2>/dev/null); echo "${n:-0}"; }
fo_load_going() {
	fo_poll 30 "[ \$(fo_count ' open ' '$1') -ge $FO_STREAMS ] &&
		[ \$(fo_count '^R .* ok ' '$1') -ge $FO_CLIENTS ]"
}

fo_load_wait() { fo_poll "$2" "[ ! -d /proc/$1 ]" || { vm_kill_spawned "$1"; return 1; }; }

# A random moment: sleep between $1 and $2 seconds (tenths).
fo_sleep_random() {
	local a=$(($1 * 10)) b=$(($2 * 10))
	sleep "$(awk -v t=$((a + RANDOM % (b - a + 1))) 'BEGIN { printf "%.1f", t / 10 }')"
}

# fo_analyse LOG EVENT_MS OUT: the client's view around the event, RESULT
# lines in OUT (failover_ms, affinity_kept_pct, streams_survived,
# requests_failed, ...) and the timeline in OUT.csv.
#   failover_ms: from the last success before the outage to the first
#   success after it: the longest silence between successful requests that
#   ends after the event and begins at most 2 s after it (a request sent
#   just before the link went down may still complete a few ms after the
#   event time taken on the host; at 100 requests/s the usual silence is
#   about 10 ms).
#   affinity: clients whose first success completed at least 200 ms before
#   the event (their template was confirmed and replicated by then): the
#   server of their last success before it against the server of their first
#   success of a request started after it.
fo_analyse() {
	local log=$1 t=$2 out=$3
	"$PCCT" analyse "$log" --crash-ms "$t" --timeline "$out.csv" --bucket 250 >"$out.tool"
	{
		awk -v crash="$t" '$1 == "R" && $5 == "ok" && $2 >= crash - 1000 {
				if (prev && $2 > crash && prev < crash + 2000 && $2 - prev > gap)
					gap = $2 - prev
				prev = $2
			}
			END { printf "RESULT failover_ms=%d\n", gap }' "$log"
		awk -v crash="$t" '
			$1 == "R" { n++; if ($5 != "ok") bad++ }
			$1 == "R" && $5 == "ok" {
				tt = $2; s = $3; srv = $6; start = tt - $7
				if (tt <= crash - 200 && !(s in first)) first[s] = tt
				if (tt <= crash) before[s] = srv
				if (start >= crash && !(s in after)) after[s] = srv
			}
			END {
				for (s in first) if ((s in before) && (s in after)) {
					c++; if (before[s] == after[s]) k++
				}
				printf "RESULT affinity_kept_pct=%.1f\n", c ? 100 * k / c : 0
				printf "RESULT affinity_clients=%d\n", c
				printf "RESULT requests=%d\nRESULT requests_failed=%d\n", n, bad
			}' "$log"
		for k in streams_survived streams_rst stream_max_stall_ms failed_in_outage; do
			echo "RESULT $k=$(sed -n "s/^RESULT $k=//p" "$out.tool" | tail -n1)"
		done
	} >"$out"
}

# Template tables of the directors: "client server expires_ms" lines,
# sorted; confirmed templates only (the replicated ones: a template whose
# first connection never completed its handshake stays on its director).
fo_tpl_pairs() {
	vm_exec "$1" "$FO_PADM -L --templates -n -o json 2>/dev/null" 2>/dev/null |
		jq -r '.templates[] | select(.confirmed) | "\(.client_address) \(.server_address) \(.expires_ms)"' | sort
}
