#!/bin/bash
# Forwarding cost of pccvs against IPVS, measured fairly: both modules in
# the same guest boot (each registers its hooks only while it has a
# service), the side-by-side service (persistent, DR, three real servers)
# and load (short connections from 200 clients), rounds alternating the
# order (ABBA), a warm-up before each measured load, and per round the
# cost of the measurement itself (the two commands that read the counters)
# and the idle rate subtracted. CPU is the host's CPU time of the qemu
# process (schedstat): under TCG the guest's own accounting counts wall
# time, including the time its vCPU thread waits for a host CPU. Reports
# per-round ratios pccvs/IPVS (median) of requests/s and CPU per request.
# Runs in the pccvs boot (it loads ip_vs beside pccvs.ko).
# cases: cost
. "$(dirname "$0")/../lib/scenario.sh"
CONNS=${FWD_CONNS:-15}	# per client and round; 200 clients
PAR=${FWD_PARALLEL:-64}
ROUNDS=${FWD_ROUNDS:-4}
IDLE_S=${FWD_IDLE_S:-2}

if [ "$BACKEND" != pccvs ]; then
	skip cost "compares both backends within the pccvs boot"
	exit 0
fi
P=$ADM
qpid=$(cat "$VM_STATE/$LB.qpid" 2>/dev/null || vm_pid "$LB")
[ -r "/proc/$qpid/schedstat" ] || { fail cost "no qemu process for $LB"; exit 1; }
on_lb "modprobe -a ip_vs ip_vs_wrr && ipvsadm -C" || { fail cost "cannot load ip_vs"; exit 1; }

# The qemu process's CPU time, all threads, in microseconds.
qemu_us() { cat /proc/"$qpid"/task/*/schedstat 2>/dev/null | awk '{ s += $1 } END { printf "%d\n", s / 1000 }'; }
# The guest's busy time in microseconds (monotonic now minus idle time).
guest_busy='awk '"'"'/^now at/ { n = $3 } /idle_sleeptime/ { i += $3 } END { printf "%d\n", (n - i) / 1000 }'"'"' /proc/timer_list'

configure() {
	local a=$1 s
	s="ipvsadm -C; $P -C; $a -A -t $VIP4:80 -s wrr -p 300"
	for r in "${RS4[@]}"; do s+=" && $a -a -t $VIP4:80 -r $r:80 -g -w 1"; done
	on_lb "$s"
}

# measure NAME 'host command': prints "ms qemu_us guest_us" of the window.
measure() {
	local g0 g1 q0 q1 t0 t1
	g0=$(on_lb "$guest_busy") q0=$(qemu_us) t0=$(date +%s%3N)
	eval "$2"
	t1=$(date +%s%3N) q1=$(qemu_us) g1=$(on_lb "$guest_busy")
	echo "$((t1 - t0)) $((q1 - q0)) $((g1 - g0))"
}

load() {
	probe "$1" --src "$(clients4 1 200)" --to "$VIP4:80" --conns "$2" --parallel "$PAR" --timeout 5000
}

: >"$SC_OUT/rounds.txt"
okall=1
for ((i = 1; i <= ROUNDS; i++)); do
	# the measurement's own cost, and the idle rate, once per round
	read -r fm fq fg <<<"$(measure f0 :)"
	read -r im iq ig <<<"$(measure idle "sleep $IDLE_S")"
	order="ipvs pccvs"
	((i % 2 == 0)) && order="pccvs ipvs"
	for b in $order; do
		a=$([ "$b" = ipvs ] && echo ipvsadm || echo "$P")
		configure "$a" >/dev/null || { fail cost "cannot configure $b"; okall=0; continue; }
		load "$b-warm-$i" 1
		read -r lm lq lg <<<"$(measure load "load $b-$i $CONNS")"
		ok=$(rget "$SC_OUT/$b-$i.res" ok)
		sticky=$(rget "$SC_OUT/$b-$i.res" sticky_pct)
		[ "$ok" = $((200 * CONNS)) ] && [ "$sticky" = 100.0 ] || okall=0
		echo "$i $b ok=${ok:-0} sticky=$sticky ms=$lm qemu_us=$lq guest_us=$lg f_qemu_us=$fq f_guest_us=$fg" \
			"idle_ms=$im idle_qemu_us=$iq idle_guest_us=$ig" >>"$SC_OUT/rounds.txt"
	done
done
on_lb "ipvsadm -C; $P -C; modprobe -r ip_vs_wrr ip_vs" >/dev/null

# Per round and backend: rps, and the net CPU per request: the window's
# CPU minus the measurement's cost minus the idle rate over the window.
awk '{ for (k = 3; k <= NF; k++) { split($k, kv, "="); v[kv[1]] = kv[2] }
	ir = (v["idle_qemu_us"] - v["f_qemu_us"]) / v["idle_ms"]; if (ir < 0) ir = 0
	gr = (v["idle_guest_us"] - v["f_guest_us"]) / v["idle_ms"]; if (gr < 0) gr = 0
	n = v["ok"] ? v["ok"] : 1
	printf "%s %s %.1f %.1f %.1f\n", $1, $2, v["ok"] * 1000 / v["ms"],
		(v["qemu_us"] - v["f_qemu_us"] - ir * v["ms"]) / n, (v["guest_us"] - v["f_guest_us"] - gr * v["ms"]) / n
}' "$SC_OUT/rounds.txt" >"$SC_OUT/net.txt"
med() { sort -n | awk '{ a[NR] = $1 } END { if (NR) printf "%.3f\n", NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
col() { awk -v b="$1" -v c="$2" '$2 == b { print $c }' "$SC_OUT/net.txt" | med; }
ratio() { # per-round pccvs/ipvs of column $1, median
	awk -v c="$1" '{ x[$1, $2] = $c; r[$1] = 1 } END { for (i in r) if (x[i, "ipvs"] > 0) print x[i, "pccvs"] / x[i, "ipvs"] }' \
		"$SC_OUT/net.txt" | med
}
for b in ipvs pccvs; do
	result ${b}_rps "$(col $b 3)"
	result ${b}_qemu_us_per_req "$(col $b 4)"
	result ${b}_guest_us_per_req "$(col $b 5)"
	bench fwd_${b}_rps "$(col $b 3)" req/s
	bench fwd_${b}_cpu_us_per_req "$(col $b 4)" us
done
result rps_ratio "$(ratio 3)"
result cpu_ratio "$(ratio 4)"
bench fwd_vs_ipvs_rps_ratio "$(ratio 3)" ratio
bench fwd_vs_ipvs_cpu_ratio "$(ratio 4)" ratio
check cost "[ $okall = 1 ] && [ -s '$SC_OUT/net.txt' ]" "some requests failed or lost affinity (see $SC_OUT/rounds.txt)"
adm_reset
