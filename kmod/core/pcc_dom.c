// SPDX-License-Identifier: GPL-2.0
/*
 * pcc_dom.c: persistence domains. A persistent service without a port group
 * owns its domain; services of one VIP naming the same group share one. The
 * domain holds the timeout and netmask, and keys the templates.
 */
#include "pcc_int.h"

bool pcc_pgroup_valid(const char *name)
{
	size_t i, n = strnlen(name, PCCVS_PGROUP_NAME_MAX);

	if (!n || n == PCCVS_PGROUP_NAME_MAX)
		return false;
	for (i = 0; i < n; i++) {
		char c = name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '.' || c == '-'))
			return false;
	}
	return true;
}

static struct pcc_dom *dom_find_group(struct pcc_table *t, u16 af, const union pcc_addr *vaddr,
				      const char *pgroup)
{
	struct pcc_dom *dom;

	pcc_hlist_for_each_entry_rcu(dom, &t->dom_list, node) {
		if (dom->name.pgroup[0] && dom->name.af == af &&
		    pcc_addr_eq(&dom->name.vaddr, vaddr) &&
		    !strncmp(dom->name.pgroup, pgroup, PCCVS_PGROUP_NAME_MAX))
			return dom;
	}
	return NULL;
}

/* A domain named on the wire: a member service's identity, or VIP + group. */
struct pcc_dom *pcc_dom_resolve(struct pcc_table *t, const struct pcc_domain *d)
{
	struct pcc_svc_key k, nk;
	struct pcc_dom *dom;
	union pcc_addr a;
	struct pcc_svc *svc;

	if (!pcc_af_ok(d->af))
		return NULL;
	if (d->pgroup[0]) {
		if (!pcc_pgroup_valid(d->pgroup))
			return NULL;
		pcc_addr_copy(&a, &d->vaddr, d->af);
		pcc_rcu_read_lock();
		dom = dom_find_group(t, d->af, &a, d->pgroup);
		pcc_rcu_read_unlock();
		return dom;
	}
	memset(&k, 0, sizeof(k));
	k.af = d->af;
	k.protocol = d->protocol;
	k.port = d->vport;
	k.fwmark = d->fwmark;
	k.addr = d->vaddr;
	if (pcc_svc_key_norm(&nk, &k, NULL))
		return NULL;
	svc = pcc_svc_find(t, &nk);
	return svc ? pcc_rcu_dereference_protected(svc->dom) : NULL;
}

static struct pcc_dom *dom_new(struct pcc_table *t, const struct pcc_svc *svc,
			       const char *pgroup, u32 timeout, u8 netmask)
{
	struct pcc_dom *dom = pcc_zalloc(sizeof(*dom));

	if (!dom)
		return NULL;
	dom->name.af = svc->key.af;
	dom->name.vaddr = svc->key.addr;
	if (pgroup[0]) {
		memcpy(dom->name.pgroup, pgroup, PCCVS_PGROUP_NAME_MAX);
	} else {
		dom->name.protocol = svc->key.protocol;
		dom->name.vport = svc->key.port;
		dom->name.fwmark = svc->key.fwmark;
	}
	dom->name.timeout = timeout;
	dom->name.netmask = netmask;
	pcc_hlist_add_head_rcu(&dom->node, &t->dom_list);
	return dom;
}

/*
 * Make svc a member of its domain: a new one, or an existing group. strict
 * (service creation): joining a group must not change the group's timeout
 * or netmask (timeout 0 = take the group's). Otherwise (SET) the caller
 * applies new values after joining.
 */
int pcc_dom_attach(struct pcc_table *t, struct pcc_svc *svc, const char *pgroup, u32 timeout,
		   u8 netmask, bool strict, struct pcc_err *err)
{
	struct pcc_dom *dom = NULL;

	pcc_rcu_read_lock();
	if (pgroup[0])
		dom = dom_find_group(t, svc->key.af, &svc->key.addr, pgroup);
	pcc_rcu_read_unlock();
	if (dom && strict && timeout && timeout != dom->name.timeout)
		return pcc_fail(err, -EINVAL, "timeout differs from the port group's (use SET)");
	if (dom && strict && netmask != dom->name.netmask)
		return pcc_fail(err, -EINVAL, "netmask differs from the port group's (use SET)");
	if (!dom)
		dom = dom_new(t, svc, pgroup, timeout ? timeout : PCCVS_PERSIST_TIMEOUT_DEFAULT,
			      netmask);
	if (!dom)
		return -ENOMEM;
	dom->nsvc++;
	pcc_rcu_assign_pointer(svc->dom, dom);
	return 0;
}

static bool tpl_of_dom(struct pcc_tpl *tpl, const void *arg)
{
	return tpl->dom == arg;
}

void pcc_dom_flush_tpls(struct pcc_table *t, struct pcc_dom *dom, u64 now)
{
	pcc_tpl_purge(t, tpl_of_dom, dom, NULL, now);
}

/* A dest of any member service of dom; port < 0: any port. */
struct pcc_dest *pcc_dom_find_dest(struct pcc_table *t, const struct pcc_dom *dom,
				   const union pcc_addr *addr, int port)
{
	struct pcc_svc *svc;
	struct pcc_dest *d;

	pcc_hlist_for_each_entry(svc, &t->svc_list, lnode) {
		if (pcc_rcu_dereference_protected(svc->dom) != dom)
			continue;
		pcc_hlist_for_each_entry(d, &svc->dests, node) {
			if (d->dead || !pcc_addr_eq(&d->addr, addr))
				continue;
			if (port < 0 || d->port == port)
				return d;
		}
	}
	return NULL;
}

static void dom_free_rcu(struct pcc_rcu_head *head)
{
	pcc_free(pcc_container_of(head, struct pcc_dom, rcu));
}

struct pcc_regroup {
	const struct pcc_dom *dom;
	const struct pcc_svc *svc;
};

static bool tpl_of_member(struct pcc_tpl *tpl, const void *arg)
{
	const struct pcc_regroup *r = arg;

	return tpl->dom == r->dom && tpl->dest->svc == r->svc;
}

/* The server stays the group's: point the template at another member's
 * dest for the same address (same port preferred). */
static bool tpl_regroup(struct pcc_table *t, struct pcc_tpl *tpl, const void *arg)
{
	struct pcc_dest *d = pcc_dom_find_dest(t, tpl->dom, &tpl->dest->addr, tpl->dest->port);

	if (!d)
		d = pcc_dom_find_dest(t, tpl->dom, &tpl->dest->addr, -1);
	if (d)
		pcc_tpl_set_dest(tpl, d);
	return d != NULL;
}

static bool tpl_of_svc(struct pcc_tpl *tpl, const void *arg)
{
	return tpl->dest->svc == arg;
}

/* svc is going away: templates (of any domain) pointing at its dests move to
 * another member of their domain with the same server, or go. */
void pcc_dom_release_svc(struct pcc_table *t, struct pcc_svc *svc, u64 now)
{
	pcc_tpl_purge(t, tpl_of_svc, svc, tpl_regroup, now);
}

/* svc left dom (svc->dom already changed). The last member takes the
 * domain's templates with it; otherwise only those pointing at svc's dests
 * move to another member or go. */
void pcc_dom_detach(struct pcc_table *t, struct pcc_svc *svc, struct pcc_dom *dom, u64 now)
{
	struct pcc_regroup r = { .dom = dom, .svc = svc };

	if (--dom->nsvc) {
		pcc_tpl_purge(t, tpl_of_member, &r, tpl_regroup, now);
		return;
	}
	PCC_WRITE_ONCE(dom->dead, 1);
	pcc_dom_flush_tpls(t, dom, now);
	pcc_hlist_del_rcu(&dom->node);
	pcc_call_rcu(&dom->rcu, dom_free_rcu);
}
