#!/bin/bash
# Guest side of the harness, run by /init in the chroot of the host root:
# basic setup, then the program that vm.run= names (default: the command
# agent), then the kernel log and the verdict into the results share, and
# power off through sysrq.
#
# Kernel parameters: vm.id=N vm.name=NAME vm.top=CHECKOUT vm.nics=N
# vm.run=PATH (relative to the checkout) vm.args=A,B,C (comma-separated).
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root TERM=dumb LC_ALL=C
OUT=/run/vm/out

declare -A VMP
for w in $(</proc/cmdline); do
	case $w in vm.*=*) k=${w%%=*}; VMP[${k#vm.}]=${w#*=} ;; esac
done
export VM_ID=${VMP[id]:-0} VM_NAME=${VMP[name]:-vm} VM_TOP=${VMP[top]} VM_OUT=$OUT

# A sleep without a fork (fork and exec are slow under TCG).
mkfifo /run/vm/.sleep && exec {SL}<>/run/vm/.sleep
nap() { read -r -t "$1" -u "$SL"; }

power_off() {
	sync
	echo o >/proc/sysrq-trigger
	sleep 30
}

# Runs the commands the host drops into $OUT/cmd/N.sh, in order, leaving
# N.out and then N.rc; the host waits for N.rc. $OUT/cmd/stop ends it.
agent() {
	local n=1 f
	mkdir -p "$OUT/cmd"
	: >"$OUT/ready"
	while [ ! -e "$OUT/cmd/stop" ]; do
		f=$OUT/cmd/$n.sh
		if [ -e "$f" ]; then
			(cd / && exec bash "$f") >"$OUT/cmd/$n.out" 2>&1 </dev/null
			echo $? >"$OUT/cmd/$n.rc.tmp"
			mv "$OUT/cmd/$n.rc.tmp" "$OUT/cmd/$n.rc"
			n=$((n + 1))
		else
			nap 0.05
		fi
	done
}

hostname "$VM_NAME"
ip link set lo up
if [ "${VMP[nics]:-0}" -gt 0 ]; then
	modprobe virtio_net
	for ((i = 0; i < ${VMP[nics]}; i++)); do
		for ((t = 0; t < 100; t++)); do
			[ -e /sys/class/net/eth$i ] && break
			nap 0.05
		done
		ip link set "eth$i" up
	done
fi
# Quiet the console; the full kernel log is saved at the end.
echo 4 >/proc/sys/kernel/printk

run=${VMP[run]:-}
if [ -z "$run" ]; then
	agent
	rc=$?
else
	IFS=, read -r -a args <<<"${VMP[args]:-}"
	bash "$VM_TOP/$run" "${args[@]}" 2>&1 | tee "$OUT/console.log" >/dev/console
	rc=${PIPESTATUS[0]}
fi
dmesg >"$OUT/dmesg" 2>&1
echo "rc=$rc" >"$OUT/verdict"
power_off
