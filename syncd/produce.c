// SPDX-License-Identifier: GPL-2.0
/*
 * produce.c: stream a dump of the forwarding table into a send queue,
 * as template batches (re-announcements, on the live queue) or snapshot
 * chunks (on the bulk queue, between SnapBegin and SnapEnd).
 *
 * With a backend that dumps in steps (dump_next), production runs as a
 * loop job, a slice at a time, and stops while the queue holds more than
 * PROD_HIGH_WATER bytes; the send pump wakes it when the queue drains. So
 * the first messages leave while the rest is still being read, and memory
 * stays bounded. A backend without dump_next (the module: a netlink dump
 * cannot pause) is dumped in one go. A table changing during the walk is
 * fine: changes also travel live, merges never go back, and a snapshot's
 * count and digest cover exactly what was sent.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <qb/qblog.h>

#include "syncd.h"

#define PROD_HIGH_WATER (8u << 20)	/* queued bytes: stop producing */
#define PROD_LOW_WATER (2u << 20)	/* queued bytes: produce again */
#define PROD_SLICE 4096			/* templates per dump_next call */
#define PROD_STEP 65536			/* templates per job run */

static struct outq *queue_of(struct syncd *s, struct syncd_producer *p)
{
	return p->kind == PROD_SNAPSHOT ? &s->bulk : &s->liveq;
}

static int pack(struct syncd *s, struct syncd_producer *p)
{
	uint8_t *buf;
	size_t len;
	struct outmsg *m;
	int rc;

	if (!wire_batch_count(&p->b))
		return 0;
	rc = p->kind == PROD_SNAPSHOT ?
		     wire_pack_chunk_body(&p->b, p->xfer_id, p->target_node,
					  &buf, &len) :
		     wire_pack_batch_body(&p->b, &buf, &len);
	if (rc < 0)
		return rc;
	m = outmsg_new(buf, len);
	if (!m)
		return -ENOMEM;
	m->ntpl = (uint32_t)p->b.n_up;
	m->xfer_id = p->kind == PROD_SNAPSHOT ? p->xfer_id : 0;
	p->count += p->b.n_up;
	p->digest += p->b.digest;
	outq_push(queue_of(s, p), m);
	wire_batch_reset(&p->b);
	return 0;
}

struct cb_ctx {
	struct syncd *s;
	struct syncd_producer *p;
	int err;
};

static int add_cb(const struct pccvs_tpl *t, void *arg)
{
	struct cb_ctx *c = arg;
	int rc = wire_batch_add(&c->p->b, t, false);

	if (rc == -ENOSPC) {
		rc = pack(c->s, c->p);
		if (rc < 0)
			return c->err = rc;
		rc = wire_batch_add(&c->p->b, t, false);
	}
	return 0;	/* an invalid template is simply not sent */
}

static int queue_marker(struct syncd *s, Pccvs__Envelope *e, uint64_t xfer_id)
{
	uint8_t *buf;
	size_t len;
	struct outmsg *m;
	int rc = wire_pack_body(e, &buf, &len);

	if (rc < 0)
		return rc;
	m = outmsg_new(buf, len);
	if (!m)
		return -ENOMEM;
	m->xfer_id = xfer_id;
	outq_push(&s->bulk, m);
	return 0;
}

static int snap_end(struct syncd *s, struct syncd_producer *p)
{
	Pccvs__Envelope e = PCCVS__ENVELOPE__INIT;
	Pccvs__SnapEnd se = PCCVS__SNAP_END__INIT;

	se.has_xfer_id = se.has_target = se.has_count = se.has_digest = 1;
	se.xfer_id = p->xfer_id;
	se.target = p->target_node;
	se.count = p->count;
	se.digest = p->digest;
	e.body_case = PCCVS__ENVELOPE__BODY_SNAP_END;
	e.snap_end = &se;
	return queue_marker(s, &e, p->xfer_id);
}

static void stop(struct syncd_producer *p)
{
	wire_batch_free(&p->b);
	p->active = false;
	p->job_queued = false;
}

static void finish(struct syncd *s, struct syncd_producer *p)
{
	int rc = pack(s, p);

	if (rc == 0 && p->kind == PROD_SNAPSHOT)
		rc = snap_end(s, p);
	if (rc < 0) {
		qb_log(LOG_ERR, "%s: out of memory", p->kind == PROD_SNAPSHOT ?
		       "snapshot" : "re-announce");
		produce_abort(s, p->kind);
		return;
	}
	if (p->kind == PROD_SNAPSHOT) {
		s->tx.count = p->count;
		qb_log(LOG_INFO, "snapshot of %" PRIu64 " templates to node %u "
		       "queued in %" PRIu64 " ms", p->count, p->target_node,
		       syncd_now_ms() - p->start_ms);
	} else {
		s->st.reannounced += p->count;
		qb_log(LOG_INFO, "re-announced %" PRIu64 " local templates",
		       p->count);
	}
	stop(p);
	send_kick(s);
	if (p->kind == PROD_SNAPSHOT)
		sync_serve_next(s);
}

static void step(struct syncd *s, struct syncd_producer *p);

static void job_reannounce(void *data)
{
	struct syncd *s = data;

	s->prod[PROD_REANNOUNCE].job_queued = false;
	step(s, &s->prod[PROD_REANNOUNCE]);
}

static void job_snapshot(void *data)
{
	struct syncd *s = data;

	s->prod[PROD_SNAPSHOT].job_queued = false;
	step(s, &s->prod[PROD_SNAPSHOT]);
}

static void schedule(struct syncd *s, struct syncd_producer *p)
{
	if (p->job_queued || !p->active)
		return;
	if (qb_loop_job_add(s->loop, QB_LOOP_LOW, s, p->kind == PROD_SNAPSHOT ?
			    job_snapshot : job_reannounce) == 0)
		p->job_queued = true;
}

static void failed(struct syncd *s, struct syncd_producer *p, int rc)
{
	qb_log(LOG_ERR, "dumping the forwarding table failed: %s",
	       strerror(-rc));
	produce_abort(s, p->kind);
	if (rc == -ENODEV || rc == -ENOENT)
		local_lost(s, rc);
}

static void step(struct syncd *s, struct syncd_producer *p)
{
	struct cb_ctx c = { .s = s, .p = p };
	uint32_t done = 0;
	int n;

	if (!p->active || !s->be_open)
		return;
	if (!s->be.ops->dump_next) {
		n = s->be.ops->dump(&s->be, p->flags, add_cb, &c);
		if (n < 0 || c.err)
			failed(s, p, n < 0 ? n : c.err);
		else
			finish(s, p);
		return;
	}
	while (queue_of(s, p)->bytes < PROD_HIGH_WATER && done < PROD_STEP) {
		n = s->be.ops->dump_next(&s->be, &p->cur, p->flags, add_cb, &c,
					 PROD_SLICE);
		if (n < 0 || c.err) {
			failed(s, p, n < 0 ? n : c.err);
			return;
		}
		if (n == 0) {
			finish(s, p);
			return;
		}
		done += (uint32_t)n;
	}
	send_kick(s);
	if (done >= PROD_STEP)
		schedule(s, p);	/* more right away, after other work */
	/* else: the pump calls produce_kick() when the queue drains */
}

void produce_kick(struct syncd *s)
{
	for (int k = 0; k < PROD__MAX; k++) {
		struct syncd_producer *p = &s->prod[k];

		if (p->active && queue_of(s, p)->bytes < PROD_LOW_WATER)
			schedule(s, p);
	}
}

static int begin(struct syncd *s, enum prod_kind kind, uint32_t flags)
{
	struct syncd_producer *p = &s->prod[kind];
	int rc;

	produce_abort(s, kind);
	memset(p, 0, sizeof(*p));
	p->kind = kind;
	p->flags = flags;
	p->start_ms = syncd_now_ms();
	rc = wire_batch_init(&p->b, (kind == PROD_SNAPSHOT ?
				     s->conf.snapshot_chunk_bytes :
				     s->conf.max_message_bytes) -
			     WIRE_HDR_MAX - WIRE_BODY_OVERHEAD,
			     kind == PROD_SNAPSHOT ? WIRE_MAX_TPLS :
						     s->conf.batch_templates);
	if (rc < 0)
		return rc;
	p->b.want_digest = kind == PROD_SNAPSHOT;
	p->active = true;
	return 0;
}

int produce_reannounce(struct syncd *s)
{
	int rc;

	if (!s->be_open)
		return -ENODEV;
	rc = begin(s, PROD_REANNOUNCE, PCCVS_DUMP_F_LOCAL | PCCVS_DUMP_F_CONFIRMED);
	if (rc < 0)
		return rc;
	step(s, &s->prod[PROD_REANNOUNCE]);
	return 0;
}

int produce_snapshot(struct syncd *s, uint64_t xfer_id, uint32_t tnode,
		     uint64_t hint)
{
	Pccvs__Envelope e = PCCVS__ENVELOPE__INIT;
	Pccvs__SnapBegin sb = PCCVS__SNAP_BEGIN__INIT;
	struct syncd_producer *p = &s->prod[PROD_SNAPSHOT];
	int rc;

	if (!s->be_open)
		return -ENODEV;
	rc = begin(s, PROD_SNAPSHOT, PCCVS_DUMP_F_CONFIRMED);
	if (rc < 0)
		return rc;
	p->xfer_id = xfer_id;
	p->target_node = tnode;
	sb.has_xfer_id = sb.has_target = sb.has_count = 1;
	sb.xfer_id = xfer_id;
	sb.target = tnode;
	sb.count = hint;
	e.body_case = PCCVS__ENVELOPE__BODY_SNAP_BEGIN;
	e.snap_begin = &sb;
	rc = queue_marker(s, &e, xfer_id);
	if (rc < 0) {
		stop(p);
		return rc;
	}
	step(s, p);
	return 0;
}

bool produce_active(const struct syncd *s, enum prod_kind kind)
{
	return s->prod[kind].active;
}

void produce_abort(struct syncd *s, enum prod_kind kind)
{
	struct syncd_producer *p = &s->prod[kind];

	if (!p->active)
		return;
	stop(p);
}
