// SPDX-License-Identifier: GPL-2.0
/*
 * pcc_wheel.c: hierarchical timer wheels (32 ms ticks, 5 levels of 64 slots),
 * one per CPU. The packet path only moves an object's expiry later without
 * touching the wheel; when a slot pops, an object that is not due yet is
 * filed again (lazy cascade). Each object moves at most once per level, so
 * expiry costs amortised O(1) and a tick costs what is due.
 */
#include "pcc_int.h"

#define PCC_WHEEL_MASK (PCC_WHEEL_SLOTS - 1)
#define PCC_WHEEL_SPAN (1ULL << (PCC_WHEEL_BITS * PCC_WHEEL_LEVELS))

static inline unsigned int lvl_shift(unsigned int lvl)
{
	return PCC_WHEEL_BITS * lvl;
}

int pcc_wheels_init(struct pcc_wheels *ws, u32 n, u64 now)
{
	u32 i;

	ws->w = pcc_vzalloc(sizeof(*ws->w) * n);
	if (!ws->w)
		return -ENOMEM;
	ws->n = n;
	for (i = 0; i < n; i++) {
		pcc_spin_lock_init(&ws->w[i].lock);
		ws->w[i].cur = now >> PCC_TICK_SHIFT;
	}
	return 0;
}

void pcc_wheels_free(struct pcc_wheels *ws)
{
	pcc_vfree(ws->w);
	ws->w = NULL;
}

static inline struct pcc_wheel *wheel_of(struct pcc_wheels *ws, const u16 *bits)
{
	return &ws->w[PCC_READ_ONCE(*bits) & PCC_W_INDEX_MASK];
}

/* File an unlinked object at tick "due" (clamped to the wheel's range). */
static void wheel_insert(struct pcc_wheel *w, struct pcc_hlist_node *wn, u16 *bits, u64 due)
{
	u64 delta;
	unsigned int lvl = 0;

	if (due < w->cur)
		due = w->cur;
	delta = due - w->cur;
	if (delta >= PCC_WHEEL_SPAN) {
		due = w->cur + PCC_WHEEL_SPAN - 1;
		delta = PCC_WHEEL_SPAN - 1;
	}
	while (delta >> lvl_shift(lvl + 1))
		lvl++;
	pcc_hlist_add_head(wn, &w->slot[lvl][(due >> lvl_shift(lvl)) & PCC_WHEEL_MASK]);
	w->count[lvl]++;
	PCC_WRITE_ONCE(*bits, (u16)((*bits & PCC_W_INDEX_MASK) | lvl << PCC_W_LEVEL_SHIFT));
}

static void wheel_unlink(struct pcc_wheel *w, struct pcc_hlist_node *wn, u16 *bits)
{
	pcc_hlist_del_init(wn);
	w->count[*bits >> PCC_W_LEVEL_SHIFT]--;
}

/* A new object goes to the wheel of the CPU that creates it. */
void pcc_wheel_add(struct pcc_wheels *ws, struct pcc_hlist_node *wn, u16 *bits, u64 due)
{
	struct pcc_wheel *w;

	*bits = (u16)(pcc_cpu_id() % ws->n);
	w = &ws->w[*bits];
	pcc_spin_lock(&w->lock);
	wheel_insert(w, wn, bits, due);
	pcc_spin_unlock(&w->lock);
}

/* File again an object the tick popped (it is on no wheel). */
void pcc_wheel_put(struct pcc_wheels *ws, struct pcc_hlist_node *wn, u16 *bits, u64 due)
{
	struct pcc_wheel *w = wheel_of(ws, bits);

	pcc_spin_lock(&w->lock);
	wheel_insert(w, wn, bits, due);
	pcc_spin_unlock(&w->lock);
}

/*
 * Pop earlier than filed (an expiry got shorter). If the tick holds the
 * object right now it is not linked, and the tick re-reads its expiry.
 */
void pcc_wheel_move(struct pcc_wheels *ws, struct pcc_hlist_node *wn, u16 *bits, u64 due)
{
	struct pcc_wheel *w = wheel_of(ws, bits);

	pcc_spin_lock(&w->lock);
	if (!pcc_hlist_unhashed(wn)) {
		wheel_unlink(w, wn, bits);
		wheel_insert(w, wn, bits, due);
	}
	pcc_spin_unlock(&w->lock);
}

void pcc_wheel_del(struct pcc_wheels *ws, struct pcc_hlist_node *wn, u16 *bits)
{
	struct pcc_wheel *w = wheel_of(ws, bits);

	pcc_spin_lock(&w->lock);
	if (!pcc_hlist_unhashed(wn))
		wheel_unlink(w, wn, bits);
	pcc_spin_unlock(&w->lock);
}

/*
 * At a multiple of 64^lvl, level lvl's slot for this tick moves down. The
 * highest level goes first; returns false when the budget ran out (the
 * remaining objects stay in place and the next call carries on).
 */
static bool wheel_cascade(struct pcc_wheels *ws, struct pcc_wheel *w, u32 *budget)
{
	struct pcc_hlist_head *head;
	struct pcc_hlist_node *wn;
	unsigned int lvl;
	u16 *bits;

	for (lvl = PCC_WHEEL_LEVELS - 1; lvl >= 1; lvl--) {
		if (w->cur & ((1ULL << lvl_shift(lvl)) - 1))
			continue;
		head = &w->slot[lvl][(w->cur >> lvl_shift(lvl)) & PCC_WHEEL_MASK];
		while ((wn = head->first)) {
			if (!*budget)
				return false;
			(*budget)--;
			bits = ws->bits(wn);
			wheel_unlink(w, wn, bits);
			wheel_insert(w, wn, bits, ws->due(wn, w->cur));
		}
	}
	return true;
}

/* Jump over ticks where nothing can happen: the next tick that cascades a
 * non-empty level, or past the target when the wheel is empty. */
static void wheel_skip(struct pcc_wheel *w, u64 target)
{
	unsigned int lvl;
	u64 g, next = target + 1;

	if (w->count[0])
		return;
	for (lvl = 1; lvl < PCC_WHEEL_LEVELS; lvl++) {
		if (w->count[lvl]) {
			g = 1ULL << lvl_shift(lvl);
			next = (w->cur + g - 1) & ~(g - 1);
			break;
		}
	}
	if (next > target + 1)
		next = target + 1;
	if (next > w->cur) {
		w->cur = next;
		w->cascaded = false;
	}
}

/* Pop one object; the wheel lock is dropped while the owner handles it. */
static void wheel_pop(struct pcc_table *t, struct pcc_wheels *ws, struct pcc_wheel *w,
		      struct pcc_hlist_node *wn, u64 now)
{
	wheel_unlink(w, wn, ws->bits(wn));
	pcc_rcu_read_lock();
	pcc_spin_unlock(&w->lock);
	ws->pop(t, wn, now);
	pcc_rcu_read_unlock();
	pcc_spin_lock(&w->lock);
}

static u32 wheel_run(struct pcc_table *t, struct pcc_wheels *ws, struct pcc_wheel *w, u64 now,
		     u32 *budget)
{
	u64 target = now >> PCC_TICK_SHIFT;
	struct pcc_hlist_head *head;
	u32 left = 0;

	pcc_spin_lock(&w->lock);
	wheel_skip(w, target);
	while (w->cur <= target) {
		if (!w->cascaded && !wheel_cascade(ws, w, budget))
			goto out;
		w->cascaded = true;
		head = &w->slot[0][w->cur & PCC_WHEEL_MASK];
		while (head->first) {
			if (!*budget)
				goto out;
			(*budget)--;
			wheel_pop(t, ws, w, head->first, now);
		}
		w->cur++;
		w->cascaded = false;
		wheel_skip(w, target);
	}
	pcc_spin_unlock(&w->lock);
	return 0;
out:
	/* An estimate: what sits in the near level, at least one. */
	left = w->count[0] ? w->count[0] : 1;
	pcc_spin_unlock(&w->lock);
	return left;
}

/* Wheels take turns going first, so a short budget starves none. */
u32 pcc_wheels_run(struct pcc_table *t, struct pcc_wheels *ws, u64 now, u32 *budget)
{
	u32 i, left = 0, first = ws->first++ % ws->n;

	for (i = 0; i < ws->n; i++)
		left += wheel_run(t, ws, &ws->w[(first + i) % ws->n], now, budget);
	return left;
}
