#!/bin/bash
# sync-bench.sh: pccvs-syncd benchmarks in a 3-node corosync cluster of
# network namespaces (tests/cluster/lib.sh), simulation backend.
#
#   sync_templates_per_s   700k templates of node 1 re-announced from a
#                          dump until the last is injected on nodes 2 and 3
#                          (the replication pipeline, without the generator)
#   sync_e2e_generated_per_s  300k more made by SYN + ACK through the core
#                          on node 1, events to injection (generator-bound)
#   sync_vs_raw_cpg_ratio  the sync byte rate on CPG over the raw CPG byte
#                          rate of messages of the same size (cpgbench),
#                          measured in the same cluster just after
#   sync_latency_p50_ms    creation on node 1 -> injection on 2 and 3 at a
#   sync_latency_p99_ms    steady 10k templates/s (worst receiver)
#   snapshot_1m_s          a restarted node 3 asks for and applies the
#                          1M-template snapshot (SyncRequest -> SnapEnd)
# Goals: ratio >= 0.70, p99 < 10 ms, snapshot < 5 s.
set -u
. "$(dirname "$0")/../cluster/lib.sh"
N=${SYNC_BENCH_N:-1000000}
CL_TPL_MAX=${CL_TPL_MAX:-2000000}
trap cl_down EXIT
trap 'exit 1' INT TERM

[ "$(id -u)" = 0 ] || { echo "sync-bench: needs root"; exit 1; }
for b in "$SYNCD" "$SYNCCTL" "$CPGBENCH"; do
	[ -x "$b" ] || { echo "sync-bench: $b missing (make all)"; exit 1; }
done

get() { cl_get "$1" "$2" "${3:-status}"; }
load_done() { [ "$(get "$1" running sim-stats)" = 0 ]; }
has() { [ "$(get "$1" templates)" -ge "$2" ]; }
fdiv() { echo "scale=6; $1 / $2" | bc; }

# Raw CPG, same message size, same cluster: measured just before and
# just after the replication run (the host is shared: its speed drifts),
# the ratio uses their mean.
raw_run() {	# TAG SIZE -> prints bytes per second
	local tag=$1 size=$2 n pids= out rs re=0 e i
	n=$(( 100000000 / size ))
	for i in 2 3; do
		timeout 120 nsenter -t "${CL_HOLDER[$i]}" -n -m "$CPGBENCH" "raw$tag" recv "$n" \
			>"$CL_DIR/raw$tag$i.out" 2>&1 &
		pids="$pids $!"
	done
	cl_wait 10 "raw receivers" >&2 sh -c "grep -q ready $CL_DIR/raw${tag}2.out && grep -q ready $CL_DIR/raw${tag}3.out"
	out=$(timeout 120 nsenter -t "${CL_HOLDER[1]}" -n -m "$CPGBENCH" "raw$tag" send "$n" "$size" 3)
	# shellcheck disable=SC2086
	wait $pids
	rs=$(sed -n 's/.*start_ns=\([0-9]*\).*/\1/p' <<<"$out")
	for i in 2 3; do
		e=$(sed -n 's/.*last_ns=\([0-9]*\).*/\1/p' "$CL_DIR/raw$tag$i.out")
		[ "${e:-0}" -gt "$re" ] && re=$e
	done
	echo "# raw CPG ($tag): $n x $size B in $(fdiv $((re - rs)) 1000000000)s ($out)" >&2
	echo "$n * $size * 1000000000 / ($re - $rs)" | bc
}


cl_up 3 || exit 1
for i in 1 2 3; do cl_syncd_start "$i" || exit 1; done
cl_wait 30 "all synced" cl_all_synced 1 2 3 || exit 1

# the size of a full batch message, to measure raw CPG before the run
raw_a=$(raw_run a 57000)

# 1. replication throughput: N1 templates made quietly on node 1 (no
# events), then re-announced from a dump: dump, encode, CPG, decode,
# validate, merge into the core on nodes 2 and 3, without the generator.
N1=$(( N * 7 / 10 )); N2=$(( N - N1 ))
cl_ctl 1 sim-load "$N1" 0 0 quiet >/dev/null
cl_wait 300 "quiet load" load_done 1 || exit 1
b0=$(get 1 bytes_sent); m0=$(get 1 msgs_sent); ta0=$(get 1 try_again)
for i in 2 3; do cl_ctl "$i" sim-reset >/dev/null; done
t0=$(cl_ctl 1 reannounce | sed -n 's/^start_ns=//p')
for i in 2 3; do cl_wait 300 "node $i has $N1" has "$i" "$N1" || exit 1; done
t1=0
for i in 2 3; do
	t=$(get "$i" inject_last_ns sim-stats)
	[ "$t" -gt "$t1" ] && t1=$t
done
bytes=$(( $(get 1 bytes_sent) - b0 ))
msgs=$(( $(get 1 msgs_sent) - m0 ))
secs=$(fdiv $((t1 - t0)) 1000000000)
tps=$(echo "$N1 / $secs" | bc)
sync_Bps=$(echo "$bytes / $secs" | bc)
msg_size=$(( bytes / msgs ))
echo "# replication: $N1 templates in ${secs}s, $msgs messages of $msg_size B avg," \
	"$(echo "$sync_Bps / 1000000" | bc) MB/s, try_again=$(( $(get 1 try_again) - ta0 ))"

# 1b. end to end with the generator: N2 templates made by SYN + ACK
# through the core on node 1 (events, coalescing, batches) until injected.
for i in 2 3; do cl_ctl "$i" sim-reset >/dev/null; done
cl_ctl 1 sim-load "$N2" 0 "$N1" >/dev/null
cl_wait 300 "load done" load_done 1 || exit 1
for i in 2 3; do cl_wait 300 "node $i has $N" has "$i" "$N" || exit 1; done
g0=$(get 1 load_start_ns sim-stats)
g1=$(get 1 load_end_ns sim-stats)
t1=0
for i in 2 3; do
	t=$(get "$i" inject_last_ns sim-stats)
	[ "$t" -gt "$t1" ] && t1=$t
done
e2e=$(echo "$N2 / $(fdiv $((t1 - g0)) 1000000000)" | bc)
echo "# end to end: $N2 templates generated in $(fdiv $((g1 - g0)) 1000000000)s," \
	"replicated $(fdiv $((t1 - g0)) 1000000000)s after the first: $e2e/s (generator-bound)"
cl_wait 60 "converged" cl_same_digest 1 2 3 || echo "# WARNING: digests differ"

raw_b=$(raw_run b "$msg_size")
raw_Bps=$(( (raw_a + raw_b) / 2 ))
echo "# raw CPG: $(echo "$raw_a / 1000000" | bc) MB/s before, $(echo "$raw_b / 1000000" | bc) MB/s after"
ratio=$(echo "scale=3; $sync_Bps / $raw_Bps" | bc | sed 's/^\./0./')

# 3. snapshot of the 1M table to a restarted node 3
cl_syncd_kill 3 TERM
cl_syncd_start 3 || exit 1
cl_wait 120 "node 3 synced" cl_synced 3 || exit 1
snap_ms=$(get 3 last_snap_ms)
snap_n=$(get 3 last_snap_count)
echo "# snapshot: $snap_n templates in $snap_ms ms"

# 4. latency at a steady 10k templates/s, then raw CPG at the same
# message rate and size for reference
for i in 2 3; do cl_ctl "$i" sim-reset >/dev/null; done
lb0=$(get 1 bytes_sent); lm0=$(get 1 msgs_sent)
cl_ctl 1 sim-load 100000 10000 0 latency >/dev/null
cl_wait 60 "latency load" load_done 1 || exit 1
sleep 1
lmsgs=$(( $(get 1 msgs_sent) - lm0 ))
lsize=$(( ($(get 1 bytes_sent) - lb0) / (lmsgs ? lmsgs : 1) ))
lrate=$(( lmsgs / 10 ))
[ "$lsize" -ge 64 ] || lsize=64
RAWPIDS=
for i in 2 3; do
	timeout 120 nsenter -t "${CL_HOLDER[$i]}" -n -m "$CPGBENCH" rawlat latrecv "$lmsgs" \
		>"$CL_DIR/lat$i.out" 2>&1 &
	RAWPIDS="$RAWPIDS $!"
done
cl_wait 10 "latency receivers" sh -c "grep -q ready $CL_DIR/lat2.out && grep -q ready $CL_DIR/lat3.out"
timeout 120 nsenter -t "${CL_HOLDER[1]}" -n -m "$CPGBENCH" rawlat latsend "$lmsgs" "$lsize" 3 "$lrate" >/dev/null
# shellcheck disable=SC2086
wait $RAWPIDS
rp50=0; rp99=0
for i in 2 3; do
	a=$(sed -n 's/.*lat_p50_ns=\([0-9]*\).*/\1/p' "$CL_DIR/lat$i.out")
	b=$(sed -n 's/.*lat_p99_ns=\([0-9]*\).*/\1/p' "$CL_DIR/lat$i.out")
	[ "${a:-0}" -gt "$rp50" ] && rp50=$a
	[ "${b:-0}" -gt "$rp99" ] && rp99=$b
done
echo "# raw CPG latency, $lmsgs messages of $lsize B at $lrate/s: p50=${rp50}ns p99=${rp99}ns"

p50=0; p99=0
for i in 2 3; do
	a=$(get "$i" lat_p50_ns sim-stats); b=$(get "$i" lat_p99_ns sim-stats)
	echo "# latency node $i: count=$(get "$i" lat_count sim-stats) p50=${a}ns p99=${b}ns max=$(get "$i" lat_max_ns sim-stats)ns"
	[ "$a" -gt "$p50" ] && p50=$a
	[ "$b" -gt "$p99" ] && p99=$b
done

echo "BENCH sync_templates_per_s=$tps templates/s (replication of a $N1 backlog)"
echo "BENCH sync_e2e_generated_per_s=$e2e templates/s (with the simulated core generating them)"
echo "BENCH sync_vs_raw_cpg_ratio=$ratio (sync $(echo "$sync_Bps / 1000000" | bc) MB/s, raw $(echo "$raw_Bps / 1000000" | bc) MB/s, $msg_size B messages)"
echo "BENCH sync_latency_p50_ms=$(fdiv "$p50" 1000000 | sed 's/^\./0./')"
echo "BENCH sync_latency_p99_ms=$(fdiv "$p99" 1000000 | sed 's/^\./0./')"
echo "BENCH sync_raw_cpg_latency_p50_ms=$(fdiv "$rp50" 1000000 | sed 's/^\./0./') (same message rate and size)"
echo "BENCH sync_raw_cpg_latency_p99_ms=$(fdiv "$rp99" 1000000 | sed 's/^\./0./')"
echo "BENCH snapshot_1m_s=$(fdiv "$snap_ms" 1000 | sed 's/^\./0./') ($snap_n templates)"
