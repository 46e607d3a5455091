// SPDX-License-Identifier: GPL-2.0
/*
 * pcc_dest.c: real servers of a service. Kept in canonical order (address,
 * port) so that hashing schedulers see the same list on every director;
 * published to the packet path as an immutable dest set swapped under RCU.
 */
#include "pcc_int.h"

static u32 dest_conns(const struct pcc_dest *d)
{
	return (u32)pcc_atomic_read(&d->active) + (u32)pcc_atomic_read(&d->inactive);
}

/* IPVS-like hysteresis: overloaded at u_thresh connections, available
 * again below l_thresh (or below 3/4 of u_thresh when l_thresh is 0). */
static void dest_overload_update(struct pcc_dest *d)
{
	u32 u = PCC_READ_ONCE(d->u_thresh), l = PCC_READ_ONCE(d->l_thresh);
	u32 n = dest_conns(d);
	u8 over = PCC_READ_ONCE(d->overload);

	if (!u)
		over = 0;
	else if (n >= u)
		over = 1;
	else if (over && (l ? n < l : (u64)n * 4 < (u64)u * 3))
		over = 0;
	if (over != d->overload)
		PCC_WRITE_ONCE(d->overload, over);
}

void pcc_dest_bind(struct pcc_dest *d, u8 state)
{
	pcc_atomic_inc(pcc_state_active(state) ? &d->active : &d->inactive);
	dest_overload_update(d);
}

void pcc_dest_unbind(struct pcc_dest *d, u8 state)
{
	pcc_atomic_dec(pcc_state_active(state) ? &d->active : &d->inactive);
	dest_overload_update(d);
}

void pcc_dest_move(struct pcc_dest *d, u8 from, u8 to)
{
	if (pcc_state_active(from) == pcc_state_active(to))
		return;
	pcc_atomic_dec(pcc_state_active(from) ? &d->active : &d->inactive);
	pcc_atomic_inc(pcc_state_active(to) ? &d->active : &d->inactive);
}

/* Schedulers only give new clients to these. */
bool pcc_dest_available(const struct pcc_dest *d)
{
	return PCC_READ_ONCE(d->weight) && !PCC_READ_ONCE(d->overload) && !PCC_READ_ONCE(d->dead);
}

/* svc's dest for the real server of "like" (a dest of another service of the
 * same port group): the same address and port, else the same address. */
struct pcc_dest *pcc_svc_dest_like(struct pcc_svc *svc, const struct pcc_dest *like)
{
	struct pcc_dset *ds = pcc_rcu_dereference(svc->dset);
	struct pcc_dest *d, *any = NULL;
	u32 i;

	for (i = 0; ds && i < ds->n; i++) {
		d = ds->d[i];
		if (PCC_READ_ONCE(d->dead) || !pcc_addr_eq(&d->addr, &like->addr))
			continue;
		if (d->port == like->port)
			return d;
		if (!any)
			any = d;
	}
	return any;
}

static void dset_release(struct pcc_dset *ds)
{
	if (ds->ops && ds->ops->release)
		ds->ops->release(ds);
	pcc_free(ds);
}

static void dset_free_rcu(struct pcc_rcu_head *head)
{
	dset_release(pcc_container_of(head, struct pcc_dset, rcu));
}

void pcc_dset_free(struct pcc_dset *ds)
{
	if (ds)
		pcc_call_rcu(&ds->rcu, dset_free_rcu);
}

/* Publish svc's current dest list (minus "skip") with scheduler ops. */
int pcc_dset_rebuild(struct pcc_svc *svc, const struct pcc_sched_ops *ops,
		     const struct pcc_dest *skip)
{
	struct pcc_dset *ds, *old;
	struct pcc_dest *d;
	u32 n = 0;
	int err;

	ds = pcc_zalloc(sizeof(*ds) + sizeof(ds->d[0]) * (svc->ndests + 1));
	if (!ds)
		return -ENOMEM;
	pcc_hlist_for_each_entry(d, &svc->dests, node) {
		if (d != skip)
			ds->d[n++] = d;
	}
	ds->n = n;
	err = ops->init ? ops->init(ds) : 0;
	if (err) {
		pcc_free(ds);
		return err;
	}
	ds->ops = ops;
	old = pcc_rcu_dereference_protected(svc->dset);
	pcc_rcu_assign_pointer(svc->dset, ds);
	pcc_dset_free(old);
	return 0;
}

static int dest_cmp(const struct pcc_dest *d, const union pcc_addr *a, u16 port)
{
	int c = pcc_addr_cmp(&d->addr, a);

	if (c)
		return c;
	return d->port < port ? -1 : d->port > port;
}

static struct pcc_dest *dest_find(struct pcc_svc *svc, const union pcc_addr *a, u16 port)
{
	struct pcc_dest *d;

	pcc_hlist_for_each_entry(d, &svc->dests, node) {
		if (!dest_cmp(d, a, port))
			return d;
	}
	return NULL;
}

static void dest_link(struct pcc_svc *svc, struct pcc_dest *nd)
{
	struct pcc_dest *d, *prev = NULL;

	pcc_hlist_for_each_entry(d, &svc->dests, node) {
		if (dest_cmp(d, &nd->addr, nd->port) > 0)
			break;
		prev = d;
	}
	if (prev)
		pcc_hlist_add_behind_rcu(&nd->node, &prev->node);
	else
		pcc_hlist_add_head_rcu(&nd->node, &svc->dests);
	svc->ndests++;
}

static bool svc_has_port(const struct pcc_svc *svc)
{
	return !svc->key.fwmark && svc->key.port;
}

/* Check a dest configuration; fills the effective port. */
static int dest_check(const struct pcc_svc *svc, const struct pcc_dest_conf *c, u8 fwd,
		      u16 *port, struct pcc_err *err)
{
	u16 sport = svc_has_port(svc) ? svc->key.port : 0;

	*port = c->port ? c->port : sport;
	if (fwd < PCCVS_FWD_DR || fwd > PCCVS_FWD_MAX)
		return pcc_fail(err, -EINVAL, "unknown forwarding method");
	if (c->weight > PCCVS_WEIGHT_MAX)
		return pcc_fail(err, -EINVAL, "weight out of range (0-65535)");
	if (c->u_thresh > PCCVS_THRESH_MAX || c->l_thresh > PCCVS_THRESH_MAX)
		return pcc_fail(err, -EINVAL, "threshold out of range (0-65535)");
	if (c->u_thresh && c->l_thresh > c->u_thresh)
		return pcc_fail(err, -EINVAL, "lower threshold above the upper threshold");
	if (fwd != PCCVS_FWD_NAT && *port != sport)
		return pcc_fail(err, -EINVAL, "DR and TUN cannot change the port");
	return 0;
}

static int dest_svc(struct pcc_table *t, const struct pcc_svc_key *k, struct pcc_err *err,
		    struct pcc_svc **out)
{
	struct pcc_svc_key nk;
	int ret = pcc_svc_key_norm(&nk, k, err);

	if (ret)
		return ret;
	*out = pcc_svc_find(t, &nk);
	return *out ? 0 : pcc_fail(err, -ENOENT, "no such service");
}

static u16 dest_port(const struct pcc_svc *svc, u16 port)
{
	return port ? port : (svc_has_port(svc) ? svc->key.port : 0);
}

static struct pcc_dest *dest_alloc(const struct pcc_svc *svc, const struct pcc_dest_conf *c,
				   u8 fwd, u16 port)
{
	struct pcc_dest *d = pcc_zalloc(sizeof(*d));

	if (!d)
		return NULL;
	if (pcc_counters_alloc(&d->cnt)) {
		pcc_free(d);
		return NULL;
	}
	pcc_addr_copy(&d->addr, &c->addr, svc->key.af);
	d->port = port;
	d->fwd = fwd;
	d->weight = c->weight;
	d->u_thresh = c->u_thresh;
	d->l_thresh = c->l_thresh;
	return d;
}

int pcc_dest_add(struct pcc_table *t, const struct pcc_svc_key *k,
		 const struct pcc_dest_conf *c, struct pcc_err *err)
{
	u8 fwd = c->fwd ? c->fwd : PCCVS_FWD_DR;
	struct pcc_svc *svc;
	struct pcc_dest *d;
	union pcc_addr a;
	u16 port;
	int ret;

	ret = dest_svc(t, k, err, &svc);
	if (!ret)
		ret = dest_check(svc, c, fwd, &port, err);
	if (ret)
		return ret;
	pcc_addr_copy(&a, &c->addr, svc->key.af);
	if (dest_find(svc, &a, port))
		return pcc_fail(err, -EEXIST, "real server exists");
	if (svc->ndests >= PCC_DEST_MAX)
		return pcc_fail(err, -ENOSPC, "too many real servers");
	d = dest_alloc(svc, c, fwd, port);
	if (!d)
		return -ENOMEM;
	d->svc = svc;
	dest_link(svc, d);
	ret = pcc_dset_rebuild(svc, svc->sched, NULL);
	if (ret) {
		pcc_hlist_del_rcu(&d->node);
		svc->ndests--;
		pcc_dest_free(d);
		return ret;
	}
	if (fwd == PCCVS_FWD_NAT)
		pcc_atomic_inc(&t->nat_dests);
	return 0;
}

/* The configuration a SET leads to: named fields from c, others kept. */
static void dest_next(const struct pcc_dest *d, const struct pcc_dest_conf *c, u32 set,
		      struct pcc_dest_conf *nc)
{
	nc->addr = d->addr;
	nc->port = d->port;
	nc->fwd = set & PCC_SET_FWD ? (c->fwd ? c->fwd : PCCVS_FWD_DR) : d->fwd;
	nc->weight = set & PCC_SET_WEIGHT ? c->weight : d->weight;
	nc->u_thresh = set & PCC_SET_UTHRESH ? c->u_thresh : d->u_thresh;
	nc->l_thresh = set & PCC_SET_LTHRESH ? c->l_thresh : d->l_thresh;
}

int pcc_dest_set(struct pcc_table *t, const struct pcc_svc_key *k,
		 const struct pcc_dest_conf *c, u32 set, struct pcc_err *err)
{
	struct pcc_dest_conf nc;
	struct pcc_svc *svc;
	struct pcc_dest *d;
	union pcc_addr a;
	u16 port;
	int ret;

	ret = dest_svc(t, k, err, &svc);
	if (ret)
		return ret;
	pcc_addr_copy(&a, &c->addr, svc->key.af);
	d = dest_find(svc, &a, dest_port(svc, c->port));
	if (!d)
		return pcc_fail(err, -ENOENT, "no such real server");
	dest_next(d, c, set, &nc);
	ret = dest_check(svc, &nc, nc.fwd, &port, err);
	if (ret)
		return ret;
	if ((nc.fwd == PCCVS_FWD_NAT) != (d->fwd == PCCVS_FWD_NAT))
		pcc_atomic_add(nc.fwd == PCCVS_FWD_NAT ? 1 : -1, &t->nat_dests);
	PCC_WRITE_ONCE(d->fwd, nc.fwd);
	PCC_WRITE_ONCE(d->weight, nc.weight);
	PCC_WRITE_ONCE(d->u_thresh, nc.u_thresh);
	PCC_WRITE_ONCE(d->l_thresh, nc.l_thresh);
	dest_overload_update(d);
	/* Weights shape wrr/sh/mh state: publish a fresh set (best effort). */
	pcc_dset_rebuild(svc, svc->sched, NULL);
	return 0;
}

static void dest_free_rcu(struct pcc_rcu_head *head)
{
	struct pcc_dest *d = pcc_container_of(head, struct pcc_dest, rcu);

	pcc_free_percpu(d->cnt);
	pcc_free(d);
}

void pcc_dest_free(struct pcc_dest *d)
{
	pcc_call_rcu(&d->rcu, dest_free_rcu);
}

static bool conn_of_dest(const struct pcc_conn *c, const void *arg)
{
	return c->dest == arg;
}

static bool tpl_of_dest(struct pcc_tpl *tpl, const void *arg)
{
	return tpl->dest == arg;
}

/* d is off its service's list and dest set: drop everything that uses it. */
void pcc_dest_destroy(struct pcc_table *t, struct pcc_dest *d, u64 now)
{
	PCC_WRITE_ONCE(d->dead, 1);
	pcc_conn_purge(t, conn_of_dest, d, now);
	pcc_tpl_purge(t, tpl_of_dest, d, NULL, now);
	if (d->fwd == PCCVS_FWD_NAT)
		pcc_atomic_dec(&t->nat_dests);
	pcc_dest_free(d);
}

int pcc_dest_del(struct pcc_table *t, const struct pcc_svc_key *k, const union pcc_addr *addr,
		 u16 port, struct pcc_err *err)
{
	struct pcc_svc *svc;
	struct pcc_dest *d;
	union pcc_addr a;
	int ret;

	ret = dest_svc(t, k, err, &svc);
	if (ret)
		return ret;
	pcc_addr_copy(&a, addr, svc->key.af);
	d = dest_find(svc, &a, dest_port(svc, port));
	if (!d)
		return pcc_fail(err, -ENOENT, "no such real server");
	ret = pcc_dset_rebuild(svc, svc->sched, d);
	if (ret)
		return ret;
	pcc_hlist_del_rcu(&d->node);
	svc->ndests--;
	pcc_dest_destroy(t, d, t->now);
	return 0;
}

static void dest_fill(const struct pcc_dest *d, struct pcc_dest_info *o)
{
	memset(o, 0, sizeof(*o));
	o->conf.addr = d->addr;
	o->conf.port = d->port;
	o->conf.fwd = d->fwd;
	o->conf.weight = d->weight;
	o->conf.u_thresh = d->u_thresh;
	o->conf.l_thresh = d->l_thresh;
	pcc_stats_fill(d->cnt, &d->est, &o->stats);
	o->active = (u32)pcc_atomic_read(&d->active);
	o->inactive = (u32)pcc_atomic_read(&d->inactive);
	o->persist = (u32)pcc_atomic_read(&d->persist);
}

int pcc_dest_list(struct pcc_table *t, const struct pcc_svc_key *k, u32 *pos,
		  struct pcc_dest_info *out, u32 max)
{
	struct pcc_svc *svc;
	struct pcc_dest *d;
	u32 i = 0, n = 0;
	int ret = dest_svc(t, k, NULL, &svc);

	if (ret)
		return ret;
	pcc_hlist_for_each_entry(d, &svc->dests, node) {
		if (n == max)
			break;
		if (i++ >= *pos)
			dest_fill(d, &out[n++]);
	}
	*pos += n;
	return (int)n;
}
