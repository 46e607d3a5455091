// SPDX-License-Identifier: GPL-2.0
/*
 * ha_pkt.c: gratuitous ARP and unsolicited neighbour advertisements
 * (layout in ha_pkt.h). Byte by byte, no kernel structs: the tests check
 * every field.
 */
#include <string.h>

#include "ha_pkt.h"

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

void ha_pkt_garp(struct ha_pkt *p, const uint8_t mac[6], const uint8_t vip[4])
{
	uint8_t *b = p->buf;

	memset(p, 0, sizeof(*p));
	put16(b + 0, 1);		/* hardware: Ethernet */
	put16(b + 2, 0x0800);		/* protocol: IPv4 */
	b[4] = 6;
	b[5] = 4;
	put16(b + 6, 1);		/* request */
	memcpy(b + 8, mac, 6);		/* sender MAC */
	memcpy(b + 14, vip, 4);		/* sender IP */
	memset(b + 18, 0xff, 6);	/* target MAC */
	memcpy(b + 24, vip, 4);		/* target IP */
	p->len = HA_ARP_LEN;
	p->ethertype = HA_ETH_P_ARP;
	memset(p->dst_mac, 0xff, 6);
}

uint16_t ha_icmp6_csum(const uint8_t src[16], const uint8_t dst[16],
		       const uint8_t *icmp, size_t len)
{
	uint32_t sum = 0;
	size_t i;

	for (i = 0; i < 16; i += 2)
		sum += (uint32_t)(src[i] << 8 | src[i + 1]) +
		       (uint32_t)(dst[i] << 8 | dst[i + 1]);
	sum += (uint32_t)(len >> 16) + (uint32_t)(len & 0xffff);
	sum += 58;			/* next header: ICMPv6 */
	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(icmp[i] << 8 | icmp[i + 1]);
	if (len & 1)
		sum += (uint32_t)icmp[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

void ha_pkt_una(struct ha_pkt *p, const uint8_t mac[6], const uint8_t vip[16])
{
	static const uint8_t all_nodes[16] = { 0xff, 0x02, [15] = 0x01 };
	uint8_t *ip = p->buf, *icmp = p->buf + 40;
	uint16_t plen = 24 + 8;

	memset(p, 0, sizeof(*p));
	ip[0] = 0x60;			/* version 6 */
	put16(ip + 4, plen);
	ip[6] = 58;			/* ICMPv6 */
	ip[7] = 255;			/* hop limit (RFC 4861) */
	memcpy(ip + 8, vip, 16);
	memcpy(ip + 24, all_nodes, 16);
	icmp[0] = 136;			/* neighbour advertisement */
	icmp[1] = 0;
	icmp[4] = 0x20;			/* R=0 S=0 O=1 */
	memcpy(icmp + 8, vip, 16);	/* target */
	icmp[24] = 2;			/* option: target link-layer address */
	icmp[25] = 1;			/* length in units of 8 bytes */
	memcpy(icmp + 26, mac, 6);
	put16(icmp + 2, ha_icmp6_csum(vip, all_nodes, icmp, plen));
	p->len = HA_NA_LEN;
	p->ethertype = HA_ETH_P_IPV6;
	memcpy(p->dst_mac, (const uint8_t[]){ 0x33, 0x33, 0, 0, 0, 1 }, 6);
}
