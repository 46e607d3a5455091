// SPDX-License-Identifier: GPL-2.0
/*
 * core_sched.c: the schedulers through the decision API: proportions (wrr),
 * least load (lc, wlc, sed, nq), thresholds, and the hashing schedulers'
 * promises (sh, mh: deterministic, order independent, minimal remapping).
 */
#include "core_util.h"

#define VIP "192.0.2.1"

static struct pcc_table *svc_with(const char *sched, u32 flags, const u32 *w, unsigned int n,
				  u32 conn_max)
{
	struct pcc_table *t = mk_table(conn_max, 1024, NULL);
	struct pcc_svc_key k = skey(VIP, TCP, 80);
	unsigned int i;

	svc_add(t, k, flags, sched, 0);
	for (i = 0; i < n; i++) {
		char r[32];

		snprintf(r, sizeof(r), "10.0.0.%u", i + 1);
		dest_add(t, k, r, w[i]);
	}
	return t;
}

/* Client i: a distinct address (and port), never reused. */
static unsigned int syn_from(struct pcc_table *t, unsigned int i, u16 port)
{
	struct pcc_verdict v;
	char c[32];

	snprintf(c, sizeof(c), "100.%u.%u.%u", (i >> 16) & 255, (i >> 8) & 255, i & 255);
	if (pkt(t, TCP, SYN, c, port, VIP, 80, T0, &v) != PCC_FORWARD)
		return 0;
	return vd_last(&v);
}

static void sched_names_and_unknown(void **state)
{
	const char *const *n = pcc_sched_names();
	struct pcc_table *t = mk_table(64, 64, NULL);
	unsigned int i;

	for (i = 0; n[i]; i++) {
		struct pcc_svc_key k = skey(VIP, TCP, (u16)(i + 1));

		assert_int_equal(svc_add_full(t, k, 0, n[i], 0, -1, NULL), 0);
	}
	assert_int_equal(i, 8);
	assert_int_equal(svc_add_full(t, skey(VIP, TCP, 99), 0, "lblc", 0, -1, NULL), -ENOENT);
	pcc_table_destroy(t);
}

static void rr_cycles(void **state)
{
	const u32 w[] = { 1, 1, 1 };
	struct pcc_table *t = svc_with("rr", 0, w, 3, 1024);
	unsigned int i, a, b;

	a = syn_from(t, 0, 1);
	for (i = 1; i < 30; i++) {
		b = syn_from(t, i, 1);
		assert_int_equal(b, a % 3 + 1);
		a = b;
	}
	pcc_table_destroy(t);
}

/* 100k picks with weights 1:2:3:4 land within 1 % of 10/20/30/40 %. */
static void wrr_proportions(void **state)
{
	const u32 w[] = { 1, 2, 3, 4 };
	struct pcc_table *t = svc_with("wrr", 0, w, 4, 1 << 17);
	unsigned int i, cnt[5] = { 0 };
	const unsigned int n = 100000;

	for (i = 0; i < n; i++)
		cnt[syn_from(t, i, 1)]++;
	assert_int_equal(cnt[0], 0);
	for (i = 1; i <= 4; i++) {
		double share = (double)cnt[i] / n, want = i / 10.0;

		assert_true(share > want - 0.01 && share < want + 0.01);
	}
	/* Weight 0: no new clients. */
	assert_int_equal(dest_weight(t, skey(VIP, TCP, 80), "10.0.0.4", 0), 0);
	for (i = 0; i < 100; i++)
		assert_int_not_equal(syn_from(t, n + i, 1), 4);
	pcc_table_destroy(t);
}

/* Load: ESTABLISHED connections (handshake) on chosen dests. */
static void load(struct pcc_table *t, unsigned int n, unsigned int *id)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		char c[32];

		snprintf(c, sizeof(c), "100.64.%u.%u", *id / 256, *id % 256);
		(*id)++;
		tcp_open(t, c, 1, VIP, 80, T0);
	}
}

static void lc_least_loaded(void **state)
{
	const u32 w[] = { 1, 1, 1 };
	struct pcc_table *t = svc_with("lc", 0, w, 3, 1024);
	struct pcc_svc_key k = skey(VIP, TCP, 80);
	unsigned int id = 0, i, got;

	/* lc balances on its own: 9 connections, 3 each. */
	load(t, 9, &id);
	/* Make dest 2 the least loaded: quiesce it while others take more. */
	assert_int_equal(dest_weight(t, k, "10.0.0.2", 0), 0);
	load(t, 4, &id);
	assert_int_equal(dest_weight(t, k, "10.0.0.2", 1), 0);
	for (i = 0; i < 2; i++) {
		got = syn_from(t, 1000 + i, 1);
		assert_int_equal(got, 2);
	}
	pcc_table_destroy(t);
}

static void wlc_weighted(void **state)
{
	const u32 w[] = { 3, 1 };
	struct pcc_table *t = svc_with("wlc", 0, w, 2, 1024);
	unsigned int cnt[3] = { 0 }, i;
	struct pcc_verdict v;

	/* Established load splits 3:1. */
	for (i = 0; i < 40; i++) {
		char c[32];

		snprintf(c, sizeof(c), "100.64.0.%u", i);
		v = tcp_open(t, c, 1, VIP, 80, T0);
		cnt[vd_last(&v)]++;
	}
	assert_int_equal(cnt[1], 30);
	assert_int_equal(cnt[2], 10);
	pcc_table_destroy(t);
}

static void sed_nq(void **state)
{
	const u32 w[] = { 1, 4 };
	struct pcc_table *t = svc_with("nq", 0, w, 2, 1024);
	struct pcc_verdict v;

	/* nq: an idle server first, the heavier one when both are idle. */
	v = tcp_open(t, "100.64.0.1", 1, VIP, 80, T0);
	assert_int_equal(vd_last(&v), 2);
	v = tcp_open(t, "100.64.0.2", 1, VIP, 80, T0);
	assert_int_equal(vd_last(&v), 1);
	/* Then sed: (active + 1) / weight: 2/1 vs 2/4 -> dest 2. */
	v = tcp_open(t, "100.64.0.3", 1, VIP, 80, T0);
	assert_int_equal(vd_last(&v), 2);
	pcc_table_destroy(t);
}

/* u_thresh: full dests are skipped until they drain below l_thresh. */
static void thresholds(void **state)
{
	const u32 w[] = { 1, 1 };
	struct pcc_table *t = svc_with("rr", 0, w, 2, 1024);
	struct pcc_svc_key k = skey(VIP, TCP, 80);
	struct pcc_dest_conf d = { .u_thresh = 2, .l_thresh = 2 };
	struct pcc_err e;
	struct pcc_verdict v;
	unsigned int i;

	d.addr = A("10.0.0.1");
	assert_int_equal(pcc_dest_set(t, &k, &d, PCC_SET_UTHRESH | PCC_SET_LTHRESH, &e), 0);
	for (i = 0; i < 6; i++)
		syn_from(t, i, 1);
	assert_int_equal(pkt(t, TCP, RST, "100.0.0.1", 1, VIP, 80, T0, &v), PCC_FORWARD);
	assert_true(addr_is(&v.daddr, "10.0.0.1"));
	/* dest 1 holds 2 (one closing): still full. */
	for (i = 0; i < 4; i++)
		assert_int_equal(syn_from(t, 100 + i, 1), 2);
	pcc_tick(t, T0 + 10032, 0);	/* the closed one ends: 1 < l_thresh */
	assert_int_equal(syn_from(t, 200, 1) + syn_from(t, 201, 1), 3);
	d.l_thresh = 3;
	assert_int_equal(pcc_dest_set(t, &k, &d, PCC_SET_LTHRESH, &e), -EINVAL);
	pcc_table_destroy(t);
}

static void sh_deterministic(void **state)
{
	const u32 w[] = { 1, 1, 1, 1 };
	struct pcc_table *a = svc_with("sh", 0, w, 4, 4096);
	struct pcc_table *b = svc_with("sh", 0, w, 4, 4096);
	unsigned int i, cnt[5] = { 0 }, x;

	for (i = 0; i < 2000; i++) {
		x = syn_from(a, i, 1);
		assert_int_equal(x, syn_from(b, i, 2));
		cnt[x]++;
	}
	for (i = 1; i <= 4; i++)
		assert_true(cnt[i] > 350 && cnt[i] < 650);
	pcc_table_destroy(a);
	pcc_table_destroy(b);
}

/* Build a table whose mh service has dests 1..n except "skip", added in
 * ascending or descending order. */
static struct pcc_table *mh_set(unsigned int n, unsigned int skip, bool desc, u32 flags)
{
	struct pcc_table *t = mk_table(1 << 16, 1024, NULL);
	struct pcc_svc_key k = skey(VIP, TCP, 80);
	unsigned int i, d;

	svc_add(t, k, flags, "mh", 0);
	for (i = 0; i < n; i++) {
		char r[32];

		d = desc ? n - i : i + 1;
		if (d == skip)
			continue;
		snprintf(r, sizeof(r), "10.0.0.%u", d);
		dest_add(t, k, r, 1);
	}
	return t;
}

static void mh_order_and_remap(void **state)
{
	const unsigned int n = 10, clients = 20000;
	struct pcc_table *asc = mh_set(n, 0, false, 0), *desc = mh_set(n, 0, true, 0);
	struct pcc_table *less = mh_set(n, 7, false, 0);
	unsigned int i, x, moved = 0, cnt[16] = { 0 };

	for (i = 0; i < clients; i++) {
		x = syn_from(asc, i, 1);
		assert_int_equal(x, syn_from(desc, i, 1));
		cnt[x]++;
		if (syn_from(less, i, 1) != x)
			moved++;
		else
			assert_int_not_equal(x, 7);
	}
	for (i = 1; i <= n; i++)
		assert_true(cnt[i] > clients / n * 8 / 10 && cnt[i] < clients / n * 12 / 10);
	print_message("mh: %u of %u clients moved, %u had the removed dest\n", moved, clients,
		      cnt[7]);
	/* Those of dest 7 must move (~1/N); others nearly all stay. */
	assert_true(moved >= cnt[7]);
	assert_true(moved <= cnt[7] + clients / 100);
	pcc_table_destroy(asc);
	pcc_table_destroy(desc);
	pcc_table_destroy(less);
}

/* mh weights are respected; SCHED2 hashes the port too; SCHED1 falls back
 * when the chosen dest is unavailable. */
static void mh_weights_and_flags(void **state)
{
	const u32 w[] = { 1, 3 };
	struct pcc_table *t = svc_with("mh", 0, w, 2, 1 << 15);
	struct pcc_table *p = svc_with("mh", PCCVS_SVC_F_SCHED2, w, 2, 1 << 15);
	unsigned int i, cnt[3] = { 0 }, diff = 0;

	for (i = 0; i < 8000; i++)
		cnt[syn_from(t, i, 1)]++;
	assert_true(cnt[2] > cnt[1] * 25 / 10 && cnt[2] < cnt[1] * 35 / 10);
	for (i = 0; i < 200; i++)
		diff += syn_from(p, 50000 + i, 1) != syn_from(p, 50000 + i, 2);
	assert_true(diff > 50);
	pcc_table_destroy(t);
	pcc_table_destroy(p);
}

static void mh_fallback(void **state)
{
	const u32 w[] = { 1, 1 };
	struct pcc_table *t = svc_with("mh", 0, w, 2, 1024);
	struct pcc_table *f = svc_with("mh", PCCVS_SVC_F_SCHED1, w, 2, 1024);
	struct pcc_dest_conf d = { .u_thresh = 1 };
	struct pcc_svc_key k = skey(VIP, TCP, 80);
	struct pcc_err e;
	unsigned int i, drops = 0;

	d.addr = A("10.0.0.1");
	assert_int_equal(pcc_dest_set(t, &k, &d, PCC_SET_UTHRESH, &e), 0);
	assert_int_equal(pcc_dest_set(f, &k, &d, PCC_SET_UTHRESH, &e), 0);
	for (i = 0; i < 40; i++) {
		unsigned int x = syn_from(t, i, 1);

		drops += !x;
		assert_int_not_equal(syn_from(f, i, 1), 0);
	}
	/* dest 1 took one connection and is full: its clients are dropped
	 * without SCHED1. */
	assert_true(drops > 5);
	pcc_table_destroy(t);
	pcc_table_destroy(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sched_names_and_unknown),
		cmocka_unit_test(rr_cycles),
		cmocka_unit_test(wrr_proportions),
		cmocka_unit_test(lc_least_loaded),
		cmocka_unit_test(wlc_weighted),
		cmocka_unit_test(sed_nq),
		cmocka_unit_test(thresholds),
		cmocka_unit_test(sh_deterministic),
		cmocka_unit_test(mh_order_and_remap),
		cmocka_unit_test(mh_weights_and_flags),
		cmocka_unit_test(mh_fallback),
	};
	struct pcc_test_run r = { 0 };

	PCC_TEST_GROUP(&r, "core_sched", tests);
	return pcc_test_done(&r);
}
