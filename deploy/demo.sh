#!/bin/bash
# make demo: a live failover of two pccvs directors with sticky clients.
# Until the failover scenario exists this says plainly what is there.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
if [ -x "$top/tests/vm/failover.sh" ]; then
	exec "$top/tests/vm/failover.sh" --demo "$@"
fi
echo "pccvs demo: the failover scenario (ha/, tests/vm/failover.sh) is not built yet."
echo "What exists now is built; run 'make check' to exercise it."
