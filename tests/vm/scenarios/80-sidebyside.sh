#!/bin/bash
# Side by side with IPVS: the same persistent DR service and the same
# traffic for every backend; reports persistence, requests per second,
# director CPU per request (guest /proc/stat around the run) and kernel
# memory per connection and per template (IPVS: the ip_vs_conn slab, guests
# boot with slab_nomerge; pccvs: "pccvsadm --info"). run-vm.sh prints
# BENCH sidebyside_separate_boots_rps_ratio once both backends have run
# (the fair ratio, pccvs_vs_ipvs_rps_ratio, comes from 81-fwdcost).
# Measured in steady state: a warm-up connection per client first (it
# creates the templates), then SBS_REPS probes; the figures are their
# medians. The CPU of a probe is the guest's busy time (monotonic time
# minus idle time, /proc/timer_list) over its window, minus that of an
# idle window of the same length measured the same way right after it
# (the two commands reading the counters cost about as much under TCG as
# a thousand requests). The backends still run in separate boots, minutes
# apart: on a shared host the ratio varies from run to run; 81-fwdcost
# compares them in one boot, interleaved.
# cases: figures
. "$(dirname "$0")/../lib/scenario.sh"
CONNS=${SBS_CONNS:-10}   # per client and probe; 200 clients
PAR=${SBS_PARALLEL:-64}
REPS=${SBS_REPS:-3}

# Prints "conn_bytes tpl_bytes conns tpls" for the backend. IPVS keeps
# templates in the connection table (client port 0), same slab; entries of
# earlier scenarios linger, so only this service's are counted, and the
# figures are taken before and after the run.
mem_figures() {
	local vip_hex
	vip_hex=$(printf '%02X' ${VIP4//./ })
	case $BACKEND in
	ipvs)
		on_lb "sz=\$(cat /sys/kernel/slab/ip_vs_conn/slab_size)
			awk -v sz=\$sz 'FNR > 1 && \$4 == \"$vip_hex\" && \$5 == \"0050\" {
				if (\$3 == \"0000\") t++; else c++ }
				END { print sz, sz, c + 0, t + 0 }' /proc/net/ip_vs_conn"
		;;
	pccvs)
		# the same metric as for IPVS: the slab's bytes per object
		# (guests boot with slab_nomerge, so the caches are our own)
		local slabs
		slabs=$(on_lb "cat /sys/kernel/slab/pccvs_conn/slab_size /sys/kernel/slab/pccvs_tpl/slab_size" | tr '\n' ' ')
		adm --info | tee "$SC_OUT/info.txt" | awk -v slabs="$slabs" '/connection table/ { cb = $(NF - 3) } /template table/ { tb = $(NF - 3) }
			$1 == "connections" { c = $2 } $1 == "templates" { t = $2 }
			END { n = split(slabs, s, " "); if (n == 2) { cb = s[1]; tb = s[2] }
				print cb, tb, c + 0, t + 0 }'
		;;
	esac
}

rs_mode_all dr
script="$ADM -A -t $VIP4:80 -s wrr -p 300"
for r in "${RS4[@]}"; do script+=" && $ADM -a -t $VIP4:80 -r $r:80 -g -w 1"; done
adm_reset && on_lb "$script" || { fail figures "cannot configure the service"; exit 1; }

read -r _ _ nconn0 ntpl0 <<<"$(mem_figures)"
probe w --src "$(clients4 1 200)" --to "$VIP4:80" --conns 1 --parallel "$PAR" --timeout 5000
# busy and elapsed guest time in ms, and the host window in ms, of a
# command run on the host between two readings of the guest's clock
busy_ms='awk '"'"'/^now at/ { n = $3 } /idle_sleeptime/ { i += $3 } END { printf "%d %d\n", (n - i) / 1e6, n / 1e6 }'"'"' /proc/timer_list'
window() {
	local g0 g1 t0 t1
	g0=$(on_lb "$busy_ms") t0=$(date +%s%3N)
	eval "$1"
	t1=$(date +%s%3N) g1=$(on_lb "$busy_ms")
	echo "$g0 $g1 $((t1 - t0))" | awk '{ print $3 - $1, $4 - $2, $5 }'
}
: >"$SC_OUT/reps.txt"
ok=0
for ((i = 1; i <= REPS; i++)); do
	read -r lb le lms <<<"$(window "probe b$i --src '$(clients4 1 200)' --to '$VIP4:80' --conns $CONNS --parallel $PAR --timeout 5000")"
	read -r ib ie _ <<<"$(window "sleep $(awk -v ms="$lms" 'BEGIN { printf "%.3f", ms / 1000 }')")"
	n=$(rget "$SC_OUT/b$i.res" ok)
	ok=$((ok + ${n:-0}))
	echo "$i ${n:-0} $lms $lb $le $ib $ie" >>"$SC_OUT/reps.txt"
done
read -r conn_b tpl_b nconn ntpl <<<"$(mem_figures)"
nconn=$((nconn - nconn0)) ntpl=$((ntpl - ntpl0)) # entries this run added
total=$((REPS * 200 * CONNS))
# The service's connection counter, once it has caught up (IPVS folds its
# per-cpu counters in every 2 s): proof that the traffic went through it.
on_lb "for i in \$(seq 100); do
		$ADM -L -n --stats >/tmp/stats.txt 2>&1
		n=\$(awk '\$1 == \"TCP\" { print \$3; exit }' /tmp/stats.txt)
		[ \"\${n:-0}\" -ge $total ] && break
		sleep 0.1
	done; cat /tmp/stats.txt" >"$SC_OUT/stats.txt" 2>&1
stats_conns=$(awk '$1 == "TCP" { print $3; exit }' "$SC_OUT/stats.txt")

res=$SC_OUT/b$REPS.res
med() { sort -n | awk '{ a[NR] = $1 } END { if (NR) print NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
# per probe: rps, busy % of the window, net busy us per request
awk '{ printf "%.0f %.1f %.1f\n", $2 * 1000 / $3, $5 ? 100 * $4 / $5 : 0, $2 ? ($4 - $6) * 1000 / $2 : 0 }' \
	"$SC_OUT/reps.txt" >"$SC_OUT/reps.fig"
rps=$(awk '{ print $1 }' "$SC_OUT/reps.fig" | med)
cpu_pct=$(awk '{ print $2 }' "$SC_OUT/reps.fig" | med)
cpu_us=$(awk '{ print $3 }' "$SC_OUT/reps.fig" | med)

result requests "$ok/$total"
result sticky_pct "$(rget "$res" sticky_pct)"
result rps "$rps"
result guest_cpu_pct "$cpu_pct"
result cpu_us_per_req "$cpu_us"
result conn_bytes "$conn_b"
result tpl_bytes "$tpl_b"
result stats_conns "$stats_conns"
result conns_in_table "$nconn"
result templates_in_table "$ntpl"
bench rps "$rps" req/s
bench cpu_us_per_req "$cpu_us" us
bench conn_bytes "$conn_b" bytes
bench tpl_bytes "$tpl_b" bytes
check figures "[ '$ok' = $total ] && [ '$(rget "$res" sticky_pct)' = 100.0 ] && [ -n '$conn_b' ] &&
	[ '$ntpl' = 200 ] && [ '${stats_conns:-0}' -ge $total ]" \
	"$ok of $total answered, sticky $(rget "$res" sticky_pct), $ntpl templates (want 200), conn size '$conn_b', service counted '$stats_conns' connections"
adm_reset
