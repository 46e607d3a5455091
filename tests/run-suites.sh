#!/bin/bash
# Run test suites and sum their results.
#
# Each argument is an executable suite (a test binary or a script). A suite
# prints whatever it likes and ends with a line "N passed, N failed". Its
# output is shown and kept in build/logs/<name>.log. A suite that exits
# non-zero while reporting no failure, or that prints no summary line,
# counts as one failure. The last line of this script is the total.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
logs=$top/build/logs
mkdir -p "$logs"

total_pass=0
total_fail=0
summary=()
for suite in "$@"; do
	name=$(basename "$suite")
	log=$logs/$name.log
	echo "=== suite $name"
	start=$(date +%s)
	"$suite" 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	secs=$(( $(date +%s) - start ))
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -n1)
	if [ -z "$line" ]; then
		p=0; f=1
		echo "suite $name printed no 'N passed, N failed' line (exit $rc)"
	else
		p=${line%% passed*}
		f=${line#*passed, }; f=${f%% failed}
		if [ "$rc" != 0 ] && [ "$f" = 0 ]; then
			f=1
			echo "suite $name exited $rc but reported no failure"
		fi
	fi
	total_pass=$((total_pass + p))
	total_fail=$((total_fail + f))
	summary+=("$(printf '%-28s %5d passed %3d failed %5ds' "$name" "$p" "$f" "$secs")")
done
echo
echo "=== summary"
for s in "${summary[@]}"; do echo "$s"; done
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" = 0 ]
