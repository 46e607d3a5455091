// SPDX-License-Identifier: GPL-2.0
/*
 * test_syncd_send: the daemon's send path against a fake corosync
 * (cpg_mcast_joined wrapped with -Wl,--wrap): coalescing, batching,
 * CS_ERR_TRY_AGAIN kept and retried from a timer (no spin, nothing lost,
 * order kept), self-delivery acknowledging, resend after a CPG loss.
 */
#include "pcc_test.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "syncd.h"
#include "tplkey.h"

/* ---- fake corosync ---- */

#define MAXMSG 4096
static struct {
	int calls, fail_every, fail_first;
	int ok;
	uint8_t *msg[MAXMSG];
	size_t len[MAXMSG];
} cs;

cs_error_t __wrap_cpg_mcast_joined(cpg_handle_t h, cpg_guarantee_t g,
				   const struct iovec *iov, unsigned int n);
cs_error_t __wrap_cpg_mcast_joined(cpg_handle_t h, cpg_guarantee_t g,
				   const struct iovec *iov, unsigned int n)
{
	size_t len = 0, off = 0;

	cs.calls++;
	assert_int_equal(g, CPG_TYPE_AGREED);
	assert_true(n <= 63);
	if (cs.fail_first > 0) {
		cs.fail_first--;
		return CS_ERR_TRY_AGAIN;
	}
	if (cs.fail_every && cs.calls % cs.fail_every == 0)
		return CS_ERR_TRY_AGAIN;
	for (unsigned int i = 0; i < n; i++)
		len += iov[i].iov_len;
	assert_true(cs.ok < MAXMSG);
	cs.msg[cs.ok] = malloc(len);
	for (unsigned int i = 0; i < n; i++) {
		memcpy(cs.msg[cs.ok] + off, iov[i].iov_base, iov[i].iov_len);
		off += iov[i].iov_len;
	}
	cs.len[cs.ok++] = len;
	return CS_OK;
}

static void cs_reset(void)
{
	for (int i = 0; i < cs.ok; i++)
		free(cs.msg[i]);
	memset(&cs, 0, sizeof(cs));
}

/* ---- fixture ---- */

static int setup(void **state)
{
	struct syncd *s = calloc(1, sizeof(*s));
	struct syncd_conf c;

	conf_defaults(&c);
	c.batch_templates = 100;
	c.flush_interval_ms = 1;
	c.retry_max_ms = 4;
	if (syncd_init(s, &c) < 0)
		return -1;
	s->cpg.h = 1;		/* never used but by the wrapped call */
	s->cpg.joined = true;
	s->cpg.nodeid = 1;
	s->cpg.pid = 42;
	s->quorum.quorate = true;
	cs_reset();
	*state = s;
	return 0;
}

static int teardown(void **state)
{
	struct syncd *s = *state;

	s->cpg.h = 0;
	send_fini(s);
	recv_fini(s);
	cfgrepl_fini(s);
	qb_loop_destroy(s->loop);
	free(s);
	cs_reset();
	return 0;
}

static struct pccvs_tpl tpl(uint32_t client, uint64_t stamp)
{
	struct pccvs_tpl t = { .af = AF_INET, .protocol = IPPROTO_TCP,
			       .vport = 80, .dport = 80, .stamp = stamp,
			       .remaining_ms = 300000,
			       .flags = PCCVS_TPL_F_CONFIRMED };
	uint32_t c = htonl(0xc6120000u + client);

	inet_pton(AF_INET, "192.0.2.10", t.vaddr.b);
	inet_pton(AF_INET, "203.0.113.1", t.daddr.b);
	memcpy(t.caddr.b, &c, 4);
	return t;
}

struct until {
	struct syncd *s;
	int ticks;
	qb_loop_timer_handle th;
};

static void check_cb(void *data)
{
	struct until *u = data;
	struct syncd *s = u->s;

	if ((!coal_len(&s->pending) && !s->liveq.head && !s->ctrl.head &&
	     !s->bulk.head) || ++u->ticks > 3000) {
		qb_loop_stop(s->loop);
		return;
	}
	qb_loop_timer_add(s->loop, QB_LOOP_LOW, 1000000, u, check_cb, &u->th);
}

/* Run the loop until everything queued has been sent (or 3 s). */
static void drain(struct syncd *s)
{
	struct until u = { .s = s };

	qb_loop_timer_add(s->loop, QB_LOOP_LOW, 1000000, &u, check_cb, &u.th);
	qb_loop_run(s->loop);
	assert_true(u.ticks <= 3000);
}

/* Decode every captured message: templates and sequence numbers. */
static void decode_all(int from, uint64_t *ntpl, uint64_t *ndel,
		       uint64_t *first_seq, uint64_t *last_seq, uint8_t *seen)
{
	struct wire_arena *a = wire_arena_new();
	struct wire_tpls up = { 0 }, del = { 0 };
	uint64_t refused[WR__MAX] = { 0 };

	for (int i = from; i < cs.ok; i++) {
		Pccvs__Envelope *e = wire_unpack(a, cs.msg[i], cs.len[i]);
		enum wire_refuse why;

		assert_non_null(e);
		assert_int_equal(wire_check_header(e, 1, &why), 0);
		if (i == from)
			*first_seq = e->seq;
		else
			assert_int_equal(e->seq, *last_seq + 1);
		*last_seq = e->seq;
		assert_true(cs.len[i] <= 65536);
		if (e->body_case != PCCVS__ENVELOPE__BODY_BATCH)
			continue;
		up.n = del.n = 0;
		assert_int_equal(wire_batch_decode(e->batch, &up, &del, refused), 0);
		*ntpl += up.n;
		*ndel += del.n;
		for (size_t k = 0; seen && k < up.n; k++) {
			uint32_t c;

			memcpy(&c, up.v[k].caddr.b, 4);
			seen[ntohl(c) - 0xc6120000u]++;
		}
		wire_arena_reset(a);
	}
	wire_tpls_free(&up);
	wire_tpls_free(&del);
	wire_arena_free(a);
}

static void test_coalesce_and_batch(void **state)
{
	struct syncd *s = *state;
	uint64_t n = 0, d = 0, f, l;
	static uint8_t seen[1000];

	for (uint32_t i = 0; i < 1000; i++) {
		struct pccvs_tpl t = tpl(i, 1);

		send_event(s, &t, false);
		if (i % 10 == 0) {	/* refreshed before it left */
			t.stamp = 2;
			send_event(s, &t, false);
		}
	}
	drain(s);
	decode_all(0, &n, &d, &f, &l, seen);
	assert_int_equal(n, 1000);	/* once each, the 100 refreshes folded */
	for (int i = 0; i < 1000; i++)
		assert_int_equal(seen[i], 1);
	assert_int_equal(cs.ok, 10);	/* batches of batch_templates */
	assert_int_equal(s->st.tpl_sent, 1000);
	assert_int_equal(s->pending.merged, 100);
	assert_int_equal(send_unconfirmed(s), 10);
	/* self-delivery acknowledges them */
	for (int i = 0; i < cs.ok; i++)
		recv_deliver(s, 1, 42, cs.msg[i], cs.len[i]);
	assert_int_equal(send_unconfirmed(s), 0);
	assert_int_equal(s->self_seq, s->seq);
	assert_int_equal(s->st.tpl_applied, 0);	/* own batches not applied */
}

static void test_try_again(void **state)
{
	struct syncd *s = *state;
	uint64_t n = 0, d = 0, f, l;
	static uint8_t seen[5000];

	cs.fail_first = 20;	/* a membership change: a burst... */
	cs.fail_every = 3;	/* ...then a congested totem queue */
	for (uint32_t i = 0; i < 5000; i++) {
		struct pccvs_tpl t = tpl(i, 1);

		send_event(s, &t, i % 7 == 0);
	}
	drain(s);
	decode_all(0, &n, &d, &f, &l, seen);
	assert_int_equal(n + d, 5000);	/* nothing lost */
	assert_int_equal(f, 1);
	assert_int_equal(l, (uint64_t)cs.ok);	/* no seq burnt by a retry */
	assert_int_equal(s->st.try_again, (uint64_t)(cs.calls - cs.ok));
	assert_true(s->st.try_again >= 20);
	/* no spin: every refusal waited for the retry timer */
	assert_true(cs.calls <= cs.ok + (int)s->st.try_again);
}

static void test_resend_after_loss(void **state)
{
	struct syncd *s = *state;
	uint64_t n = 0, d = 0, f, l;
	int before;

	for (uint32_t i = 0; i < 300; i++) {
		struct pccvs_tpl t = tpl(i, 1);

		send_event(s, &t, false);
	}
	drain(s);
	assert_int_equal(send_unconfirmed(s), 3);
	/* the first one came back before corosync died */
	recv_deliver(s, 1, 42, cs.msg[0], cs.len[0]);
	assert_int_equal(send_unconfirmed(s), 2);
	send_cpg_lost(s);
	before = cs.ok;
	send_kick(s);
	drain(s);
	decode_all(before, &n, &d, &f, &l, NULL);
	assert_int_equal(n, 200);	/* the two unconfirmed ones, again */
	assert_int_equal(f, 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_coalesce_and_batch, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_try_again, setup, teardown),
		cmocka_unit_test_setup_teardown(test_resend_after_loss, setup,
						teardown),
	};
	struct pcc_test_run r = { 0 };

	PCC_TEST_GROUP(&r, "syncd_send", tests);
	return pcc_test_done(&r);
}
