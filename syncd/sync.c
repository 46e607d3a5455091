// SPDX-License-Identifier: GPL-2.0
/*
 * sync.c: joining the cluster state (docs/sync.md, "State transfer").
 *
 * Joiner: on its own join (start, CPG reconnect, backend back) it
 * re-announces its local templates, multicasts Status and waits until it
 * has seen a Status from every member (bounded by status_wait_ms), then
 * multicasts SyncRequest. At its delivery every member picks the same
 * donor (members_pick_donor); the donor dumps and streams SnapBegin,
 * chunks, SnapEnd on the bulk queue. The joiner applies live batches and
 * snapshot records through the same merge, with tombstones and, if it
 * already held replicated templates, mark-and-sweep (xfer.c). At a
 * matching SnapEnd it is synced. Any membership change aborts a transfer
 * in progress on both sides, and the joiner starts again.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <qb/qblog.h>

#include "syncd.h"
#include "tplkey.h"

static void send_sync_request(struct syncd *s);

bool sync_receiving(const struct syncd *s)
{
	return s->rx.xfer_id != 0;
}

void sync_live_seen(struct syncd *s, const struct wire_tpls *up,
		    const struct wire_tpls *del)
{
	for (size_t i = 0; i < up->n; i++)
		xfer_rx_live(&s->rx, &up->v[i], false);
	for (size_t i = 0; i < del->n; i++)
		xfer_rx_live(&s->rx, &del->v[i], true);
}

void sync_send_status(struct syncd *s)
{
	Pccvs__Envelope e = PCCVS__ENVELOPE__INIT;
	Pccvs__Status st = PCCVS__STATUS__INIT;
	struct backend_counts c = { 0 };

	if (s->be_open && s->be.ops->counts(&s->be, &c) < 0)
		memset(&c, 0, sizeof(c));
	st.has_synced = 1;
	st.synced = s->synced;
	st.has_priority = 1;
	st.priority = s->conf.priority;
	st.has_templates = 1;
	st.templates = c.templates;
	st.has_local_templates = c.local != UINT64_MAX;
	st.local_templates = c.local;
	st.has_xfer_id = s->xfer_id != 0;
	st.xfer_id = s->xfer_id;
	st.has_backend_ready = 1;
	st.backend_ready = s->be_ready;
	for (size_t i = 0; i < s->n_hooks; i++)
		if (s->hooks[i].fill_status)
			s->hooks[i].fill_status(s, s->hooks[i].arg, &st);
	e.body_case = PCCVS__ENVELOPE__BODY_STATUS;
	e.status = &st;
	if (syncd_send_body(s, &e, SYNCD_Q_CTRL) < 0)
		qb_log(LOG_ERR, "cannot queue Status: out of memory");
}

static void stop_timers(struct syncd *s)
{
	qb_loop_timer_del(s->loop, s->status_timer);
	qb_loop_timer_del(s->loop, s->xfer_timer);
}

/* Donor side: forget the streams not yet sent. */
static void tx_abort(struct syncd *s, const char *why)
{
	struct outq keep = { 0 };
	struct outmsg *m;
	size_t n = 0;

	while ((m = outq_pop(&s->bulk))) {
		if (m->xfer_id) {
			outmsg_free(m);
			n++;
		} else {
			outq_push(&keep, m);
		}
	}
	s->bulk = keep;
	s->n_snap_wait = 0;
	if (produce_active(s, PROD_SNAPSHOT))
		n++;
	produce_abort(s, PROD_SNAPSHOT);
	if (s->tx.xfer_id && n) {
		qb_log(LOG_NOTICE, "snapshot to node %u aborted (%s)",
		       s->tx.target_node, why);
		s->st.xfer_aborts++;
	}
	memset(&s->tx, 0, sizeof(s->tx));
}

/* Joiner side: forget the request and its bookkeeping. */
static void rx_reset(struct syncd *s)
{
	xfer_rx_stop(&s->rx);
	cfgrepl_rx_stop(s);
	s->xfer_id = 0;
	stop_timers(s);
}

static void rx_abort(struct syncd *s)
{
	if (s->state == SYNCD_ST_WAIT_SNAPSHOT || s->state == SYNCD_ST_RECEIVING)
		s->st.xfer_aborts++;
	rx_reset(s);
}

static void status_timeout(void *data)
{
	struct syncd *s = data;

	if (s->state != SYNCD_ST_WAIT_STATUS)
		return;
	qb_log(LOG_WARNING, "no Status from every member after %u ms; "
	       "asking for a snapshot anyway", s->conf.status_wait_ms);
	s->view_complete = true;
	send_sync_request(s);
}

/* Wait for every member's Status, then ask for a snapshot. */
static void wait_status(struct syncd *s)
{
	syncd_set_state(s, SYNCD_ST_WAIT_STATUS);
	sync_send_status(s);
	if (s->view_complete && members_all_known(&s->members)) {
		send_sync_request(s);
		return;
	}
	qb_loop_timer_del(s->loop, s->status_timer);
	qb_loop_timer_add(s->loop, QB_LOOP_MED,
			  (uint64_t)s->conf.status_wait_ms * QB_TIME_NS_IN_MSEC,
			  s, status_timeout, &s->status_timer);
}

/* Start (again) as a joiner; full: re-announce every local template
 * (after a CPG loss, events lost, a new table), else only those changed
 * while inquorate. */
static void begin_join(struct syncd *s, const char *why, bool full)
{
	rx_abort(s);
	syncd_set_synced(s, false);
	if (!s->cpg.joined)
		return;
	if (!s->be_ready) {
		syncd_set_state(s, SYNCD_ST_NO_BACKEND);
		sync_send_status(s);
		return;
	}
	qb_log(LOG_NOTICE, "joining the cluster state (%s)", why);
	if (full) {
		coal_clear(&s->journal);	/* the dump covers it */
		s->journal_overflow = false;
	}
	if (full || send_journal_replay(s) < 0)
		send_reannounce(s, why);
	wait_status(s);
}

static void xfer_timeout(void *data)
{
	struct syncd *s = data;

	if (s->state != SYNCD_ST_WAIT_SNAPSHOT && s->state != SYNCD_ST_RECEIVING)
		return;
	qb_log(LOG_WARNING, "snapshot %s: no progress for %u ms; asking again",
	       s->state == SYNCD_ST_RECEIVING ? "transfer" : "request",
	       s->conf.xfer_timeout_ms);
	s->st.xfer_failures++;
	xfer_rx_stop(&s->rx);
	send_sync_request(s);
}

static void arm_xfer_timer(struct syncd *s)
{
	qb_loop_timer_del(s->loop, s->xfer_timer);
	qb_loop_timer_add(s->loop, QB_LOOP_MED,
			  (uint64_t)s->conf.xfer_timeout_ms * QB_TIME_NS_IN_MSEC,
			  s, xfer_timeout, &s->xfer_timer);
}

static void send_sync_request(struct syncd *s)
{
	Pccvs__Envelope e = PCCVS__ENVELOPE__INIT;
	Pccvs__SyncRequest r = PCCVS__SYNC_REQUEST__INIT;

	qb_loop_timer_del(s->loop, s->status_timer);
	s->xfer_id = (s->incarnation << 20) ^ ++s->xfer_counter;
	if (!s->xfer_id)
		s->xfer_id = ++s->xfer_counter;
	s->xfer_start_ms = syncd_now_ms();
	r.has_xfer_id = 1;
	r.xfer_id = s->xfer_id;
	e.body_case = PCCVS__ENVELOPE__BODY_SYNC_REQUEST;
	e.sync_request = &r;
	syncd_set_state(s, SYNCD_ST_WAIT_SNAPSHOT);
	if (syncd_send_body(s, &e, SYNCD_Q_CTRL) < 0)
		qb_log(LOG_ERR, "cannot queue SyncRequest: out of memory");
	arm_xfer_timer(s);
}

/* ---- membership ---- */

static bool has_self(const struct syncd *s, const struct cpg_address *a,
		     size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (a[i].nodeid == s->cpg.nodeid && a[i].pid == s->cpg.pid)
			return true;
	return false;
}

static void evicted_job(void *data)
{
	struct syncd *s = data;

	if (s->cpg.h) {
		/* same path as a dead connection: finalize and rejoin */
		cpg_stop(s);
		send_cpg_lost(s);
		sync_cpg_lost(s);
		s->st.cpg_reconnects++;
		cpg_start(s);
	}
}

void sync_confchg(struct syncd *s, const struct cpg_address *m, size_t nm,
		  const struct cpg_address *l, size_t nl,
		  const struct cpg_address *j, size_t nj)
{
	uint32_t node[MEMBERS_MAX], pid[MEMBERS_MAX];
	size_t n = nm < MEMBERS_MAX ? nm : MEMBERS_MAX;

	for (size_t i = 0; i < n; i++) {
		node[i] = m[i].nodeid;
		pid[i] = m[i].pid;
	}
	if (members_set(&s->members, node, pid, n) < 0)
		qb_log(LOG_WARNING, "more than %d group members; ignoring the "
		       "rest", MEMBERS_MAX);
	if (has_self(s, l, nl)) {
		qb_log(LOG_ERR, "evicted from CPG group %s", s->conf.group);
		qb_loop_job_add(s->loop, QB_LOOP_HIGH, s, evicted_job);
		return;
	}
	qb_log(LOG_INFO, "membership: %zu members (%zu joined, %zu left)", nm,
	       nj, nl);
	if (has_self(s, j, nj)) {
		s->cpg.joined = true;
		for (size_t i = 0; i < s->members.n; i++)
			s->members.m[i].status_known = false;
		s->view_complete = false;
		begin_join(s, "joined the group", true);
	} else if (s->cpg.joined) {
		tx_abort(s, "membership changed");
		if (s->state == SYNCD_ST_WAIT_STATUS ||
		    s->state == SYNCD_ST_WAIT_SNAPSHOT ||
		    s->state == SYNCD_ST_RECEIVING) {
			rx_abort(s);
			wait_status(s);
		} else if (nj) {
			sync_send_status(s);	/* let the joiners know us */
		}
	}
	for (size_t i = 0; i < s->n_hooks; i++)
		if (s->hooks[i].confchg)
			s->hooks[i].confchg(s, s->hooks[i].arg, &s->members, nj,
					    nl);
	send_kick(s);
}

void sync_cpg_lost(struct syncd *s)
{
	tx_abort(s, "CPG connection lost");
	rx_abort(s);
	memset(&s->members, 0, sizeof(s->members));
	s->view_complete = false;
	syncd_set_synced(s, false);
	syncd_set_state(s, SYNCD_ST_DISCONNECTED);
}

void sync_backend_changed(struct syncd *s)
{
	if (!s->be_ready) {
		tx_abort(s, "forwarding table unavailable");
		rx_abort(s);
		syncd_set_synced(s, false);
		if (s->cpg.joined) {
			syncd_set_state(s, SYNCD_ST_NO_BACKEND);
			sync_send_status(s);
		}
		return;
	}
	begin_join(s, "forwarding table ready", true);
}

/*
 * Synced means "holds the cluster state", which only the quorate side of
 * a partition can claim: losing quorum clears it (HA gates on both), and
 * regaining it re-runs the join (re-announce, snapshot). A node alone at
 * boot, before its corosync has met the others, is inquorate too, so it
 * never declares its stale table the cluster state.
 */
void sync_quorum(struct syncd *s, bool quorate)
{
	if (!s->cpg.joined)
		return;
	if (!quorate) {
		if (!s->synced && s->state != SYNCD_ST_WAIT_SNAPSHOT &&
		    s->state != SYNCD_ST_RECEIVING)
			return;
		tx_abort(s, "quorum lost");
		rx_abort(s);
		syncd_set_synced(s, false);
		syncd_set_state(s, SYNCD_ST_NO_QUORUM);
		sync_send_status(s);
		return;
	}
	if (s->state == SYNCD_ST_NO_QUORUM) {
		begin_join(s, "quorum regained", false);
		return;
	}
	if (send_journal_replay(s) < 0)
		send_reannounce(s, "quorum regained");
	if (s->state == SYNCD_ST_WAIT_SNAPSHOT)
		send_sync_request(s);	/* a donor may only now exist */
}

void sync_resync(struct syncd *s)
{
	begin_join(s, "requested over IPC", true);
}

void sync_fini(struct syncd *s)
{
	stop_timers(s);
	xfer_rx_stop(&s->rx);
}

/* ---- handlers ---- */

static void on_status(struct syncd *s, const Pccvs__Envelope *e,
		      struct member *from, bool self, void *arg)
{
	const Pccvs__Status *st = e->status;
	bool first;

	if (!from)
		return;
	first = !from->status_known;
	from->status_known = true;
	from->st.synced = st->has_synced && st->synced;
	from->st.backend_ready = !st->has_backend_ready || st->backend_ready;
	from->st.priority = st->has_priority ? st->priority : 0;
	from->st.role = st->has_role ? st->role : 0;
	from->st.config_version = st->has_config_version ? st->config_version : 0;
	from->st.config_digest = st->has_config_digest ? st->config_digest : 0;
	from->st.templates = st->has_templates ? st->templates : 0;
	from->st.local_templates = st->has_local_templates ?
					   st->local_templates : 0;
	from->st.xfer_id = st->has_xfer_id ? st->xfer_id : 0;
	for (size_t i = 0; i < s->n_hooks; i++)
		if (s->hooks[i].member_status)
			s->hooks[i].member_status(s, s->hooks[i].arg, from);
	/*
	 * Partition merge: a member we had not heard since it joined is
	 * already synced, and so are we: each side holds templates the other
	 * missed. Every synced member re-announces its local templates (once
	 * per ring); a restarted daemon or node is never synced at this
	 * point, so ordinary joins cost nothing.
	 */
	if (first && !self && from->st.synced && s->synced &&
	    s->merge_epoch != s->cpg.epoch) {
		s->merge_epoch = s->cpg.epoch;
		qb_log(LOG_NOTICE, "node %u was synced apart from us: partition "
		       "merge", from->nodeid);
		send_reannounce(s, "partition merge");
	}
	if (s->state == SYNCD_ST_WAIT_STATUS && members_all_known(&s->members)) {
		s->view_complete = true;
		send_sync_request(s);
	}
}

/* Donor: stream SnapBegin, chunks, SnapEnd for one joiner (produce.c). */
static void serve_now(struct syncd *s, uint64_t xfer_id, uint32_t tnode,
		      uint32_t tpid)
{
	struct backend_counts cnt = { 0 };
	int rc;

	s->be.ops->counts(&s->be, &cnt);
	rc = produce_snapshot(s, xfer_id, tnode, cnt.templates);
	if (rc < 0) {
		qb_log(LOG_ERR, "cannot serve a snapshot to node %u: %s", tnode,
		       strerror(-rc));
		return;
	}
	s->tx = (struct syncd_tx){ .xfer_id = xfer_id, .target_node = tnode,
				   .target_pid = tpid,
				   .start_ms = syncd_now_ms() };
	s->st.snapshots_served++;
	qb_log(LOG_NOTICE, "serving a snapshot of about %" PRIu64 " templates "
	       "to node %u", cnt.templates, tnode);
}

/* One stream is produced at a time; later requests wait their turn (a
 * newer request of the same joiner replaces its older one). */
static void serve(struct syncd *s, uint64_t xfer_id, uint32_t tnode,
		  uint32_t tpid)
{
	size_t i;

	if (s->tx.xfer_id && s->tx.target_node == tnode &&
	    s->tx.target_pid == tpid) {
		produce_abort(s, PROD_SNAPSHOT);	/* superseded */
		outq_drop_xfer(&s->bulk, s->tx.xfer_id);
	}
	if (!produce_active(s, PROD_SNAPSHOT)) {
		serve_now(s, xfer_id, tnode, tpid);
		return;
	}
	for (i = 0; i < s->n_snap_wait; i++)
		if (s->snap_wait[i].node == tnode && s->snap_wait[i].pid == tpid)
			break;
	if (i == s->n_snap_wait) {
		if (i == MEMBERS_MAX)
			return;	/* cannot happen: one per member */
		s->n_snap_wait++;
	}
	s->snap_wait[i] = (struct syncd_snapreq){ .xfer_id = xfer_id,
						  .node = tnode, .pid = tpid };
}

void sync_serve_next(struct syncd *s)
{
	struct syncd_snapreq r;

	if (!s->n_snap_wait || produce_active(s, PROD_SNAPSHOT) || !s->synced)
		return;
	r = s->snap_wait[0];
	memmove(s->snap_wait, s->snap_wait + 1,
		--s->n_snap_wait * sizeof(s->snap_wait[0]));
	serve_now(s, r.xfer_id, r.node, r.pid);
}

static bool replicated_held(struct syncd *s)
{
	struct backend_counts c = { 0 };

	if (s->be.ops->counts(&s->be, &c) < 0)
		return true;	/* unknown: be safe, sweep */
	return c.templates > 0 && (c.local == UINT64_MAX || c.templates > c.local);
}

static void on_sync_request(struct syncd *s, const Pccvs__Envelope *e,
			    struct member *from, bool self, void *arg)
{
	uint64_t xfer_id = e->sync_request->xfer_id;
	const struct member *d;
	bool fresh, me, requester_is_donor;

	if (!from)
		return;
	if (self && xfer_id != s->xfer_id)
		return;		/* our own, superseded */
	if (self) {		/* the cut */
		if (xfer_rx_start(&s->rx, xfer_id, replicated_held(s)) < 0)
			qb_log(LOG_ERR, "snapshot bookkeeping: out of memory");
		cfgrepl_cut(s, xfer_id);	/* configuration edits from here on */
	}
	if (!s->view_complete)
		return;		/* we do not know every Status yet: no say */
	d = members_pick_donor(&s->members, from->nodeid, from->pid, &fresh);
	if (!d)
		return;
	me = d->nodeid == s->cpg.nodeid && d->pid == s->cpg.pid;
	requester_is_donor = d == from;
	if (fresh && me && s->be_ready && !s->synced && s->quorum.quorate) {
		qb_log(LOG_NOTICE, "no member is synced: this node's table is "
		       "the cluster state");
		rx_reset(s);	/* a request of ours is moot now */
		syncd_set_synced(s, true);
		syncd_set_state(s, SYNCD_ST_SYNCED);
		sync_send_status(s);
	}
	if (requester_is_donor) {
		if (self && s->be_ready && s->quorum.quorate) {	/* the lowest */
			rx_reset(s);
			syncd_set_synced(s, true);
			syncd_set_state(s, SYNCD_ST_SYNCED);
		}
		return;
	}
	if (me && s->synced) {
		/* the configuration at the cut first, then the templates */
		cfgrepl_serve(s, xfer_id, from->nodeid);
		serve(s, xfer_id, from->nodeid, from->pid);
	}
}

/* Is this Snap* message the one we wait for? Also counts as progress. */
static bool snap_mine(struct syncd *s, const Pccvs__Envelope *e,
		      uint64_t xfer_id, uint32_t target, struct member *from)
{
	if (s->state != SYNCD_ST_WAIT_SNAPSHOT && s->state != SYNCD_ST_RECEIVING)
		return false;
	arm_xfer_timer(s);	/* the cluster is making progress */
	if (target != s->cpg.nodeid || xfer_id != s->xfer_id ||
	    xfer_id != s->rx.xfer_id || !from)
		return false;
	if (s->rx.begun && (from->nodeid != s->rx.donor_node ||
			    from->pid != s->rx.donor_pid))
		return false;	/* a second donor: ignore it */
	return true;
}

static void on_snap_begin(struct syncd *s, const Pccvs__Envelope *e,
			  struct member *from, bool self, void *arg)
{
	const Pccvs__SnapBegin *b = e->snap_begin;

	if (self || !snap_mine(s, e, b->xfer_id, b->target, from) ||
	    s->rx.begun)
		return;
	s->rx.begun = true;
	s->rx.donor_node = from->nodeid;
	s->rx.donor_pid = from->pid;
	s->rx.hint = b->has_count ? b->count : 0;
	s->rx.begin_ms = syncd_now_ms();
	syncd_set_state(s, SYNCD_ST_RECEIVING);
	qb_log(LOG_INFO, "receiving a snapshot of about %" PRIu64 " templates "
	       "from node %u", s->rx.hint, from->nodeid);
}

static void on_snap_chunk(struct syncd *s, const Pccvs__Envelope *e,
			  struct member *from, bool self, void *arg)
{
	const Pccvs__SnapChunk *c = e->snap_chunk;
	uint64_t refused[WR__MAX] = { 0 };
	size_t keep = 0;

	if (self || !snap_mine(s, e, c->xfer_id, c->target, from) ||
	    !s->rx.begun)
		return;
	s->up.n = s->del.n = 0;
	if (wire_batch_decode(c->batch, &s->up, NULL, refused) == -ENOMEM)
		qb_log(LOG_ERR, "snapshot chunk: out of memory");
	for (int i = 0; i < WR__MAX; i++)
		recv_refused(s, i, refused[i], e->sender);
	for (size_t i = 0; i < s->up.n; i++) {
		int r = xfer_rx_record(&s->rx, &s->up.v[i]);

		if (r > 0)
			s->up.v[keep++] = s->up.v[i];
		else if (r == 0)
			s->st.refused[WR_STALE]++;
	}
	s->up.n = keep;
	local_apply(s, &s->up, &s->del);
}

struct sweep_ctx {
	struct syncd *s;
	struct wire_tpls stale;
};

static int sweep_cb(const struct pccvs_tpl *t, void *arg)
{
	struct sweep_ctx *c = arg;

	if (!(t->flags & PCCVS_TPL_F_REPLICATED) ||
	    !xfer_rx_stale(&c->s->rx, t))
		return 0;
	if (c->stale.n == c->stale.cap) {
		size_t cap = c->stale.cap ? c->stale.cap * 2 : 1024;
		struct pccvs_tpl *v = realloc(c->stale.v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		c->stale.v = v;
		c->stale.cap = cap;
	}
	c->stale.v[c->stale.n++] = *t;
	return 0;
}

/* Delete replicated templates neither in the snapshot nor seen live. */
static void sweep(struct syncd *s)
{
	struct sweep_ctx c = { .s = s };
	struct wire_tpls none = { 0 };
	int rc;

	if (!s->rx.track)
		return;
	rc = s->be.ops->dump(&s->be, 0, sweep_cb, &c);
	if (rc < 0)
		qb_log(LOG_WARNING, "sweep dump failed: %s", strerror(-rc));
	if (c.stale.n) {
		qb_log(LOG_INFO, "deleting %zu replicated templates the cluster "
		       "no longer has", c.stale.n);
		s->st.swept += c.stale.n;
		local_apply(s, &none, &c.stale);
	}
	wire_tpls_free(&c.stale);
}

static void on_snap_end(struct syncd *s, const Pccvs__Envelope *e,
			struct member *from, bool self, void *arg)
{
	const Pccvs__SnapEnd *se = e->snap_end;

	if (self) {
		if (s->tx.xfer_id == se->xfer_id) {
			s->st.last_served_count = s->tx.count;
			s->st.last_served_ms = syncd_now_ms() - s->tx.start_ms;
			memset(&s->tx, 0, sizeof(s->tx));
		}
		return;
	}
	if (!snap_mine(s, e, se->xfer_id, se->target, from) || !s->rx.begun)
		return;
	if (xfer_rx_end(&s->rx, se->count, se->digest) < 0) {
		qb_log(LOG_ERR, "snapshot from node %u does not check out "
		       "(count %" PRIu64 "/%" PRIu64 ", digest %016" PRIx64
		       "/%016" PRIx64 "); asking again", from->nodeid,
		       s->rx.count, se->count, s->rx.digest, se->digest);
		s->st.xfer_failures++;
		xfer_rx_stop(&s->rx);
		send_sync_request(s);
		return;
	}
	sweep(s);
	s->st.snapshots_received++;
	s->st.last_snap_count = s->rx.count;
	s->st.last_snap_ms = syncd_now_ms() - s->xfer_start_ms;
	qb_log(LOG_NOTICE, "synced: snapshot of %" PRIu64 " templates from node "
	       "%u in %" PRIu64 " ms (streaming began after %" PRIu64 " ms)",
	       s->rx.count, from->nodeid, s->st.last_snap_ms,
	       s->rx.begin_ms - s->xfer_start_ms);
	rx_reset(s);
	syncd_set_synced(s, true);
	syncd_set_state(s, SYNCD_ST_SYNCED);
	sync_send_status(s);
}

void sync_register(struct syncd *s)
{
	syncd_handler_set(s, PCCVS__ENVELOPE__BODY_STATUS, on_status, NULL);
	syncd_handler_set(s, PCCVS__ENVELOPE__BODY_SYNC_REQUEST,
			  on_sync_request, NULL);
	syncd_handler_set(s, PCCVS__ENVELOPE__BODY_SNAP_BEGIN, on_snap_begin,
			  NULL);
	syncd_handler_set(s, PCCVS__ENVELOPE__BODY_SNAP_CHUNK, on_snap_chunk,
			  NULL);
	syncd_handler_set(s, PCCVS__ENVELOPE__BODY_SNAP_END, on_snap_end, NULL);
}
