// SPDX-License-Identifier: GPL-2.0
/*
 * test_ha_pkt: gratuitous ARP and unsolicited NA, field by field, with the
 * ICMPv6 checksum verified independently (the sum over the pseudo-header
 * and the message, checksum included, is 0xffff).
 */
#include <arpa/inet.h>
#include <string.h>
#include <sys/socket.h>

#include "pcc_test.h"
#include "ha_pkt.h"

static const uint8_t mac[6] = { 0x52, 0x54, 0x00, 0x00, 0x01, 0x00 };

static void test_garp(void **state)
{
	struct ha_pkt p;
	uint8_t vip[4];
	static const uint8_t want[HA_ARP_LEN] = {
		0x00, 0x01, 0x08, 0x00, 6, 4, 0x00, 0x01,
		0x52, 0x54, 0x00, 0x00, 0x01, 0x00, 203, 0, 113, 100,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 203, 0, 113, 100,
	};

	inet_pton(AF_INET, "203.0.113.100", vip);
	ha_pkt_garp(&p, mac, vip);
	assert_int_equal(p.len, HA_ARP_LEN);
	assert_memory_equal(p.buf, want, HA_ARP_LEN);
	assert_int_equal(p.ethertype, 0x0806);
	assert_memory_equal(p.dst_mac, "\xff\xff\xff\xff\xff\xff", 6);
}

static uint32_t sum16(const uint8_t *b, size_t n)
{
	uint32_t s = 0;

	for (size_t i = 0; i + 1 < n; i += 2)
		s += (uint32_t)(b[i] << 8 | b[i + 1]);
	if (n & 1)
		s += (uint32_t)b[n - 1] << 8;
	return s;
}

static void test_una(void **state)
{
	struct ha_pkt p;
	uint8_t vip[16], all[16], pseudo[40] = { 0 };
	const uint8_t *ip = p.buf, *icmp = p.buf + 40;
	uint32_t s;

	inet_pton(AF_INET6, "2001:db8:f::100", vip);
	inet_pton(AF_INET6, "ff02::1", all);
	ha_pkt_una(&p, mac, vip);
	assert_int_equal(p.len, 72);
	assert_int_equal(p.ethertype, 0x86dd);
	assert_memory_equal(p.dst_mac, "\x33\x33\x00\x00\x00\x01", 6);
	/* IPv6 header */
	assert_int_equal(ip[0], 0x60);
	assert_int_equal(ip[1] | ip[2] | ip[3], 0);
	assert_int_equal(ip[4] << 8 | ip[5], 32);	/* payload length */
	assert_int_equal(ip[6], 58);
	assert_int_equal(ip[7], 255);
	assert_memory_equal(ip + 8, vip, 16);
	assert_memory_equal(ip + 24, all, 16);
	/* ICMPv6 NA: type, code, flags O only, target, TLLA option */
	assert_int_equal(icmp[0], 136);
	assert_int_equal(icmp[1], 0);
	assert_int_equal(icmp[4], 0x20);
	assert_int_equal(icmp[5] | icmp[6] | icmp[7], 0);
	assert_memory_equal(icmp + 8, vip, 16);
	assert_int_equal(icmp[24], 2);
	assert_int_equal(icmp[25], 1);
	assert_memory_equal(icmp + 26, mac, 6);
	/* checksum: pseudo-header (src, dst, length, next header) + message */
	memcpy(pseudo, vip, 16);
	memcpy(pseudo + 16, all, 16);
	pseudo[35] = 32;
	pseudo[39] = 58;
	s = sum16(pseudo, 40) + sum16(icmp, 32);
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	assert_int_equal(s, 0xffff);
	assert_int_not_equal(icmp[2] << 8 | icmp[3], 0);
}

static void test_csum_known(void **state)
{
	/* RFC 1071 style: an odd length message, and the result of an
	 * all-zero input is the complement of the pseudo-header sum */
	uint8_t z[16] = { 0 }, msg[3] = { 0x01, 0x02, 0x03 };
	uint16_t c = ha_icmp6_csum(z, z, msg, sizeof(msg));
	uint32_t s = 3 + 58 + 0x0102 + 0x0300;

	assert_int_equal(c, (uint16_t)~s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_garp),
		cmocka_unit_test(test_una),
		cmocka_unit_test(test_csum_known),
	};
	struct pcc_test_run r = { 0 };

	PCC_TEST_GROUP(&r, "ha_pkt", tests);
	return pcc_test_done(&r);
}
