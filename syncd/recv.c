// SPDX-License-Identifier: GPL-2.0
/*
 * recv.c: CPG deliveries -> validated messages -> handlers.
 *
 * Every message is unpacked into an arena, its header and body checked
 * (wire.c) before any field is used, then handed to the handler of its
 * body type (syncd_handler_set). Malformed messages are counted per
 * reason and dropped, with a rate-limited log line; nothing received can
 * crash the daemon. Our own messages are delivered too: they prove what
 * we sent entered the total order, and the protocol handlers see them in
 * the same order as everyone else, but batches are never applied twice.
 */
#include <errno.h>
#include <stdlib.h>
#include <qb/qblog.h>

#include "syncd.h"

#define RL_WINDOW_MS 10000
#define RL_PER_REASON 5

int recv_init(struct syncd *s)
{
	s->arena = wire_arena_new();
	return s->arena ? 0 : -ENOMEM;
}

void recv_fini(struct syncd *s)
{
	wire_arena_free(s->arena);
	s->arena = NULL;
	wire_tpls_free(&s->up);
	wire_tpls_free(&s->del);
}

void recv_refused(struct syncd *s, enum wire_refuse why, uint64_t n,
		  uint32_t nodeid)
{
	uint64_t now = syncd_now_ms();

	if (!n)
		return;
	s->st.refused[why] += n;
	if (why >= WR_DOMAIN)
		s->st.tpl_refused += n;
	if (now - s->rl_window_ms > RL_WINDOW_MS) {
		s->rl_window_ms = now;
		for (int i = 0; i < WR__MAX; i++) {
			if (s->rl_count[i] > RL_PER_REASON)
				qb_log(LOG_WARNING, "refused (%s): %u more "
				       "not logged", wire_refuse_name(i),
				       s->rl_count[i] - RL_PER_REASON);
			s->rl_count[i] = 0;
		}
	}
	if (++s->rl_count[why] <= RL_PER_REASON)
		qb_log(LOG_WARNING, "refused %llu from node %u: %s",
		       (unsigned long long)n, nodeid, wire_refuse_name(why));
}

/* TemplateBatch from a peer: validate, apply through the merge. */
static void on_batch(struct syncd *s, const Pccvs__Envelope *e,
		     struct member *from, bool self, void *arg)
{
	uint64_t refused[WR__MAX] = { 0 };

	if (self)
		return;
	s->up.n = s->del.n = 0;
	if (wire_batch_decode(e->batch, &s->up, &s->del, refused) == -ENOMEM)
		qb_log(LOG_ERR, "batch from node %u: out of memory", e->sender);
	for (int i = 0; i < WR__MAX; i++)
		recv_refused(s, i, refused[i], e->sender);
	s->st.tpl_recv += s->up.n;
	s->st.tpl_del_recv += s->del.n;
	if (sync_receiving(s))
		sync_live_seen(s, &s->up, &s->del);
	local_apply(s, &s->up, &s->del);
}

static void dispatch(struct syncd *s, const Pccvs__Envelope *e,
		     uint32_t nodeid, uint32_t pid)
{
	bool self = nodeid == s->cpg.nodeid && pid == s->cpg.pid &&
		    e->incarnation == s->incarnation;
	struct member *from = members_find(&s->members, nodeid, pid);
	enum wire_refuse why;
	int rc;

	if (self)
		send_self_delivered(s, e->seq);
	if (from && !member_seq_ok(from, e->incarnation, e->seq) && !self) {
		s->st.seq_gaps++;
		qb_log(LOG_WARNING, "sequence gap from node %u pid %u (now %llu)",
		       nodeid, pid, (unsigned long long)e->seq);
	}
	rc = wire_check_body(e, &why);
	if (rc < 0) {
		if (rc != -EOPNOTSUPP)
			s->st.malformed++;
		recv_refused(s, why, 1, nodeid);
		return;
	}
	if ((unsigned int)e->body_case < SYNCD_BODY_MAX &&
	    s->handlers[e->body_case].fn)
		s->handlers[e->body_case].fn(s, e, from, self,
					     s->handlers[e->body_case].arg);
	else
		recv_refused(s, WR_UNKNOWN_TYPE, 1, nodeid);
}

/* Our own batch or snapshot chunk: it only acknowledges what we sent. */
static bool own_bulk(struct syncd *s, uint32_t nodeid, uint32_t pid,
		     const void *msg, size_t len)
{
	uint64_t seq, inc;
	uint32_t body;
	struct member *m;

	if (nodeid != s->cpg.nodeid || pid != s->cpg.pid ||
	    wire_peek_header(msg, len, &seq, &inc, &body) < 0 ||
	    inc != s->incarnation || (body != PCCVS__ENVELOPE__BODY_BATCH &&
				      body != PCCVS__ENVELOPE__BODY_SNAP_CHUNK))
		return false;
	send_self_delivered(s, seq);
	m = members_find(&s->members, nodeid, pid);
	if (m)
		member_seq_ok(m, inc, seq);
	return true;
}

void recv_deliver(struct syncd *s, uint32_t nodeid, uint32_t pid,
		  const void *msg, size_t len)
{
	Pccvs__Envelope *e;
	enum wire_refuse why;

	s->st.msgs_recv++;
	s->st.bytes_recv += len;
	if (own_bulk(s, nodeid, pid, msg, len))
		return;
	e = wire_unpack(s->arena, msg, len);
	if (!e) {
		s->st.malformed++;
		recv_refused(s, len && len <= WIRE_MSG_MAX ? WR_DECODE : WR_SIZE,
			     1, nodeid);
	} else if (wire_check_header(e, nodeid, &why) < 0) {
		s->st.malformed++;
		recv_refused(s, why, 1, nodeid);
	} else {
		dispatch(s, e, nodeid, pid);
	}
	wire_arena_reset(s->arena);
}

void recv_register(struct syncd *s)
{
	syncd_handler_set(s, PCCVS__ENVELOPE__BODY_BATCH, on_batch, NULL);
}
