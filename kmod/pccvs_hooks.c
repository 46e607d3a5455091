// SPDX-License-Identifier: GPL-2.0
/*
 * pccvs_hooks.c: where packets enter. Netfilter hooks, registered in a
 * namespace only while it has a service; each parses the packet, asks the
 * core, and acts on the verdict.
 */
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <linux/sctp.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/netfilter/ipv4/nf_defrag_ipv4.h>
#include <net/netfilter/ipv6/nf_defrag_ipv6.h>
#include "pccvs.h"

#define PCC_TCP_FLAGS (PCC_TCP_FIN | PCC_TCP_SYN | PCC_TCP_RST | PCC_TCP_ACK)

static int parse_l4(const struct sk_buff *skb, struct pccvs_pkt *pk)
{
	struct pcc_pkt *p = &pk->p;
	union {
		struct tcphdr tcp;
		struct udphdr udp;
		struct sctphdr sctp;
	} buf;
	const struct tcphdr *th;
	const struct udphdr *uh;
	const struct sctphdr *sh;

	switch (p->protocol) {
	case IPPROTO_TCP:
		th = skb_header_pointer(skb, pk->thoff, sizeof(*th), &buf);
		if (!th)
			return -EINVAL;
		p->sport = ntohs(th->source);
		p->dport = ntohs(th->dest);
		/* PCC_TCP_* are the bits of the TCP flag byte. */
		p->tcp_flags = ((const u8 *)th)[13] & PCC_TCP_FLAGS;
		return 0;
	case IPPROTO_UDP:
		uh = skb_header_pointer(skb, pk->thoff, sizeof(*uh), &buf);
		if (!uh)
			return -EINVAL;
		p->sport = ntohs(uh->source);
		p->dport = ntohs(uh->dest);
		return 0;
	case IPPROTO_SCTP:
		sh = skb_header_pointer(skb, pk->thoff, sizeof(*sh), &buf);
		if (!sh)
			return -EINVAL;
		p->sport = ntohs(sh->source);
		p->dport = ntohs(sh->dest);
		return 0;
	}
	return -EPROTONOSUPPORT;
}

/* The ports of the packet embedded in an ICMP error at il4off (the first
 * fragment: a later one has none), into pk->p swapped. */
static int parse_inner_l4(const struct sk_buff *skb, struct pccvs_pkt *pk, u8 proto)
{
	__be16 buf[2];
	const __be16 *ports;

	if (proto != IPPROTO_TCP && proto != IPPROTO_UDP && proto != IPPROTO_SCTP)
		return -EPROTONOSUPPORT;
	/* Ports sit at the same offsets in TCP, UDP and SCTP headers. */
	ports = skb_header_pointer(skb, pk->il4off, sizeof(buf), buf);
	if (!ports)
		return -EINVAL;
	pk->p.protocol = proto;
	pk->p.sport = ntohs(ports[1]);
	pk->p.dport = ntohs(ports[0]);
	pk->p.tcp_flags = 0;
	pk->icmp = true;
	return 0;
}

/*
 * An ICMP error (destination unreachable, fragmentation needed, source
 * quench, time exceeded, parameter problem) about a TCP/UDP/SCTP packet,
 * sent back to that packet's source: p becomes the flow of the embedded
 * packet seen from the other side. Anything else: -EPROTONOSUPPORT.
 */
static int parse_icmp4(const struct sk_buff *skb, struct pccvs_pkt *pk)
{
	struct icmphdr ibuf;
	struct iphdr cbuf;
	const struct icmphdr *ih;
	const struct iphdr *cih;

	/* Not a redirect: a route change is none of the real server's business. */
	ih = skb_header_pointer(skb, pk->thoff, sizeof(ibuf), &ibuf);
	if (!ih || !icmp_is_err(ih->type) || ih->type == ICMP_REDIRECT)
		return -EPROTONOSUPPORT;
	pk->ioff = pk->thoff + sizeof(*ih);
	cih = skb_header_pointer(skb, pk->ioff, sizeof(cbuf), &cbuf);
	if (!cih || cih->version != 4 || cih->ihl < 5 ||
	    cih->frag_off & htons(IP_OFFSET) || cih->saddr != pk->p.daddr.ip)
		return -EINVAL;
	pk->il4off = pk->ioff + cih->ihl * 4;
	pk->p.saddr.ip = cih->daddr;
	pk->p.daddr.ip = cih->saddr;
	return parse_inner_l4(skb, pk, cih->protocol);
}

static int parse_icmp6(const struct sk_buff *skb, struct pccvs_pkt *pk)
{
	struct icmp6hdr ibuf;
	struct ipv6hdr cbuf;
	const struct icmp6hdr *ih;
	const struct ipv6hdr *cih;
	__be16 frag_off = 0;
	u8 nexthdr;
	int off;

	ih = skb_header_pointer(skb, pk->thoff, sizeof(ibuf), &ibuf);
	if (!ih || ih->icmp6_type & ICMPV6_INFOMSG_MASK)
		return -EPROTONOSUPPORT;
	pk->ioff = pk->thoff + sizeof(*ih);
	cih = skb_header_pointer(skb, pk->ioff, sizeof(cbuf), &cbuf);
	if (!cih || cih->version != 6 || memcmp(&cih->saddr, pk->p.daddr.b, 16))
		return -EINVAL;
	nexthdr = cih->nexthdr;
	off = ipv6_skip_exthdr(skb, pk->ioff + sizeof(*cih), &nexthdr, &frag_off);
	if (off < 0 || (frag_off & htons(~0x7)))
		return -EINVAL;
	pk->il4off = off;
	memcpy(pk->p.saddr.b, &cih->daddr, 16);
	memcpy(pk->p.daddr.b, &cih->saddr, 16);
	return parse_inner_l4(skb, pk, nexthdr);
}

static int parse4(const struct sk_buff *skb, struct pccvs_pkt *pk)
{
	const struct iphdr *iph = ip_hdr(skb);

	/* Defragmentation ran before us; a fragment left is not ours. */
	if (ip_is_fragment(iph))
		return -EINVAL;
	memset(&pk->p, 0, sizeof(pk->p));
	pk->p.af = AF_INET;
	pk->p.protocol = iph->protocol;
	pk->p.saddr.ip = iph->saddr;
	pk->p.daddr.ip = iph->daddr;
	pk->thoff = skb_network_offset(skb) + iph->ihl * 4;
	pk->icmp = false;
	if (iph->protocol == IPPROTO_ICMP)
		return parse_icmp4(skb, pk);
	return parse_l4(skb, pk);
}

static int parse6(const struct sk_buff *skb, struct pccvs_pkt *pk)
{
	const struct ipv6hdr *ip6h = ipv6_hdr(skb);
	u8 nexthdr = ip6h->nexthdr;
	__be16 frag_off = 0;
	int off;

	off = ipv6_skip_exthdr(skb, skb_network_offset(skb) + sizeof(*ip6h),
			       &nexthdr, &frag_off);
	if (off < 0 || (frag_off & htons(~0x7)))
		return -EINVAL;
	memset(&pk->p, 0, sizeof(pk->p));
	pk->p.af = AF_INET6;
	pk->p.protocol = nexthdr;
	memcpy(pk->p.saddr.b, &ip6h->saddr, 16);
	memcpy(pk->p.daddr.b, &ip6h->daddr, 16);
	pk->thoff = off;
	pk->icmp = false;
	if (nexthdr == IPPROTO_ICMPV6)
		return parse_icmp6(skb, pk);
	return parse_l4(skb, pk);
}

static int parse(const struct sk_buff *skb, u8 pf, struct pccvs_pkt *pk)
{
	int ret = pf == NFPROTO_IPV4 ? parse4(skb, pk) : parse6(skb, pk);

	pk->p.fwmark = skb->mark;
	pk->p.len = skb->len;
	return ret;
}

static struct pcc_table *hook_table(const struct nf_hook_state *state)
{
	return READ_ONCE(pccvs_pernet(state->net)->table);
}

/* What a client -> VIP verdict does to the packet. */
static unsigned int act(struct net *net, struct sk_buff *skb, enum pcc_action a,
			const struct pccvs_pkt *pk, const struct pcc_verdict *v)
{
	switch (a) {
	case PCC_PASS:
		return NF_ACCEPT;
	case PCC_FORWARD:
		return pccvs_xmit(net, skb, pk, v);
	default:
		/* Ours but not forwardable: never to the local stack, whose
		 * RST would kill a connection another director serves. */
		return NF_DROP;
	}
}

static bool in_skip(const struct sk_buff *skb)
{
	return skb->pkt_type != PACKET_HOST ||
	       (skb->dev && skb->dev->flags & IFF_LOOPBACK);
}

/* Client -> VIP: schedule, then steal and transmit, or drop. While a fwmark
 * service exists, only known connections: the mark is not final yet. */
static unsigned int pccvs_in_hook(void *priv, struct sk_buff *skb,
				  const struct nf_hook_state *state)
{
	struct pcc_table *t = hook_table(state);
	struct pcc_verdict v;
	struct pccvs_pkt pk;

	if (unlikely(!t) || in_skip(skb) || parse(skb, state->pf, &pk))
		return NF_ACCEPT;
	if (unlikely(pk.icmp)) {
		/* An error about what a real server sent: to it. */
		if (pcc_decide_related(t, &pk.p, pccvs_now(), &v) != PCC_FORWARD)
			return NF_ACCEPT;
		return pccvs_xmit_icmp(state->net, skb, &pk, &v);
	}
	return act(state->net, skb, pcc_decide_early(t, &pk.p, pccvs_now(), &v), &pk, &v);
}

/* Client -> VIP after the mangle table, while a fwmark service exists: what
 * the early hook left, decided with the final mark. */
static unsigned int pccvs_mark_hook(void *priv, struct sk_buff *skb,
				    const struct nf_hook_state *state)
{
	struct pcc_table *t = hook_table(state);
	struct pcc_verdict v;
	struct pccvs_pkt pk;

	if (unlikely(!t) || !pcc_has_fwmark(t) || in_skip(skb) ||
	    parse(skb, state->pf, &pk) || pk.icmp)	/* errors: the first hook's */
		return NF_ACCEPT;
	return act(state->net, skb, pcc_decide_late(t, &pk.p, pccvs_now(), &v), &pk, &v);
}

/* Real server -> client, NAT only: give the reply the VIP back. */
static unsigned int pccvs_reply_hook(void *priv, struct sk_buff *skb,
				     const struct nf_hook_state *state)
{
	struct pcc_table *t = hook_table(state);
	struct pcc_verdict v;
	struct pccvs_pkt pk;

	if (unlikely(!t) || !pcc_has_nat(t) || parse(skb, state->pf, &pk))
		return NF_ACCEPT;
	if (unlikely(pk.icmp)) {
		/* An error about what the director sent to a real server. */
		if (pcc_decide_related_reply(t, &pk.p, pccvs_now(), &v) != PCC_REPLY)
			return NF_ACCEPT;
		return pccvs_xmit_icmp_reply(skb, &pk, &v);
	}
	switch (pcc_decide_reply(t, &pk.p, pccvs_now(), &v)) {
	case PCC_PASS:
		return NF_ACCEPT;
	case PCC_REPLY:
		return pccvs_xmit_reply(skb, &pk, &v);
	default:
		return NF_DROP;
	}
}

/*
 * The hooks, where each sits and why (IPv4 and IPv6 alike):
 *
 *   hook         priority                     packets               registered while
 *   PRE_ROUTING  CONNTRACK_DEFRAG + 1 (-399)  client -> VIP, ICMP   a service exists
 *   PRE_ROUTING  MANGLE + 1 (-149)            client -> VIP, new    a fwmark service exists
 *   FORWARD      NAT_SRC - 2 (98)             NAT replies and ICMP  a service exists (acts
 *                                                                   with NAT dests only)
 *
 * PRE_ROUTING, right after defragmentation: client -> VIP. Reassembled
 *	packets carry their ports, so one datagram is scheduled once. Before
 *	conntrack, so a balanced flow costs no conntrack entry (the director
 *	sees one direction only), and before routing, so the VIP need not be a
 *	local address and the director's own stack never sees a packet it
 *	could answer with a RST. While the namespace has a fwmark service,
 *	this hook forwards known connections only and leaves every packet
 *	that would start (restore, replace) a connection to the next one.
 * PRE_ROUTING, right after the mangle table: the packets the first hook
 *	left, with the firewall mark that iptables' mangle PREROUTING (or an
 *	nftables chain at priority mangle) set: a fwmark service first, then
 *	VIP:port, as IPVS does. Still before routing and DNAT. Conntrack has
 *	seen the packet (if the namespace uses it); the entry it started goes
 *	with the stolen packet, unconfirmed. A packet of a known connection
 *	reaching this hook was passed on by the first (a real server on this
 *	host) and is forwarded (passed) again without being counted twice.
 * FORWARD, before source NAT: NAT replies, real server -> client,
 *	rewritten to come from the VIP. Not PRE_ROUTING: the input route
 *	would see the VIP, a local address, as the source and drop the packet
 *	as a martian. After the filter table, so rules see the real server's
 *	address, as with IPVS.
 */
static const struct nf_hook_ops pccvs_nf_ops[] = {
	{
		.hook = pccvs_in_hook,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_PRE_ROUTING,
		.priority = NF_IP_PRI_CONNTRACK_DEFRAG + 1,
	},
	{
		.hook = pccvs_reply_hook,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_FORWARD,
		.priority = NF_IP_PRI_NAT_SRC - 2,
	},
	{
		.hook = pccvs_in_hook,
		.pf = NFPROTO_IPV6,
		.hooknum = NF_INET_PRE_ROUTING,
		.priority = NF_IP6_PRI_CONNTRACK_DEFRAG + 1,
	},
	{
		.hook = pccvs_reply_hook,
		.pf = NFPROTO_IPV6,
		.hooknum = NF_INET_FORWARD,
		.priority = NF_IP6_PRI_NAT_SRC - 2,
	},
};

static const struct nf_hook_ops pccvs_mark_ops[] = {
	{
		.hook = pccvs_mark_hook,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_PRE_ROUTING,
		.priority = NF_IP_PRI_MANGLE + 1,
	},
	{
		.hook = pccvs_mark_hook,
		.pf = NFPROTO_IPV6,
		.hooknum = NF_INET_PRE_ROUTING,
		.priority = NF_IP6_PRI_MANGLE + 1,
	},
};

/* The hook after mangle, while the namespace has a fwmark service. */
int pccvs_mark_hooks_register(struct net *net)
{
	return nf_register_net_hooks(net, pccvs_mark_ops, ARRAY_SIZE(pccvs_mark_ops));
}

void pccvs_mark_hooks_unregister(struct net *net)
{
	nf_unregister_net_hooks(net, pccvs_mark_ops, ARRAY_SIZE(pccvs_mark_ops));
}

int pccvs_hooks_register(struct net *net)
{
	int ret;

	ret = nf_defrag_ipv4_enable(net);
	if (ret)
		return ret;
	ret = nf_defrag_ipv6_enable(net);
	if (ret)
		goto err_defrag6;
	ret = nf_register_net_hooks(net, pccvs_nf_ops, ARRAY_SIZE(pccvs_nf_ops));
	if (ret)
		goto err_hooks;
	return 0;

err_hooks:
	nf_defrag_ipv6_disable(net);
err_defrag6:
	nf_defrag_ipv4_disable(net);
	return ret;
}

void pccvs_hooks_unregister(struct net *net)
{
	nf_unregister_net_hooks(net, pccvs_nf_ops, ARRAY_SIZE(pccvs_nf_ops));
	nf_defrag_ipv6_disable(net);
	nf_defrag_ipv4_disable(net);
}
