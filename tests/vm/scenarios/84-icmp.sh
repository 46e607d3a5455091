#!/bin/bash
# ICMP errors about balanced connections reach the right real server, or
# the client, translated for NAT, so that path MTU discovery and port
# unreachables work through the director:
#  pmtu4/pmtu6  a client behind a router whose link to it has MTU 1280
#               fetches 64 KiB over DR: the real server's full-size segments
#               (DF) make the router send "fragmentation needed" / "packet
#               too big" to the VIP; the director must pass it to the real
#               server, or the transfer stalls (PMTU black hole)
#  natin4/6     NAT, UDP: the client's port unreachable for a real server's
#               reply (sent to the VIP) reaches the real server's socket
#  natout4/6    NAT, UDP: the real server's port unreachable reaches the
#               client's socket as coming from the VIP
# cases: pmtu4 pmtu6 natin4 natout4 natin6 natout6
. "$(dirname "$0")/../lib/scenario.sh"
R=pr C=pc                                  # router and small-link client
RC4=198.51.100.230 RC6=2001:db8:c::e6      # the router on the bridge
NET4=203.0.113.200/29 NET6=2001:db8:d::/64  # the small link
PC4=203.0.113.202 PC6=2001:db8:d::2
RS=r1 NRS=r2

# The router and its client: namespaces of the run, made once.
if ! ip netns list | grep -q "^$(ns_name $R)\b"; then
	ns_add $R && ns_addr $R $RC4/24 $RC6/64 && _vm_ns_create "$(ns_name $C)" &&
		ip -n "$(ns_name $R)" link add eth1 mtu 1280 type veth peer name eth0 netns "$(ns_name $C)" &&
		ns_exec $R sh -c "ip link set eth1 up && ip addr add 203.0.113.201/29 dev eth1 &&
			ip addr add 2001:db8:d::1/64 dev eth1 nodad &&
			sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1 &&
			ip route add $VIP4/32 via $DIRC4 && ip -6 route add $VIP6/128 via $DIRC6" &&
		ns_exec $C sh -c "sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0 &&
			ip link set eth0 up && ip addr add $PC4/29 dev eth0 && ip addr add $PC6/64 dev eth0 nodad &&
			ip route add default via 203.0.113.201 && ip -6 route add default via 2001:db8:d::1" ||
		{ fail pmtu4 "cannot set up the router and its client"; exit 1; }
fi

www=$SC_OUT/www
mkdir -p "$www" && head -c 65536 /dev/urandom >"$www/big"
rs_mode_all dr
rs_mode $NRS nat
# Routes to the small link, new: no path MTU learnt by a previous run.
ns_exec $RS sh -c "ip route del $NET4; ip -6 route del $NET6
	ip route add $NET4 via $RC4 && ip -6 route add $NET6 via $RC6" 2>/dev/null
srv=$(ns_spawn $RS "$SC_OUT/http.log" python3 -m http.server 8080 --bind :: --directory "$www")
# One reply to the first datagram, on a connected socket; then what the
# socket says: "refused" once the client's port unreachable came back.
responder='
import socket, sys, time
af = socket.AF_INET6 if ":" in sys.argv[1] else socket.AF_INET
s = socket.socket(af, socket.SOCK_DGRAM)
s.bind((sys.argv[1], int(sys.argv[2]))); s.settimeout(90)
d, a = s.recvfrom(100); s.connect(a); time.sleep(0.5); s.send(b"reply"); time.sleep(0.5)
s.settimeout(3)
try:
	s.recv(100); print("data", flush=True)
except ConnectionRefusedError:
	print("refused", flush=True)
except socket.timeout:
	print("timeout", flush=True)
'
udp4=$(ns_spawn $NRS "$SC_OUT/udp4.out" python3 -c "$responder" 0.0.0.0 5354)
udp6=$(ns_spawn $NRS "$SC_OUT/udp6.out" python3 -c "$responder" :: 5356)
cleanup() {
	vm_kill_spawned "$srv" 2>/dev/null
	vm_kill_spawned "$udp4" 2>/dev/null
	vm_kill_spawned "$udp6" 2>/dev/null
	ns_exec $RS sh -c "ip route del $NET4; ip -6 route del $NET6" 2>/dev/null
	rs_mode_all dr
}
trap cleanup EXIT

script="$ADM -A -t $VIP4:8080 -s rr && $ADM -a -t $VIP4:8080 -r ${RS4[0]}:8080 -g &&
	$ADM -A -t [$VIP6]:8080 -s rr && $ADM -a -t [$VIP6]:8080 -r [${RS6[0]}]:8080 -g &&
	$ADM -A -u $VIP4:5353 -s rr && $ADM -a -u $VIP4:5353 -r ${RS4[1]}:5353 -m &&
	$ADM -A -u $VIP4:5354 -s rr && $ADM -a -u $VIP4:5354 -r ${RS4[1]}:5354 -m &&
	$ADM -A -u [$VIP6]:5355 -s rr && $ADM -a -u [$VIP6]:5355 -r [${RS6[1]}]:5355 -m &&
	$ADM -A -u [$VIP6]:5356 -s rr && $ADM -a -u [$VIP6]:5356 -r [${RS6[1]}]:5356 -m"
adm_reset && on_lb "$script" || { fail pmtu4 "cannot configure"; exit 1; }
vm_poll 10 "ns_exec $RS ss -ltn | grep -q ':8080 '" || { fail pmtu4 "no HTTP server on $RS"; exit 1; }

fetch() {
	ns_exec $C timeout 20 python3 -c '
import sys, urllib.request
try:
	print(len(urllib.request.urlopen(sys.argv[1], timeout=8).read()))
except Exception as e:
	print(type(e).__name__)' "$1"
}
got4=$(fetch "http://$VIP4:8080/big")
got6=$(fetch "http://[$VIP6]:8080/big")
result pmtu4_bytes "$got4"
result pmtu6_bytes "$got6"
result rs_pmtu4 "$(ns_exec $RS ip route get $PC4 | grep -o 'mtu [0-9]*')"
check pmtu4 "[ '$got4' = 65536 ]" "the client behind the 1280-byte link got '$got4' of 65536 bytes (IPv4)"
check pmtu6 "[ '$got6' = 65536 ]" "the client behind the 1280-byte link got '$got6' of 65536 bytes (IPv6)"

# NAT, the client's error to the VIP: the real server's connected socket
# sees ECONNREFUSED. The client sends one datagram and closes at once.
send_close() {
	ns_exec c python3 -c '
import socket, sys
af = socket.AF_INET6 if ":" in sys.argv[1] else socket.AF_INET
s = socket.socket(af, socket.SOCK_DGRAM)
s.bind((sys.argv[1], 0)); s.sendto(b"q", (sys.argv[2], int(sys.argv[3]))); s.close()' "$@"
}
# NAT, the real server's error to the client: the client's socket,
# connected to the VIP, sees ECONNREFUSED.
ask() {
	ns_exec c timeout 10 python3 -c '
import socket, sys
af = socket.AF_INET6 if ":" in sys.argv[1] else socket.AF_INET
s = socket.socket(af, socket.SOCK_DGRAM)
s.bind((sys.argv[1], 0)); s.connect((sys.argv[2], int(sys.argv[3]))); s.settimeout(3); s.send(b"q")
try:
	s.recv(100); print("data")
except ConnectionRefusedError:
	print("refused")
except socket.timeout:
	print("timeout")' "$@"
}
send_close 198.51.100.51 "$VIP4" 5354
send_close 2001:db8:c::33 "$VIP6" 5356
vm_poll 8 "[ -s '$SC_OUT/udp4.out' ] && [ -s '$SC_OUT/udp6.out' ]"
in4=$(head -n1 "$SC_OUT/udp4.out") in6=$(head -n1 "$SC_OUT/udp6.out")
check natin4 "[ '$in4' = refused ]" "the real server's socket saw '$in4', not refused"
check natin6 "[ '$in6' = refused ]" "the real server's socket saw '$in6', not refused"
out4=$(ask 198.51.100.50 "$VIP4" 5353)
out6=$(ask 2001:db8:c::32 "$VIP6" 5355)
check natout4 "[ '$out4' = refused ]" "the client's socket saw '$out4', not refused"
check natout6 "[ '$out6' = refused ]" "the client's socket saw '$out6', not refused"
adm_reset
