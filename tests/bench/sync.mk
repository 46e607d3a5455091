# tests/bench/sync*: pccvs-syncd throughput, latency and snapshot in a
# 3-node namespace cluster, next to raw CPG (needs root).
BENCHES += $(TOP)/tests/bench/sync-bench.sh
