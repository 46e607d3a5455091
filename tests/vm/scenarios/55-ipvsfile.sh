#!/bin/bash
# A real `ipvsadm -S -n` file restores into pccvs: in the director, ip_vs is
# loaded and configured with ipvsadm (the set of data/cliconf.py without its
# port group: TCP/UDP/SCTP, IPv4/IPv6, firewall marks, port 0, persistence
# with netmasks, every scheduler and flag, DR/TUN/NAT, weights, thresholds),
# saved with `ipvsadm -S -n` and listed with `ipvsadm -L -n`, cleared and
# unloaded; then `pccvsadm -R` reads the file, and `pccvsadm -L -n` must list
# the same services and servers (compared without the version header line).
# Both listings are kept in the run's log directory and printed side by side.
# pccvs only (it runs IPVS itself, in the same guest).
# cases: restore listing
. "$(dirname "$0")/../lib/scenario.sh"
DATA=$(dirname "$0")/data
SCHEDS="ip_vs_rr ip_vs_wrr ip_vs_lc ip_vs_wlc ip_vs_sed ip_vs_nq ip_vs_sh ip_vs_mh"
if [ "$BACKEND" != pccvs ]; then
	for c in restore listing; do skip "$c" "pccvs only: restores an IPVS configuration into pccvs"; done
	exit 0
fi

adm_reset
/usr/bin/python3 "$DATA/cliconf.py" commands ipvsadm --ipvs >"$SC_OUT/ipvsadm-commands.sh"
out=$(on_lb "modprobe -a ip_vs $SCHEDS || exit 1
	$(sed 's/.*/& || echo "REFUSED: &"/' "$SC_OUT/ipvsadm-commands.sh")" 2>&1)
rc=$?
echo "$out" >"$SC_OUT/ipvsadm-commands.out"
on_lb "ipvsadm -S -n" >"$SC_OUT/ipvs.rules"
on_lb "ipvsadm -L -n" >"$SC_OUT/ipvsadm-L-n.txt"
on_lb "ipvsadm -C && modprobe -r $SCHEDS ip_vs && ! grep -q '^ip_vs' /proc/modules" >>"$SC_OUT/ipvsadm-commands.out" 2>&1 ||
	echo "ip_vs did not unload" >>"$SC_OUT/ipvsadm-commands.out"
result ipvs_commands "$(grep -c . "$SC_OUT/ipvsadm-commands.sh")"
result ipvs_refused "$(grep -c REFUSED "$SC_OUT/ipvsadm-commands.out")"
result rules_lines "$(grep -c . "$SC_OUT/ipvs.rules")"
if [ $rc != 0 ] || grep -q -e REFUSED -e 'did not unload' "$SC_OUT/ipvsadm-commands.out" || [ ! -s "$SC_OUT/ipvs.rules" ]; then
	fail restore "IPVS could not be configured: $(grep -m2 -e REFUSED -e 'did not' "$SC_OUT/ipvsadm-commands.out" | tr '\n' ' ')"
	fail listing "-"
	exit 1
fi

# The file as ipvsadm wrote it, unchanged.
on_lb "$ADM -R <<'EOF'
$(cat "$SC_OUT/ipvs.rules")
EOF" >"$SC_OUT/restore.out" 2>&1
rc=$?
adm -L -n >"$SC_OUT/pccvsadm-L-n.txt"
check restore "[ $rc = 0 ] && [ ! -s '$SC_OUT/restore.out' ]" "pccvsadm -R exit $rc: $(head -n3 "$SC_OUT/restore.out" | tr '\n' ' ')"

tail -n +2 "$SC_OUT/ipvsadm-L-n.txt" >"$SC_OUT/ipvsadm.body"
tail -n +2 "$SC_OUT/pccvsadm-L-n.txt" >"$SC_OUT/pccvsadm.body"
diff -u "$SC_OUT/ipvsadm.body" "$SC_OUT/pccvsadm.body" >"$SC_OUT/listing.diff"
ndiff=$(grep -c '^[-+][^-+]' "$SC_OUT/listing.diff")
cp "$SC_OUT/ipvsadm-L-n.txt" "$VM_RUNLOG/ipvsfile-ipvsadm-L-n.txt"
cp "$SC_OUT/pccvsadm-L-n.txt" "$VM_RUNLOG/ipvsfile-pccvsadm-L-n.txt"
echo "ipvsadm -L -n (IPVS, left) and pccvsadm -L -n (after pccvsadm -R < ipvsadm -S -n, right);"
echo "kept in ${VM_RUNLOG#"$VM_TOP"/}/ipvsfile-{ipvsadm,pccvsadm}-L-n.txt:"
diff -y -t -W 150 "$SC_OUT/ipvsadm-L-n.txt" "$SC_OUT/pccvsadm-L-n.txt" | sed 's/[[:space:]]*$//; s/^/  /' |
	tee "$SC_OUT/side-by-side.txt"
cp "$SC_OUT/side-by-side.txt" "$VM_RUNLOG/ipvsfile-side-by-side.txt"
# What legitimately differs, said rather than hidden:
echo "note: line 1 differs by design: IPVS's version and connection table size,"
echo "      pccvs's module version and its table size"
echo "note: thresholds: $(grep -c ' -x ' "$SC_OUT/ipvsadm-commands.sh") IPVS servers had -x/-y;" \
	"ipvsadm -S wrote $(grep -c ' -x ' "$SC_OUT/ipvs.rules") (it never saves them),"
echo "      so pccvs has none (-L -n does not show them)"
echo "note: ipvsadm -S writes --tun-type ipip for tunnel servers; pccvsadm -R accepts it"
result services "$(grep -c -v -e '^Prot' -e '^  ->' "$SC_OUT/ipvsadm.body")/$(grep -c -v -e '^Prot' -e '^  ->' "$SC_OUT/pccvsadm.body")"
result servers "$(grep -c '^  -> [0-9[]' "$SC_OUT/ipvsadm.body")/$(grep -c '^  -> [0-9[]' "$SC_OUT/pccvsadm.body")"
result listing_diff_lines "$ndiff"
check listing "[ $ndiff = 0 ] && [ -s '$SC_OUT/ipvsadm.body' ]" \
	"the listings differ below the header in $ndiff lines (see $SC_OUT/listing.diff)"
adm_reset
