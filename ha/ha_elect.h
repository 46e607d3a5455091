/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ha_elect.h: the active/standby election, a pure state machine (no I/O,
 * no clock) fed with the totally ordered inputs of the CPG group:
 * membership changes, members' Status (synced, forwarding ready,
 * priority), their Role announcements and Switchover requests. Every
 * member feeds the same inputs in the same order, so every member holds
 * the same view and computes the same active director at the same point
 * of the order: when the active dies, the successor knows it is the
 * successor from the membership change itself, with no further round trip.
 *
 * The rule (docs/ha.md):
 *  - Eligible: Status known, forwarding ready, synced. Among eligible
 *    members the highest priority wins; equal priorities: the LOWEST node
 *    id wins (then the lowest pid).
 *  - The active stays active while it is a member and ready (no
 *    preemption inside the election; preemption is a Switchover the
 *    better member sends itself, see ha_view_should_preempt).
 *  - A member that is not synced is chosen only when the active left and
 *    no synced member is left (fallback; the caller logs it LOG_CRIT).
 *  - Membership changes with joiners open a "settling" window: every
 *    member announces its Role (and Status); when the last of those is
 *    delivered, every member holds identical information and reconciles:
 *    the announced actives (one, or two after a split-brain merge) are
 *    reduced to one by the same rule (synced first, priority, lowest node
 *    id); with none announced, a fresh election. A joiner decides nothing
 *    before that point.
 *  - Switchover(target) at its delivery: target becomes active if it is an
 *    eligible member and the view is settled.
 *  - Quorum is not part of the replicated view (it is not ordered with CPG
 *    messages): a member acts as active only if the view says so AND it is
 *    quorate (ha_view_acting), and only once the view is settled, unless
 *    it was elected during the settling window because the active died.
 * Every decision that changes the active increments term; Role claims
 * carry it so that stale claims are recognised.
 */
#ifndef HA_ELECT_H
#define HA_ELECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HA_NODES_MAX 64

enum ha_role {
	HA_ROLE_NONE = 0,
	HA_ROLE_STANDBY = 1,
	HA_ROLE_ACTIVE = 2,
};

/* Why the active changed (for logs, status and tests). */
enum ha_why {
	HA_WHY_NONE = 0,
	HA_WHY_ELECTED,		/* no active: best eligible member */
	HA_WHY_FALLBACK,	/* active left, nobody synced: best ready one */
	HA_WHY_ACTIVE_LEFT,	/* active left, no one to take over */
	HA_WHY_NOT_ELIGIBLE,	/* the active is no longer ready/synced */
	HA_WHY_SETTLED,		/* reconciled after a membership change */
	HA_WHY_CONFLICT,	/* two members announced active: one kept */
	HA_WHY_SWITCHOVER,	/* planned switchover */
	HA_WHY_JOINED,		/* we (re)joined: view reset */
	HA_WHY__MAX
};

struct ha_node {
	uint32_t node, pid;
	bool status;		/* a Status of it is known */
	bool synced, ready;
	uint32_t prio;
	bool fresh;		/* a Role since the last change with joiners */
	uint8_t claim;		/* enum ha_role it announced */
	uint64_t claim_term;
};

struct ha_view {
	uint32_t self_node, self_pid;
	size_t n;
	struct ha_node m[HA_NODES_MAX];	/* sorted by (node, pid) */
	bool settled;		/* every member's Role and Status since the last
				 * change with joiners are known */
	bool joining;		/* we joined and are not settled yet */
	bool has_active;
	uint32_t act_node, act_pid;
	uint64_t term;
	bool fallback;		/* the active was chosen while not synced */
	bool window_elect;	/* chosen while settling: may act before */
	enum ha_why why;	/* of the last change of the active */
};

/* What an input changed. */
struct ha_out {
	bool changed;		/* the active changed (or went away) */
	enum ha_why why;
	bool fallback;		/* the new active is not synced */
	bool settled;		/* this input settled the view */
	bool conflict;		/* two actives were reconciled */
};

void ha_view_init(struct ha_view *v, uint32_t self_node, uint32_t self_pid);

/*
 * The group's members after a change (any order, at most HA_NODES_MAX
 * used). self_joined: this change is our own join (or rejoin after a lost
 * connection): everything we knew is dropped.
 */
void ha_view_members(struct ha_view *v, const uint32_t *node,
		     const uint32_t *pid, size_t n, bool self_joined,
		     struct ha_out *o);

/* A member's Status was delivered (ours too). */
void ha_view_status(struct ha_view *v, uint32_t node, uint32_t pid,
		    bool synced, bool ready, uint32_t prio, struct ha_out *o);

/* A member's Role was delivered (ours too). */
void ha_view_role(struct ha_view *v, uint32_t node, uint32_t pid,
		  uint8_t role, uint64_t term, struct ha_out *o);

/*
 * A Switchover was delivered. 0 done (or target already active),
 * -EAGAIN not settled, -ENOENT target not a member, -EINVAL target not
 * eligible (Status unknown, not ready, not synced).
 */
int ha_view_switchover(struct ha_view *v, uint32_t target, struct ha_out *o);

/* Local check before sending a Switchover (same rules, no change). */
int ha_view_switchover_check(const struct ha_view *v, uint32_t target);

/* Settle now with what is known (members that never announced a Role: an
 * older daemon, or a lost message), after a timeout. */
void ha_view_force_settle(struct ha_view *v, struct ha_out *o);

/* Should we act as the active director? (view + local quorum; now: we
 * act at present, which goes on through a settling window) */
bool ha_view_acting(const struct ha_view *v, bool quorate, bool now);

/* Should we (a better, eligible standby) take over from the active?
 * Only with preempt: strictly higher priority than the active's. */
bool ha_view_should_preempt(const struct ha_view *v, bool preempt);

const struct ha_node *ha_view_find(const struct ha_view *v, uint32_t node,
				   uint32_t pid);
const struct ha_node *ha_view_find_node(const struct ha_view *v,
					uint32_t node);
const char *ha_role_name(unsigned int role);
const char *ha_why_name(enum ha_why why);

#endif /* HA_ELECT_H */
