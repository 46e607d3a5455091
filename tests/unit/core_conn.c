// SPDX-License-Identifier: GPL-2.0
/*
 * core_conn.c: the connection table: TCP states and timeouts, counters,
 * port reuse, the NAT reply path, fwmark services, table limits, the
 * connection dump, the expiry wheels (several CPUs, budget) and stats.
 */
#include "core_util.h"

#define VIP "192.0.2.1"
#define C "198.51.100.7"
#define P PCCVS_SVC_F_PERSISTENT

static struct pcc_table *rr_svc(u32 flags, u8 fwd, u32 conn_max)
{
	struct pcc_table *t = mk_table(conn_max, 1024, NULL);
	struct pcc_svc_key k = skey(VIP, TCP, 80);

	svc_add(t, k, flags, "rr", 300);
	assert_int_equal(dest_add_full(t, k, "10.0.0.1", fwd == PCCVS_FWD_NAT ? 8080 : 0, fwd, 1),
			 0);
	assert_int_equal(dest_add_full(t, k, "10.0.0.2", fwd == PCCVS_FWD_NAT ? 8080 : 0, fwd, 1),
			 0);
	return t;
}

static struct pcc_conn_info conn_of(struct pcc_table *t, u16 cport, u64 now)
{
	struct pcc_conn_info ci = { .af = AF_INET, .protocol = TCP, .cport = cport, .vport = 80 };
	struct pcc_conn_cursor cur = { 0 };
	struct pcc_conn_info out[8];
	unsigned int n, i;

	while ((n = pcc_conn_iter(t, &cur, now, out, 8))) {
		for (i = 0; i < n; i++) {
			if (out[i].cport == cport)
				return out[i];
		}
	}
	ci.state = 0xff;
	return ci;
}

static struct pcc_dest_info dest_info(struct pcc_table *t, unsigned int idx)
{
	struct pcc_svc_key k = skey(VIP, TCP, 80);
	struct pcc_dest_info di[4];
	u32 pos = 0;

	assert_true(pcc_dest_list(t, &k, &pos, di, 4) > (int)idx);
	return di[idx];
}

/* Active and inactive connections over both dests. */
static unsigned int dests_active(struct pcc_table *t)
{
	return dest_info(t, 0).active + dest_info(t, 1).active;
}

static unsigned int dests_inactive(struct pcc_table *t)
{
	return dest_info(t, 0).inactive + dest_info(t, 1).inactive;
}

/* DR: the director sees only the client: SYN, ACK, FIN, then FIN_WAIT. */
static void tcp_states_dr(void **state)
{
	struct pcc_table *t = rr_svc(0, PCCVS_FWD_DR, 64);
	struct pcc_verdict v;
	struct pcc_conn_info ci;

	pkt(t, TCP, SYN, C, 1, VIP, 80, T0, &v);
	ci = conn_of(t, 1, T0);
	assert_int_equal(ci.state, PCCVS_CS_SYN_RECV);
	assert_int_equal(ci.remaining_ms, 30000);
	assert_int_equal(dests_inactive(t), 1);
	pkt(t, TCP, ACK, C, 1, VIP, 80, T0 + 5, &v);
	ci = conn_of(t, 1, T0 + 5);
	assert_int_equal(ci.state, PCCVS_CS_ESTABLISHED);
	assert_int_equal(ci.remaining_ms, 300000);
	assert_int_equal(ci.flags, PCCVS_CONN_F_CONFIRMED);
	assert_int_equal(dests_active(t), 1);
	assert_int_equal(dests_inactive(t), 0);
	pkt(t, TCP, FIN, C, 1, VIP, 80, T0 + 10, &v);
	ci = conn_of(t, 1, T0 + 10);
	assert_int_equal(ci.state, PCCVS_CS_FIN_WAIT);
	assert_int_equal(ci.remaining_ms, 60000);
	assert_int_equal(dests_active(t), 0);
	assert_int_equal(dests_inactive(t), 1);
	pkt(t, TCP, ACK, C, 1, VIP, 80, T0 + 20, &v);
	assert_int_equal(conn_of(t, 1, T0).state, PCCVS_CS_FIN_WAIT);
	/* The shorter timeout is honoured (the wheel is told). */
	pcc_tick(t, T0 + 20 + 60000 + PCC_TICK_MS, 0);
	assert_int_equal(tstats(t).conn_count, 0);
	assert_int_equal(dests_inactive(t), 0);
	/* RST from anywhere: CLOSE, 10 s. */
	pkt(t, TCP, SYN, C, 2, VIP, 80, T0, &v);
	pkt(t, TCP, RST, C, 2, VIP, 80, T0, &v);
	ci = conn_of(t, 2, T0);
	assert_int_equal(ci.state, PCCVS_CS_CLOSE);
	assert_int_equal(ci.remaining_ms, 10000);
	pcc_table_destroy(t);
}

/* NAT sees both directions: the reply path un-rewrites, counts, and moves
 * the states through CLOSE_WAIT / LAST_ACK / TIME_WAIT. */
static void nat_reply_path(void **state)
{
	struct pcc_table *t = rr_svc(0, PCCVS_FWD_NAT, 64);
	struct pcc_verdict v;
	struct pcc_pkt r;
	struct pcc_svc_info si;
	struct pcc_svc_key k = skey(VIP, TCP, 80);
	const char *rip;

	assert_true(pcc_has_nat(t));
	assert_int_equal(pkt(t, TCP, SYN, C, 1000, VIP, 80, T0, &v), PCC_FORWARD);
	assert_int_equal(v.fwd, PCCVS_FWD_NAT);
	assert_int_equal(v.dport, 8080);
	rip = addr_is(&v.daddr, "10.0.0.1") ? "10.0.0.1" : "10.0.0.2";
	r = mkpkt(TCP, SYN | ACK, rip, 8080, C, 1000);
	assert_int_equal(pcc_decide_reply(t, &r, T0 + 1, &v), PCC_REPLY);
	assert_true(addr_is(&v.vaddr, VIP));
	assert_int_equal(v.vport, 80);
	/* Not ours: wrong port, wrong client. */
	r = mkpkt(TCP, ACK, rip, 8081, C, 1000);
	assert_int_equal(pcc_decide_reply(t, &r, T0 + 1, &v), PCC_PASS);
	r = mkpkt(TCP, ACK, rip, 8080, C, 1001);
	assert_int_equal(pcc_decide_reply(t, &r, T0 + 1, &v), PCC_PASS);
	pkt(t, TCP, ACK, C, 1000, VIP, 80, T0 + 2, &v);
	/* Server closes first: CLOSE_WAIT, then client FIN: LAST_ACK,
	 * then the server's last ACK: TIME_WAIT. */
	r = mkpkt(TCP, FIN, rip, 8080, C, 1000);
	pcc_decide_reply(t, &r, T0 + 3, &v);
	assert_int_equal(conn_of(t, 1000, T0).state, PCCVS_CS_CLOSE_WAIT);
	pkt(t, TCP, FIN, C, 1000, VIP, 80, T0 + 4, &v);
	assert_int_equal(conn_of(t, 1000, T0).state, PCCVS_CS_LAST_ACK);
	r = mkpkt(TCP, ACK, rip, 8080, C, 1000);
	pcc_decide_reply(t, &r, T0 + 5, &v);
	assert_int_equal(conn_of(t, 1000, T0).state, PCCVS_CS_TIME_WAIT);
	/* Client closes first: FIN_WAIT, server FIN: LAST_ACK, client ACK. */
	pkt(t, TCP, SYN, C, 1001, VIP, 80, T0, &v);
	pkt(t, TCP, ACK, C, 1001, VIP, 80, T0, &v);
	pkt(t, TCP, FIN, C, 1001, VIP, 80, T0, &v);
	rip = addr_is(&v.daddr, "10.0.0.1") ? "10.0.0.1" : "10.0.0.2";
	assert_int_equal(conn_of(t, 1001, T0).state, PCCVS_CS_FIN_WAIT);
	r = mkpkt(TCP, FIN, rip, 8080, C, 1001);
	pcc_decide_reply(t, &r, T0 + 1, &v);
	assert_int_equal(conn_of(t, 1001, T0).state, PCCVS_CS_LAST_ACK);
	pkt(t, TCP, ACK, C, 1001, VIP, 80, T0 + 2, &v);
	assert_int_equal(conn_of(t, 1001, T0).state, PCCVS_CS_TIME_WAIT);
	assert_int_equal(pcc_svc_get(t, &k, &si), 0);
	assert_int_equal(si.stats.outpkts, 4);
	assert_int_equal(si.stats.outbytes, 400);
	assert_int_equal(si.stats.inpkts, 7);
	assert_int_equal(si.stats.conns, 2);
	/* Connections expire out of the reply index too. */
	pcc_tick(t, T0 + 60000 + 64, 0);
	assert_int_equal(tstats(t).conn_count, 0);
	assert_int_equal(pcc_decide_reply(t, &r, T0 + 60100, &v), PCC_PASS);
	pcc_table_destroy(t);
}

/* A SYN on a closed connection's ports: rescheduled, unless persistent. */
static void port_reuse(void **state)
{
	struct pcc_table *t = rr_svc(0, PCCVS_FWD_DR, 64);
	struct pcc_table *p = rr_svc(P, PCCVS_FWD_DR, 64);
	struct pcc_table *n = rr_svc(0, PCCVS_FWD_NAT, 64);
	struct pcc_verdict v;
	unsigned int a, b;

	a = tcp_open_last(t, C, 1, VIP, 80, T0);
	pkt(t, TCP, RST, C, 1, VIP, 80, T0, &v);
	b = tcp_open_last(t, C, 1, VIP, 80, T0 + 1);
	assert_int_not_equal(a, b);
	/* DR: FIN_WAIT may be reused too. */
	pkt(t, TCP, FIN, C, 1, VIP, 80, T0 + 2, &v);
	assert_int_equal(tcp_open_last(t, C, 1, VIP, 80, T0 + 3), a);
	assert_int_equal(tstats(t).conn_count, 1);
	/* Persistent: the template keeps the server. */
	a = tcp_open_last(p, C, 1, VIP, 80, T0);
	pkt(p, TCP, RST, C, 1, VIP, 80, T0, &v);
	assert_int_equal(tcp_open_last(p, C, 1, VIP, 80, T0 + 1), a);
	pkt(p, TCP, FIN, C, 1, VIP, 80, T0 + 2, &v);
	assert_int_equal(tcp_open_last(p, C, 1, VIP, 80, T0 + 3), a);
	/* NAT in FIN_WAIT: the old connection still owns the ports. */
	a = tcp_open_last(n, C, 1, VIP, 80, T0);
	pkt(n, TCP, FIN, C, 1, VIP, 80, T0, &v);
	pkt(n, TCP, SYN, C, 1, VIP, 80, T0 + 1, &v);
	assert_int_equal(vd_last(&v), a);
	assert_int_equal(conn_of(n, 1, T0).state, PCCVS_CS_FIN_WAIT);
	pcc_table_destroy(t);
	pcc_table_destroy(p);
	pcc_table_destroy(n);
}

/* fwmark first, then VIP:port, then VIP:0; other packets pass. */
static void fwmark_service(void **state)
{
	struct pcc_table *t = mk_table(64, 64, NULL);
	struct pcc_svc_key fk = fkey(AF_INET, 7), k = skey(VIP, TCP, 80);
	struct pcc_pkt p;
	struct pcc_verdict v;
	struct pcc_conn_info ci;

	svc_add(t, fk, 0, "rr", 0);
	svc_add(t, k, 0, "rr", 0);
	dest_add(t, fk, "10.0.0.7", 1);
	dest_add(t, k, "10.0.0.1", 1);
	p = mkpkt(TCP, SYN, C, 1, "203.0.113.9", 443);
	assert_int_equal(pcc_decide(t, &p, T0, &v), PCC_PASS);
	p.fwmark = 7;
	assert_int_equal(pcc_decide(t, &p, T0, &v), PCC_FORWARD);
	assert_true(addr_is(&v.daddr, "10.0.0.7"));
	assert_int_equal(v.dport, 443);
	p = mkpkt(TCP, SYN, C, 2, VIP, 80);
	p.fwmark = 7;
	assert_int_equal(pcc_decide(t, &p, T0, &v), PCC_FORWARD);
	assert_true(addr_is(&v.daddr, "10.0.0.7"));
	p.fwmark = 8;
	p.sport = 3;
	assert_int_equal(pcc_decide(t, &p, T0, &v), PCC_FORWARD);
	assert_true(addr_is(&v.daddr, "10.0.0.1"));
	ci = conn_of(t, 2, T0);
	assert_int_equal(ci.fwmark, 7);
	assert_true(addr_is(&ci.vaddr, VIP));
	/* A fwmark service has no address, protocol or port. */
	fk.protocol = TCP;
	assert_int_equal(svc_add_full(t, fk, 0, "rr", 0, -1, NULL), -EINVAL);
	/* Not TCP/UDP/SCTP, or not a service: pass. */
	p = mkpkt(1, 0, C, 0, VIP, 0);
	assert_int_equal(pcc_decide(t, &p, T0, &v), PCC_PASS);
	p = mkpkt(UDP, 0, C, 1, VIP, 80);
	assert_int_equal(pcc_decide(t, &p, T0, &v), PCC_PASS);
	pcc_table_destroy(t);
}

/*
 * The two stages around the mangle table: early (mark not final) follows
 * known connections only while a fwmark service exists; late decides the
 * rest with the final mark and leaves known connections as they are.
 */
static void fwmark_stages(void **state)
{
	struct pcc_table *t = mk_table(64, 64, NULL);
	struct pcc_svc_key fk = fkey(AF_INET, 7), k = skey(VIP, TCP, 80);
	struct pcc_err e = { NULL };
	struct pcc_verdict v;
	struct pcc_pkt p;

	svc_add(t, k, 0, "rr", 0);
	dest_add(t, k, "10.0.0.1", 1);
	/* No fwmark service: early decides everything. */
	assert_false(pcc_has_fwmark(t));
	p = mkpkt(TCP, SYN, C, 1, VIP, 80);
	assert_int_equal(pcc_decide_early(t, &p, T0, &v), PCC_FORWARD);
	assert_int_equal(vd_last(&v), 1);
	assert_int_equal(conn_of(t, 1, T0).state, PCCVS_CS_SYN_RECV);

	svc_add(t, fk, 0, "rr", 0);
	dest_add(t, fk, "10.0.0.7", 1);
	assert_true(pcc_has_fwmark(t));
	/* A known connection still goes early. */
	p = mkpkt(TCP, ACK, C, 1, VIP, 80);
	assert_int_equal(pcc_decide_early(t, &p, T0, &v), PCC_FORWARD);
	assert_int_equal(vd_last(&v), 1);
	assert_int_equal(conn_of(t, 1, T0).state, PCCVS_CS_ESTABLISHED);
	/* A new flow waits for the mark, which wins over VIP:port (IPVS). */
	p = mkpkt(TCP, SYN, C, 2, VIP, 80);
	assert_int_equal(pcc_decide_early(t, &p, T0, &v), PCC_PASS);
	assert_int_equal(conn_of(t, 2, T0).state, 0xff);
	p.fwmark = 7;
	assert_int_equal(pcc_decide_late(t, &p, T0, &v), PCC_FORWARD);
	assert_int_equal(vd_last(&v), 7);
	assert_int_equal(conn_of(t, 2, T0).fwmark, 7);
	/* Its next packets: early, whatever their mark. */
	p = mkpkt(TCP, ACK, C, 2, VIP, 80);
	assert_int_equal(pcc_decide_early(t, &p, T0, &v), PCC_FORWARD);
	assert_int_equal(vd_last(&v), 7);
	/* Late on a known connection: forwarded, neither counted nor moved. */
	p = mkpkt(TCP, FIN, C, 2, VIP, 80);
	assert_int_equal(pcc_decide_late(t, &p, T0, &v), PCC_FORWARD);
	assert_int_equal(vd_last(&v), 7);
	assert_int_equal(conn_of(t, 2, T0).state, PCCVS_CS_ESTABLISHED);
	assert_int_equal(pcc_decide_early(t, &p, T0, &v), PCC_FORWARD);
	assert_int_equal(conn_of(t, 2, T0).state, PCCVS_CS_FIN_WAIT);
	/* Port reuse is a new decision: late, here without a mark. */
	p = mkpkt(TCP, SYN, C, 2, VIP, 80);
	assert_int_equal(pcc_decide_early(t, &p, T0, &v), PCC_PASS);
	assert_int_equal(conn_of(t, 2, T0).state, PCCVS_CS_FIN_WAIT);
	assert_int_equal(pcc_decide_late(t, &p, T0, &v), PCC_FORWARD);
	assert_int_equal(vd_last(&v), 1);
	assert_int_equal(conn_of(t, 2, T0).state, PCCVS_CS_SYN_RECV);
	/* No service: both pass; an unmarked flow for no VIP too. */
	p = mkpkt(TCP, SYN, C, 3, "203.0.113.9", 80);
	assert_int_equal(pcc_decide_early(t, &p, T0, &v), PCC_PASS);
	assert_int_equal(pcc_decide_late(t, &p, T0, &v), PCC_PASS);
	p.fwmark = 7;
	assert_int_equal(pcc_decide_late(t, &p, T0, &v), PCC_FORWARD);
	assert_int_equal(vd_last(&v), 7);
	/* The last fwmark service gone: early decides everything again. */
	assert_int_equal(pcc_svc_del(t, &fk, &e), 0);
	assert_false(pcc_has_fwmark(t));
	p = mkpkt(TCP, SYN, C, 4, VIP, 80);
	assert_int_equal(pcc_decide_early(t, &p, T0, &v), PCC_FORWARD);
	assert_int_equal(vd_last(&v), 1);
	pcc_table_destroy(t);
}

/*
 * ICMP errors: the embedded packet, swapped, finds its connection; the
 * connection neither moves nor expires later; the error counts as a packet.
 */
static void icmp_related(void **state)
{
	struct pcc_table *t = rr_svc(0, PCCVS_FWD_DR, 64), *n = rr_svc(0, PCCVS_FWD_NAT, 64);
	struct pcc_svc_info si0, si1;
	struct pcc_svc_key k = skey(VIP, TCP, 80);
	struct pcc_verdict v, v0;
	struct pcc_conn_info c0;
	struct pcc_pkt p;
	const char *rip;

	/* DR: an error on its way to the VIP goes to the connection's server. */
	v0 = tcp_open(t, C, 1000, VIP, 80, T0);
	c0 = conn_of(t, 1000, T0);
	assert_int_equal(pcc_svc_get(t, &k, &si0), 0);
	p = mkpkt(TCP, SYN | ACK, C, 1000, VIP, 80);	/* the reply's flags: no matter */
	assert_int_equal(pcc_decide_related(t, &p, T0 + 5000, &v), PCC_FORWARD);
	assert_int_equal(v.fwd, PCCVS_FWD_DR);
	assert_memory_equal(&v.daddr, &v0.daddr, sizeof(v.daddr));
	assert_true(addr_is(&v.vaddr, VIP));
	assert_int_equal(v.vport, 80);
	assert_int_equal(conn_of(t, 1000, T0).state, c0.state);
	assert_int_equal(conn_of(t, 1000, T0 + 5000).remaining_ms, c0.remaining_ms - 5000);
	assert_int_equal(pcc_svc_get(t, &k, &si1), 0);
	assert_int_equal(si1.stats.inpkts, si0.stats.inpkts + 1);
	/* No such connection; and no reply index without NAT. */
	p = mkpkt(TCP, ACK, C, 1001, VIP, 80);
	assert_int_equal(pcc_decide_related(t, &p, T0, &v), PCC_PASS);
	p = mkpkt(TCP, ACK, "10.0.0.1", 80, C, 1000);
	assert_int_equal(pcc_decide_related_reply(t, &p, T0, &v), PCC_PASS);

	/* NAT: both ways. To the VIP: the server and the service to translate. */
	assert_int_equal(pkt(n, TCP, SYN, C, 2000, VIP, 80, T0, &v0), PCC_FORWARD);
	rip = addr_is(&v0.daddr, "10.0.0.1") ? "10.0.0.1" : "10.0.0.2";
	p = mkpkt(UDP, 0, C, 2000, VIP, 80);	/* another protocol: not this one */
	assert_int_equal(pcc_decide_related(n, &p, T0, &v), PCC_PASS);
	p = mkpkt(TCP, 0, C, 2000, VIP, 80);
	assert_int_equal(pcc_decide_related(n, &p, T0, &v), PCC_FORWARD);
	assert_int_equal(v.fwd, PCCVS_FWD_NAT);
	assert_true(addr_is(&v.daddr, rip));
	assert_int_equal(v.dport, 8080);
	assert_true(addr_is(&v.vaddr, VIP));
	assert_int_equal(v.vport, 80);
	/* To the client, about what went to the server: the VIP to restore. */
	assert_int_equal(pcc_svc_get(n, &k, &si0), 0);
	p = mkpkt(TCP, 0, rip, 8080, C, 2000);
	assert_int_equal(pcc_decide_related_reply(n, &p, T0, &v), PCC_REPLY);
	assert_true(addr_is(&v.vaddr, VIP));
	assert_int_equal(v.vport, 80);
	assert_int_equal(conn_of(n, 2000, T0).state, PCCVS_CS_SYN_RECV);
	assert_int_equal(pcc_svc_get(n, &k, &si1), 0);
	assert_int_equal(si1.stats.outpkts, si0.stats.outpkts + 1);
	p = mkpkt(TCP, 0, rip, 8081, C, 2000);
	assert_int_equal(pcc_decide_related_reply(n, &p, T0, &v), PCC_PASS);
	pcc_table_destroy(t);
	pcc_table_destroy(n);
}

/* Full tables refuse and count; nothing is allocated past the limit. */
static void table_full(void **state)
{
	struct pcc_table *t = rr_svc(0, PCCVS_FWD_DR, 4);
	struct pcc_table *p = mk_table(64, 2, NULL);
	struct pcc_svc_key k = skey(VIP, TCP, 80);
	struct pcc_verdict v;
	struct pcc_cfg cfg = { .conn_max = 2 };
	unsigned int i;
	char c[32];

	for (i = 0; i < 6; i++) {
		snprintf(c, sizeof(c), "198.51.100.%u", i);
		pkt(t, TCP, SYN, c, 1, VIP, 80, T0, &v);
		assert_int_equal(v.action, i < 4 ? PCC_FORWARD : PCC_DROP);
	}
	assert_int_equal(v.reason, PCC_DROP_CONN_FULL);
	assert_int_equal(tstats(t).conn_refused, 2);
	assert_int_equal(tstats(t).conn_count, 4);
	/* Lowering the limit below the count: refused until it falls below. */
	assert_int_equal(pcc_cfg_set(t, &cfg, NULL), 0);
	pcc_tick(t, T0 + 30000 + PCC_TICK_MS, 0);
	assert_int_equal(tstats(t).conn_count, 0);
	pkt(t, TCP, SYN, C, 1, VIP, 80, T0 + 30100, &v);
	pkt(t, TCP, SYN, C, 2, VIP, 80, T0 + 30100, &v);
	assert_int_equal(pkt(t, TCP, SYN, C, 3, VIP, 80, T0 + 30100, &v), PCC_DROP);

	svc_add(p, k, P, "rr", 300);
	dest_add(p, k, "10.0.0.1", 1);
	for (i = 0; i < 3; i++) {
		snprintf(c, sizeof(c), "198.51.100.%u", i);
		pkt(p, TCP, SYN, c, 1, VIP, 80, T0, &v);
	}
	assert_int_equal(v.action, PCC_DROP);
	assert_int_equal(v.reason, PCC_DROP_TPL_FULL);
	assert_int_equal(tstats(p).tpl_refused, 1);
	{
		struct pcc_tpl_info in = { .dom = dom_of(k), .dport = 80, .remaining_ms = 1000 };

		in.caddr = A("203.0.113.1");
		in.daddr = A("10.0.0.1");
		assert_int_equal(pcc_tpl_inject(p, &in, T0, NULL, NULL), -ENOSPC);
	}
	pcc_table_destroy(t);
	pcc_table_destroy(p);
}

static void conn_dump_del_flush(void **state)
{
	struct pcc_table *t = rr_svc(P, PCCVS_FWD_DR, 4096);
	struct pcc_conn_cursor cur = { 0 };
	struct pcc_conn_info out[5], key;
	unsigned int i, n, total = 0;
	u32 gen;

	for (i = 0; i < 100; i++)
		tcp_open(t, C, (u16)(1000 + i), VIP, 80, T0);
	while ((n = pcc_conn_iter(t, &cur, T0, out, 5))) {
		for (i = 0; i < n; i++) {
			assert_true(out[i].cport >= 1000 && out[i].cport < 1100);
			assert_int_equal(out[i].flags,
					 PCCVS_CONN_F_TEMPLATE | PCCVS_CONN_F_CONFIRMED);
		}
		total += n;
	}
	assert_int_equal(total, 100);
	key = conn_of(t, 1042, T0);
	assert_int_equal(pcc_conn_del(t, &key), 0);
	assert_int_equal(pcc_conn_del(t, &key), -ENOENT);
	assert_int_equal(tstats(t).conn_count, 99);
	gen = cur.gen;
	pcc_conn_flush(t);
	assert_int_equal(tstats(t).conn_count, 0);
	/* Templates stay. */
	assert_int_equal(tstats(t).tpl_count, 1);
	memset(&cur, 0, sizeof(cur));
	assert_int_equal(pcc_conn_iter(t, &cur, T0, out, 5), 0);
	assert_int_not_equal(cur.gen, gen);
	pcc_table_destroy(t);
}

/* Connections made on several CPUs land on several wheels; a budgeted
 * tick catches up over several calls. */
static void wheels_and_budget(void **state)
{
	struct pcc_table_conf tc = { .conn_max = 4096, .tpl_max = 4096, .nwheels = 4 };
	struct pcc_svc_key k = skey(VIP, UDP, 53);
	struct pcc_table *t;
	struct pcc_verdict v;
	unsigned int i, calls = 0;
	u32 left;

	assert_int_equal(pcc_table_create(&t, &tc, T0), 0);
	svc_add(t, k, 0, "rr", 0);
	dest_add(t, k, "10.0.0.1", 1);
	for (i = 0; i < 1000; i++) {
		char c[32];

		pcc_user_cpu = i % 7;
		snprintf(c, sizeof(c), "198.51.%u.%u", 100 + i / 250, i % 250);
		assert_int_equal(pkt(t, UDP, 0, c, 53, VIP, 53, T0 + i, &v), PCC_FORWARD);
	}
	pcc_user_cpu = 0;
	assert_int_equal(pcc_tick(t, T0 + 59000, 0), 0);
	assert_int_equal(tstats(t).conn_count, 1000);
	do {
		left = pcc_tick(t, T0 + 61000 + PCC_TICK_MS, 100);
		calls++;
	} while (left && calls < 100);
	assert_int_equal(left, 0);
	assert_true(calls >= 10);
	assert_int_equal(tstats(t).conn_count, 0);
	pcc_table_destroy(t);
}

/* Traffic moves the expiry later without touching the wheel; the wheel
 * files the connection again when it pops early. */
static void lazy_expiry(void **state)
{
	struct pcc_table *t = rr_svc(0, PCCVS_FWD_DR, 64);
	struct pcc_verdict v;
	u64 now = T0;
	unsigned int i;

	tcp_open(t, C, 1, VIP, 80, now);
	for (i = 0; i < 20; i++) {
		now += 200000;
		pkt(t, TCP, ACK, C, 1, VIP, 80, now, &v);
		pcc_tick(t, now, 0);
		assert_int_equal(tstats(t).conn_count, 1);
	}
	pcc_tick(t, now + 300000 - 1, 0);
	assert_int_equal(tstats(t).conn_count, 1);
	pcc_tick(t, now + 300000 + PCC_TICK_MS, 0);
	assert_int_equal(tstats(t).conn_count, 0);
	/* A long jump over an empty wheel is cheap and exact. */
	tcp_open(t, C, 2, VIP, 80, now);
	pcc_tick(t, now + 31ULL * 86400 * 1000, 0);
	assert_int_equal(tstats(t).conn_count, 0);
	pcc_table_destroy(t);
}

static void stats_and_rates(void **state)
{
	struct pcc_table *t = rr_svc(0, PCCVS_FWD_DR, 4096);
	struct pcc_svc_key k = skey(VIP, TCP, 80);
	struct pcc_svc_info si;
	struct pcc_dest_info di;
	struct pcc_verdict v;
	unsigned int i;

	for (i = 0; i < 40; i++) {
		tcp_open(t, C, (u16)(1 + i), VIP, 80, T0 + 10);
		pkt(t, TCP, ACK, C, (u16)(1 + i), VIP, 80, T0 + 20, &v);
	}
	pcc_tick(t, T0 + 2000, 0);
	assert_int_equal(pcc_svc_get(t, &k, &si), 0);
	assert_int_equal(si.stats.conns, 40);
	assert_int_equal(si.stats.inpkts, 120);
	assert_int_equal(si.stats.inbytes, 12000);
	assert_int_equal(si.stats.cps, 20);
	assert_int_equal(si.stats.inpps, 60);
	assert_int_equal(si.stats.inbps, 6000);
	di = dest_info(t, 0);
	assert_int_equal(di.stats.conns, 20);
	assert_int_equal(di.active, 20);
	pcc_tick(t, T0 + 4000, 0);
	assert_int_equal(pcc_svc_get(t, &k, &si), 0);
	assert_int_equal(si.stats.cps, 0);
	assert_int_equal(pcc_zero(t, &k), 0);
	assert_int_equal(pcc_svc_get(t, &k, &si), 0);
	assert_int_equal(si.stats.conns, 0);
	assert_int_equal(dest_info(t, 1).stats.inpkts, 0);
	assert_int_equal(pcc_zero(t, NULL), 0);
	assert_int_equal(pcc_zero(t, &(struct pcc_svc_key){ .af = AF_INET, .protocol = TCP }),
			 -ENOENT);
	pcc_table_destroy(t);
}

/* IPv6 end to end, and an address family mix-up is not a match. */
static void ipv6_flow(void **state)
{
	struct pcc_table *t = mk_table(64, 64, NULL);
	struct pcc_svc_key k = skey("2001:db8::80", TCP, 443);
	struct pcc_verdict v;

	svc_add(t, k, P, "wlc", 600);
	dest_add(t, k, "2001:db8:1::1", 1);
	v = tcp_open(t, "2001:db8:ff::1", 5555, "2001:db8::80", 443, T0);
	assert_int_equal(v.af, AF_INET6);
	assert_true(addr_is(&v.daddr, "2001:db8:1::1"));
	assert_int_equal(pkt(t, TCP, ACK, "2001:db8:ff::1", 5555, "2001:db8::80", 443, T0, &v),
			 PCC_FORWARD);
	/* Same bytes, other family: another flow (here: no service). */
	assert_int_equal(pkt(t, TCP, SYN, "32.1.13.184", 5555, "32.1.13.184", 443, T0, &v),
			 PCC_PASS);
	pcc_table_destroy(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(tcp_states_dr),
		cmocka_unit_test(nat_reply_path),
		cmocka_unit_test(port_reuse),
		cmocka_unit_test(fwmark_service),
		cmocka_unit_test(fwmark_stages),
		cmocka_unit_test(icmp_related),
		cmocka_unit_test(table_full),
		cmocka_unit_test(conn_dump_del_flush),
		cmocka_unit_test(wheels_and_budget),
		cmocka_unit_test(lazy_expiry),
		cmocka_unit_test(stats_and_rates),
		cmocka_unit_test(ipv6_flow),
	};
	struct pcc_test_run r = { 0 };

	PCC_TEST_GROUP(&r, "core_conn", tests);
	return pcc_test_done(&r);
}
