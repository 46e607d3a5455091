#!/usr/bin/python3
"""conndel.py: delete pccvs connection entries over generic netlink
(pccvsadm has no verb for it), in the director guest.

  conndel.py del < CONNS   CONNS: `pccvsadm -L -c -n -o json` output, or
                           lines "PROTO CADDR CPORT VADDR VPORT"; one
                           PCCVS_CMD_CONN_DEL per connection
  conndel.py flush         PCCVS_CMD_CONN_FLUSH (templates stay)

Prints "deleted PROTO CADDR:CPORT -> VADDR:VPORT" or "error ERRNO MESSAGE"
(the extack text) per request; exits 1 if any request failed.
Attribute numbers: kmod/include/uapi/linux/pccvs.h.
"""
import ipaddress
import json
import os
import socket
import struct
import sys

NETLINK_GENERIC = 16
SOL_NETLINK = 270
NETLINK_EXT_ACK = 11
NLM_F_REQUEST, NLM_F_ACK = 1, 4
NLMSG_ERROR = 2
NLMSGERR_ATTR_MSG = 1
NLM_F_ACK_TLVS = 0x200
NLM_F_CAPPED = 0x100
NLA_F_NESTED = 0x8000
GENL_ID_CTRL, CTRL_CMD_GETFAMILY = 0x10, 3
CTRL_ATTR_FAMILY_ID, CTRL_ATTR_FAMILY_NAME = 1, 2

PCCVS_CMD_CONN_DEL, PCCVS_CMD_CONN_FLUSH = 14, 15
PCCVS_A_CONN = 4
(A_AF, A_PROTOCOL, A_CADDR, A_CPORT, A_VADDR, A_VPORT) = range(1, 7)
PROTOS = {"TCP": 6, "UDP": 17, "SCTP": 132}


def nla(kind, payload):
    n = 4 + len(payload)
    return struct.pack("HH", n, kind) + payload + b"\0" * ((4 - n % 4) % 4)


def attrs(buf):
    out = {}
    while len(buf) >= 4:
        n, kind = struct.unpack_from("HH", buf)
        if n < 4:
            break
        out[kind & 0x3FFF] = buf[4:n]
        buf = buf[(n + 3) & ~3:]
    return out


class Genl:
    def __init__(self):
        self.s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_GENERIC)
        self.s.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
        self.s.bind((0, 0))
        self.seq = 0

    def request(self, family, cmd, payload, version=1):
        """Returns (errno, extack text, reply attributes)."""
        self.seq += 1
        body = struct.pack("BBH", cmd, version, 0) + payload
        hdr = struct.pack("IHHII", 16 + len(body), family, NLM_F_REQUEST | NLM_F_ACK, self.seq, 0)
        self.s.send(hdr + body)
        reply = {}
        while True:
            data = self.s.recv(65536)
            while len(data) >= 16:
                n, kind, flags, seq, _ = struct.unpack_from("IHHII", data)
                msg, data = data[16:n], data[(n + 3) & ~3:]
                if seq != self.seq:
                    continue
                if kind != NLMSG_ERROR:
                    reply = attrs(msg[4:])
                    continue
                err = -struct.unpack_from("i", msg)[0]
                text = ""
                if flags & NLM_F_ACK_TLVS:
                    off = 4 + (16 if flags & NLM_F_CAPPED else struct.unpack_from("I", msg, 4)[0])
                    m = attrs(msg[off:]).get(NLMSGERR_ATTR_MSG, b"")
                    text = m.rstrip(b"\0").decode(errors="replace")
                return err, text, reply

    def family(self, name):
        err, text, reply = self.request(GENL_ID_CTRL, CTRL_CMD_GETFAMILY,
                                        nla(CTRL_ATTR_FAMILY_NAME, name.encode() + b"\0"))
        if err:
            sys.exit("conndel: no generic netlink family %s: %s" % (name, os.strerror(err)))
        return struct.unpack("H", reply[CTRL_ATTR_FAMILY_ID][:2])[0]


def conn_nest(proto, caddr, cport, vaddr, vport):
    c, v = ipaddress.ip_address(caddr), ipaddress.ip_address(vaddr)
    af = socket.AF_INET if c.version == 4 else socket.AF_INET6
    inner = (nla(A_AF, struct.pack("H", af)) + nla(A_PROTOCOL, struct.pack("B", PROTOS[proto])) +
             nla(A_CADDR, c.packed) + nla(A_CPORT, struct.pack("H", int(cport))) +
             nla(A_VADDR, v.packed) + nla(A_VPORT, struct.pack("H", int(vport))))
    return nla(PCCVS_A_CONN | NLA_F_NESTED, inner)


def conns_from(text):
    text = text.strip()
    if text.startswith("{"):
        for c in json.loads(text)["connections"]:
            yield (c["protocol"], c["client_address"], c["client_port"],
                   c["virtual_address"], c["virtual_port"])
    else:
        for line in text.splitlines():
            if line.strip():
                yield tuple(line.split())


def main():
    if len(sys.argv) != 2 or sys.argv[1] not in ("del", "flush"):
        sys.exit(__doc__)
    g = Genl()
    fam = g.family("pccvs")
    bad = 0
    if sys.argv[1] == "flush":
        err, text, _ = g.request(fam, PCCVS_CMD_CONN_FLUSH, b"")
        print("flushed" if not err else "error %d %s" % (err, text))
        sys.exit(1 if err else 0)
    for c in conns_from(sys.stdin.read()):
        err, text, _ = g.request(fam, PCCVS_CMD_CONN_DEL, conn_nest(*c))
        if err:
            bad += 1
            print("error %d %s" % (err, text))
        else:
            print("deleted %s %s:%s -> %s:%s" % c)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
