#!/bin/bash
# Run benchmarks; each prints "BENCH name=value unit" lines. The BENCH lines
# of the whole run are collected in build/logs/bench.txt.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$top/build/logs"
out=$top/build/logs/bench.txt
: >"$out"
rc=0
for b in "$@"; do
	echo "=== bench $(basename "$b")"
	"$b" 2>&1 | tee -a "$out.full" | tee >(grep '^BENCH ' >>"$out")
	[ "${PIPESTATUS[0]}" = 0 ] || rc=1
done
echo
echo "=== BENCH lines"
cat "$out"
exit $rc
