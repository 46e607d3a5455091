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
"

missing=""
for p in $PKGS; do
	st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	case "$st" in
	*"install ok installed"*) ;;
	*) missing="$missing $p" ;;
	esac
done

if [ -z "$missing" ]; then
	echo "deps: all $(echo $PKGS | wc -w) packages present"
	exit 0
fi

if [ "$(id -u)" != 0 ]; then
	echo "deps: missing:$missing; run as root to install" >&2
	exit 1
fi

echo "deps: installing:$missing"
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
apt-get install -y -qq --no-install-recommends $missing
echo "deps: done"
