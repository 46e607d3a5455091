// SPDX-License-Identifier: GPL-2.0
/*
 * test_syncd_xfer: snapshot bookkeeping: membership table, donor choice,
 * sequence gaps, count/digest, tombstones, mark-and-sweep.
 */
#include "pcc_test.h"

#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include "members.h"
#include "tplkey.h"
#include "wire.h"
#include "xfer.h"

static struct pccvs_tpl tpl(uint32_t client, uint64_t stamp)
{
	struct pccvs_tpl t = { .af = AF_INET, .protocol = IPPROTO_TCP,
			       .vport = 80, .dport = 80, .stamp = stamp,
			       .remaining_ms = 1000 };
	uint32_t c = htonl(0xc6120000u + client);

	inet_pton(AF_INET, "192.0.2.10", t.vaddr.b);
	inet_pton(AF_INET, "203.0.113.1", t.daddr.b);
	memcpy(t.caddr.b, &c, 4);
	tpl_normalize(&t);
	return t;
}

static void set3(struct members *ms)
{
	static const uint32_t node[] = { 3, 1, 2 }, pid[] = { 30, 10, 20 };

	memset(ms, 0, sizeof(*ms));
	assert_int_equal(members_set(ms, node, pid, 3), 0);
}

static void status(struct members *ms, uint32_t node, bool synced)
{
	struct member *m = members_find(ms, node, node * 10);

	assert_non_null(m);
	m->status_known = true;
	m->st.synced = synced;
	m->st.backend_ready = true;
}

static void test_members_set(void **state)
{
	struct members ms;
	static const uint32_t node[] = { 2, 4 }, pid[] = { 20, 40 };

	set3(&ms);
	/* sorted by node id */
	assert_int_equal(ms.m[0].nodeid, 1);
	assert_int_equal(ms.m[2].nodeid, 3);
	status(&ms, 2, true);
	members_find(&ms, 2, 20)->msgs = 5;
	assert_false(members_all_known(&ms));
	assert_int_equal(members_set(&ms, node, pid, 2), 0);
	assert_int_equal(ms.n, 2);
	/* what was known of node 2 stays, node 4 is new */
	assert_true(members_find(&ms, 2, 20)->status_known);
	assert_int_equal(members_find(&ms, 2, 20)->msgs, 5);
	assert_false(members_find(&ms, 4, 40)->status_known);
	assert_null(members_find(&ms, 1, 10));
}

static void test_donor(void **state)
{
	struct members ms;
	const struct member *d;
	bool fresh;

	set3(&ms);
	/* nobody known: nobody */
	assert_null(members_pick_donor(&ms, 3, 30, &fresh));
	/* none synced: the lowest known member, requester included */
	status(&ms, 2, false);
	status(&ms, 3, false);
	d = members_pick_donor(&ms, 3, 30, &fresh);
	assert_int_equal(d->nodeid, 2);
	assert_true(fresh);
	status(&ms, 1, false);
	d = members_pick_donor(&ms, 1, 10, &fresh);
	assert_int_equal(d->nodeid, 1);	/* the requester itself */
	assert_true(fresh);
	/* the lowest synced one, never the requester */
	status(&ms, 3, true);
	status(&ms, 2, true);
	d = members_pick_donor(&ms, 1, 10, &fresh);
	assert_int_equal(d->nodeid, 2);
	assert_false(fresh);
	d = members_pick_donor(&ms, 2, 20, &fresh);
	assert_int_equal(d->nodeid, 3);
	/* a member without its forwarding table is never a donor */
	members_find(&ms, 2, 20)->st.backend_ready = false;
	d = members_pick_donor(&ms, 1, 10, &fresh);
	assert_int_equal(d->nodeid, 3);
	/* the only synced member asks again: it is the cluster state */
	set3(&ms);
	status(&ms, 1, false);
	status(&ms, 2, false);
	status(&ms, 3, true);
	d = members_pick_donor(&ms, 3, 30, &fresh);
	assert_int_equal(d->nodeid, 1);
	assert_true(fresh);
}

static void test_seq(void **state)
{
	struct member m = { 0 };

	assert_true(member_seq_ok(&m, 1, 10));	/* first seen */
	assert_true(member_seq_ok(&m, 1, 11));
	assert_false(member_seq_ok(&m, 1, 13));	/* gap */
	assert_int_equal(m.gaps, 1);
	assert_true(member_seq_ok(&m, 1, 14));
	assert_true(member_seq_ok(&m, 2, 1));	/* restarted daemon */
	assert_int_equal(m.msgs, 5);
}

static void test_fpmap(void **state)
{
	struct fpmap m;
	uint64_t v;

	assert_int_equal(fpmap_init(&m), 0);
	for (uint64_t i = 0; i < 50000; i++)
		assert_int_equal(fpmap_put_max(&m, i * 0x9e3779b97f4a7c15ULL, i), 0);
	assert_int_equal(m.n, 50000);
	for (uint64_t i = 0; i < 50000; i++) {
		assert_true(fpmap_get(&m, i * 0x9e3779b97f4a7c15ULL, &v));
		assert_int_equal(v, i);
	}
	assert_int_equal(fpmap_put_max(&m, 0x9e3779b97f4a7c15ULL, 0), 0);
	assert_true(fpmap_get(&m, 0x9e3779b97f4a7c15ULL, &v));
	assert_int_equal(v, 1);	/* max kept */
	assert_false(fpmap_get(&m, 12345, NULL));
	fpmap_free(&m);
}

/* The digest a donor builds chunk by chunk is what the joiner checks. */
static void test_count_digest(void **state)
{
	struct xfer_rx x = { 0 };
	struct wire_batch b;
	uint64_t count = 0, digest = 0;

	assert_int_equal(xfer_rx_start(&x, 7, false), 0);
	assert_int_equal(wire_batch_init(&b, 1024, 1000), 0);
	b.want_digest = true;
	for (uint32_t i = 0; i < 1000; i++) {
		struct pccvs_tpl t = tpl(i, i + 1);

		if (wire_batch_add(&b, &t, false) == -ENOSPC) {
			count += b.n_up;
			digest += b.digest;
			wire_batch_reset(&b);
			assert_int_equal(wire_batch_add(&b, &t, false), 0);
		}
	}
	count += b.n_up;
	digest += b.digest;
	assert_int_equal(count, 1000);
	/* the joiner sees them in any order */
	for (uint32_t i = 1000; i-- > 0;) {
		struct pccvs_tpl t = tpl(i, i + 1);

		assert_int_equal(xfer_rx_record(&x, &t), 1);
	}
	assert_int_equal(xfer_rx_end(&x, count, digest), 0);
	assert_int_equal(xfer_rx_end(&x, count + 1, digest), -EBADMSG);
	assert_int_equal(xfer_rx_end(&x, count, digest ^ 1), -EBADMSG);
	wire_batch_free(&b);
	xfer_rx_stop(&x);
}

static void test_tombstones(void **state)
{
	struct xfer_rx x = { 0 };
	struct pccvs_tpl a = tpl(1, 10), b = tpl(2, 10), c = tpl(3, 10);

	assert_int_equal(xfer_rx_start(&x, 7, false), 0);
	/* deletes delivered after the cut */
	a.stamp = 10;
	assert_int_equal(xfer_rx_live(&x, &a, true), 0);
	b.stamp = 0;	/* unconditional delete */
	assert_int_equal(xfer_rx_live(&x, &b, true), 0);
	/* older (or same) snapshot records must not resurrect them */
	a.stamp = 9;
	assert_int_equal(xfer_rx_record(&x, &a), 0);
	a.stamp = 10;
	assert_int_equal(xfer_rx_record(&x, &a), 0);
	b.stamp = 1000;
	assert_int_equal(xfer_rx_record(&x, &b), 0);
	/* a newer assignment is a new template */
	a.stamp = 11;
	assert_int_equal(xfer_rx_record(&x, &a), 1);
	assert_int_equal(xfer_rx_record(&x, &c), 1);
	assert_int_equal(x.skipped, 3);
	assert_int_equal(x.count, 5);	/* all counted for the digest */
	xfer_rx_stop(&x);
}

static void test_sweep(void **state)
{
	struct xfer_rx x = { 0 };
	struct pccvs_tpl in_snap = tpl(1, 1), live = tpl(2, 1), gone = tpl(3, 1);

	/* without replicated templates before the cut: nothing to sweep */
	assert_int_equal(xfer_rx_start(&x, 7, false), 0);
	assert_false(xfer_rx_stale(&x, &gone));
	/* a returning standby: marks snapshot and live keys */
	assert_int_equal(xfer_rx_start(&x, 8, true), 0);
	assert_int_equal(xfer_rx_record(&x, &in_snap), 1);
	assert_int_equal(xfer_rx_live(&x, &live, false), 0);
	assert_false(xfer_rx_stale(&x, &in_snap));
	assert_false(xfer_rx_stale(&x, &live));
	assert_true(xfer_rx_stale(&x, &gone));
	/* keys are domain + client: another server is the same key */
	in_snap.dport = 443;
	assert_false(xfer_rx_stale(&x, &in_snap));
	xfer_rx_stop(&x);
	assert_int_equal(x.xfer_id, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_members_set),
		cmocka_unit_test(test_donor),
		cmocka_unit_test(test_seq),
		cmocka_unit_test(test_fpmap),
		cmocka_unit_test(test_count_digest),
		cmocka_unit_test(test_tombstones),
		cmocka_unit_test(test_sweep),
	};
	struct pcc_test_run r = { 0 };

	PCC_TEST_GROUP(&r, "syncd_xfer", tests);
	return pcc_test_done(&r);
}
