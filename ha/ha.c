// SPDX-License-Identifier: GPL-2.0
/*
 * ha.c: active/standby roles in pccvs-syncd (docs/ha.md). The election is
 * ha_elect.c, fed here from the daemon's totally ordered hooks; this file
 * turns its decisions into actions: VIPs, announcements, the notify
 * script, Role messages, and answers the HA IPC commands.
 *
 * Becoming active happens inside the callback of the input that decided
 * it (for a crash: the CPG membership change that drops the active), so a
 * failover costs corosync's failure detection plus one netlink round trip
 * and the first announcement.
 */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <qb/qblog.h>

#include "syncd.h"
#include "ha.h"
#include "ha_elect.h"
#include "ha_ipc.h"
#include "ha_net.h"

/* Quorum must hold this long before we act on it: when a partition heals,
 * quorum may come back a moment before the CPG membership change that
 * brings the other side's active; acting in between would make a second
 * active for an instant. */
#define QUORUM_SETTLE_MS 1000
#define VIP_RETRY_MS 1000
#define PREEMPT_RESEND_MS 2000
#define KIDS_MAX 16

struct ha {
	struct syncd *s;
	const struct ha_conf *c;
	struct ha_view v;
	bool quorate;		/* quorum, held for QUORUM_SETTLE_MS */
	bool acting;		/* we are the active director */
	uint64_t reconnects_seen;
	uint64_t role_ms, change_ms, transitions;
	uint64_t preempt_sent_ms;
	bool preempt_pending;
	bool net_ok;
	struct ha_net net;
	bool held[HA_VIP_MAX];
	int vip_err[HA_VIP_MAX];
	uint32_t garp_left;
	qb_loop_timer_handle quorum_timer, settle_timer, preempt_timer;
	qb_loop_timer_handle garp_timer, retry_timer;
	qb_loop_signal_handle sigchld;
	pid_t kids[KIDS_MAX];
	size_t n_kids;
};

static void apply(struct ha *ha, const struct ha_out *o);

static void timer_add(struct ha *ha, uint64_t ms, void (*fn)(void *),
		      qb_loop_timer_handle *h)
{
	qb_loop_timer_del(ha->s->loop, *h);
	qb_loop_timer_add(ha->s->loop, QB_LOOP_HIGH, ms * QB_TIME_NS_IN_MSEC,
			  ha, fn, h);
}

static bool timer_on(struct ha *ha, qb_loop_timer_handle h)
{
	return qb_loop_timer_is_running(ha->s->loop, h) == QB_TRUE;
}

/* ---- messages ---- */

static void send_role(struct ha *ha)
{
	Pccvs__Envelope e = PCCVS__ENVELOPE__INIT;
	Pccvs__Role r = PCCVS__ROLE__INIT;

	if (!ha->s->cpg.joined)
		return;
	r.has_role = r.has_term = r.has_active = 1;
	r.role = ha->acting ? HA_ROLE_ACTIVE : HA_ROLE_STANDBY;
	r.term = ha->v.term;
	r.active = ha->v.has_active ? ha->v.act_node : 0;
	e.body_case = PCCVS__ENVELOPE__BODY_ROLE;
	e.role = &r;
	if (syncd_send_body(ha->s, &e, SYNCD_Q_CTRL) < 0)
		qb_log(LOG_ERR, "HA: cannot queue Role: out of memory");
}

static int send_switchover(struct ha *ha, uint32_t target)
{
	Pccvs__Envelope e = PCCVS__ENVELOPE__INIT;
	Pccvs__Switchover w = PCCVS__SWITCHOVER__INIT;

	w.has_target = w.has_term = 1;
	w.target = target;
	w.term = ha->v.term;
	e.body_case = PCCVS__ENVELOPE__BODY_SWITCHOVER;
	e.switchover = &w;
	return syncd_send_body(ha->s, &e, SYNCD_Q_CTRL);
}

/* ---- notify script ---- */

static int32_t on_sigchld(int32_t sig, void *data)
{
	struct ha *ha = data;
	size_t i = 0;
	int st;

	while (i < ha->n_kids) {
		pid_t p = waitpid(ha->kids[i], &st, WNOHANG);

		if (p == 0) {
			i++;
			continue;
		}
		if (p > 0) {
			if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
				qb_log(LOG_INFO, "HA: notify script (pid %d) done",
				       (int)p);
			else
				qb_log(LOG_WARNING, "HA: notify script (pid %d) "
				       "%s %d", (int)p, WIFEXITED(st) ?
				       "exited with" : "killed by signal",
				       WIFEXITED(st) ? WEXITSTATUS(st) :
				       WTERMSIG(st));
		}
		ha->kids[i] = ha->kids[--ha->n_kids];
	}
	return 0;
}

static void notify(struct ha *ha, const char *role)
{
	char e_role[32], e_node[32], e_act[32], e_term[48], e_why[96];
	char *env[] = { "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:"
			"/usr/bin:/sbin:/bin", e_role, e_node, e_act, e_term,
			e_why, NULL };
	pid_t pid;
	int rc;

	if (!ha->c->notify[0])
		return;
	if (ha->n_kids == KIDS_MAX) {
		qb_log(LOG_ERR, "HA: %d notify scripts still running; not "
		       "running `%s %s'", KIDS_MAX, ha->c->notify, role);
		return;
	}
	snprintf(e_role, sizeof(e_role), "PCCVS_ROLE=%s", role);
	snprintf(e_node, sizeof(e_node), "PCCVS_NODE=%u", ha->v.self_node);
	snprintf(e_act, sizeof(e_act), "PCCVS_ACTIVE=%u",
		 ha->v.has_active ? ha->v.act_node : 0);
	snprintf(e_term, sizeof(e_term), "PCCVS_TERM=%" PRIu64, ha->v.term);
	snprintf(e_why, sizeof(e_why), "PCCVS_REASON=%s",
		 ha_why_name(ha->v.why));
	rc = ha_spawn_notify(ha->c->notify, role, env, &pid);
	if (rc < 0) {
		qb_log(LOG_ERR, "HA: cannot run notify script %s: %s",
		       ha->c->notify, strerror(-rc));
		return;
	}
	ha->kids[ha->n_kids++] = pid;
}

/* ---- VIPs ---- */

static void announce_all(struct ha *ha)
{
	for (size_t i = 0; i < ha->c->n_vip; i++) {
		int rc;

		if (!ha->held[i])
			continue;
		rc = ha_vip_announce(&ha->net, &ha->c->vip[i]);
		if (rc < 0) {
			char b[96];

			qb_log(LOG_WARNING, "HA: announcement for %s: %s",
			       ha_vip_str(&ha->c->vip[i], b, sizeof(b)),
			       strerror(-rc));
		}
	}
}

static void garp_tick(void *data)
{
	struct ha *ha = data;

	if (!ha->acting || !ha->garp_left)
		return;
	announce_all(ha);
	if (--ha->garp_left)
		timer_add(ha, ha->c->garp_interval_ms, garp_tick, &ha->garp_timer);
}

static bool vips_add(struct ha *ha)
{
	bool all = true;

	for (size_t i = 0; i < ha->c->n_vip; i++) {
		char b[96];
		int rc;

		if (ha->held[i])
			continue;
		rc = ha->net_ok ? ha_vip_add(&ha->net, &ha->c->vip[i]) : -EIO;
		if (rc < 0 && rc != ha->vip_err[i])
			qb_log(LOG_ERR, "HA: cannot add VIP %s: %s",
			       ha_vip_str(&ha->c->vip[i], b, sizeof(b)),
			       strerror(-rc));
		ha->vip_err[i] = rc;
		ha->held[i] = rc == 0;
		all &= rc == 0;
	}
	return all;
}

static void vips_del(struct ha *ha)
{
	for (size_t i = 0; i < ha->c->n_vip; i++) {
		char b[96];
		int rc = ha->net_ok ? ha_vip_del(&ha->net, &ha->c->vip[i]) : 0;

		if (rc < 0)
			qb_log(LOG_ERR, "HA: cannot remove VIP %s: %s",
			       ha_vip_str(&ha->c->vip[i], b, sizeof(b)),
			       strerror(-rc));
		ha->vip_err[i] = rc;
		ha->held[i] = false;
	}
}

static void vip_retry(void *data)
{
	struct ha *ha = data;

	if (!ha->acting)
		return;
	if (!vips_add(ha))
		timer_add(ha, VIP_RETRY_MS, vip_retry, &ha->retry_timer);
	announce_all(ha);
}

/* ---- transitions ---- */

static void become_active(struct ha *ha)
{
	uint64_t t0 = syncd_now_ns();

	if (!syncd_is_synced(ha->s))
		qb_log(LOG_CRIT, "HA: becoming ACTIVE although this director "
		       "is NOT synced: no synced director is left; clients "
		       "whose templates are missing here lose their affinity");
	ha->acting = true;
	ha->transitions++;
	ha->role_ms = syncd_now_ms();
	if (!vips_add(ha))
		timer_add(ha, VIP_RETRY_MS, vip_retry, &ha->retry_timer);
	announce_all(ha);
	ha->garp_left = ha->c->garp_count > 1 ? ha->c->garp_count - 1 : 0;
	if (ha->garp_left)
		timer_add(ha, ha->c->garp_interval_ms, garp_tick, &ha->garp_timer);
	qb_log(LOG_NOTICE, "HA: ACTIVE (node %u, term %" PRIu64 ", %s): %zu "
	       "VIP(s) up and announced in %.1f ms", ha->v.self_node,
	       ha->v.term, ha_why_name(ha->v.why), ha->c->n_vip,
	       (double)(syncd_now_ns() - t0) / 1e6);
	notify(ha, "active");
	send_role(ha);
}

static void become_standby(struct ha *ha, const char *why)
{
	qb_loop_timer_del(ha->s->loop, ha->garp_timer);
	qb_loop_timer_del(ha->s->loop, ha->retry_timer);
	ha->garp_left = 0;
	vips_del(ha);		/* first: the successor may be adding them */
	ha->acting = false;
	ha->transitions++;
	ha->role_ms = syncd_now_ms();
	qb_log(LOG_NOTICE, "HA: STANDBY (%s): VIPs removed", why);
	notify(ha, "standby");
	send_role(ha);
}

/* ---- timers driven by the view ---- */

static void preempt_fire(void *data)
{
	struct ha *ha = data;
	uint64_t now = syncd_now_ms();

	ha->preempt_pending = false;
	if (!ha->quorate || !ha_view_should_preempt(&ha->v, ha->c->preempt))
		return;
	if (ha->preempt_sent_ms && now - ha->preempt_sent_ms < PREEMPT_RESEND_MS)
		return;
	qb_log(LOG_NOTICE, "HA: preempting node %u (priority %u > its)",
	       ha->v.act_node, ha->s->conf.priority);
	ha->preempt_sent_ms = now;
	if (send_switchover(ha, ha->v.self_node) < 0)
		qb_log(LOG_ERR, "HA: cannot queue Switchover");
}

static void preempt_check(struct ha *ha)
{
	bool want = ha->quorate && ha_view_should_preempt(&ha->v, ha->c->preempt);

	if (!want) {
		if (ha->preempt_pending)
			qb_loop_timer_del(ha->s->loop, ha->preempt_timer);
		ha->preempt_pending = false;
		return;
	}
	if (ha->preempt_pending)
		return;
	ha->preempt_pending = true;
	if (ha->c->preempt_delay_ms)
		qb_log(LOG_NOTICE, "HA: will preempt node %u in %u ms",
		       ha->v.act_node, ha->c->preempt_delay_ms);
	timer_add(ha, ha->c->preempt_delay_ms, preempt_fire, &ha->preempt_timer);
}

static void settle_fire(void *data)
{
	struct ha *ha = data;
	struct ha_out o;

	if (ha->v.settled || !ha->s->cpg.joined)
		return;
	qb_log(LOG_WARNING, "HA: not every member announced its role within "
	       "%u ms; deciding with what is known", 2 * ha->s->conf.status_wait_ms);
	ha_view_force_settle(&ha->v, &o);
	apply(ha, &o);
}

static void quorum_fire(void *data)
{
	struct ha *ha = data;
	struct ha_out o = { 0 };

	if (!syncd_is_quorate(ha->s))
		return;
	ha->quorate = true;
	apply(ha, &o);
}

/* After every input: log what changed, act, arm the timers. */
static void apply(struct ha *ha, const struct ha_out *o)
{
	bool want;

	if (o->changed) {
		ha->change_ms = syncd_now_ms();
		if (ha->v.has_active)
			qb_log(o->fallback ? LOG_CRIT : LOG_NOTICE,
			       "HA: active director is node %u%s (%s, term %"
			       PRIu64 ")", ha->v.act_node, o->fallback ?
			       " although NOT synced" : "", ha_why_name(o->why),
			       ha->v.term);
		else
			qb_log(LOG_WARNING, "HA: no active director (%s)",
			       ha_why_name(o->why));
	}
	if (o->conflict)
		qb_log(LOG_WARNING, "HA: two directors announced themselves "
		       "active (a partition merged): keeping node %u",
		       ha->v.act_node);
	want = ha_view_acting(&ha->v, ha->quorate, ha->acting);
	if (want && !ha->acting)
		become_active(ha);
	else if (!want && ha->acting)
		become_standby(ha, !ha->quorate ? "no quorum" :
			       ha_why_name(ha->v.why));
	preempt_check(ha);
	if (ha->v.settled)
		qb_loop_timer_del(ha->s->loop, ha->settle_timer);
	else if (!timer_on(ha, ha->settle_timer))
		timer_add(ha, 2ULL * ha->s->conf.status_wait_ms, settle_fire,
			  &ha->settle_timer);
}

/* ---- hooks ---- */

static void on_confchg(struct syncd *s, void *arg, const struct members *ms,
		       size_t joined, size_t left)
{
	struct ha *ha = arg;
	uint32_t node[MEMBERS_MAX], pid[MEMBERS_MAX];
	bool self_joined;
	struct ha_out o;

	for (size_t i = 0; i < ms->n; i++) {
		node[i] = ms->m[i].nodeid;
		pid[i] = ms->m[i].pid;
	}
	self_joined = !ha_view_find(&ha->v, s->cpg.nodeid, s->cpg.pid) ||
		      s->st.cpg_reconnects != ha->reconnects_seen;
	ha->reconnects_seen = s->st.cpg_reconnects;
	ha->v.self_node = s->cpg.nodeid;
	ha->v.self_pid = s->cpg.pid;
	ha_view_members(&ha->v, node, pid, ms->n, self_joined, &o);
	apply(ha, &o);
	if (joined || self_joined)
		send_role(ha);	/* everyone announces: the joiners settle */
}

static void on_quorum(struct syncd *s, void *arg, bool quorate)
{
	struct ha *ha = arg;
	struct ha_out o = { 0 };

	if (!quorate) {
		qb_loop_timer_del(s->loop, ha->quorum_timer);
		ha->quorate = false;
		if (!s->cpg.joined)	/* connection lost: start over */
			ha_view_init(&ha->v, ha->v.self_node, ha->v.self_pid);
		apply(ha, &o);
		return;
	}
	timer_add(ha, QUORUM_SETTLE_MS, quorum_fire, &ha->quorum_timer);
}

static void on_member_status(struct syncd *s, void *arg,
			     const struct member *m)
{
	struct ha *ha = arg;
	struct ha_out o;

	ha_view_status(&ha->v, m->nodeid, m->pid, m->st.synced,
		       m->st.backend_ready, m->st.priority, &o);
	apply(ha, &o);
}

static void on_fill_status(struct syncd *s, void *arg, Pccvs__Status *st)
{
	struct ha *ha = arg;

	st->has_role = 1;
	st->role = ha->acting ? HA_ROLE_ACTIVE : HA_ROLE_STANDBY;
}

/* ---- message handlers ---- */

static void on_role(struct syncd *s, const Pccvs__Envelope *e,
		    struct member *from, bool self, void *arg)
{
	struct ha *ha = arg;
	struct ha_out o;

	if (!from)
		return;
	if (e->role->role != HA_ROLE_STANDBY && e->role->role != HA_ROLE_ACTIVE) {
		recv_refused(s, WR_FIELD, 1, from->nodeid);
		return;
	}
	ha_view_role(&ha->v, from->nodeid, from->pid, (uint8_t)e->role->role,
		     e->role->term, &o);
	apply(ha, &o);
}

static void on_switchover(struct syncd *s, const Pccvs__Envelope *e,
			  struct member *from, bool self, void *arg)
{
	struct ha *ha = arg;
	uint32_t t = e->switchover->target;
	struct ha_out o;
	int rc;

	if (!from)
		return;
	rc = ha_view_switchover(&ha->v, t, &o);
	if (rc < 0)
		qb_log(LOG_WARNING, "HA: switchover to node %u (asked by node "
		       "%u) refused: %s", t, from->nodeid,
		       rc == -EAGAIN ? "membership is settling" :
		       rc == -ENOENT ? "no such member" :
		       "the target is not synced or not ready");
	else
		qb_log(LOG_NOTICE, "HA: switchover to node %u (asked by node "
		       "%u)%s", t, from->nodeid, o.changed ? "" :
		       ": already active");
	apply(ha, &o);
}

/* ---- IPC ---- */

static int ipc_status(struct syncd *s, const void *req, size_t len,
		      void **resp, size_t *resp_len, void *arg)
{
	struct ha *ha = arg;
	struct ha_ipc_status *o = calloc(1, sizeof(*o));
	uint64_t now = syncd_now_ms();

	if (!o)
		return -ENOMEM;
	o->hdr.size = sizeof(*o);
	o->version = SYNCD_IPC_VERSION;
	o->self_node = ha->v.self_node;
	o->role = ha->acting ? HA_ROLE_ACTIVE : HA_ROLE_STANDBY;
	o->quorate = ha->quorate;
	o->settled = ha->v.settled;
	o->joining = ha->v.joining;
	o->has_active = ha->v.has_active;
	o->fallback = ha->v.fallback;
	o->preempt = ha->c->preempt;
	o->synced = syncd_is_synced(s);
	o->active_node = ha->v.has_active ? ha->v.act_node : 0;
	o->why = ha->v.why;
	snprintf(o->why_text, sizeof(o->why_text), "%s", ha_why_name(ha->v.why));
	o->term = ha->v.term;
	o->role_ms = ha->role_ms ? now - ha->role_ms : 0;
	o->last_change_ms = ha->change_ms ? now - ha->change_ms : 0;
	o->transitions = ha->transitions;
	o->priority = s->conf.priority;
	o->preempt_delay_ms = ha->c->preempt_delay_ms;
	o->garp_count = ha->c->garp_count;
	o->garp_interval_ms = ha->c->garp_interval_ms;
	snprintf(o->notify, sizeof(o->notify), "%s", ha->c->notify);
	for (size_t i = 0; i < ha->c->n_vip && i < HA_IPC_VIP_MAX; i++) {
		const struct ha_vip *v = &ha->c->vip[i];
		struct ha_ipc_vip *d = &o->vip[o->n_vip++];

		d->af = v->af;
		d->prefix = v->prefix;
		d->held = ha->held[i];
		memcpy(d->addr, v->addr, sizeof(d->addr));
		snprintf(d->dev, sizeof(d->dev), "%s", v->dev);
		d->error = ha->vip_err[i];
	}
	for (size_t i = 0; i < ha->v.n && i < HA_IPC_NODES_MAX; i++) {
		const struct ha_node *m = &ha->v.m[i];
		struct ha_ipc_node *d = &o->nodes[o->n_nodes++];

		d->node = m->node;
		d->pid = m->pid;
		d->status = m->status;
		d->synced = m->synced;
		d->ready = m->ready;
		d->claim = m->claim;
		d->fresh = m->fresh;
		d->active = ha->v.has_active && ha->v.act_node == m->node &&
			    ha->v.act_pid == m->pid;
		d->self = m->node == ha->v.self_node && m->pid == ha->v.self_pid;
		d->prio = m->prio;
		d->claim_term = m->claim_term;
	}
	*resp = o;
	*resp_len = sizeof(*o);
	return 0;
}

static int ipc_switchover(struct syncd *s, const void *req, size_t len,
			  void **resp, size_t *resp_len, void *arg)
{
	const struct ha_ipc_switchover_req *r = req;
	struct ha *ha = arg;
	struct syncd_ipc_resp *o;
	int rc;

	if (len < sizeof(*r))
		return -EINVAL;
	if (!ha->quorate)
		return -ENOTCONN;
	rc = ha_view_switchover_check(&ha->v, r->target);
	if (rc < 0)
		return rc;
	if (ha->v.has_active && ha->v.act_node == r->target)
		return -EALREADY;
	rc = send_switchover(ha, r->target);
	if (rc < 0)
		return rc;
	qb_log(LOG_NOTICE, "HA: switchover to node %u requested over IPC",
	       r->target);
	o = calloc(1, sizeof(*o));
	if (!o)
		return -ENOMEM;
	o->hdr.size = sizeof(*o);
	o->version = SYNCD_IPC_VERSION;
	*resp = o;
	*resp_len = sizeof(*o);
	return 0;
}

/* ---- attach / detach ---- */

int ha_attach(struct syncd *s, struct ha **out)
{
	struct syncd_hooks h = {
		.confchg = on_confchg,
		.quorum = on_quorum,
		.member_status = on_member_status,
		.fill_status = on_fill_status,
	};
	struct ha *ha = calloc(1, sizeof(*ha));
	int rc;

	*out = NULL;
	if (!ha)
		return -ENOMEM;
	ha->s = s;
	ha->c = &s->conf.ha;
	ha->net.pkt = -1;
	ha_view_init(&ha->v, 0, 0);
	if (ha->c->n_vip) {
		rc = ha_net_open(&ha->net);
		if (rc < 0) {
			free(ha);
			return rc;
		}
		ha->net_ok = true;
		/* a VIP left over by an earlier run (crash) is not ours */
		vips_del(ha);
	}
	h.arg = ha;
	if ((rc = syncd_hooks_add(s, &h)) < 0 ||
	    (rc = syncd_handler_set(s, PCCVS__ENVELOPE__BODY_ROLE, on_role,
				    ha)) < 0 ||
	    (rc = syncd_handler_set(s, PCCVS__ENVELOPE__BODY_SWITCHOVER,
				    on_switchover, ha)) < 0 ||
	    (rc = syncd_ipc_handler_set(s, HA_IPC_STATUS, ipc_status, ha)) < 0 ||
	    (rc = syncd_ipc_handler_set(s, HA_IPC_SWITCHOVER, ipc_switchover,
					ha)) < 0 ||
	    (rc = qb_loop_signal_add(s->loop, QB_LOOP_HIGH, SIGCHLD, ha,
				     on_sigchld, &ha->sigchld)) < 0) {
		if (ha->net_ok)
			ha_net_close(&ha->net);
		free(ha);
		return rc;
	}
	qb_log(LOG_NOTICE, "HA: %zu VIP(s), priority %u, preempt %s%s%s",
	       ha->c->n_vip, s->conf.priority, ha->c->preempt ? "yes" : "no",
	       ha->c->notify[0] ? ", notify " : "", ha->c->notify);
	*out = ha;
	return 0;
}

void ha_detach(struct ha *ha)
{
	qb_loop_t *l;

	if (!ha)
		return;
	l = ha->s->loop;
	if (ha->acting) {
		vips_del(ha);
		ha->acting = false;
		qb_log(LOG_NOTICE, "HA: shutting down: VIPs removed");
		notify(ha, "standby");
	}
	qb_loop_timer_del(l, ha->quorum_timer);
	qb_loop_timer_del(l, ha->settle_timer);
	qb_loop_timer_del(l, ha->preempt_timer);
	qb_loop_timer_del(l, ha->garp_timer);
	qb_loop_timer_del(l, ha->retry_timer);
	qb_loop_signal_del(l, ha->sigchld);
	if (ha->net_ok)
		ha_net_close(&ha->net);
	free(ha);
}
