// SPDX-License-Identifier: GPL-2.0
/*
 * test_ha_elect: the HA election (ha/ha_elect.c). A small simulator plays
 * a CPG group: one view per director, one totally ordered queue of
 * messages (Status, Role, Switchover) and membership changes delivered to
 * every member in the same order, and the daemon's reactions (Status and
 * Role from everyone after a change with joiners, a Role on every change
 * of what a director does). Partitions are separate groups.
 */
#include <errno.h>
#include <string.h>

#include "pcc_test.h"
#include "ha_elect.h"

#define N 5
#define QMAX 512

enum { EV_STATUS, EV_ROLE, EV_SWITCH };

struct ev {
	int type;
	int from;		/* sender index */
	int group;
	bool synced, ready;
	uint32_t prio;
	uint8_t role;
	uint64_t term;
	uint32_t target;
};

struct dir {
	bool up;
	int group;		/* partition */
	bool quorate;
	bool acting;
	bool synced, ready;
	uint32_t prio;
	struct ha_view v;
	int activations;	/* times it started acting */
	bool crit;		/* became active through the fallback */
};

struct sim {
	struct dir d[N];
	struct ev q[QMAX];
	size_t qh, qt;
};

static uint32_t nid(int i) { return (uint32_t)i + 1; }
static uint32_t pid(int i) { return 100u + (uint32_t)i; }

static void push(struct sim *s, struct ev e)
{
	assert_true(s->qt < QMAX);
	s->q[s->qt++] = e;
}

static void send_status(struct sim *s, int i)
{
	push(s, (struct ev){ .type = EV_STATUS, .from = i, .group = s->d[i].group,
			     .synced = s->d[i].synced, .ready = s->d[i].ready,
			     .prio = s->d[i].prio });
}

static void send_role(struct sim *s, int i)
{
	push(s, (struct ev){ .type = EV_ROLE, .from = i, .group = s->d[i].group,
			     .role = s->d[i].acting ? HA_ROLE_ACTIVE : HA_ROLE_STANDBY,
			     .term = s->d[i].v.term });
}

/* The daemon's reaction after an input: act or stop, announce it. */
static void react(struct sim *s, int i, const struct ha_out *o)
{
	struct dir *d = &s->d[i];
	bool want = ha_view_acting(&d->v, d->quorate, d->acting);

	if (want == d->acting)
		return;
	d->acting = want;
	if (want) {
		d->activations++;
		d->crit |= d->v.fallback;
	}
	send_role(s, i);
}

static bool in_group(const struct sim *s, int i, int g)
{
	return s->d[i].up && s->d[i].group == g;
}

/* Deliver everything queued, in order, to the members of its group. */
static void run(struct sim *s)
{
	while (s->qh < s->qt) {
		struct ev e = s->q[s->qh++];

		if (!in_group(s, e.from, e.group))
			continue;	/* the sender left before delivery */
		for (int i = 0; i < N; i++) {
			struct ha_out o;

			if (!in_group(s, i, e.group))
				continue;
			if (e.type == EV_STATUS)
				ha_view_status(&s->d[i].v, nid(e.from), pid(e.from),
					       e.synced, e.ready, e.prio, &o);
			else if (e.type == EV_ROLE)
				ha_view_role(&s->d[i].v, nid(e.from), pid(e.from),
					     e.role, e.term, &o);
			else
				ha_view_switchover(&s->d[i].v, e.target, &o);
			react(s, i, &o);
		}
	}
}

/* Membership of group g is now whoever is up in it; joined: new ones. */
static void confchg(struct sim *s, int g, const bool *was)
{
	uint32_t node[N], p[N];
	size_t n = 0;
	bool joiners = false;

	for (int i = 0; i < N; i++)
		if (in_group(s, i, g)) {
			node[n] = nid(i);
			p[n++] = pid(i);
			joiners |= !was[i];
		}
	for (int i = 0; i < N; i++) {
		struct ha_out o;

		if (!in_group(s, i, g))
			continue;
		ha_view_members(&s->d[i].v, node, p, n, !was[i], &o);
		react(s, i, &o);
		if (joiners) {	/* sync.c sends Status, ha.c a Role */
			send_status(s, i);
			send_role(s, i);
		}
	}
}

static void snapshot(const struct sim *s, int g, bool *was)
{
	for (int i = 0; i < N; i++)
		was[i] = in_group(s, i, g);
}

static void start(struct sim *s, int i, uint32_t prio, bool synced)
{
	bool was[N];

	snapshot(s, 0, was);
	s->d[i] = (struct dir){ .up = true, .group = 0, .quorate = true,
				.synced = synced, .ready = true, .prio = prio };
	ha_view_init(&s->d[i].v, nid(i), pid(i));
	confchg(s, 0, was);
	run(s);
}

static void crash(struct sim *s, int i)
{
	bool was[N];
	int g = s->d[i].group;

	snapshot(s, g, was);
	s->d[i].up = false;
	s->d[i].acting = false;
	confchg(s, g, was);
	run(s);
}

static void set_synced(struct sim *s, int i, bool synced)
{
	s->d[i].synced = synced;
	send_status(s, i);
	run(s);
}

static void set_quorate(struct sim *s, int i, bool q)
{
	struct ha_out o = { 0 };

	s->d[i].quorate = q;
	react(s, i, &o);
	run(s);
}

static int actives(const struct sim *s)
{
	int n = 0;

	for (int i = 0; i < N; i++)
		n += s->d[i].up && s->d[i].acting;
	return n;
}

static int the_active(const struct sim *s)
{
	for (int i = 0; i < N; i++)
		if (s->d[i].up && s->d[i].acting)
			return i;
	return -1;
}

/* Every member of group g holds the same active in its view. */
static void agree(const struct sim *s, int g)
{
	int ref = -1;

	for (int i = 0; i < N; i++) {
		if (!in_group(s, i, g))
			continue;
		if (ref < 0) {
			ref = i;
			continue;
		}
		assert_int_equal(s->d[i].v.has_active, s->d[ref].v.has_active);
		assert_int_equal(s->d[i].v.act_node, s->d[ref].v.act_node);
		assert_int_equal(s->d[i].v.term, s->d[ref].v.term);
	}
}

/* ---- the rules ---- */

static void test_priority(void **state)
{
	struct sim s = { 0 };

	start(&s, 0, 100, true);
	start(&s, 1, 200, true);
	start(&s, 2, 150, true);
	/* node 1 was alone first and stays (no preemption) */
	assert_int_equal(actives(&s), 1);
	assert_int_equal(the_active(&s), 0);
	agree(&s, 0);
	/* when it dies, the highest priority takes over */
	crash(&s, 0);
	assert_int_equal(the_active(&s), 1);
	agree(&s, 0);
	crash(&s, 1);
	assert_int_equal(the_active(&s), 2);
}

static void test_cold_start_priority(void **state)
{
	struct sim s = { 0 };
	bool was[N] = { 0 };
	uint32_t prio[3] = { 100, 200, 150 };

	/* all three join in one membership change, none synced yet */
	for (int i = 0; i < 3; i++) {
		s.d[i] = (struct dir){ .up = true, .quorate = true, .ready = true,
				       .prio = prio[i] };
		ha_view_init(&s.d[i].v, nid(i), pid(i));
	}
	confchg(&s, 0, was);
	run(&s);
	assert_int_equal(actives(&s), 0);	/* nobody synced: nobody acts */
	for (int i = 0; i < 3; i++)
		assert_true(s.d[i].v.settled);
	/* the daemon declares one synced (lowest id), the others follow */
	set_synced(&s, 0, true);
	assert_int_equal(the_active(&s), 0);
	set_synced(&s, 1, true);
	set_synced(&s, 2, true);
	assert_int_equal(the_active(&s), 0);	/* stays: no preemption */
	assert_false(s.d[0].crit);
	agree(&s, 0);
}

static void test_ties_lowest_node(void **state)
{
	struct sim s = { 0 };
	bool was[N] = { 0 };

	for (int i = 0; i < 3; i++) {
		s.d[i] = (struct dir){ .up = true, .quorate = true, .ready = true,
				       .synced = true, .prio = 100 };
		ha_view_init(&s.d[i].v, nid(i), pid(i));
	}
	confchg(&s, 0, was);
	run(&s);
	assert_int_equal(the_active(&s), 0);
	crash(&s, 0);
	assert_int_equal(the_active(&s), 1);	/* node 2 < node 3 */
	agree(&s, 0);
}

static void test_unsynced_gating(void **state)
{
	struct sim s = { 0 };

	start(&s, 0, 100, true);
	start(&s, 1, 250, false);	/* better but not synced */
	start(&s, 2, 50, true);
	crash(&s, 0);
	assert_int_equal(the_active(&s), 2);	/* the synced one */
	assert_false(s.d[2].crit);
	agree(&s, 0);
	/* once node 2 is synced it is eligible, but does not preempt */
	set_synced(&s, 1, true);
	assert_int_equal(the_active(&s), 2);
}

static void test_no_synced_fallback(void **state)
{
	struct sim s = { 0 };

	start(&s, 0, 100, true);
	start(&s, 1, 100, false);	/* still receiving its snapshot */
	start(&s, 2, 200, false);
	assert_int_equal(the_active(&s), 0);
	crash(&s, 0);
	/* nobody synced is left: the best ready one, loudly */
	assert_int_equal(the_active(&s), 2);
	assert_true(s.d[2].crit);
	assert_true(s.d[2].v.fallback);
	agree(&s, 0);
	/* a synced director appears: the fallback gives way to it */
	set_synced(&s, 1, true);
	assert_int_equal(the_active(&s), 1);
	agree(&s, 0);
}

static void test_no_quorum(void **state)
{
	struct sim s = { 0 };

	start(&s, 0, 100, true);
	start(&s, 1, 100, true);
	assert_int_equal(the_active(&s), 0);
	set_quorate(&s, 0, false);
	set_quorate(&s, 1, false);
	assert_int_equal(actives(&s), 0);	/* no quorum, no active */
	crash(&s, 0);
	assert_int_equal(actives(&s), 0);
	assert_true(s.d[1].v.has_active);	/* elected, but does not act */
	set_quorate(&s, 1, true);
	assert_int_equal(the_active(&s), 1);
}

static void test_preempt(void **state)
{
	struct sim s = { 0 };

	start(&s, 0, 100, true);
	start(&s, 1, 200, true);
	assert_int_equal(the_active(&s), 0);
	assert_false(ha_view_should_preempt(&s.d[1].v, false));	/* off */
	assert_true(ha_view_should_preempt(&s.d[1].v, true));
	assert_false(ha_view_should_preempt(&s.d[0].v, true));	/* is active */
	/* the preempting director sends itself a Switchover (after its
	 * delay; the timer is the daemon's) */
	push(&s, (struct ev){ .type = EV_SWITCH, .from = 1, .target = nid(1) });
	run(&s);
	assert_int_equal(the_active(&s), 1);
	assert_false(ha_view_should_preempt(&s.d[0].v, true));
	agree(&s, 0);
	/* equal priority never preempts; an unsynced one neither */
	start(&s, 2, 200, false);
	assert_false(ha_view_should_preempt(&s.d[2].v, true));
	set_synced(&s, 2, true);
	assert_false(ha_view_should_preempt(&s.d[2].v, true));
}

static void test_switchover(void **state)
{
	struct sim s = { 0 };
	struct ha_out o;

	start(&s, 0, 100, true);
	start(&s, 1, 100, true);
	start(&s, 2, 100, false);
	assert_int_equal(ha_view_switchover_check(&s.d[0].v, nid(1)), 0);
	assert_int_equal(ha_view_switchover_check(&s.d[0].v, nid(2)), -EINVAL);
	assert_int_equal(ha_view_switchover_check(&s.d[0].v, 42), -ENOENT);
	push(&s, (struct ev){ .type = EV_SWITCH, .from = 2, .target = nid(1) });
	run(&s);
	assert_int_equal(the_active(&s), 1);
	assert_int_equal(s.d[0].activations, 1);
	assert_int_equal(s.d[1].activations, 1);
	agree(&s, 0);
	/* to an unsynced target: refused everywhere alike */
	push(&s, (struct ev){ .type = EV_SWITCH, .from = 0, .target = nid(2) });
	run(&s);
	assert_int_equal(the_active(&s), 1);
	agree(&s, 0);
	/* to the active itself: nothing happens */
	assert_int_equal(ha_view_switchover(&s.d[0].v, nid(1), &o), 0);
	assert_false(o.changed);
	/* while settling (a joiner's announcements pending): refused */
	s.d[3] = (struct dir){ .up = true, .quorate = true, .ready = true,
			       .synced = false, .prio = 1 };
	ha_view_init(&s.d[3].v, nid(3), pid(3));
	{
		bool was[N] = { true, true, true, false };

		confchg(&s, 0, was);	/* queued announcements not run */
	}
	assert_int_equal(ha_view_switchover(&s.d[0].v, nid(0), &o), -EAGAIN);
	run(&s);
	assert_int_equal(ha_view_switchover_check(&s.d[0].v, nid(0)), 0);
}

static void test_failover_same_point(void **state)
{
	struct sim s = { 0 };
	bool was[N];

	start(&s, 0, 100, true);
	start(&s, 1, 90, true);
	start(&s, 2, 80, true);
	assert_int_equal(the_active(&s), 0);
	/* the membership change alone decides: node 2 acts inside it,
	 * before any message of the new configuration */
	snapshot(&s, 0, was);
	s.d[0].up = false;
	s.d[0].acting = false;
	confchg(&s, 0, was);
	assert_int_equal(s.qt - s.qh, 1);	/* only node 2's own Role */
	assert_true(s.d[1].acting);
	assert_true(s.d[2].v.has_active);
	assert_int_equal(s.d[2].v.act_node, nid(1));
	run(&s);
	agree(&s, 0);
}

static void test_joiner_adopts(void **state)
{
	struct sim s = { 0 };

	start(&s, 0, 100, true);
	start(&s, 1, 250, true);	/* better, and synced at once */
	assert_int_equal(the_active(&s), 0);
	assert_int_equal(s.d[1].activations, 0);
	agree(&s, 0);
	/* a restarted director (new pid) rejoins and stays standby */
	crash(&s, 0);
	assert_int_equal(the_active(&s), 1);
	start(&s, 0, 100, true);	/* counters start again */
	assert_int_equal(the_active(&s), 1);
	assert_int_equal(s.d[0].activations, 0);
	assert_int_equal(s.d[1].activations, 1);
	agree(&s, 0);
}

/* Move the listed directors into partition g: both sides see a change
 * (the ones left behind see them leave, the movers see the others leave
 * or, when they merge into a group, join). */
static void partition(struct sim *s, int g, const int *who, size_t n)
{
	bool was_old[N], was_new[N];
	int from = s->d[who[0]].group;

	snapshot(s, from, was_old);
	snapshot(s, g, was_new);
	for (size_t k = 0; k < n; k++) {
		s->d[who[k]].group = g;
		was_new[who[k]] = true;	/* they know themselves */
	}
	confchg(s, from, was_old);
	confchg(s, g, was_new);
}

static void test_split_brain_merge(void **state)
{
	struct sim s = { 0 };
	struct ha_out o;
	uint32_t node[2] = { nid(0), nid(1) }, p[2] = { pid(0), pid(1) };

	start(&s, 0, 100, true);
	start(&s, 1, 100, true);
	assert_int_equal(the_active(&s), 0);
	/* split with two_node: both sides stay quorate, both act */
	partition(&s, 1, (int[]){ 1 }, 1);
	run(&s);
	assert_int_equal(actives(&s), 2);
	/* merge: each side sees the other join (not itself) */
	s.d[1].group = 0;
	for (int i = 0; i < 2; i++) {
		ha_view_members(&s.d[i].v, node, p, 2, false, &o);
		react(&s, i, &o);
		assert_true(s.d[i].acting);	/* settling: nobody stops yet */
		send_status(&s, i);
		send_role(&s, i);
	}
	run(&s);
	assert_int_equal(actives(&s), 1);
	assert_int_equal(the_active(&s), 0);	/* same priority: lowest id */
	agree(&s, 0);
}

static void test_split_brain_priority(void **state)
{
	struct sim s = { 0 };
	struct ha_out o;
	uint32_t node[2] = { nid(0), nid(1) }, p[2] = { pid(0), pid(1) };

	start(&s, 0, 100, true);
	start(&s, 1, 150, true);
	partition(&s, 1, (int[]){ 1 }, 1);
	run(&s);
	assert_int_equal(actives(&s), 2);
	s.d[1].group = 0;
	for (int i = 1; i >= 0; i--) {	/* the other order */
		ha_view_members(&s.d[i].v, node, p, 2, false, &o);
		react(&s, i, &o);
		send_status(&s, i);
		send_role(&s, i);
	}
	run(&s);
	assert_int_equal(actives(&s), 1);
	assert_int_equal(the_active(&s), 1);	/* the higher priority */
	agree(&s, 0);
}

static void test_merge_isolated_side(void **state)
{
	struct sim s = { 0 };
	struct ha_out o;
	uint32_t node[2] = { nid(0), nid(1) }, p[2] = { pid(0), pid(1) };

	start(&s, 0, 200, true);
	start(&s, 1, 100, true);
	assert_int_equal(the_active(&s), 0);
	/* node 1 is cut off without quorum; node 2 (with the witness) takes
	 * over */
	s.d[0].group = 1;
	ha_view_members(&s.d[0].v, &node[0], &p[0], 1, false, &o);
	react(&s, 0, &o);
	set_quorate(&s, 0, false);
	ha_view_members(&s.d[1].v, &node[1], &p[1], 1, false, &o);
	react(&s, 1, &o);
	run(&s);
	assert_int_equal(actives(&s), 1);
	assert_int_equal(the_active(&s), 1);
	assert_true(s.d[0].v.has_active && s.d[0].v.act_node == nid(0));
	/* heal: quorum back on node 1 only after the merge (ha.c waits), the
	 * better but isolated node 1 does not take the VIP back */
	s.d[0].group = 0;
	for (int i = 0; i < 2; i++) {
		ha_view_members(&s.d[i].v, node, p, 2, false, &o);
		react(&s, i, &o);
		send_status(&s, i);
		send_role(&s, i);
	}
	s.d[0].quorate = true;	/* before the announcements are in */
	react(&s, 0, &o);
	assert_false(s.d[0].acting);	/* settling: it may not start */
	run(&s);
	assert_int_equal(actives(&s), 1);
	assert_int_equal(the_active(&s), 1);
	agree(&s, 0);
}

static void test_stale_claim(void **state)
{
	struct sim s = { 0 };
	struct ha_out o;
	uint64_t old;

	start(&s, 0, 100, true);
	start(&s, 1, 100, true);
	old = s.d[1].v.term;
	push(&s, (struct ev){ .type = EV_SWITCH, .from = 0, .target = nid(1) });
	run(&s);
	assert_int_equal(the_active(&s), 1);
	/* an ACTIVE claim of node 1 sent before the switchover arrives late */
	ha_view_role(&s.d[1].v, nid(0), pid(0), HA_ROLE_ACTIVE, old, &o);
	assert_false(o.changed);
	assert_int_equal(s.d[1].v.act_node, nid(1));
}

static void test_active_not_ready(void **state)
{
	struct sim s = { 0 };

	start(&s, 0, 100, true);
	start(&s, 1, 100, true);
	s.d[0].ready = false;	/* its forwarding table went away */
	send_status(&s, 0);
	run(&s);
	assert_int_equal(the_active(&s), 1);
	agree(&s, 0);
}

static void test_joining_decides_nothing(void **state)
{
	struct ha_view v;
	struct ha_out o;
	uint32_t node[2] = { 1, 2 }, p[2] = { 100, 101 };

	ha_view_init(&v, 2, 101);
	ha_view_members(&v, node, p, 2, true, &o);
	assert_false(ha_view_acting(&v, true, false));
	/* our own Status and Role, node 1's Status: still settling */
	ha_view_status(&v, 2, 101, true, true, 255, &o);
	ha_view_role(&v, 2, 101, HA_ROLE_STANDBY, 0, &o);
	ha_view_status(&v, 1, 100, true, true, 1, &o);
	assert_false(v.settled);
	assert_false(v.has_active);
	ha_view_role(&v, 1, 100, HA_ROLE_ACTIVE, 7, &o);
	assert_true(o.settled);
	assert_true(v.has_active);
	assert_int_equal(v.act_node, 1);
	assert_int_equal(v.term, 8);
	/* a timeout settles with what is known */
	ha_view_init(&v, 2, 101);
	ha_view_members(&v, node, p, 2, true, &o);
	ha_view_status(&v, 2, 101, true, true, 1, &o);
	ha_view_role(&v, 2, 101, HA_ROLE_STANDBY, 0, &o);
	ha_view_force_settle(&v, &o);
	assert_true(v.settled);
	assert_true(v.has_active);
	assert_int_equal(v.act_node, 2);
}

static void test_names(void **state)
{
	assert_string_equal(ha_role_name(HA_ROLE_ACTIVE), "active");
	assert_string_equal(ha_role_name(HA_ROLE_STANDBY), "standby");
	assert_string_equal(ha_role_name(9), "none");
	for (int w = 0; w < HA_WHY__MAX; w++)
		assert_string_not_equal(ha_why_name((enum ha_why)w), "?");
	assert_string_equal(ha_why_name(HA_WHY__MAX), "?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_priority),
		cmocka_unit_test(test_cold_start_priority),
		cmocka_unit_test(test_ties_lowest_node),
		cmocka_unit_test(test_unsynced_gating),
		cmocka_unit_test(test_no_synced_fallback),
		cmocka_unit_test(test_no_quorum),
		cmocka_unit_test(test_preempt),
		cmocka_unit_test(test_switchover),
		cmocka_unit_test(test_failover_same_point),
		cmocka_unit_test(test_joiner_adopts),
		cmocka_unit_test(test_split_brain_merge),
		cmocka_unit_test(test_split_brain_priority),
		cmocka_unit_test(test_merge_isolated_side),
		cmocka_unit_test(test_stale_claim),
		cmocka_unit_test(test_active_not_ready),
		cmocka_unit_test(test_joining_decides_nothing),
		cmocka_unit_test(test_names),
	};
	struct pcc_test_run r = { 0 };

	PCC_TEST_GROUP(&r, "ha_elect", tests);
	return pcc_test_done(&r);
}
