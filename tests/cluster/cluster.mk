# tests/cluster: pccvs-syncd in a 3-node corosync cluster of network
# namespaces (needs root; lib.sh is the harness, also used by the sync
# benchmark).
SUITES_CLUSTER += $(TOP)/tests/cluster/sync-cluster.sh
SUITES_CLUSTER += $(TOP)/tests/cluster/edits-cluster.sh
