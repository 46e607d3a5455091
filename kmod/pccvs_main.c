// SPDX-License-Identifier: GPL-2.0
/*
 * pccvs_main.c: module init and exit, a table of contents of the module.
 */
#include <linux/module.h>
#include <linux/rcupdate.h>
#include <net/genetlink.h>
#include "pccvs.h"

struct workqueue_struct *pccvs_wq;

static int __init pccvs_init(void)
{
	int ret;

	/* Ticks and event batches; unbound: neither is tied to a CPU. */
	pccvs_wq = alloc_workqueue("pccvs", WQ_UNBOUND | WQ_MEM_RECLAIM, 0);
	if (!pccvs_wq)
		return -ENOMEM;
	ret = pccvs_net_init();
	if (ret < 0)
		goto err_net;
	ret = pccvs_route_init();
	if (ret < 0)
		goto err_route;
	pccvs_events_start();
	ret = pccvs_genl_init();
	if (ret < 0)
		goto err_genl;
	pr_info("version %s loaded\n", PCCVS_VERSION);
	return 0;

err_genl:
	pccvs_events_stop();
	pccvs_route_uninit();
err_route:
	pccvs_net_uninit();
err_net:
	destroy_workqueue(pccvs_wq);
	return ret;
}

static void __exit pccvs_exit(void)
{
	/*
	 * Order matters: no event may be sent through a family that is gone
	 * (events stop first), no request may reach a namespace whose state
	 * is gone (the family goes before the pernet state, and waits for
	 * requests in flight; so does the device notifier, which flushes
	 * route caches), and the pernet exit removes the hooks and waits for
	 * packets in flight before it frees the tables.
	 */
	pccvs_events_stop();
	pccvs_genl_uninit();
	pccvs_route_uninit();
	pccvs_net_uninit();
	rcu_barrier();		/* call_rcu() callbacks: the core's, the routes' */
	destroy_workqueue(pccvs_wq);
	pr_info("unloaded\n");
}

module_init(pccvs_init);
module_exit(pccvs_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("pccvs: clustered L4 load balancer with replicated persistence");
MODULE_VERSION(PCCVS_VERSION);
MODULE_ALIAS_GENL_FAMILY(PCCVS_GENL_NAME);
