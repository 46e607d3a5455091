// SPDX-License-Identifier: GPL-2.0
/*
 * send.c: local template changes -> CPG.
 *
 * Events land in the pending map (one slot per template key). A batch is
 * built from it when it holds batch_templates entries or when the flush
 * timer (flush_interval_ms) fires, and only when nothing else waits in
 * the live queue, so templates keep coalescing while CPG pushes back.
 * (Sending only once the previous batch came back, like Nagle, was
 * tried: sparser traffic lets totem hold the token, which tripled the
 * latency.)
 * Three queues, in priority order: ctrl (Status, SyncRequest), live
 * (batches and re-announcements, kept in order), bulk (snapshot streams;
 * one bulk message per LIVE_RUN live ones so a flood cannot starve a
 * joiner). CS_ERR_TRY_AGAIN keeps the message at its queue's head and
 * retries from a timer backing off from 250 us to retry_max_ms; nothing
 * spins, nothing is dropped. Sent live messages stay in "unacked" until
 * their self-delivery proves they entered the total order; after a CPG
 * loss they are sent again (merges are idempotent and never go back).
 */
#include <errno.h>
#include <stdlib.h>
#include <qb/qblog.h>

#include "syncd.h"

#define PUMP_MSGS 64		/* messages per pump run before yielding */
#define PUMP_BYTES (4 << 20)
#define LIVE_RUN 4		/* live messages per bulk message */
#define RETRY_MIN_US 250
#define UNACKED_WARN_MS 10000

static void pump(struct syncd *s);

static void pump_job(void *data)
{
	struct syncd *s = data;

	s->pump_queued = false;
	pump(s);
}

void send_kick(struct syncd *s)
{
	if (s->pump_queued || qb_loop_timer_is_running(s->loop, s->retry_timer))
		return;
	if (qb_loop_job_add(s->loop, QB_LOOP_MED, s, pump_job) == 0)
		s->pump_queued = true;
}

static void retry_cb(void *data)
{
	pump(data);
}

static void flush_cb(void *data)
{
	struct syncd *s = data;

	if (coal_len(&s->pending))
		s->flush_due = true;
	pump(s);
}

int send_init(struct syncd *s)
{
	int rc = coal_init(&s->pending);

	if (rc == 0)
		rc = coal_init(&s->journal);
	if (rc < 0)
		return rc;
	return wire_batch_init(&s->live, s->conf.max_message_bytes -
			       WIRE_HDR_MAX - WIRE_BODY_OVERHEAD,
			       s->conf.batch_templates);
}

void send_fini(struct syncd *s)
{
	qb_loop_timer_del(s->loop, s->flush_timer);
	qb_loop_timer_del(s->loop, s->retry_timer);
	coal_free(&s->pending);
	coal_free(&s->journal);
	wire_batch_free(&s->live);
	outq_clear(&s->ctrl);
	outq_clear(&s->liveq);
	outq_clear(&s->bulk);
	outq_clear(&s->unacked);
}

/* While inquorate, remember which local templates changed: our batches
 * reach only our side of the partition, so they are announced again when
 * quorum returns (send_journal_replay). Past max_pending entries the
 * journal gives up and a full re-announce is made instead. */
static void journal(struct syncd *s, const struct pccvs_tpl *t, bool del)
{
	if (s->quorum.quorate || s->journal_overflow)
		return;
	if (coal_len(&s->journal) >= s->conf.max_pending ||
	    coal_put(&s->journal, t, del) < 0) {
		s->journal_overflow = true;
		coal_clear(&s->journal);
	}
}

int send_journal_replay(struct syncd *s)
{
	const struct coal_entry *e;
	bool overflow = s->journal_overflow;
	size_t n = coal_len(&s->journal);

	s->journal_overflow = false;
	if (overflow) {
		coal_clear(&s->journal);
		return -E2BIG;
	}
	while ((e = coal_head(&s->journal))) {
		if (coal_put(&s->pending, &e->t, e->del) < 0) {
			coal_clear(&s->journal);
			return -ENOMEM;
		}
		coal_pop(&s->journal);
	}
	if (n) {
		qb_log(LOG_INFO, "announcing again %zu templates changed while "
		       "inquorate", n);
		s->st.reannounced += n;
		s->flush_due = true;
		send_kick(s);
	}
	return 0;
}

void send_event(struct syncd *s, const struct pccvs_tpl *t, bool del)
{
	int rc = coal_put(&s->pending, t, del);

	journal(s, t, del);
	s->st.events++;
	if (rc < 0) {
		/* cannot even queue it: make sure it is re-announced */
		qb_log(LOG_ERR, "pending map: out of memory");
		local_pause_events(s, true);
		return;
	}
	if (coal_len(&s->pending) >= s->conf.max_pending)
		local_pause_events(s, true);
	if (coal_len(&s->pending) >= s->conf.batch_templates ||
	    s->conf.flush_interval_ms == 0) {
		send_kick(s);
	} else if (!qb_loop_timer_is_running(s->loop, s->flush_timer))
		qb_loop_timer_add(s->loop, QB_LOOP_MED,
				  (uint64_t)s->conf.flush_interval_ms *
					  QB_TIME_NS_IN_MSEC,
				  s, flush_cb, &s->flush_timer);
}

int send_queue(struct syncd *s, enum syncd_queue q, struct outmsg *m)
{
	struct outq *dst = q == SYNCD_Q_CTRL ? &s->ctrl :
			   q == SYNCD_Q_LIVE ? &s->liveq : &s->bulk;

	outq_push(dst, m);
	send_kick(s);
	return 0;
}

int syncd_send_body(struct syncd *s, const Pccvs__Envelope *e,
		    enum syncd_queue q)
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
	return send_queue(s, q, m);
}

/* Pack the live builder into a message on q (upserts/deletes counted). */
static int pack_live(struct syncd *s, struct wire_batch *b, struct outq *q)
{
	uint8_t *buf;
	size_t len;
	struct outmsg *m;
	int rc = wire_pack_batch_body(b, &buf, &len);

	if (rc < 0)
		return rc;
	m = outmsg_new(buf, len);
	if (!m)
		return -ENOMEM;
	m->ntpl = (uint32_t)b->n_up;
	m->ndel = (uint32_t)b->n_del;
	outq_push(q, m);
	wire_batch_reset(b);
	return 0;
}

/* One batch from the pending map into the live queue. */
static void build_live(struct syncd *s)
{
	const struct coal_entry *e;

	wire_batch_reset(&s->live);
	while ((e = coal_head(&s->pending))) {
		int rc = wire_batch_add(&s->live, &e->t, e->del);

		if (rc == -ENOSPC)
			break;
		if (rc < 0)
			qb_log(LOG_WARNING, "dropping an event with an invalid "
			       "template (af %u)", e->t.af);
		coal_pop(&s->pending);
	}
	if (wire_batch_count(&s->live) && pack_live(s, &s->live, &s->liveq) < 0)
		qb_log(LOG_ERR, "packing a batch failed: out of memory");
	if (!coal_len(&s->pending))
		s->flush_due = false;
	if (s->ev_paused && coal_len(&s->pending) < s->conf.max_pending / 2)
		local_pause_events(s, false);
}

static bool live_ready(struct syncd *s)
{
	if (s->liveq.head)
		return true;
	if (!coal_len(&s->pending))
		return false;
	return s->flush_due || coal_len(&s->pending) >= s->conf.batch_templates;
}

/* The queue whose head goes next, or NULL. */
static struct outq *next_queue(struct syncd *s)
{
	bool live = live_ready(s);

	if (s->ctrl.head)
		return &s->ctrl;
	if (live && (!s->bulk.head || s->live_run < LIVE_RUN)) {
		if (!s->liveq.head)
			build_live(s);
		if (s->liveq.head)
			return &s->liveq;
	}
	if (s->bulk.head)
		return &s->bulk;
	return NULL;
}

static void sent_ok(struct syncd *s, struct outq *q, struct outmsg *m)
{
	s->st.msgs_sent++;
	s->st.bytes_sent += m->len;
	s->retry_streak = 0;
	outq_pop(q);
	if (q == &s->liveq) {
		s->live_run++;
		s->st.tpl_sent += m->ntpl;
		s->st.tpl_del_sent += m->ndel;
		if (!s->unacked.head)
			s->unacked_since_ms = syncd_now_ms();
		outq_push(&s->unacked, m);
	} else {
		if (q == &s->bulk)
			s->live_run = 0;
		outmsg_free(m);
	}
}

static void arm_retry(struct syncd *s)
{
	unsigned int shift = s->retry_streak < 12 ? s->retry_streak : 12;
	uint64_t us = (uint64_t)RETRY_MIN_US << shift;

	if (us > (uint64_t)s->conf.retry_max_ms * 1000)
		us = (uint64_t)s->conf.retry_max_ms * 1000;
	s->retry_streak++;
	qb_loop_timer_add(s->loop, QB_LOOP_MED, us * 1000, s, retry_cb,
			  &s->retry_timer);
}

static void pump(struct syncd *s)
{
	size_t bytes = 0;
	struct outq *q;

	if (!s->cpg.h || !s->cpg.joined ||
	    qb_loop_timer_is_running(s->loop, s->retry_timer))
		return;
	for (int n = 0; n < PUMP_MSGS && bytes < PUMP_BYTES; n++) {
		struct wire_hdr h = {
			.sender = s->cpg.nodeid, .epoch = s->cpg.epoch,
			.seq = s->seq + 1, .incarnation = s->incarnation,
		};
		struct outmsg *m;
		int rc;

		q = next_queue(s);
		if (!q)
			return;
		m = q->head;
		rc = cpg_send(s, &h, m);
		if (rc == -EAGAIN) {
			s->st.try_again++;
			arm_retry(s);
			return;
		}
		if (rc < 0)
			return;	/* dispatch sees the loss and reconnects */
		m->seq = ++s->seq;
		bytes += m->len;
		sent_ok(s, q, m);
		produce_kick(s);
	}
	send_kick(s);	/* more to do: yield to dispatch first */
}

void send_self_delivered(struct syncd *s, uint64_t seq)
{
	if (seq > s->self_seq)
		s->self_seq = seq;
	outq_ack(&s->unacked, seq);
	s->unacked_since_ms = s->unacked.head ? syncd_now_ms() : 0;
}

size_t send_unconfirmed(const struct syncd *s)
{
	return s->unacked.n;
}

/* Unacked and queued live messages are sent again after the reconnect,
 * oldest first; control and snapshot traffic restarts from scratch. */
void send_cpg_lost(struct syncd *s)
{
	struct outq resend = { 0 };

	qb_loop_timer_del(s->loop, s->retry_timer);
	s->retry_streak = 0;
	outq_splice(&resend, &s->unacked);
	outq_splice(&resend, &s->liveq);
	s->liveq = resend;
	s->unacked_since_ms = 0;
	outq_clear(&s->ctrl);
	outq_clear(&s->bulk);
	produce_abort(s, PROD_REANNOUNCE);	/* redone after the rejoin */
	produce_abort(s, PROD_SNAPSHOT);
}

/* Watchdog (from the housekeeping timer): sent messages that never come
 * back mean corosync lost them; send them again. */
void send_check_unacked(struct syncd *s)
{
	struct outq resend = { 0 };

	if (!s->unacked.head || !s->unacked_since_ms ||
	    syncd_now_ms() - s->unacked_since_ms < UNACKED_WARN_MS)
		return;
	qb_log(LOG_WARNING, "%zu sent messages not delivered back for %u s; "
	       "sending them again", s->unacked.n, UNACKED_WARN_MS / 1000);
	outq_splice(&resend, &s->unacked);
	outq_splice(&resend, &s->liveq);
	s->liveq = resend;
	s->unacked_since_ms = 0;
	send_kick(s);
}

int send_reannounce(struct syncd *s, const char *why)
{
	int rc;

	if (!s->be_open)
		return -ENODEV;
	rc = produce_reannounce(s);
	if (rc < 0) {
		qb_log(LOG_ERR, "re-announce (%s): %s", why, strerror(-rc));
		return rc;
	}
	s->st.reannounces++;
	qb_log(LOG_INFO, "re-announcing local templates (%s)", why);
	send_kick(s);
	return 0;
}
