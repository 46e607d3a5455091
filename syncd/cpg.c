// SPDX-License-Identifier: GPL-2.0
/*
 * cpg.c: the corosync CPG connection. One fd in the loop; dispatch drains
 * deliveries and membership changes; on any failure (corosync died,
 * evicted) the handle is finalised and re-created from a timer with
 * backoff 100 ms .. 5 s, and the daemon resyncs as a joiner.
 */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>
#include <qb/qblog.h>

#include "syncd.h"

static void reconnect_cb(void *data);

static struct syncd *ctx_of(cpg_handle_t h)
{
	void *ctx = NULL;

	if (cpg_context_get(h, &ctx) != CS_OK)
		return NULL;
	return ctx;
}

static void on_deliver(cpg_handle_t h, const struct cpg_name *g,
		       uint32_t nodeid, uint32_t pid, void *msg, size_t len)
{
	struct syncd *s = ctx_of(h);

	if (s)
		recv_deliver(s, nodeid, pid, msg, len);
}

static void on_confchg(cpg_handle_t h, const struct cpg_name *g,
		       const struct cpg_address *m, size_t nm,
		       const struct cpg_address *l, size_t nl,
		       const struct cpg_address *j, size_t nj)
{
	struct syncd *s = ctx_of(h);

	if (s)
		sync_confchg(s, m, nm, l, nl, j, nj);
}

static void on_totem(cpg_handle_t h, struct cpg_ring_id ring, uint32_t n,
		     const uint32_t *nodes)
{
	struct syncd *s = ctx_of(h);

	if (!s)
		return;
	s->cpg.epoch = ring.seq;
	qb_log(LOG_INFO, "totem ring " CS_PRI_RING_ID " with %u nodes",
	       ring.nodeid, ring.seq, n);
}

static void schedule_reconnect(struct syncd *s)
{
	uint32_t b = s->cpg.backoff_ms;

	if (s->stopping)
		return;
	b = b ? (b >= 2500 ? 5000 : b * 2) : 100;
	s->cpg.backoff_ms = b;
	qb_loop_timer_add(s->loop, QB_LOOP_MED, (uint64_t)b * QB_TIME_NS_IN_MSEC,
			  s, reconnect_cb, &s->cpg.reconnect_timer);
}

static void disconnect(struct syncd *s)
{
	if (!s->cpg.h)
		return;
	qb_loop_poll_del(s->loop, s->cpg.fd);
	cpg_finalize(s->cpg.h);	/* frees the handle even on error */
	s->cpg.h = 0;
	s->cpg.joined = false;
}

/* Connection lost or evicted: drop it, keep what must be resent, resync
 * as a joiner once reconnected. */
static void lost(struct syncd *s, const char *why)
{
	qb_log(LOG_ERR, "CPG connection lost (%s); reconnecting", why);
	disconnect(s);
	quorum_stop(s);
	send_cpg_lost(s);
	sync_cpg_lost(s);
	s->st.cpg_reconnects++;
	schedule_reconnect(s);
}

static int32_t fd_cb(int32_t fd, int32_t revents, void *data)
{
	struct syncd *s = data;
	cs_error_t rc = CS_ERR_LIBRARY;

	if (!(revents & (POLLHUP | POLLERR | POLLNVAL)) || (revents & POLLIN))
		rc = cpg_dispatch(s->cpg.h, CS_DISPATCH_ALL);
	if (rc != CS_OK) {
		/* poll entry is removed by disconnect() via poll_del */
		lost(s, cs_strerror(rc));
		return 0;
	}
	return 0;
}

static cs_error_t connect_cpg(struct syncd *s)
{
	cpg_model_v1_data_t model = {
		.model = CPG_MODEL_V1,
		.cpg_deliver_fn = on_deliver,
		.cpg_confchg_fn = on_confchg,
		.cpg_totem_confchg_fn = on_totem,
		.flags = CPG_MODEL_V1_DELIVER_INITIAL_TOTEM_CONF,
	};
	uint32_t max = 0;
	cs_error_t rc;

	rc = cpg_model_initialize(&s->cpg.h, CPG_MODEL_V1,
				  (cpg_model_data_t *)&model, s);
	if (rc != CS_OK) {
		s->cpg.h = 0;
		return rc;
	}
	if ((rc = cpg_local_get(s->cpg.h, &s->cpg.nodeid)) != CS_OK ||
	    (rc = cpg_max_atomic_msgsize_get(s->cpg.h, &max)) != CS_OK ||
	    (rc = cpg_fd_get(s->cpg.h, &s->cpg.fd)) != CS_OK)
		goto fail;
	if (max && max < s->conf.max_message_bytes + WIRE_HDR_MAX) {
		qb_log(LOG_ERR, "max_message_bytes %u exceeds CPG's atomic "
		       "message size %u", s->conf.max_message_bytes, max);
		rc = CS_ERR_TOO_BIG;
		goto fail;
	}
	if (qb_loop_poll_add(s->loop, QB_LOOP_HIGH, s->cpg.fd, POLLIN, s,
			     fd_cb) != 0) {
		rc = CS_ERR_LIBRARY;
		goto fail;
	}
	rc = cpg_join(s->cpg.h, &s->cpg.group);
	if (rc != CS_OK) {
		qb_loop_poll_del(s->loop, s->cpg.fd);
		goto fail;
	}
	return CS_OK;
fail:
	cpg_finalize(s->cpg.h);
	s->cpg.h = 0;
	return rc;
}

static void reconnect_cb(void *data)
{
	struct syncd *s = data;
	cs_error_t rc = connect_cpg(s);

	if (rc != CS_OK) {
		if (s->cpg.backoff_ms >= 5000 || s->cpg.backoff_ms == 0)
			qb_log(LOG_WARNING, "CPG connect: %s; retrying",
			       cs_strerror(rc));
		schedule_reconnect(s);
		return;
	}
	s->cpg.backoff_ms = 0;
	s->cpg.pid = (uint32_t)getpid();
	qb_log(LOG_NOTICE, "joined CPG group %s as node %u", s->conf.group,
	       s->cpg.nodeid);
	syncd_set_state(s, SYNCD_ST_JOINING);
	quorum_start(s);
}

int cpg_start(struct syncd *s)
{
	s->cpg.group.length = (uint32_t)strlen(s->conf.group);
	memcpy(s->cpg.group.value, s->conf.group, s->cpg.group.length);
	s->cpg.pid = (uint32_t)getpid();
	reconnect_cb(s);
	return 0;
}

void cpg_stop(struct syncd *s)
{
	qb_loop_timer_del(s->loop, s->cpg.reconnect_timer);
	if (s->cpg.h)
		cpg_leave(s->cpg.h, &s->cpg.group);
	disconnect(s);
}

int cpg_send(struct syncd *s, const struct wire_hdr *h, const struct outmsg *m)
{
	uint8_t hb[WIRE_HDR_MAX];
	struct iovec iov[2] = {
		{ .iov_base = hb, .iov_len = wire_pack_header(h, hb) },
		{ .iov_base = m->buf, .iov_len = m->len },
	};
	cs_error_t rc;

	if (!s->cpg.h)
		return -ENOTCONN;
	rc = cpg_mcast_joined(s->cpg.h, CPG_TYPE_AGREED, iov, 2);
	if (rc == CS_OK)
		return 0;
	if (rc == CS_ERR_TRY_AGAIN)
		return -EAGAIN;
	return -EIO;
}
