// SPDX-License-Identifier: GPL-2.0
/*
 * pcc_stats.c: per-CPU counters of services and dests, and the rate
 * estimator the tick runs every 2 s over them (few objects, no table scan).
 */
#include "pcc_int.h"

int pcc_counters_alloc(struct pcc_counters __pcc_percpu **cnt)
{
	*cnt = pcc_alloc_percpu(struct pcc_counters);
	return *cnt ? 0 : -ENOMEM;
}

void pcc_counters_sum(struct pcc_counters __pcc_percpu *cnt, struct pcc_counters *out)
{
	const struct pcc_counters *c;
	unsigned int cpu;

	memset(out, 0, sizeof(*out));
	pcc_for_each_cpu(cpu) {
		c = pcc_per_cpu_ptr(cnt, cpu);
		out->conns += PCC_READ_ONCE(c->conns);
		out->inpkts += PCC_READ_ONCE(c->inpkts);
		out->outpkts += PCC_READ_ONCE(c->outpkts);
		out->inbytes += PCC_READ_ONCE(c->inbytes);
		out->outbytes += PCC_READ_ONCE(c->outbytes);
	}
}

void pcc_counters_zero(struct pcc_counters __pcc_percpu *cnt, struct pcc_est *est)
{
	unsigned int cpu;

	pcc_for_each_cpu(cpu)
		memset(pcc_per_cpu_ptr(cnt, cpu), 0, sizeof(struct pcc_counters));
	memset(est, 0, sizeof(*est));
}

void pcc_stats_fill(struct pcc_counters __pcc_percpu *cnt, const struct pcc_est *est,
		    struct pcc_stats *out)
{
	struct pcc_counters c;

	pcc_counters_sum(cnt, &c);
	out->conns = c.conns;
	out->inpkts = c.inpkts;
	out->outpkts = c.outpkts;
	out->inbytes = c.inbytes;
	out->outbytes = c.outbytes;
	out->cps = est->cps;
	out->inpps = est->inpps;
	out->outpps = est->outpps;
	out->inbps = est->inbps;
	out->outbps = est->outbps;
}

/* Per second over the last window, saturating at u32. */
static u32 est_rate(u64 now, u64 last, u32 ms)
{
	u64 r = now > last ? pcc_div_u64((now - last) * 1000, ms) : 0;

	return r > 0xffffffffULL ? 0xffffffffU : (u32)r;
}

static void est_sample(struct pcc_counters __pcc_percpu *cnt, struct pcc_est *est, u32 ms)
{
	struct pcc_counters c;

	pcc_counters_sum(cnt, &c);
	est->cps = est_rate(c.conns, est->last.conns, ms);
	est->inpps = est_rate(c.inpkts, est->last.inpkts, ms);
	est->outpps = est_rate(c.outpkts, est->last.outpkts, ms);
	est->inbps = est_rate(c.inbytes, est->last.inbytes, ms);
	est->outbps = est_rate(c.outbytes, est->last.outbytes, ms);
	est->last = c;
}

void pcc_est_run(struct pcc_table *t, u64 now)
{
	u64 span = now - t->est_last;
	u32 ms = span > 0xffffffffULL ? 0xffffffffU : (u32)span;
	struct pcc_svc *s;
	struct pcc_dest *d;

	t->est_last = now;
	pcc_rcu_read_lock();
	pcc_hlist_for_each_entry_rcu(s, &t->svc_list, lnode) {
		est_sample(s->cnt, &s->est, ms);
		pcc_hlist_for_each_entry_rcu(d, &s->dests, node)
			est_sample(d->cnt, &d->est, ms);
	}
	pcc_rcu_read_unlock();
}

static void svc_zero(struct pcc_svc *s)
{
	struct pcc_dest *d;

	pcc_counters_zero(s->cnt, &s->est);
	pcc_hlist_for_each_entry(d, &s->dests, node)
		pcc_counters_zero(d->cnt, &d->est);
}

int pcc_zero(struct pcc_table *t, const struct pcc_svc_key *k)
{
	struct pcc_svc_key nk;
	struct pcc_svc *s;
	int ret;

	if (!k) {
		pcc_hlist_for_each_entry(s, &t->svc_list, lnode)
			svc_zero(s);
		return 0;
	}
	ret = pcc_svc_key_norm(&nk, k, NULL);
	if (ret)
		return ret;
	s = pcc_svc_find(t, &nk);
	if (!s)
		return -ENOENT;
	svc_zero(s);
	return 0;
}
