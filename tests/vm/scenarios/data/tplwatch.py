#!/usr/bin/python3
"""tplwatch.py LOG CLIENT SERVER TIMEOUT_S SLACK_MS: the template life of one
client, from a log of `pccvsadm -L --templates -n -o json` polls (one line
each: "T0 T1 JSON", T0/T1 the guest's $EPOCHREALTIME before and after the
poll, JSON on one line), as written by 40-tplexpiry.sh.

The template should go through: busy (controlled_conns >= 1, expires_ms at
least the whole timeout), idle (counting down), busy again (a new
connection refreshed it), idle, gone. Prints RESULT-style lines (KEY=VALUE)
and one "CASE name ok|FAIL why" line per case: appear stays refresh expiry.

Times: a poll saw the table at some moment between its T0 and T1, so an
event between two polls is bounded by them, and the measured lifetime after
the last connection ended is an interval [lo, hi]. The module must not end a
template early (hi >= timeout - one 32 ms tick) and not late (lo <= timeout
+ SLACK_MS: scheduling under TCG emulation and the tick).
"""
import json
import sys

TICK_MS = 32


def load(path, client):
    polls = []
    with open(path) as f:
        for line in f:
            parts = line.split(" ", 2)
            if len(parts) < 3:
                continue
            try:
                t0, t1 = float(parts[0]) * 1000, float(parts[1]) * 1000
                doc = json.loads(parts[2])
            except ValueError:
                continue  # a line cut by the end of the watch
            tpl = [t for t in doc.get("templates", []) if t["client_address"] == client]
            polls.append((t0, t1, tpl[0] if tpl else None))
    return polls


def state(p):
    if p[2] is None:
        return "A"
    return "B" if p[2]["controlled_conns"] > 0 else "I"


def runs(polls):
    """[(state, [polls])] of consecutive polls in the same state."""
    out = []
    for p in polls:
        s = state(p)
        if out and out[-1][0] == s:
            out[-1][1].append(p)
        else:
            out.append((s, [p]))
    return out


def main():
    path, client, server, timeout, slack = sys.argv[1:6]
    tmo = int(timeout) * 1000
    slack = int(slack)
    polls = load(path, client)
    res, cases = {}, {}
    r = runs(polls)
    # drop the absent polls before the first appearance
    while r and r[0][0] == "A":
        r.pop(0)
    pattern = "".join(s for s, _ in r)
    res["polls"] = len(polls)
    res["poll_ms_max"] = round(max((p[1] - p[0] for p in polls), default=0))
    res["pattern"] = pattern
    if pattern != "BIBIA":
        why = "template states %s, want BIBIA (B busy, I idle, A gone)" % pattern
        for c in ("appear", "stays", "refresh", "expiry"):
            cases[c] = why
        # what can still be judged below needs the pattern; report and stop
        for k, v in res.items():
            print("%s=%s" % (k, v))
        for c, why in cases.items():
            print("CASE %s FAIL %s" % (c, why))
        return
    b1, i1, b2, i2, a = (x[1] for x in r)
    first = b1[0][2]

    # appear: confirmed, controlling the connection, pointing at its server
    res["appear_server"] = first["server_address"]
    res["appear_confirmed"] = str(first["confirmed"]).lower()
    ok = first["confirmed"] and first["server_address"] == server and first["origin"] == "local"
    cases["appear"] = None if ok else "first seen %s" % json.dumps(first)

    # stays: while busy, present with at least the whole timeout, for longer
    # than the timeout
    busy_ms = b1[-1][0] - b1[0][1]
    low = min(p[2]["expires_ms"] for p in b1 + b2)
    res["busy_ms"] = round(busy_ms)
    res["busy_expires_ms_min"] = low
    ok = low >= tmo and busy_ms > tmo
    cases["stays"] = None if ok else "busy %d ms (want > %d), expires_ms down to %d while busy" % (
        busy_ms, tmo, low)

    # counting down while idle: expires_ms falls as the wall clock does
    worst = 0
    for x, y in zip(i1, i1[1:]):
        elapsed_lo, elapsed_hi = y[0] - x[1], y[1] - x[0]
        fall = x[2]["expires_ms"] - y[2]["expires_ms"]
        worst = max(worst, fall - elapsed_hi, elapsed_lo - fall)
    res["countdown_err_ms"] = round(worst)

    # refresh: the new connection took it back to the whole timeout, and it
    # outlived the expiry it had before
    before = i1[-1][1] + i1[-1][2]["expires_ms"]  # latest possible old expiry
    outlived = i2[-1][0] - before
    res["refresh_expires_ms"] = b2[0][2]["expires_ms"]
    res["refresh_outlived_ms"] = round(outlived)
    same = all(p[2]["server_address"] == server and p[2]["stamp"] == first["stamp"]
               for p in b2 + i2)
    ok = b2[0][2]["expires_ms"] >= tmo and outlived > 0 and same
    cases["refresh"] = None if ok else (
        "after the new connection expires_ms %d (want >= %d), outlived the old expiry by %d ms, "
        "same server and stamp %s" % (b2[0][2]["expires_ms"], tmo, outlived, same))

    # expiry: from the end of the last connection to the template's removal
    lo = i2[-1][0] - i2[0][1]
    hi = a[0][1] - b2[-1][0]
    res["expiry_lo_ms"] = round(lo)
    res["expiry_hi_ms"] = round(hi)
    res["expiry_est_ms"] = round((lo + hi) / 2)
    res["expires_ms_at_idle"] = i2[0][2]["expires_ms"]
    ok = hi >= tmo - TICK_MS and lo <= tmo + slack
    cases["expiry"] = None if ok else (
        "gone %d..%d ms after the last connection ended, want %d (not early by more than "
        "%d ms, not late by more than %d ms)" % (lo, hi, tmo, TICK_MS, slack))

    for k, v in res.items():
        print("%s=%s" % (k, v))
    for c, why in cases.items():
        print("CASE %s %s" % (c, "ok" if why is None else "FAIL " + why))


if __name__ == "__main__":
    main()
