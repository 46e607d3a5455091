// SPDX-License-Identifier: GPL-2.0
/*
 * pccvs_route.c: routes to real servers, cached per namespace.
 *
 * A direct-routing route (FLOWI_FLAG_KNOWN_NH) is not cached by the FIB:
 * looking it up allocates a dst per packet. So, like IPVS's per-dest
 * cache, each namespace keeps the routes it used, keyed by (family,
 * address, mark, kind). Readers run under RCU and borrow the entry's dst
 * without a reference (skb_dst_set_noref: the stack takes one if the
 * packet outlives the RCU section). An entry whose dst no longer checks
 * out is replaced; every entry goes when a device of the namespace goes
 * down or away (the dst may pin it), when real servers are removed, and
 * at namespace exit. Freed entries drop their dst after a grace period.
 */
#include <linux/hash.h>
#include <linux/log2.h>
#include <linux/netdevice.h>
#include <linux/slab.h>
#include <net/addrconf.h>
#include <net/dst.h>
#include <net/ip6_fib.h>
#include <net/ip6_route.h>
#include <net/route.h>
#include "pccvs.h"

#define RT_MAX 1024	/* entries per namespace; beyond, no caching */

struct rt_entry {
	struct hlist_node node;
	struct rcu_head rcu;
	struct dst_entry *dst;	/* one reference */
	u32 cookie;
	u32 mark;
	u16 af;
	bool known_nh;
	union pcc_addr daddr;
	union pcc_addr saddr;
};

/* Per packet: a multiplicative hash of the address words (the cache holds
 * a few real servers; the mark and kind are usually constant). */
static u32 rt_hash(u16 af, const union pcc_addr *a, u32 mark, bool known_nh)
{
	u32 h = (__force u32)(a->ip6[0] ^ a->ip6[1] ^ a->ip6[2] ^ a->ip6[3]);

	return hash_32(h ^ mark ^ ((u32)af << 1) ^ known_nh, ilog2(PCCVS_RT_BUCKETS));
}

static bool rt_match(const struct rt_entry *e, u16 af,
		     const union pcc_addr *a, u32 mark, bool known_nh)
{
	const __be32 *x = e->daddr.ip6, *y = a->ip6;

	return !((x[0] ^ y[0]) | (x[1] ^ y[1]) | (x[2] ^ y[2]) | (x[3] ^ y[3])) &&
	       e->mark == mark &&
	       e->af == af && e->known_nh == known_nh;
}

static struct dst_entry *lookup4(struct net *net, const union pcc_addr *daddr,
				 u32 mark, bool known_nh, union pcc_addr *saddr)
{
	struct flowi4 fl4 = {
		.daddr = daddr->ip,
		.flowi4_mark = mark,
		.flowi4_flags = known_nh ? FLOWI_FLAG_KNOWN_NH : 0,
	};
	struct rtable *rt = ip_route_output_key(net, &fl4);

	if (IS_ERR(rt))
		return NULL;
	memset(saddr, 0, sizeof(*saddr));
	saddr->ip = fl4.saddr;
	return &rt->dst;
}

static struct dst_entry *lookup6(struct net *net, const union pcc_addr *daddr,
				 u32 mark, bool known_nh, union pcc_addr *saddr)
{
	struct flowi6 fl6 = {
		.flowi6_mark = mark,
		.flowi6_flags = known_nh ? FLOWI_FLAG_KNOWN_NH : 0,
	};
	struct in6_addr src;
	struct dst_entry *dst;

	memcpy(&fl6.daddr, daddr->b, sizeof(fl6.daddr));
	dst = ip6_route_output(net, NULL, &fl6);
	if (dst->error ||
	    ipv6_dev_get_saddr(net, ip6_dst_idev(dst)->dev, &fl6.daddr, 0, &src)) {
		dst_release(dst);
		return NULL;
	}
	memcpy(saddr->b, &src, sizeof(src));
	return dst;
}

static void rt_free_rcu(struct rcu_head *head)
{
	struct rt_entry *e = container_of(head, struct rt_entry, rcu);

	dst_release(e->dst);
	kfree(e);
}

/* Unlink and free after a grace period. Called with c->lock. */
static void rt_drop(struct pccvs_rtcache *c, struct rt_entry *e)
{
	hlist_del_rcu(&e->node);
	c->count--;
	call_rcu(&e->rcu, rt_free_rcu);
}

/* Cache a fresh route (taking over its reference), or not. */
static bool rt_insert(struct pccvs_rtcache *c, struct dst_entry *dst, u16 af,
		      const union pcc_addr *daddr, u32 mark, bool known_nh,
		      const union pcc_addr *saddr)
{
	u32 h = rt_hash(af, daddr, mark, known_nh);
	struct hlist_node *tmp;
	struct rt_entry *e, *old;

	e = kzalloc(sizeof(*e), GFP_ATOMIC | __GFP_NOWARN);
	if (!e)
		return false;
	e->dst = dst;
	e->cookie = af == AF_INET6 ? rt6_get_cookie((struct rt6_info *)dst) : 0;
	e->mark = mark;
	e->af = af;
	e->known_nh = known_nh;
	e->daddr = *daddr;
	e->saddr = *saddr;

	spin_lock_bh(&c->lock);
	hlist_for_each_entry_safe(old, tmp, &c->head[h], node)
		if (rt_match(old, af, daddr, mark, known_nh))
			rt_drop(c, old);
	if (c->dead || c->count >= RT_MAX) {
		spin_unlock_bh(&c->lock);
		kfree(e);
		return false;
	}
	hlist_add_head_rcu(&e->node, &c->head[h]);
	c->count++;
	spin_unlock_bh(&c->lock);
	return true;
}

/*
 * The route to a real server, under rcu_read_lock(). *noref says how to
 * attach it: true, borrowed from the cache (skb_dst_set_noref, nothing to
 * release); false, our own reference (skb_dst_set, or dst_release).
 * saddr: the source address the route chose (for tunnels).
 */
struct dst_entry *pccvs_route(struct net *net, u16 af,
			      const union pcc_addr *daddr, u32 mark,
			      bool known_nh, union pcc_addr *saddr, bool *noref)
{
	struct pccvs_rtcache *c = &pccvs_pernet(net)->rt;
	union pcc_addr key = {};
	struct dst_entry *dst;
	struct rt_entry *e;
	u32 h;

	/* Only the family's bytes count: the rest of daddr is not ours. */
	memcpy(key.b, daddr->b, af == AF_INET ? 4 : 16);
	daddr = &key;
	h = rt_hash(af, daddr, mark, known_nh);
	hlist_for_each_entry_rcu(e, &c->head[h], node) {
		if (!rt_match(e, af, daddr, mark, known_nh))
			continue;
		if (!dst_check(e->dst, e->cookie))
			break;
		*saddr = e->saddr;
		*noref = true;
		return e->dst;
	}
	dst = af == AF_INET ? lookup4(net, daddr, mark, known_nh, saddr) :
			      lookup6(net, daddr, mark, known_nh, saddr);
	if (!dst)
		return NULL;
	/* The cache keeps our reference; the packet borrows it. */
	*noref = rt_insert(c, dst, af, daddr, mark, known_nh, saddr);
	return dst;
}

void pccvs_route_flush(struct pccvs_rtcache *c)
{
	struct hlist_node *tmp;
	struct rt_entry *e;
	int i;

	spin_lock_bh(&c->lock);
	for (i = 0; i < PCCVS_RT_BUCKETS; i++)
		hlist_for_each_entry_safe(e, tmp, &c->head[i], node)
			rt_drop(c, e);
	spin_unlock_bh(&c->lock);
}

void pccvs_route_init_ns(struct pccvs_rtcache *c)
{
	int i;

	spin_lock_init(&c->lock);
	for (i = 0; i < PCCVS_RT_BUCKETS; i++)
		INIT_HLIST_HEAD(&c->head[i]);
}

/* Namespace exit, hooks gone: empty, and refuse new entries. */
void pccvs_route_uninit_ns(struct pccvs_rtcache *c)
{
	spin_lock_bh(&c->lock);
	c->dead = true;
	spin_unlock_bh(&c->lock);
	pccvs_route_flush(c);
}

/* A cached dst may pin its device: let go when a device goes down. */
static int netdev_event(struct notifier_block *nb, unsigned long event,
			void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);

	if (event == NETDEV_DOWN || event == NETDEV_UNREGISTER)
		pccvs_route_flush(&pccvs_pernet(dev_net(dev))->rt);
	return NOTIFY_DONE;
}

static struct notifier_block pccvs_netdev_nb = {
	.notifier_call = netdev_event,
};

int pccvs_route_init(void)
{
	return register_netdevice_notifier(&pccvs_netdev_nb);
}

void pccvs_route_uninit(void)
{
	unregister_netdevice_notifier(&pccvs_netdev_nb);
}
