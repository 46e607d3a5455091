#!/bin/bash
# Side by side with IPVS: the same persistent DR service and the same
# traffic for every backend; reports persistence, requests per second,
# director CPU per request (guest /proc/stat around the run) and kernel
# memory per connection and per template (IPVS: the ip_vs_conn slab, guests
# boot with slab_nomerge; pccvs: "pccvsadm --info"). run-vm.sh prints
# BENCH pccvs_vs_ipvs_rps_ratio once both backends have run.
# cases: figures
. "$(dirname "$0")/../lib/scenario.sh"
CONNS=${SBS_CONNS:-10}   # per client; 200 clients
PAR=${SBS_PARALLEL:-64}

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
		adm --info | tee "$SC_OUT/info.txt" | awk '/connection table/ { cb = $(NF - 3) } /template table/ { tb = $(NF - 3) }
			$1 == "connections" { c = $2 } $1 == "templates" { t = $2 }
			END { print cb, tb, c + 0, t + 0 }'
		;;
	esac
}

rs_mode_all dr
script="$ADM -A -t $VIP4:80 -s wrr -p 300"
for r in "${RS4[@]}"; do script+=" && $ADM -a -t $VIP4:80 -r $r:80 -g -w 1"; done
adm_reset && on_lb "$script" || { fail figures "cannot configure the service"; exit 1; }

read -r _ _ nconn0 ntpl0 <<<"$(mem_figures)"
cpu0=$(on_lb "head -n1 /proc/stat")
t0=$(date +%s%3N)
probe b --src "$(clients4 1 200)" --to "$VIP4:80" --conns "$CONNS" --parallel "$PAR" --timeout 5000
t1=$(date +%s%3N)
cpu1=$(on_lb "head -n1 /proc/stat")
read -r conn_b tpl_b nconn ntpl <<<"$(mem_figures)"
nconn=$((nconn - nconn0)) ntpl=$((ntpl - ntpl0)) # entries this run added
# The service's connection counter, once it has caught up (IPVS folds its
# per-cpu counters in every 2 s): proof that the traffic went through it.
on_lb "for i in \$(seq 100); do
		$ADM -L -n --stats >/tmp/stats.txt 2>&1
		n=\$(awk '\$1 == \"TCP\" { print \$3; exit }' /tmp/stats.txt)
		[ \"\${n:-0}\" -ge $((200 * CONNS)) ] && break
		sleep 0.1
	done; cat /tmp/stats.txt" >"$SC_OUT/stats.txt" 2>&1
stats_conns=$(awk '$1 == "TCP" { print $3; exit }' "$SC_OUT/stats.txt")

res=$SC_OUT/b.res
ok=$(rget "$res" ok)
total=$((200 * CONNS))
rps=$(awk -v n="$ok" -v ms="$((t1 - t0))" 'BEGIN { printf "%.0f", n * 1000 / ms }')
# busy = user nice system irq softirq steal; jiffies are 10 ms (USER_HZ 100)
read -r busy all <<<"$(echo "$cpu0" "$cpu1" | awk '{
	b0 = $2 + $3 + $4 + $7 + $8 + $9; a0 = b0 + $5 + $6
	b1 = $13 + $14 + $15 + $18 + $19 + $20; a1 = b1 + $16 + $17
	print b1 - b0, a1 - a0 }')"
cpu_us=$(awk -v b="$busy" -v n="$ok" 'BEGIN { printf "%.1f", n ? b * 10000 / n : 0 }')
cpu_pct=$(awk -v b="$busy" -v a="$all" 'BEGIN { printf "%.1f", a ? 100 * b / a : 0 }')

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
