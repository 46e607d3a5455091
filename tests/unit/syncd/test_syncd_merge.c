// SPDX-License-Identifier: GPL-2.0
/*
 * test_syncd_merge: what a receiver does with templates, through the
 * simulation backend and so through the real core: the merge rule (never
 * backwards), stamp-conditional deletes, refusals, dump filters, event
 * overrun, and a whole snapshot (dump -> chunks -> validation -> inject)
 * ending in identical tables.
 */
#include "pcc_test.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "sim.h"
#include "tplkey.h"
#include "wire.h"
#include "xfer.h"

struct fix {
	struct syncd_conf conf;
	qb_loop_t *loop;
	struct backend a, b;
};

static void conf_sim(struct syncd_conf *c)
{
	struct syncd_sim_svc *s = &c->sim_svc[0];

	conf_defaults(c);
	c->backend = SYNCD_BACKEND_SIM;
	s->af = AF_INET;
	s->protocol = IPPROTO_TCP;
	s->port = 80;
	s->netmask = 32;
	s->timeout = 300;
	s->vaddr.af = AF_INET;
	inet_pton(AF_INET, "192.0.2.10", s->vaddr.b);
	strcpy(s->sched, "rr");
	c->n_sim_svc = 1;
	for (int i = 0; i < 2; i++) {
		struct syncd_sim_dest *d = &c->sim_dest[i];

		d->svc = 0;
		d->port = 80;
		d->weight = 1;
		d->addr.af = AF_INET;
		inet_pton(AF_INET, i ? "203.0.113.2" : "203.0.113.1", d->addr.b);
	}
	c->n_sim_dest = 2;
}

static int setup(void **state)
{
	struct fix *f = calloc(1, sizeof(*f));

	conf_sim(&f->conf);
	f->loop = qb_loop_create();
	for (int i = 0; i < 2; i++) {
		struct backend *b = i ? &f->b : &f->a;

		b->ops = &backend_sim_ops;
		b->conf = &f->conf;
		b->loop = f->loop;
		if (b->ops->open(b) < 0)
			return -1;
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fix *f = *state;

	f->a.ops->close(&f->a);
	f->b.ops->close(&f->b);
	qb_loop_destroy(f->loop);
	free(f);
	return 0;
}

static struct pccvs_tpl tpl(const char *client, const char *server,
			    uint64_t stamp, uint64_t remaining)
{
	struct pccvs_tpl t = { .af = AF_INET, .protocol = IPPROTO_TCP,
			       .vport = 80, .dport = 80, .stamp = stamp,
			       .remaining_ms = remaining,
			       .flags = PCCVS_TPL_F_CONFIRMED };

	inet_pton(AF_INET, "192.0.2.10", t.vaddr.b);
	inet_pton(AF_INET, client, t.caddr.b);
	inet_pton(AF_INET, server, t.daddr.b);
	tpl_normalize(&t);
	return t;
}

struct find {
	struct pccvs_tpl key, got;
	int n;
};

static int find_cb(const struct pccvs_tpl *t, void *arg)
{
	struct find *f = arg;

	if (tpl_key_eq(t, &f->key)) {
		f->got = *t;
		f->n++;
	}
	return 0;
}

static int get(struct backend *b, const struct pccvs_tpl *key,
	       struct pccvs_tpl *out)
{
	struct find f = { .key = *key };

	assert_int_equal(b->ops->dump(b, 0, find_cb, &f), 0);
	*out = f.got;
	return f.n;
}

static struct pccvs_result inject1(struct backend *b, struct pccvs_tpl t)
{
	struct pccvs_result r = { 0 };

	assert_int_equal(b->ops->inject(b, &t, 1, &r), 0);
	return r;
}

static void test_merge_rule(void **state)
{
	struct fix *f = *state;
	struct backend *b = &f->b;
	struct pccvs_tpl got, t = tpl("198.51.100.1", "203.0.113.1", 10, 100000);
	struct pccvs_result r;

	r = inject1(b, t);
	assert_int_equal(r.applied, 1);
	assert_int_equal(get(b, &t, &got), 1);
	assert_true(got.flags & PCCVS_TPL_F_REPLICATED);
	assert_memory_equal(got.daddr.b, t.daddr.b, 4);
	/* same server, shorter: nothing gets shorter */
	t.remaining_ms = 50000;
	r = inject1(b, t);
	assert_int_equal(r.unchanged, 1);
	get(b, &t, &got);
	assert_true(got.remaining_ms > 90000);
	/* same server, longer: extended */
	t.remaining_ms = 200000;
	r = inject1(b, t);
	assert_int_equal(r.applied, 1);
	get(b, &t, &got);
	assert_true(got.remaining_ms > 190000);
	/* another server with an older stamp loses */
	struct pccvs_tpl o = tpl("198.51.100.1", "203.0.113.2", 9, 100000);
	r = inject1(b, o);
	assert_int_equal(r.unchanged, 1);
	get(b, &t, &got);
	assert_memory_equal(got.daddr.b, t.daddr.b, 4);
	/* ... with a newer stamp wins */
	o.stamp = 11;
	r = inject1(b, o);
	assert_int_equal(r.applied, 1);
	get(b, &t, &got);
	assert_memory_equal(got.daddr.b, o.daddr.b, 4);
	assert_int_equal(got.stamp, 11);
	/* equal stamps: the higher server address wins, whatever the order */
	struct pccvs_tpl lo = tpl("198.51.100.2", "203.0.113.1", 5, 100000);
	struct pccvs_tpl hi = tpl("198.51.100.2", "203.0.113.2", 5, 100000);
	inject1(b, hi);
	inject1(b, lo);
	get(b, &lo, &got);
	assert_memory_equal(got.daddr.b, hi.daddr.b, 4);
	/* unknown domain or server: refused, counted */
	struct pccvs_tpl bad = tpl("198.51.100.3", "203.0.113.9", 1, 1000);
	r = inject1(b, bad);
	assert_int_equal(r.refused, 1);
	bad = tpl("198.51.100.3", "203.0.113.1", 1, 1000);
	bad.vport = 81;
	r = inject1(b, bad);
	assert_int_equal(r.refused, 1);
}

static void test_delete(void **state)
{
	struct fix *f = *state;
	struct backend *b = &f->b;
	struct pccvs_tpl got, t = tpl("198.51.100.7", "203.0.113.1", 20, 100000);
	struct pccvs_result r = { 0 };

	inject1(b, t);
	/* a delete about an older assignment leaves the newer one */
	t.stamp = 19;
	assert_int_equal(b->ops->del(b, &t, 1, &r), 0);
	assert_int_equal(r.unchanged, 1);
	assert_int_equal(get(b, &t, &got), 1);
	t.stamp = 20;
	memset(&r, 0, sizeof(r));
	assert_int_equal(b->ops->del(b, &t, 1, &r), 0);
	assert_int_equal(r.applied, 1);
	assert_int_equal(get(b, &t, &got), 0);
	/* deleting what is not there is not an error */
	memset(&r, 0, sizeof(r));
	assert_int_equal(b->ops->del(b, &t, 1, &r), 0);
	assert_int_equal(r.unchanged, 1);
}

static void stop_cb(void *data)
{
	qb_loop_stop(data);
}

/* Run the loop until A's load generator has made n templates. */
static void load(struct fix *f, uint64_t n, uint64_t start)
{
	struct syncd_ipc_sim_req r = { .version = SYNCD_IPC_VERSION,
				       .cmd = SYNCD_SIM_LOAD, .count = n,
				       .start = start };
	struct syncd_ipc_sim_resp o;
	size_t olen = sizeof(o);
	qb_loop_timer_handle th;

	assert_int_equal(f->a.ops->control(&f->a, SYNCD_IPC_SIM, &r, sizeof(r),
					   &o, &olen), 0);
	for (int i = 0; i < 1000 && ((struct sim *)f->a.priv)->load.running; i++) {
		qb_loop_timer_add(f->loop, QB_LOOP_LOW, 1000000, f->loop, stop_cb,
				  &th);
		qb_loop_run(f->loop);
	}
	r.cmd = SYNCD_SIM_STATS;
	olen = sizeof(o);
	assert_int_equal(f->a.ops->control(&f->a, SYNCD_IPC_SIM, &r, sizeof(r),
					   &o, &olen), 0);
	assert_int_equal(o.running, 0);
	assert_int_equal(o.created, n);
	assert_int_equal(o.failed, 0);
}

struct count {
	uint64_t n, events, digest;
};

static int count_cb(const struct pccvs_tpl *t, void *arg)
{
	struct count *c = arg;
	struct pccvs_tpl n = *t;

	tpl_normalize(&n);
	c->n++;
	c->digest += tpl_record_hash(&n);
	if (t->event == PCCVS_TPL_EV_CONFIRMED)
		c->events++;
	return 0;
}

static void test_events_and_filters(void **state)
{
	struct fix *f = *state;
	struct count c = { 0 }, local = { 0 }, conf = { 0 };

	load(f, 1000, 0);
	/* real core events: one CONFIRMED per template */
	assert_int_equal(f->a.ops->read_events(&f->a, count_cb, &c), 1000);
	assert_int_equal(c.events, 1000);
	assert_int_equal(f->a.ops->dump(&f->a, PCCVS_DUMP_F_LOCAL, count_cb,
					&local), 0);
	assert_int_equal(local.n, 1000);
	/* B holds only replicated templates: nothing local */
	inject1(&f->b, tpl("198.51.100.9", "203.0.113.1", 1, 1000));
	local.n = 0;
	assert_int_equal(f->b.ops->dump(&f->b, PCCVS_DUMP_F_LOCAL, count_cb,
					&local), 0);
	assert_int_equal(local.n, 0);
	assert_int_equal(f->b.ops->dump(&f->b, PCCVS_DUMP_F_CONFIRMED, count_cb,
					&conf), 0);
	assert_int_equal(conf.n, 1);
}

static void test_overrun(void **state)
{
	struct fix *f = *state;
	struct count c = { 0 };

	/* 65536 bytes of "socket" hold 512 events: 1000 overrun it */
	f->a.ops->close(&f->a);
	f->conf.netlink_rcvbuf = 65536;
	assert_int_equal(f->a.ops->open(&f->a), 0);
	load(f, 1000, 0);
	assert_int_equal(f->a.ops->read_events(&f->a, count_cb, &c), -ENOBUFS);
	assert_int_equal(c.n, 512);
	/* reading goes on after the overrun */
	load(f, 10, 5000);
	c.n = 0;
	assert_int_equal(f->a.ops->read_events(&f->a, count_cb, &c), 10);
}

struct chunker {
	struct wire_batch b;
	struct wire_arena *arena;
	struct xfer_rx rx;
	struct backend *dst;
	uint64_t count, digest, chunks;
};

static void ship(struct chunker *k)
{
	uint8_t *body;
	size_t len;
	Pccvs__Envelope *e;
	struct wire_tpls up = { 0 };
	uint64_t refused[WR__MAX] = { 0 };
	struct pccvs_result r = { 0 };

	k->count += k->b.n_up;
	k->digest += k->b.digest;
	assert_int_equal(wire_pack_chunk_body(&k->b, 7, 2, &body, &len), 0);
	e = wire_unpack(k->arena, body, len);
	assert_non_null(e);
	assert_int_equal(e->body_case, PCCVS__ENVELOPE__BODY_SNAP_CHUNK);
	assert_int_equal(wire_batch_decode(e->snap_chunk->batch, &up, NULL,
					   refused), 0);
	for (size_t i = 0; i < up.n; i++)
		assert_int_equal(xfer_rx_record(&k->rx, &up.v[i]), 1);
	assert_int_equal(k->dst->ops->inject(k->dst, up.v, up.n, &r), 0);
	assert_int_equal(r.applied, up.n);
	wire_tpls_free(&up);
	wire_arena_reset(k->arena);
	free(body);
	wire_batch_reset(&k->b);
	k->chunks++;
}

static int chunk_cb(const struct pccvs_tpl *t, void *arg)
{
	struct chunker *k = arg;

	if (wire_batch_add(&k->b, t, false) == -ENOSPC) {
		ship(k);
		assert_int_equal(wire_batch_add(&k->b, t, false), 0);
	}
	return 0;
}

static void test_snapshot(void **state)
{
	struct fix *f = *state;
	struct chunker k = { .dst = &f->b };
	struct count ca = { 0 }, cb = { 0 };

	load(f, 20000, 0);
	k.arena = wire_arena_new();
	assert_int_equal(xfer_rx_start(&k.rx, 7, false), 0);
	assert_int_equal(wire_batch_init(&k.b, 16384, WIRE_MAX_TPLS), 0);
	k.b.want_digest = true;
	assert_int_equal(f->a.ops->dump(&f->a, PCCVS_DUMP_F_CONFIRMED, chunk_cb,
					&k), 0);
	if (wire_batch_count(&k.b))
		ship(&k);
	assert_true(k.chunks > 20);
	assert_int_equal(xfer_rx_end(&k.rx, k.count, k.digest), 0);
	assert_int_equal(k.count, 20000);
	/* same templates, same servers, same stamps on both sides */
	f->a.ops->dump(&f->a, 0, count_cb, &ca);
	f->b.ops->dump(&f->b, 0, count_cb, &cb);
	assert_int_equal(ca.n, cb.n);
	assert_int_equal(ca.digest, cb.digest);
	xfer_rx_stop(&k.rx);
	wire_batch_free(&k.b);
	wire_arena_free(k.arena);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_merge_rule, setup, teardown),
		cmocka_unit_test_setup_teardown(test_delete, setup, teardown),
		cmocka_unit_test_setup_teardown(test_events_and_filters, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_overrun, setup, teardown),
		cmocka_unit_test_setup_teardown(test_snapshot, setup, teardown),
	};
	struct pcc_test_run r = { 0 };

	PCC_TEST_GROUP(&r, "syncd_merge", tests);
	return pcc_test_done(&r);
}
