/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pccvs.h: what the glue files of pccvs.ko share: the per-namespace state
 * and each subsystem's entry points. The forwarding decisions live in the
 * core (core/pcc_core.h); the glue parses, transmits, ticks and talks.
 */
#ifndef _PCCVS_H
#define _PCCVS_H

#include <linux/jiffies.h>
#include <linux/mutex.h>
#include <linux/skbuff.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include "pcc_core.h"

#ifndef PCCVS_VERSION
#define PCCVS_VERSION "0.1.0"
#endif

struct net;
struct genl_family;

/* Index of the event group in the family's mcgrps[]. */
#define PCCVS_MCGRP_EVENTS_IDX 0

/* Template events of one namespace, batched into multicast messages. */
struct pccvs_events {
	spinlock_t lock;
	struct sk_buff *skb;		/* batch being filled, NULL if none */
	struct nlattr *seq_attr;	/* its EV_SEQ, set when it is closed */
	void *hdr;
	u32 count;			/* events in skb */
	struct sk_buff_head ready;	/* closed batches, in EV_SEQ order */
	u64 seq;			/* EV_SEQ of the last closed batch */
	u64 lost;			/* events dropped for want of memory */
	struct work_struct work;	/* sends closed batches */
	struct net *net;
};

/* Routes to real servers (pccvs_route.c). */
#define PCCVS_RT_BUCKETS 64
struct pccvs_rtcache {
	spinlock_t lock;
	bool dead;
	unsigned int count;
	struct hlist_head head[PCCVS_RT_BUCKETS];
};

struct pccvs_net {
	struct net *net;
	/*
	 * Serialises every call into the core that the core wants serialised:
	 * configuration, injection, dumps, the tick, table creation, and
	 * switching the hooks.
	 */
	struct mutex lock;
	/* Created on first use, freed at namespace exit, after the hooks are
	 * gone: the packet path reads it without a lock. */
	struct pcc_table *table;
	bool active;			/* hooks registered, tick running */
	bool mark_hooks;		/* the hook after mangle too (fwmark) */
	struct delayed_work tick;
	struct pccvs_events ev;
	struct pccvs_rtcache rt;
};

/* A parsed packet: what the core needs plus where L4 starts. For an ICMP
 * error (icmp), p describes the embedded packet's flow from the other side
 * (addresses and ports swapped), ioff and il4off locate its IP header and
 * its ports; thoff is the ICMP header's. */
struct pccvs_pkt {
	struct pcc_pkt p;
	unsigned int thoff;
	bool icmp;
	unsigned int ioff, il4off;
};

extern struct workqueue_struct *pccvs_wq;
extern struct genl_family pccvs_genl_family;

/* The core's clock: monotonic milliseconds. */
static inline u64 pccvs_now(void)
{
	return jiffies64_to_msecs(get_jiffies_64());
}

/* pccvs_net.c */
int pccvs_net_init(void);
void pccvs_net_uninit(void);
struct pccvs_net *pccvs_pernet(const struct net *net);
struct pcc_table *pccvs_net_table(struct pccvs_net *pn, int *err);
int pccvs_net_activate(struct pccvs_net *pn, bool fwmark);
void pccvs_net_sync(struct pccvs_net *pn);

/* pccvs_hooks.c */
int pccvs_hooks_register(struct net *net);
void pccvs_hooks_unregister(struct net *net);
int pccvs_mark_hooks_register(struct net *net);
void pccvs_mark_hooks_unregister(struct net *net);

/* pccvs_route.c */
struct dst_entry;
int pccvs_route_init(void);
void pccvs_route_uninit(void);
void pccvs_route_init_ns(struct pccvs_rtcache *c);
void pccvs_route_uninit_ns(struct pccvs_rtcache *c);
void pccvs_route_flush(struct pccvs_rtcache *c);
struct dst_entry *pccvs_route(struct net *net, u16 af,
			      const union pcc_addr *daddr, u32 mark,
			      bool known_nh, union pcc_addr *saddr, bool *noref);

/* pccvs_xmit.c */
unsigned int pccvs_xmit(struct net *net, struct sk_buff *skb,
			const struct pccvs_pkt *pk, const struct pcc_verdict *v);
unsigned int pccvs_xmit_reply(struct sk_buff *skb, const struct pccvs_pkt *pk,
			      const struct pcc_verdict *v);
unsigned int pccvs_xmit_icmp(struct net *net, struct sk_buff *skb,
			     const struct pccvs_pkt *pk, const struct pcc_verdict *v);
unsigned int pccvs_xmit_icmp_reply(struct sk_buff *skb, const struct pccvs_pkt *pk,
				   const struct pcc_verdict *v);

/* pccvs_genl.c */
int pccvs_genl_init(void);
void pccvs_genl_uninit(void);
int pccvs_genl_put_tpl(struct sk_buff *skb, const struct pcc_tpl_info *t,
		       u8 event);

/* pccvs_events.c */
extern const struct pcc_event_ops pccvs_event_ops;
void pccvs_events_init(struct pccvs_events *ev, struct net *net);
void pccvs_events_uninit(struct pccvs_events *ev);
void pccvs_events_start(void);
void pccvs_events_stop(void);

#endif /* _PCCVS_H */
