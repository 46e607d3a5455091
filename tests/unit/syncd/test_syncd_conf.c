// SPDX-License-Identifier: GPL-2.0
/*
 * test_syncd_conf: syncd.conf parsing: defaults, every key, and one clear
 * "file:line: key: rule" error for each kind of mistake.
 */
#include "pcc_test.h"

#include <errno.h>
#include <string.h>
#include <syslog.h>

#include "conf.h"

static char err[512];

static int parse(struct syncd_conf *c, const char *text)
{
	conf_defaults(c);
	return conf_parse(c, text, strlen(text), "t.conf", err, sizeof(err));
}

static void expect_error(const char *text, const char *msg)
{
	struct syncd_conf c;

	assert_int_equal(parse(&c, text), -EINVAL);
	if (!strstr(err, msg))
		fail_msg("error `%s' does not contain `%s'", err, msg);
}

static void test_defaults(void **state)
{
	struct syncd_conf c;

	assert_int_equal(parse(&c, ""), 0);
	assert_string_equal(c.group, "pccvs");
	assert_int_equal(c.batch_templates, 2048);
	assert_int_equal(c.max_message_bytes, 65536);
	assert_int_equal(c.flush_interval_ms, 2);
	assert_int_equal(c.backend, SYNCD_BACKEND_NETLINK);
	assert_int_equal(c.log_target, SYNCD_LOG_SYSLOG);
	assert_int_equal(c.log_level, LOG_INFO);
	assert_string_equal(c.ipc_group, "");
}

static void test_all_keys(void **state)
{
	struct syncd_conf c;
	const char *text =
		"# comment\n"
		"   \n"
		"group = dir-ha.1   # trailing comment\n"
		"batch_templates=100\n"
		"max_message_bytes = 128K\n"
		"flush_interval_ms = 0\n"
		"retry_max_ms = 50\n"
		"netlink_rcvbuf = 8M\r\n"
		"max_pending = 4096\n"
		"snapshot_chunk_bytes = 32768\n"
		"status_wait_ms = 500\n"
		"xfer_timeout_ms = 2000\n"
		"priority = 255\n"
		"log_level = debug\n"
		"log_target = stderr\n"
		"ipc_group = pccvs\n"
		"backend = sim\n"
		"sim_tpl_max = 1000\n"
		"sim_conn_max = 2000\n"
		"sim_service = tcp 192.0.2.10 80 timeout=600 netmask=24 sched=wlc\n"
		"sim_service = udp 2001:db8::10 53 pgroup=dns\n"
		"sim_dest = tcp 192.0.2.10 80 203.0.113.1 8080 weight=3\n"
		"sim_dest = udp 2001:db8::10 53 2001:db8:2::1 53\n";

	assert_int_equal(parse(&c, text), 0);
	assert_string_equal(c.group, "dir-ha.1");
	assert_int_equal(c.batch_templates, 100);
	assert_int_equal(c.max_message_bytes, 131072);
	assert_int_equal(c.flush_interval_ms, 0);
	assert_int_equal(c.retry_max_ms, 50);
	assert_int_equal(c.netlink_rcvbuf, 8 << 20);
	assert_int_equal(c.max_pending, 4096);
	assert_int_equal(c.snapshot_chunk_bytes, 32768);
	assert_int_equal(c.status_wait_ms, 500);
	assert_int_equal(c.xfer_timeout_ms, 2000);
	assert_int_equal(c.priority, 255);
	assert_int_equal(c.log_level, LOG_DEBUG);
	assert_int_equal(c.log_target, SYNCD_LOG_STDERR);
	assert_string_equal(c.ipc_group, "pccvs");
	assert_int_equal(c.ipc_group_line, 16);
	assert_int_equal(c.backend, SYNCD_BACKEND_SIM);
	assert_int_equal(c.sim_tpl_max, 1000);
	assert_int_equal(c.n_sim_svc, 2);
	assert_int_equal(c.sim_svc[0].timeout, 600);
	assert_int_equal(c.sim_svc[0].netmask, 24);
	assert_string_equal(c.sim_svc[0].sched, "wlc");
	assert_int_equal(c.sim_svc[1].af, AF_INET6);
	assert_int_equal(c.sim_svc[1].netmask, 128);
	assert_string_equal(c.sim_svc[1].pgroup, "dns");
	assert_int_equal(c.n_sim_dest, 2);
	assert_int_equal(c.sim_dest[0].port, 8080);
	assert_int_equal(c.sim_dest[0].weight, 3);
	assert_int_equal(c.sim_dest[1].svc, 1);
}

static void test_errors(void **state)
{
	expect_error("frobnicate = 1\n", "t.conf:1: syntax: unknown key `frobnicate'");
	expect_error("\n\ngroup\n", "t.conf:3: syntax: expected `key = value'");
	expect_error("group = a\ngroup = b\n", "t.conf:2: group: set twice (first on line 1)");
	expect_error("group = \n", "t.conf:1: group: empty value");
	expect_error("group = a b\n", "group: `a b' must be 1..127 characters");
	expect_error("batch_templates = 0\n", "batch_templates: `0' is not an integer in 1..65536");
	expect_error("batch_templates = 12x\n", "is not an integer");
	expect_error("batch_templates = -1\n", "is not an integer");
	expect_error("batch_templates = 99999999999999999999999\n", "is not an integer");
	expect_error("max_message_bytes = 2M\n", "max_message_bytes: `2M' is not a size");
	expect_error("netlink_rcvbuf = 4T\n", "is not a size");
	expect_error("flush_interval_ms = 1001\n", "0..1000");
	expect_error("log_level = loud\n", "log_level: `loud' must be one of");
	expect_error("log_target = file\n", "must be syslog or stderr");
	expect_error("backend = kernel\n", "must be netlink or sim");
	expect_error("ipc_group = a:b\n", "ipc_group: `a:b' must be a group name");
	expect_error("sim_service = tcp 192.0.2.1 80\n",
		     "t.conf:1: sim_*: only valid with backend = sim");
	expect_error("backend = sim\nsim_service = icmp 192.0.2.1 80\n",
		     "t.conf:2: sim_service: protocol `icmp'");
	expect_error("backend = sim\nsim_service = tcp 192.0.2.300 80\n",
		     "not a numeric IPv4/IPv6 address");
	expect_error("backend = sim\nsim_service = tcp 192.0.2.1 65536\n",
		     "port `65536' must be 0..65535");
	expect_error("backend = sim\nsim_service = tcp 192.0.2.1 80 netmask=33\n",
		     "netmask must be 0..32");
	expect_error("backend = sim\nsim_service = tcp 192.0.2.1 80 colour=red\n",
		     "unknown option `colour=red'");
	expect_error("backend = sim\nsim_service = tcp 192.0.2.1 80\n"
		     "sim_service = tcp 192.0.2.1 80\n", "t.conf:3: sim_service: service tcp 192.0.2.1 80 defined twice");
	expect_error("backend = sim\nsim_dest = tcp 192.0.2.1 80 203.0.113.1 80\n",
		     "not defined by an earlier sim_service line");
	expect_error("backend = sim\nsim_service = tcp 192.0.2.1 80\n"
		     "sim_dest = tcp 192.0.2.1 80 2001:db8::1 80\n",
		     "not an address of the service's family");
	expect_error("backend = sim\nsim_service = tcp 192.0.2.1 80\n"
		     "sim_dest = tcp 192.0.2.1 80 203.0.113.1 80 weight=70000\n",
		     "weight=0..65535");
	expect_error("max_message_bytes = 8192\nsnapshot_chunk_bytes = 16384\n",
		     "t.conf:2: snapshot_chunk_bytes: must not exceed max_message_bytes");
	/* a NUL byte inside the text */
	struct syncd_conf c;
	conf_defaults(&c);
	assert_int_equal(conf_parse(&c, "group = a\0b\n", 12, "t.conf", err,
				    sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "NUL byte"));
}

static void test_load(void **state)
{
	struct syncd_conf c;

	conf_defaults(&c);
	assert_int_equal(conf_load(&c, "/nonexistent/syncd.conf", err,
				   sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "/nonexistent/syncd.conf"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_all_keys),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_load),
	};
	struct pcc_test_run r = { 0 };

	PCC_TEST_GROUP(&r, "syncd_conf", tests);
	return pcc_test_done(&r);
}
