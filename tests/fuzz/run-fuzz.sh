#!/bin/bash
# Run libFuzzer targets for a bounded time each and sum the results.
#
#   run-fuzz.sh SECONDS FUZZER...
#
# Each fuzzer starts from its seeds (tests/fuzz/<name>_corpus, or
# tests/fuzz/<prefix>_corpus for <prefix>_<rest>, when they exist) and grows a
# working corpus under build/fuzz/corpus/<name>, never in the repository.
# Crashes go to build/fuzz/artifacts/<name>/ and the log to
# build/logs/fuzz-<name>.log. A fuzzer passes when it exits 0 within the
# time. The last line is "N passed, N failed".
set -u
secs=${1:?seconds}
shift
top=$(cd "$(dirname "$0")/../.." && pwd)
pass=0
fail=0
for f in $(printf '%s\n' "$@" | sort -u); do
	name=$(basename "$f")
	work=$top/build/fuzz/corpus/$name
	art=$top/build/fuzz/artifacts/$name
	log=$top/build/logs/fuzz-$name.log
	mkdir -p "$work" "$art" "$(dirname "$log")"
	seeds=()
	for d in "$top/tests/fuzz/${name}_corpus" "$top/tests/fuzz/${name%%_*}_corpus"; do
		[ -d "$d" ] && seeds+=("$d")
	done
	if [ ! -x "$f" ]; then
		echo "fuzz $name: not built ($f)"
		fail=$((fail + 1))
		continue
	fi
	# A hard wall clock too: a hung target must not hang the suite.
	timeout -k 10 $((secs + 60)) "$f" -max_total_time="$secs" -timeout=20 \
		-rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$art/" \
		"$work" "${seeds[@]}" >"$log" 2>&1
	rc=$?
	execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$')
	if [ "$rc" = 0 ]; then
		echo "fuzz $name: ok, ${execs:-?} runs in ${secs}s"
		pass=$((pass + 1))
	else
		echo "fuzz $name: FAILED (exit $rc), see $log and $art"
		grep -m5 -E 'ERROR|SUMMARY|==[0-9]+==' "$log" | sed 's/^/    /'
		fail=$((fail + 1))
	fi
done
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
