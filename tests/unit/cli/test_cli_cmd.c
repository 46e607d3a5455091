// SPDX-License-Identifier: GPL-2.0
/*
 * test_cli_cmd.c: whole pccvsadm commands against the fake backend: exit
 * statuses, messages, listings (ipvsadm's layout), JSON shapes, -R/-S, and
 * what is reported when the backend refuses an edit midway.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "pcc_test.h"
#include "cli_fake.h"
#include "grammar.h"

static struct cli_fake fake;

static int setup(void **state)
{
	cli_fake_init(&fake);
	return 0;
}

static int teardown(void **state)
{
	cli_fake_free(&fake);
	return 0;
}

/* Runs cmdline; checks the status and both outputs exactly. */
static void expect(const char *in, const char *cmdline, int status,
		   const char *out, const char *err)
{
	struct cli_result r;

	cli_run(&fake, in, cmdline, &r);
	if (r.status != status || strcmp(r.out, out) || strcmp(r.err, err))
		fail_msg("`%s': status %d\n--- out:\n%s--- want:\n%s--- err:\n%s--- want:\n%s",
			 cmdline, r.status, r.out, out, r.err, err);
	cli_result_free(&r);
}

static void web(void)
{
	cli_ok(&fake, "-A -t 192.0.2.10:80 -s wlc -p 300 -M 255.255.255.0 --pgroup web");
	cli_ok(&fake, "-a -t 192.0.2.10:80 -r 198.51.100.1:80 -g -w 1");
	cli_ok(&fake, "-a -t 192.0.2.10:80 -r 198.51.100.2");
	/* a new port joins with the group's real servers */
	cli_ok(&fake, "-A -t 192.0.2.10:443 -p -M 24 --pgroup web --all-ports");
}

/* s names option o: "-o" between separators (space, '|', ',', '[', ']'). */
static bool mentions(const char *s, char o)
{
	const char *p;

	for (p = strchr(s, '-'); p; p = strchr(p + 1, '-'))
		if (p[1] == o && strchr(" |[", p == s ? ' ' : p[-1]) &&
		    strchr(" |],\n", p[2]))
			return true;
	return false;
}

static void test_help_names_every_option(void **state)
{
	const struct adm_optdesc *d;
	struct cli_result r;
	char want[64];

	cli_run(&fake, NULL, "-h", &r);
	assert_int_equal(r.status, 0);
	assert_string_equal(r.err, "");
	for (d = adm_opts; d->lname || d->sname; d++) {
		if (d->refuse)
			continue;
		if (d->lname)
			snprintf(want, sizeof(want), "--%s", d->lname);
		else
			snprintf(want, sizeof(want), "-%c", d->sname);
		if (!strstr(r.out, want))
			fail_msg("-h does not mention %s", want);
		if (d->sname && !mentions(r.out, d->sname))
			fail_msg("-h does not mention -%c", d->sname);
	}
	cli_result_free(&r);
	assert_int_equal(fake.opens, 0);	/* no backend needed */
}

static void test_bad_input_exit_2_before_the_backend(void **state)
{
	expect(NULL, "-A -t 192.0.2.10:70000", 2, "",
	       "pccvsadm: invalid port `70000': must be 0-65535\n");
	expect(NULL, "-a -t 192.0.2.10:80 -r 198.51.100.1 -w 65536", 2, "",
	       "pccvsadm: invalid weight `65536': must be 0-65535\n");
	expect(NULL, "-A -t nonexistent.invalid:80", 2, "",
	       "pccvsadm: unknown host name `nonexistent.invalid'\n");
	assert_int_equal(fake.opens, 0);
	/* refused by validation: the backend was asked, nothing applied */
	expect(NULL, "-D -t 192.0.2.10:80", 2, "", "pccvsadm: no service TCP 192.0.2.10:80\n");
	assert_int_equal(fake.log.n, 0);
}

static void test_module_not_loaded(void **state)
{
	fake.open_ret = -ENOENT;
	expect(NULL, "-L -n", 1, "",
	       "pccvsadm: the pccvs module is not loaded (modprobe pccvs)\n");
	fake.open_msg = "generic netlink family `pccvs' not found (module not loaded?)";
	expect(NULL, "-A -t 192.0.2.10:80", 1, "",
	       "pccvsadm: generic netlink family `pccvs' not found (module not loaded?)\n");
	fake.open_ret = -EPERM;
	fake.open_msg = NULL;
	expect(NULL, "-C", 1, "", "pccvsadm: Operation not permitted\n");
	/* bad input is still bad input */
	expect(NULL, "-A -t 192.0.2.10:70000", 2, "",
	       "pccvsadm: invalid port `70000': must be 0-65535\n");
}

static const char list_plain[] =
	"IP Virtual Server version 0.1.0 (size=4096)\n"
	"Prot LocalAddress:Port Scheduler Flags\n"
	"  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n"
	"TCP  192.0.2.10:80 wlc persistent 300 mask 255.255.255.0 pgroup web\n"
	"  -> 198.51.100.1:80              Route   1      0          0         \n"
	"  -> 198.51.100.2:80              Route   1      0          0         \n"
	"TCP  192.0.2.10:443 wlc persistent 300 mask 255.255.255.0 pgroup web\n"
	"  -> 198.51.100.1:443             Route   1      0          0         \n"
	"  -> 198.51.100.2:443             Route   1      0          0         \n"
	"UDP  [2001:db8::1]:53 sh (sh-fallback,sh-port)\n"
	"  -> [2001:db8::10]:5353          Masq    0      3          4         \n"
	"FWM  7 IPv6 rr persistent 60 mask 64\n";

static void test_list_like_ipvsadm(void **state)
{
	web();
	cli_ok(&fake, "-A -u [2001:db8::1]:53 -s sh -b sh-fallback,sh-port");
	cli_ok(&fake, "-a -u [2001:db8::1]:53 -r [2001:db8::10]:5353 -m -w 0");
	cli_ok(&fake, "-A -f 7 -6 -s rr -p 60 -M 64");
	fake.m.svcs[2].dests[0].active = 3;
	fake.m.svcs[2].dests[0].inactive = 4;
	expect(NULL, "-L -n", 0, list_plain, "");
	expect(NULL, "-ln --nosort", 0, list_plain, "");	/* added in order */
	expect(NULL, "-L -n -u [2001:db8::1]:53", 0,
	       "IP Virtual Server version 0.1.0 (size=4096)\n"
	       "Prot LocalAddress:Port Scheduler Flags\n"
	       "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n"
	       "UDP  [2001:db8::1]:53 sh (sh-fallback,sh-port)\n"
	       "  -> [2001:db8::10]:5353          Masq    0      3          4         \n", "");
	expect(NULL, "-L -n -t 192.0.2.10:8080", 2, "",
	       "pccvsadm: no service TCP 192.0.2.10:8080\n");
}

static void test_list_columns(void **state)
{
	struct pccvs_stats st = { .conns = 12, .inpkts = 123456789, .outpkts = 0,
		.inbytes = 98765432109ULL, .outbytes = 5, .cps = 1, .inpps = 2,
		.outpps = 3, .inbps = 4000000000ULL, .outbps = 5 };

	cli_ok(&fake, "-A -t 192.0.2.10:80");
	cli_ok(&fake, "-a -t 192.0.2.10:80 -r 198.51.100.1 -x 100 -y 10");
	fake.m.svcs[0].s.stats = st;
	fake.m.svcs[0].dests[0].stats = st;
	fake.m.svcs[0].dests[0].persist = 8;
	expect(NULL, "-L -n --stats", 0,
	       "IP Virtual Server version 0.1.0 (size=4096)\n"
	       "Prot LocalAddress:Port               Conns   InPkts  OutPkts  InBytes OutBytes\n"
	       "  -> RemoteAddress:Port\n"
	       "TCP  192.0.2.10:80                      12  123456K        0   98765M        5\n"
	       "  -> 198.51.100.1:80                    12  123456K        0   98765M        5\n", "");
	expect(NULL, "-L -n --stats --exact", 0,
	       "IP Virtual Server version 0.1.0 (size=4096)\n"
	       "Prot LocalAddress:Port               Conns   InPkts  OutPkts  InBytes OutBytes\n"
	       "  -> RemoteAddress:Port\n"
	       "TCP  192.0.2.10:80                      12 123456789        0 98765432109        5\n"
	       "  -> 198.51.100.1:80                    12 123456789        0 98765432109        5\n", "");
	expect(NULL, "-L -n --rate", 0,
	       "IP Virtual Server version 0.1.0 (size=4096)\n"
	       "Prot LocalAddress:Port                 CPS    InPPS   OutPPS    InBPS   OutBPS\n"
	       "  -> RemoteAddress:Port\n"
	       "TCP  192.0.2.10:80                       1        2        3    4000M        5\n"
	       "  -> 198.51.100.1:80                     1        2        3    4000M        5\n", "");
	expect(NULL, "-L -n --thresholds", 0,
	       "IP Virtual Server version 0.1.0 (size=4096)\n"
	       "Prot LocalAddress:Port            Uthreshold Lthreshold ActiveConn InActConn \n"
	       "  -> RemoteAddress:Port\n"
	       "TCP  192.0.2.10:80 wlc\n"
	       "  -> 198.51.100.1:80              100        10         0          0         \n", "");
	expect(NULL, "-L -n --persistent-conn", 0,
	       "IP Virtual Server version 0.1.0 (size=4096)\n"
	       "Prot LocalAddress:Port            Weight    PersistConn ActiveConn InActConn \n"
	       "  -> RemoteAddress:Port\n"
	       "TCP  192.0.2.10:80 wlc\n"
	       "  -> 198.51.100.1:80              1         8           0          0         \n", "");
}

static const char json_services[] =
	"{\n"
	"  \"version\": \"0.1.0\",\n"
	"  \"conn_buckets\": 4096,\n"
	"  \"services\": [\n"
	"    {\n"
	"      \"af\": \"inet\",\n"
	"      \"protocol\": \"TCP\",\n"
	"      \"address\": \"192.0.2.10\",\n"
	"      \"port\": 80,\n"
	"      \"fwmark\": 0,\n"
	"      \"scheduler\": \"sh\",\n"
	"      \"sched_flags\": [\n"
	"        \"sh-port\"\n"
	"      ],\n"
	"      \"persistent\": true,\n"
	"      \"timeout\": 300,\n"
	"      \"netmask\": 24,\n"
	"      \"pgroup\": \"web\",\n"
	"      \"templates\": 0,\n"
	"      \"stats\": {\n"
	"        \"conns\": 0,\n"
	"        \"inpkts\": 0,\n"
	"        \"outpkts\": 0,\n"
	"        \"inbytes\": 0,\n"
	"        \"outbytes\": 0,\n"
	"        \"cps\": 0,\n"
	"        \"inpps\": 0,\n"
	"        \"outpps\": 0,\n"
	"        \"inbps\": 0,\n"
	"        \"outbps\": 0\n"
	"      },\n"
	"      \"dests\": [\n"
	"        {\n"
	"          \"address\": \"198.51.100.1\",\n"
	"          \"port\": 80,\n"
	"          \"forward\": \"route\",\n"
	"          \"weight\": 1,\n"
	"          \"u_threshold\": 0,\n"
	"          \"l_threshold\": 0,\n"
	"          \"active_conns\": 0,\n"
	"          \"inactive_conns\": 0,\n"
	"          \"persistent_conns\": 0,\n"
	"          \"stats\": {\n"
	"            \"conns\": 0,\n"
	"            \"inpkts\": 0,\n"
	"            \"outpkts\": 0,\n"
	"            \"inbytes\": 0,\n"
	"            \"outbytes\": 0,\n"
	"            \"cps\": 0,\n"
	"            \"inpps\": 0,\n"
	"            \"outpps\": 0,\n"
	"            \"inbps\": 0,\n"
	"            \"outbps\": 0\n"
	"          }\n"
	"        }\n"
	"      ]\n"
	"    },\n"
	"    {\n"
	"      \"af\": \"inet6\",\n"
	"      \"protocol\": \"\",\n"
	"      \"address\": \"\",\n"
	"      \"port\": 0,\n"
	"      \"fwmark\": 9,\n"
	"      \"scheduler\": \"wlc\",\n"
	"      \"sched_flags\": [],\n"
	"      \"persistent\": false,\n"
	"      \"timeout\": 0,\n"
	"      \"netmask\": 128,\n"
	"      \"pgroup\": \"\",\n"
	"      \"templates\": 0,\n"
	"      \"stats\": {\n"
	"        \"conns\": 0,\n"
	"        \"inpkts\": 0,\n"
	"        \"outpkts\": 0,\n"
	"        \"inbytes\": 0,\n"
	"        \"outbytes\": 0,\n"
	"        \"cps\": 0,\n"
	"        \"inpps\": 0,\n"
	"        \"outpps\": 0,\n"
	"        \"inbps\": 0,\n"
	"        \"outbps\": 0\n"
	"      },\n"
	"      \"dests\": []\n"
	"    }\n"
	"  ]\n"
	"}\n";

static void test_json_services(void **state)
{
	cli_ok(&fake, "-A -t 192.0.2.10:80 -s sh -b sh-port -p -M 24 --pgroup web");
	cli_ok(&fake, "-a -t 192.0.2.10:80 -r 198.51.100.1");
	cli_ok(&fake, "-A -f 9 -6");
	expect(NULL, "-L -o json", 0, json_services, "");
	expect(NULL, "-L --stats --exact -n -o json", 0, json_services, "");
}

static void test_json_other_listings(void **state)
{
	struct pccvs_tpl *t = &fake.tpls[0];
	struct pccvs_conn *c = &fake.conns[0];

	*t = (struct pccvs_tpl){ .af = AF_INET, .protocol = IPPROTO_TCP, .vport = 80,
		.caddr = { .af = AF_INET }, .daddr = { .af = AF_INET }, .vaddr = { .af = AF_INET },
		.dport = 80, .flags = PCCVS_TPL_F_CONFIRMED, .remaining_ms = 299500,
		.stamp = 42, .nctl = 2, .timeout = 300, .netmask = 24 };
	inet_pton(AF_INET, "192.0.2.10", t->vaddr.b);
	inet_pton(AF_INET, "203.0.113.0", t->caddr.b);
	inet_pton(AF_INET, "198.51.100.1", t->daddr.b);
	fake.tpls[1] = *t;
	strcpy(fake.tpls[1].pgroup, "web");
	fake.tpls[1].flags = PCCVS_TPL_F_REPLICATED;
	fake.ntpls = 2;
	*c = (struct pccvs_conn){ .af = AF_INET, .protocol = IPPROTO_TCP,
		.state = PCCVS_CS_ESTABLISHED, .fwd = PCCVS_FWD_DR, .cport = 40000,
		.vport = 80, .dport = 80, .flags = PCCVS_CONN_F_TEMPLATE | PCCVS_CONN_F_CONFIRMED,
		.remaining_ms = 899000, .caddr = t->caddr, .vaddr = t->vaddr, .daddr = t->daddr };
	inet_pton(AF_INET, "203.0.113.7", c->caddr.b);
	fake.nconns = 1;

	expect(NULL, "-L --templates -n", 0,
	       "Persistence templates\n"
	       "Prot Domain                   Client               Server                 Expire  Confirmed Conns Origin\n"
	       "TCP  192.0.2.10:80            203.0.113.0/24       198.51.100.1:80        04:59   yes       2     local\n"
	       "GRP  web@192.0.2.10           203.0.113.0/24       198.51.100.1:80        04:59   no        2     replicated\n", "");
	expect(NULL, "-L --templates -o json -t 192.0.2.10:80", 0,
	       "{\n  \"templates\": [\n    {\n"
	       "      \"af\": \"inet\",\n      \"protocol\": \"TCP\",\n"
	       "      \"virtual_address\": \"192.0.2.10\",\n      \"virtual_port\": 80,\n"
	       "      \"fwmark\": 0,\n      \"pgroup\": \"\",\n"
	       "      \"client_address\": \"203.0.113.0\",\n      \"netmask\": 24,\n"
	       "      \"server_address\": \"198.51.100.1\",\n      \"server_port\": 80,\n"
	       "      \"expires_ms\": 299500,\n      \"timeout\": 300,\n"
	       "      \"confirmed\": true,\n      \"origin\": \"local\",\n"
	       "      \"controlled_conns\": 2,\n      \"stamp\": 42\n    },\n"
	       "    {\n"
	       "      \"af\": \"inet\",\n      \"protocol\": \"TCP\",\n"
	       "      \"virtual_address\": \"192.0.2.10\",\n      \"virtual_port\": 80,\n"
	       "      \"fwmark\": 0,\n      \"pgroup\": \"web\",\n"
	       "      \"client_address\": \"203.0.113.0\",\n      \"netmask\": 24,\n"
	       "      \"server_address\": \"198.51.100.1\",\n      \"server_port\": 80,\n"
	       "      \"expires_ms\": 299500,\n      \"timeout\": 300,\n"
	       "      \"confirmed\": false,\n      \"origin\": \"replicated\",\n"
	       "      \"controlled_conns\": 2,\n      \"stamp\": 42\n    }\n  ]\n}\n", "");
	assert_true(fake.tpl_filtered);
	assert_int_equal(fake.tpl_filter.port, 80);

	expect(NULL, "-L -c -n", 0,
	       "IPVS connection entries\n"
	       "pro expire state       source             virtual            destination\n"
	       "TCP 14:59  ESTABLISHED 203.0.113.7:40000  192.0.2.10:80      198.51.100.1:80\n", "");
	expect(NULL, "-L -c -n -t 192.0.2.10:443", 0,
	       "IPVS connection entries\n"
	       "pro expire state       source             virtual            destination\n", "");
	expect(NULL, "-L -c -o json", 0,
	       "{\n  \"connections\": [\n    {\n"
	       "      \"af\": \"inet\",\n      \"protocol\": \"TCP\",\n"
	       "      \"client_address\": \"203.0.113.7\",\n      \"client_port\": 40000,\n"
	       "      \"virtual_address\": \"192.0.2.10\",\n      \"virtual_port\": 80,\n"
	       "      \"server_address\": \"198.51.100.1\",\n      \"server_port\": 80,\n"
	       "      \"fwmark\": 0,\n      \"state\": \"ESTABLISHED\",\n"
	       "      \"forward\": \"route\",\n      \"expires_ms\": 899000,\n"
	       "      \"template\": true,\n      \"restored\": false,\n"
	       "      \"confirmed\": true\n    }\n  ]\n}\n", "");
	expect(NULL, "-L --timeout", 0, "Timeout (tcp tcpfin udp): 900 120 300\n", "");
	expect(NULL, "-L --timeout -o json", 0,
	       "{\n  \"timeouts\": {\n    \"tcp\": 900,\n    \"tcpfin\": 120,\n    \"udp\": 300,\n"
	       "    \"tcp_syn_recv\": 60,\n    \"tcp_time_wait\": 120,\n    \"tcp_close\": 10,\n"
	       "    \"tcp_close_wait\": 60,\n    \"tcp_last_ack\": 30\n  }\n}\n", "");
}

static void test_info(void **state)
{
	fake.info.svc_count = 2;
	fake.info.conn_count = 12;
	fake.info.tpl_count = 3;
	expect(NULL, "--info", 0,
	       "pccvs module version 0.1.0\n"
	       "  services             2\n"
	       "  connections          12 of 1000000 (refused 0)\n"
	       "  templates            3 of 250000 (refused 0)\n"
	       "  connection table     4096 buckets, 0 bytes per entry\n"
	       "  template table       0 buckets, 0 bytes per entry\n"
	       "  mid-stream           0 connections restored from templates, 0 packets dropped without one\n"
	       "  events               batch 0, 0 lost; refresh announced after 25% of the timeout\n"
	       "  injected templates   0 applied, 0 stale\n", "");
	expect(NULL, "--info -o json", 0,
	       "{\n  \"version\": \"0.1.0\",\n  \"svc_count\": 2,\n  \"conn_count\": 12,\n"
	       "  \"conn_max\": 1000000,\n  \"conn_refused\": 0,\n  \"conn_buckets\": 4096,\n"
	       "  \"conn_size\": 0,\n  \"tpl_count\": 3,\n  \"tpl_max\": 250000,\n"
	       "  \"tpl_refused\": 0,\n  \"tpl_buckets\": 0,\n  \"tpl_size\": 0,\n"
	       "  \"restored\": 0,\n  \"no_template_drops\": 0,\n  \"ev_seq\": 0,\n"
	       "  \"ev_lost\": 0,\n  \"tpl_injected\": 0,\n  \"tpl_stale\": 0,\n"
	       "  \"refresh_pct\": 25\n}\n", "");
}

static void test_save_and_restore(void **state)
{
	static const char saved[] =
		"-A -t 192.0.2.10:80 -s wlc -p 300 -M 255.255.255.0 --pgroup web\n"
		"-a -t 192.0.2.10:80 -r 198.51.100.1:80 -g -w 1\n"
		"-a -t 192.0.2.10:80 -r 198.51.100.2:80 -g -w 1\n"
		"-A -t 192.0.2.10:443 -s wlc -p 300 -M 255.255.255.0 --pgroup web\n"
		"-a -t 192.0.2.10:443 -r 198.51.100.1:443 -g -w 1\n"
		"-a -t 192.0.2.10:443 -r 198.51.100.2:443 -g -w 1\n";

	web();
	expect(NULL, "-S -n", 0, saved, "");
	expect(NULL, "-C", 0, "", "");
	expect(NULL, "-S -n", 0, "", "");
	expect(saved, "-R", 0, "", "");
	expect(NULL, "-S -n", 0, saved, "");
	/* the same again: every line refused, nothing applied */
	fake.log.n = 0;
	expect(saved, "--restore", 2, "",
	       "pccvsadm: line 1: service TCP 192.0.2.10:80 already exists\n");
	assert_int_equal(fake.log.n, 0);
	expect("-C\n", "-R", 0, "", "");
	expect("ipvsadm -A -t 192.0.2.10:80\nipvsadm -A -t 192.0.2.10:80:1\n-L\n", "-R", 2, "",
	       "pccvsadm: line 2: invalid virtual service address `192.0.2.10:80:1': not an IPv4 address or host name\n"
	       "pccvsadm: line 3: -L (--list) is not allowed in -R input\n"
	       "pccvsadm: 2 bad lines in -R input; nothing was changed\n");
	expect("", "-R", 0, "", "");
	assert_int_equal(fake.m.n, 0);
}

static void test_partial_apply_is_reported(void **state)
{
	static const char in[] =
		"-A -t 192.0.2.10:80\n"
		"\n"
		"-a -t 192.0.2.10:80 -r 198.51.100.1\n"
		"-a -t 192.0.2.10:80 -r 198.51.100.2\n"
		"-a -t 192.0.2.10:80 -r 198.51.100.3\n";

	fake.fail_at = 2;
	fake.fail_code = -ENOSPC;
	expect(in, "-R", 1, "",
	       "pccvsadm: line 4: -a -t 192.0.2.10:80 -r 198.51.100.2:80: kernel says no (2)\n"
	       "pccvsadm: applied 2 of 4 changes (input lines 1-3); not applied: input lines 4-5\n");
	assert_int_equal(fake.log.n, 2);
	assert_int_equal(fake.m.n, 1);

	fake.fail_at = -1;
	cli_ok(&fake, "-C");
	cli_ok(&fake, "-A -t 192.0.2.10:80 -p --pgroup web");
	cli_ok(&fake, "-A -t 192.0.2.10:443 -p --pgroup web");
	fake.fail_at = (long)fake.log.n + 1;
	expect(NULL, "-a -t 192.0.2.10:80 -r 198.51.100.9 --all-ports", 1, "",
	       "pccvsadm: -a -t 192.0.2.10:443 -r 198.51.100.9:443: kernel says no (1)\n"
	       "pccvsadm: applied 1 of 2 changes: -a -t 192.0.2.10:80 -r 198.51.100.9:80; not applied: -a -t 192.0.2.10:443 -r 198.51.100.9:443\n");
	fake.fail_at = (long)fake.log.n;
	/* the group is now short of .9 on 443, which does not block this */
	expect(NULL, "-a -t 192.0.2.10:80 -r 198.51.100.8 --all-ports", 1, "",
	       "pccvsadm: -a -t 192.0.2.10:80 -r 198.51.100.8:80: kernel says no (0)\n"
	       "pccvsadm: nothing was changed\n");
	expect(NULL, "-D -t 192.0.2.10:443", 1, "",
	       "pccvsadm: -D -t 192.0.2.10:443: kernel says no (0)\n");
}

static void test_edits_reach_the_backend(void **state)
{
	cli_ok(&fake, "--set 0 60 0");
	cli_ok(&fake, "--set-limits 500000 0");
	cli_ok(&fake, "-A -t 192.0.2.10:80");
	cli_ok(&fake, "-Z -t 192.0.2.10:80");
	cli_ok(&fake, "-Z");
	cli_ok(&fake, "-C");
	assert_int_equal(fake.log.n, 6);
	assert_int_equal(fake.log.v[0].op, ADM_SET_CFG);
	assert_int_equal(fake.log.v[0].cfg.tcp_fin_wait, 60);
	assert_int_equal(fake.log.v[0].cfg.tcp_est, 0);
	assert_int_equal(fake.log.v[1].cfg.conn_max, 500000);
	assert_true(fake.log.v[3].flags & ADM_EF_SVC);
	assert_false(fake.log.v[4].flags & ADM_EF_SVC);
	assert_int_equal(fake.log.v[5].op, ADM_CLEAR);
	expect(NULL, "-Z -t 192.0.2.10:80", 2, "", "pccvsadm: no service TCP 192.0.2.10:80\n");
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_help_names_every_option),
		T(test_bad_input_exit_2_before_the_backend),
		T(test_module_not_loaded),
		T(test_list_like_ipvsadm),
		T(test_list_columns),
		T(test_json_services),
		T(test_json_other_listings),
		T(test_info),
		T(test_save_and_restore),
		T(test_partial_apply_is_reported),
		T(test_edits_reach_the_backend),
	};
	struct pcc_test_run r = { 0 };

	PCC_TEST_GROUP(&r, "cli_cmd", tests);
	return pcc_test_done(&r);
}
