#!/bin/bash
# tests/vm/run-vm.sh: runs the VM scenarios for each backend and ends with
# "N passed, N failed" (the SUITES_VM entry of `make check-vm`).
#
#   tests/vm/run-vm.sh [-b ipvs|pccvs|all] [SCENARIO...]     (default: all, all)
#
# Scenarios are tests/vm/scenarios/*.sh, run in name order. A scenario's
# header declares its cases ("# cases: a b") and what it needs besides the
# director ("# needs: tunrs"). All scenarios of a backend share one boot of
# the director guest (and of the TUN real-server guest while a scenario that
# needs it remains). A backend that is not built is reported as skipped:
# its cases count neither as passed nor as failed.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib/vm.sh"
. "$here/lib/lb.sh"

backends="ipvs pccvs"
while getopts b: o; do
	case $o in
	b) [ "$OPTARG" = all ] || backends=$OPTARG ;;
	*) echo "usage: $0 [-b ipvs|pccvs|all] [scenario...]" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))

scenarios=()
if [ $# -eq 0 ]; then
	scenarios=("$here"/scenarios/*.sh)
else
	for s in "$@"; do
		f=$(ls "$here"/scenarios/*"$s".sh 2>/dev/null | head -n1)
		[ -n "$f" ] || { echo "no scenario $s" >&2; exit 2; }
		scenarios+=("$f")
	done
fi

header() { sed -n "s/^# $2: *//p" "$1" | head -n1; }
sc_name() { local n; n=$(basename "$1" .sh); echo "${n#[0-9]*-}"; }

# boot BACKEND NEED_TUN: director (and TUN real servers) up and set up. A
# boot that fails is retried once: a starved TCG guest was seen to fail the
# stock kernel's own IPv6 init; its kernel log is shown, not counted.
boot() {
	local try t0
	for try in 1 2; do
		t0=$(date +%s)
		if lb_director_start && { [ "$2" = 0 ] || lb_tunrs_start; } &&
			lb_director_setup "$1" && { [ "$2" = 0 ] || lb_tunrs_setup; }; then
			echo "vm: $1: guests ready in $(($(date +%s) - t0)) s"
			return 0
		fi
		echo "vm: $1: boot $try failed; its logs: ${VM_RUNLOG#"$VM_TOP"/}/*-$1-boot$try"
		vm_retire $LB "$1-boot$try"
		vm_retire $LB_TUNRS "$1-boot$try"
	done
	return 1
}

passed=0 failed=0 skipped=0
count() {
	local p f s
	p=$(grep -c '^PASS ' "$1") f=$(grep -c '^FAIL ' "$1") s=$(grep -c '^SKIP ' "$1")
	passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
}
report() { echo "$1" | tee -a "$VM_RUNLOG/verdicts.txt"; }

[ -x "$PCCT" ] || { echo "vm: $PCCT not built (make all)"; echo "0 passed, 1 failed"; exit 1; }
t_start=$(date +%s)
vm_init || { echo "vm: cannot set up the switch namespace"; echo "0 passed, 1 failed"; exit 1; }
: >"$VM_RUNLOG/verdicts.txt"
: >"$VM_RUNLOG/bench.txt"
echo "vm: kernel $VM_KVER, $(vm_accel), logs in ${VM_RUNLOG#"$VM_TOP"/}"
hosts_ok=1
lb_hosts_up || hosts_ok=0

for backend in $backends; do
	why=$(backend_missing "$backend" | paste -sd ';' -)
	[ $hosts_ok = 1 ] || why=${why:-"namespace hosts failed to start"}
	if [ -n "$why" ]; then
		for f in "${scenarios[@]}"; do
			for c in $(header "$f" cases); do
				report "SKIP $backend/$(sc_name "$f")/$c: $why"
				skipped=$((skipped + 1))
			done
		done
		[ $hosts_ok = 1 ] || { failed=$((failed + 1)); report "FAIL $backend: $why"; }
		continue
	fi
	need_tun=$(for f in "${scenarios[@]}"; do header "$f" needs; done | grep -c tunrs)
	if ! boot "$backend" "$need_tun"; then
		report "FAIL $backend/boot: guests did not come up twice (see ${VM_RUNLOG#"$VM_TOP"/})"
		failed=$((failed + 1))
		continue
	fi
	adm=$(backend_adm "$backend")
	for f in "${scenarios[@]}"; do
		name=$(sc_name "$f")
		log=$VM_RUNLOG/$backend-$name.log
		echo "=== vm: $backend/$name"
		t0=$(date +%s)
		if ! vm_alive $LB; then
			report "FAIL $backend/$name: the director guest is gone"
			failed=$((failed + 1))
			continue
		fi
		if ! vm_exec $LB "$(backend_reload_cmd "$backend")" >"$log" 2>&1; then
			report "FAIL $backend/$name: cannot reload the backend module: $(tail -n1 "$log")"
			failed=$((failed + 1))
			continue
		fi
		BACKEND=$backend ADM=$adm SCENARIO=$name timeout 900 bash "$f" >>"$log" 2>&1 &
		spid=$!
		tail -n +1 -f --pid=$spid "$log" 2>/dev/null | grep --line-buffered -vE '^(PASS|FAIL|SKIP) '
		wait $spid
		rc=$?
		grep -E '^(PASS|FAIL|SKIP) ' "$log" | tee -a "$VM_RUNLOG/verdicts.txt"
		count "$log"
		if [ $rc != 0 ] && ! grep -q '^FAIL ' "$log"; then
			report "FAIL $backend/$name: exit $rc"
			failed=$((failed + 1))
		fi
		for g in $LB $LB_TUNRS; do
			vm_alive $g || continue
			if ! vm_klog_check $g; then
				report "FAIL $backend/$name/kernel-log: oops/BUG/WARNING in guest $g"
				failed=$((failed + 1))
			fi
		done
		echo "vm: $backend/$name took $(($(date +%s) - t0)) s"
		# the TUN real servers are stopped once no remaining scenario needs them
		[ "$(header "$f" needs)" = tunrs ] && need_tun=$((need_tun - 1))
		if [ "$need_tun" = 0 ] && vm_alive $LB_TUNRS; then
			vm_retire $LB_TUNRS "$backend" || { report "FAIL $backend/kernel-log: guest $LB_TUNRS"; failed=$((failed + 1)); }
		fi
	done
	for g in $LB $LB_TUNRS; do
		vm_retire $g "$backend" || { report "FAIL $backend/kernel-log: guest $g"; failed=$((failed + 1)); }
	done
done

# Side by side. The fair ratio comes from 81-fwdcost: both modules in one
# guest, alternating rounds, so host load hits both alike. The ratio of the
# separate boots of 80-sidebyside is kept under its own name: it swings
# with the host's load between the two boots.
bench_of() { sed -n "s/^BENCH $1=\([0-9.]*\).*/\1/p" "$VM_RUNLOG/bench.txt" | tail -n1; }
fair_rps=$(bench_of pccvs_fwd_vs_ipvs_rps_ratio)
fair_cpu=$(bench_of pccvs_fwd_vs_ipvs_cpu_ratio)
[ -n "$fair_rps" ] && echo "BENCH pccvs_vs_ipvs_rps_ratio=$fair_rps ratio (81-fwdcost, one guest, alternating rounds)" |
	tee -a "$VM_RUNLOG/bench.txt"
[ -n "$fair_cpu" ] && echo "BENCH pccvs_vs_ipvs_cpu_per_req_ratio=$fair_cpu ratio (81-fwdcost)" |
	tee -a "$VM_RUNLOG/bench.txt"
ipvs_rps=$(bench_of ipvs_rps)
pccvs_rps=$(bench_of pccvs_rps)
if [ -n "$ipvs_rps" ] && [ -n "$pccvs_rps" ]; then
	echo "BENCH sidebyside_separate_boots_rps_ratio=$(awk -v a="$pccvs_rps" -v b="$ipvs_rps" 'BEGIN { printf "%.3f", a / b }') ratio" |
		tee -a "$VM_RUNLOG/bench.txt"
fi
cp "$VM_RUNLOG/bench.txt" "$VM_LOGS/vm-bench.txt"

echo
echo "=== vm: $passed passed, $failed failed, $skipped skipped in $(($(date +%s) - t_start)) s"
[ "$skipped" -gt 0 ] && echo "vm: skipped cases count neither as passed nor as failed:" &&
	grep '^SKIP ' "$VM_RUNLOG/verdicts.txt" | sed 's/: .*//' | awk '{print $2}' | cut -d/ -f1 | sort | uniq -c |
	while read -r n b; do echo "vm:   $b: $n skipped ($(grep -m1 "^SKIP $b/" "$VM_RUNLOG/verdicts.txt" | sed 's/^[^:]*: //'))"; done
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
