// SPDX-License-Identifier: GPL-2.0
/*
 * pcc_tpl.c: the template table, (domain, masked client) -> real server.
 * Lifetime, confirmation, announcements (CONFIRMED, REFRESHED, EXPIRED,
 * DELETED) and the path a new connection takes through a template.
 *
 * While a template controls connections it never expires; its effective
 * expiry is max(expires, now + timeout). Its wheel wake-up ("wake") is what
 * the tick needs next: the expiry when idle, the next refresh when it
 * controls connections and has been announced, else one timeout later.
 */
#include "pcc_int.h"

struct pcc_cache pcc_tpl_cache = { .name = "pccvs_tpl", .size = sizeof(struct pcc_tpl) };

struct pcc_tpl *pcc_tpl_find(struct pcc_table *t, const struct pcc_dom *dom,
			     const union pcc_addr *caddr, u32 hash)
{
	struct pcc_tpl *tpl;

	pcc_hlist_for_each_entry_rcu(tpl, &t->tpl_tab[hash & t->tpl_mask], node) {
		if (tpl->dom == dom && pcc_addr_eq(&tpl->caddr, caddr) &&
		    !(PCC_READ_ONCE(tpl->flags) & PCC_TF_DEAD))
			return tpl;
	}
	return NULL;
}

u64 pcc_tpl_timeout_ms(const struct pcc_tpl *tpl)
{
	return (u64)PCC_READ_ONCE(tpl->dom->name.timeout) * 1000;
}

static inline bool tpl_busy(const struct pcc_tpl *tpl)
{
	return pcc_atomic_read(&tpl->ref) > 1;
}

static u64 tpl_effective(const struct pcc_tpl *tpl, u64 now)
{
	u64 floor = now + pcc_tpl_timeout_ms(tpl);

	if (tpl_busy(tpl) && tpl->expires < floor)
		return floor;
	return tpl->expires;
}

/* Announced by this director and still its own assignment. */
static inline bool tpl_announced(const struct pcc_tpl *tpl)
{
	return (tpl->flags & (PCC_TF_ANNOUNCED | PCCVS_TPL_F_REPLICATED)) == PCC_TF_ANNOUNCED;
}

void pcc_tpl_fill(struct pcc_table *t, const struct pcc_tpl *tpl, u64 now,
		  struct pcc_tpl_info *out)
{
	u64 eff = tpl_effective(tpl, now);
	int ref = pcc_atomic_read(&tpl->ref);

	memset(out, 0, sizeof(*out));
	out->dom = tpl->dom->name;
	out->caddr = tpl->caddr;
	out->daddr = tpl->dest->addr;
	out->dport = tpl->dest->port;
	out->flags = tpl->flags & PCCVS_TPL_F_ALL;
	out->nctl = ref > 1 ? (u32)(ref - 1) : 0;
	out->remaining_ms = eff > now ? eff - now : 0;
	out->stamp = tpl->stamp;
}

static u64 tpl_ann_ms(const struct pcc_tpl *tpl, u64 now)
{
	return pcc_tick_near(tpl->ann, now >> PCC_TICK_SHIFT) << PCC_TICK_SHIFT;
}

/* The refresh threshold, in ms. */
static u64 tpl_refresh_ms(const struct pcc_table *t, const struct pcc_tpl *tpl)
{
	return pcc_div_u64(pcc_tpl_timeout_ms(tpl) * PCC_READ_ONCE(t->cfg.refresh_pct), 100);
}

static void tpl_announce(struct pcc_table *t, struct pcc_tpl *tpl, enum pccvs_tpl_event ev,
			 u64 now)
{
	tpl->ann = (u32)pcc_ms_to_tick(tpl_effective(tpl, now));
	tpl->flags |= PCC_TF_ANNOUNCED;
	pcc_emit(t, ev, tpl, now);
}

static void tpl_maybe_refresh(struct pcc_table *t, struct pcc_tpl *tpl, u64 now)
{
	if (!tpl_announced(tpl))
		return;
	if (tpl_effective(tpl, now) > tpl_ann_ms(tpl, now) + tpl_refresh_ms(t, tpl))
		tpl_announce(t, tpl, PCCVS_TPL_EV_REFRESHED, now);
}

/* When the tick should look at the template next (ms). */
static u64 tpl_next_wake(struct pcc_table *t, const struct pcc_tpl *tpl, u64 now)
{
	u64 T = pcc_tpl_timeout_ms(tpl), w;

	if (!tpl_busy(tpl))
		return tpl->expires;
	if (!tpl_announced(tpl))
		return now + T;
	/* Just past the point where now + T exceeds the threshold. */
	w = tpl_ann_ms(tpl, now) + tpl_refresh_ms(t, tpl) + PCC_TICK_MS;
	w = w > T ? w - T : 0;
	return w > now ? w : now + PCC_TICK_MS;
}

/* Wake earlier than filed (the wheel only defers on its own). */
static void tpl_rearm(struct pcc_table *t, struct pcc_tpl *tpl, u64 now)
{
	u64 w = pcc_ms_to_tick(tpl_next_wake(t, tpl, now));

	if (w < pcc_tick_near(tpl->wake, now >> PCC_TICK_SHIFT)) {
		tpl->wake = (u32)w;
		pcc_wheel_move(&t->twheels, &tpl->wnode, &tpl->wheel, w);
	}
}

static void tpl_free_rcu(struct pcc_rcu_head *head)
{
	pcc_cache_free(&pcc_tpl_cache, pcc_container_of(head, struct pcc_tpl, rcu));
}

static void tpl_unref(struct pcc_tpl *tpl)
{
	if (!pcc_atomic_dec_return(&tpl->ref))
		pcc_call_rcu(&tpl->rcu, tpl_free_rcu);
}

struct pcc_tpl *pcc_tpl_alloc(struct pcc_table *t, struct pcc_dom *dom,
			      const union pcc_addr *caddr, struct pcc_dest *dest, u64 now)
{
	struct pcc_tpl *tpl = NULL;

	if (pcc_atomic_inc_return(&t->tpl_count) <= (int)PCC_READ_ONCE(t->cfg.tpl_max))
		tpl = pcc_cache_zalloc(&pcc_tpl_cache);
	else
		pcc_warn_ratelimited("template table full (%u), refusing new clients\n",
				     PCC_READ_ONCE(t->cfg.tpl_max));
	if (!tpl) {
		pcc_atomic_dec(&t->tpl_count);
		pcc_atomic64_inc(&t->tpl_refused);
		return NULL;
	}
	tpl->caddr = *caddr;
	tpl->dom = dom;
	tpl->dest = dest;
	pcc_atomic_set(&tpl->ref, 1);
	tpl->expires = now + (u64)dom->name.timeout * 1000;
	return tpl;
}

/* Under the bucket lock. */
void pcc_tpl_insert(struct pcc_table *t, struct pcc_tpl *tpl, u32 hash)
{
	u64 due = pcc_ms_to_tick(tpl->expires);

	pcc_hlist_add_head_rcu(&tpl->node, &t->tpl_tab[hash & t->tpl_mask]);
	pcc_atomic_inc(&tpl->dest->persist);
	pcc_atomic_inc(&tpl->dom->ntpl);
	tpl->wake = (u32)due;
	pcc_wheel_add(&t->twheels, &tpl->wnode, &tpl->wheel, due);
}

void pcc_tpl_set_dest(struct pcc_tpl *tpl, struct pcc_dest *dest)
{
	pcc_atomic_dec(&tpl->dest->persist);
	pcc_atomic_inc(&dest->persist);
	tpl->dest = dest;
}

/* Under the bucket lock. ev (EXPIRED/DELETED) goes out if it was announced. */
void pcc_tpl_unlink(struct pcc_table *t, struct pcc_tpl *tpl, enum pccvs_tpl_event ev, u64 now)
{
	if (ev && tpl_announced(tpl))
		pcc_emit(t, ev, tpl, now);
	pcc_hlist_del_rcu(&tpl->node);
	PCC_WRITE_ONCE(tpl->flags, tpl->flags | PCC_TF_DEAD);
	pcc_wheel_del(&t->twheels, &tpl->wnode, &tpl->wheel);
	pcc_atomic_dec(&tpl->dest->persist);
	pcc_atomic_dec(&tpl->dom->ntpl);
	pcc_atomic_dec(&t->tpl_count);
	tpl->dest = NULL;
	tpl_unref(tpl);
}

static pcc_spinlock_t *tpl_lock_of(struct pcc_table *t, const struct pcc_tpl *tpl)
{
	return pcc_tpl_lock(t, pcc_hash_tpl(t, tpl->dom, &tpl->caddr));
}

/* The dest a connection of svc should use for this template, if any. */
static struct pcc_dest *tpl_dest_for(struct pcc_svc *svc, const struct pcc_tpl *tpl)
{
	struct pcc_dest *d = tpl->dest;

	if (d->svc == svc)
		return PCC_READ_ONCE(d->dead) ? NULL : d;
	return pcc_svc_dest_like(svc, d);
}

/*
 * Local use of a template replicated here: it becomes ours. If it came
 * confirmed, the peers know it with the expiry they sent: it counts as
 * announced from there, so refreshes (and its end) go out as usual.
 */
static void tpl_take_over(struct pcc_tpl *tpl)
{
	u16 f = tpl->flags & (PCCVS_TPL_F_REPLICATED | PCCVS_TPL_F_CONFIRMED | PCC_TF_ANNOUNCED);

	if (f == (PCCVS_TPL_F_REPLICATED | PCCVS_TPL_F_CONFIRMED)) {
		tpl->ann = (u32)pcc_ms_to_tick(tpl->expires);
		tpl->flags |= PCC_TF_ANNOUNCED;
	}
	tpl->flags &= ~PCCVS_TPL_F_REPLICATED;
}

/* A new connection goes through tpl: local use, reference, refresh. */
static void tpl_use(struct pcc_table *t, struct pcc_tpl *tpl, u64 now)
{
	u64 floor = now + pcc_tpl_timeout_ms(tpl);
	bool first = pcc_atomic_inc_return(&tpl->ref) == 2;

	tpl_take_over(tpl);
	if (tpl->expires < floor)
		PCC_WRITE_ONCE(tpl->expires, floor);
	tpl_maybe_refresh(t, tpl, now);
	if (first)
		tpl_rearm(t, tpl, now);
}

static void tpl_repoint(struct pcc_table *t, struct pcc_tpl *tpl, struct pcc_dest *d)
{
	pcc_tpl_set_dest(tpl, d);
	tpl->stamp = pcc_stamp_next(t);
	tpl->flags &= ~(PCCVS_TPL_F_CONFIRMED | PCCVS_TPL_F_REPLICATED | PCC_TF_ANNOUNCED);
}

/* Schedule a server for a new template of svc (under the bucket lock). */
static int tpl_create(struct pcc_table *t, struct pcc_svc *svc, struct pcc_dom *dom,
		      const struct pcc_sched_in *in, u64 now, u32 hash, struct pcc_tpl **tplp)
{
	struct pcc_dest *d = pcc_sched_pick(svc, in);
	struct pcc_tpl *tpl;

	if (!d || PCC_READ_ONCE(d->dead) || PCC_READ_ONCE(dom->dead))
		return -EHOSTUNREACH;
	tpl = pcc_tpl_alloc(t, dom, in->addr, d, now);
	if (!tpl)
		return -ENOSPC;
	tpl->stamp = pcc_stamp_next(t);
	pcc_tpl_insert(t, tpl, hash);
	*tplp = tpl;
	return 0;
}

static int tpl_hold_locked(struct pcc_table *t, struct pcc_svc *svc, struct pcc_dom *dom,
			   const struct pcc_sched_in *in, bool may_create, u64 now, u32 hash,
			   struct pcc_tpl **tplp, struct pcc_dest **destp)
{
	struct pcc_tpl *tpl = pcc_tpl_find(t, dom, in->addr, hash);
	struct pcc_dest *d;
	int err;

	if (!tpl) {
		if (!may_create)
			return -ENOENT;
		err = tpl_create(t, svc, dom, in, now, hash, &tpl);
		if (err)
			return err;
	}
	d = tpl_dest_for(svc, tpl);
	if (!d) {
		/* Its server is gone from this service: the client moves. */
		if (!may_create)
			return -ENOENT;
		d = pcc_sched_pick(svc, in);
		if (!d || PCC_READ_ONCE(d->dead))
			return -EHOSTUNREACH;
		tpl_repoint(t, tpl, d);
	}
	tpl_use(t, tpl, now);
	*tplp = tpl;
	*destp = d;
	return 0;
}

/*
 * Find (or, if may_create, schedule) the template of a new connection of
 * svc and take a reference for it. -ENOENT: none and may not create;
 * -EHOSTUNREACH: no server available; -ENOSPC: template table full.
 */
int pcc_tpl_hold(struct pcc_table *t, struct pcc_svc *svc, struct pcc_dom *dom,
		 const struct pcc_sched_in *in, bool may_create, u64 now,
		 struct pcc_tpl **tplp, struct pcc_dest **destp)
{
	u32 h = pcc_hash_tpl(t, dom, in->addr);
	pcc_spinlock_t *l = pcc_tpl_lock(t, h);
	int err;

	pcc_spin_lock(l);
	err = tpl_hold_locked(t, svc, dom, in, may_create, now, h, tplp, destp);
	pcc_spin_unlock(l);
	return err;
}

/*
 * A controlled connection ended: the timeout runs from now. When it was the
 * last one, the peers' copy (counting down from the last announcement) is
 * behind by about the connections' lifetime: announce the final expiry if
 * it moved by more than PCC_IDLE_REFRESH_MS, so a standby that takes over
 * keeps the client as long as this director would have.
 */
#define PCC_IDLE_REFRESH_MS 1000

void pcc_tpl_put(struct pcc_table *t, struct pcc_tpl *tpl, u64 now)
{
	pcc_spinlock_t *l = tpl_lock_of(t, tpl);
	u64 floor;

	pcc_spin_lock(l);
	if (!(tpl->flags & PCC_TF_DEAD)) {
		floor = now + pcc_tpl_timeout_ms(tpl);
		if (tpl->expires < floor)
			PCC_WRITE_ONCE(tpl->expires, floor);
		/* ref 2: the table's and this connection's */
		if (pcc_atomic_read(&tpl->ref) == 2 && tpl_announced(tpl) &&
		    tpl->expires > tpl_ann_ms(tpl, now) + PCC_IDLE_REFRESH_MS)
			tpl_announce(t, tpl, PCCVS_TPL_EV_REFRESHED, now);
	}
	tpl_unref(tpl);
	pcc_spin_unlock(l);
}

/* A controlled connection completed its handshake (or met the UDP rule). */
void pcc_tpl_confirm(struct pcc_table *t, struct pcc_tpl *tpl, u64 now)
{
	pcc_spinlock_t *l = tpl_lock_of(t, tpl);

	pcc_spin_lock(l);
	if (!(tpl->flags & PCC_TF_DEAD)) {
		tpl->flags |= PCCVS_TPL_F_CONFIRMED;
		if (!(tpl->flags & (PCCVS_TPL_F_REPLICATED | PCC_TF_ANNOUNCED))) {
			tpl_announce(t, tpl, PCCVS_TPL_EV_CONFIRMED, now);
			tpl_rearm(t, tpl, now);
		}
	}
	pcc_spin_unlock(l);
}

u64 pcc_tpl_due(struct pcc_hlist_node *wn, u64 cur)
{
	return pcc_tick_near(PCC_READ_ONCE(pcc_container_of(wn, struct pcc_tpl, wnode)->wake), cur);
}

u16 *pcc_tpl_wbits(struct pcc_hlist_node *wn)
{
	return &pcc_container_of(wn, struct pcc_tpl, wnode)->wheel;
}

/* The wheel popped tpl: expire it, or announce a refresh and file it again. */
void pcc_tpl_pop(struct pcc_table *t, struct pcc_hlist_node *wn, u64 now)
{
	struct pcc_tpl *tpl = pcc_container_of(wn, struct pcc_tpl, wnode);
	pcc_spinlock_t *l = tpl_lock_of(t, tpl);
	u64 w;

	pcc_spin_lock(l);
	if (tpl->flags & PCC_TF_DEAD)
		goto out;
	if (!tpl_busy(tpl) && tpl->expires <= now) {
		pcc_tpl_unlink(t, tpl, PCCVS_TPL_EV_EXPIRED, now);
		goto out;
	}
	tpl_maybe_refresh(t, tpl, now);
	w = pcc_ms_to_tick(tpl_next_wake(t, tpl, now));
	tpl->wake = (u32)w;
	pcc_wheel_put(&t->twheels, wn, &tpl->wheel, w);
out:
	pcc_spin_unlock(l);
}

void pcc_tpl_purge(struct pcc_table *t, pcc_tpl_match_t match, const void *arg,
		   bool (*fix)(struct pcc_table *t, struct pcc_tpl *tpl, const void *arg), u64 now)
{
	struct pcc_hlist_node *n;
	struct pcc_tpl *tpl;
	pcc_spinlock_t *l;
	u32 b;

	if (!pcc_atomic_read(&t->tpl_count))
		return;
	for (b = 0; b <= t->tpl_mask; b++) {
		if (pcc_hlist_empty(&t->tpl_tab[b]))
			continue;
		l = pcc_tpl_lock(t, b);
		pcc_spin_lock(l);
		pcc_hlist_for_each_entry_safe(tpl, n, &t->tpl_tab[b], node) {
			if (match && !match(tpl, arg))
				continue;
			if (!fix || !fix(t, tpl, arg))
				pcc_tpl_unlink(t, tpl, PCCVS_TPL_EV_DELETED, now);
		}
		pcc_spin_unlock(l);
	}
}
