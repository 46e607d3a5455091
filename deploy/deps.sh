#!/bin/sh
# Install every Debian 12 package pccvs needs to build, test and run.
# Idempotent: when everything is present it only runs dpkg-query and exits.
set -eu

PKGS="
build-essential make pkg-config git bear clang clang-format llvm libclang-rt-14-dev valgrind
linux-image-amd64 linux-headers-amd64 kmod cpio busybox-static qemu-system-x86
corosync libcpg-dev libquorum-dev libcorosync-common-dev libcmap-dev libvotequorum-dev
libqb-dev libnl-3-dev libnl-genl-3-dev libnl-route-3-dev
protobuf-c-compiler libprotobuf-c-dev libcmocka-dev
iproute2 iputils-ping ipvsadm keepalived gnuplot-nox procps psmisc util-linux
nftables
"

# A second kernel line for pccvs.ko: the newest Debian 6.12 -amd64 kernel
# (headers and unsigned image of one version), found by search, not pinned.
# Nothing to do once one is installed; none available is not an error.
KLINE=6.12
kline_installed() {
	for d in /lib/modules/$KLINE.*-amd64; do
		[ -e "$d/build/Makefile" ] && [ -e "/boot/vmlinuz-${d##*/}" ] && return 0
	done
	return 1
}
# Prints the newest version V with both linux-headers-V and
# linux-image-V-unsigned in the package lists (empty if none).
kline_newest() {
	apt-cache search --names-only "^linux-headers-$(echo "$KLINE" | sed 's/[.]/[.]/g')[.][0-9]+[+]deb[0-9]+-amd64\$" 2>/dev/null |
		awk '{ sub(/^linux-headers-/, "", $1); print $1 }' | sort -rV |
		while read -r v; do
			if apt-cache show "linux-image-$v-unsigned" >/dev/null 2>&1; then
				echo "$v"
				break
			fi
		done
}

missing=""
for p in $PKGS; do
	st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	case "$st" in
	*"install ok installed"*) ;;
	*) missing="$missing $p" ;;
	esac
done

kpkgs=""
kmsg=", kernel $KLINE present"
if ! kline_installed; then
	kv=$(kline_newest)
	if [ -z "$kv" ] && [ "$(id -u)" = 0 ]; then
		apt-get update -qq >/dev/null 2>&1 || true
		kv=$(kline_newest)
	fi
	if [ -n "$kv" ]; then
		kpkgs="linux-headers-$kv linux-image-$kv-unsigned"
	else
		kmsg=", no Debian $KLINE amd64 kernel available (pccvs.ko builds for the installed kernels)"
	fi
fi

if [ -z "$missing$kpkgs" ]; then
	echo "deps: all $(echo $PKGS | wc -w) packages present$kmsg"
	exit 0
fi

if [ "$(id -u)" != 0 ]; then
	echo "deps: missing:$missing $kpkgs; run as root to install" >&2
	exit 1
fi

echo "deps: installing:$missing $kpkgs"
# Packages such as corosync and keepalived ship services; never start them on
# the build machine (tests start their own instances in namespaces).
policy=/usr/sbin/policy-rc.d
own_policy=0
if [ ! -e "$policy" ]; then
	printf '#!/bin/sh\nexit 101\n' >"$policy"
	chmod 755 "$policy"
	own_policy=1
fi
trap '[ "$own_policy" = 1 ] && rm -f "$policy"' EXIT

export DEBIAN_FRONTEND=noninteractive
apt-get update -qq || apt-get update
# shellcheck disable=SC2086
[ -z "$missing" ] || apt-get install -y -qq --no-install-recommends $missing
# The kernel line is an extra: failing to get it fails nothing else.
# shellcheck disable=SC2086
[ -z "$kpkgs" ] || apt-get install -y -qq --no-install-recommends $kpkgs ||
	echo "deps: could not install $kpkgs; pccvs.ko builds for the installed kernels only" >&2
echo "deps: done"
