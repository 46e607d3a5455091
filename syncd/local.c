// SPDX-License-Identifier: GPL-2.0
/*
 * local.c: this director's forwarding table, through the backend ops.
 * Opens it (retrying with backoff 100 ms .. 5 s while it is absent, e.g.
 * the module is not loaded), reads template events into the send path,
 * stops reading when the pending map is full (the backend then overruns
 * and we re-announce from a dump), applies what peers send, and notices
 * when the table goes away or comes back.
 */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <qb/qblog.h>

#include "syncd.h"

#define TICK_MS 10
#define READY_POLL_MS 1000

static void reopen_cb(void *data);

static int ev_cb(const struct pccvs_tpl *t, void *arg)
{
	struct syncd *s = arg;

	switch (t->event) {
	case PCCVS_TPL_EV_CONFIRMED:
	case PCCVS_TPL_EV_REFRESHED:
		send_event(s, t, false);
		break;
	case PCCVS_TPL_EV_EXPIRED:
	case PCCVS_TPL_EV_DELETED:
		send_event(s, t, true);
		break;
	default:
		break;
	}
	return 0;
}

static int32_t ev_fd_cb(int32_t fd, int32_t revents, void *data)
{
	struct syncd *s = data;
	int rc;

	if (!s->be_open)
		return 0;
	rc = s->be.ops->read_events(&s->be, ev_cb, s);
	if (rc == -ENOBUFS || rc == -EPIPE) {
		s->st.ev_overruns++;
		qb_log(LOG_WARNING, "template events lost (%s); re-announcing",
		       rc == -ENOBUFS ? "overrun" : "sequence gap");
		if (s->cpg.joined)
			send_reannounce(s, "events lost");
	} else if (rc < 0 && rc != -EAGAIN) {
		local_lost(s, rc);
	}
	return 0;
}

static void schedule_reopen(struct syncd *s)
{
	uint32_t b = s->be_backoff_ms;

	b = b ? (b >= 2500 ? 5000 : b * 2) : 100;
	s->be_backoff_ms = b;
	qb_loop_timer_add(s->loop, QB_LOOP_LOW, (uint64_t)b * QB_TIME_NS_IN_MSEC,
			  s, reopen_cb, &s->be_timer);
}

/* Templates can only land once the table has services. */
static void check_ready(struct syncd *s)
{
	struct backend_counts c = { 0 };
	int rc;

	if (!s->be_open || s->be_ready)
		return;
	rc = s->be.ops->counts(&s->be, &c);
	if (rc < 0) {
		local_lost(s, rc);
		return;
	}
	/* no services: ready all the same when they come from the cluster
	 * configuration (it may have none yet; a joiner gets it first) */
	if (!c.services && !cfgrepl_have(s))
		return;
	s->be_ready = true;
	qb_log(LOG_NOTICE, "forwarding table ready (%u services, %llu "
	       "templates)", c.services, (unsigned long long)c.templates);
	sync_backend_changed(s);
}

static void tick_cb(void *data)
{
	struct syncd *s = data;
	static const unsigned int ready_every = READY_POLL_MS / TICK_MS;

	bool more = false;

	if (!s->be_open)
		return;
	if (s->be.ops->tick)
		more = s->be.ops->tick(&s->be) != 0;
	if (!s->be_ready && ++s->be_ticks % ready_every == 0)
		check_ready(s);
	if (s->be_open)
		qb_loop_timer_add(s->loop, QB_LOOP_LOW,
				  (more ? 1 : TICK_MS) * QB_TIME_NS_IN_MSEC, s,
				  tick_cb, &s->tick_timer);
}

static void reopen_cb(void *data)
{
	struct syncd *s = data;
	int rc = s->be.ops->open(&s->be);

	if (rc < 0) {
		if (s->be_backoff_ms == 0 || s->be_backoff_ms >= 5000)
			qb_log(LOG_WARNING, "backend %s: %s; retrying",
			       s->be.ops->name, s->be.err[0] ? s->be.err :
			       strerror(-rc));
		schedule_reopen(s);
		return;
	}
	s->be_open = true;
	s->be_backoff_ms = 0;
	s->ev_paused = false;
	if (qb_loop_poll_add(s->loop, QB_LOOP_MED, s->be.ops->event_fd(&s->be),
			     POLLIN, s, ev_fd_cb) != 0) {
		qb_log(LOG_ERR, "cannot watch the backend's event fd");
		local_lost(s, -EIO);
		return;
	}
	qb_log(LOG_NOTICE, "backend %s open", s->be.ops->name);
	cfgrepl_backend_open(s);	/* its services = the configuration */
	qb_loop_timer_add(s->loop, QB_LOOP_LOW, TICK_MS * QB_TIME_NS_IN_MSEC, s,
			  tick_cb, &s->tick_timer);
	check_ready(s);
}

int local_start(struct syncd *s)
{
	s->be.ops = s->conf.backend == SYNCD_BACKEND_SIM ? &backend_sim_ops :
							   &backend_nl_ops;
	s->be.conf = &s->conf;
	s->be.loop = s->loop;
	if (s->conf.backend == SYNCD_BACKEND_SIM)
		qb_log(LOG_WARNING, "backend sim: the SIMULATED forwarding core, "
		       "for tests only; no packet is forwarded");
	reopen_cb(s);
	return 0;
}

static void close_backend(struct syncd *s)
{
	if (!s->be_open)
		return;
	produce_abort(s, PROD_REANNOUNCE);
	produce_abort(s, PROD_SNAPSHOT);
	qb_loop_poll_del(s->loop, s->be.ops->event_fd(&s->be));
	qb_loop_timer_del(s->loop, s->tick_timer);
	s->be.ops->close(&s->be);
	s->be_open = false;
	s->be_ready = false;
}

void local_stop(struct syncd *s)
{
	qb_loop_timer_del(s->loop, s->be_timer);
	close_backend(s);
}

void local_lost(struct syncd *s, int err)
{
	if (!s->be_open)
		return;
	qb_log(LOG_ERR, "forwarding table lost (%s); reopening",
	       strerror(-err));
	close_backend(s);
	s->st.backend_reopens++;
	sync_backend_changed(s);
	s->be_backoff_ms = 0;
	schedule_reopen(s);
}

void local_pause_events(struct syncd *s, bool pause)
{
	if (!s->be_open || pause == s->ev_paused)
		return;
	s->ev_paused = pause;
	qb_loop_poll_mod(s->loop, QB_LOOP_MED, s->be.ops->event_fd(&s->be),
			 pause ? 0 : POLLIN, s, ev_fd_cb);
	qb_log(LOG_INFO, "%s reading template events (%zu pending)",
	       pause ? "stopped" : "resumed", coal_len(&s->pending));
}

int local_apply(struct syncd *s, const struct wire_tpls *up,
		const struct wire_tpls *del)
{
	struct pccvs_result r = { 0 };
	int rc = 0;

	if (!s->be_ready) {
		recv_refused(s, WR_BACKEND, up->n + del->n, 0);
		return -ENODEV;
	}
	if (up->n) {
		rc = s->be.ops->inject(&s->be, up->v, up->n, &r);
		s->st.tpl_applied += r.applied;
		s->st.tpl_unchanged += r.unchanged;
		if (r.refused)
			recv_refused(s, WR_BACKEND, r.refused, 0);
	}
	if (rc >= 0 && del->n) {
		memset(&r, 0, sizeof(r));
		rc = s->be.ops->del(&s->be, del->v, del->n, &r);
		s->st.tpl_deleted += r.applied;
		s->st.tpl_unchanged += r.unchanged;
		if (r.refused)
			recv_refused(s, WR_BACKEND, r.refused, 0);
	}
	if (rc == -ENOENT || rc == -ENODEV)
		local_lost(s, rc);
	else if (rc < 0)
		qb_log(LOG_ERR, "applying templates: %s", strerror(-rc));
	return rc;
}
