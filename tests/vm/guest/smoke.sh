#!/bin/bash
# Guest-side smoke test, run by the guest itself (vm_start --run): the host's
# userland works in the guest and IPVS loads. Args from --arg (comma-split).
echo "RESULT guest.kernel=$(uname -r)"
echo "RESULT guest.args=$*"
modprobe -a ip_vs ip_vs_rr && ipvsadm -A -t 192.0.2.1:80 -s rr && ipvsadm -Ln | grep -q 192.0.2.1:80 || exit 1
echo "RESULT guest.ipvs=ok"
