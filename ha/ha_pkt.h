/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ha_pkt.h: the announcements a new active director sends for its VIPs,
 * built as link-layer payloads (what follows the Ethernet header; sent on
 * an AF_PACKET SOCK_DGRAM socket to the destination MAC given here).
 *
 *   IPv4: gratuitous ARP request, sender = target = VIP, sender MAC = ours,
 *         target MAC ff:ff:ff:ff:ff:ff (as keepalived), to the broadcast
 *         address. Receivers that have the VIP in their neighbour table
 *         replace its MAC (Linux: even within locktime, a GARP).
 *   IPv6: unsolicited neighbour advertisement (RFC 4861 7.2.6): IPv6 from
 *         the VIP to ff02::1, hop limit 255, ICMPv6 136 with Override set,
 *         Solicited clear, target = VIP, option target link-layer address
 *         = our MAC; to 33:33:00:00:00:01.
 */
#ifndef HA_PKT_H
#define HA_PKT_H

#include <stddef.h>
#include <stdint.h>

#define HA_ARP_LEN 28
#define HA_NA_LEN (40 + 24 + 8)
#define HA_PKT_MAX HA_NA_LEN

/* Ethertypes for sockaddr_ll.sll_protocol (host order here). */
#define HA_ETH_P_ARP 0x0806
#define HA_ETH_P_IPV6 0x86dd

struct ha_pkt {
	uint8_t buf[HA_PKT_MAX];
	size_t len;
	uint16_t ethertype;
	uint8_t dst_mac[6];
};

/* vip: 4 bytes, network order. */
void ha_pkt_garp(struct ha_pkt *p, const uint8_t mac[6], const uint8_t vip[4]);
/* vip: 16 bytes. */
void ha_pkt_una(struct ha_pkt *p, const uint8_t mac[6], const uint8_t vip[16]);

/* Internet checksum over the IPv6 pseudo-header and an ICMPv6 message
 * (exposed for the tests). */
uint16_t ha_icmp6_csum(const uint8_t src[16], const uint8_t dst[16],
		       const uint8_t *icmp, size_t len);

#endif /* HA_PKT_H */
