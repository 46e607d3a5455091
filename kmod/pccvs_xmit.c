// SPDX-License-Identifier: GPL-2.0
/*
 * pccvs_xmit.c: sending a scheduled packet to its real server, by direct
 * routing, IP-in-IP tunnel or destination NAT, and un-NATing replies.
 *
 * Every transmitter runs in PRE_ROUTING, before the input route: it routes
 * to the real server itself, checks the MTU (answering with the ICMP the
 * client needs), decrements the TTL like any router, and hands the packet
 * to dst_output(), or returns NF_ACCEPT when the real server is this host.
 * A transmitter returns NF_STOLEN once the packet is gone, NF_DROP when it
 * could not be sent (netfilter frees it then).
 */
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/sctp.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <net/checksum.h>
#include <net/dst.h>
#include <net/icmp.h>
#include <net/inet_ecn.h>
#include <net/ip.h>
#include <net/ip6_checksum.h>
#include <net/ip6_route.h>
#include <net/ip_tunnels.h>
#if __has_include(<net/gso.h>)
#include <net/gso.h>	/* 6.5+: skb_gso_validate_network_len() */
#endif
#include <net/ipv6.h>
#include <net/addrconf.h>
#include <net/route.h>
#include <net/sctp/checksum.h>
#include "pccvs.h"

/* ------------------------------------------------------------------ */
/* Routes and limits                                                   */

/* A route from pccvs_route(): give it back unless borrowed. */
static void put_route(struct dst_entry *dst, bool noref)
{
	if (!noref)
		dst_release(dst);
}

static void attach_route(struct sk_buff *skb, struct dst_entry *dst, bool noref)
{
	skb_dst_drop(skb);
	if (noref)
		skb_dst_set_noref(skb, dst);
	else
		skb_dst_set(skb, dst);
}

static bool local4(const struct dst_entry *dst)
{
	return ((const struct rtable *)dst)->rt_flags & RTCF_LOCAL;
}

static bool local6(const struct dst_entry *dst)
{
	return dst->dev && dst->dev->flags & IFF_LOOPBACK;
}

static bool exceeds_mtu(const struct sk_buff *skb, unsigned int mtu)
{
	if (skb->len <= mtu)
		return false;
	return !(skb_is_gso(skb) && skb_gso_validate_network_len(skb, mtu));
}

/* Would this IPv4 packet need fragmenting that its DF bit forbids? */
static bool too_big4(const struct sk_buff *skb, unsigned int mtu)
{
	if (!(ip_hdr(skb)->frag_off & htons(IP_DF)))
		return false;
	if (IPCB(skb)->frag_max_size)	/* reassembled: its largest fragment */
		return IPCB(skb)->frag_max_size > mtu;
	return exceeds_mtu(skb, mtu);
}

static bool too_big6(const struct sk_buff *skb, unsigned int mtu)
{
	if (IP6CB(skb)->frag_max_size)
		return IP6CB(skb)->frag_max_size > mtu;
	return exceeds_mtu(skb, mtu);
}

/*
 * icmp_send() replies along the packet's input route, which a packet in
 * PRE_ROUTING does not have yet: look it up first (error path only).
 */
static void icmp4(struct sk_buff *skb, int type, int code, __be32 info)
{
	const struct iphdr *iph = ip_hdr(skb);

	if (!skb_dst(skb) &&
	    ip_route_input_noref(skb, iph->daddr, iph->saddr, iph->tos,
				 skb->dev))
		return;
	icmp_send(skb, type, code, info);
}

static void frag_needed4(struct sk_buff *skb, unsigned int mtu)
{
	icmp4(skb, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED, htonl(mtu));
}

static bool ttl_dec4(struct sk_buff *skb)
{
	if (ip_hdr(skb)->ttl <= 1) {
		icmp4(skb, ICMP_TIME_EXCEEDED, ICMP_EXC_TTL, 0);
		return false;
	}
	if (skb_ensure_writable(skb, skb_network_offset(skb) + sizeof(struct iphdr)))
		return false;
	ip_decrease_ttl(ip_hdr(skb));
	return true;
}

static bool ttl_dec6(struct sk_buff *skb)
{
	if (ipv6_hdr(skb)->hop_limit <= 1) {
		icmpv6_send(skb, ICMPV6_TIME_EXCEED, ICMPV6_EXC_HOPLIMIT, 0);
		return false;
	}
	if (skb_ensure_writable(skb, skb_network_offset(skb) + sizeof(struct ipv6hdr)))
		return false;
	ipv6_hdr(skb)->hop_limit--;
	return true;
}

/* Attach the route and send. Consumes skb and the route. */
static unsigned int xmit_out(struct net *net, struct sk_buff *skb,
			     struct dst_entry *dst, bool noref)
{
	attach_route(skb, dst, noref);
	nf_reset_ct(skb);
	skb_forward_csum(skb);
	/* A receive timestamp must not pass for a delivery time (fq). */
	skb_clear_tstamp(skb);
	skb->ignore_df = 1;	/* MTU checked: no ICMP from ip_fragment() */
	dst_output(net, NULL, skb);
	return NF_STOLEN;
}

/* ------------------------------------------------------------------ */
/* NAT rewriting                                                       */

/* SCTP's CRC32c covers no pseudo header but does cover the ports. */
static void sctp_fix_csum(struct sk_buff *skb, unsigned int thoff)
{
	struct sctphdr *sh = (struct sctphdr *)(skb->data + thoff);

	if (skb->ip_summed == CHECKSUM_PARTIAL && skb->csum_not_inet)
		return;		/* the device computes it */
	sh->checksum = sctp_compute_cksum(skb, thoff);
	skb->ip_summed = CHECKSUM_UNNECESSARY;
}

/* Rewrite the address and port of one side (source or destination) and
 * fix the L4 and L3 checksums incrementally. */
static int nat_rewrite(struct sk_buff *skb, const struct pccvs_pkt *pk,
		       bool dst_side, const union pcc_addr *to, u16 port)
{
	unsigned int thoff = pk->thoff, hl;
	__be16 nport = htons(port);
	__sum16 *check = NULL;
	__be16 *pp;
	__be32 *a;
	bool v6 = pk->p.af == AF_INET6;

	hl = pk->p.protocol == IPPROTO_TCP ? sizeof(struct tcphdr) :
	     pk->p.protocol == IPPROTO_UDP ? sizeof(struct udphdr) :
	     sizeof(struct sctphdr);
	if (skb_ensure_writable(skb, thoff + hl))
		return -ENOMEM;

	if (v6)
		a = dst_side ? ipv6_hdr(skb)->daddr.s6_addr32 :
			       ipv6_hdr(skb)->saddr.s6_addr32;
	else
		a = dst_side ? &ip_hdr(skb)->daddr : &ip_hdr(skb)->saddr;

	/* Ports sit at the same offsets in TCP, UDP and SCTP headers. */
	pp = (__be16 *)(skb->data + thoff) + (dst_side ? 1 : 0);
	if (pk->p.protocol == IPPROTO_TCP) {
		check = &((struct tcphdr *)(skb->data + thoff))->check;
	} else if (pk->p.protocol == IPPROTO_UDP) {
		check = &((struct udphdr *)(skb->data + thoff))->check;
		if (!v6 && !*check && skb->ip_summed != CHECKSUM_PARTIAL)
			check = NULL;	/* IPv4 UDP without checksum */
	}

	if (check) {
		if (v6)
			inet_proto_csum_replace16(check, skb, a, to->ip6, true);
		else
			inet_proto_csum_replace4(check, skb, *a, to->ip, true);
		inet_proto_csum_replace2(check, skb, *pp, nport, false);
		if (pk->p.protocol == IPPROTO_UDP && !*check)
			*check = CSUM_MANGLED_0;
	}
	*pp = nport;
	if (v6) {
		memcpy(a, to->b, 16);
	} else {
		csum_replace4(&ip_hdr(skb)->check, *a, to->ip);
		*a = to->ip;
	}
	if (pk->p.protocol == IPPROTO_SCTP)
		sctp_fix_csum(skb, thoff);
	return 0;
}

/*
 * NAT for an ICMP error about a packet of a connection (pk->icmp): toward
 * the real server (to_server), the VIP as outer destination and as the
 * embedded packet's source becomes the real server; toward the client, the
 * real server (or a router on its way) as outer source and the real server
 * as the embedded packet's destination become the VIP. The embedded IP
 * header's checksum is fixed, the ICMP checksum computed again (errors are
 * small); the embedded TCP/UDP checksum, often truncated, is left alone.
 */
static int icmp_nat_rewrite(struct sk_buff *skb, const struct pccvs_pkt *pk,
			    const struct pcc_verdict *v, bool to_server)
{
	const union pcc_addr *to = to_server ? &v->daddr : &v->vaddr;
	unsigned int len = skb->len - pk->thoff;
	__be16 *ports;
	__wsum csum;

	if (skb_ensure_writable(skb, pk->il4off + 2 * sizeof(__be16)))
		return -ENOMEM;
	ports = (__be16 *)(skb->data + pk->il4off);
	if (pk->p.af == AF_INET6) {
		struct ipv6hdr *ip6h = ipv6_hdr(skb);
		struct ipv6hdr *cih = (struct ipv6hdr *)(skb->data + pk->ioff);
		struct icmp6hdr *ih = (struct icmp6hdr *)(skb->data + pk->thoff);

		if (to_server) {
			memcpy(&ip6h->daddr, to->b, 16);
			memcpy(&cih->saddr, to->b, 16);
			ports[0] = htons(v->dport);
		} else {
			memcpy(&ip6h->saddr, to->b, 16);
			memcpy(&cih->daddr, to->b, 16);
			ports[1] = htons(v->vport);
		}
		ih->icmp6_cksum = 0;
		csum = skb_checksum(skb, pk->thoff, len, 0);
		ih->icmp6_cksum = csum_ipv6_magic(&ip6h->saddr, &ip6h->daddr, len,
						  IPPROTO_ICMPV6, csum);
	} else {
		struct iphdr *iph = ip_hdr(skb);
		struct iphdr *cih = (struct iphdr *)(skb->data + pk->ioff);
		struct icmphdr *ih = (struct icmphdr *)(skb->data + pk->thoff);

		if (to_server) {
			csum_replace4(&iph->check, iph->daddr, to->ip);
			iph->daddr = to->ip;
			csum_replace4(&cih->check, cih->saddr, to->ip);
			cih->saddr = to->ip;
			ports[0] = htons(v->dport);
		} else {
			csum_replace4(&iph->check, iph->saddr, to->ip);
			iph->saddr = to->ip;
			csum_replace4(&cih->check, cih->daddr, to->ip);
			cih->daddr = to->ip;
			ports[1] = htons(v->vport);
		}
		ih->checksum = 0;
		ih->checksum = csum_fold(skb_checksum(skb, pk->thoff, len, 0));
	}
	skb->ip_summed = CHECKSUM_NONE;
	return 0;
}

/* ------------------------------------------------------------------ */
/* IPv4                                                                */

static unsigned int dr4(struct net *net, struct sk_buff *skb,
			const struct pcc_verdict *v)
{
	union pcc_addr src;
	bool noref;
	/* Keep the VIP as destination; KNOWN_NH makes the real server the
	 * next hop, so the frame goes to its MAC. */
	struct dst_entry *dst = pccvs_route(net, AF_INET, &v->daddr, skb->mark,
					    true, &src, &noref);

	if (!dst)
		return NF_DROP;
	if (local4(dst))
		goto local;
	if (too_big4(skb, dst_mtu(dst))) {
		frag_needed4(skb, dst_mtu(dst));
		goto drop;
	}
	if (!ttl_dec4(skb))
		goto drop;
	return xmit_out(net, skb, dst, noref);
local:
	put_route(dst, noref);
	return NF_ACCEPT;
drop:
	put_route(dst, noref);
	return NF_DROP;
}

static unsigned int nat4(struct net *net, struct sk_buff *skb,
			 const struct pccvs_pkt *pk, const struct pcc_verdict *v)
{
	union pcc_addr src;
	bool local, noref;
	struct dst_entry *dst = pccvs_route(net, AF_INET, &v->daddr, skb->mark,
					    false, &src, &noref);

	if (!dst)
		return NF_DROP;
	local = local4(dst);
	if (!local && too_big4(skb, dst_mtu(dst))) {
		frag_needed4(skb, dst_mtu(dst));
		goto drop;
	}
	if ((!local && !ttl_dec4(skb)) ||
	    nat_rewrite(skb, pk, true, &v->daddr, v->dport))
		goto drop;
	if (local) {		/* the input route will deliver it */
		put_route(dst, noref);
		return NF_ACCEPT;
	}
	return xmit_out(net, skb, dst, noref);
drop:
	put_route(dst, noref);
	return NF_DROP;
}

static unsigned int tun4(struct net *net, struct sk_buff *skb,
			 const struct pcc_verdict *v)
{
	unsigned int mtu, headroom;
	struct dst_entry *dst;
	union pcc_addr src;
	struct iphdr *iph;
	bool noref;
	u8 tos, ttl;
	__be16 df;

	dst = pccvs_route(net, AF_INET, &v->daddr, skb->mark, false, &src, &noref);
	if (!dst)
		return NF_DROP;
	if (local4(dst)) {
		put_route(dst, noref);
		return NF_ACCEPT;
	}
	mtu = dst_mtu(dst) - sizeof(struct iphdr);
	if (mtu < 68)
		goto drop;
	if (too_big4(skb, mtu)) {
		frag_needed4(skb, mtu);
		goto drop;
	}
	headroom = LL_RESERVED_SPACE(dst->dev) + sizeof(struct iphdr);
	if (!ttl_dec4(skb) || skb_cow_head(skb, headroom))
		goto drop;

	iph = ip_hdr(skb);
	df = iph->frag_off & htons(IP_DF);
	tos = INET_ECN_encapsulate(iph->tos, iph->tos);
	ttl = iph->ttl;
	attach_route(skb, dst, noref);
	if (iptunnel_handle_offloads(skb, SKB_GSO_IPXIP4))
		return NF_DROP;
	skb->transport_header = skb->network_header;
	skb_set_inner_ipproto(skb, IPPROTO_IPIP);
	skb_set_inner_mac_header(skb, skb_inner_network_offset(skb));
	skb_push(skb, sizeof(struct iphdr));
	skb_reset_network_header(skb);
	memset(IPCB(skb), 0, sizeof(*IPCB(skb)));

	iph = ip_hdr(skb);
	iph->version = 4;
	iph->ihl = sizeof(struct iphdr) >> 2;
	iph->frag_off = df;
	iph->protocol = IPPROTO_IPIP;
	iph->tos = tos;
	iph->daddr = v->daddr.ip;
	iph->saddr = src.ip;
	iph->ttl = ttl;
	ip_select_ident(net, skb, NULL);
	nf_reset_ct(skb);
	skb_clear_tstamp(skb);
	skb->ignore_df = 1;
	ip_local_out(net, NULL, skb);	/* sets tot_len and the checksum */
	return NF_STOLEN;
drop:
	put_route(dst, noref);
	return NF_DROP;
}

/* ------------------------------------------------------------------ */
/* IPv6                                                                */

static unsigned int dr6(struct net *net, struct sk_buff *skb,
			const struct pcc_verdict *v)
{
	union pcc_addr src;
	bool noref;
	struct dst_entry *dst = pccvs_route(net, AF_INET6, &v->daddr, skb->mark,
					    true, &src, &noref);

	if (!dst)
		return NF_DROP;
	if (local6(dst))
		goto local;
	if (too_big6(skb, dst_mtu(dst))) {
		icmpv6_send(skb, ICMPV6_PKT_TOOBIG, 0, dst_mtu(dst));
		goto drop;
	}
	if (!ttl_dec6(skb))
		goto drop;
	return xmit_out(net, skb, dst, noref);
local:
	put_route(dst, noref);
	return NF_ACCEPT;
drop:
	put_route(dst, noref);
	return NF_DROP;
}

static unsigned int nat6(struct net *net, struct sk_buff *skb,
			 const struct pccvs_pkt *pk, const struct pcc_verdict *v)
{
	union pcc_addr src;
	bool local, noref;
	struct dst_entry *dst = pccvs_route(net, AF_INET6, &v->daddr, skb->mark,
					    false, &src, &noref);

	if (!dst)
		return NF_DROP;
	local = local6(dst);
	if (!local && too_big6(skb, dst_mtu(dst))) {
		icmpv6_send(skb, ICMPV6_PKT_TOOBIG, 0, dst_mtu(dst));
		goto drop;
	}
	if ((!local && !ttl_dec6(skb)) ||
	    nat_rewrite(skb, pk, true, &v->daddr, v->dport))
		goto drop;
	if (local) {
		put_route(dst, noref);
		return NF_ACCEPT;
	}
	return xmit_out(net, skb, dst, noref);
drop:
	put_route(dst, noref);
	return NF_DROP;
}

static unsigned int tun6(struct net *net, struct sk_buff *skb,
			 const struct pcc_verdict *v)
{
	unsigned int mtu, headroom;
	struct dst_entry *dst;
	struct ipv6hdr *ip6h;
	union pcc_addr src;
	u8 dsfield, ttl;
	bool noref;

	dst = pccvs_route(net, AF_INET6, &v->daddr, skb->mark, false, &src, &noref);
	if (!dst)
		return NF_DROP;
	if (local6(dst)) {
		put_route(dst, noref);
		return NF_ACCEPT;
	}
	mtu = dst_mtu(dst) - sizeof(struct ipv6hdr);
	if (mtu < IPV6_MIN_MTU)
		goto drop;
	if (too_big6(skb, mtu)) {
		icmpv6_send(skb, ICMPV6_PKT_TOOBIG, 0, mtu);
		goto drop;
	}
	headroom = LL_RESERVED_SPACE(dst->dev) + sizeof(struct ipv6hdr);
	if (!ttl_dec6(skb) || skb_cow_head(skb, headroom))
		goto drop;

	ip6h = ipv6_hdr(skb);
	dsfield = ipv6_get_dsfield(ip6h);
	dsfield = INET_ECN_encapsulate(dsfield, dsfield);
	ttl = ip6h->hop_limit;
	attach_route(skb, dst, noref);
	if (iptunnel_handle_offloads(skb, SKB_GSO_IPXIP6))
		return NF_DROP;
	skb->transport_header = skb->network_header;
	skb_set_inner_ipproto(skb, IPPROTO_IPV6);
	skb_set_inner_mac_header(skb, skb_inner_network_offset(skb));
	skb_push(skb, sizeof(struct ipv6hdr));
	skb_reset_network_header(skb);
	memset(IP6CB(skb), 0, sizeof(*IP6CB(skb)));

	ip6h = ipv6_hdr(skb);
	ip6_flow_hdr(ip6h, dsfield, 0);
	ip6h->nexthdr = IPPROTO_IPV6;
	ip6h->hop_limit = ttl;
	memcpy(&ip6h->saddr, src.b, sizeof(ip6h->saddr));
	memcpy(&ip6h->daddr, v->daddr.b, sizeof(ip6h->daddr));
	nf_reset_ct(skb);
	skb_clear_tstamp(skb);
	skb->ignore_df = 1;
	ip6_local_out(net, NULL, skb);	/* sets payload_len */
	return NF_STOLEN;
drop:
	put_route(dst, noref);
	return NF_DROP;
}

/* ------------------------------------------------------------------ */

unsigned int pccvs_xmit(struct net *net, struct sk_buff *skb,
			const struct pccvs_pkt *pk, const struct pcc_verdict *v)
{
	bool v6 = pk->p.af == AF_INET6;

	switch (v->fwd) {
	case PCCVS_FWD_DR:
		return v6 ? dr6(net, skb, v) : dr4(net, skb, v);
	case PCCVS_FWD_TUN:
		return v6 ? tun6(net, skb, v) : tun4(net, skb, v);
	case PCCVS_FWD_NAT:
		return v6 ? nat6(net, skb, pk, v) : nat4(net, skb, pk, v);
	}
	return NF_DROP;
}

/* An ICMP error for the VIP about a real server's packet: DR and TUN send it
 * on as it is (the real server has the VIP), NAT translates it. */
static unsigned int nat_icmp(struct net *net, struct sk_buff *skb,
			     const struct pccvs_pkt *pk, const struct pcc_verdict *v)
{
	bool v6 = pk->p.af == AF_INET6, local, noref;
	union pcc_addr src;
	struct dst_entry *dst = pccvs_route(net, pk->p.af, &v->daddr, skb->mark,
					    false, &src, &noref);

	if (!dst)
		return NF_DROP;
	local = v6 ? local6(dst) : local4(dst);
	if ((!local && !(v6 ? ttl_dec6(skb) : ttl_dec4(skb))) ||
	    icmp_nat_rewrite(skb, pk, v, true)) {
		put_route(dst, noref);
		return NF_DROP;
	}
	if (local) {
		put_route(dst, noref);
		return NF_ACCEPT;
	}
	return xmit_out(net, skb, dst, noref);
}

unsigned int pccvs_xmit_icmp(struct net *net, struct sk_buff *skb,
			     const struct pccvs_pkt *pk, const struct pcc_verdict *v)
{
	if (v->fwd == PCCVS_FWD_NAT)
		return nat_icmp(net, skb, pk, v);
	return pccvs_xmit(net, skb, pk, v);
}

/* In FORWARD, NAT: an ICMP error for the client about what the director
 * sent to a real server now comes from the VIP, about a packet to the VIP. */
unsigned int pccvs_xmit_icmp_reply(struct sk_buff *skb, const struct pccvs_pkt *pk,
				   const struct pcc_verdict *v)
{
	if (v->fwd != PCCVS_FWD_NAT)
		return NF_ACCEPT;
	return icmp_nat_rewrite(skb, pk, v, false) ? NF_DROP : NF_ACCEPT;
}

/* In FORWARD: the packet already has its route; only the source changes. */
unsigned int pccvs_xmit_reply(struct sk_buff *skb, const struct pccvs_pkt *pk,
			      const struct pcc_verdict *v)
{
	if (nat_rewrite(skb, pk, false, &v->vaddr, v->vport))
		return NF_DROP;
	return NF_ACCEPT;
}
