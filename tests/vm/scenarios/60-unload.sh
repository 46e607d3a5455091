#!/bin/bash
# Module unload and reload while traffic runs: with IPv4 and IPv6 services,
# connections and templates in the tables and requests and streams arriving,
# the module is unloaded (pccvs: rmmod as it is, services and all; IPVS: its
# services must be cleared first, `ipvsadm -C`, then modprobe -r), loaded
# again, and must come back empty (no services, connections or templates;
# pccvs: --info counts zero), then forward again once reconfigured. The
# kernel log is scanned by the framework (oops, WARNING, leaks...).
# cases: unload clean forward
. "$(dirname "$0")/../lib/scenario.sh"

rs_mode_all dr
script="$ADM -A -t $VIP4:80 -s rr -p 300 && $ADM -A -t [$VIP6]:80 -s wlc"
for i in 0 1 2; do
	script+=" && $ADM -a -t $VIP4:80 -r ${RS4[i]}:80 -g && $ADM -a -t [$VIP6]:80 -r [${RS6[i]}]:80 -g"
done
adm_reset && on_lb "$script" || { for c in unload clean forward; do fail $c "cannot configure"; done; exit 1; }

log=$SC_OUT/load.log
pid=$(ns_spawn c "$SC_OUT/load.out" "$PCCT" load --src "$(clients4 1 40),$(clients6 1 40)" \
	--to "$VIP4:80,[$VIP6]:80" --rate 40 --streams 6 --interval 100ms --timeout 1000 --duration 60s --log "$log")
vm_poll 20 "[ \$(cat '$log' 2>/dev/null | grep -c ' open ') -ge 6 ] && [ \$(grep -c '^R .* ok ' '$log') -ge 60 ]" ||
	{ vm_kill_spawned "$pid"; for c in unload clean forward; do fail $c "the load did not get going"; done; exit 1; }
before=$(on_lb "$ADM -L -n | grep -c -- '-> [0-9[]'; $ADM -L -c -n | grep -c ESTABLISHED" | paste -sd/ -)
result before_dests_conns "$before"

# Unload under load; packets keep arriving while the module is gone and
# while it is loaded again (they meet the local stack: no service).
case $BACKEND in
pccvs)
	result templates_before "$(adm --info -o json | sed -n 's/.*"tpl_count": *\([0-9]*\).*/\1/p')"
	unload="rmmod pccvs"
	gone="[ ! -e /sys/module/pccvs ]"
	;;
ipvs)
	unload="ipvsadm -C && modprobe -r ip_vs_rr ip_vs_wrr ip_vs_wlc ip_vs_sh ip_vs"
	gone="[ ! -e /sys/module/ip_vs ]"
	;;
esac
out=$(on_lb "t0=\${EPOCHREALTIME/./}; $unload; rc=\$?; echo \"rc=\$rc ms=\$(((\${EPOCHREALTIME/./} - t0) / 1000))\"
	$gone && echo gone; sleep 1; $(backend_load_cmd "$BACKEND") && echo loaded" 2>&1)
echo "$out" >"$SC_OUT/unload.txt"
rc=$(echo "$out" | sed -n 's/^rc=\([0-9]*\).*/\1/p')
result unload_ms "$(echo "$out" | sed -n 's/.* ms=//p')"
check unload "[ '$rc' = 0 ] && echo '$out' | grep -qx gone && echo '$out' | grep -qx loaded" \
	"unload/reload: $(echo "$out" | tr '\n' ' ')"

# Clean: nothing survived the reload (the traffic still arrives).
saved=$(adm -S -n | grep -c .)
conns=$(adm -L -c -n | grep -c -E '^(TCP|UDP|SCTP) ')
counts=-
if [ "$BACKEND" = pccvs ]; then
	tpls=$(adm -L --templates -n | grep -c -E '^(TCP|UDP|SCTP|FWM) ')
	counts=$(adm --info -o json | /usr/bin/python3 -c \
		'import json, sys; i = json.load(sys.stdin); print("%(svc_count)d/%(conn_count)d/%(tpl_count)d" % i)')
	result info_svc_conn_tpl "$counts"
	want_counts=0/0/0
else
	tpls=0 want_counts=-
fi
result saved_lines "$saved"
result conns_listed "$conns"
result templates_listed "$tpls"
check clean "[ $saved = 0 ] && [ $conns = 0 ] && [ $tpls = 0 ] && [ '$counts' = $want_counts ]" \
	"after the reload: $saved lines of -S, $conns connections, $tpls templates, info $counts"

vm_kill_spawned "$pid"
vm_poll 10 "[ ! -d /proc/$pid ]" || vm_kill_spawned "$pid" -KILL
# what the clients saw while the module was away (not judged: the VIP is
# the director's own address then, and its stack answers RST)
"$PCCT" analyse "$log" >"$SC_OUT/analyse.res"
result load_requests_ok "$(rget "$SC_OUT/analyse.res" ok)/$(rget "$SC_OUT/analyse.res" requests)"

# Forwarding again, once reconfigured.
on_lb "$script" || { fail forward "cannot configure after the reload"; exit 1; }
probe p4 --src "$(clients4 41 60)" --to "$VIP4:80" --conns 2 --parallel 8 --timeout 3000
probe p6 --src "$(clients6 41 60)" --to "[$VIP6]:80" --conns 2 --parallel 8 --timeout 3000
ok4=$(rget "$SC_OUT/p4.res" ok) ok6=$(rget "$SC_OUT/p6.res" ok)
s4=$(servers_seen "$SC_OUT/p4.conns" | wc -l) s6=$(servers_seen "$SC_OUT/p6.conns" | wc -l)
result forward_ok "$ok4+$ok6/80"
check forward "[ '$ok4' = 40 ] && [ '$ok6' = 40 ] && [ $s4 = 3 ] && [ $s6 = 3 ] &&
	[ '$(rget "$SC_OUT/p4.res" sticky_pct)' = 100.0 ]" \
	"$ok4 of 40 IPv4 and $ok6 of 40 IPv6 requests answered, by $s4 and $s6 servers, sticky $(rget "$SC_OUT/p4.res" sticky_pct)"
adm_reset
