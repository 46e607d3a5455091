// SPDX-License-Identifier: GPL-2.0
/*
 * nlprobe: drives the pccvs generic netlink API for the VM tests.
 *
 *   nlprobe all        every command through libpccvs, in a namespace with
 *                      no service yet (it flushes at the end)
 *   nlprobe bad        malformed and out-of-range requests (raw libnl):
 *                      each must fail with the right errno and extack text
 *   nlprobe unpriv     without CAP_NET_ADMIN (dropped here if still held):
 *                      mutating commands and the event group refused,
 *                      reading allowed
 *   nlprobe info       print INFO_GET
 *   nlprobe bench N    inject N templates, dump them, time both
 *   nlprobe events S [RCVBUF [DELAY_MS]]   print template events for S
 *                      seconds (socket buffer RCVBUF, first read after
 *                      DELAY_MS: a small buffer and a delay force an overrun)
 *   nlprobe dr VIP PORT RS   a persistent TCP service VIP:PORT with one
 *                      direct-routing real server RS:PORT (after a flush)
 *   nlprobe conns      print connections and templates
 *
 * Checks print "ok <name>" or "FAIL <name>: ..."; the test modes end with
 * "N passed, N failed" and exit non-zero on failure.
 */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include <linux/capability.h>
#include <netlink/attr.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <netlink/socket.h>
#include "pccvs_msg.h"
#include "pccvs_sock.h"

static int passed, failed;

static void check(bool ok, const char *name, const char *fmt, ...)
{
	va_list ap;

	if (ok) {
		printf("ok %s\n", name);
		passed++;
		return;
	}
	printf("FAIL %s: ", name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	failed++;
}

/* A call that must return want (0 or -errno), and, if given, whose
 * message must contain text. */
static void expect(const char *name, int ret, const struct pccvs_err *e,
		   int want, const char *text)
{
	bool ok = ret == want && (!text || strstr(e->msg, text));

	check(ok, name, "returned %d (%s) \"%s\", wanted %d%s%s", ret,
	      ret < 0 ? strerror(-ret) : "ok", e->msg, want,
	      text ? " with text " : "", text ? text : "");
	if (ok && e->msg[0] && ret)
		printf("   extack: %s\n", e->msg);
}

static int summary(void)
{
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static struct pccvs_addr addr(const char *s)
{
	struct pccvs_addr a;

	if (pccvs_addr_parse(s, &a)) {
		fprintf(stderr, "bad address %s\n", s);
		exit(2);
	}
	return a;
}

static struct pccvs_svc svc4(const char *vip, uint16_t port, uint32_t flags)
{
	struct pccvs_svc s = { .af = AF_INET, .protocol = IPPROTO_TCP,
			       .port = port, .flags = flags };

	s.addr = addr(vip);
	return s;
}

/* n templates of s's domain, clients 203.0.113.0 + i (wrapping into
 * 10.x.y.z past 256), all to real server d. */
static struct pccvs_tpl *tpls(const struct pccvs_svc *s, const char *d,
			      uint16_t dport, size_t n)
{
	struct pccvs_tpl *v = calloc(n ? n : 1, sizeof(*v));
	size_t i;

	for (i = 0; i < n; i++) {
		uint32_t c = n <= 256 ? (0xcb007100u + i) : (0x0a000000u + i);

		v[i].af = s->af;
		v[i].protocol = s->protocol;
		v[i].vport = s->port;
		v[i].fwmark = s->fwmark;
		v[i].vaddr = s->addr;
		v[i].caddr.af = AF_INET;
		v[i].caddr.v4.s_addr = htonl(c);
		v[i].daddr = addr(d);
		v[i].dport = dport;
		v[i].remaining_ms = 120000;
		v[i].stamp = 1;
	}
	return v;
}

static int count_cb(const void *x, void *arg)
{
	(*(size_t *)arg)++;
	return 0;
}

static void reset_count(void *arg)
{
	*(size_t *)arg = 0;
}

static size_t tpl_count(struct pccvs_nl *nl, const struct pccvs_svc *filter)
{
	struct pccvs_err e;
	size_t n = 0;
	int ret;

	ret = pccvs_tpl_dump(nl, 0, filter, (pccvs_tpl_cb)count_cb, &n,
			     reset_count, &e);
	return ret ? (size_t)-1 : n;
}

/* ------------------------------------------------------------------ */
/* all: every command through libpccvs                                 */

static int dest_weight_cb(const struct pccvs_dest *d, void *arg)
{
	*(uint32_t *)arg = d->weight;
	return 0;
}

static void all_services(struct pccvs_nl *nl)
{
	struct pccvs_svc s = svc4("192.0.2.10", 80, PCCVS_SVC_F_PERSISTENT), g;
	struct pccvs_err e;
	size_t n = 0;

	strcpy(s.sched, "rr");
	s.timeout = 300;
	expect("svc_new", pccvs_svc_new(nl, &s, &e), &e, 0, NULL);
	expect("svc_new_again", pccvs_svc_new(nl, &s, &e), &e, -EEXIST, NULL);
	expect("svc_get", pccvs_svc_get(nl, &s, &g, &e), &e, 0, NULL);
	check(!strcmp(g.sched, "rr") && g.timeout == 300 &&
	      (g.flags & PCCVS_SVC_F_PERSISTENT) && g.netmask == 32,
	      "svc_get_fields", "sched %s timeout %u flags %#x netmask %u",
	      g.sched, g.timeout, g.flags, g.netmask);
	strcpy(s.sched, "wrr");
	expect("svc_set", pccvs_svc_set(nl, &s, PCCVS_SVC_SET_SCHED, &e), &e, 0, NULL);
	pccvs_svc_get(nl, &s, &g, &e);
	check(!strcmp(g.sched, "wrr") && g.timeout == 300, "svc_set_kept",
	      "sched %s timeout %u", g.sched, g.timeout);
	expect("svc_dump", pccvs_svc_dump(nl, (pccvs_svc_cb)count_cb, &n,
					  reset_count, &e), &e, 0, NULL);
	check(n == 1, "svc_dump_count", "%zu services", n);
}

static void all_dests(struct pccvs_nl *nl)
{
	struct pccvs_svc s = svc4("192.0.2.10", 80, 0);
	struct pccvs_dest d = { .port = 80, .fwd = PCCVS_FWD_DR, .weight = 1 };
	struct pccvs_err e;
	uint32_t w = 0;

	d.addr = addr("198.51.100.2");
	expect("dest_new", pccvs_dest_new(nl, &s, &d, &e), &e, 0, NULL);
	expect("dest_new_again", pccvs_dest_new(nl, &s, &d, &e), &e, -EEXIST, NULL);
	d.weight = 5;
	expect("dest_set", pccvs_dest_set(nl, &s, &d, PCCVS_DEST_SET_WEIGHT, &e),
	       &e, 0, NULL);
	expect("dest_dump", pccvs_dest_dump(nl, &s, dest_weight_cb, &w, NULL, &e),
	       &e, 0, NULL);
	check(w == 5, "dest_dump_weight", "weight %u", w);
	d.addr = addr("198.51.100.3");
	expect("dest_new_2", pccvs_dest_new(nl, &s, &d, &e), &e, 0, NULL);
	expect("dest_del_2", pccvs_dest_del(nl, &s, &d, &e), &e, 0, NULL);
	expect("dest_del_absent", pccvs_dest_del(nl, &s, &d, &e), &e, -ENOENT, NULL);
}

static void all_templates(struct pccvs_nl *nl)
{
	struct pccvs_svc s = svc4("192.0.2.10", 80, 0);
	struct pccvs_result r = { 0 };
	struct pccvs_tpl *v = tpls(&s, "198.51.100.2", 80, 100);
	struct pccvs_tpl *big;
	struct pccvs_err e;
	size_t n;

	expect("tpl_inject", pccvs_tpl_inject(nl, v, 100, &r, &e), &e, 0, NULL);
	check(r.applied == 100, "tpl_inject_applied", "%u/%u/%u", r.applied,
	      r.unchanged, r.refused);
	/* The same assignment with less time left changes nothing. */
	for (n = 0; n < 100; n++)
		v[n].remaining_ms = 1000;
	pccvs_tpl_inject(nl, v, 100, &r, &e);
	check(r.unchanged == 100, "tpl_inject_idempotent", "%u/%u/%u",
	      r.applied, r.unchanged, r.refused);
	n = tpl_count(nl, NULL);
	check(n == 100, "tpl_dump", "%zu templates", n);
	n = tpl_count(nl, &s);
	check(n == 100, "tpl_dump_filter", "%zu templates", n);
	v[0].daddr = addr("198.51.100.99");	/* no such real server */
	pccvs_tpl_inject(nl, v, 1, &r, &e);
	check(r.refused == 1, "tpl_inject_refused", "%u/%u/%u", r.applied,
	      r.unchanged, r.refused);
	expect("tpl_del", pccvs_tpl_del(nl, v, 10, &r, &e), &e, 0, NULL);
	check(r.applied == 10, "tpl_del_applied", "%u/%u/%u", r.applied,
	      r.unchanged, r.refused);
	n = tpl_count(nl, NULL);
	check(n == 90, "tpl_dump_after_del", "%zu templates", n);
	expect("tpl_flush_filter", pccvs_tpl_flush(nl, &s, &e), &e, 0, NULL);
	n = tpl_count(nl, NULL);
	check(n == 0, "tpl_dump_after_flush", "%zu templates", n);
	free(v);

	/* More than one message's worth: the library splits. */
	big = tpls(&s, "198.51.100.2", 80, 5000);
	expect("tpl_inject_split", pccvs_tpl_inject(nl, big, 5000, &r, &e), &e, 0, NULL);
	check(r.applied == 5000, "tpl_inject_split_applied", "%u/%u/%u",
	      r.applied, r.unchanged, r.refused);
	n = tpl_count(nl, NULL);
	check(n == 5000, "tpl_dump_split", "%zu templates", n);
	expect("tpl_flush", pccvs_tpl_flush(nl, NULL, &e), &e, 0, NULL);
	free(big);
}

static void all_conns_and_misc(struct pccvs_nl *nl)
{
	struct pccvs_svc s = svc4("192.0.2.10", 80, 0);
	struct pccvs_conn c = { .af = AF_INET, .protocol = IPPROTO_TCP,
				.cport = 40000, .vport = 80 };
	struct pccvs_cfg cfg, cfg2, one = { .tcp_est = 1234 };
	struct pccvs_info info;
	struct pccvs_err e;
	size_t n = 0;

	expect("conn_dump", pccvs_conn_dump(nl, (pccvs_conn_cb)count_cb, &n,
					    reset_count, &e), &e, 0, NULL);
	check(n == 0, "conn_dump_empty", "%zu connections", n);
	c.caddr = addr("203.0.113.1");
	c.vaddr = addr("192.0.2.10");
	expect("conn_del_absent", pccvs_conn_del(nl, &c, &e), &e, -ENOENT,
	       "no such connection");
	expect("conn_flush", pccvs_conn_flush(nl, &e), &e, 0, NULL);
	expect("zero_svc", pccvs_zero(nl, &s, &e), &e, 0, NULL);
	expect("zero_all", pccvs_zero(nl, NULL, &e), &e, 0, NULL);

	expect("cfg_get", pccvs_cfg_get(nl, &cfg, &e), &e, 0, NULL);
	check(cfg.tcp_est && cfg.udp && cfg.conn_max && cfg.tpl_max &&
	      cfg.refresh_pct, "cfg_get_values", "est %u udp %u conn_max %u tpl_max %u pct %u",
	      cfg.tcp_est, cfg.udp, cfg.conn_max, cfg.tpl_max, cfg.refresh_pct);
	expect("cfg_set", pccvs_cfg_set(nl, &one, &e), &e, 0, NULL);
	pccvs_cfg_get(nl, &cfg2, &e);
	check(cfg2.tcp_est == 1234 && cfg2.udp == cfg.udp, "cfg_set_one",
	      "est %u udp %u", cfg2.tcp_est, cfg2.udp);
	pccvs_cfg_set(nl, &cfg, &e);

	expect("info_get", pccvs_info_get(nl, &info, &e), &e, 0, NULL);
	check(info.version[0] && info.svc_count == 1 && info.tpl_size &&
	      info.conn_size && info.tpl_buckets && info.conn_buckets,
	      "info_values", "version %s svcs %u sizes %u/%u buckets %u/%u",
	      info.version, info.svc_count, info.conn_size, info.tpl_size,
	      info.conn_buckets, info.tpl_buckets);
	printf("RESULT version=%s conn_size=%u tpl_size=%u conn_buckets=%u tpl_buckets=%u\n",
	       info.version, info.conn_size, info.tpl_size, info.conn_buckets,
	       info.tpl_buckets);
}

static void all_v6_and_fwmark(struct pccvs_nl *nl)
{
	struct pccvs_svc s6 = { .af = AF_INET6, .protocol = IPPROTO_UDP,
				.port = 53, .flags = PCCVS_SVC_F_PERSISTENT,
				.netmask = 64 };
	struct pccvs_svc fw = { .af = AF_INET, .fwmark = 7,
				.flags = PCCVS_SVC_F_PERSISTENT };
	struct pccvs_dest d = { .port = 53, .fwd = PCCVS_FWD_TUN, .weight = 1 };
	struct pccvs_tpl t = { .af = AF_INET6, .protocol = IPPROTO_UDP,
			       .vport = 53, .dport = 53, .remaining_ms = 5000 };
	struct pccvs_result r = { 0 };
	struct pccvs_err e;

	s6.addr = addr("2001:db8::53");
	d.addr = addr("2001:db8:1::2");
	t.vaddr = s6.addr;
	t.caddr = addr("2001:db8:2::");
	t.daddr = d.addr;
	expect("svc_new_v6", pccvs_svc_new(nl, &s6, &e), &e, 0, NULL);
	expect("dest_new_v6", pccvs_dest_new(nl, &s6, &d, &e), &e, 0, NULL);
	pccvs_tpl_inject(nl, &t, 1, &r, &e);
	check(r.applied == 1, "tpl_inject_v6", "%u/%u/%u (%s)", r.applied,
	      r.unchanged, r.refused, e.msg);
	check(tpl_count(nl, &s6) == 1, "tpl_dump_v6", "%zu", tpl_count(nl, &s6));
	expect("svc_new_fwmark", pccvs_svc_new(nl, &fw, &e), &e, 0, NULL);
	expect("svc_del_v6", pccvs_svc_del(nl, &s6, &e), &e, 0, NULL);
	expect("svc_get_deleted", pccvs_svc_get(nl, &s6, &s6, &e), &e, -ENOENT,
	       "no such service");
}

static void all_events(void)
{
	struct pccvs_ev *ev = NULL;
	struct pccvs_err e;
	size_t n = 0;
	int ret;

	expect("ev_open", pccvs_ev_open(&ev, 0, &e), &e, 0, NULL);
	if (!ev)
		return;
	ret = pccvs_ev_read(ev, (pccvs_tpl_cb)count_cb, &n, &e);
	check(ret == 0, "ev_read_quiet", "returned %d (%s)", ret, e.msg);
	pccvs_ev_close(ev);
}

static int mode_all(void)
{
	struct pccvs_nl *nl;
	struct pccvs_info info;
	struct pccvs_err e;

	if (pccvs_nl_open(&nl, &e)) {
		printf("FAIL open: %s\n", e.msg);
		return 1;
	}
	expect("flush_start", pccvs_flush(nl, &e), &e, 0, NULL);
	all_services(nl);
	all_dests(nl);
	all_templates(nl);
	all_conns_and_misc(nl);
	all_v6_and_fwmark(nl);
	all_events();
	expect("flush", pccvs_flush(nl, &e), &e, 0, NULL);
	pccvs_info_get(nl, &info, &e);
	check(info.svc_count == 0 && info.tpl_count == 0, "flush_empties",
	      "svcs %u tpls %u", info.svc_count, info.tpl_count);
	pccvs_nl_close(nl);
	return summary();
}

/* ------------------------------------------------------------------ */
/* bad: raw requests                                                   */

struct raw {
	struct nl_sock *sk;
	int family;
};

static struct nl_msg *raw_msg(struct raw *r, uint8_t cmd, int flags)
{
	struct nl_msg *m = nlmsg_alloc_size(8192);

	genlmsg_put(m, NL_AUTO_PORT, NL_AUTO_SEQ, r->family, 0, flags, cmd,
		    PCCVS_GENL_VERSION);
	return m;
}

/* Send m (freed), return the kernel's verdict and extack text. */
static int raw_send(struct raw *r, struct nl_msg *m, struct pccvs_err *e)
{
	struct pccvs_rx rx = { .family = (uint16_t)r->family };
	int n, ret;

	memset(e, 0, sizeof(*e));
	ret = nl_send_auto(r->sk, m);
	rx.seq = nlmsg_hdr(m)->nlmsg_seq;
	nlmsg_free(m);
	if (ret < 0)
		return pccvs_nlerr(ret);
	while (!rx.done) {
		struct sockaddr_nl peer;
		unsigned char *buf = NULL;

		n = nl_recv(r->sk, &peer, &buf, NULL);
		if (n <= 0)
			return n ? pccvs_nlerr(n) : -EIO;
		ret = pccvs_rx_process(&rx, buf, n);
		free(buf);
		if (ret)
			return ret;
	}
	snprintf(e->msg, sizeof(e->msg), "%s", rx.msg);
	e->code = rx.error;
	return rx.error;
}

/* The attributes of a valid TCP service on 192.0.2.20:80, in m's nest. */
static void svc_ident(struct nl_msg *m)
{
	struct in_addr a = { htonl(0xc0000214) };

	nla_put_u16(m, PCCVS_SVC_A_AF, AF_INET);
	nla_put_u8(m, PCCVS_SVC_A_PROTOCOL, IPPROTO_TCP);
	nla_put(m, PCCVS_SVC_A_ADDR, 4, &a);
	nla_put_u16(m, PCCVS_SVC_A_PORT, 80);
}

enum svc_bad {
	SB_NONE, SB_NO_AF, SB_AF_7, SB_ADDR_6, SB_ADDR_17, SB_PROTO_ICMP,
	SB_PORT_U32, SB_FLAGS, SB_TIMEOUT_0, SB_TIMEOUT_BIG, SB_FWMARK_PROTO,
	SB_NETMASK, SB_SCHED, SB_SCHED_LONG, SB_STATS, SB_UNKNOWN,
};

/* SVC_NEW with one thing wrong. */
static struct nl_msg *svc_new_bad(struct raw *r, enum svc_bad what)
{
	struct nl_msg *m = raw_msg(r, PCCVS_CMD_SVC_NEW, 0);
	struct nlattr *nest = nla_nest_start(m, PCCVS_A_SVC);
	struct in_addr a = { htonl(0xc0000214) };
	uint8_t b17[17] = { 0 };
	uint32_t port32 = 80;

	if (what != SB_NO_AF)
		nla_put_u16(m, PCCVS_SVC_A_AF, what == SB_AF_7 ? 7 : AF_INET);
	if (what == SB_FWMARK_PROTO)
		nla_put_u32(m, PCCVS_SVC_A_FWMARK, 3);
	nla_put_u8(m, PCCVS_SVC_A_PROTOCOL,
		   what == SB_PROTO_ICMP ? IPPROTO_ICMP : IPPROTO_TCP);
	if (what == SB_ADDR_6 || what == SB_ADDR_17)
		nla_put(m, PCCVS_SVC_A_ADDR, what == SB_ADDR_6 ? 6 : 17, b17);
	else
		nla_put(m, PCCVS_SVC_A_ADDR, 4, &a);
	if (what == SB_PORT_U32)
		nla_put(m, PCCVS_SVC_A_PORT, 4, &port32);
	else
		nla_put_u16(m, PCCVS_SVC_A_PORT, 80);
	if (what == SB_FLAGS)
		nla_put_u32(m, PCCVS_SVC_A_FLAGS, 0x100);
	if (what == SB_TIMEOUT_0 || what == SB_TIMEOUT_BIG)
		nla_put_u32(m, PCCVS_SVC_A_TIMEOUT,
			    what == SB_TIMEOUT_0 ? 0 : PCCVS_PERSIST_TIMEOUT_MAX + 1);
	if (what == SB_NETMASK) {
		nla_put_u32(m, PCCVS_SVC_A_FLAGS, PCCVS_SVC_F_PERSISTENT);
		nla_put_u8(m, PCCVS_SVC_A_NETMASK, 33);
	}
	if (what == SB_SCHED)
		nla_put_string(m, PCCVS_SVC_A_SCHED, "nosuch");
	if (what == SB_SCHED_LONG)
		nla_put_string(m, PCCVS_SVC_A_SCHED, "a-scheduler-name-too-long");
	if (what == SB_STATS)
		nla_put_u32(m, PCCVS_SVC_A_TPL_COUNT, 1);
	if (what == SB_UNKNOWN)
		nla_put_u32(m, PCCVS_SVC_A_MAX + 1, 1);
	nla_nest_end(m, nest);
	return m;
}

static void bad_services(struct raw *r)
{
	static const struct {
		const char *name;
		enum svc_bad what;
		int err;
		const char *text;
	} cases[] = {
		{ "svc_no_af", SB_NO_AF, -EINVAL, "address family missing" },
		{ "svc_af_7", SB_AF_7, -EINVAL, "address family must be AF_INET or AF_INET6" },
		{ "svc_addr_6_bytes", SB_ADDR_6, -EINVAL, "address length does not match" },
		{ "svc_addr_17_bytes", SB_ADDR_17, -ERANGE, NULL },
		{ "svc_proto_icmp", SB_PROTO_ICMP, -EINVAL, "protocol must be TCP, UDP or SCTP" },
		{ "svc_port_as_u32", SB_PORT_U32, -EINVAL, NULL },
		{ "svc_flags_unknown_bit", SB_FLAGS, -EINVAL, NULL },
		{ "svc_timeout_0", SB_TIMEOUT_0, -ERANGE, NULL },
		{ "svc_timeout_too_big", SB_TIMEOUT_BIG, -ERANGE, NULL },
		{ "svc_fwmark_and_proto", SB_FWMARK_PROTO, -EINVAL, "a fwmark names the service alone" },
		{ "svc_netmask_33", SB_NETMASK, -EINVAL, "netmask longer than an IPv4 address" },
		{ "svc_sched_unknown", SB_SCHED, -ENOENT, "sched" },
		{ "svc_sched_too_long", SB_SCHED_LONG, -ERANGE, NULL },
		{ "svc_get_only_attr", SB_STATS, -EINVAL, "attribute is reported, never set" },
		{ "svc_unknown_attr", SB_UNKNOWN, -EINVAL, "Unknown attribute type" },
	};
	struct pccvs_err e;
	size_t i;
	int ret;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ret = raw_send(r, svc_new_bad(r, cases[i].what), &e);
		/* Range and length refusals: EINVAL or ERANGE by kernel
		 * version; what matters is a refusal with a message. */
		if (ret == -EINVAL && cases[i].err == -ERANGE)
			ret = -ERANGE;
		expect(cases[i].name, ret, &e, cases[i].err, cases[i].text);
		if (!cases[i].text && ret && !e.msg[0])
			check(false, cases[i].name, "no extack message");
	}
}

static void bad_framing(struct raw *r)
{
	struct nl_msg *m, *inner;
	struct pccvs_err e;
	struct nlattr *nest;
	int ret;

	/* a nest without NLA_F_NESTED */
	inner = nlmsg_alloc();
	svc_ident(inner);
	m = raw_msg(r, PCCVS_CMD_SVC_NEW, 0);
	nla_put(m, PCCVS_A_SVC, nlmsg_datalen(nlmsg_hdr(inner)), nlmsg_data(nlmsg_hdr(inner)));
	nlmsg_free(inner);
	expect("nest_without_flag", raw_send(r, m, &e), &e, -EINVAL, "NLA_F_NESTED");

	/* an attribute this command does not take */
	m = raw_msg(r, PCCVS_CMD_SVC_NEW, 0);
	nla_put_u32(m, PCCVS_A_DUMP_FLAGS, 0);
	ret = raw_send(r, m, &e);
	expect("attr_not_for_command", ret, &e, -EINVAL, NULL);

	/* no service at all */
	m = raw_msg(r, PCCVS_CMD_SVC_NEW, 0);
	expect("svc_missing", raw_send(r, m, &e), &e, -EINVAL,
	       "service (PCCVS_A_SVC) missing");

	/* the genl header's reserved field must be zero */
	m = raw_msg(r, PCCVS_CMD_INFO_GET, 0);
	((struct genlmsghdr *)nlmsg_data(nlmsg_hdr(m)))->reserved = 1;
	expect("genl_reserved_nonzero", raw_send(r, m, &e), &e, -EINVAL, NULL);

	/* a service identity with extra fields where only identity goes */
	m = raw_msg(r, PCCVS_CMD_SVC_DEL, 0);
	nest = nla_nest_start(m, PCCVS_A_SVC);
	svc_ident(m);
	nla_put_string(m, PCCVS_SVC_A_SCHED, "rr");
	nla_nest_end(m, nest);
	expect("svc_del_extra", raw_send(r, m, &e), &e, -EINVAL,
	       "only the service identity");

	m = raw_msg(r, PCCVS_CMD_SVC_DEL, 0);
	nest = nla_nest_start(m, PCCVS_A_SVC);
	svc_ident(m);
	nla_nest_end(m, nest);
	expect("svc_del_absent", raw_send(r, m, &e), &e, -ENOENT, "no such service");

	/* a dump without its service */
	m = raw_msg(r, PCCVS_CMD_DEST_GET, NLM_F_DUMP);
	expect("dest_dump_no_svc", raw_send(r, m, &e), &e, -EINVAL,
	       "service (PCCVS_A_SVC) missing");
}

static void bad_dests_and_templates(struct raw *r)
{
	struct in_addr d = { htonl(0xc6336402) };
	struct pccvs_err e;
	struct nl_msg *m;
	struct nlattr *nest;
	int ret;

	m = raw_msg(r, PCCVS_CMD_DEST_NEW, 0);
	nest = nla_nest_start(m, PCCVS_A_SVC);
	svc_ident(m);
	nla_nest_end(m, nest);
	nest = nla_nest_start(m, PCCVS_A_DEST);
	nla_put(m, PCCVS_DEST_A_ADDR, 4, &d);
	nla_put_u32(m, PCCVS_DEST_A_WEIGHT, 70000);
	nla_nest_end(m, nest);
	ret = raw_send(r, m, &e);
	expect("dest_weight_70000", ret == -ERANGE ? -EINVAL : ret, &e, -EINVAL, NULL);

	m = raw_msg(r, PCCVS_CMD_DEST_NEW, 0);
	nest = nla_nest_start(m, PCCVS_A_SVC);
	svc_ident(m);
	nla_nest_end(m, nest);
	nest = nla_nest_start(m, PCCVS_A_DEST);
	nla_put(m, PCCVS_DEST_A_ADDR, 4, &d);
	nla_put_u8(m, PCCVS_DEST_A_FWD, 9);
	nla_nest_end(m, nest);
	ret = raw_send(r, m, &e);
	expect("dest_fwd_9", ret == -ERANGE ? -EINVAL : ret, &e, -EINVAL, NULL);

	m = raw_msg(r, PCCVS_CMD_TPL_INJECT, 0);
	expect("tpl_inject_empty", raw_send(r, m, &e), &e, -EINVAL, "no template");

	m = raw_msg(r, PCCVS_CMD_TPL_INJECT, 0);
	nest = nla_nest_start(m, PCCVS_A_TPL);
	svc_ident(m);	/* svc attribute ids differ: AF, PROTOCOL, VADDR(3)... */
	nla_nest_end(m, nest);
	ret = raw_send(r, m, &e);
	expect("tpl_inject_incomplete", ret, &e, -EINVAL, NULL);

	m = raw_msg(r, PCCVS_CMD_TPL_INJECT, 0);
	nest = nla_nest_start(m, PCCVS_A_TPL);
	nla_put_u16(m, PCCVS_TPL_A_AF, AF_INET);
	nla_put_u32(m, PCCVS_TPL_A_FWMARK, 1);
	nla_put(m, PCCVS_TPL_A_CADDR, 4, &d);
	nla_put(m, PCCVS_TPL_A_DADDR, 4, &d);
	nla_put_u16(m, PCCVS_TPL_A_DPORT, 80);
	nla_put_u64(m, PCCVS_TPL_A_REMAINING_MS, 0);
	nla_nest_end(m, nest);
	ret = raw_send(r, m, &e);
	expect("tpl_remaining_0", ret == -ERANGE ? -EINVAL : ret, &e, -EINVAL, NULL);

	m = raw_msg(r, PCCVS_CMD_TPL_INJECT, 0);
	nest = nla_nest_start(m, PCCVS_A_TPL);
	nla_put_u16(m, PCCVS_TPL_A_AF, AF_INET);
	nla_put_u32(m, PCCVS_TPL_A_NCTL, 1);
	nla_nest_end(m, nest);
	expect("tpl_get_only_attr", raw_send(r, m, &e), &e, -EINVAL,
	       "attribute is reported, never set");

	m = raw_msg(r, PCCVS_CMD_CFG_SET, 0);
	nest = nla_nest_start(m, PCCVS_A_CFG);
	nla_put_u32(m, PCCVS_CFG_A_REFRESH_PCT, 101);
	nla_nest_end(m, nest);
	ret = raw_send(r, m, &e);
	expect("cfg_refresh_101", ret == -ERANGE ? -EINVAL : ret, &e, -EINVAL, NULL);

	m = raw_msg(r, PCCVS_CMD_CFG_SET, 0);
	nest = nla_nest_start(m, PCCVS_A_CFG);
	nla_put_u32(m, PCCVS_CFG_A_UDP, 0);
	nla_nest_end(m, nest);
	ret = raw_send(r, m, &e);
	expect("cfg_zero_refused", ret == -ERANGE ? -EINVAL : ret, &e, -EINVAL, NULL);

	m = raw_msg(r, PCCVS_CMD_CONN_DEL, 0);
	nest = nla_nest_start(m, PCCVS_A_CONN);
	nla_put_u16(m, PCCVS_CONN_A_AF, AF_INET);
	nla_put_u8(m, PCCVS_CONN_A_PROTOCOL, IPPROTO_TCP);
	nla_put(m, PCCVS_CONN_A_CADDR, 4, &d);
	nla_nest_end(m, nest);
	expect("conn_del_incomplete", raw_send(r, m, &e), &e, -EINVAL,
	       "client port missing");
}

static int mode_bad(void)
{
	struct pccvs_err e;
	struct raw r;

	if (pccvs_sock_open(&r.sk, &r.family, &e)) {
		printf("FAIL open: %s\n", e.msg);
		return 1;
	}
	bad_services(&r);
	bad_framing(&r);
	bad_dests_and_templates(&r);
	nl_socket_free(r.sk);
	return summary();
}

/* ------------------------------------------------------------------ */
/* unpriv: without CAP_NET_ADMIN                                       */

/* Drop CAP_NET_ADMIN from every set; netlink checks the opener's. */
static int drop_net_admin(void)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];
	uint32_t bit = 1u << CAP_NET_ADMIN;

	if (syscall(SYS_capget, &h, d))
		return -errno;
	d[0].effective &= ~bit;
	d[0].permitted &= ~bit;
	d[0].inheritable &= ~bit;
	return syscall(SYS_capset, &h, d) ? -errno : 0;
}

static int mode_unpriv(void)
{
	struct pccvs_svc s = svc4("192.0.2.30", 80, 0);
	struct pccvs_tpl *t = tpls(&s, "198.51.100.2", 80, 1);
	struct pccvs_cfg cfg = { .udp = 10 };
	struct pccvs_result r;
	struct pccvs_info info;
	struct pccvs_ev *ev = NULL;
	struct pccvs_nl *nl;
	struct pccvs_err e;
	size_t n = 0;

	if (drop_net_admin()) {
		printf("FAIL cannot drop CAP_NET_ADMIN\n");
		return 1;
	}
	if (pccvs_nl_open(&nl, &e)) {
		printf("FAIL open: %s\n", e.msg);
		return 1;
	}
	expect("unpriv_svc_new", pccvs_svc_new(nl, &s, &e), &e, -EPERM, NULL);
	expect("unpriv_flush", pccvs_flush(nl, &e), &e, -EPERM, NULL);
	expect("unpriv_cfg_set", pccvs_cfg_set(nl, &cfg, &e), &e, -EPERM, NULL);
	expect("unpriv_tpl_inject", pccvs_tpl_inject(nl, t, 1, &r, &e), &e, -EPERM, NULL);
	expect("unpriv_info_get", pccvs_info_get(nl, &info, &e), &e, 0, NULL);
	expect("unpriv_svc_dump", pccvs_svc_dump(nl, (pccvs_svc_cb)count_cb, &n,
						 reset_count, &e), &e, 0, NULL);
	expect("unpriv_ev_open", pccvs_ev_open(&ev, 0, &e), &e, -EPERM, "CAP_NET_ADMIN");
	pccvs_ev_close(ev);
	pccvs_nl_close(nl);
	free(t);
	return summary();
}

/* ------------------------------------------------------------------ */
/* info, bench, events                                                 */

static int mode_info(void)
{
	struct pccvs_info i;
	struct pccvs_nl *nl;
	struct pccvs_err e;

	if (pccvs_nl_open(&nl, &e) || pccvs_info_get(nl, &i, &e)) {
		fprintf(stderr, "nlprobe: %s\n", e.msg);
		return 1;
	}
	printf("version %s\nservices %u connections %u templates %u\n"
	       "buckets conn %u tpl %u\nobject sizes conn %u tpl %u\n"
	       "refused conn %" PRIu64 " tpl %" PRIu64 "\nrestored %" PRIu64
	       " no_template_drops %" PRIu64 "\nev_seq %" PRIu64 " ev_lost %" PRIu64
	       "\ntpl_injected %" PRIu64 " tpl_stale %" PRIu64 "\n",
	       i.version, i.svc_count, i.conn_count, i.tpl_count, i.conn_buckets,
	       i.tpl_buckets, i.conn_size, i.tpl_size, i.conn_refused,
	       i.tpl_refused, i.restored, i.no_template_drops, i.ev_seq,
	       i.ev_lost, i.tpl_injected, i.tpl_stale);
	pccvs_nl_close(nl);
	return 0;
}

/* Inject n templates into a scratch service, dump them, time both. */
static int mode_bench(size_t n)
{
	struct pccvs_svc s = svc4("192.0.2.40", 80, PCCVS_SVC_F_PERSISTENT);
	struct pccvs_dest d = { .port = 80, .fwd = PCCVS_FWD_DR, .weight = 1 };
	struct pccvs_cfg cfg = { .tpl_max = n + 1 };
	struct pccvs_result r = { 0 };
	struct pccvs_tpl *v;
	struct pccvs_nl *nl;
	struct pccvs_err e;
	double t0, t1, t2;
	size_t got;

	if (pccvs_nl_open(&nl, &e)) {
		printf("FAIL open: %s\n", e.msg);
		return 1;
	}
	d.addr = addr("198.51.100.2");
	v = tpls(&s, "198.51.100.2", 80, n);
	pccvs_svc_del(nl, &s, &e);
	expect("bench_svc", pccvs_svc_new(nl, &s, &e), &e, 0, NULL);
	expect("bench_dest", pccvs_dest_new(nl, &s, &d, &e), &e, 0, NULL);
	if (n >= PCCVS_LIMIT_MAX)
		cfg.tpl_max = PCCVS_LIMIT_MAX;
	pccvs_cfg_set(nl, &cfg, &e);
	t0 = now_s();
	expect("bench_inject", pccvs_tpl_inject(nl, v, n, &r, &e), &e, 0, NULL);
	t1 = now_s();
	got = tpl_count(nl, &s);
	t2 = now_s();
	check(r.applied == n && got == n, "bench_counts",
	      "applied %u refused %u dumped %zu of %zu", r.applied, r.refused, got, n);
	printf("BENCH tpl_inject=%.0f tpl/s\nBENCH tpl_dump=%.0f tpl/s\n",
	       n / (t1 - t0), got / (t2 - t1));
	printf("RESULT templates=%zu inject_s=%.3f dump_s=%.3f\n", n, t1 - t0, t2 - t1);
	expect("bench_cleanup", pccvs_svc_del(nl, &s, &e), &e, 0, NULL);
	free(v);
	pccvs_nl_close(nl);
	return summary();
}

static int print_event(const struct pccvs_tpl *t, void *arg)
{
	char c[INET6_ADDRSTRLEN], d[INET6_ADDRSTRLEN];

	printf("event %s client %s server %s:%u flags %#x nctl %u stamp %" PRIu64
	       " remaining %" PRIu64 "ms\n", pccvs_tpl_event_name(t->event),
	       pccvs_addr_str(&t->caddr, c, sizeof(c)),
	       pccvs_addr_str(&t->daddr, d, sizeof(d)), t->dport, t->flags,
	       t->nctl, t->stamp, t->remaining_ms);
	return 0;
}

static int mode_events(int seconds, size_t rcvbuf, int delay_ms)
{
	double end = now_s() + seconds;
	struct pccvs_ev *ev;
	struct pccvs_err e;
	int ret, total = 0;

	if (pccvs_ev_open(&ev, rcvbuf, &e)) {
		fprintf(stderr, "nlprobe: %s\n", e.msg);
		return 1;
	}
	if (delay_ms)
		usleep(delay_ms * 1000);
	while (now_s() < end) {
		struct pollfd p = { pccvs_ev_fd(ev), POLLIN, 0 };

		poll(&p, 1, 100);
		ret = pccvs_ev_read(ev, print_event, NULL, &e);
		if (ret < 0)
			printf("lost: %s\n", e.msg);
		else
			total += ret;
		fflush(stdout);
	}
	printf("events %d last_seq %" PRIu64 "\n", total, pccvs_ev_last_seq(ev));
	pccvs_ev_close(ev);
	return 0;
}

static int mode_dr(const char *vip, uint16_t port, const char *rs)
{
	struct pccvs_svc s = svc4(vip, port, PCCVS_SVC_F_PERSISTENT);
	struct pccvs_dest d = { .port = port, .fwd = PCCVS_FWD_DR, .weight = 1 };
	struct pccvs_nl *nl;
	struct pccvs_err e;

	d.addr = addr(rs);
	if (pccvs_nl_open(&nl, &e) || pccvs_flush(nl, &e) ||
	    pccvs_svc_new(nl, &s, &e) || pccvs_dest_new(nl, &s, &d, &e)) {
		fprintf(stderr, "nlprobe: %s\n", e.msg);
		return 1;
	}
	pccvs_nl_close(nl);
	return 0;
}

static int print_conn(const struct pccvs_conn *c, void *arg)
{
	char a[3][INET6_ADDRSTRLEN];

	printf("conn %s:%u -> %s:%u -> %s:%u %s %s flags %#x %" PRIu64 "ms\n",
	       pccvs_addr_str(&c->caddr, a[0], sizeof(a[0])), c->cport,
	       pccvs_addr_str(&c->vaddr, a[1], sizeof(a[1])), c->vport,
	       pccvs_addr_str(&c->daddr, a[2], sizeof(a[2])), c->dport,
	       pccvs_fwd_name(c->fwd), pccvs_conn_state_name(c->state),
	       c->flags, c->remaining_ms);
	return 0;
}

static int print_tpl(const struct pccvs_tpl *t, void *arg)
{
	char c[INET6_ADDRSTRLEN], d[INET6_ADDRSTRLEN];

	printf("tpl %s -> %s:%u flags %#x nctl %u stamp %" PRIu64 " %" PRIu64 "ms\n",
	       pccvs_addr_str(&t->caddr, c, sizeof(c)),
	       pccvs_addr_str(&t->daddr, d, sizeof(d)), t->dport, t->flags,
	       t->nctl, t->stamp, t->remaining_ms);
	return 0;
}

static int mode_conns(void)
{
	struct pccvs_nl *nl;
	struct pccvs_err e;

	if (pccvs_nl_open(&nl, &e) ||
	    pccvs_conn_dump(nl, print_conn, NULL, NULL, &e) ||
	    pccvs_tpl_dump(nl, 0, NULL, print_tpl, NULL, NULL, &e)) {
		fprintf(stderr, "nlprobe: %s\n", e.msg);
		return 1;
	}
	pccvs_nl_close(nl);
	return 0;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(mode, "all"))
		return mode_all();
	if (!strcmp(mode, "bad"))
		return mode_bad();
	if (!strcmp(mode, "unpriv"))
		return mode_unpriv();
	if (!strcmp(mode, "info"))
		return mode_info();
	if (!strcmp(mode, "bench") && argc > 2)
		return mode_bench(strtoul(argv[2], NULL, 0));
	if (!strcmp(mode, "events") && argc > 2)
		return mode_events(atoi(argv[2]), argc > 3 ? strtoul(argv[3], NULL, 0) : 0,
				   argc > 4 ? atoi(argv[4]) : 0);
	if (!strcmp(mode, "dr") && argc > 4)
		return mode_dr(argv[2], atoi(argv[3]), argv[4]);
	if (!strcmp(mode, "conns"))
		return mode_conns();
	fprintf(stderr, "usage: nlprobe all|bad|unpriv|info|bench N|events SECONDS|dr VIP PORT RS|conns\n");
	return 2;
}
