// SPDX-License-Identifier: GPL-2.0
/*
 * pccvs_events.c: template events, batched per namespace into multicast
 * messages of the "events" group.
 *
 * The core reports an event from the packet path or a configuration call;
 * it is appended to the namespace's open batch (one skb, many PCCVS_A_TPL
 * nests). The first event of a batch queues the sender work, so a lone
 * event leaves within a work item's latency; under load more events pile
 * into the batch meanwhile, and a full batch is closed and queued at once.
 * A batch gets its EV_SEQ when it is closed, and the single sender work
 * sends closed batches in that order. An event that finds no memory is
 * counted in EV_LOST and skips a sequence number, so listeners see a gap
 * and resynchronise.
 */
#include <net/genetlink.h>
#include "pccvs.h"

/* A batch is one 16 KiB allocation; the fallback a page. */
#define EV_BATCH_PAYLOAD (SKB_WITH_OVERHEAD(16384) - NLMSG_HDRLEN)

/* False while the family is not registered: batches are then dropped. */
static bool events_live;

static bool batch_open(struct pccvs_events *ev)
{
	struct sk_buff *skb;

	skb = nlmsg_new(EV_BATCH_PAYLOAD, GFP_ATOMIC | __GFP_NOWARN);
	if (!skb)
		skb = nlmsg_new(NLMSG_DEFAULT_SIZE, GFP_ATOMIC | __GFP_NOWARN);
	if (!skb)
		return false;
	ev->hdr = genlmsg_put(skb, 0, 0, &pccvs_genl_family, 0,
			      PCCVS_CMD_TPL_EVENT);
	ev->seq_attr = ev->hdr ? nla_reserve_64bit(skb, PCCVS_A_EV_SEQ,
						   sizeof(u64), PCCVS_A_PAD) : NULL;
	if (!ev->seq_attr) {
		nlmsg_free(skb);
		return false;
	}
	ev->skb = skb;
	ev->count = 0;
	return true;
}

static void batch_close(struct pccvs_events *ev)
{
	u64 seq = ++ev->seq;

	memcpy(nla_data(ev->seq_attr), &seq, sizeof(seq));
	genlmsg_end(ev->skb, ev->hdr);
	__skb_queue_tail(&ev->ready, ev->skb);
	ev->skb = NULL;
}

static void tpl_event(void *ctx, enum pccvs_tpl_event type,
		      const struct pcc_tpl_info *tpl)
{
	struct pccvs_net *pn = ctx;
	struct pccvs_events *ev = &pn->ev;

	if (!genl_has_listeners(&pccvs_genl_family, ev->net,
				PCCVS_MCGRP_EVENTS_IDX))
		return;
	spin_lock_bh(&ev->lock);
	if (ev->skb && !pccvs_genl_put_tpl(ev->skb, tpl, type))
		goto added;
	if (ev->skb)
		batch_close(ev);	/* full */
	if (!batch_open(ev))
		goto lost;
	if (pccvs_genl_put_tpl(ev->skb, tpl, type)) {
		nlmsg_free(ev->skb);
		ev->skb = NULL;
		goto lost;
	}
	queue_work(pccvs_wq, &ev->work);
added:
	ev->count++;
	spin_unlock_bh(&ev->lock);
	return;
lost:
	ev->lost++;
	ev->seq++;		/* the gap tells listeners */
	queue_work(pccvs_wq, &ev->work);
	spin_unlock_bh(&ev->lock);
}

const struct pcc_event_ops pccvs_event_ops = {
	.tpl_event = tpl_event,
};

static void send_work(struct work_struct *work)
{
	struct pccvs_events *ev = container_of(work, struct pccvs_events, work);
	struct sk_buff_head q;
	struct sk_buff *skb;

	__skb_queue_head_init(&q);
	spin_lock_bh(&ev->lock);
	if (ev->skb)
		batch_close(ev);
	skb_queue_splice_init(&ev->ready, &q);
	spin_unlock_bh(&ev->lock);

	while ((skb = __skb_dequeue(&q))) {
		if (READ_ONCE(events_live))
			/* -ESRCH (nobody listens) and a listener's full
			 * buffer (it sees ENOBUFS) are not our losses. */
			genlmsg_multicast_netns(&pccvs_genl_family, ev->net, skb,
						0, PCCVS_MCGRP_EVENTS_IDX,
						GFP_KERNEL);
		else
			kfree_skb(skb);
	}
}

void pccvs_events_init(struct pccvs_events *ev, struct net *net)
{
	spin_lock_init(&ev->lock);
	skb_queue_head_init(&ev->ready);
	INIT_WORK(&ev->work, send_work);
	ev->net = net;
}

/* Namespace exit: the table is gone, so no event can come any more. */
void pccvs_events_uninit(struct pccvs_events *ev)
{
	cancel_work_sync(&ev->work);
	if (ev->skb)
		nlmsg_free(ev->skb);
	ev->skb = NULL;
	skb_queue_purge(&ev->ready);
}

void pccvs_events_start(void)
{
	WRITE_ONCE(events_live, true);
}

/* Before the family is unregistered: let no sender touch it after. */
void pccvs_events_stop(void)
{
	WRITE_ONCE(events_live, false);
	flush_workqueue(pccvs_wq);
}
