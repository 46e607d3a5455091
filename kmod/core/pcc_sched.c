// SPDX-License-Identifier: GPL-2.0
/*
 * pcc_sched.c: the scheduler registry and the load-based schedulers (rr,
 * wrr, lc, wlc, sed, nq). Schedulers run only to create a template or a
 * non-persistent connection; they only pick available dests (weight > 0,
 * not overloaded). Ties go to the first dest in canonical order.
 */
#include "pcc_int.h"

static const struct pcc_sched_ops *const pcc_scheds[] = {
	&pcc_sched_rr, &pcc_sched_wrr, &pcc_sched_lc, &pcc_sched_wlc,
	&pcc_sched_sed, &pcc_sched_nq, &pcc_sched_sh, &pcc_sched_mh,
};

static const char *const pcc_sched_name_list[] = {
	"rr", "wrr", "lc", "wlc", "sed", "nq", "sh", "mh", NULL,
};

const char *const *pcc_sched_names(void)
{
	return pcc_sched_name_list;
}

const struct pcc_sched_ops *pcc_sched_find(const char *name)
{
	size_t i;

	for (i = 0; i < PCC_ARRAY_SIZE(pcc_scheds); i++) {
		if (!strncmp(pcc_scheds[i]->name, name, PCCVS_SCHED_NAME_MAX))
			return pcc_scheds[i];
	}
	return NULL;
}

struct pcc_dest *pcc_sched_pick(struct pcc_svc *svc, const struct pcc_sched_in *in)
{
	struct pcc_dset *ds = pcc_rcu_dereference(svc->dset);

	if (!ds || !ds->n)
		return NULL;
	return ds->ops->pick(ds, in);
}

u32 pcc_gcd(u32 a, u32 b)
{
	while (b) {
		u32 r = a % b;

		a = b;
		b = r;
	}
	return a;
}

static void priv_release(struct pcc_dset *ds)
{
	pcc_free(ds->priv);
	ds->priv = NULL;
}

/* ---- rr: the next available dest after the last pick ---- */
struct rr_state {
	pcc_atomic_t next;
};

static int rr_init(struct pcc_dset *ds)
{
	ds->priv = pcc_zalloc(sizeof(struct rr_state));
	return ds->priv ? 0 : -ENOMEM;
}

static struct pcc_dest *rr_pick(struct pcc_dset *ds, const struct pcc_sched_in *in)
{
	struct rr_state *st = ds->priv;
	u32 start = (u32)pcc_atomic_inc_return(&st->next), i;
	struct pcc_dest *d;

	for (i = 0; i < ds->n; i++) {
		d = ds->d[(start + i) % ds->n];
		if (pcc_dest_available(d))
			return d;
	}
	return NULL;
}

const struct pcc_sched_ops pcc_sched_rr = {
	.name = "rr", .init = rr_init, .release = priv_release, .pick = rr_pick,
};

/*
 * ---- wrr: smooth weighted round robin ----
 * Each pick adds every available dest's weight to its credit and takes the
 * richest, which pays the total back. Exact proportions over a cycle,
 * interleaved rather than in bursts; unavailable dests simply sit out.
 */
struct wrr_state {
	pcc_spinlock_t lock;
	s64 credit[];
};

static int wrr_init(struct pcc_dset *ds)
{
	struct wrr_state *st = pcc_zalloc(sizeof(*st) + sizeof(st->credit[0]) * (ds->n + 1));

	if (!st)
		return -ENOMEM;
	pcc_spin_lock_init(&st->lock);
	ds->priv = st;
	return 0;
}

static struct pcc_dest *wrr_pick(struct pcc_dset *ds, const struct pcc_sched_in *in)
{
	struct wrr_state *st = ds->priv;
	struct pcc_dest *best = NULL;
	s64 total = 0;
	u32 i, bi = 0;

	pcc_spin_lock(&st->lock);
	for (i = 0; i < ds->n; i++) {
		u32 w = PCC_READ_ONCE(ds->d[i]->weight);

		if (!pcc_dest_available(ds->d[i]))
			continue;
		st->credit[i] += w;
		total += w;
		if (!best || st->credit[i] > st->credit[bi]) {
			best = ds->d[i];
			bi = i;
		}
	}
	if (best)
		st->credit[bi] -= total;
	pcc_spin_unlock(&st->lock);
	return best;
}

const struct pcc_sched_ops pcc_sched_wrr = {
	.name = "wrr", .init = wrr_init, .release = priv_release, .pick = wrr_pick,
};

/* ---- least-load family: one loop, a "better than" per scheduler ---- */
static u64 overhead(const struct pcc_dest *d)
{
	return (u64)pcc_atomic_read(&d->active) * 256 + (u32)pcc_atomic_read(&d->inactive);
}

typedef bool (*better_t)(const struct pcc_dest *a, const struct pcc_dest *b);

static struct pcc_dest *least(struct pcc_dset *ds, better_t better)
{
	struct pcc_dest *best = NULL, *d;
	u32 i;

	for (i = 0; i < ds->n; i++) {
		d = ds->d[i];
		if (pcc_dest_available(d) && (!best || better(d, best)))
			best = d;
	}
	return best;
}

static bool lc_better(const struct pcc_dest *a, const struct pcc_dest *b)
{
	return overhead(a) < overhead(b);
}

/* a/wa < b/wb without division. */
static bool wlc_better(const struct pcc_dest *a, const struct pcc_dest *b)
{
	return overhead(a) * PCC_READ_ONCE(b->weight) < overhead(b) * PCC_READ_ONCE(a->weight);
}

static u64 sed_load(const struct pcc_dest *d)
{
	return (u64)pcc_atomic_read(&d->active) + 1;
}

static bool sed_better(const struct pcc_dest *a, const struct pcc_dest *b)
{
	return sed_load(a) * PCC_READ_ONCE(b->weight) < sed_load(b) * PCC_READ_ONCE(a->weight);
}

/* nq: an idle dest first (the heaviest idle one), else sed. */
static bool nq_better(const struct pcc_dest *a, const struct pcc_dest *b)
{
	bool ia = !pcc_atomic_read(&a->active), ib = !pcc_atomic_read(&b->active);

	if (ia != ib)
		return ia;
	if (ia)
		return PCC_READ_ONCE(a->weight) > PCC_READ_ONCE(b->weight);
	return sed_better(a, b);
}

static struct pcc_dest *lc_pick(struct pcc_dset *ds, const struct pcc_sched_in *in)
{
	return least(ds, lc_better);
}

static struct pcc_dest *wlc_pick(struct pcc_dset *ds, const struct pcc_sched_in *in)
{
	return least(ds, wlc_better);
}

static struct pcc_dest *sed_pick(struct pcc_dset *ds, const struct pcc_sched_in *in)
{
	return least(ds, sed_better);
}

static struct pcc_dest *nq_pick(struct pcc_dset *ds, const struct pcc_sched_in *in)
{
	return least(ds, nq_better);
}

const struct pcc_sched_ops pcc_sched_lc = { .name = "lc", .pick = lc_pick };
const struct pcc_sched_ops pcc_sched_wlc = { .name = "wlc", .pick = wlc_pick };
const struct pcc_sched_ops pcc_sched_sed = { .name = "sed", .pick = sed_pick };
const struct pcc_sched_ops pcc_sched_nq = { .name = "nq", .pick = nq_pick };
