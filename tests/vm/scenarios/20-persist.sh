#!/bin/bash
# Persistence: 200 client addresses x 5 connections each through a
# persistent DR service with weights 1/2/3: every client stays on one real
# server, and the clients spread over the servers as the weights say
# (each server's share of clients within PERSIST_TOL of weight/sum).
# cases: sticky weights
. "$(dirname "$0")/../lib/scenario.sh"
TOL=${PERSIST_TOL:-0.08}
W=(1 2 3)

rs_mode_all dr
script="$ADM -A -t $VIP4:80 -s wrr -p 300"
for i in 0 1 2; do script+=" && $ADM -a -t $VIP4:80 -r ${RS4[i]}:80 -g -w ${W[i]}"; done
adm_reset && on_lb "$script" || { fail sticky "cannot configure the service"; fail weights "-"; exit 1; }

t0=$(date +%s%3N)
probe p --src "$(clients4 1 200)" --to "$VIP4:80" --conns 5 --parallel 32 --timeout 5000
ms=$(($(date +%s%3N) - t0))
res=$SC_OUT/p.res
ok=$(rget "$res" ok) conns=$(rget "$res" conns) sticky=$(rget "$res" sticky_pct) srcs=$(rget "$res" sources)
result conns "$conns"
result ok "$ok"
result sticky_pct "$sticky"
result conns_per_s "$((ok * 1000 / (ms + 1)))"
check sticky "[ '$ok' = 1000 ] && [ '$sticky' = 100.0 ]" "$ok of 1000 answered, sticky_pct=$sticky"

sum=$((W[0] + W[1] + W[2])) bad=
for i in 0 1 2; do
	n=$(rget "$res" "sources_r$((i + 1))")
	share=$(awk -v n="${n:-0}" -v t="${srcs:-1}" 'BEGIN { printf "%.3f", n / t }')
	want=$(awk -v w="${W[i]}" -v s="$sum" 'BEGIN { printf "%.3f", w / s }')
	result "share_r$((i + 1))" "$share"
	result "share_r$((i + 1))_want" "$want"
	awk -v a="$share" -v b="$want" -v t="$TOL" 'BEGIN { d = a - b; exit !(d <= t && -d <= t) }' ||
		bad+=" r$((i + 1)):$share(want $want)"
done
check weights "[ -z '$bad' ] && [ '$srcs' = 200 ]" "shares off by more than $TOL:$bad (sources $srcs)"
adm_reset
