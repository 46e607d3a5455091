# tests/vm/lib/vm.sh: host side of the qemu test bed (sourced by bash).
# Guests boot Debian's kernel with the host root over 9p (read-only) and run
# the host's own binaries; a writable 9p share per guest carries commands in
# and results out. Switch, taps and namespace hosts live in namespaces named
# $VM_TAG* (prefix + pid); everything is torn down by vm_teardown (trap).
#
# Guests:      vm_start NAME [--nics N] [--mem MB] [--run SCRIPT] [--arg K=V]
#              vm_wait_ready NAME; vm_exec NAME 'shell text'; vm_stop NAME
#              vm_retire NAME SUFFIX (stop, keep the logs, free the name)
#              vm_run_wait NAME [S] (a --run guest: its exit code)
#              vm_kill NAME (crash); vm_cut NAME [NIC] / vm_restore NAME [NIC]
#              vm_klog_check NAME (oops/BUG/WARNING/KASAN/UBSAN -> fails)
# Hosts:       ns_add NAME; ns_addr NAME ADDR/LEN...; ns_exec NAME CMD...
#              ns_spawn NAME LOG CMD... (background, killed at teardown)
# Lifecycle:   vm_init (switch namespace + trap); vm_teardown
# A child script (a scenario) attaches to a running bed with vm_attach: it
# may use every helper, and teardown stays with the process that called
# vm_init.

VM_TOP=${VM_TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)}
VM_BUILD=${VM_BUILD:-$VM_TOP/build}
VM_LOGS=${VM_LOGS:-$VM_BUILD/logs}
VM_KVER=${VM_KVER:-$(ls /lib/modules | sort -V | head -n1)}
VM_BOOT_TIMEOUT=${VM_BOOT_TIMEOUT:-180}
VM_EXEC_TIMEOUT=${VM_EXEC_TIMEOUT:-120}
VM_MEM=${VM_MEM:-768}
VM_ACCEL=${VM_ACCEL:-}
# Kernel log lines that fail a scenario.
VM_KLOG_BAD='Oops|BUG:|WARNING:|kernel BUG at|general protection fault|KASAN|UBSAN|Kernel panic|Call Trace:|list_(add|del) corruption|refcount_t:|stack-protector|soft lockup|hard LOCKUP|blocked for more than|kmemleak|unreferenced object|double free|use-after-free'
VM_9P_CHAIN='virtio_pci 9pnet_virtio 9p'

vm_log() { echo "vm: $*" >&2; }
vm_die() {
	vm_log "error: $*"
	exit 1
}

# Prints the path of a cached initramfs for $1 (kernel version): static
# busybox, the 9p module chain in dependency order, and lib/init.
vm_initramfs() {
	local kver=${1:-$VM_KVER} dir key out tmp
	dir=$VM_BUILD/vm
	key=$(cat "$VM_TOP/tests/vm/lib/init" /bin/busybox "/lib/modules/$kver/modules.dep" |
		sha1sum | cut -c1-12)
	out=$dir/initramfs-$kver-$key.cpio.gz
	[ -s "$out" ] && { echo "$out"; return 0; }
	mkdir -p "$dir"
	tmp=$(mktemp -d "$dir/initramfs.XXXXXX") || return 1
	mkdir -p "$tmp"/{bin,dev,proc,sys,mnt,lib/mod}
	cp /bin/busybox "$tmp/bin/busybox"
	cp "$VM_TOP/tests/vm/lib/init" "$tmp/init"
	chmod 755 "$tmp/init"
	_vm_mod_order "$kver" $VM_9P_CHAIN >"$tmp/modules.order" || { rm -rf "$tmp"; return 1; }
	local m f
	for m in $(cat "$tmp/modules.order"); do
		f=$(modinfo -k "$kver" -F filename "$m") || { rm -rf "$tmp"; return 1; }
		case $f in
		*.ko.xz) xz -dc "$f" ;;
		*.ko.zst) zstd -qdc "$f" ;;
		*.ko.gz) gzip -dc "$f" ;;
		*) cat "$f" ;;
		esac >"$tmp/lib/mod/$m.ko"
	done
	(cd "$tmp" && find . | cpio -o -H newc --quiet | gzip -1) >"$out.tmp.$$" &&
		mv "$out.tmp.$$" "$out"
	rm -rf "$tmp"
	[ -s "$out" ] && echo "$out"
}

# Modules named and everything they need, each after its dependencies.
# Built-in modules (no file) are left out.
_vm_mod_order() {
	local kver=$1 m
	shift
	declare -A seen=()
	_visit() {
		local d f
		[ -n "${seen[$1]:-}" ] && return 0
		seen[$1]=1
		f=$(modinfo -k "$kver" -F filename "$1" 2>/dev/null) || return 1
		case $f in (builtin* | "(builtin)" | "") return 0 ;; esac
		for d in $(modinfo -k "$kver" -F depends "$1" | tr , ' '); do
			_visit "$d" || return 1
		done
		echo "$1"
	}
	for m in "$@"; do
		_visit "$m" || { vm_log "module $m not found for $kver"; return 1; }
	done
}

# "-accel kvm" if KVM really runs guests here, else "-accel tcg". KVM may
# initialise and then never run a guest (seen on this machine kind), so a
# kernel without root must panic and exit within seconds; the answer is
# cached per host boot.
vm_accel() {
	local f
	[ -n "$VM_ACCEL" ] && { echo "$VM_ACCEL"; return; }
	f=$VM_BUILD/vm/accel-$(cat /proc/sys/kernel/random/boot_id)
	if [ ! -s "$f" ]; then
		mkdir -p "$VM_BUILD/vm"
		if [ -w /dev/kvm ] && timeout 6 qemu-system-x86_64 -accel kvm -m 256 -nodefaults \
			-display none -monitor none -no-reboot -kernel "/boot/vmlinuz-$VM_KVER" \
			-append "console=ttyS0 panic=-1 quiet" -serial null >/dev/null 2>&1; then
			echo "-accel kvm" >"$f"
		else
			echo "-accel tcg" >"$f"
		fi
	fi
	cat "$f"
}

vm_init() {
	VM_TAG=${VM_TAG:-pv$$}
	VM_OWNER=$BASHPID
	VM_RUNLOG=$VM_LOGS/vm/$VM_TAG
	VM_STATE=$VM_RUNLOG/state
	VM_SW=${VM_TAG}sw
	export VM_TAG VM_OWNER VM_RUNLOG VM_STATE VM_SW VM_TOP VM_BUILD VM_KVER
	mkdir -p "$VM_STATE" || return 1
	: >"$VM_STATE/ns" && : >"$VM_STATE/pids"
	ln -sfn "$VM_TAG" "$VM_LOGS/vm/last"
	_vm_prune_logs
	trap vm_teardown EXIT
	trap 'exit 130' INT TERM HUP
	_vm_ns_create "$VM_SW" || return 1
	ip -n "$VM_SW" link add br0 type bridge &&
		ip -n "$VM_SW" link set br0 up || return 1
	# The bridge forwards at once (no STP, no learning delay to wait out).
	ip -n "$VM_SW" link set br0 type bridge forward_delay 0 stp_state 0
}

# For a child process (scenario) of a bed set up by vm_init.
vm_attach() {
	[ -n "${VM_STATE:-}" ] && [ -d "$VM_STATE" ] || vm_die "vm_attach: no test bed (VM_STATE unset)"
}

# Keep the logs of the last few runs only.
_vm_prune_logs() {
	local d
	ls -1dt "$VM_LOGS"/vm/pv* 2>/dev/null | tail -n +9 | while read -r d; do
		[ -d "/proc/${d##*/pv}" ] || rm -rf "$d"
	done
}

_vm_ns_create() {
	ip netns add "$1" || return 1
	echo "$1" >>"$VM_STATE/ns"
	ip -n "$1" link set lo up
}

# Records a background process for teardown: pid and a marker that must be
# in its command line (so a recycled pid is never killed).
_vm_track() { echo "$1 $2" >>"$VM_STATE/pids"; }

_vm_pid_is() { [ -r "/proc/$1/cmdline" ] && tr '\0' ' ' <"/proc/$1/cmdline" | grep -qF -- "$2"; }

vm_teardown() {
	local rc=$? pid mark ns name
	[ "${VM_OWNER:-}" = "$BASHPID" ] || return $rc
	trap - EXIT INT TERM HUP
	for name in $(_vm_guests); do
		pid=$(cat "$VM_STATE/$name.pid" 2>/dev/null) || continue
		_vm_pid_is "$pid" "$VM_STATE" || continue
		touch "$VM_RUNLOG/$name/out/cmd/stop" 2>/dev/null
		_vm_wait_exit "$pid" 5 || kill -9 "$pid" 2>/dev/null
	done
	tac "$VM_STATE/pids" 2>/dev/null | while read -r pid mark; do
		_vm_pid_is "$pid" "$mark" && kill "$pid" 2>/dev/null
	done
	tac "$VM_STATE/pids" 2>/dev/null | while read -r pid mark; do
		_vm_wait_exit "$pid" 3 || { _vm_pid_is "$pid" "$mark" && kill -9 "$pid" 2>/dev/null; }
	done
	tac "$VM_STATE/ns" 2>/dev/null | while read -r ns; do
		ip netns del "$ns" 2>/dev/null
	done
	rm -rf "$VM_RUNLOG"/*/out/cmd
	return $rc
}

_vm_guests() { ls "$VM_STATE" 2>/dev/null | sed -n 's/\.pid$//p'; }

_vm_wait_exit() {
	local i
	for ((i = 0; i < $2 * 20; i++)); do
		[ -d "/proc/$1" ] || return 0
		sleep 0.05
	done
	return 1
}

# vm_start NAME [--nics N] [--mem MB] [--smp N] [--run SCRIPT] [--arg K=V]...
#          [--id N]
# Boots a guest in the background. NIC i is tap "NAME-i" in the switch
# namespace (bridged), eth<i> in the guest, MAC 52:54:00:00:<id>:<i>. The id
# is the number of running guests + 1 unless --id gives it (a guest that
# boots again after a crash keeps its MAC with --id).
vm_start() {
	local name=$1 nics=1 mem=$VM_MEM smp=1 run= args= id= i dir initrd append pid
	shift
	while [ $# -gt 0 ]; do
		case $1 in
		--nics) nics=$2; shift 2 ;;
		--mem) mem=$2; shift 2 ;;
		--smp) smp=$2; shift 2 ;;
		--run) run=$2; shift 2 ;;
		--arg) args=${args:+$args,}$2; shift 2 ;;
		--id) id=$2; shift 2 ;;
		*) vm_die "vm_start: unknown option $1" ;;
		esac
	done
	[ -e "$VM_STATE/$name.pid" ] && { vm_log "vm_start: guest $name exists"; return 1; }
	[ -n "$id" ] || id=$(($(_vm_guests | wc -l) + 1))
	echo "$id" >"$VM_STATE/$name.id"
	dir=$VM_RUNLOG/$name
	rm -rf "$dir"
	mkdir -p "$dir/out/cmd"
	echo 0 >"$dir/seq"
	initrd=$(vm_initramfs "$VM_KVER") || vm_die "cannot build the initramfs"
	append="console=ttyS0 quiet panic=-1 slab_nomerge vm.id=$id vm.name=$name vm.top=$VM_TOP vm.nics=$nics"
	[ -n "$run" ] && append+=" vm.run=$run"
	[ -n "$args" ] && append+=" vm.args=$args"
	local net=() accel
	accel=$(vm_accel)
	for ((i = 0; i < nics; i++)); do
		ip -n "$VM_SW" link del "$name-$i" 2>/dev/null # left by an earlier boot
		ip -n "$VM_SW" tuntap add "$name-$i" mode tap &&
			ip -n "$VM_SW" link set "$name-$i" master br0 up || return 1
		net+=(-netdev "tap,id=n$i,ifname=$name-$i,script=no,downscript=no"
			-device "virtio-net-pci,netdev=n$i,mac=52:54:00:00:$(printf %02x "$id"):$(printf %02x "$i")")
	done
	# shellcheck disable=SC2086
	ip netns exec "$VM_SW" qemu-system-x86_64 $accel -m "$mem" -smp "$smp" \
		-nodefaults -display none -monitor none -no-reboot \
		-kernel "/boot/vmlinuz-$VM_KVER" -initrd "$initrd" -append "$append" \
		-serial "file:$dir/serial.log" \
		-virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
		-virtfs "local,path=$VM_TOP,mount_tag=vmtop,security_model=none,readonly=on,multidevs=remap" \
		-virtfs "local,path=$dir/out,mount_tag=out,security_model=none,multidevs=remap" \
		"${net[@]}" -name "$name,debug-threads=off" -pidfile "$VM_STATE/$name.qpid" \
		</dev/null >"$dir/qemu.log" 2>&1 &
	pid=$!
	disown "$pid" # no job notice when it is killed
	echo "$pid" >"$VM_STATE/$name.pid"
	echo "$(date +%s%3N)" >"$dir/start_ms"
	# Until the fork has exec'd qemu its command line is not qemu's.
	for ((i = 0; i < 100; i++)); do
		_vm_pid_is "$pid" "$VM_STATE" && return 0
		[ -d "/proc/$pid" ] || break
		sleep 0.05
	done
	vm_log "vm_start $name: qemu did not start"
	cat "$dir/qemu.log" >&2
	return 1
}

vm_pid() { cat "$VM_STATE/$1.pid"; }
vm_dir() { echo "$VM_RUNLOG/$1"; }
vm_alive() { local p; p=$(vm_pid "$1" 2>/dev/null) && _vm_pid_is "$p" "$VM_STATE"; }

# Waits until the guest's agent is up; on failure shows the console tail.
vm_wait_ready() {
	local name=$1 t=${2:-$VM_BOOT_TIMEOUT} dir i
	dir=$(vm_dir "$name")
	for ((i = 0; i < t * 10; i++)); do
		if [ -e "$dir/out/ready" ]; then
			vm_log "$name up after $((($(date +%s%3N) - $(cat "$dir/start_ms")) / 1000)) s"
			return 0
		fi
		vm_alive "$name" || break
		sleep 0.1
	done
	vm_log "$name did not come up (alive: $(vm_alive "$name" && echo yes || echo no)); console tail:"
	tail -n 20 "$dir/serial.log" >&2
	tail -n 5 "$dir/qemu.log" >&2
	return 1
}

# vm_exec NAME [-t SECONDS] 'shell text': runs the text with bash in the
# guest, prints its output (stdout and stderr), returns its exit code (124
# on timeout, 125 if the guest is gone).
vm_exec() {
	local name=$1 t=$VM_EXEC_TIMEOUT dir n i
	shift
	[ "$1" = -t ] && { t=$2; shift 2; }
	dir=$(vm_dir "$name")
	n=$(flock "$dir/seq" bash -c 'n=$(($(cat "$1") + 1)); echo $n >"$1"; echo $n' _ "$dir/seq")
	printf '%s\n' "$*" >"$dir/out/cmd/$n.sh.tmp"
	mv "$dir/out/cmd/$n.sh.tmp" "$dir/out/cmd/$n.sh"
	for ((i = 0; i < t * 50; i++)); do
		if [ -e "$dir/out/cmd/$n.rc" ]; then
			cat "$dir/out/cmd/$n.out"
			return "$(cat "$dir/out/cmd/$n.rc")"
		fi
		if ((i % 50 == 49)) && ! vm_alive "$name"; then
			vm_log "vm_exec $name: guest is gone"
			return 125
		fi
		sleep 0.02
	done
	vm_log "vm_exec $name: timed out after ${t}s: $*"
	return 124
}

# For a guest started with --run: waits until it powers off (killed after
# $2 seconds), shows its console output, returns the script's exit code
# from the results share (125 if it left none), 1 on new kernel-log problems.
vm_run_wait() {
	local name=$1 t=${2:-$VM_EXEC_TIMEOUT} pid dir rc
	dir=$(vm_dir "$name")
	pid=$(vm_pid "$name") || return 1
	if ! _vm_wait_exit "$pid" "$t"; then
		vm_log "$name still running after ${t}s: killing qemu $pid"
		_vm_pid_is "$pid" "$VM_STATE" && kill -9 "$pid"
	fi
	cat "$dir/out/console.log" 2>/dev/null
	rc=$(sed -n 's/^rc=//p' "$dir/out/verdict" 2>/dev/null)
	vm_klog_check "$name" || return 1
	return "${rc:-125}"
}

# Stops the guest: the agent ends, the guest saves its kernel log and
# powers off; a guest that does not within the timeout is killed.
vm_stop() {
	local name=$1 t=${2:-60} pid dir
	dir=$(vm_dir "$name")
	pid=$(vm_pid "$name") || return 1
	touch "$dir/out/cmd/stop"
	if ! _vm_wait_exit "$pid" "$t"; then
		vm_log "$name did not power off in ${t}s: killing qemu $pid"
		_vm_pid_is "$pid" "$VM_STATE" && kill -9 "$pid"
		_vm_wait_exit "$pid" 5
	fi
	vm_klog_check "$name"
}

# Stops the guest if it runs (klog checked) and files its state and logs
# under NAME-SUFFIX, so that a guest of the same name can boot again.
# Returns 1 if its kernel log had new problems.
vm_retire() {
	local name=$1 suffix=$2 rc=0
	[ -e "$VM_STATE/$name.pid" ] || return 0
	if vm_alive "$name"; then
		vm_stop "$name" 30 || rc=1
	else
		vm_klog_check "$name" || rc=1
	fi
	_vm_taps "$name" | while read -r tap; do ip -n "$VM_SW" link del "$tap"; done
	mv "$VM_STATE/$name.pid" "$VM_STATE/$name.pid.$suffix"
	rm -rf "$VM_RUNLOG/$name-$suffix"
	mv "$VM_RUNLOG/$name" "$VM_RUNLOG/$name-$suffix"
	return $rc
}

# A crash: kill -9 of the guest's qemu. Prints the kill time (ms).
vm_kill() {
	local pid
	pid=$(vm_pid "$1") || return 1
	_vm_pid_is "$pid" "$VM_STATE" || return 1
	kill -9 "$pid"
	date +%s%3N
	_vm_wait_exit "$pid" 5
}

# Network partition of a guest (all NICs, or NIC $2) and its end.
vm_cut() { _vm_link "$1" "${2:-}" down; }
vm_restore() { _vm_link "$1" "${2:-}" up; }
_vm_taps() { ip -n "$VM_SW" -o link show | awk -F': ' '{print $2}' | cut -d@ -f1 | grep "^$1-${2:-}"; }
_vm_link() {
	local tap
	for tap in $(_vm_taps "$1" "$2"); do
		ip -n "$VM_SW" link set "$tap" "$3" || return 1
	done
}

# Scans the guest's kernel log (live dmesg if the agent runs, else the log
# saved at power-off, plus the serial console) for oops, BUG, WARNING,
# KASAN, UBSAN. Reports only problems not reported before; 1 if any.
vm_klog_check() {
	local name=$1 dir log seen new
	dir=$(vm_dir "$name")
	log=$dir/klog.txt
	if vm_alive "$name" && [ ! -e "$dir/out/cmd/stop" ]; then
		vm_exec "$name" -t 30 dmesg >"$log" 2>&1
	else
		cat "$dir/out/dmesg" >"$log" 2>/dev/null
	fi
	cat "$dir/serial.log" >>"$log" 2>/dev/null
	grep -aE "$VM_KLOG_BAD" "$log" | sed 's/^\[ *[0-9.]*\] //' | sort -u >"$dir/klog.bad.now"
	touch "$dir/klog.bad"
	new=$(comm -13 "$dir/klog.bad" "$dir/klog.bad.now")
	sort -u "$dir/klog.bad" "$dir/klog.bad.now" -o "$dir/klog.bad"
	seen=$(wc -l <"$dir/klog.bad")
	[ -z "$new" ] && return 0
	vm_log "$name kernel log has $seen problem line(s); new:"
	echo "$new" | head -n 20 | sed 's/^/    /' >&2
	return 1
}

# --- namespace hosts -------------------------------------------------------

# ns_add NAME: namespace $VM_TAG$NAME with eth0 on the switch bridge.
ns_add() {
	local ns=$VM_TAG$1
	_vm_ns_create "$ns" || return 1
	ip -n "$VM_SW" link add "v$1" type veth peer name eth0 netns "$ns" &&
		ip -n "$VM_SW" link set "v$1" master br0 up &&
		ip -n "$ns" link set eth0 up || return 1
	# Addresses are usable at once (no DAD) and nothing is learned from or
	# said to other hosts unasked.
	ip netns exec "$ns" sh -c 'for k in all default eth0; do
		sysctl -qw net.ipv6.conf.$k.accept_dad=0 net.ipv6.conf.$k.accept_ra=0 \
			net.ipv6.conf.$k.accept_redirects=0 net.ipv4.conf.$k.accept_redirects=0 \
			net.ipv4.conf.$k.rp_filter=0; done'
}

ns_name() { echo "$VM_TAG$1"; }
ns_exec() {
	local ns=$VM_TAG$1
	shift
	ip netns exec "$ns" "$@"
}

# ns_addr NAME ADDR/LEN... on eth0 (IPv6 without DAD).
ns_addr() {
	local n=$1 a
	shift
	for a in "$@"; do
		case $a in
		*:*) ip -n "$VM_TAG$n" addr add "$a" dev eth0 nodad ;;
		*) ip -n "$VM_TAG$n" addr add "$a" dev eth0 ;;
		esac || return 1
	done
}

# ns_addr_range NAME PREFIX FIRST LAST LEN: PREFIX.FIRST .. PREFIX.LAST
# (IPv4, e.g. 198.51.100. 1 200 24) or PREFIXfirst..last in hex (IPv6,
# e.g. 2001:db8:c:: 1 200 64), in one netlink batch.
ns_addr_range() {
	local n=$1 p=$2 a=$3 b=$4 len=$5 i
	for ((i = a; i <= b; i++)); do
		case $p in
		*:*) printf 'addr add %s%x/%s dev eth0 nodad\n' "$p" "$i" "$len" ;;
		*) printf 'addr add %s%d/%s dev eth0\n' "$p" "$i" "$len" ;;
		esac
	done | ip -n "$VM_TAG$n" -b -
}

# ns_spawn NAME LOG CMD...: runs CMD in the namespace in the background,
# output to LOG; prints the pid; killed at teardown.
ns_spawn() {
	local ns=$VM_TAG$1 log=$2 pid
	shift 2
	setsid ip netns exec "$ns" "$@" </dev/null >"$log" 2>&1 &
	pid=$!
	_vm_track "$pid" "$1"
	echo "$pid"
}

# Kills a process this run spawned (by pid, checked against the record).
vm_kill_spawned() {
	local pid=$1 mark
	mark=$(awk -v p="$pid" '$1 == p { $1 = ""; print substr($0, 2) }' "$VM_STATE/pids" | tail -n1)
	[ -n "$mark" ] && _vm_pid_is "$pid" "$mark" && kill "${2:--TERM}" "$pid"
}

# Polls CMD (shell text) until it succeeds or $1 seconds pass.
vm_poll() {
	local t=$1 i
	shift
	for ((i = 0; i < t * 10; i++)); do
		eval "$*" && return 0
		sleep 0.1
	done
	return 1
}
