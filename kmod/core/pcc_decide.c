// SPDX-License-Identifier: GPL-2.0
/*
 * pcc_decide.c: the packet path. An established flow costs one hash lookup,
 * an expiry store and four per-CPU counter adds; everything else (service
 * lookup, templates, schedulers, locks) happens once per connection.
 */
#include "pcc_int.h"

static inline bool pkt_syn(const struct pcc_pkt *p)
{
	return p->protocol == IPPROTO_TCP &&
	       (p->tcp_flags & (PCC_TCP_SYN | PCC_TCP_ACK | PCC_TCP_RST)) == PCC_TCP_SYN;
}

static bool pkt_key(struct pcc_key *k, const struct pcc_pkt *p)
{
	if (!pcc_af_ok(p->af))
		return false;
	if (p->protocol != IPPROTO_TCP && p->protocol != IPPROTO_UDP &&
	    p->protocol != IPPROTO_SCTP)
		return false;
	pcc_addr_copy(&k->caddr, &p->saddr, p->af);
	pcc_addr_copy(&k->vaddr, &p->daddr, p->af);
	k->cport = p->sport;
	k->vport = p->dport;
	k->protocol = p->protocol;
	k->v6 = p->af == AF_INET6;
	k->af = p->af;
	return true;
}

static enum pcc_action forward(struct pcc_verdict *v, const struct pcc_conn *c)
{
	const struct pcc_dest *d = c->dest;

	v->action = PCC_FORWARD;
	v->fwd = c->fwd;
	v->af = c->v6 ? AF_INET6 : AF_INET;
	v->dport = pcc_dest_port(d, c->vport);
	v->daddr = d->addr;
	return PCC_FORWARD;
}

static enum pcc_action drop(struct pcc_verdict *v, enum pcc_drop_reason why)
{
	v->action = PCC_DROP;
	v->reason = why;
	return PCC_DROP;
}

static enum pcc_action drop_errno(struct pcc_table *t, struct pcc_verdict *v, int err)
{
	switch (err) {
	case -ENOENT:
		pcc_atomic64_inc(&t->no_tpl_drops);
		return drop(v, PCC_DROP_NO_TEMPLATE);
	case -ENOSPC:
		return drop(v, PCC_DROP_TPL_FULL);
	default:
		return drop(v, PCC_DROP_NO_DEST);
	}
}

/* Where a new flow goes: through the template, or the scheduler. */
static int new_dest(struct pcc_table *t, struct pcc_svc *svc, const struct pcc_key *k,
		    bool restore, u64 now, struct pcc_tpl **tpl, struct pcc_dest **d)
{
	struct pcc_dom *dom = pcc_rcu_dereference(svc->dom);
	bool mh = pcc_rcu_dereference(svc->dset)->ops == &pcc_sched_mh;
	struct pcc_sched_in in = { &k->caddr, k->cport, k->af, PCC_READ_ONCE(svc->flags) };
	union pcc_addr masked;

	*tpl = NULL;
	if (dom) {
		pcc_addr_mask(&masked, &k->caddr, k->af, PCC_READ_ONCE(dom->name.netmask));
		in.addr = &masked;
		in.port = 0;
		return pcc_tpl_hold(t, svc, dom, &in, !restore || mh, now, tpl, d);
	}
	if (restore && !mh)
		return -ENOENT;
	*d = pcc_sched_pick(svc, &in);
	return *d ? 0 : -EHOSTUNREACH;
}

static void count_new(struct pcc_conn *c, const struct pcc_pkt *p)
{
	struct pcc_dest *d = c->dest;

	pcc_this_cpu_add(d->cnt->conns, 1);
	pcc_this_cpu_add(d->svc->cnt->conns, 1);
	pcc_this_cpu_add(d->cnt->inpkts, 1);
	pcc_this_cpu_add(d->cnt->inbytes, p->len);
	pcc_this_cpu_add(d->svc->cnt->inpkts, 1);
	pcc_this_cpu_add(d->svc->cnt->inbytes, p->len);
}

/* The connection could not be inserted: give the template back. */
static enum pcc_action new_failed(struct pcc_table *t, const struct pcc_pkt *p,
				  const struct pcc_key *k, struct pcc_tpl *tpl, int err, u64 now,
				  struct pcc_verdict *v)
{
	struct pcc_conn *c;

	if (tpl)
		pcc_tpl_put(t, tpl, now);
	/* Another CPU created it first: follow that one. */
	c = err == -EEXIST ? pcc_conn_find(t, k, pcc_hash_conn(t, k)) : NULL;
	if (!c)
		return drop(v, err == -ENOSPC ? PCC_DROP_CONN_FULL : PCC_DROP_NO_DEST);
	pcc_conn_input(t, c, p, now);
	return forward(v, c);
}

static enum pcc_action decide_new(struct pcc_table *t, const struct pcc_pkt *p,
				  const struct pcc_key *k, u64 now, struct pcc_verdict *v)
{
	struct pcc_svc *svc = pcc_svc_match(t, k, p->fwmark);
	bool restore = p->protocol == IPPROTO_TCP && !pkt_syn(p);
	u8 state = restore ? PCCVS_CS_ESTABLISHED :
			     p->protocol == IPPROTO_TCP ? PCCVS_CS_SYN_RECV : PCCVS_CS_UDP;
	struct pcc_tpl *tpl;
	struct pcc_dest *d;
	struct pcc_conn *c;
	int err;

	if (!svc)
		return PCC_PASS;
	err = new_dest(t, svc, k, restore, now, &tpl, &d);
	if (err)
		return drop_errno(t, v, err);
	err = pcc_conn_new(t, k, d, tpl, state, restore ? PCCVS_CONN_F_RESTORED : 0, now, &c);
	if (err)
		return new_failed(t, p, k, tpl, err, now, v);
	if (restore) {
		pcc_atomic64_inc(&t->restored);
		pcc_this_cpu_add(d->cnt->conns, 1);
		pcc_this_cpu_add(d->svc->cnt->conns, 1);
		pcc_conn_input(t, c, p, now);	/* a FIN or RST moves it on */
	} else {
		count_new(c, p);
	}
	return forward(v, c);
}

/* Where a firewall mark may still change the decision (see pcc_core.h). */
enum pcc_stage { PCC_STAGE_ALL, PCC_STAGE_EARLY, PCC_STAGE_LATE };

static enum pcc_action decide(struct pcc_table *t, const struct pcc_pkt *p, u64 now,
			      struct pcc_verdict *v, enum pcc_stage stage)
{
	enum pcc_action a;
	struct pcc_conn *c;
	struct pcc_key k;

	memset(v, 0, sizeof(*v));
	if (!pkt_key(&k, p))
		return PCC_PASS;
	pcc_rcu_read_lock();
	c = pcc_conn_find(t, &k, pcc_hash_conn(t, &k));
	if (c && pcc_unlikely(pkt_syn(p)) && pcc_conn_reusable(c)) {
		/* Port reuse: a new connection, through the template if any. */
		if (stage == PCC_STAGE_EARLY) {
			a = PCC_PASS;	/* decided once the mark is final */
			goto out;
		}
		pcc_conn_kill(t, c, now);
		c = NULL;
	}
	if (pcc_likely(c)) {
		/* Late: the early stage has followed it (a real server on
		 * this host, or another CPU created it meanwhile). */
		if (stage != PCC_STAGE_LATE)
			pcc_conn_input(t, c, p, now);
		a = forward(v, c);
	} else if (stage == PCC_STAGE_EARLY) {
		a = PCC_PASS;
	} else {
		a = decide_new(t, p, &k, now, v);
	}
out:
	pcc_rcu_read_unlock();
	return a;
}

enum pcc_action pcc_decide(struct pcc_table *t, const struct pcc_pkt *p, u64 now,
			   struct pcc_verdict *v)
{
	return decide(t, p, now, v, PCC_STAGE_ALL);
}

enum pcc_action pcc_decide_early(struct pcc_table *t, const struct pcc_pkt *p, u64 now,
				 struct pcc_verdict *v)
{
	return decide(t, p, now, v,
		      PCC_READ_ONCE(t->fwm_count) ? PCC_STAGE_EARLY : PCC_STAGE_ALL);
}

enum pcc_action pcc_decide_late(struct pcc_table *t, const struct pcc_pkt *p, u64 now,
				struct pcc_verdict *v)
{
	return decide(t, p, now, v, PCC_STAGE_LATE);
}

/* The verdict for the reply direction of c (NAT: the VIP to restore). */
static enum pcc_action reply_verdict(struct pcc_verdict *v, const struct pcc_conn *c)
{
	forward(v, c);
	v->action = PCC_REPLY;
	v->vaddr = c->vaddr;
	v->vport = c->vport;
	return PCC_REPLY;
}

enum pcc_action pcc_decide_reply(struct pcc_table *t, const struct pcc_pkt *p, u64 now,
				 struct pcc_verdict *v)
{
	struct pcc_conn *c;

	memset(v, 0, sizeof(*v));
	if (!pcc_af_ok(p->af))
		return PCC_PASS;
	pcc_rcu_read_lock();
	c = pcc_conn_find_reply(t, p);
	if (c) {
		pcc_conn_output(t, c, p, now);
		reply_verdict(v, c);
	}
	pcc_rcu_read_unlock();
	return c ? PCC_REPLY : PCC_PASS;
}

enum pcc_action pcc_decide_related(struct pcc_table *t, const struct pcc_pkt *p, u64 now,
				   struct pcc_verdict *v)
{
	enum pcc_action a = PCC_PASS;
	struct pcc_conn *c;
	struct pcc_key k;

	memset(v, 0, sizeof(*v));
	if (!pkt_key(&k, p))
		return PCC_PASS;
	pcc_rcu_read_lock();
	c = pcc_conn_find(t, &k, pcc_hash_conn(t, &k));
	if (c) {
		pcc_conn_count(c, p, false);
		a = forward(v, c);
		v->vaddr = c->vaddr;
		v->vport = c->vport;
	}
	pcc_rcu_read_unlock();
	return a;
}

enum pcc_action pcc_decide_related_reply(struct pcc_table *t, const struct pcc_pkt *p, u64 now,
					 struct pcc_verdict *v)
{
	struct pcc_conn *c;

	memset(v, 0, sizeof(*v));
	if (!pcc_af_ok(p->af))
		return PCC_PASS;
	pcc_rcu_read_lock();
	c = pcc_conn_find_reply(t, p);
	if (c) {
		pcc_conn_count(c, p, true);
		reply_verdict(v, c);
	}
	pcc_rcu_read_unlock();
	return c ? PCC_REPLY : PCC_PASS;
}

bool pcc_has_nat(struct pcc_table *t)
{
	return pcc_atomic_read(&t->nat_dests) > 0;
}

bool pcc_has_fwmark(struct pcc_table *t)
{
	return PCC_READ_ONCE(t->fwm_count) > 0;
}
