# tests/vm/lib/scenario.sh: what a scenario script sources. It runs as a
# child of tests/vm/run-vm.sh with the test bed up (VM_STATE, BACKEND, ADM set)
# and reports with:
#   result KEY VALUE       -> "RESULT <backend>.<scenario>.KEY=VALUE"
#   bench KEY VALUE UNIT   -> "BENCH <backend>_<KEY>=VALUE UNIT" (also kept in bench.txt)
#   pass CASE / fail CASE WHY / skip CASE WHY
#   check CASE 'test text' [WHY]   (pass if the shell test succeeds)
# and acts with:
#   adm ARGS...            the ipvsadm-compatible command on the director
#   on_lb 'shell text'     anything on the director
#   probe OUT ARGS...      pcctraffic probe from the client namespace; RESULT
#                          lines of the tool in OUT.res, connections in OUT.conns
#   rget FILE KEY          a value from a file of RESULT lines
. "$(dirname "${BASH_SOURCE[0]}")/vm.sh"
. "$(dirname "${BASH_SOURCE[0]}")/lb.sh"
vm_attach
BACKEND=${BACKEND:-ipvs}
ADM=${ADM:-$(backend_adm "$BACKEND")}
SCENARIO=${SCENARIO:-$(basename "$0" .sh)}
SCENARIO=${SCENARIO#[0-9]*-}
SC_OUT=$VM_RUNLOG/$BACKEND-$SCENARIO
mkdir -p "$SC_OUT"

result() { echo "RESULT $BACKEND.$SCENARIO.$1=$2"; }
bench() {
	echo "BENCH ${BACKEND}_$1=$2 $3"
	echo "BENCH ${BACKEND}_$1=$2 $3" >>"$VM_RUNLOG/bench.txt"
}
pass() { echo "PASS $BACKEND/$SCENARIO/$1"; }
fail() { echo "FAIL $BACKEND/$SCENARIO/$1: ${2:-}"; }
skip() { echo "SKIP $BACKEND/$SCENARIO/$1: ${2:-}"; }
check() {
	if eval "$2"; then pass "$1"; else fail "$1" "${3:-$2}"; fi
}

on_lb() { vm_exec "$LB" "$*"; }
adm() {
	local out rc
	out=$(vm_exec "$LB" "$ADM $*" 2>&1)
	rc=$?
	[ $rc = 0 ] || echo "adm $*: exit $rc: $out" >&2
	[ -n "$out" ] && echo "$out"
	return $rc
}

# Removes every service (a scenario starts from an empty table).
adm_reset() { adm -C; }

probe() {
	local out=$SC_OUT/$1
	shift
	ns_exec c timeout 300 "$PCCT" probe --out "$out.conns" "$@" >"$out.res" 2>"$out.err"
	local rc=$?
	[ -s "$out.err" ] && sed 's/^/probe: /' "$out.err" >&2
	return $rc
}

rget() { sed -n "s/^RESULT $2=//p" "$1" | tail -n1; }

# Real-server ids that answered, one per line with their connection counts.
servers_seen() { awk '$4 == "ok" { n[$5]++ } END { for (s in n) print s, n[s] }' "$1" | sort; }
