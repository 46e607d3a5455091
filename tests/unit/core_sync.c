// SPDX-License-Identifier: GPL-2.0
/*
 * core_sync.c: the sync hooks. The inject merge rule (every branch,
 * idempotence, commutativity, bad input), stamps, events exactly as the
 * uapi header specifies them, template delete/flush/get and the dump cursor.
 */
#include "core_util.h"

#define VIP "192.0.2.1"
#define P PCCVS_SVC_F_PERSISTENT
#define C "198.51.100.7"

static struct ev_log evl;

static struct pcc_table *two_dests(void)
{
	struct pcc_table *t = mk_table(4096, 4096, &evl);
	struct pcc_svc_key k = skey(VIP, TCP, 80);

	memset(&evl, 0, sizeof(evl));
	svc_add(t, k, P, "rr", 300);
	dest_add(t, k, "10.0.0.1", 1);
	dest_add(t, k, "10.0.0.2", 1);
	return t;
}

static struct pcc_tpl_info tinfo(const char *client, const char *rip, u64 stamp, u64 ms,
				 u16 flags)
{
	struct pcc_tpl_info in = { .dom = dom_of(skey(VIP, TCP, 80)), .dport = 80,
				   .remaining_ms = ms, .stamp = stamp, .flags = flags };

	in.caddr = A(client);
	in.daddr = A(rip);
	return in;
}

static enum pcc_merge inject(struct pcc_table *t, struct pcc_tpl_info in, u64 now)
{
	enum pcc_merge m = -1;

	assert_int_equal(pcc_tpl_inject(t, &in, now, &m, NULL), 0);
	return m;
}

static struct pcc_tpl_info get(struct pcc_table *t, const char *client, u64 now)
{
	struct pcc_tpl_info o;

	assert_int_equal(tpl_get(t, dom_of(skey(VIP, TCP, 80)), client, now, &o), 0);
	return o;
}

static void merge_create_and_same_dest(void **state)
{
	struct pcc_table *t = two_dests();
	struct pcc_tpl_info o;

	assert_int_equal(inject(t, tinfo(C, "10.0.0.2", 10, 50000, 0), T0), PCC_MERGE_CREATED);
	o = get(t, C, T0);
	assert_true(addr_is(&o.daddr, "10.0.0.2"));
	assert_int_equal(o.flags, PCCVS_TPL_F_REPLICATED);
	assert_int_equal(o.stamp, 10);
	assert_int_equal(o.remaining_ms, 50000);
	assert_int_equal(o.dom.timeout, 300);
	/* Same server: only ever later, higher, or-ed. */
	assert_int_equal(inject(t, tinfo(C, "10.0.0.2", 10, 40000, 0), T0), PCC_MERGE_UNCHANGED);
	assert_int_equal(inject(t, tinfo(C, "10.0.0.2", 3, 90000, 0), T0), PCC_MERGE_UPDATED);
	o = get(t, C, T0);
	assert_int_equal(o.remaining_ms, 90000);
	assert_int_equal(o.stamp, 10);
	assert_int_equal(inject(t, tinfo(C, "10.0.0.2", 12, 1000, 0), T0), PCC_MERGE_UPDATED);
	assert_int_equal(get(t, C, T0).stamp, 12);
	assert_int_equal(inject(t, tinfo(C, "10.0.0.2", 1, 1000, PCCVS_TPL_F_CONFIRMED), T0),
			 PCC_MERGE_UPDATED);
	o = get(t, C, T0);
	assert_int_equal(o.flags, PCCVS_TPL_F_CONFIRMED | PCCVS_TPL_F_REPLICATED);
	assert_int_equal(o.remaining_ms, 90000);
	/* Confirmation is never taken back. */
	assert_int_equal(inject(t, tinfo(C, "10.0.0.2", 12, 1000, 0), T0), PCC_MERGE_UNCHANGED);
	assert_int_equal(tstats(t).tpl_injected, 4);
	assert_int_equal(tstats(t).tpl_stale, 2);
	assert_int_equal(evl.n, 0);
	pcc_table_destroy(t);
}

static void merge_other_dest(void **state)
{
	struct pcc_table *t = two_dests();
	struct pcc_tpl_info o;

	inject(t, tinfo(C, "10.0.0.1", 10, 50000, PCCVS_TPL_F_CONFIRMED), T0);
	/* Lower stamp loses, whatever its expiry. */
	assert_int_equal(inject(t, tinfo(C, "10.0.0.2", 9, 900000, 0), T0), PCC_MERGE_UNCHANGED);
	o = get(t, C, T0);
	assert_true(addr_is(&o.daddr, "10.0.0.1"));
	/* Higher stamp re-points, takes its expiry (even shorter) and flags. */
	assert_int_equal(inject(t, tinfo(C, "10.0.0.2", 11, 20000, 0), T0), PCC_MERGE_UPDATED);
	o = get(t, C, T0);
	assert_true(addr_is(&o.daddr, "10.0.0.2"));
	assert_int_equal(o.stamp, 11);
	assert_int_equal(o.remaining_ms, 20000);
	assert_int_equal(o.flags, PCCVS_TPL_F_REPLICATED);
	/* The shorter expiry holds: gone after 20 s. */
	pcc_tick(t, T0 + 20000 + PCC_TICK_MS, 0);
	assert_int_equal(tstats(t).tpl_count, 0);
	/* Equal stamps: the higher (daddr, dport) wins, in either order. */
	inject(t, tinfo(C, "10.0.0.1", 20, 50000, 0), T0);
	assert_int_equal(inject(t, tinfo(C, "10.0.0.2", 20, 50000, 0), T0), PCC_MERGE_UPDATED);
	assert_int_equal(inject(t, tinfo(C, "10.0.0.1", 20, 50000, 0), T0), PCC_MERGE_UNCHANGED);
	o = get(t, C, T0);
	assert_true(addr_is(&o.daddr, "10.0.0.2"));
	assert_int_equal(evl.n, 0);
	pcc_table_destroy(t);
}

static bool info_eq(const struct pcc_tpl_info *a, const struct pcc_tpl_info *b)
{
	return !memcmp(&a->daddr, &b->daddr, sizeof(a->daddr)) && a->dport == b->dport &&
	       a->stamp == b->stamp && a->flags == b->flags && a->remaining_ms == b->remaining_ms;
}

/* Any two updates give the same result in either order; twice = once. */
static void merge_commutes(void **state)
{
	const char *rip[] = { "10.0.0.1", "10.0.0.2" };
	struct pcc_tpl_info u[16];
	unsigned int i, j, n = 0;

	for (i = 0; i < 2; i++) {
		u[n++] = tinfo(C, rip[i], 5, 10000, 0);
		u[n++] = tinfo(C, rip[i], 5, 30000, PCCVS_TPL_F_CONFIRMED);
		u[n++] = tinfo(C, rip[i], 7, 20000, 0);
		u[n++] = tinfo(C, rip[i], 3, 60000, PCCVS_TPL_F_CONFIRMED);
	}
	for (i = 0; i < n; i++) {
		for (j = 0; j < n; j++) {
			struct pcc_table *a = two_dests(), *b = two_dests();
			struct pcc_tpl_info oa, ob;

			inject(a, u[i], T0);
			inject(a, u[j], T0);
			inject(b, u[j], T0);
			inject(b, u[i], T0);
			oa = get(a, C, T0);
			ob = get(b, C, T0);
			assert_true(info_eq(&oa, &ob));
			assert_int_equal(inject(a, u[j], T0), PCC_MERGE_UNCHANGED);
			assert_int_equal(inject(a, u[i], T0), PCC_MERGE_UNCHANGED);
			pcc_table_destroy(a);
			pcc_table_destroy(b);
		}
	}
}

static void inject_refuses(void **state)
{
	struct pcc_table *t = two_dests();
	struct pcc_tpl_info in = tinfo(C, "10.0.0.1", 1, 1000, 0);
	struct pcc_err e = { NULL };

	in.flags = 0x80;
	assert_int_equal(pcc_tpl_inject(t, &in, T0, NULL, &e), -EINVAL);
	assert_non_null(e.msg);
	in = tinfo(C, "10.0.0.1", 1, 0, 0);
	assert_int_equal(pcc_tpl_inject(t, &in, T0, NULL, &e), -EINVAL);
	in = tinfo(C, "10.0.0.1", 1, (u64)PCCVS_PERSIST_TIMEOUT_MAX * 1000 + 1, 0);
	assert_int_equal(pcc_tpl_inject(t, &in, T0, NULL, &e), -EINVAL);
	in = tinfo(C, "10.0.0.3", 1, 1000, 0);
	assert_int_equal(pcc_tpl_inject(t, &in, T0, NULL, &e), -ENOENT);
	in = tinfo(C, "10.0.0.1", 1, 1000, 0);
	in.dport = 81;
	assert_int_equal(pcc_tpl_inject(t, &in, T0, NULL, &e), -ENOENT);
	in = tinfo(C, "10.0.0.1", 1, 1000, 0);
	in.dom.vport = 81;
	assert_int_equal(pcc_tpl_inject(t, &in, T0, NULL, &e), -ENOENT);
	in.dom.af = 99;
	assert_int_equal(pcc_tpl_inject(t, &in, T0, NULL, &e), -EINVAL);
	in = tinfo(C, "10.0.0.1", 1ULL << 63, 1000, 0);
	assert_int_equal(pcc_tpl_inject(t, &in, T0, NULL, &e), -EINVAL);
	assert_int_equal(tstats(t).tpl_count, 0);
	/* A client address with bits outside the netmask: configs disagree. */
	{
		struct pcc_svc_conf c = { .key = skey(VIP, TCP, 80), .netmask = 24 };

		assert_int_equal(pcc_svc_set(t, &c, PCC_SET_NETMASK, &e), 0);
		in = tinfo(C, "10.0.0.1", 1, 1000, 0);
		assert_int_equal(pcc_tpl_inject(t, &in, T0, NULL, &e), -EINVAL);
		in = tinfo("198.51.100.0", "10.0.0.1", 1, 1000, 0);
		assert_int_equal(pcc_tpl_inject(t, &in, T0, NULL, &e), 0);
	}
	pcc_table_destroy(t);
}

/* Local stamps come after every injected one (Lamport clock). */
static void stamps(void **state)
{
	struct pcc_table *t = two_dests();
	struct pcc_tpl_info o;

	inject(t, tinfo("198.51.100.1", "10.0.0.1", 1000, 1000, 0), T0);
	tcp_open(t, C, 1, VIP, 80, T0);
	o = get(t, C, T0);
	assert_int_equal(o.stamp, 1001);
	assert_int_equal(o.flags, PCCVS_TPL_F_CONFIRMED);
	tcp_open(t, "198.51.100.2", 1, VIP, 80, T0);
	assert_int_equal(get(t, "198.51.100.2", T0).stamp, 1002);
	pcc_table_destroy(t);
}

/* The full event story of one local template and of one injected one. */
static void events_exact(void **state)
{
	struct pcc_table *t = two_dests();
	struct pcc_verdict v;
	struct pcc_cfg cfg = { .tcp_close = 1 };

	assert_int_equal(pcc_cfg_set(t, &cfg, NULL), 0);
	/* local: SYN silent, ACK confirms */
	pkt(t, TCP, SYN, C, 1, VIP, 80, T0, &v);
	assert_int_equal(evl.n, 0);
	pkt(t, TCP, ACK, C, 1, VIP, 80, T0, &v);
	assert_int_equal(evl.n, 1);
	assert_int_equal(evl.e[0].ev, PCCVS_TPL_EV_CONFIRMED);
	assert_int_equal(evl.e[0].info.nctl, 1);
	assert_int_equal(evl.e[0].info.flags, PCCVS_TPL_F_CONFIRMED);
	assert_int_equal(evl.e[0].info.stamp, 1);
	assert_int_equal(evl.e[0].info.dom.netmask, 32);
	/* unconfirmed local template (SYN only) expires silently */
	pkt(t, TCP, SYN, "198.51.100.8", 1, VIP, 80, T0, &v);
	pkt(t, TCP, RST, "198.51.100.8", 1, VIP, 80, T0, &v);
	/* injected ones: never an event, not on expiry, not on delete */
	inject(t, tinfo("198.51.100.9", "10.0.0.1", 1, 10000, PCCVS_TPL_F_CONFIRMED), T0);
	inject(t, tinfo("198.51.100.10", "10.0.0.2", 1, 900000, PCCVS_TPL_F_CONFIRMED), T0);
	{
		struct pcc_domain d = dom_of(skey(VIP, TCP, 80));
		union pcc_addr a = A("198.51.100.10");

		assert_int_equal(pcc_tpl_del(t, &d, &a, 0, T0), 0);
	}
	pkt(t, TCP, RST, C, 1, VIP, 80, T0, &v);
	pcc_tick(t, T0 + 1000 + 300000 + PCC_TICK_MS, 0);
	assert_int_equal(tstats(t).tpl_count, 0);
	assert_int_equal(evl.n, 2);
	assert_int_equal(evl.e[1].ev, PCCVS_TPL_EV_EXPIRED);
	assert_true(addr_is(&evl.e[1].info.caddr, C));
	pcc_table_destroy(t);
}

/* An injected confirmed template used locally becomes this director's:
 * announced from the expiry the peers sent, so the new owner refreshes it
 * (and reports its end); an unconfirmed one is announced by its first
 * handshake here. */
static void takeover_and_delete(void **state)
{
	struct pcc_table *t = two_dests();
	struct pcc_domain d = dom_of(skey(VIP, TCP, 80));
	union pcc_addr a = A(C);
	struct pcc_verdict v;

	/* Peers believe 290 s are left: less than 25 % short of 300, silent. */
	inject(t, tinfo(C, "10.0.0.2", 40, 290000, PCCVS_TPL_F_CONFIRMED), T0);
	assert_int_equal(pkt(t, TCP, ACK, C, 5, VIP, 80, T0, &v), PCC_FORWARD);
	assert_int_equal(evl.n, 0);
	assert_int_equal(get(t, C, T0).flags, PCCVS_TPL_F_CONFIRMED);
	/* A long-lived restored flow: the tick refreshes it for the peers. */
	pcc_tick(t, T0 + 100000, 0);
	assert_int_equal(evl.n, 1);
	assert_int_equal(evl.e[0].ev, PCCVS_TPL_EV_REFRESHED);
	assert_int_equal(evl.e[0].info.stamp, 40);
	assert_int_equal(evl.e[0].info.remaining_ms, 300000);
	v = tcp_open(t, C, 6, VIP, 80, T0 + 100010);
	assert_true(addr_is(&v.daddr, "10.0.0.2"));
	assert_int_equal(evl.n, 1);
	/* Unconfirmed when injected: the first local handshake announces. */
	inject(t, tinfo("198.51.100.8", "10.0.0.1", 41, 290000, 0), T0 + 100020);
	tcp_open(t, "198.51.100.8", 6, VIP, 80, T0 + 100020);
	assert_int_equal(evl.n, 2);
	assert_int_equal(evl.e[1].ev, PCCVS_TPL_EV_CONFIRMED);
	assert_int_equal(evl.e[1].info.stamp, 41);
	evl.n = 1;
	/* Stale delete refused, current one applied with an event. */
	assert_int_equal(pcc_tpl_del(t, &d, &a, 39, T0 + 100030), -ESTALE);
	assert_int_equal(pcc_tpl_del(t, &d, &a, 40, T0 + 100030), 0);
	assert_int_equal(pcc_tpl_del(t, &d, &a, 40, T0 + 100030), -ENOENT);
	assert_int_equal(evl.n, 2);
	assert_int_equal(evl.e[1].ev, PCCVS_TPL_EV_DELETED);
	/* Connections it controlled keep going (to their server). */
	assert_int_equal(pkt(t, TCP, ACK, C, 6, VIP, 80, T0 + 100040, &v), PCC_FORWARD);
	assert_true(addr_is(&v.daddr, "10.0.0.2"));
	pcc_table_destroy(t);
}

/* The last controlled connection of a long session ends: the final expiry
 * goes out (the peers' copy counted down from the confirmation); a short
 * session ends silently. */
static void refresh_at_last_close(void **state)
{
	struct pcc_table *t = two_dests();
	struct pcc_verdict v;
	struct pcc_cfg cfg = { .tcp_close = 1 };

	assert_int_equal(pcc_cfg_set(t, &cfg, NULL), 0);
	tcp_open(t, C, 1, VIP, 80, T0);
	tcp_open(t, C, 2, VIP, 80, T0);
	assert_int_equal(evl.n, 1);
	/* one of two ends after 10 s: the other still controls it */
	pkt(t, TCP, RST, C, 1, VIP, 80, T0 + 10000, &v);
	pcc_tick(t, T0 + 12000, 0);
	assert_int_equal(evl.n, 1);
	/* the last one ends: expiry = its end (RST + 1 s close) + 300 s */
	pkt(t, TCP, RST, C, 2, VIP, 80, T0 + 20000, &v);
	pcc_tick(t, T0 + 22000, 0);
	assert_int_equal(evl.n, 2);
	assert_int_equal(evl.e[1].ev, PCCVS_TPL_EV_REFRESHED);
	assert_int_equal(evl.e[1].info.nctl, 1);
	assert_in_range(evl.e[1].info.remaining_ms, 300000 - PCC_TICK_MS, 300000);
	/* a short session (under a second) ends without a message */
	tcp_open(t, "198.51.100.77", 1, VIP, 80, T0 + 30000);
	pkt(t, TCP, RST, "198.51.100.77", 1, VIP, 80, T0 + 30000, &v);
	pcc_tick(t, T0 + 32000, 0);
	assert_int_equal(evl.n, 3);
	assert_int_equal(evl.e[2].ev, PCCVS_TPL_EV_CONFIRMED);
	pcc_table_destroy(t);
}

static void flush_and_gen(void **state)
{
	struct pcc_table *t = two_dests();
	struct pcc_svc_key k2 = skey(VIP, TCP, 81);
	struct pcc_domain d2 = dom_of(k2);
	u32 gen = pcc_tpl_gen(t);
	unsigned int i;

	svc_add(t, k2, P, "rr", 300);
	dest_add(t, k2, "10.0.0.1", 1);
	for (i = 0; i < 10; i++) {
		char c[32];

		snprintf(c, sizeof(c), "198.51.100.%u", i);
		tcp_open(t, c, 1, VIP, 80, T0);
		tcp_open(t, c, 1, VIP, 81, T0);
	}
	pcc_tpl_flush(t, &d2);
	assert_int_equal(tstats(t).tpl_count, 10);
	assert_int_equal(ev_count(&evl, PCCVS_TPL_EV_DELETED), 10);
	assert_int_not_equal(pcc_tpl_gen(t), gen);
	pcc_tpl_flush(t, NULL);
	assert_int_equal(tstats(t).tpl_count, 0);
	assert_int_equal(ev_count(&evl, PCCVS_TPL_EV_DELETED), 20);
	/* Connections stay. */
	assert_int_equal(tstats(t).conn_count, 20);
	pcc_table_destroy(t);
}

/* The dump: small batches, all templates once, filters, domain filter. */
static void iter_cursor(void **state)
{
	struct pcc_table *t = mk_table(4096, 4096, NULL);
	struct pcc_svc_key k = skey(VIP, TCP, 80), k2 = skey(VIP, TCP, 81);
	struct pcc_tpl_cursor cur = { 0 };
	struct pcc_tpl_info out[7], in;
	struct pcc_domain d2 = dom_of(k2);
	unsigned int i, n, total = 0, seen[300] = { 0 };

	svc_add(t, k, P, "rr", 300);
	svc_add(t, k2, P, "rr", 300);
	dest_add(t, k, "10.0.0.1", 1);
	dest_add(t, k2, "10.0.0.1", 1);
	for (i = 0; i < 250; i++) {
		char c[32];

		snprintf(c, sizeof(c), "198.51.%u.%u", 100 + i / 200, i % 200);
		in = tinfo(c, "10.0.0.1", 1, 60000, i % 2 ? PCCVS_TPL_F_CONFIRMED : 0);
		assert_int_equal(pcc_tpl_inject(t, &in, T0, NULL, NULL), 0);
	}
	for (i = 0; i < 5; i++) {
		char c[32];

		snprintf(c, sizeof(c), "203.0.113.%u", i);
		tcp_open(t, c, 1, VIP, 81, T0);
	}
	while ((n = pcc_tpl_iter(t, &cur, 0, NULL, T0, out, 7))) {
		assert_true(n <= 7);
		for (i = 0; i < n; i++) {
			unsigned int idx = out[i].caddr.b[3] + (out[i].caddr.b[2] - 100) * 200;

			if (out[i].dom.vport == 80)
				seen[idx]++;
		}
		total += n;
	}
	assert_int_equal(total, 255);
	for (i = 0; i < 250; i++)
		assert_int_equal(seen[i], 1);
	assert_int_equal(pcc_tpl_iter(t, &cur, 0, NULL, T0, out, 7), 0);
	memset(&cur, 0, sizeof(cur));
	for (total = 0; (n = pcc_tpl_iter(t, &cur, PCC_ITER_F_CONFIRMED, NULL, T0, out, 7));)
		total += n;
	assert_int_equal(total, 125 + 5);
	memset(&cur, 0, sizeof(cur));
	for (total = 0; (n = pcc_tpl_iter(t, &cur, PCC_ITER_F_LOCAL, NULL, T0, out, 7));)
		total += n;
	assert_int_equal(total, 5);
	memset(&cur, 0, sizeof(cur));
	for (total = 0; (n = pcc_tpl_iter(t, &cur, 0, &d2, T0, out, 7));)
		total += n;
	assert_int_equal(total, 5);
	/* A flush during a dump shows in the cursor's generation. */
	memset(&cur, 0, sizeof(cur));
	pcc_tpl_iter(t, &cur, 0, NULL, T0, out, 7);
	i = cur.gen;
	pcc_tpl_flush(t, NULL);
	pcc_tpl_iter(t, &cur, 0, NULL, T0, out, 7);
	assert_int_not_equal(cur.gen, i);
	pcc_table_destroy(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(merge_create_and_same_dest),
		cmocka_unit_test(merge_other_dest),
		cmocka_unit_test(merge_commutes),
		cmocka_unit_test(inject_refuses),
		cmocka_unit_test(stamps),
		cmocka_unit_test(events_exact),
		cmocka_unit_test(takeover_and_delete),
		cmocka_unit_test(refresh_at_last_close),
		cmocka_unit_test(flush_and_gen),
		cmocka_unit_test(iter_cursor),
	};
	struct pcc_test_run r = { 0 };

	PCC_TEST_GROUP(&r, "core_sync", tests);
	return pcc_test_done(&r);
}
