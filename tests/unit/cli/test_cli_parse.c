// SPDX-License-Identifier: GPL-2.0
/*
 * test_cli_parse.c: pccvsadm's parser. What each option turns into, and
 * every refusal, with its exact message (the bad token and the rule).
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
#include "parse.h"

/* Parse a command line (words split on spaces, '' = empty word). */
static int parse(const char *line, struct adm_cmd *cmd, struct pccvs_err *err)
{
	char *buf = strdup(line), *words[64], *save = NULL, *w;
	int n = 0, ret;

	assert_non_null(buf);
	for (w = strtok_r(buf, " ", &save); w; w = strtok_r(NULL, " ", &save))
		words[n++] = strcmp(w, "''") ? w : (char *)"";
	memset(err, 0, sizeof(*err));
	ret = adm_parse(n, words, cmd, err);
	free(buf);
	return ret;
}

static struct adm_cmd ok(const char *line)
{
	struct pccvs_err err;
	struct adm_cmd cmd;

	if (parse(line, &cmd, &err))
		fail_msg("`%s' refused: %s", line, err.msg);
	return cmd;
}

static void v4(const struct pccvs_addr *a, const char *s)
{
	char buf[64];

	assert_int_equal(a->af, AF_INET);
	assert_string_equal(inet_ntop(AF_INET, a->b, buf, sizeof(buf)), s);
}

static void test_ipvsadm_service_line(void **state)
{
	struct adm_cmd c = ok("-A -t 192.0.2.10:80 -s wlc -p 300 -M 255.255.255.0");
	const struct adm_edit *e = &c.edit;

	assert_int_equal(c.verb->id, ADM_V_SVC_ADD);
	assert_int_equal(e->op, ADM_SVC_ADD);
	assert_int_equal(e->svc.af, AF_INET);
	assert_int_equal(e->svc.protocol, IPPROTO_TCP);
	v4(&e->svc.addr, "192.0.2.10");
	assert_int_equal(e->svc.port, 80);
	assert_string_equal(e->svc.sched, "wlc");
	assert_int_equal(e->svc.flags, PCCVS_SVC_F_PERSISTENT);
	assert_int_equal(e->svc_flag_bits, PCCVS_SVC_F_PERSISTENT);
	assert_int_equal(e->svc.timeout, 300);
	assert_int_equal(e->svc.netmask, 24);
	assert_int_equal(e->svc_mask, PCCVS_SVC_SET_SCHED | PCCVS_SVC_SET_FLAGS |
			 PCCVS_SVC_SET_TIMEOUT | PCCVS_SVC_SET_NETMASK);
	assert_true(e->flags & ADM_EF_MASK_DOTTED);
	assert_false(adm_edit_unresolved(e));
}

static void test_ipvsadm_server_line(void **state)
{
	struct adm_cmd c = ok("-a -t 192.0.2.10:80 -r 198.51.100.1:80 -g -w 1");
	const struct adm_edit *e = &c.edit;

	assert_int_equal(e->op, ADM_DEST_ADD);
	v4(&e->dest.addr, "198.51.100.1");
	assert_int_equal(e->dest.port, 80);
	assert_int_equal(e->dest.fwd, PCCVS_FWD_DR);
	assert_int_equal(e->dest.weight, 1);
	assert_int_equal(e->dest_mask, PCCVS_DEST_SET_FWD | PCCVS_DEST_SET_WEIGHT);

	c = ok("-a -u 192.0.2.10:53 -r 198.51.100.1:5353 -m -w 0 -x 100 -y 50");
	e = &c.edit;
	assert_int_equal(e->svc.protocol, IPPROTO_UDP);
	assert_int_equal(e->dest.port, 5353);
	assert_int_equal(e->dest.fwd, PCCVS_FWD_NAT);
	assert_int_equal(e->dest.weight, 0);
	assert_int_equal(e->dest.u_thresh, 100);
	assert_int_equal(e->dest.l_thresh, 50);
	assert_int_equal(e->dest_mask, PCCVS_DEST_SET_ALL);

	c = ok("-e -t 192.0.2.10:80 -r 198.51.100.1 -i --tun-type ipip");
	assert_int_equal(c.edit.dest.fwd, PCCVS_FWD_TUN);
	assert_int_equal(c.edit.dest.port, 80);	/* the service's port */
	assert_int_equal(c.edit.dest_mask, PCCVS_DEST_SET_FWD);
}

static void test_ipv6_fwmark_sctp(void **state)
{
	struct adm_cmd c = ok("-A -u [2001:db8::1]:53 -s rr");
	char buf[64];

	assert_int_equal(c.edit.svc.af, AF_INET6);
	assert_string_equal(inet_ntop(AF_INET6, c.edit.svc.addr.b, buf, sizeof(buf)),
			    "2001:db8::1");
	assert_int_equal(c.edit.svc.port, 53);

	c = ok("-A -f 7 -6 -s sh -b sh-fallback,sh-port -p");
	assert_int_equal(c.edit.svc.af, AF_INET6);
	assert_int_equal(c.edit.svc.fwmark, 7);
	assert_int_equal(c.edit.svc.protocol, 0);
	assert_int_equal(c.edit.sched_family, ADM_SF_SH);
	assert_int_equal(c.edit.svc.flags, PCCVS_SVC_F_PERSISTENT |
			 PCCVS_SVC_F_SCHED1 | PCCVS_SVC_F_SCHED2);
	assert_int_equal(c.edit.svc.timeout, PCCVS_PERSIST_TIMEOUT_DEFAULT);

	c = ok("-A --sctp-service 192.0.2.10 -p 60 -M 0");
	assert_int_equal(c.edit.svc.protocol, IPPROTO_SCTP);
	assert_int_equal(c.edit.svc.port, 0);
	assert_int_equal(c.edit.svc.netmask, 0);

	c = ok("-a -f 1 -r 198.51.100.1");
	assert_int_equal(c.edit.dest.port, 0);	/* fwmark: no service port */

	c = ok("-A -u [2001:db8::1]:53 -p -M 64");
	assert_int_equal(c.edit.svc.netmask, 64);
}

static void test_forms(void **state)
{
	struct adm_cmd c = ok("");

	assert_int_equal(c.verb->id, ADM_V_LIST);
	c = ok("-n");
	assert_int_equal(c.verb->id, ADM_V_LIST);
	assert_true(c.opts & ADM_OPT(ADM_O_NUMERIC));
	c = ok("-lcn");
	assert_int_equal(c.verb->id, ADM_V_LIST);
	assert_true(c.opts & ADM_OPT(ADM_O_CONN));
	c = ok("-Lo json");
	assert_int_equal(c.output, ADM_OUT_JSON);
	c = ok("-L --output=json --templates -t 192.0.2.10:443");
	assert_int_equal(c.output, ADM_OUT_JSON);
	assert_true(c.edit.flags & ADM_EF_SVC);
	c = ok("-L -o text --stats --exact");
	assert_int_equal(c.output, ADM_OUT_TEXT);
	c = ok("--tcp-service=192.0.2.10:80 --add-service --persistent=120 --scheduler=rr");
	assert_int_equal(c.edit.svc.timeout, 120);
	assert_string_equal(c.edit.svc.sched, "rr");
	c = ok("-A -t 192.0.2.10:80 -p120 -srr");
	assert_int_equal(c.edit.svc.timeout, 120);
	assert_string_equal(c.edit.svc.sched, "rr");
	c = ok("-Z");
	assert_int_equal(c.edit.op, ADM_ZERO);
	assert_false(c.edit.flags & ADM_EF_SVC);
	c = ok("-Z -t 192.0.2.10:80");
	assert_true(c.edit.flags & ADM_EF_SVC);
	c = ok("-C");
	assert_int_equal(c.edit.op, ADM_CLEAR);
	c = ok("-h");
	assert_int_equal(c.verb->id, ADM_V_HELP);
	c = ok("-S -n");
	assert_int_equal(c.verb->id, ADM_V_SAVE);
	c = ok("-R");
	assert_int_equal(c.verb->id, ADM_V_RESTORE);
	c = ok("--info -o json");
	assert_int_equal(c.verb->id, ADM_V_INFO);
}

static void test_cfg_and_edit_forms(void **state)
{
	struct adm_cmd c = ok("--set 900 0 300");

	assert_int_equal(c.edit.op, ADM_SET_CFG);
	assert_int_equal(c.edit.cfg.tcp_est, 900);
	assert_int_equal(c.edit.cfg.tcp_fin_wait, 0);
	assert_int_equal(c.edit.cfg.udp, 300);
	c = ok("--set-limits 1000000 0");
	assert_int_equal(c.edit.cfg.conn_max, 1000000);
	assert_int_equal(c.edit.cfg.tpl_max, 0);

	c = ok("-E -t 192.0.2.10:80 -p 0 --pgroup none -b none");
	assert_int_equal(c.edit.svc.flags, 0);
	assert_int_equal(c.edit.svc_flag_bits, PCCVS_SVC_F_ALL);
	assert_int_equal(c.edit.svc_mask, PCCVS_SVC_SET_FLAGS | PCCVS_SVC_SET_PGROUP);
	assert_string_equal(c.edit.svc.pgroup, "");

	c = ok("-E -t 192.0.2.10:80 -p --pgroup web.1 --all-ports");
	assert_int_equal(c.edit.svc_mask, PCCVS_SVC_SET_FLAGS | PCCVS_SVC_SET_PGROUP);
	assert_string_equal(c.edit.svc.pgroup, "web.1");
	assert_true(c.edit.flags & ADM_EF_ALL_PORTS);

	c = ok("-A -t 192.0.2.10:80 -s mh -b mh-port,flag-3");
	assert_int_equal(c.edit.sched_family, ADM_SF_MH);
	assert_int_equal(c.edit.svc.flags, PCCVS_SVC_F_SCHED2 | PCCVS_SVC_F_SCHED3);
	c = ok("-A -t 192.0.2.10:80 -b flag-1");
	assert_int_equal(c.edit.sched_family, ADM_SF_GENERIC);
}

static void test_names_left_for_resolver(void **state)
{
	struct adm_cmd c = ok("-a -t www.example.com:http -r [db.example.net]:postgresql -m");

	assert_true(adm_edit_unresolved(&c.edit));
	assert_string_equal(c.edit.svc_name.host, "www.example.com");
	assert_string_equal(c.edit.svc_name.port, "http");
	assert_false(c.edit.svc_name.v6);
	assert_string_equal(c.edit.dest_name.host, "db.example.net");
	assert_true(c.edit.dest_name.v6);
	assert_string_equal(c.edit.dest_name.port, "postgresql");
	assert_int_equal(c.edit.svc.af, 0);
}

/* ------------------------------------------------------------------ */

struct bad {
	const char *line;
	const char *msg;
};

static const struct bad bad_lines[] = {
	/* addresses and ports */
	{ "-A -t 192.0.2.10:70000", "invalid port `70000': must be 0-65535" },
	{ "-A -t 192.0.2.10:8x", "invalid port `8x': must be 0-65535" },
	{ "-A -t 192.0.2.10:", "invalid port `' in virtual service address: must be 0-65535 or a service name" },
	{ "-A -t 192.0.2.10:h%", "invalid port `h%' in virtual service address: must be 0-65535 or a service name" },
	{ "-A -t 300.1.1.1:80", "invalid virtual service address `300.1.1.1': not an IPv4 address" },
	{ "-A -t 2001:db8::1", "invalid virtual service address `2001:db8::1': write IPv6 addresses in brackets, as in [2001:db8::1]:80" },
	{ "-A -t 1:2:x", "invalid virtual service address `1:2:x': not an IPv4 address or host name" },
	{ "-A -t [2001:db8::1:80", "invalid virtual service address `[2001:db8::1:80': missing `]'" },
	{ "-A -t [2001:db8::1]x", "invalid virtual service address `[2001:db8::1]x': expected `:port' after `]'" },
	{ "-A -t [2001:db8::zz]:80", "invalid virtual service address `2001:db8::zz': not an IPv6 address or host name" },
	{ "-A -t []:80", "invalid virtual service address `': not an IPv6 address or host name" },
	{ "-A -t ''", "invalid virtual service address `': empty" },
	{ "-A -t a$b:80", "invalid virtual service address `a$b': not an IPv4 address or host name" },
	{ "-A -t -x", "invalid virtual service address `-x': not an IPv4 address or host name" },
	{ "-a -t 192.0.2.10:80 -r 300.1.1.1", "invalid real server address `300.1.1.1': not an IPv4 address" },
	{ "-a -t 192.0.2.10:80 -r [2001:db8::2]", "real server 2001:db8::2 is IPv6 but TCP 192.0.2.10:80 is IPv4" },
	{ "-a -u [2001:db8::1]:53 -r 198.51.100.1", "real server 198.51.100.1 is IPv4 but UDP [2001:db8::1]:53 is IPv6" },
	{ "-A -f 0", "invalid firewall mark `0': must be 1-4294967295" },
	{ "-A -f 4294967296", "invalid firewall mark `4294967296': must be 1-4294967295" },
	{ "-A -f 99999999999999999999999", "invalid firewall mark `99999999999999999999999': must be 1-4294967295" },
	{ "-A -f -1", "invalid firewall mark `-1': must be 1-4294967295" },
	{ "-A -f 0x10", "invalid firewall mark `0x10': must be 1-4294967295" },
	/* service options */
	{ "-A -t 192.0.2.10:80 -s lblc", "unknown scheduler `lblc': must be one of rr wrr lc wlc sed nq sh mh" },
	{ "-A -t 192.0.2.10:80 -p 0", "invalid persistence timeout `0': must be 1-2678400" },
	{ "-E -t 192.0.2.10:80 -p 2678401", "invalid persistence timeout `2678401': must be 0-2678400" },
	{ "-A -t 192.0.2.10:80 -p x", "invalid persistence timeout `x': must be 1-2678400" },
	{ "-A -t 192.0.2.10:80 -p -M 255.0.255.0", "invalid netmask `255.0.255.0': the one bits must be contiguous" },
	{ "-A -t 192.0.2.10:80 -p -M 129", "invalid netmask `129': must be a dotted IPv4 mask such as 255.255.255.0 or a prefix length 0-128" },
	{ "-A -t 192.0.2.10:80 -p -M 1.2.3", "invalid netmask `1.2.3': not a dotted IPv4 mask such as 255.255.255.0" },
	{ "-A -t 192.0.2.10:80 -p -M 40", "invalid netmask `40' for IPv4 service TCP 192.0.2.10:80: must be 0-32" },
	{ "-A -u [2001:db8::1]:53 -p -M 255.255.255.0", "a dotted netmask is for IPv4 services; UDP [2001:db8::1]:53 is IPv6: give a prefix length 0-128" },
	{ "-A -t 192.0.2.10:80 -b foo", "invalid scheduler flag `foo': must be sh-fallback, sh-port, mh-fallback, mh-port, flag-1, flag-2, flag-3 or none" },
	{ "-A -t 192.0.2.10:80 -b sh-port,", "invalid scheduler flag `': must be sh-fallback, sh-port, mh-fallback, mh-port, flag-1, flag-2, flag-3 or none" },
	{ "-A -t 192.0.2.10:80 -s sh -b sh-port,mh-fallback", "scheduler flag `mh-fallback' mixes sh and mh flags" },
	{ "-A -t 192.0.2.10:80 -p --pgroup a/b", "invalid port group `a/b': must be 1-15 characters of A-Z a-z 0-9 _ . -" },
	{ "-A -t 192.0.2.10:80 -p --pgroup abcdefghijklmnop", "invalid port group `abcdefghijklmnop': must be 1-15 characters of A-Z a-z 0-9 _ . -" },
	{ "-A -t 192.0.2.10:80 -p --pgroup ''", "invalid port group `': must be 1-15 characters of A-Z a-z 0-9 _ . -" },
	/* real server options */
	{ "-a -t 192.0.2.10:80 -r 198.51.100.1 -w 65536", "invalid weight `65536': must be 0-65535" },
	{ "-a -t 192.0.2.10:80 -r 198.51.100.1 -x 70000", "invalid upper threshold `70000': must be 0-65535" },
	{ "-a -t 192.0.2.10:80 -r 198.51.100.1 -y x", "invalid lower threshold `x': must be 0-65535" },
	{ "-a -t 192.0.2.10:80 -r 198.51.100.1 -i --tun-type gue", "tunnel type `gue' is not supported by pccvs: only ipip" },
	{ "-a -t 192.0.2.10:80 -r 198.51.100.1 --tun-type ipip", "option `--tun-type' needs -i" },
	/* --set, --set-limits */
	{ "--set 1 2", "--set needs 3 values: tcp tcpfin udp" },
	{ "--set-limits 1", "--set-limits needs 2 values: conn_max tpl_max" },
	{ "--set x 1 1", "invalid tcp timeout `x': must be 0-2678400" },
	{ "--set 1 2678401 1", "invalid tcpfin timeout `2678401': must be 0-2678400" },
	{ "--set 1 1 -1", "invalid udp timeout `-1': must be 0-2678400" },
	{ "--set-limits 67108865 0", "invalid conn_max `67108865': must be 0-67108864" },
	{ "--set-limits 0 y", "invalid tpl_max `y': must be 0-67108864" },
	/* output */
	{ "-L -o xml", "one-packet scheduling (-o, --ops) is not supported by pccvs" },
	{ "-L --output xml", "invalid output format `xml': must be json or text" },
	{ "-L -oxml", "invalid output format `xml': must be json or text" },
	/* what pccvs refuses from ipvsadm */
	{ "-A -u 192.0.2.10:53 -o", "one-packet scheduling (-o, --ops) is not supported by pccvs" },
	{ "-A -u 192.0.2.10:53 --ops", "one-packet scheduling (-o, --ops) is not supported by pccvs" },
	{ "-A -u 192.0.2.10:5060 -p --pe sip", "persistence engines (--pe) are not supported by pccvs" },
	{ "--start-daemon master", "--start-daemon belongs to the IPVS sync daemon; pccvs replicates templates with pccvs-syncd instead" },
	{ "-L --daemon", "--daemon belongs to the IPVS sync daemon; pccvs replicates templates with pccvs-syncd instead" },
	{ "-a -t 192.0.2.10:80 -r 198.51.100.1 -i --tun-port 6080", "--tun-port is not supported by pccvs: tunnels are always ipip (-i)" },
	/* grammar */
	{ "--foo", "unknown option `--foo'" },
	{ "-LQ", "unknown option `-Q'" },
	{ "-A -t 192.0.2.10:80 -s rr -s wlc", "option `-s' given twice" },
	{ "-A -a", "two commands given: -A (--add-service) and -a (--add-server)" },
	{ "-L -l", "command -L (--list) given twice" },
	{ "-a -t 192.0.2.10:80 -r 198.51.100.1 -w", "option `-w' needs a value" },
	{ "-L --numeric=1", "option `-n' takes no value" },
	{ "-A -t 192.0.2.10:80 foo", "unexpected argument `foo'" },
	{ "-", "unexpected argument `-'" },
	{ "--", "unexpected argument `--'" },
	{ "-t 192.0.2.10:80", "no command given: use one of -A -E -D -a -e -d -C -R -S -L -Z --set --set-limits --info -h" },
	{ "-A -t 192.0.2.10:80 -r 198.51.100.1", "option `-r' is not valid with -A (--add-service)" },
	{ "--set 1 1 1 -n", "option `-n' is not valid with --set" },
	{ "-S -c", "option `-c' is not valid with -S (--save)" },
	{ "-A", "-A (--add-service) needs a service: -t, -u, --sctp-service or -f" },
	{ "-a -t 192.0.2.10:80", "-a (--add-server) needs a real server: -r" },
	{ "-A -t 192.0.2.10:80 -6", "option `-6' only applies to -f; write IPv6 addresses in brackets, as in [2001:db8::1]:80" },
	{ "-L --timeout -t 192.0.2.10:80", "option `--timeout' lists global values: name no service" },
	{ "-A -t 192.0.2.10:80 -u 192.0.2.10:80", "options `-t' and `-u' exclude each other" },
	{ "-a -t 192.0.2.10:80 -r 198.51.100.1 -g -m", "options `-g' and `-m' exclude each other" },
	{ "-L --stats --rate", "options `--stats' and `--rate' exclude each other" },
	{ "-L -c --templates", "options `-c' and `--templates' exclude each other" },
	{ "-L --sort --nosort", "options `--sort' and `--nosort' exclude each other" },
};

static void test_every_refusal(void **state)
{
	struct pccvs_err err;
	struct adm_cmd cmd;
	size_t i;

	for (i = 0; i < sizeof(bad_lines) / sizeof(bad_lines[0]); i++) {
		int ret = parse(bad_lines[i].line, &cmd, &err);

		if (ret != -EINVAL || strcmp(err.msg, bad_lines[i].msg))
			fail_msg("`%s': got %d `%s', want `%s'", bad_lines[i].line, ret,
				 err.msg, bad_lines[i].msg);
	}
}

static void test_quoting(void **state)
{
	char tok[400], line[420], want[200];
	struct pccvs_err err;
	struct adm_cmd cmd;

	memset(tok, 'a', 300);
	tok[300] = '\0';
	snprintf(line, sizeof(line), "-A -f %s", tok);
	assert_int_equal(parse(line, &cmd, &err), -EINVAL);
	snprintf(want, sizeof(want), "invalid firewall mark `%.68s...': must be 1-4294967295", tok);
	assert_string_equal(err.msg, want);

	assert_int_equal(parse("-A -t a\x01" "b:80", &cmd, &err), -EINVAL);
	assert_string_equal(err.msg, "invalid virtual service address `a?b': not an IPv4 address or host name");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ipvsadm_service_line),
		cmocka_unit_test(test_ipvsadm_server_line),
		cmocka_unit_test(test_ipv6_fwmark_sctp),
		cmocka_unit_test(test_forms),
		cmocka_unit_test(test_cfg_and_edit_forms),
		cmocka_unit_test(test_names_left_for_resolver),
		cmocka_unit_test(test_every_refusal),
		cmocka_unit_test(test_quoting),
	};
	struct pcc_test_run r = { 0 };

	PCC_TEST_GROUP(&r, "cli_parse", tests);
	return pcc_test_done(&r);
}
