// SPDX-License-Identifier: GPL-2.0
/*
 * ha_elect.c: the active/standby election (rules in ha_elect.h and
 * docs/ha.md). Pure: every function only reads and writes the view.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ha_elect.h"

static const char *const why_names[HA_WHY__MAX] = {
	[HA_WHY_NONE] = "none",
	[HA_WHY_ELECTED] = "elected",
	[HA_WHY_FALLBACK] = "fallback: no synced director left",
	[HA_WHY_ACTIVE_LEFT] = "the active left; no director can take over",
	[HA_WHY_NOT_ELIGIBLE] = "the active is no longer eligible",
	[HA_WHY_SETTLED] = "membership settled",
	[HA_WHY_CONFLICT] = "two actives announced: one kept",
	[HA_WHY_SWITCHOVER] = "switchover",
	[HA_WHY_JOINED] = "joined the group",
};

const char *ha_why_name(enum ha_why why)
{
	return why < HA_WHY__MAX && why_names[why] ? why_names[why] : "?";
}

const char *ha_role_name(unsigned int role)
{
	switch (role) {
	case HA_ROLE_ACTIVE: return "active";
	case HA_ROLE_STANDBY: return "standby";
	default: return "none";
	}
}

void ha_view_init(struct ha_view *v, uint32_t self_node, uint32_t self_pid)
{
	memset(v, 0, sizeof(*v));
	v->self_node = self_node;
	v->self_pid = self_pid;
	v->joining = true;
}

static int cmp_node(const void *x, const void *y)
{
	const struct ha_node *a = x, *b = y;

	if (a->node != b->node)
		return a->node < b->node ? -1 : 1;
	return (a->pid > b->pid) - (a->pid < b->pid);
}

static struct ha_node *find(struct ha_view *v, uint32_t node, uint32_t pid)
{
	for (size_t i = 0; i < v->n; i++)
		if (v->m[i].node == node && v->m[i].pid == pid)
			return &v->m[i];
	return NULL;
}

const struct ha_node *ha_view_find(const struct ha_view *v, uint32_t node,
				   uint32_t pid)
{
	return find((struct ha_view *)v, node, pid);
}

const struct ha_node *ha_view_find_node(const struct ha_view *v, uint32_t node)
{
	for (size_t i = 0; i < v->n; i++)
		if (v->m[i].node == node)
			return &v->m[i];
	return NULL;
}

static struct ha_node *active(struct ha_view *v)
{
	return v->has_active ? find(v, v->act_node, v->act_pid) : NULL;
}

static bool eligible(const struct ha_node *m)
{
	return m->status && m->ready && m->synced;
}

/* a before b? priority, then the lowest node id, then the lowest pid. With
 * synced_first, a synced member beats any unsynced one. b may be NULL. */
static bool better(const struct ha_node *a, const struct ha_node *b,
		   bool synced_first)
{
	if (!b)
		return true;
	if (synced_first && a->synced != b->synced)
		return a->synced;
	if (a->prio != b->prio)
		return a->prio > b->prio;
	if (a->node != b->node)
		return a->node < b->node;
	return a->pid < b->pid;
}

static const struct ha_node *best_eligible(const struct ha_view *v)
{
	const struct ha_node *best = NULL;

	for (size_t i = 0; i < v->n; i++)
		if (eligible(&v->m[i]) && better(&v->m[i], best, false))
			best = &v->m[i];
	return best;
}

static void set_active(struct ha_view *v, const struct ha_node *m,
		       enum ha_why why, struct ha_out *o)
{
	bool had = v->has_active;
	uint32_t n = v->act_node, p = v->act_pid;

	if (m) {
		v->has_active = true;
		v->act_node = m->node;
		v->act_pid = m->pid;
		v->fallback = !m->synced;
	} else {
		v->has_active = false;
		v->act_node = v->act_pid = 0;
		v->fallback = false;
	}
	if (had == v->has_active && (!had || (n == v->act_node &&
					      p == v->act_pid)))
		return;
	v->why = why;
	if (o) {
		o->changed = true;
		o->why = why;
		o->fallback = v->fallback;
	}
}

/* No active: the best eligible member; with allow_fallback (the active
 * left and nobody synced is left) the best ready member. */
static void elect(struct ha_view *v, bool allow_fallback, struct ha_out *o)
{
	const struct ha_node *best = best_eligible(v);
	enum ha_why why = HA_WHY_ELECTED;

	if (!best && allow_fallback) {
		for (size_t i = 0; i < v->n; i++) {
			const struct ha_node *m = &v->m[i];

			if (m->status && m->ready && better(m, best, false))
				best = m;
		}
		why = HA_WHY_FALLBACK;
	}
	if (!best)
		return;
	v->term++;
	set_active(v, best, why, o);
}

static bool all_known(const struct ha_view *v)
{
	for (size_t i = 0; i < v->n; i++)
		if (!v->m[i].fresh || !v->m[i].status)
			return false;
	return v->n > 0;
}

/* Every member's announcement since the last change with joiners is in:
 * everyone holds the same information; reduce the announced actives to
 * one (or elect). */
static void settle(struct ha_view *v, struct ha_out *o)
{
	const struct ha_node *win = NULL;
	uint64_t t = 0;
	size_t claims = 0;

	v->settled = true;
	v->joining = false;
	v->window_elect = false;
	if (o)
		o->settled = true;
	for (size_t i = 0; i < v->n; i++) {
		const struct ha_node *m = &v->m[i];

		if (!m->fresh)
			continue;
		if (m->claim_term > t)
			t = m->claim_term;
		if (m->claim != HA_ROLE_ACTIVE || !m->status || !m->ready)
			continue;
		claims++;
		if (better(m, win, true))
			win = m;
	}
	v->term = t + 1;
	if (claims > 1 && o)
		o->conflict = true;
	if (win) {
		set_active(v, win, claims > 1 ? HA_WHY_CONFLICT : HA_WHY_SETTLED,
			   o);
		return;
	}
	/* nobody acts: a fresh election on identical information */
	{
		const struct ha_node *best = best_eligible(v);

		set_active(v, best, best ? HA_WHY_SETTLED : HA_WHY_NONE, o);
	}
}

/* After an input: settle if the window closes, else keep the active
 * eligible and elect one if there is none. */
static void decide(struct ha_view *v, bool lost, struct ha_out *o)
{
	struct ha_node *a;

	if (!v->settled && all_known(v)) {
		settle(v, o);
		return;
	}
	if (v->joining)
		return;
	a = active(v);
	if (a && a->status && (!a->ready || (!a->synced && best_eligible(v)))) {
		/* not ready: it cannot forward; not synced while a synced
		 * member is there (it was a fallback, or lost its table) */
		set_active(v, NULL, HA_WHY_NOT_ELIGIBLE, o);
		v->term++;
		elect(v, !a->ready, o);
		if (v->has_active && !v->settled)
			v->window_elect = true;
		return;
	}
	if (!v->has_active) {
		elect(v, lost, o);
		/* elected while settling (the active died meanwhile): act at
		 * once, do not wait for the joiners' announcements */
		if (v->has_active && !v->settled)
			v->window_elect = true;
		if (lost && !v->has_active && o) {
			o->changed = true;
			o->why = HA_WHY_ACTIVE_LEFT;
		}
	}
}

void ha_view_members(struct ha_view *v, const uint32_t *node,
		     const uint32_t *pid, size_t n, bool self_joined,
		     struct ha_out *o)
{
	struct ha_node tmp[HA_NODES_MAX];
	size_t k = 0;
	bool joined = false, lost = false;

	memset(o, 0, sizeof(*o));
	for (size_t i = 0; i < n && k < HA_NODES_MAX; i++) {
		struct ha_node *old = find(v, node[i], pid[i]);
		bool dup = false;

		for (size_t j = 0; j < k; j++)
			dup |= tmp[j].node == node[i] && tmp[j].pid == pid[i];
		if (dup)
			continue;
		if (old && !self_joined) {
			tmp[k++] = *old;
		} else {
			memset(&tmp[k], 0, sizeof(tmp[k]));
			tmp[k].node = node[i];
			tmp[k].pid = pid[i];
			k++;
			joined = true;
		}
	}
	qsort(tmp, k, sizeof(tmp[0]), cmp_node);
	memcpy(v->m, tmp, k * sizeof(tmp[0]));
	v->n = k;
	if (self_joined) {
		v->joining = true;
		v->settled = false;
		set_active(v, NULL, HA_WHY_JOINED, o);
		return;
	}
	if (joined) {
		v->settled = false;
		for (size_t i = 0; i < v->n; i++)
			v->m[i].fresh = false;
	}
	if (v->has_active && !find(v, v->act_node, v->act_pid)) {
		set_active(v, NULL, HA_WHY_ACTIVE_LEFT, o);
		v->term++;
		lost = true;
	}
	decide(v, lost, o);
}

void ha_view_status(struct ha_view *v, uint32_t node, uint32_t pid,
		    bool synced, bool ready, uint32_t prio, struct ha_out *o)
{
	struct ha_node *m = find(v, node, pid);

	memset(o, 0, sizeof(*o));
	if (!m)
		return;
	m->status = true;
	m->synced = synced;
	m->ready = ready;
	m->prio = prio;
	decide(v, false, o);
}

void ha_view_role(struct ha_view *v, uint32_t node, uint32_t pid,
		  uint8_t role, uint64_t term, struct ha_out *o)
{
	struct ha_node *m = find(v, node, pid);
	struct ha_node *a;

	memset(o, 0, sizeof(*o));
	if (!m)
		return;
	m->fresh = true;
	m->claim = role;
	m->claim_term = term;
	if (!v->settled) {
		decide(v, false, o);
		return;
	}
	if (role != HA_ROLE_ACTIVE || term < v->term || !m->status || !m->ready)
		return;		/* nothing to reconcile, or a stale claim */
	a = active(v);
	if (a == m)
		return;
	/* a second active (or one we did not know): keep one, everywhere the
	 * same since the claim is delivered at the same point for all */
	if (a)
		o->conflict = true;
	v->term = (term > v->term ? term : v->term) + 1;
	set_active(v, better(m, a, true) ? m : a, HA_WHY_CONFLICT, o);
}

int ha_view_switchover_check(const struct ha_view *v, uint32_t target)
{
	const struct ha_node *m;

	if (!v->settled || v->joining)
		return -EAGAIN;
	m = ha_view_find_node(v, target);
	if (!m)
		return -ENOENT;
	if (!eligible(m))
		return -EINVAL;
	return 0;
}

int ha_view_switchover(struct ha_view *v, uint32_t target, struct ha_out *o)
{
	int rc = ha_view_switchover_check(v, target);

	memset(o, 0, sizeof(*o));
	if (rc < 0)
		return rc;
	if (v->has_active && v->act_node == target)
		return 0;
	v->term++;
	set_active(v, ha_view_find_node(v, target), HA_WHY_SWITCHOVER, o);
	return 0;
}

void ha_view_force_settle(struct ha_view *v, struct ha_out *o)
{
	memset(o, 0, sizeof(*o));
	if (!v->settled)
		settle(v, o);
}

bool ha_view_acting(const struct ha_view *v, bool quorate, bool now)
{
	return quorate && !v->joining &&
	       (v->settled || v->window_elect || now) && v->has_active && v->act_node == v->self_node &&
	       v->act_pid == v->self_pid;
}

bool ha_view_should_preempt(const struct ha_view *v, bool preempt)
{
	const struct ha_node *self, *a;

	if (!preempt || !v->settled || v->joining || !v->has_active)
		return false;
	self = ha_view_find(v, v->self_node, v->self_pid);
	a = ha_view_find(v, v->act_node, v->act_pid);
	if (!self || !a || self == a || !eligible(self) || !a->status)
		return false;
	return self->prio > a->prio;
}
