#!/bin/bash
# Bad input is refused, clearly, and changes nothing. Netlink: `nlprobe bad`
# (malformed and out-of-range attributes: the right errno and an extack
# message each) and `nlprobe unpriv` (without CAP_NET_ADMIN: changes and the
# event group refused, reading allowed), their summaries and some of their
# extack texts. CLI: representative bad arguments exit 2 with one line that
# quotes the bad token (or names the conflict); a -R input with bad lines
# applies nothing; an unprivileged pccvsadm is refused (exit 1) but may list.
# The configuration (-S) and the module's counts are the same before and
# after. pccvs only (nlprobe and these messages are pccvs's).
# cases: nlprobe_bad nlprobe_unpriv cli_bad cli_restore_bad cli_unpriv unchanged
. "$(dirname "$0")/../lib/scenario.sh"
CASES="nlprobe_bad nlprobe_unpriv cli_bad cli_restore_bad cli_unpriv unchanged"
NLPROBE=$VM_TOP/build/rel/tests/tools/nlprobe
if [ "$BACKEND" != pccvs ]; then
	for c in $CASES; do skip "$c" "pccvs only: its netlink family and its CLI messages"; done
	exit 0
fi

# nlprobe_run CASE MODE MIN EXTACK...: the summary "N passed, 0 failed"
# with N >= MIN, exit 0, and each EXTACK text among its extack lines.
nlprobe_run() {
	local c=$1 mode=$2 min=$3 out sum p f miss='' t rc
	shift 3
	out=$(on_lb "$NLPROBE $mode")
	rc=$?
	echo "$out" >"$SC_OUT/nlprobe-$mode.txt"
	sum=$(echo "$out" | grep -E '^[0-9]+ passed, [0-9]+ failed$' | tail -n1)
	p=${sum%% passed*} f=${sum#*passed, } f=${f%% failed}
	for t in "$@"; do echo "$out" | grep -q "^   extack: .*$t" || miss+=" '$t'"; done
	result "$c.summary" "${sum:-none}"
	result "$c.extack_lines" "$(echo "$out" | grep -c '^   extack: ')"
	check "$c" "[ $rc = 0 ] && [ -n '$sum' ] && [ '$f' = 0 ] && [ '${p:-0}' -ge $min ] && [ -z '${miss:+x}' ]" \
		"exit $rc, summary '${sum:-none}' (want >= $min passed, 0 failed), \
extack texts missing:${miss:- none}; $(echo "$out" | grep -m3 '^FAIL' | tr '\n' ' ')"
}

state() { on_lb "$ADM -S -n; $ADM --info -o json | grep -E '\"(svc|conn|tpl)_count\"'"; }

rs_mode_all dr
adm_reset && on_lb "$ADM -A -t $VIP4:80 -s rr -p 300 --pgroup web && $ADM -a -t $VIP4:80 -r ${RS4[0]} -g &&
	$ADM -A -t [$VIP6]:443 -s wlc && $ADM -a -t [$VIP6]:443 -r [${RS6[0]}] -m -w 3" ||
	{ for c in $CASES; do fail "$c" "cannot configure"; done; exit 1; }
before=$(state)
echo "$before" >"$SC_OUT/state-before.txt"

nlprobe_run nlprobe_bad bad 31 "NLA_F_NESTED is missing" "service (PCCVS_A_SVC) missing" \
	"attribute is reported, never set" "Unknown attribute type" "address length does not match" \
	"integer out of range" "unknown scheduler" "no such service"
nlprobe_run nlprobe_unpriv unpriv 7 "Operation not permitted" "needs CAP_NET_ADMIN"

# CLI: "ARGS|TEXT": exit 2, one line on stderr, nothing on stdout, TEXT in it
# (the bad token, quoted as `token', or the conflict).
V=$VIP4
cli_cases=(
	"-A -t $V:8080 -s foo|unknown scheduler \`foo'"
	"-A -t $V:99999|invalid port \`99999'"
	"-a -t $V:80 -r ${RS4[1]} -w 70000|invalid weight \`70000'"
	"-A -t 300.1.1.1:80|\`300.1.1.1'"
	"-A -t [2001:db8::zz]:80|\`2001:db8::zz'"
	"-A -t $V:8080 --bogus|unknown option \`--bogus'"
	"-A -t $V:8080 -p 99999999|invalid persistence timeout \`99999999'"
	"-A -t $V:8080 -p --pgroup bad/name|invalid port group \`bad/name'"
	"-A -f 4294967296|invalid firewall mark \`4294967296'"
	"-A -t $V:8080 -p -M 255.255.0.255|invalid netmask \`255.255.0.255'"
	"-A -t $V:8080 -p 300 -M 33|invalid netmask \`33'"
	"-A -t $V:8080 -s rr -o|one-packet scheduling"
	"--set 1 2 x|invalid udp timeout \`x'"
	"--set-limits 1 99999999999|invalid tpl_max \`99999999999'"
	"-a -t $V:80 -r ${RS4[1]}:81 -g|port 81 differs from the service port 80"
	"-A -t $V:0 -s rr|port 0 (every port) needs a persistent service"
	"-a -t $V:80 -r ${RS4[1]} -x 5 -y 9|lower threshold 9 is above the upper threshold 5"
	"-E -t 203.0.113.99:80 -s rr|no service TCP 203.0.113.99:80"
	"-A -t $V:80|service TCP $V:80 already exists"
	"-d -t $V:80 -r ${RS4[2]}|no real server ${RS4[2]}:80"
	"-A -u $V:53 -s sh -b mh-port|need the mh scheduler"
)
script=
for x in "${cli_cases[@]}"; do
	script+="$ADM ${x%%|*} >/tmp/o 2>/tmp/e; echo \"rc=\$? out=\$(wc -l </tmp/o) err=\$(wc -l </tmp/e) \$(cat /tmp/e)\"
"
done
on_lb "$script" >"$SC_OUT/cli-bad.txt" 2>&1
bad='' i=0
while IFS= read -r line; do
	x=${cli_cases[i]} i=$((i + 1))
	case $line in
	"rc=2 out=0 err=1 pccvsadm: "*"${x#*|}"*) ;;
	*) bad+=" [${x%%|*}: $line]" ;;
	esac
done <"$SC_OUT/cli-bad.txt"
nbad=$(echo "$bad" | grep -o '\[' | wc -l)
result cli_bad.refused_right "$((i - nbad))/${#cli_cases[@]}"
check cli_bad "[ $i = ${#cli_cases[@]} ] && [ $nbad = 0 ]" "$i answers for ${#cli_cases[@]} cases; wrong:$bad"

# -R with two bad lines among good ones: every bad line reported, exit 2,
# nothing applied (not even the good lines before them).
out=$(on_lb "$ADM -R <<'EOF' 2>&1; echo rc=\$?
-A -t $V:81 -s rr
-a -t $V:81 -r ${RS4[1]} -w 70000
-A -t $V:82 -s nope
-A -t $V:83 -s rr
EOF")
echo "$out" >"$SC_OUT/cli-restore-bad.txt"
result cli_restore_bad.lines "$(echo "$out" | grep -c '^pccvsadm')"
ok=0
echo "$out" | grep -qx rc=2 && echo "$out" | grep -q "\`70000'" && echo "$out" | grep -q "\`nope'" &&
	[ "$(on_lb "$ADM -S -n")" = "$(echo "$before" | grep -v _count)" ] && ok=1
check cli_restore_bad "[ $ok = 1 ]" "-R with bad lines: $(echo "$out" | tr '\n' ' ')"

# Unprivileged: refused with the reason (exit 1), listing allowed.
nobody="setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all"
out=$(on_lb "$nobody $ADM -A -t $V:8080 -s rr; echo rc=\$?; $nobody $ADM -C; echo rc=\$?
	$nobody $ADM -L -n | grep -c -- '-> [0-9[]'; echo rc=\$?" 2>&1)
echo "$out" >"$SC_OUT/cli-unpriv.txt"
ok=0
[ "$(echo "$out" | grep -c 'Operation not permitted')" = 2 ] && [ "$(echo "$out" | grep -c '^rc=1$')" = 2 ] &&
	[ "$(echo "$out" | tail -n2 | paste -sd' ')" = "2 rc=0" ] && ok=1
check cli_unpriv "[ $ok = 1 ]" "unprivileged: $(echo "$out" | tr '\n' ' ')"

after=$(state)
echo "$after" >"$SC_OUT/state-after.txt"
check unchanged '[ "$before" = "$after" ]' "the configuration or the counts changed: see $SC_OUT/state-{before,after}.txt"
adm_reset
