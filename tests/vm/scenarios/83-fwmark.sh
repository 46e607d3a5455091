#!/bin/bash
# Fwmark services with the mark set where firewalls set it: an nftables
# chain at priority mangle in PREROUTING (iptables' mangle table) marks the
# first clients' connections to VIP:80; those go to the fwmark service (all
# three real servers), the others to the VIP:80 service (r1 only): the mark
# wins, as in IPVS. IPv4 and IPv6. With the fwmark services gone every flow
# goes to VIP:80 again, and pccvs's hook after mangle is not called any more
# (counted with a kprobe on it).
# cases: mark4 mark6 unmarked hookless
. "$(dirname "$0")/../lib/scenario.sh"

on_lb "command -v nft" >/dev/null || {
	for c in mark4 mark6 unmarked hookless; do skip $c "nft not installed (deploy/deps.sh)"; done
	exit 0
}
rs_mode_all dr
script="$ADM -A -t $VIP4:80 -s rr && $ADM -a -t $VIP4:80 -r ${RS4[0]}:80 -g &&
	$ADM -A -t [$VIP6]:80 -s rr && $ADM -a -t [$VIP6]:80 -r [${RS6[0]}]:80 -g &&
	$ADM -A -f 5 -s rr && $ADM -A -f 6 -6 -s rr"
# A fwmark service's DR real server has no port: ipvsadm wants one with an
# IPv6 address (and ignores it), pccvsadm none.
p6=
[ "$BACKEND" = ipvs ] && p6=:80
for i in 0 1 2; do
	script+=" && $ADM -a -f 5 -r ${RS4[i]} -g && $ADM -a -f 6 -6 -r [${RS6[i]}]$p6 -g"
done
adm_reset && on_lb "$script" || { fail mark4 "cannot configure"; exit 1; }
on_lb "modprobe -a nfnetlink nf_tables && nft -f - <<'EOF'
table inet pccvs_test {
	chain pre {
		type filter hook prerouting priority mangle; policy accept;
		ip saddr 198.51.100.1-198.51.100.20 ip daddr $VIP4 tcp dport 80 meta mark set 5
		ip6 saddr 2001:db8:c::1-2001:db8:c::14 ip6 daddr $VIP6 tcp dport 80 meta mark set 6
	}
}
EOF" || { fail mark4 "cannot add the nftables mangle chain"; exit 1; }
# pccvs: calls of the hook after mangle, counted by a kprobe (kp_on starts
# from 0, kp_hits reads, kp_off removes it).
KT=/sys/kernel/tracing
kp_on() {
	on_lb "mount -t tracefs nodev $KT 2>/dev/null; cd $KT && echo 'p:pccvs_test/mark pccvs_mark_hook' >>kprobe_events &&
		echo 1 >events/pccvs_test/mark/enable"
}
kp_off() { on_lb "cd $KT && echo 0 >events/pccvs_test/mark/enable; echo '-:pccvs_test/mark' >>kprobe_events" 2>/dev/null; }
kp_hits() { on_lb "awk '\$1 == \"mark\" { print \$2 }' $KT/kprobe_profile"; }
trap 'on_lb "nft delete table inet pccvs_test" >/dev/null 2>&1; [ "$BACKEND" = pccvs ] && kp_off >/dev/null' EXIT
[ "$BACKEND" = pccvs ] && { kp_on || fail hookless "cannot set a kprobe on pccvs_mark_hook"; }

probe m4 --src "$(clients4 1 20)" --to "$VIP4:80" --conns 3
probe m6 --src "$(clients6 1 20)" --to "[$VIP6]:80" --conns 3
probe u4 --src "$(clients4 21 40)" --to "$VIP4:80" --conns 3
[ "$BACKEND" = pccvs ] && result mark_hook_calls_with "$(kp_hits)" && kp_off
servers_seen "$SC_OUT/m4.conns" >"$SC_OUT/m4.servers"
servers_seen "$SC_OUT/u4.conns" >"$SC_OUT/u4.servers"
check mark4 "[ '$(rget "$SC_OUT/m4.res" ok)' = 60 ] && [ \$(wc -l <'$SC_OUT/m4.servers') = 3 ]" \
	"marked IPv4: $(rget "$SC_OUT/m4.res" ok)/60 answered, by $(paste -sd, "$SC_OUT/m4.servers")"
check mark6 "[ '$(rget "$SC_OUT/m6.res" ok)' = 60 ] && [ \$(servers_seen '$SC_OUT/m6.conns' | wc -l) = 3 ]" \
	"marked IPv6: $(rget "$SC_OUT/m6.res" ok)/60 answered, by $(servers_seen "$SC_OUT/m6.conns" | paste -sd,)"
check unmarked "[ '$(rget "$SC_OUT/u4.res" ok)' = 60 ] && [ \"\$(cut -d' ' -f1 '$SC_OUT/u4.servers')\" = r1 ]" \
	"unmarked: $(rget "$SC_OUT/u4.res" ok)/60 answered, by $(paste -sd, "$SC_OUT/u4.servers")"

# Without fwmark services the marked clients go to VIP:80 (r1), and pccvs
# takes its hook after mangle away.
on_lb "$ADM -D -f 5 && $ADM -D -f 6 -6" || fail hookless "cannot delete the fwmark services"
[ "$BACKEND" = pccvs ] && kp_on
probe h4 --src "$(clients4 1 20)" --to "$VIP4:80" --conns 2
hooks=0
[ "$BACKEND" = pccvs ] && hooks=$(kp_hits) && result mark_hook_calls_without "$hooks"
check hookless "[ '$(rget "$SC_OUT/h4.res" ok)' = 40 ] && [ \"\$(servers_seen '$SC_OUT/h4.conns' | cut -d' ' -f1)\" = r1 ] &&
	[ '$hooks' = 0 ]" \
	"$(rget "$SC_OUT/h4.res" ok)/40 answered, by $(servers_seen "$SC_OUT/h4.conns" | paste -sd,), hook after mangle called $hooks times"
adm_reset
