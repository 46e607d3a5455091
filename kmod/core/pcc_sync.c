// SPDX-License-Identifier: GPL-2.0
/*
 * pcc_sync.c: the template hooks of the sync daemon: inject (the merge
 * rule), delete, flush, get and the resumable dump. Injection never emits
 * an event and marks what it changes REPLICATED.
 */
#include "pcc_int.h"

#define PCC_STAMP_MAX (1ULL << 62)	/* room for a long life of ++clock */

static int inject_check(struct pcc_table *t, const struct pcc_tpl_info *in, struct pcc_dom **dom,
			union pcc_addr *caddr, struct pcc_dest **dest, struct pcc_err *err)
{
	union pcc_addr daddr, masked;

	if (!pcc_af_ok(in->dom.af))
		return pcc_fail(err, -EINVAL, "address family must be AF_INET or AF_INET6");
	if (in->flags & ~PCCVS_TPL_F_ALL)
		return pcc_fail(err, -EINVAL, "unknown template flags");
	if (!in->remaining_ms || in->remaining_ms > (u64)PCCVS_PERSIST_TIMEOUT_MAX * 1000)
		return pcc_fail(err, -EINVAL, "remaining time out of range");
	if (in->stamp >= PCC_STAMP_MAX)
		return pcc_fail(err, -EINVAL, "stamp out of range");
	*dom = pcc_dom_resolve(t, &in->dom);
	if (!*dom)
		return pcc_fail(err, -ENOENT, "unknown persistence domain");
	pcc_addr_copy(caddr, &in->caddr, in->dom.af);
	pcc_addr_mask(&masked, caddr, in->dom.af, (*dom)->name.netmask);
	if (!pcc_addr_eq(&masked, caddr))
		return pcc_fail(err, -EINVAL, "client address not masked with the domain netmask");
	pcc_addr_copy(&daddr, &in->daddr, in->dom.af);
	*dest = pcc_dom_find_dest(t, *dom, &daddr, in->dport);
	if (!*dest)
		return pcc_fail(err, -ENOENT, "unknown real server");
	return 0;
}

/* Equal stamps: the higher (daddr, dport) wins, bytewise. */
static bool inject_wins(const struct pcc_tpl *tpl, const struct pcc_dest *d, u64 stamp)
{
	int c;

	if (stamp != tpl->stamp)
		return stamp > tpl->stamp;
	c = pcc_addr_cmp(&d->addr, &tpl->dest->addr);
	return c ? c > 0 : d->port > tpl->dest->port;
}

static enum pcc_merge merge_same(struct pcc_tpl *tpl, const struct pcc_tpl_info *in, u64 exp)
{
	bool changed = false;

	if (exp > tpl->expires) {
		PCC_WRITE_ONCE(tpl->expires, exp);
		changed = true;
	}
	if (in->stamp > tpl->stamp) {
		tpl->stamp = in->stamp;
		changed = true;
	}
	if ((in->flags & PCCVS_TPL_F_CONFIRMED) && !(tpl->flags & PCCVS_TPL_F_CONFIRMED)) {
		tpl->flags |= PCCVS_TPL_F_CONFIRMED;
		changed = true;
	}
	if (!changed)
		return PCC_MERGE_UNCHANGED;
	tpl->flags |= PCCVS_TPL_F_REPLICATED;
	return PCC_MERGE_UPDATED;
}

/* The injected assignment replaces ours; controlled connections keep
 * their server. Its expiry may be shorter: wake the wheel earlier. */
static void merge_replace(struct pcc_table *t, struct pcc_tpl *tpl, struct pcc_dest *d,
			  const struct pcc_tpl_info *in, u64 exp, u64 now)
{
	u64 w;

	pcc_tpl_set_dest(tpl, d);
	tpl->stamp = in->stamp;
	tpl->flags &= ~(PCCVS_TPL_F_CONFIRMED | PCC_TF_ANNOUNCED);
	tpl->flags |= (in->flags & PCCVS_TPL_F_CONFIRMED) | PCCVS_TPL_F_REPLICATED;
	PCC_WRITE_ONCE(tpl->expires, exp);
	w = pcc_ms_to_tick(exp);
	if (w < pcc_tick_near(tpl->wake, now >> PCC_TICK_SHIFT)) {
		tpl->wake = (u32)w;
		pcc_wheel_move(&t->twheels, &tpl->wnode, &tpl->wheel, w);
	}
}

static int inject_new(struct pcc_table *t, struct pcc_dom *dom, const union pcc_addr *caddr,
		      struct pcc_dest *d, const struct pcc_tpl_info *in, u64 now, u32 h)
{
	struct pcc_tpl *tpl = pcc_tpl_alloc(t, dom, caddr, d, now);

	if (!tpl)
		return -ENOSPC;
	tpl->stamp = in->stamp;
	tpl->flags = (in->flags & PCCVS_TPL_F_CONFIRMED) | PCCVS_TPL_F_REPLICATED;
	tpl->expires = now + in->remaining_ms;
	pcc_tpl_insert(t, tpl, h);
	return 0;
}

static int inject_locked(struct pcc_table *t, struct pcc_dom *dom, const union pcc_addr *caddr,
			 struct pcc_dest *d, const struct pcc_tpl_info *in, u64 now, u32 h,
			 enum pcc_merge *res)
{
	struct pcc_tpl *tpl = pcc_tpl_find(t, dom, caddr, h);
	u64 exp = now + in->remaining_ms;

	if (!tpl) {
		*res = PCC_MERGE_CREATED;
		return inject_new(t, dom, caddr, d, in, now, h);
	}
	if (pcc_addr_eq(&tpl->dest->addr, &d->addr) && tpl->dest->port == d->port) {
		*res = merge_same(tpl, in, exp);
	} else if (inject_wins(tpl, d, in->stamp)) {
		merge_replace(t, tpl, d, in, exp, now);
		*res = PCC_MERGE_UPDATED;
	} else {
		*res = PCC_MERGE_UNCHANGED;
	}
	return 0;
}

int pcc_tpl_inject(struct pcc_table *t, const struct pcc_tpl_info *in, u64 now,
		   enum pcc_merge *res, struct pcc_err *err)
{
	struct pcc_dom *dom;
	struct pcc_dest *d;
	union pcc_addr caddr;
	enum pcc_merge r = PCC_MERGE_UNCHANGED;
	pcc_spinlock_t *l;
	int ret;
	u32 h;

	t->now = now;
	ret = inject_check(t, in, &dom, &caddr, &d, err);
	if (ret)
		return ret;
	pcc_stamp_raise(t, in->stamp);
	h = pcc_hash_tpl(t, dom, &caddr);
	l = pcc_tpl_lock(t, h);
	pcc_rcu_read_lock();
	pcc_spin_lock(l);
	ret = inject_locked(t, dom, &caddr, d, in, now, h, &r);
	pcc_spin_unlock(l);
	pcc_rcu_read_unlock();
	if (ret)
		return pcc_fail(err, ret, "template table full");
	pcc_atomic64_inc(r == PCC_MERGE_UNCHANGED ? &t->stale : &t->injected);
	if (res)
		*res = r;
	return 0;
}

/* Resolve and mask a client for get/del: callers may pass it unmasked. */
static struct pcc_dom *tpl_key(struct pcc_table *t, const struct pcc_domain *d,
			       const union pcc_addr *caddr, union pcc_addr *out)
{
	struct pcc_dom *dom = pcc_dom_resolve(t, d);

	if (dom)
		pcc_addr_mask(out, caddr, dom->name.af, dom->name.netmask);
	return dom;
}

int pcc_tpl_del(struct pcc_table *t, const struct pcc_domain *d, const union pcc_addr *caddr,
		u64 stamp, u64 now)
{
	union pcc_addr a;
	struct pcc_dom *dom;
	struct pcc_tpl *tpl;
	pcc_spinlock_t *l;
	int ret = -ENOENT;
	u32 h;

	t->now = now;
	dom = tpl_key(t, d, caddr, &a);
	if (!dom)
		return -ENOENT;
	h = pcc_hash_tpl(t, dom, &a);
	l = pcc_tpl_lock(t, h);
	pcc_rcu_read_lock();
	pcc_spin_lock(l);
	tpl = pcc_tpl_find(t, dom, &a, h);
	if (tpl && stamp && tpl->stamp > stamp) {
		ret = -ESTALE;
	} else if (tpl) {
		pcc_tpl_unlink(t, tpl, PCCVS_TPL_EV_DELETED, now);
		ret = 0;
	}
	pcc_spin_unlock(l);
	pcc_rcu_read_unlock();
	return ret;
}

static bool tpl_in_dom(struct pcc_tpl *tpl, const void *arg)
{
	return tpl->dom == arg;
}

void pcc_tpl_flush(struct pcc_table *t, const struct pcc_domain *d)
{
	struct pcc_dom *dom = NULL;

	if (d) {
		dom = pcc_dom_resolve(t, d);
		if (!dom)
			return;
	}
	pcc_tpl_purge(t, dom ? tpl_in_dom : NULL, dom, NULL, t->now);
	t->tpl_gen++;
}

int pcc_tpl_get(struct pcc_table *t, const struct pcc_domain *d, const union pcc_addr *caddr,
		u64 now, struct pcc_tpl_info *out)
{
	union pcc_addr a;
	struct pcc_dom *dom;
	struct pcc_tpl *tpl;
	pcc_spinlock_t *l;
	u32 h;

	dom = tpl_key(t, d, caddr, &a);
	if (!dom)
		return -ENOENT;
	h = pcc_hash_tpl(t, dom, &a);
	l = pcc_tpl_lock(t, h);
	pcc_rcu_read_lock();
	pcc_spin_lock(l);
	tpl = pcc_tpl_find(t, dom, &a, h);
	if (tpl)
		pcc_tpl_fill(t, tpl, now, out);
	pcc_spin_unlock(l);
	pcc_rcu_read_unlock();
	return tpl ? 0 : -ENOENT;
}

static bool iter_wants(const struct pcc_tpl *tpl, u32 flags, const struct pcc_dom *dom)
{
	u16 f = PCC_READ_ONCE(tpl->flags);

	if (f & PCC_TF_DEAD)
		return false;
	if ((flags & PCC_ITER_F_LOCAL) && (f & PCCVS_TPL_F_REPLICATED))
		return false;
	if ((flags & PCC_ITER_F_CONFIRMED) && !(f & PCCVS_TPL_F_CONFIRMED))
		return false;
	return !dom || tpl->dom == dom;
}

/* One bucket under its lock (a consistent view of each template). */
static bool iter_bucket(struct pcc_table *t, struct pcc_tpl_cursor *cur, u32 flags,
			const struct pcc_dom *dom, u64 now, struct pcc_tpl_info *out, u32 max,
			u32 *n)
{
	pcc_spinlock_t *l = pcc_tpl_lock(t, cur->bucket);
	bool done = true;
	struct pcc_tpl *tpl;
	u32 i = 0;

	if (pcc_hlist_empty(&t->tpl_tab[cur->bucket]))
		return true;
	pcc_spin_lock(l);
	pcc_hlist_for_each_entry(tpl, &t->tpl_tab[cur->bucket], node) {
		if (i++ < cur->skip)
			continue;
		if (*n == max) {
			done = false;
			break;
		}
		cur->skip++;
		if (iter_wants(tpl, flags, dom))
			pcc_tpl_fill(t, tpl, now, &out[(*n)++]);
	}
	pcc_spin_unlock(l);
	return done;
}

u32 pcc_tpl_iter(struct pcc_table *t, struct pcc_tpl_cursor *cur, u32 flags,
		 const struct pcc_domain *d, u64 now, struct pcc_tpl_info *out, u32 max)
{
	const struct pcc_dom *dom = NULL;
	u32 n = 0;

	if (cur->done)
		return 0;
	if ((!cur->bucket && !cur->skip) || cur->gen != t->tpl_gen)
		cur->gen = t->tpl_gen;
	pcc_rcu_read_lock();
	if (d) {
		dom = pcc_dom_resolve(t, d);
		if (!dom)
			cur->bucket = t->tpl_mask + 1;
	}
	while (n < max && cur->bucket <= t->tpl_mask) {
		if (!iter_bucket(t, cur, flags, dom, now, out, max, &n))
			break;
		cur->bucket++;
		cur->skip = 0;
	}
	pcc_rcu_read_unlock();
	if (cur->bucket > t->tpl_mask)
		cur->done = 1;
	return n;
}

u32 pcc_tpl_gen(struct pcc_table *t)
{
	return t->tpl_gen;
}
