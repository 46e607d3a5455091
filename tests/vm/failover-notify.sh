#!/bin/sh
# pccvs-syncd's HA notify script in the failover tests: one line per role
# change into the guest's results share ($1 is the new role).
echo "$(date +%s%3N) $1 node=$PCCVS_NODE active=$PCCVS_ACTIVE term=$PCCVS_TERM reason=$PCCVS_REASON" \
	>>/run/vm/out/notify.log
