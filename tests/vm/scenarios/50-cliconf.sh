#!/bin/bash
# pccvsadm end to end in the director: a configuration of every kind
# (data/cliconf.py: TCP/UDP/SCTP, IPv4/IPv6, firewall marks, port 0,
# persistence with netmasks, a port group, every scheduler and its flags,
# DR/TUN/NAT real servers with weights and thresholds) made with one
# pccvsadm command per object, read back as JSON (every field checked
# against what was configured) and as -L -n text (against
# data/cliconf.list); -S | -R is lossless (save, clear, restore, save: the
# same text, the same listing); --all-ports adds, edits and deletes a real
# server on every service of the port group and gives a new member the
# group's servers; a change that would break the group is refused with the
# one-line message, and changes nothing. pccvs only (JSON, port groups).
# cases: config_json np_timeout config_list save_restore all_ports pgroup_refusal
. "$(dirname "$0")/../lib/scenario.sh"
CASES="config_json np_timeout config_list save_restore all_ports pgroup_refusal"
DATA=$(dirname "$0")/data
PY=/usr/bin/python3
if [ "$BACKEND" != pccvs ]; then
	for c in $CASES; do skip "$c" "pccvs only: -o json, port groups and pccvs's -S"; done
	exit 0
fi

# jcheck FILE [EDIT...]: the JSON listing against the intent; prints the verdict
jcheck() {
	local f=$1
	shift
	adm -L -n -o json >"$f"
	$PY "$DATA/cliconf.py" check "$@" <"$f" | grep -v '^np_timeout '
}

adm_reset || { for c in $CASES; do fail "$c" "cannot clear"; done; exit 1; }
# one command per object; a refused one is named
$PY "$DATA/cliconf.py" commands "$ADM" >"$SC_OUT/commands.sh"
out=$(on_lb "$(sed 's/.*/& || echo "REFUSED: &"/' "$SC_OUT/commands.sh")" 2>&1)
echo "$out" >"$SC_OUT/commands.out"
result commands "$(grep -c . "$SC_OUT/commands.sh")"
result commands_refused "$(echo "$out" | grep -c '^REFUSED')"

adm -L -n -o json >"$SC_OUT/config.json"
v=$($PY "$DATA/cliconf.py" check <"$SC_OUT/config.json")
np=$(echo "$v" | grep '^np_timeout ')
v=$(echo "$v" | grep -v '^np_timeout ')
result config_json "$(echo "$v" | head -n1)"
ok=0
[ "${v:0:3}" = "ok " ] && ! grep -q REFUSED "$SC_OUT/commands.out" && ok=1
check config_json "[ $ok = 1 ]" \
	"$(echo "$v" | head -n5 | tr '\n' ';') $(grep -m3 -A1 REFUSED "$SC_OUT/commands.out" | tr '\n' ' ')"

# docs/cli-json.md: services[].timeout is "0 when never persistent"
result np_timeout_wrong "$(echo "$np" | grep -c .)"
check np_timeout "[ -z '${np:+x}' ]" "$(echo "$np" | head -n2 | sed 's/^np_timeout //' | paste -sd';' -) (docs/cli-json.md: 0 when never persistent)"

adm -L -n >"$SC_OUT/config.list"
if diff -u "$DATA/cliconf.list" <(tail -n +2 "$SC_OUT/config.list") >"$SC_OUT/config.list.diff"; then
	pass config_list
else
	fail config_list "-L -n differs from data/cliconf.list: $(grep -c '^[-+][^-+]' "$SC_OUT/config.list.diff") lines (see $SC_OUT/config.list.diff)"
fi

# -S | -R round trip
adm -S -n >"$SC_OUT/save1.txt"
on_lb "$ADM -C && $ADM -R <<'EOF'
$(cat "$SC_OUT/save1.txt")
EOF" >"$SC_OUT/restore.out" 2>&1
rc=$?
adm -S -n >"$SC_OUT/save2.txt"
adm -L -n >"$SC_OUT/restored.list"
v=$(jcheck "$SC_OUT/restored.json")
result save_lines "$(grep -c . "$SC_OUT/save1.txt")"
result save_has_thresholds_pgroup "$(grep -c -e ' -x [0-9]* -y ' -e '--pgroup' "$SC_OUT/save1.txt")"
result restored_json "$(echo "$v" | head -n1)"
ok=0
[ $rc = 0 ] && [ -s "$SC_OUT/save1.txt" ] && cmp -s "$SC_OUT/save1.txt" "$SC_OUT/save2.txt" &&
	cmp -s "$SC_OUT/config.list" "$SC_OUT/restored.list" && [ "${v:0:3}" = "ok " ] && ok=1
same() { cmp -s "$1" "$2" && echo yes || echo no; }
why="restore exit $rc ($(head -n2 "$SC_OUT/restore.out" | tr '\n' ' '));"
why+=" saves identical: $(same "$SC_OUT/save1.txt" "$SC_OUT/save2.txt");"
why+=" listings identical: $(same "$SC_OUT/config.list" "$SC_OUT/restored.list"); $v"
check save_restore "[ $ok = 1 ]" "$why"

# Port group refusals (each one line, exit 2, nothing changed): a real
# server on one member only, deleting one from one member only, a member
# with another timeout.
V=$VIP4
refusals=(
	"-a -t $V:80 -r 192.0.2.14|real server 192.0.2.14 is missing from TCP $V:443 (port group \`web'); add it there first or use --all-ports"
	"-d -t $V:443 -r ${RS4[0]}|--all-ports"
	"-E -t $V:443 -p 900|port group \`web'"
	"-A -t $V:8443 -s wlc -p 60 --pgroup web|port group \`web'"
)
script=
for x in "${refusals[@]}"; do
	script+="$ADM ${x%%|*} >/tmp/o 2>/tmp/e; echo \"rc=\$? out=\$(wc -l </tmp/o) err=\$(wc -l </tmp/e) \$(cat /tmp/e)\"
"
done
on_lb "$script" >"$SC_OUT/refusals.txt" 2>&1
bad='' i=0
while IFS= read -r line; do
	x=${refusals[i]} i=$((i + 1))
	case $line in
	"rc=2 out=0 err=1 pccvsadm: "*"${x#*|}"*) ;;
	*) bad+=" [${x%%|*}: $line]" ;;
	esac
done <"$SC_OUT/refusals.txt"
adm -S -n >"$SC_OUT/save3.txt"
nbad=$(echo "$bad" | grep -o '\[' | wc -l)
result pgroup_refused_right "$((i - nbad))/${#refusals[@]}"
check pgroup_refusal "[ $i = ${#refusals[@]} ] && [ $nbad = 0 ] && cmp -s '$SC_OUT/save1.txt' '$SC_OUT/save3.txt'" \
	"$i answers for ${#refusals[@]}; wrong:$bad; configuration unchanged: $(cmp -s "$SC_OUT/save1.txt" "$SC_OUT/save3.txt" && echo yes || echo no)"

# --all-ports: add, edit, new member, delete; the JSON after each step
steps=(
	"-a -t $V:80 -r 192.0.2.14 -g --all-ports|web_add=192.0.2.14"
	"-e -t $V:443 -r 192.0.2.14 -w 0 --all-ports|web_weight=192.0.2.14:0"
	"-A -t $V:8443 -s wlc -p 600 -M 255.255.255.0 --pgroup web --all-ports|web_new=8443"
	"-d -t $V:80 -r 192.0.2.14 --all-ports|web_del=192.0.2.14"
)
edits=() bad=
for x in "${steps[@]}"; do
	edits+=("${x#*|}")
	out=$(adm "${x%%|*}" 2>&1) || bad+=" [${x%%|*}: $out]"
	v=$(jcheck "$SC_OUT/all-ports.json" "${edits[@]}")
	[ "${v:0:3}" = "ok " ] || bad+=" [after ${x%%|*}: $(echo "$v" | head -n3 | tr '\n' ';')]"
done
adm -L -n -t "$V:8443" >"$SC_OUT/all-ports-8443.list"
result all_ports_steps "${#steps[@]}"
check all_ports "[ -z '${bad:+x}' ]" "$bad"
adm_reset
