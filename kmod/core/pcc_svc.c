// SPDX-License-Identifier: GPL-2.0
/*
 * pcc_svc.c: virtual services. A small RCU hash for the packet path (fwmark,
 * then VIP:port, then VIP:0), a list in order of addition for dumps, and
 * the rules that tie a service to its persistence domain.
 */
#include "pcc_int.h"

static const union pcc_addr pcc_any;

static bool proto_ok(u8 p)
{
	return p == IPPROTO_TCP || p == IPPROTO_UDP || p == IPPROTO_SCTP;
}

int pcc_svc_key_norm(struct pcc_svc_key *out, const struct pcc_svc_key *in, struct pcc_err *err)
{
	union pcc_addr a;

	if (!pcc_af_ok(in->af))
		return pcc_fail(err, -EINVAL, "address family must be AF_INET or AF_INET6");
	pcc_addr_copy(&a, &in->addr, in->af);
	memset(out, 0, sizeof(*out));
	out->af = in->af;
	if (in->fwmark) {
		if (in->protocol || in->port || !pcc_addr_eq(&a, &pcc_any))
			return pcc_fail(err, -EINVAL,
					"a fwmark service has no protocol, address or port");
		out->fwmark = in->fwmark;
		return 0;
	}
	if (!proto_ok(in->protocol))
		return pcc_fail(err, -EINVAL, "protocol must be TCP, UDP or SCTP");
	out->protocol = in->protocol;
	out->port = in->port;
	out->addr = a;
	return 0;
}

static inline bool svc_is(const struct pcc_svc *s, u16 af, u8 proto, u16 port, u32 fwmark,
			  const union pcc_addr *a)
{
	return s->key.port == port && s->key.protocol == proto && s->key.af == af &&
	       s->key.fwmark == fwmark && pcc_addr_eq(&s->key.addr, a);
}

static struct pcc_svc *svc_lookup(struct pcc_table *t, u16 af, u8 proto, u16 port, u32 fwmark,
				  const union pcc_addr *a)
{
	u32 h = pcc_hash_svc(af, proto, port, fwmark, a) & ((1U << PCC_SVC_HASH_BITS) - 1);
	struct pcc_svc *s;

	pcc_hlist_for_each_entry_rcu(s, &t->svc_tab[h], hnode) {
		if (svc_is(s, af, proto, port, fwmark, a))
			return s;
	}
	return NULL;
}

/* k must be normalised. */
struct pcc_svc *pcc_svc_find(struct pcc_table *t, const struct pcc_svc_key *k)
{
	struct pcc_svc *s;

	pcc_rcu_read_lock();
	s = svc_lookup(t, k->af, k->protocol, k->port, k->fwmark, &k->addr);
	pcc_rcu_read_unlock();
	return s;
}

/* Packet path: fwmark service, then (protocol, VIP, port), then (.., 0). */
struct pcc_svc *pcc_svc_match(struct pcc_table *t, const struct pcc_key *k, u32 fwmark)
{
	struct pcc_svc *s;

	if (fwmark && PCC_READ_ONCE(t->fwm_count)) {
		s = svc_lookup(t, k->af, 0, 0, fwmark, &pcc_any);
		if (s)
			return s;
	}
	s = svc_lookup(t, k->af, k->protocol, k->vport, 0, &k->vaddr);
	if (!s && k->vport)
		s = svc_lookup(t, k->af, k->protocol, 0, 0, &k->vaddr);
	return s;
}

/* Rules shared by ADD and SET, on the resulting configuration. */
static int svc_rules(const struct pcc_svc_key *k, u32 flags, u32 timeout, u8 netmask,
		     const char *pgroup, struct pcc_err *err)
{
	bool persist = flags & PCCVS_SVC_F_PERSISTENT;

	if (flags & ~PCCVS_SVC_F_ALL)
		return pcc_fail(err, -EINVAL, "unknown service flags");
	if (!k->fwmark && !k->port && !persist)
		return pcc_fail(err, -EINVAL, "port 0 needs a persistent service");
	if (timeout > PCCVS_PERSIST_TIMEOUT_MAX)
		return pcc_fail(err, -EINVAL, "timeout out of range (1-2678400 s)");
	if (netmask > pcc_af_bits(k->af))
		return pcc_fail(err, -EINVAL, "netmask longer than the address");
	if (strnlen(pgroup, PCCVS_PGROUP_NAME_MAX) == PCCVS_PGROUP_NAME_MAX)
		return pcc_fail(err, -EINVAL, "port group name too long");
	if (!pgroup[0])
		return 0;
	if (!persist)
		return pcc_fail(err, -EINVAL, "a port group needs a persistent service");
	if (k->fwmark)
		return pcc_fail(err, -EINVAL, "a fwmark service cannot join a port group");
	if (!pcc_pgroup_valid(pgroup))
		return pcc_fail(err, -EINVAL, "port group names are 1-15 of [A-Za-z0-9_.-]");
	return 0;
}

static int svc_sched(const char *name, const struct pcc_sched_ops **ops, struct pcc_err *err)
{
	if (strnlen(name, PCCVS_SCHED_NAME_MAX) == PCCVS_SCHED_NAME_MAX)
		return pcc_fail(err, -EINVAL, "scheduler name too long");
	*ops = pcc_sched_find(name[0] ? name : "wlc");
	return *ops ? 0 : pcc_fail(err, -ENOENT, "unknown scheduler");
}

static void svc_free_rcu(struct pcc_rcu_head *head)
{
	struct pcc_svc *s = pcc_container_of(head, struct pcc_svc, rcu);

	pcc_free_percpu(s->cnt);
	pcc_free(s);
}

static void svc_set_sched(struct pcc_svc *s, const struct pcc_sched_ops *ops)
{
	s->sched = ops;
	memset(s->sched_name, 0, sizeof(s->sched_name));
	memcpy(s->sched_name, ops->name, strnlen(ops->name, PCCVS_SCHED_NAME_MAX - 1));
}

static struct pcc_svc *svc_alloc(const struct pcc_svc_key *k, const struct pcc_svc_conf *c,
				 const struct pcc_sched_ops *ops)
{
	struct pcc_svc *s = pcc_zalloc(sizeof(*s));

	if (!s)
		return NULL;
	if (pcc_counters_alloc(&s->cnt)) {
		pcc_free(s);
		return NULL;
	}
	s->key = *k;
	s->flags = c->flags;
	s->timeout = c->timeout ? c->timeout : PCCVS_PERSIST_TIMEOUT_DEFAULT;
	s->netmask = c->netmask;
	svc_set_sched(s, ops);
	memcpy(s->pgroup, c->pgroup, PCCVS_PGROUP_NAME_MAX);
	return s;
}

static void svc_link(struct pcc_table *t, struct pcc_svc *s)
{
	u32 h = pcc_hash_svc(s->key.af, s->key.protocol, s->key.port, s->key.fwmark, &s->key.addr);
	struct pcc_svc *last = NULL, *i;

	pcc_hlist_add_head_rcu(&s->hnode, &t->svc_tab[h & ((1U << PCC_SVC_HASH_BITS) - 1)]);
	pcc_hlist_for_each_entry(i, &t->svc_list, lnode)
		last = i;
	if (last)
		pcc_hlist_add_behind_rcu(&s->lnode, &last->lnode);
	else
		pcc_hlist_add_head_rcu(&s->lnode, &t->svc_list);
	t->svc_count++;
	t->svc_gen++;
	if (s->key.fwmark)
		PCC_WRITE_ONCE(t->fwm_count, t->fwm_count + 1);
}

static int svc_check_add(struct pcc_table *t, const struct pcc_svc_conf *c, struct pcc_svc_key *k,
			 const struct pcc_sched_ops **ops, struct pcc_err *err)
{
	int ret = pcc_svc_key_norm(k, &c->key, err);

	if (!ret)
		ret = svc_rules(k, c->flags, c->timeout, c->netmask, c->pgroup, err);
	if (!ret)
		ret = svc_sched(c->sched, ops, err);
	if (ret)
		return ret;
	if (pcc_svc_find(t, k))
		return pcc_fail(err, -EEXIST, "service exists");
	if (t->svc_count >= PCC_SVC_MAX)
		return pcc_fail(err, -ENOSPC, "too many services");
	return 0;
}

int pcc_svc_add(struct pcc_table *t, const struct pcc_svc_conf *c, struct pcc_err *err)
{
	const struct pcc_sched_ops *ops;
	struct pcc_svc_key k;
	struct pcc_svc *s;
	int ret = svc_check_add(t, c, &k, &ops, err);

	if (ret)
		return ret;
	s = svc_alloc(&k, c, ops);
	if (!s)
		return -ENOMEM;
	ret = pcc_dset_rebuild(s, ops, NULL);
	if (!ret && (s->flags & PCCVS_SVC_F_PERSISTENT))
		ret = pcc_dom_attach(t, s, s->pgroup, c->timeout, c->netmask, true, err);
	if (ret) {
		pcc_dset_free(pcc_rcu_dereference_protected(s->dset));
		svc_free_rcu(&s->rcu);
		return ret;
	}
	svc_link(t, s);
	return 0;
}

/* The configuration a SET leads to. */
struct svc_next {
	u32 flags, timeout;
	u8 netmask;
	char pgroup[PCCVS_PGROUP_NAME_MAX];
	const struct pcc_sched_ops *ops;
};

static int svc_next(const struct pcc_svc *s, const struct pcc_svc_conf *c, u32 set,
		    struct svc_next *n, struct pcc_err *err)
{
	const struct pcc_dom *dom = pcc_rcu_dereference_protected(s->dom);
	int ret = 0;

	n->flags = set & PCC_SET_FLAGS ? c->flags : s->flags;
	n->timeout = dom ? dom->name.timeout : s->timeout;
	n->netmask = dom ? dom->name.netmask : s->netmask;
	if (set & PCC_SET_TIMEOUT)
		n->timeout = c->timeout;
	if (set & PCC_SET_NETMASK)
		n->netmask = c->netmask;
	memcpy(n->pgroup, set & PCC_SET_PGROUP ? c->pgroup : s->pgroup, PCCVS_PGROUP_NAME_MAX);
	n->ops = s->sched;
	if (set & PCC_SET_SCHED)
		ret = svc_sched(c->sched, &n->ops, err);
	if (!ret && (set & PCC_SET_TIMEOUT) && !c->timeout)
		ret = pcc_fail(err, -EINVAL, "timeout out of range (1-2678400 s)");
	if (!ret)
		ret = svc_rules(&s->key, n->flags, n->timeout, n->netmask, n->pgroup, err);
	return ret;
}

/* Join, leave or change the persistence domain as n says. */
static int svc_set_domain(struct pcc_table *t, struct pcc_svc *s, const struct svc_next *n,
			  u32 set, struct pcc_err *err)
{
	struct pcc_dom *old = pcc_rcu_dereference_protected(s->dom), *dom;
	bool persist = n->flags & PCCVS_SVC_F_PERSISTENT;
	int ret;

	if (persist && (!old || strncmp(old->name.pgroup, n->pgroup, PCCVS_PGROUP_NAME_MAX))) {
		ret = pcc_dom_attach(t, s, n->pgroup, n->timeout, n->netmask, false, err);
		if (ret)
			return ret;
		if (old)
			pcc_dom_detach(t, s, old, t->now);
		set &= ~(u32)(PCC_SET_TIMEOUT | PCC_SET_NETMASK);
	} else if (!persist && old) {
		pcc_rcu_assign_pointer(s->dom, NULL);
		pcc_dom_detach(t, s, old, t->now);
	}
	dom = pcc_rcu_dereference_protected(s->dom);
	if (dom && (set & PCC_SET_TIMEOUT))
		PCC_WRITE_ONCE(dom->name.timeout, n->timeout);
	if (dom && (set & PCC_SET_NETMASK) && dom->name.netmask != n->netmask) {
		/* Templates keyed on the old mask would never match again. */
		PCC_WRITE_ONCE(dom->name.netmask, n->netmask);
		pcc_dom_flush_tpls(t, dom, t->now);
	}
	return 0;
}

int pcc_svc_set(struct pcc_table *t, const struct pcc_svc_conf *c, u32 set, struct pcc_err *err)
{
	struct pcc_svc_key k;
	struct svc_next n;
	struct pcc_svc *s;
	int ret = pcc_svc_key_norm(&k, &c->key, err);

	if (ret)
		return ret;
	s = pcc_svc_find(t, &k);
	if (!s)
		return pcc_fail(err, -ENOENT, "no such service");
	ret = svc_next(s, c, set, &n, err);
	if (!ret && n.ops != s->sched)
		ret = pcc_dset_rebuild(s, n.ops, NULL);
	if (ret)
		return ret;
	svc_set_sched(s, n.ops);
	ret = svc_set_domain(t, s, &n, set, err);
	if (ret)
		return ret;
	PCC_WRITE_ONCE(s->flags, n.flags);
	s->timeout = n.timeout;
	s->netmask = n.netmask;
	memcpy(s->pgroup, n.pgroup, PCCVS_PGROUP_NAME_MAX);
	return 0;
}

static bool conn_of_svc(const struct pcc_conn *c, const void *arg)
{
	return c->dest->svc == arg;
}

/* Invisible to the packet path from here on; its dests are dead. */
static void svc_unlink(struct pcc_table *t, struct pcc_svc *s)
{
	struct pcc_dest *d;

	pcc_hlist_del_rcu(&s->hnode);
	t->svc_count--;
	t->svc_gen++;
	if (s->key.fwmark)
		PCC_WRITE_ONCE(t->fwm_count, t->fwm_count - 1);
	PCC_WRITE_ONCE(s->dead, 1);
	pcc_hlist_for_each_entry(d, &s->dests, node) {
		PCC_WRITE_ONCE(d->dead, 1);
		if (d->fwd == PCCVS_FWD_NAT)
			pcc_atomic_dec(&t->nat_dests);
	}
}

/* After its connections are gone: domain, templates, memory. */
static void svc_destroy(struct pcc_table *t, struct pcc_svc *s, u64 now)
{
	struct pcc_dom *dom = pcc_rcu_dereference_protected(s->dom);
	struct pcc_hlist_node *n;
	struct pcc_dest *d;

	pcc_hlist_del_rcu(&s->lnode);
	if (dom) {
		pcc_rcu_assign_pointer(s->dom, NULL);
		pcc_dom_detach(t, s, dom, now);
	}
	pcc_dom_release_svc(t, s, now);
	pcc_hlist_for_each_entry_safe(d, n, &s->dests, node) {
		pcc_hlist_del_rcu(&d->node);
		pcc_dest_free(d);
	}
	pcc_dset_free(pcc_rcu_dereference_protected(s->dset));
	pcc_call_rcu(&s->rcu, svc_free_rcu);
}

int pcc_svc_del(struct pcc_table *t, const struct pcc_svc_key *k, struct pcc_err *err)
{
	struct pcc_svc_key nk;
	struct pcc_svc *s;
	int ret = pcc_svc_key_norm(&nk, k, err);

	if (ret)
		return ret;
	s = pcc_svc_find(t, &nk);
	if (!s)
		return pcc_fail(err, -ENOENT, "no such service");
	svc_unlink(t, s);
	pcc_conn_purge(t, conn_of_svc, s, t->now);
	svc_destroy(t, s, t->now);
	return 0;
}

/* Everything at once: one walk of each table, not one per service. */
void pcc_svc_flush(struct pcc_table *t)
{
	struct pcc_hlist_node *n;
	struct pcc_svc *s;

	pcc_hlist_for_each_entry(s, &t->svc_list, lnode)
		svc_unlink(t, s);
	pcc_conn_purge(t, NULL, NULL, t->now);
	pcc_tpl_purge(t, NULL, NULL, NULL, t->now);
	pcc_hlist_for_each_entry_safe(s, n, &t->svc_list, lnode)
		svc_destroy(t, s, t->now);
}

static void svc_fill(const struct pcc_svc *s, struct pcc_svc_info *o)
{
	const struct pcc_dom *dom = pcc_rcu_dereference_protected(s->dom);

	memset(o, 0, sizeof(*o));
	o->conf.key = s->key;
	memcpy(o->conf.sched, s->sched_name, PCCVS_SCHED_NAME_MAX);
	o->conf.flags = s->flags;
	o->conf.timeout = dom ? dom->name.timeout : s->timeout;
	o->conf.netmask = dom ? dom->name.netmask : s->netmask;
	memcpy(o->conf.pgroup, s->pgroup, PCCVS_PGROUP_NAME_MAX);
	pcc_stats_fill(s->cnt, &s->est, &o->stats);
	o->tpl_count = dom ? (u32)pcc_atomic_read(&dom->ntpl) : 0;
	o->dest_count = s->ndests;
}

int pcc_svc_get(struct pcc_table *t, const struct pcc_svc_key *k, struct pcc_svc_info *out)
{
	struct pcc_svc_key nk;
	struct pcc_svc *s;
	int ret = pcc_svc_key_norm(&nk, k, NULL);

	if (ret)
		return ret;
	s = pcc_svc_find(t, &nk);
	if (!s)
		return -ENOENT;
	svc_fill(s, out);
	return 0;
}

u32 pcc_svc_count(struct pcc_table *t)
{
	return t->svc_count;
}

u32 pcc_svc_gen(struct pcc_table *t)
{
	return t->svc_gen;
}

u32 pcc_svc_list(struct pcc_table *t, u32 *pos, struct pcc_svc_info *out, u32 max)
{
	struct pcc_svc *s;
	u32 i = 0, n = 0;

	pcc_hlist_for_each_entry(s, &t->svc_list, lnode) {
		if (n == max)
			break;
		if (i++ >= *pos)
			svc_fill(s, &out[n++]);
	}
	*pos += n;
	return n;
}
