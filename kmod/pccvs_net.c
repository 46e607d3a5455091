// SPDX-License-Identifier: GPL-2.0
/*
 * pccvs_net.c: per network namespace state. Each namespace gets its own
 * table (created on first use), its own configuration lock, its own tick
 * and its own event stream; the hooks and the tick run only while the
 * namespace has a service.
 */
#include <linux/cpumask.h>
#include <linux/module.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>
#include "pccvs.h"

static unsigned int conn_hash_bits;
module_param(conn_hash_bits, uint, 0444);
MODULE_PARM_DESC(conn_hash_bits, "connection hash buckets (log2) per namespace, 0 = from the limit");
static unsigned int tpl_hash_bits;
module_param(tpl_hash_bits, uint, 0444);
MODULE_PARM_DESC(tpl_hash_bits, "template hash buckets (log2) per namespace, 0 = from the limit");

/* Objects the tick may expire per run; the rest waits a jiffy. */
#define PCCVS_TICK_BUDGET 4096

static unsigned int pccvs_net_id __read_mostly;

struct pccvs_net *pccvs_pernet(const struct net *net)
{
	return net_generic(net, pccvs_net_id);
}

static void tick_work(struct work_struct *work)
{
	struct pccvs_net *pn = container_of(to_delayed_work(work),
					    struct pccvs_net, tick);
	unsigned long delay = msecs_to_jiffies(PCC_TICK_MS);
	u32 due;

	mutex_lock(&pn->lock);
	if (pn->active) {
		due = pcc_tick(pn->table, pccvs_now(), PCCVS_TICK_BUDGET);
		if (due)
			delay = 1;
		queue_delayed_work(pccvs_wq, &pn->tick, delay);
	}
	mutex_unlock(&pn->lock);
}

/* The namespace's table, created on first use. Called with pn->lock. */
struct pcc_table *pccvs_net_table(struct pccvs_net *pn, int *err)
{
	struct pcc_table_conf conf = {
		.conn_hash_bits = min(conn_hash_bits, 30U),
		.tpl_hash_bits = min(tpl_hash_bits, 30U),
		.nwheels = min_t(unsigned int, num_possible_cpus(), 64),
		.ev_ops = &pccvs_event_ops,
		.ev_ctx = pn,
	};
	struct pcc_table *t;

	lockdep_assert_held(&pn->lock);
	if (pn->table)
		return pn->table;
	*err = pcc_table_create(&t, &conf, pccvs_now());
	if (*err)
		return NULL;
	WRITE_ONCE(pn->table, t);
	return t;
}

/*
 * Hooks and tick on, before the first service is added; fwmark: before a
 * fwmark service is added, the hook after mangle too (the first hook
 * leaves new flows to it from then on). pn->lock held.
 */
int pccvs_net_activate(struct pccvs_net *pn, bool fwmark)
{
	int ret;

	lockdep_assert_held(&pn->lock);
	if (!pn->active) {
		ret = pccvs_hooks_register(pn->net);
		if (ret)
			return ret;
		pn->active = true;
		queue_delayed_work(pccvs_wq, &pn->tick, msecs_to_jiffies(PCC_TICK_MS));
	}
	if (fwmark && !pn->mark_hooks) {
		ret = pccvs_mark_hooks_register(pn->net);
		if (ret)
			return ret;	/* pccvs_net_sync() undoes the rest */
		pn->mark_hooks = true;
	}
	return 0;
}

static void mark_hooks_off(struct pccvs_net *pn)
{
	if (!pn->mark_hooks)
		return;
	pn->mark_hooks = false;
	pccvs_mark_hooks_unregister(pn->net);
}

static void deactivate(struct pccvs_net *pn)
{
	mark_hooks_off(pn);
	if (!pn->active)
		return;
	pn->active = false;
	pccvs_hooks_unregister(pn->net);	/* waits for packets in flight */
	cancel_delayed_work(&pn->tick);		/* a running tick sees !active */
	pccvs_route_flush(&pn->rt);
}

/* After a configuration change: the hook after mangle off once the last
 * fwmark service is gone, every hook once the last service is. */
void pccvs_net_sync(struct pccvs_net *pn)
{
	lockdep_assert_held(&pn->lock);
	if (!pn->table)
		return;
	if (!pcc_svc_count(pn->table))
		deactivate(pn);
	else if (!pcc_has_fwmark(pn->table))
		mark_hooks_off(pn);
}

static int __net_init pccvs_net_init_ns(struct net *net)
{
	struct pccvs_net *pn = pccvs_pernet(net);

	pn->net = net;
	mutex_init(&pn->lock);
	INIT_DELAYED_WORK(&pn->tick, tick_work);
	pccvs_events_init(&pn->ev, net);
	pccvs_route_init_ns(&pn->rt);
	return 0;
}

/*
 * Teardown with traffic flowing: unregistering the hooks waits for every
 * packet inside them (synchronize_net), the tick is cancelled, then the
 * table is destroyed (no event), and last the pending event batches are
 * dropped. No request can be in flight: the namespace has no socket left,
 * or the module is going and the family is already unregistered.
 */
static void __net_exit pccvs_net_exit_ns(struct net *net)
{
	struct pccvs_net *pn = pccvs_pernet(net);

	mutex_lock(&pn->lock);
	deactivate(pn);
	mutex_unlock(&pn->lock);
	cancel_delayed_work_sync(&pn->tick);
	pccvs_route_uninit_ns(&pn->rt);
	if (pn->table)
		pcc_table_destroy(pn->table);
	pn->table = NULL;
	pccvs_events_uninit(&pn->ev);
	mutex_destroy(&pn->lock);
}

static struct pernet_operations pccvs_net_ops = {
	.init = pccvs_net_init_ns,
	.exit = pccvs_net_exit_ns,
	.id = &pccvs_net_id,
	.size = sizeof(struct pccvs_net),
};

int pccvs_net_init(void)
{
	return register_pernet_subsys(&pccvs_net_ops);
}

void pccvs_net_uninit(void)
{
	unregister_pernet_subsys(&pccvs_net_ops);
}
