#!/bin/bash
# Two directors, a corosync witness, a sticky DR service under load (200
# clients, 20 long-lived streams): planned switchover, a partition of the
# active, kill -9 of the active, restart and rejoin, kill -9 of the other.
# pccvs must keep every client's server and every stream, lose no request
# at a switchover, and fail over in about a second; the ipvs backend runs
# the same flow with keepalived + IPVS + the IPVS sync daemon as the
# baseline (measured and reported, side by side with pccvs at the end).
# The flow is tests/vm/failover.sh (also `make demo`).
# cases: setup sync switchover edit split kill1 restart kill2
. "$(dirname "$0")/../lib/scenario.sh"
. "$VM_TOP/tests/vm/failover-lib.sh"
. "$VM_TOP/tests/vm/failover.sh"
FO_OUT=$SC_OUT
fo_flow
fo_side_by_side
