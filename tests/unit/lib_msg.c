// SPDX-License-Identifier: GPL-2.0
/*
 * lib_msg.c: libpccvs without a socket: helpers, request attributes built
 * and parsed back, strict parsing of kernel messages (sizes, families,
 * strings, framing), ACK/error/extack/dump handling and event batches.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include "pcc_test.h"
#include "pccvs_msg.h"

#define FAMILY 0x42

/* ------------------------------------------------------------------ */
/* helpers                                                             */

static struct pccvs_addr A(const char *s)
{
	struct pccvs_addr a;

	assert_int_equal(pccvs_addr_parse(s, &a), 0);
	return a;
}

static struct nl_msg *genl_new(uint8_t cmd, uint32_t seq, int flags)
{
	struct nl_msg *m = nlmsg_alloc_size(65536);

	assert_non_null(m);
	assert_non_null(genlmsg_put(m, 0, seq, FAMILY, 0, flags, cmd, 1));
	return m;
}

/* The first top-level attribute of a genl message. */
static const struct nlattr *first_attr(struct nl_msg *m)
{
	return (const struct nlattr *)((char *)nlmsg_data(nlmsg_hdr(m)) + GENL_HDRLEN);
}

static void test_addr_helpers(void **state)
{
	struct pccvs_addr a, b;
	char buf[INET6_ADDRSTRLEN];

	assert_int_equal(pccvs_addr_parse("192.0.2.1", &a), 0);
	assert_int_equal(a.af, AF_INET);
	assert_string_equal(pccvs_addr_str(&a, buf, sizeof(buf)), "192.0.2.1");
	assert_int_equal(pccvs_addr_parse("2001:db8::1", &b), 0);
	assert_int_equal(b.af, AF_INET6);
	assert_string_equal(pccvs_addr_str(&b, buf, sizeof(buf)), "2001:db8::1");
	assert_false(pccvs_addr_eq(&a, &b));
	b = A("192.0.2.1");
	assert_true(pccvs_addr_eq(&a, &b));
	assert_int_equal(pccvs_addr_parse("192.0.2.256", &a), -EINVAL);
	assert_int_equal(pccvs_addr_parse("host.example", &a), -EINVAL);
	assert_int_equal(pccvs_addr_parse("", &a), -EINVAL);
	a.af = 0;
	assert_string_equal(pccvs_addr_str(&a, buf, sizeof(buf)), "?");
}

static void test_names(void **state)
{
	struct pccvs_err e;

	assert_string_equal(pccvs_fwd_name(PCCVS_FWD_DR), "Route");
	assert_string_equal(pccvs_fwd_name(PCCVS_FWD_TUN), "Tunnel");
	assert_string_equal(pccvs_fwd_name(PCCVS_FWD_NAT), "Masq");
	assert_string_equal(pccvs_fwd_name(0), "?");
	assert_string_equal(pccvs_fwd_name(200), "?");
	assert_string_equal(pccvs_conn_state_name(PCCVS_CS_ESTABLISHED), "ESTABLISHED");
	assert_string_equal(pccvs_conn_state_name(PCCVS_CS_UDP), "UDP");
	assert_string_equal(pccvs_conn_state_name(99), "?");
	assert_string_equal(pccvs_tpl_event_name(PCCVS_TPL_EV_EXPIRED), "expired");
	assert_string_equal(pccvs_tpl_event_name(0), "?");
	pccvs_err_set(&e, -ENOENT, "no %s", "service");
	assert_int_equal(e.code, -ENOENT);
	assert_string_equal(e.msg, "no service");
	pccvs_err_set(NULL, -ENOENT, "ignored");
}

/* ------------------------------------------------------------------ */
/* round trips                                                         */

static void test_svc_round_trip(void **state)
{
	struct pccvs_svc s = {
		.af = AF_INET6, .protocol = IPPROTO_TCP, .port = 443,
		.sched = "mh", .flags = PCCVS_SVC_F_PERSISTENT, .timeout = 600,
		.netmask = 64, .pgroup = "web",
	}, out;
	struct nl_msg *m = genl_new(PCCVS_CMD_SVC_NEW, 1, 0);

	s.addr = A("2001:db8::10");
	assert_int_equal(pccvs_put_svc(m, &s, PCCVS_PUT_NEW, 0), 0);
	assert_int_equal(pccvs_parse_svc(first_attr(m), &out), 0);
	assert_int_equal(out.af, AF_INET6);
	assert_int_equal(out.protocol, IPPROTO_TCP);
	assert_int_equal(out.port, 443);
	assert_true(pccvs_addr_eq(&out.addr, &s.addr));
	assert_string_equal(out.sched, "mh");
	assert_int_equal(out.flags, PCCVS_SVC_F_PERSISTENT);
	assert_int_equal(out.timeout, 600);
	assert_int_equal(out.netmask, 64);
	assert_string_equal(out.pgroup, "web");
	nlmsg_free(m);
}

static void test_svc_put_modes(void **state)
{
	struct pccvs_svc s = { .af = AF_INET, .fwmark = 7, .sched = "rr",
			       .timeout = 60 }, out;
	struct nl_msg *m = genl_new(PCCVS_CMD_SVC_DEL, 1, 0);

	/* identity only: a fwmark service is AF + FWMARK */
	assert_int_equal(pccvs_put_svc(m, &s, PCCVS_PUT_IDENT, 0), 0);
	assert_int_equal(pccvs_parse_svc(first_attr(m), &out), 0);
	assert_int_equal(out.fwmark, 7);
	assert_string_equal(out.sched, "");
	assert_int_equal(out.timeout, 0);
	nlmsg_free(m);

	/* set: only the fields in the mask */
	m = genl_new(PCCVS_CMD_SVC_SET, 1, 0);
	assert_int_equal(pccvs_put_svc(m, &s, PCCVS_PUT_SET, PCCVS_SVC_SET_TIMEOUT), 0);
	assert_int_equal(pccvs_parse_svc(first_attr(m), &out), 0);
	assert_int_equal(out.timeout, 60);
	assert_string_equal(out.sched, "");
	nlmsg_free(m);

	/* bad family, unterminated name, address of the wrong family */
	m = genl_new(PCCVS_CMD_SVC_NEW, 1, 0);
	s.af = 99;
	assert_int_equal(pccvs_put_svc(m, &s, PCCVS_PUT_NEW, 0), -EINVAL);
	s.af = AF_INET;
	memset(s.sched, 'x', sizeof(s.sched));
	assert_int_equal(pccvs_put_svc(m, &s, PCCVS_PUT_NEW, 0), -EINVAL);
	memset(&s, 0, sizeof(s));
	s.af = AF_INET;
	s.protocol = IPPROTO_UDP;
	s.addr = A("2001:db8::1");
	assert_int_equal(pccvs_put_svc(m, &s, PCCVS_PUT_NEW, 0), -EINVAL);
	nlmsg_free(m);
}

static void test_domain_filter_group(void **state)
{
	struct pccvs_svc s = { .af = AF_INET, .pgroup = "g1" };
	const struct nlattr *nest, *a;
	struct nl_msg *m = genl_new(PCCVS_CMD_TPL_GET, 1, 0);
	int rem, seen = 0;

	s.addr = A("192.0.2.10");
	assert_int_equal(pccvs_put_svc(m, &s, PCCVS_PUT_DOMAIN, 0), 0);
	nest = first_attr(m);
	nla_for_each_nested(a, (struct nlattr *)nest, rem) {
		assert_true(nla_type(a) != PCCVS_SVC_A_PROTOCOL &&
			    nla_type(a) != PCCVS_SVC_A_PORT);
		seen |= 1 << nla_type(a);
	}
	assert_int_equal(seen, (1 << PCCVS_SVC_A_AF) | (1 << PCCVS_SVC_A_ADDR) |
				       (1 << PCCVS_SVC_A_PGROUP));
	nlmsg_free(m);
}

static void test_dest_round_trip(void **state)
{
	struct pccvs_dest d = { .port = 8080, .fwd = PCCVS_FWD_NAT, .weight = 0,
				.u_thresh = 10, .l_thresh = 5 }, out;
	struct nl_msg *m = genl_new(PCCVS_CMD_DEST_NEW, 1, 0);

	d.addr = A("198.51.100.7");
	assert_int_equal(pccvs_put_dest(m, AF_INET, &d, PCCVS_DEST_PUT_NEW, 0), 0);
	assert_int_equal(pccvs_parse_dest(first_attr(m), AF_INET, &out), 0);
	assert_true(pccvs_addr_eq(&out.addr, &d.addr));
	assert_int_equal(out.port, 8080);
	assert_int_equal(out.fwd, PCCVS_FWD_NAT);
	assert_int_equal(out.weight, 0);	/* sent: 0 is quiescent */
	assert_int_equal(out.u_thresh, 10);
	assert_int_equal(out.l_thresh, 5);
	/* the family can come from the address size */
	assert_int_equal(pccvs_parse_dest(first_attr(m), 0, &out), 0);
	assert_int_equal(out.addr.af, AF_INET);
	/* but must match when given */
	assert_int_equal(pccvs_parse_dest(first_attr(m), AF_INET6, &out), -EBADMSG);
	nlmsg_free(m);
}

static struct pccvs_tpl tpl_example(uint16_t af)
{
	struct pccvs_tpl t = { .af = af, .protocol = IPPROTO_TCP, .vport = 80,
			       .dport = 8080, .remaining_ms = 300000,
			       .stamp = 0x123456789aULL,
			       .flags = PCCVS_TPL_F_CONFIRMED };

	t.vaddr = A(af == AF_INET ? "192.0.2.10" : "2001:db8::10");
	t.caddr = A(af == AF_INET ? "203.0.113.0" : "2001:db8:1::");
	t.daddr = A(af == AF_INET ? "198.51.100.7" : "2001:db8:2::7");
	return t;
}

static void test_tpl_round_trip(void **state)
{
	uint16_t afs[] = { AF_INET, AF_INET6 };
	struct pccvs_tpl t, out;
	size_t i;

	for (i = 0; i < 2; i++) {
		struct nl_msg *m = genl_new(PCCVS_CMD_TPL_INJECT, 1, 0);

		t = tpl_example(afs[i]);
		assert_int_equal(pccvs_put_tpl(m, &t, false), 0);
		assert_int_equal(pccvs_parse_tpl(first_attr(m), &out), 0);
		assert_int_equal(out.af, afs[i]);
		assert_int_equal(out.protocol, IPPROTO_TCP);
		assert_int_equal(out.vport, 80);
		assert_true(pccvs_addr_eq(&out.vaddr, &t.vaddr));
		assert_true(pccvs_addr_eq(&out.caddr, &t.caddr));
		assert_true(pccvs_addr_eq(&out.daddr, &t.daddr));
		assert_int_equal(out.dport, 8080);
		assert_int_equal(out.remaining_ms, 300000);
		assert_int_equal(out.stamp, 0x123456789aULL);
		assert_int_equal(out.flags, PCCVS_TPL_F_CONFIRMED);
		nlmsg_free(m);
	}
}

static void test_tpl_domain_forms(void **state)
{
	struct pccvs_tpl t = tpl_example(AF_INET), out;
	struct nl_msg *m = genl_new(PCCVS_CMD_TPL_DEL, 1, 0);

	/* group: AF + VADDR + PGROUP; a delete carries no real server */
	strcpy(t.pgroup, "grp");
	assert_int_equal(pccvs_put_tpl(m, &t, true), 0);
	assert_int_equal(pccvs_parse_tpl(first_attr(m), &out), 0);
	assert_string_equal(out.pgroup, "grp");
	assert_int_equal(out.protocol, 0);
	assert_int_equal(out.vport, 0);
	assert_int_equal(out.daddr.af, 0);
	assert_int_equal(out.remaining_ms, 0);
	nlmsg_free(m);

	/* fwmark: AF + FWMARK, no virtual address */
	m = genl_new(PCCVS_CMD_TPL_INJECT, 1, 0);
	t = tpl_example(AF_INET);
	t.fwmark = 9;
	assert_int_equal(pccvs_put_tpl(m, &t, false), 0);
	assert_int_equal(pccvs_parse_tpl(first_attr(m), &out), 0);
	assert_int_equal(out.fwmark, 9);
	assert_int_equal(out.vaddr.af, 0);
	nlmsg_free(m);
}

static void test_tpl_checks(void **state)
{
	struct pccvs_tpl t = tpl_example(AF_INET);
	const char *why;

	assert_int_equal(pccvs_check_tpl(&t, &why), 0);
	t.daddr = A("2001:db8::1");
	assert_int_equal(pccvs_check_tpl(&t, &why), -EINVAL);
	assert_non_null(strstr(why, "family"));
	t = tpl_example(AF_INET);
	t.af = 0;
	assert_int_equal(pccvs_check_tpl(&t, &why), -EINVAL);
}

/* A full message takes no half template: splitting relies on it. */
static void test_tpl_put_full(void **state)
{
	struct pccvs_tpl t = tpl_example(AF_INET6), out;
	struct nl_msg *m = nlmsg_alloc_size(1024);
	const struct nlattr *a;
	int n = 0, rem, ret;

	assert_non_null(genlmsg_put(m, 0, 1, FAMILY, 0, 0, PCCVS_CMD_TPL_INJECT, 1));
	while ((ret = pccvs_put_tpl(m, &t, false)) == 0)
		n++;
	assert_int_equal(ret, -EMSGSIZE);
	assert_true(n > 3);
	rem = nlmsg_hdr(m)->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;
	for (a = first_attr(m); nla_ok(a, rem); a = nla_next(a, &rem)) {
		assert_int_equal(pccvs_parse_tpl(a, &out), 0);
		n--;
	}
	assert_int_equal(n, 0);
	assert_int_equal(rem, 0);
	nlmsg_free(m);
}

static void test_conn_and_cfg_round_trip(void **state)
{
	struct pccvs_conn c = { .af = AF_INET, .protocol = IPPROTO_UDP,
				.cport = 5353, .vport = 53 }, co;
	struct pccvs_cfg cfg = { .tcp_est = 900, .udp = 30, .tpl_max = 1000,
				 .refresh_pct = 25 }, cfgo;
	struct nl_msg *m = genl_new(PCCVS_CMD_CONN_DEL, 1, 0);

	c.caddr = A("203.0.113.5");
	c.vaddr = A("192.0.2.10");
	assert_int_equal(pccvs_put_conn_key(m, &c), 0);
	assert_int_equal(pccvs_parse_conn(first_attr(m), &co), 0);
	assert_int_equal(co.cport, 5353);
	assert_int_equal(co.vport, 53);
	assert_true(pccvs_addr_eq(&co.caddr, &c.caddr));
	assert_int_equal(co.daddr.af, 0);
	nlmsg_free(m);

	m = genl_new(PCCVS_CMD_CFG_SET, 1, 0);
	assert_int_equal(pccvs_put_cfg(m, &cfg), 0);
	assert_int_equal(pccvs_parse_cfg(first_attr(m), &cfgo), 0);
	assert_memory_equal(&cfg, &cfgo, sizeof(cfg));
	nlmsg_free(m);
}

/* ------------------------------------------------------------------ */
/* strict parsing                                                      */

/* A PCCVS_A_TPL nest built by hand, with one attribute replaced. */
static struct nl_msg *tpl_with(int type, const void *data, int len)
{
	struct nl_msg *m = genl_new(PCCVS_CMD_TPL_GET, 1, 0);
	struct nlattr *nest = nla_nest_start(m, PCCVS_A_TPL);
	struct pccvs_tpl t = tpl_example(AF_INET);

	nla_put_u16(m, PCCVS_TPL_A_AF, AF_INET);
	nla_put(m, PCCVS_TPL_A_VADDR, 4, t.vaddr.b);
	nla_put_u8(m, PCCVS_TPL_A_PROTOCOL, IPPROTO_TCP);
	nla_put_u16(m, PCCVS_TPL_A_VPORT, 80);
	if (type != PCCVS_TPL_A_CADDR)
		nla_put(m, PCCVS_TPL_A_CADDR, 4, t.caddr.b);
	if (type)
		nla_put(m, type, len, data);
	nla_nest_end(m, nest);
	return m;
}

static void test_strict_sizes(void **state)
{
	static const uint8_t six[6] = { 1, 2, 3, 4, 5, 6 };
	static const uint8_t v6[16] = { 0x20, 0x01, 0x0d, 0xb8 };
	static const uint32_t u32 = 5;
	static const uint16_t u16 = 5;
	static const char unterminated[3] = { 'a', 'b', 'c' };
	static const char longname[20] = "0123456789abcdefghi";
	struct pccvs_tpl out;
	struct {
		int type;
		const void *data;
		int len;
		int want;
	} cases[] = {
		{ 0, NULL, 0, 0 },					/* reference */
		{ PCCVS_TPL_A_DPORT, &u32, 4, -EBADMSG },		/* u16 as u32 */
		{ PCCVS_TPL_A_STAMP, &u32, 4, -EBADMSG },		/* u64 short */
		{ PCCVS_TPL_A_FLAGS, &u16, 2, -EBADMSG },
		{ PCCVS_TPL_A_DADDR, six, 6, -EBADMSG },		/* odd address */
		{ PCCVS_TPL_A_DADDR, v6, 16, -EBADMSG },		/* wrong family */
		{ PCCVS_TPL_A_CADDR, NULL, 0, -EBADMSG },		/* client missing */
		{ PCCVS_TPL_A_PGROUP, unterminated, 3, -EBADMSG },
		{ PCCVS_TPL_A_PGROUP, longname, 20, -EBADMSG },
		{ PCCVS_TPL_A_VPORT, &u16, 2, -EBADMSG },		/* duplicate */
		{ PCCVS_TPL_A_MAX + 5, six, 6, 0 },			/* newer: skipped */
		{ PCCVS_TPL_A_PAD, six, 6, 0 },				/* padding */
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct nl_msg *m = tpl_with(cases[i].type, cases[i].data, cases[i].len);

		assert_int_equal(pccvs_parse_tpl(first_attr(m), &out), cases[i].want);
		nlmsg_free(m);
	}
}

static void test_strict_framing(void **state)
{
	struct nl_msg *m = tpl_with(0, NULL, 0);
	struct nlattr *nest = (struct nlattr *)first_attr(m);
	struct nlattr *inner = nla_data(nest);
	struct pccvs_tpl out;
	uint16_t save;

	/* an inner attribute claiming more than the nest holds */
	save = inner->nla_len;
	inner->nla_len = nla_len(nest) + 4;
	assert_int_equal(pccvs_parse_tpl(nest, &out), -EBADMSG);
	/* or less than its own header */
	inner->nla_len = 2;
	assert_int_equal(pccvs_parse_tpl(nest, &out), -EBADMSG);
	inner->nla_len = save;
	/* a nest cut short leaves a partial header: refused */
	nest->nla_len -= 2;
	assert_int_equal(pccvs_parse_tpl(nest, &out), -EBADMSG);
	nest->nla_len += 2;
	assert_int_equal(pccvs_parse_tpl(nest, &out), 0);
	nlmsg_free(m);
}

static void test_strict_svc(void **state)
{
	struct nl_msg *m = genl_new(PCCVS_CMD_SVC_GET, 1, 0);
	struct nlattr *nest = nla_nest_start(m, PCCVS_A_SVC);
	struct pccvs_svc out;

	/* AF and protocol but no address or port: no identity */
	nla_put_u16(m, PCCVS_SVC_A_AF, AF_INET);
	nla_put_u8(m, PCCVS_SVC_A_PROTOCOL, IPPROTO_TCP);
	nla_nest_end(m, nest);
	assert_int_equal(pccvs_parse_svc(first_attr(m), &out), -EBADMSG);
	nlmsg_free(m);

	m = genl_new(PCCVS_CMD_SVC_GET, 1, 0);
	nest = nla_nest_start(m, PCCVS_A_SVC);
	nla_put_u16(m, PCCVS_SVC_A_AF, 12345);
	nla_put_u32(m, PCCVS_SVC_A_FWMARK, 1);
	nla_nest_end(m, nest);
	assert_int_equal(pccvs_parse_svc(first_attr(m), &out), -EBADMSG);
	nlmsg_free(m);
}

static void test_info_parse(void **state)
{
	struct nl_msg *m = genl_new(PCCVS_CMD_INFO_GET, 1, 0);
	struct nlattr *nest = nla_nest_start(m, PCCVS_A_INFO);
	struct pccvs_info out;

	nla_put_string(m, PCCVS_INFO_A_VERSION, "0.1.0-a-rather-long-version-string-beyond-32");
	nla_put_u32(m, PCCVS_INFO_A_TPL_SIZE, 128);
	nla_put_u64(m, PCCVS_INFO_A_EV_LOST, 3);
	nla_nest_end(m, nest);
	assert_int_equal(pccvs_parse_info(first_attr(m), &out), 0);
	assert_int_equal(strlen(out.version), sizeof(out.version) - 1);
	assert_int_equal(out.tpl_size, 128);
	assert_int_equal(out.ev_lost, 3);
	nlmsg_free(m);
}

/* ------------------------------------------------------------------ */
/* replies, errors, dumps                                              */

/* An NLMSG_ERROR as the kernel sends it (request echoed unless capped). */
static struct nl_msg *error_msg(uint32_t seq, int err, const char *text,
				bool capped)
{
	struct nl_msg *m = nlmsg_alloc_size(4096);
	struct nlmsghdr req = { .nlmsg_len = NLMSG_HDRLEN + 12, .nlmsg_seq = seq };
	struct nlmsghdr *nlh;
	struct nlmsgerr *e;
	int payload = sizeof(*e) + (capped ? 0 : 12);
	int flags = (capped ? NLM_F_CAPPED : 0) | (text ? NLM_F_ACK_TLVS : 0);

	nlh = nlmsg_put(m, 0, seq, NLMSG_ERROR, payload, flags);
	assert_non_null(nlh);
	e = nlmsg_data(nlh);
	e->error = err;
	e->msg = req;
	if (text)
		nla_put_string(m, NLMSGERR_ATTR_MSG, text);
	return m;
}

static int rx_buf(struct pccvs_rx *rx, struct nl_msg *m)
{
	int ret = pccvs_rx_process(rx, nlmsg_hdr(m), nlmsg_hdr(m)->nlmsg_len);

	nlmsg_free(m);
	return ret;
}

static void test_rx_ack_and_errors(void **state)
{
	struct pccvs_rx rx = { .seq = 7, .family = FAMILY };

	assert_int_equal(rx_buf(&rx, error_msg(7, 0, NULL, true)), 0);
	assert_true(rx.done);
	assert_int_equal(rx.error, 0);

	memset(&rx, 0, sizeof(rx));
	rx.seq = 7;
	assert_int_equal(rx_buf(&rx, error_msg(7, -EINVAL, "protocol must be TCP, UDP or SCTP", false)), 0);
	assert_int_equal(rx.error, -EINVAL);
	assert_string_equal(rx.msg, "protocol must be TCP, UDP or SCTP");

	memset(&rx, 0, sizeof(rx));
	rx.seq = 7;
	assert_int_equal(rx_buf(&rx, error_msg(7, -EPERM, "capped", true)), 0);
	assert_int_equal(rx.error, -EPERM);
	assert_string_equal(rx.msg, "capped");

	/* a stale reply of an older request is ignored */
	memset(&rx, 0, sizeof(rx));
	rx.seq = 8;
	assert_int_equal(rx_buf(&rx, error_msg(7, -EINVAL, "old", true)), 0);
	assert_false(rx.done);
	assert_string_equal(rx.msg, "");

	/* an error code that is positive is nonsense */
	memset(&rx, 0, sizeof(rx));
	rx.seq = 7;
	assert_int_equal(rx_buf(&rx, error_msg(7, 5, NULL, true)), -EBADMSG);
}

static void test_rx_truncated(void **state)
{
	struct pccvs_rx rx = { .seq = 7, .family = FAMILY };
	struct nl_msg *m = error_msg(7, -EINVAL, "text", false);
	struct nlmsghdr *nlh = nlmsg_hdr(m);
	struct nlmsgerr *e = nlmsg_data(nlh);

	/* the echoed request claims more than the message holds */
	e->msg.nlmsg_len = 4000;
	assert_int_equal(pccvs_rx_process(&rx, nlh, nlh->nlmsg_len), -EBADMSG);
	/* the buffer is shorter than the header says */
	e->msg.nlmsg_len = NLMSG_HDRLEN + 12;
	assert_int_equal(pccvs_rx_process(&rx, nlh, nlh->nlmsg_len - 4), -EBADMSG);
	/* an error message too short for struct nlmsgerr */
	nlh->nlmsg_len = NLMSG_HDRLEN + 4;
	assert_int_equal(pccvs_rx_process(&rx, nlh, nlh->nlmsg_len), -EBADMSG);
	nlmsg_free(m);
}

static int count_data(const struct nlmsghdr *nlh, void *arg)
{
	(*(int *)arg)++;
	return 0;
}

static int stop_data(const struct nlmsghdr *nlh, void *arg)
{
	(*(int *)arg)++;
	return 42;
}

/* Append one netlink message to a raw datagram. */
static size_t put_msg(char *buf, size_t off, uint16_t type, uint16_t flags,
		      uint32_t seq, const void *payload, size_t plen)
{
	struct nlmsghdr h = {
		.nlmsg_len = NLMSG_HDRLEN + plen, .nlmsg_type = type,
		.nlmsg_flags = flags, .nlmsg_seq = seq,
	};

	memcpy(buf + off, &h, sizeof(h));
	memcpy(buf + off + NLMSG_HDRLEN, payload, plen);
	return off + NLMSG_ALIGN(h.nlmsg_len);
}

/* Two dump parts, a stale message and NLMSG_DONE in one datagram. */
static size_t dump_datagram(char *buf, uint32_t seq, int done_err, bool intr)
{
	struct genlmsghdr g = { .cmd = PCCVS_CMD_TPL_GET, .version = 1 };
	size_t off = 0;

	off = put_msg(buf, off, FAMILY, NLM_F_MULTI, seq, &g, sizeof(g));
	off = put_msg(buf, off, FAMILY, NLM_F_MULTI, seq - 1, &g, sizeof(g));
	off = put_msg(buf, off, FAMILY,
		      NLM_F_MULTI | (intr ? NLM_F_DUMP_INTR : 0), seq, &g, sizeof(g));
	return put_msg(buf, off, NLMSG_DONE, NLM_F_MULTI, seq, &done_err,
		       sizeof(done_err));
}

static void test_rx_dump(void **state)
{
	static char buf[1024] __attribute__((aligned(8)));
	int n = 0;
	struct pccvs_rx rx = { .seq = 3, .family = FAMILY, .data = count_data, .arg = &n };
	size_t len = dump_datagram(buf, 3, 0, false);

	assert_int_equal(pccvs_rx_process(&rx, buf, len), 0);
	assert_int_equal(n, 2);
	assert_true(rx.done);
	assert_false(rx.intr);
	assert_int_equal(rx.error, 0);

	/* interrupted, stopped by the callback, and an error in DONE */
	n = 0;
	memset(&rx, 0, sizeof(rx));
	rx.seq = 3;
	rx.family = FAMILY;
	rx.data = stop_data;
	rx.arg = &n;
	len = dump_datagram(buf, 3, -ENOENT, true);
	assert_int_equal(pccvs_rx_process(&rx, buf, len), 0);
	assert_int_equal(n, 1);
	assert_int_equal(rx.cb_ret, 42);
	assert_true(rx.intr);
	assert_int_equal(rx.error, -ENOENT);

	/* trailing bytes that are not a whole header */
	memset(&rx, 0, sizeof(rx));
	rx.seq = 3;
	rx.family = FAMILY;
	len = dump_datagram(buf, 3, 0, false);
	assert_int_equal(pccvs_rx_process(&rx, buf, len - 2), -EBADMSG);
}

/* ------------------------------------------------------------------ */
/* events                                                              */

/* Templates without an event type, as a request would carry them. */
static struct nl_msg *event_batch(uint64_t seq, int n)
{
	struct nl_msg *m = genl_new(PCCVS_CMD_TPL_EVENT, 0, 0);
	struct pccvs_tpl t = tpl_example(AF_INET);
	int i;

	if (seq)
		nla_put_u64(m, PCCVS_A_EV_SEQ, seq);
	for (i = 0; i < n; i++)
		assert_int_equal(pccvs_put_tpl(m, &t, false), 0);
	return m;
}

struct ev_seen {
	int n;
	uint16_t last_port;
};

static int ev_cb(const struct pccvs_tpl *t, void *arg)
{
	struct ev_seen *s = arg;

	s->n++;
	s->last_port = t->dport;
	assert_int_equal(t->event, PCCVS_TPL_EV_CONFIRMED);
	return 0;
}

/* A batch as the kernel sends it: EV_SEQ and nests with EVENT. */
static struct nl_msg *kernel_batch(uint64_t seq, int n)
{
	struct nl_msg *m = genl_new(PCCVS_CMD_TPL_EVENT, 0, 0);
	struct pccvs_tpl t = tpl_example(AF_INET);
	int i;

	nla_put_u64(m, PCCVS_A_EV_SEQ, seq);
	for (i = 0; i < n; i++) {
		struct nlattr *nest = nla_nest_start(m, PCCVS_A_TPL);

		nla_put_u16(m, PCCVS_TPL_A_AF, AF_INET);
		nla_put(m, PCCVS_TPL_A_VADDR, 4, t.vaddr.b);
		nla_put_u8(m, PCCVS_TPL_A_PROTOCOL, IPPROTO_TCP);
		nla_put_u16(m, PCCVS_TPL_A_VPORT, 80);
		nla_put(m, PCCVS_TPL_A_CADDR, 4, t.caddr.b);
		nla_put(m, PCCVS_TPL_A_DADDR, 4, t.daddr.b);
		nla_put_u16(m, PCCVS_TPL_A_DPORT, 2000 + i);
		nla_put_u8(m, PCCVS_TPL_A_EVENT, PCCVS_TPL_EV_CONFIRMED);
		nla_nest_end(m, nest);
	}
	return m;
}

static void test_event_batches(void **state)
{
	struct ev_seen s = { 0 };
	uint64_t seq = 0;
	struct nl_msg *m;

	m = kernel_batch(5, 3);
	assert_int_equal(pccvs_parse_event(nlmsg_hdr(m), &seq, ev_cb, &s), 0);
	assert_int_equal(seq, 5);
	assert_int_equal(s.n, 3);
	assert_int_equal(s.last_port, 2002);
	nlmsg_free(m);

	/* no EV_SEQ, no event type, no template: refused before delivery */
	s.n = 0;
	m = event_batch(0, 2);
	assert_int_equal(pccvs_parse_event(nlmsg_hdr(m), &seq, ev_cb, &s), -EBADMSG);
	nlmsg_free(m);
	m = event_batch(6, 2);
	assert_int_equal(pccvs_parse_event(nlmsg_hdr(m), &seq, ev_cb, &s), -EBADMSG);
	nlmsg_free(m);
	m = kernel_batch(7, 0);
	assert_int_equal(pccvs_parse_event(nlmsg_hdr(m), &seq, ev_cb, &s), -EBADMSG);
	nlmsg_free(m);
	assert_int_equal(s.n, 0);
}

static void test_ctrl_delfamily(void **state)
{
	struct nl_msg *m = nlmsg_alloc();
	struct nlmsghdr *nlh;

	genlmsg_put(m, 0, 0, GENL_ID_CTRL, 0, 0, CTRL_CMD_DELFAMILY, 1);
	nla_put_u16(m, CTRL_ATTR_FAMILY_ID, FAMILY);
	nla_put_string(m, CTRL_ATTR_FAMILY_NAME, "pccvs");
	nlh = nlmsg_hdr(m);
	assert_int_equal(pccvs_parse_ctrl_delfamily(nlh, FAMILY), 1);
	assert_int_equal(pccvs_parse_ctrl_delfamily(nlh, FAMILY + 1), 0);
	((struct genlmsghdr *)nlmsg_data(nlh))->cmd = CTRL_CMD_NEWFAMILY;
	assert_int_equal(pccvs_parse_ctrl_delfamily(nlh, FAMILY), 0);
	nlmsg_free(m);
}

static void test_nlerr_map(void **state)
{
	errno = ENOBUFS;
	assert_int_equal(pccvs_nlerr(-NLE_NOMEM), -ENOBUFS);
	errno = 0;
	assert_int_equal(pccvs_nlerr(-NLE_NOMEM), -ENOMEM);
	assert_int_equal(pccvs_nlerr(-NLE_OBJ_NOTFOUND), -ENOENT);
	assert_int_equal(pccvs_nlerr(-NLE_PERM), -EPERM);
	assert_int_equal(pccvs_nlerr(-NLE_AGAIN), -EAGAIN);
	assert_int_equal(pccvs_nlerr(-NLE_DUMP_INTR), -EINTR);
	assert_int_equal(pccvs_nlerr(-NLE_FAILURE), -EIO);
	assert_int_equal(pccvs_nlerr(0), 0);
}

int main(void)
{
	const struct CMUnitTest helpers[] = {
		cmocka_unit_test(test_addr_helpers),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_nlerr_map),
	};
	const struct CMUnitTest round_trips[] = {
		cmocka_unit_test(test_svc_round_trip),
		cmocka_unit_test(test_svc_put_modes),
		cmocka_unit_test(test_domain_filter_group),
		cmocka_unit_test(test_dest_round_trip),
		cmocka_unit_test(test_tpl_round_trip),
		cmocka_unit_test(test_tpl_domain_forms),
		cmocka_unit_test(test_tpl_checks),
		cmocka_unit_test(test_tpl_put_full),
		cmocka_unit_test(test_conn_and_cfg_round_trip),
	};
	const struct CMUnitTest strict[] = {
		cmocka_unit_test(test_strict_sizes),
		cmocka_unit_test(test_strict_framing),
		cmocka_unit_test(test_strict_svc),
		cmocka_unit_test(test_info_parse),
	};
	const struct CMUnitTest rx[] = {
		cmocka_unit_test(test_rx_ack_and_errors),
		cmocka_unit_test(test_rx_truncated),
		cmocka_unit_test(test_rx_dump),
		cmocka_unit_test(test_event_batches),
		cmocka_unit_test(test_ctrl_delfamily),
	};
	struct pcc_test_run r = { 0 };

	PCC_TEST_GROUP(&r, "lib_helpers", helpers);
	PCC_TEST_GROUP(&r, "lib_round_trips", round_trips);
	PCC_TEST_GROUP(&r, "lib_strict", strict);
	PCC_TEST_GROUP(&r, "lib_rx", rx);
	return pcc_test_done(&r);
}
