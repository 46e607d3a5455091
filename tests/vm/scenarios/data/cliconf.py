#!/usr/bin/python3
"""cliconf.py: the configuration of 50-cliconf.sh, one source for both
the pccvsadm commands that make it and the check of what the module reports.

  cliconf.py commands ADM [--ipvs]   shell lines that configure it (--ipvs:
                               without the port group, for ipvsadm)
  cliconf.py check [NAME=VAL..] < `pccvsadm -L -n -o json`
        compares every service and real server with the intent; prints
        "ok N services, M real servers" or one "bad ..." line per difference
        and exits 1. NAME=VAL edits the intent first (see edit()). Also one
        "np_timeout ..." line per never-persistent service whose timeout is
        not 0 (docs/cli-json.md), which does not change the verdict.

Covers: TCP/UDP/SCTP, IPv4/IPv6, firewall marks (both families), port 0,
persistence with dotted and prefix netmasks, a port group, every scheduler
and scheduler flags, DR/TUN/NAT real servers with weights (0 too),
thresholds and a NAT port change.
"""
import json
import sys

VIP4, VIP6, VIP4B = "203.0.113.100", "2001:db8:f::100", "203.0.113.101"
RS4 = ["192.0.2.11", "192.0.2.12", "192.0.2.13"]
RS6 = ["2001:db8:b::11", "2001:db8:b::12", "2001:db8:b::13"]
RT4 = ["192.0.2.21", "192.0.2.22", "192.0.2.23"]
RT6 = ["2001:db8:b::21", "2001:db8:b::22", "2001:db8:b::23"]


def svc(af, proto, addr, port, fwmark=0, sched="wlc", flags=(), persistent=0, netmask=None,
        pgroup="", dests=(), opts=""):
    full = 32 if af == "inet" else 128
    return {"af": af, "protocol": proto, "address": addr, "port": port, "fwmark": fwmark,
            "scheduler": sched, "sched_flags": list(flags), "persistent": bool(persistent),
            "timeout": persistent, "netmask": full if netmask is None else netmask,
            "pgroup": pgroup, "dests": list(dests), "opts": opts}


def dest(addr, port, fwd="route", weight=1, u=0, l=0):
    return {"address": addr, "port": port, "forward": fwd, "weight": weight,
            "u_threshold": u, "l_threshold": l}


WEB = [dest(RS4[0], None, weight=1), dest(RS4[1], None, weight=2, u=100, l=50),
       dest(RS4[2], None, weight=3)]


def intent():
    web = lambda port: [dict(d, port=port) for d in WEB]
    return [
        # a port group of two persistent services, dotted netmask
        svc("inet", "TCP", VIP4, 80, persistent=600, netmask=24, pgroup="web", dests=web(80),
            opts="-p 600 -M 255.255.255.0 --pgroup web"),
        svc("inet", "TCP", VIP4, 443, persistent=600, netmask=24, pgroup="web", dests=web(443),
            opts="-p 600 -M 255.255.255.0 --pgroup web"),
        # UDP, source hashing with both flags, NAT with a port change
        svc("inet", "UDP", VIP4, 53, sched="sh", flags=["sh-fallback", "sh-port"],
            dests=[dest(RS4[0], 5353, "masq", 5), dest(RS4[1], 5353, "masq", 1)],
            opts="-b sh-fallback,sh-port"),
        # port 0: every port, persistent; DR and TUN
        svc("inet", "TCP", VIP4, 0, sched="rr", persistent=300,
            dests=[dest(RS4[2], 0), dest(RT4[0], 0, "tunnel", 2)], opts="-p"),
        # SCTP, never-quite-default scheduler
        svc("inet", "SCTP", VIP4, 9000, sched="rr", dests=[dest(RS4[0], 9000)]),
        # a second VIP: nq, NAT to another port, a quiescent server
        svc("inet", "TCP", VIP4B, 8080, sched="nq",
            dests=[dest(RS4[2], 8081, "masq", 1, 200, 150), dest(RS4[1], 8080, "masq", 0)]),
        # IPv6: Maglev with a flag, DR and TUN
        svc("inet6", "TCP", VIP6, 80, sched="mh", flags=["mh-port"],
            dests=[dest(RS6[0], 80), dest(RS6[1], 80, weight=7), dest(RT6[0], 80, "tunnel", 3)],
            opts="-b mh-port"),
        # IPv6 persistent with a prefix netmask
        svc("inet6", "TCP", VIP6, 443, sched="rr", persistent=1800, netmask=64,
            dests=[dest(RS6[2], 443, u=10, l=5)], opts="-p 1800 -M 64"),
        # IPv6 UDP, lc, NAT
        svc("inet6", "UDP", VIP6, 53, sched="lc", dests=[dest(RS6[2], 53, "masq", 2)]),
        # firewall marks: IPv4 persistent wrr DR+TUN, IPv6 sed
        svc("inet", "", "", 0, fwmark=7, sched="wrr", persistent=120,
            dests=[dest(RS4[0], 0), dest(RT4[1], 0, "tunnel", 4)], opts="-p 120"),
        svc("inet6", "", "", 0, fwmark=8, sched="sed", dests=[dest(RS6[0], 0, weight=2)]),
    ]


FLAG = {"route": "-g", "tunnel": "-i", "masq": "-m"}
PROTO = {"TCP": "-t", "UDP": "-u", "SCTP": "--sctp-service"}


def ident(s):
    if s["fwmark"]:
        return "-f %d%s" % (s["fwmark"], " -6" if s["af"] == "inet6" else "")
    a = "[%s]" % s["address"] if s["af"] == "inet6" else s["address"]
    return "%s %s:%d" % (PROTO[s["protocol"]], a, s["port"])


def commands(adm, ipvs=False):
    out = []
    for s in intent():
        line = "%s -A %s -s %s" % (adm, ident(s), s["scheduler"])
        opts = s["opts"].replace("--pgroup web", "") if ipvs else s["opts"]
        out.append((line + " " + opts).rstrip())
        for d in s["dests"]:
            a = "[%s]" % d["address"] if s["af"] == "inet6" else d["address"]
            if d["port"]:
                a += ":%d" % d["port"]
            elif ipvs and s["af"] == "inet6":
                a += ":0"  # ipvsadm wants a port after a bracketed address
            line = "%s -a %s -r %s %s -w %d" % (adm, ident(s), a, FLAG[d["forward"]], d["weight"])
            if d["u_threshold"] or d["l_threshold"]:
                line += " -x %d -y %d" % (d["u_threshold"], d["l_threshold"])
            out.append(line)
    return out


def key(s):
    return (s["af"], s["protocol"], s["address"], s["port"], s["fwmark"])


# Edits of the intent for later steps of the scenario: NAME=VAL.
def edit(want, name, val):
    web = [s for s in want if s["pgroup"] == "web"]
    if name == "web_add":  # a real server added to the group (--all-ports)
        for s in web:
            s["dests"].append(dest(val, s["port"]))
    elif name == "web_weight":  # ADDR:W on every service of the group
        a, w = val.split(":")
        for s in web:
            for d in s["dests"]:
                if d["address"] == a:
                    d["weight"] = int(w)
    elif name == "web_del":
        for s in web:
            s["dests"] = [d for d in s["dests"] if d["address"] != val]
    elif name == "web_new":  # a new member on port VAL with the group's servers
        s = json.loads(json.dumps(web[0]))
        s["port"] = int(val)
        for d in s["dests"]:
            d["port"] = int(val)
        want.append(s)
    else:
        sys.exit("cliconf: unknown edit %s" % name)


def check(doc, edits):
    want = intent()
    for e in edits:
        edit(want, *e.split("=", 1))
    got = {key(s): s for s in doc["services"]}
    bad, contract = [], []
    ndest = 0
    for w in want:
        g = got.pop(key(w), None)
        if g is None:
            bad.append("missing service %s" % ident(w))
            continue
        for f in ("scheduler", "persistent", "timeout", "netmask", "pgroup"):
            if g[f] == w[f]:
                continue
            msg = "%s: %s is %r, configured %r" % (ident(w), f, g[f], w[f])
            if f == "timeout" and not w["persistent"]:
                # docs/cli-json.md: "0 when never persistent"; reported
                # apart (the np_timeout case), not in the verdict
                contract.append(msg)
            else:
                bad.append(msg)
        if sorted(g["sched_flags"]) != sorted(w["sched_flags"]):
            bad.append("%s: sched_flags %r, configured %r" % (ident(w), g["sched_flags"],
                                                             w["sched_flags"]))
        gd = {(d["address"], d["port"]): d for d in g["dests"]}
        for d in w["dests"]:
            x = gd.pop((d["address"], d["port"]), None)
            ndest += 1
            if x is None:
                bad.append("%s: missing real server %s:%d" % (ident(w), d["address"], d["port"]))
                continue
            for f in ("forward", "weight", "u_threshold", "l_threshold"):
                if x[f] != d[f]:
                    bad.append("%s: real server %s:%d %s is %r, configured %r" % (
                        ident(w), d["address"], d["port"], f, x[f], d[f]))
        for a, p in gd:
            bad.append("%s: unexpected real server %s:%d" % (ident(w), a, p))
    for k in got:
        bad.append("unexpected service %r" % (k,))
    for b in bad:
        print("bad " + b)
    for c in contract:
        print("np_timeout " + c)
    if not bad:
        print("ok %d services, %d real servers" % (len(want), ndest))
    return 1 if bad else 0


def main():
    if len(sys.argv) >= 2 and sys.argv[1] == "commands":
        print("\n".join(commands(sys.argv[2] if len(sys.argv) > 2 else "pccvsadm",
                                 "--ipvs" in sys.argv[3:])))
    elif len(sys.argv) >= 2 and sys.argv[1] == "check":
        sys.exit(check(json.load(sys.stdin), sys.argv[2:]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
