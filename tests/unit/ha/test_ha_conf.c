// SPDX-License-Identifier: GPL-2.0
/*
 * test_ha_conf: the HA keys of syncd.conf, through the daemon's own parser
 * (syncd/conf.c hands them to ha/ha_conf.c): defaults, every key, and the
 * errors, each naming file:line, the key and the rule.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "pcc_test.h"
#include "conf.h"

static int parse(struct syncd_conf *c, const char *text, char *err, size_t len)
{
	conf_defaults(c);
	return conf_parse(c, text, strlen(text), "t.conf", err, len);
}

static void test_defaults(void **state)
{
	struct syncd_conf c;

	conf_defaults(&c);
	assert_int_equal(c.ha.n_vip, 0);
	assert_false(c.ha.preempt);
	assert_int_equal(c.ha.preempt_delay_ms, 0);
	assert_int_equal(c.ha.garp_count, 5);
	assert_int_equal(c.ha.garp_interval_ms, 200);
	assert_string_equal(c.ha.notify, "");
	assert_int_equal(c.priority, 100);
}

static void test_all_keys(void **state)
{
	struct syncd_conf c;
	char err[256], b[96];
	uint8_t a4[4], a6[16];

	assert_int_equal(parse(&c,
		"priority = 200\n"
		"vip = 203.0.113.100/32 dev eth0\n"
		"vip =  2001:db8:f::100/128   dev  eth0.10 # comment\n"
		"vip = 198.51.100.7/24 dev br-lan\n"
		"preempt = yes\n"
		"preempt_delay = 30000\n"
		"garp_count = 3\n"
		"garp_interval_ms = 50\n"
		"notify = /etc/pccvs/notify.sh\n", err, sizeof(err)), 0);
	assert_int_equal(c.priority, 200);
	assert_int_equal(c.ha.n_vip, 3);
	inet_pton(AF_INET, "203.0.113.100", a4);
	assert_int_equal(c.ha.vip[0].af, AF_INET);
	assert_memory_equal(c.ha.vip[0].addr, a4, 4);
	assert_int_equal(c.ha.vip[0].prefix, 32);
	assert_string_equal(c.ha.vip[0].dev, "eth0");
	inet_pton(AF_INET6, "2001:db8:f::100", a6);
	assert_int_equal(c.ha.vip[1].af, AF_INET6);
	assert_memory_equal(c.ha.vip[1].addr, a6, 16);
	assert_int_equal(c.ha.vip[1].prefix, 128);
	assert_string_equal(c.ha.vip[1].dev, "eth0.10");
	assert_string_equal(ha_vip_str(&c.ha.vip[2], b, sizeof(b)),
			    "198.51.100.7/24 dev br-lan");
	assert_true(c.ha.preempt);
	assert_int_equal(c.ha.preempt_delay_ms, 30000);
	assert_int_equal(c.ha.garp_count, 3);
	assert_int_equal(c.ha.garp_interval_ms, 50);
	assert_string_equal(c.ha.notify, "/etc/pccvs/notify.sh");
	assert_int_equal(parse(&c, "preempt = no\n", err, sizeof(err)), 0);
	assert_false(c.ha.preempt);
}

static void bad(const char *text, const char *want)
{
	struct syncd_conf c;
	char err[256];

	assert_int_equal(parse(&c, text, err, sizeof(err)), -EINVAL);
	if (!strstr(err, want))
		fail_msg("`%s': got `%s', want `%s'", text, err, want);
}

static void test_errors(void **state)
{
	char many[2048] = "";

	bad("vip = 203.0.113.100 dev eth0\n", "t.conf:1: vip: `203.0.113.100': the prefix length is required");
	bad("vip = 203.0.113.100/33 dev eth0\n", "prefix `33' must be 1..32");
	bad("vip = 2001:db8::1/129 dev eth0\n", "must be 1..128");
	bad("vip = 203.0.113.100/0 dev eth0\n", "must be 1..32");
	bad("vip = 203.0.113.100/32x dev eth0\n", "must be 1..32");
	bad("vip = 203.0.113.100/32 eth0\n", "expected `ADDR/PREFIX dev IFNAME'");
	bad("vip = 203.0.113.100/32 dev\n", "expected `ADDR/PREFIX dev IFNAME'");
	bad("vip = 203.0.113.100/32 dev eth0 extra\n", "expected");
	bad("vip = example.com/32 dev eth0\n", "not a numeric IPv4 or IPv6 address");
	bad("vip = 0.0.0.0/32 dev eth0\n", "the unspecified address");
	bad("vip = 127.0.0.2/32 dev eth0\n", "loopback");
	bad("vip = 224.0.0.1/32 dev eth0\n", "multicast");
	bad("vip = ::1/128 dev eth0\n", "loopback");
	bad("vip = ff02::1/128 dev eth0\n", "multicast");
	bad("vip = fe80::1/64 dev eth0\n", "link-local");
	bad("vip = 203.0.113.100/32 dev eth/0\n", "not an interface name");
	bad("vip = 203.0.113.100/32 dev averyveryverylongname\n", "not an interface name");
	bad("vip = 203.0.113.100/32 dev eth0\nvip = 203.0.113.100/24 dev eth1\n",
	    "t.conf:2: vip: `203.0.113.100' is listed twice");
	for (int i = 0; i <= HA_VIP_MAX; i++)
		snprintf(many + strlen(many), sizeof(many) - strlen(many),
			 "vip = 203.0.113.%d/32 dev eth0\n", i + 1);
	bad(many, "at most 16 VIPs");
	bad("preempt = true\n", "t.conf:1: preempt: `true' must be yes or no");
	bad("preempt = yes\npreempt = no\n", "t.conf:2: preempt: set twice");
	bad("preempt_delay = 10\n", "t.conf:1: preempt_delay: only valid with preempt = yes");
	bad("preempt = yes\npreempt_delay = 3600001\n", "0..3600000");
	bad("preempt = yes\npreempt_delay = -1\n", "0..3600000");
	bad("garp_count = 0\n", "t.conf:1: garp_count: `0' is not an integer in 1..100");
	bad("garp_count = 101\n", "1..100");
	bad("garp_interval_ms = 9\n", "10..10000");
	bad("garp_interval_ms = 10001\n", "10..10000");
	bad("notify = notify.sh\n", "t.conf:1: notify: `notify.sh' must be an absolute path");
	bad("notify = /a b\n", "blanks or control characters");
	bad("notify =\n", "empty value");
	bad("priority = 256\n", "0..255");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_all_keys),
		cmocka_unit_test(test_errors),
	};
	struct pcc_test_run r = { 0 };

	PCC_TEST_GROUP(&r, "ha_conf", tests);
	return pcc_test_done(&r);
}
