// SPDX-License-Identifier: GPL-2.0
/*
 * core_persist.c: persistence through templates: stickiness, port-0 and
 * port-group domains, netmasks, template lifetime and refresh, handshake
 * confirmation, restoring mid-stream packets, quiescent and removed dests.
 */
#include "core_util.h"

static struct ev_log evl;
#define VIP "192.0.2.1"
#define P PCCVS_SVC_F_PERSISTENT

static struct pcc_table *web(const char *sched, u32 timeout)
{
	struct pcc_table *t = mk_table(1 << 16, 1 << 16, &evl);
	struct pcc_svc_key k = skey(VIP, TCP, 80);

	memset(&evl, 0, sizeof(evl));
	svc_add(t, k, P, sched, timeout);
	dest_add(t, k, "10.0.0.1", 1);
	dest_add(t, k, "10.0.0.2", 1);
	dest_add(t, k, "10.0.0.3", 1);
	return t;
}

static void client_keeps_server(void **state)
{
	struct pcc_table *t = web("rr", 300);
	struct pcc_verdict v;
	unsigned int first, i, seen[256] = { 0 };
	char c[32];

	first = tcp_open_last(t, "198.51.100.7", 1000, VIP, 80, T0);
	for (i = 1; i < 200; i++) {
		v = tcp_open(t, "198.51.100.7", (u16)(1000 + i), VIP, 80, T0 + i * 100);
		assert_int_equal(vd_last(&v), first);
	}
	/* Other clients are spread by the scheduler. */
	for (i = 0; i < 30; i++) {
		snprintf(c, sizeof(c), "198.51.100.%u", 20 + i);
		seen[tcp_open_last(t, c, 5000, VIP, 80, T0)]++;
	}
	assert_true(seen[1] >= 5 && seen[2] >= 5 && seen[3] >= 5);
	assert_int_equal(tstats(t).tpl_count, 31);
	pcc_table_destroy(t);
}

/* FTP-like: control to :21, data to a high port, one persistent port-0
 * service: the same real server, the packet's port kept. */
static void port_zero_ftp(void **state)
{
	struct pcc_table *t = mk_table(1024, 1024, NULL);
	struct pcc_svc_key k = skey(VIP, TCP, 0);
	struct pcc_verdict v1, v2, v;
	int i;

	svc_add(t, k, P, "rr", 300);
	for (i = 1; i <= 4; i++) {
		char r[32];

		snprintf(r, sizeof(r), "10.0.0.%d", i);
		dest_add(t, k, r, 1);
	}
	for (i = 0; i < 8; i++) {
		char c[32];

		snprintf(c, sizeof(c), "198.51.100.%d", i);
		v1 = tcp_open(t, c, 40000, VIP, 21, T0);
		v2 = tcp_open(t, c, 40001, VIP, 30000 + (u16)i, T0 + 10);
		assert_int_equal(vd_last(&v1), vd_last(&v2));
		assert_int_equal(v1.dport, 21);
		assert_int_equal(v2.dport, 30000 + i);
	}
	/* A port-0 service must be persistent. */
	assert_int_equal(svc_add_full(t, skey(VIP, UDP, 0), 0, "rr", 0, -1, NULL), -EINVAL);
	assert_int_equal(pkt(t, TCP, SYN, "198.51.100.1", 1, VIP, 443, T0, &v), PCC_FORWARD);
	pcc_table_destroy(t);
}

/* 80 and 443 share the group "web"; 21 is its own domain. */
static void port_groups(void **state)
{
	struct pcc_table *t = mk_table(1024, 1024, &evl);
	struct pcc_svc_key k80 = skey(VIP, TCP, 80), k443 = skey(VIP, TCP, 443);
	struct pcc_svc_key k21 = skey(VIP, TCP, 21);
	struct pcc_svc_info si;
	struct pcc_tpl_info ti;
	struct pcc_verdict a, b;
	struct pcc_err e;
	const char *rips[] = { "10.0.0.1", "10.0.0.2", "10.0.0.3" };
	int i;

	assert_int_equal(svc_add_full(t, k80, P, "rr", 600, 24, "web"), 0);
	assert_int_equal(svc_add_full(t, k443, P, "rr", 0, 24, "web"), 0);
	assert_int_equal(svc_add_full(t, k443, P, "rr", 0, 24, "web"), -EEXIST);
	/* Joining must not silently change the group's netmask or timeout. */
	assert_int_equal(svc_add_full(t, skey(VIP, TCP, 8443), P, "rr", 0, 16, "web"), -EINVAL);
	assert_int_equal(svc_add_full(t, skey(VIP, TCP, 8443), P, "rr", 30, 24, "web"), -EINVAL);
	svc_add(t, k21, P, "rr", 600);
	for (i = 0; i < 3; i++) {
		dest_add(t, k80, rips[i], 1);
		dest_add(t, k443, rips[2 - i], 1);
		dest_add(t, k21, rips[i], 1);
	}
	for (i = 0; i < 12; i++) {
		char c[32];

		snprintf(c, sizeof(c), "198.51.%d.9", 100 + i);
		a = tcp_open(t, c, 1000, VIP, 80, T0);
		b = tcp_open(t, c, 1001, VIP, 443, T0);
		assert_int_equal(vd_last(&a), vd_last(&b));
		assert_int_equal(b.dport, 443);
	}
	assert_int_equal(pcc_svc_get(t, &k443, &si), 0);
	assert_int_equal(si.tpl_count, 12);
	assert_int_equal(si.conf.timeout, 600);
	/* 21: separate templates, its own rotation. */
	a = tcp_open(t, "198.51.100.9", 2000, VIP, 21, T0);
	assert_int_equal(pcc_svc_get(t, &k21, &si), 0);
	assert_int_equal(si.tpl_count, 1);
	assert_int_equal(tstats(t).tpl_count, 13);
	/* Another group name on the same VIP is another domain. */
	{
		struct pcc_svc_key k8 = skey(VIP, TCP, 8080);

		assert_int_equal(svc_add_full(t, k8, P, "rr", 600, 24, "other"), 0);
		dest_add(t, k8, "10.0.0.1", 1);
		tcp_open(t, "198.51.100.9", 2001, VIP, 8080, T0);
		assert_int_equal(pcc_svc_get(t, &k8, &si), 0);
		assert_int_equal(si.tpl_count, 1);
		assert_int_equal(tstats(t).tpl_count, 14);
		assert_int_equal(tpl_get(t, dom_group(VIP, "other"), "198.51.100.1", T0, &ti), 0);
		assert_true(addr_is(&ti.daddr, "10.0.0.1"));
		assert_int_equal(pcc_svc_del(t, &k8, &e), 0);
	}
	assert_int_equal(tpl_get(t, dom_group(VIP, "web"), "198.51.100.9", T0, &ti), 0);
	assert_string_equal(ti.dom.pgroup, "web");
	assert_int_equal(ti.dom.netmask, 24);
	assert_int_equal(tpl_get(t, dom_of(k80), "198.51.100.200", T0, &ti), 0);
	/* Setting the timeout on one member sets it for the group. */
	{
		struct pcc_svc_conf c = { .key = k443, .timeout = 900 };

		assert_int_equal(pcc_svc_set(t, &c, PCC_SET_TIMEOUT, &e), 0);
		assert_int_equal(pcc_svc_get(t, &k80, &si), 0);
		assert_int_equal(si.conf.timeout, 900);
	}
	/* The group keeps its templates while a member remains. */
	assert_int_equal(pcc_svc_del(t, &k443, &e), 0);
	assert_int_equal(tstats(t).tpl_count, 13);
	assert_int_equal(pcc_svc_del(t, &k80, &e), 0);
	assert_int_equal(tstats(t).tpl_count, 1);
	pcc_table_destroy(t);
}

/* A member without the group's server for this client re-points the
 * template (new stamp), and its handshake announces it again. */
static void group_repoint(void **state)
{
	struct pcc_table *t = mk_table(1024, 1024, &evl);
	struct pcc_svc_key k80 = skey(VIP, TCP, 80), k443 = skey(VIP, TCP, 443);
	struct pcc_verdict v;

	memset(&evl, 0, sizeof(evl));
	assert_int_equal(svc_add_full(t, k80, P, "rr", 300, 32, "web"), 0);
	assert_int_equal(svc_add_full(t, k443, P, "rr", 300, 32, "web"), 0);
	dest_add(t, k80, "10.0.0.1", 1);
	dest_add(t, k443, "10.0.0.2", 1);
	v = tcp_open(t, "198.51.100.1", 1, VIP, 80, T0);
	assert_true(addr_is(&v.daddr, "10.0.0.1"));
	v = tcp_open(t, "198.51.100.1", 2, VIP, 443, T0);
	assert_true(addr_is(&v.daddr, "10.0.0.2"));
	assert_int_equal(evl.n, 2);
	assert_int_equal(evl.e[1].ev, PCCVS_TPL_EV_CONFIRMED);
	assert_true(addr_is(&evl.e[1].info.daddr, "10.0.0.2"));
	assert_true(evl.e[1].info.stamp > evl.e[0].info.stamp);
	/* The first connection keeps its server. */
	assert_int_equal(pkt(t, TCP, ACK, "198.51.100.1", 1, VIP, 80, T0, &v), PCC_FORWARD);
	assert_true(addr_is(&v.daddr, "10.0.0.1"));
	assert_int_equal(tstats(t).tpl_count, 1);
	pcc_table_destroy(t);
}

static void netmask_granularity(void **state)
{
	struct pcc_table *t = mk_table(1024, 1024, NULL);
	struct pcc_svc_key k4 = skey(VIP, TCP, 80), k6 = skey("2001:db8::1", TCP, 80);
	struct pcc_verdict a, b;
	struct pcc_tpl_info ti;
	int i;

	assert_int_equal(svc_add_full(t, k4, P, "rr", 300, 24, NULL), 0);
	assert_int_equal(svc_add_full(t, k6, P, "rr", 300, 64, NULL), 0);
	assert_int_equal(svc_add_full(t, skey(VIP, TCP, 81), P, "rr", 300, 33, NULL), -EINVAL);
	for (i = 1; i <= 4; i++) {
		char r[64];

		snprintf(r, sizeof(r), "10.0.0.%d", i);
		dest_add(t, k4, r, 1);
		snprintf(r, sizeof(r), "2001:db8:1::%d", i);
		dest_add(t, k6, r, 1);
	}
	a = tcp_open(t, "198.51.100.1", 1, VIP, 80, T0);
	b = tcp_open(t, "198.51.100.254", 2, VIP, 80, T0);
	assert_int_equal(vd_last(&a), vd_last(&b));
	b = tcp_open(t, "198.51.101.1", 3, VIP, 80, T0);
	assert_int_not_equal(vd_last(&a), vd_last(&b));
	assert_int_equal(tpl_get(t, dom_of(k4), "198.51.100.77", T0, &ti), 0);
	assert_true(addr_is(&ti.caddr, "198.51.100.0"));

	a = tcp_open(t, "2001:db8:aa:bb::1", 1, "2001:db8::1", 80, T0);
	b = tcp_open(t, "2001:db8:aa:bb:ffff::9", 2, "2001:db8::1", 80, T0);
	assert_int_equal(vd_last(&a), vd_last(&b));
	b = tcp_open(t, "2001:db8:aa:bc::1", 3, "2001:db8::1", 80, T0);
	assert_int_not_equal(vd_last(&a), vd_last(&b));
	assert_int_equal(tpl_get(t, dom_of(k6), "2001:db8:aa:bb:1:2:3:4", T0, &ti), 0);
	assert_true(addr_is(&ti.caddr, "2001:db8:aa:bb::"));
	assert_int_equal(tstats(t).tpl_count, 4);
	pcc_table_destroy(t);
}

/* nctl counts controlled connections; expiry is exactly the timeout after
 * the last one ended, to the 32 ms wheel granularity. */
static void refcount_and_expiry(void **state)
{
	struct pcc_table *t = web("rr", 10);
	struct pcc_svc_key k = skey(VIP, TCP, 80);
	struct pcc_cfg cfg = { .tcp_close = 2 };
	struct pcc_tpl_info ti;
	struct pcc_verdict v;
	const char *c = "198.51.100.7";
	u64 end;

	assert_int_equal(pcc_cfg_set(t, &cfg, NULL), 0);
	tcp_open(t, c, 1, VIP, 80, T0);
	tcp_open(t, c, 2, VIP, 80, T0);
	assert_int_equal(tpl_get(t, dom_of(k), c, T0, &ti), 0);
	assert_int_equal(ti.nctl, 2);
	/* Busy templates never expire and report at least the timeout. */
	pcc_tick(t, T0 + 60000, 0);
	assert_int_equal(tpl_get(t, dom_of(k), c, T0 + 60000, &ti), 0);
	assert_true(ti.remaining_ms >= 10000);
	assert_int_equal(ti.nctl, 2);
	/* Close both (RST -> CLOSE, 2 s): they end 2 s later, at the first
	 * tick past that; the template's timeout runs from their end. */
	pkt(t, TCP, RST, c, 1, VIP, 80, T0 + 60000, &v);
	pkt(t, TCP, RST, c, 2, VIP, 80, T0 + 60000, &v);
	end = T0 + 62000;
	pcc_tick(t, end - 1, 0);
	assert_int_equal(tstats(t).conn_count, 2);
	pcc_tick(t, end + PCC_TICK_MS - 1, 0);
	assert_int_equal(tstats(t).conn_count, 0);
	assert_int_equal(tpl_get(t, dom_of(k), c, end, &ti), 0);
	assert_int_equal(ti.nctl, 0);
	assert_int_equal(ti.remaining_ms, 10000);
	pcc_tick(t, end + 9999, 0);
	assert_int_equal(tstats(t).tpl_count, 1);
	pcc_tick(t, end + 10000 + PCC_TICK_MS - 1, 0);
	assert_int_equal(tstats(t).tpl_count, 0);
	assert_int_equal(ev_count(&evl, PCCVS_TPL_EV_EXPIRED), 1);
	pcc_table_destroy(t);
}

/* Each new connection refreshes; an announcement goes out only when the
 * expiry moved by more than refresh_pct (25 %) of the timeout, or when the
 * last controlled connection ended and the expiry moved by more than
 * PCC_IDLE_REFRESH_MS (the peers then hold the final expiry). */
static void refresh(void **state)
{
	struct pcc_table *t = web("rr", 100);
	const char *c = "198.51.100.7";
	struct pcc_verdict v;
	unsigned int i;

	tcp_open(t, c, 1, VIP, 80, T0);
	assert_int_equal(evl.n, 1);
	assert_int_equal(evl.e[0].ev, PCCVS_TPL_EV_CONFIRMED);
	assert_int_equal(evl.e[0].info.remaining_ms, 100000);
	pkt(t, TCP, RST, c, 1, VIP, 80, T0, &v);
	pcc_tick(t, T0 + 10016, 0);		/* CLOSE (10 s) ends */
	assert_int_equal(tstats(t).conn_count, 0);
	/* The session ended 10 s later than announced: the final expiry. */
	assert_int_equal(evl.n, 2);
	assert_int_equal(evl.e[1].ev, PCCVS_TPL_EV_REFRESHED);
	assert_true(evl.e[1].info.remaining_ms > 99900);
	assert_true(evl.e[1].info.remaining_ms <= 100000);
	/* Moved by 10 %: silent. */
	tcp_open(t, c, 2, VIP, 80, T0 + 20016);
	pkt(t, TCP, RST, c, 2, VIP, 80, T0 + 20016, &v);
	assert_int_equal(evl.n, 2);
	/* Moved by 30 %: REFRESHED with the new expiry. */
	tcp_open(t, c, 3, VIP, 80, T0 + 40016);
	assert_int_equal(evl.n, 3);
	assert_int_equal(evl.e[2].ev, PCCVS_TPL_EV_REFRESHED);
	assert_int_equal(evl.e[2].info.remaining_ms, 100000);
	/* A long-lived connection: the tick re-arms the busy template and
	 * refreshes roughly every 25 % of the timeout (the end of connection 2
	 * is not the end of the session: 3 is still open). */
	for (i = 0; i < 400; i++) {
		if (i % 100 == 50)
			pkt(t, TCP, ACK, c, 3, VIP, 80, T0 + 40016 + i * 1000, &v);
		pcc_tick(t, T0 + 40016 + i * 1000, 0);
	}
	assert_true(ev_count(&evl, PCCVS_TPL_EV_REFRESHED) >= 2 + 14);
	assert_true(ev_count(&evl, PCCVS_TPL_EV_REFRESHED) <= 2 + 16);
	assert_int_equal(ev_count(&evl, PCCVS_TPL_EV_EXPIRED), 0);
	pcc_table_destroy(t);
}

static void confirm_tcp_handshake(void **state)
{
	struct pcc_table *t = web("rr", 300);
	struct pcc_svc_key k = skey(VIP, TCP, 80);
	const char *c = "198.51.100.7";
	struct pcc_tpl_info ti;
	struct pcc_verdict v;

	assert_int_equal(pkt(t, TCP, SYN, c, 1, VIP, 80, T0, &v), PCC_FORWARD);
	assert_int_equal(pkt(t, TCP, SYN, c, 1, VIP, 80, T0 + 1000, &v), PCC_FORWARD);
	assert_int_equal(tpl_get(t, dom_of(k), c, T0, &ti), 0);
	assert_int_equal(ti.flags & PCCVS_TPL_F_CONFIRMED, 0);
	assert_int_equal(evl.n, 0);
	assert_int_equal(pkt(t, TCP, ACK, c, 1, VIP, 80, T0 + 2000, &v), PCC_FORWARD);
	assert_int_equal(tpl_get(t, dom_of(k), c, T0, &ti), 0);
	assert_int_equal(ti.flags, PCCVS_TPL_F_CONFIRMED);
	assert_int_equal(evl.n, 1);
	assert_int_equal(evl.e[0].ev, PCCVS_TPL_EV_CONFIRMED);
	assert_true(addr_is(&evl.e[0].info.daddr, "10.0.0.1") ||
		    addr_is(&evl.e[0].info.daddr, "10.0.0.2") ||
		    addr_is(&evl.e[0].info.daddr, "10.0.0.3"));
	/* Later handshakes of the same client announce nothing new. */
	tcp_open(t, c, 2, VIP, 80, T0 + 3000);
	assert_int_equal(evl.n, 1);
	pcc_table_destroy(t);
}

/* UDP: confirmed by a second packet from the client, or (NAT) any reply. */
static void confirm_udp_rule(void **state)
{
	struct pcc_table *t = mk_table(1024, 1024, &evl);
	struct pcc_svc_key k = skey(VIP, UDP, 53), kn = skey(VIP, UDP, 54);
	struct pcc_tpl_info ti;
	struct pcc_verdict v;
	struct pcc_pkt r;

	memset(&evl, 0, sizeof(evl));
	svc_add(t, k, P, "rr", 300);
	svc_add(t, kn, P, "rr", 300);
	dest_add(t, k, "10.0.0.1", 1);
	assert_int_equal(dest_add_full(t, kn, "10.0.0.2", 5300, PCCVS_FWD_NAT, 1), 0);
	assert_int_equal(pkt(t, UDP, 0, "198.51.100.1", 999, VIP, 53, T0, &v), PCC_FORWARD);
	assert_int_equal(tpl_get(t, dom_of(k), "198.51.100.1", T0, &ti), 0);
	assert_false(ti.flags & PCCVS_TPL_F_CONFIRMED);
	assert_int_equal(evl.n, 0);
	assert_int_equal(pkt(t, UDP, 0, "198.51.100.1", 999, VIP, 53, T0 + 5, &v), PCC_FORWARD);
	assert_int_equal(tpl_get(t, dom_of(k), "198.51.100.1", T0, &ti), 0);
	assert_true(ti.flags & PCCVS_TPL_F_CONFIRMED);
	assert_int_equal(evl.n, 1);
	/* NAT: the first reply confirms. */
	assert_int_equal(pkt(t, UDP, 0, "198.51.100.2", 998, VIP, 54, T0, &v), PCC_FORWARD);
	assert_int_equal(v.dport, 5300);
	r = mkpkt(UDP, 0, "10.0.0.2", 5300, "198.51.100.2", 998);
	assert_int_equal(pcc_decide_reply(t, &r, T0 + 1, &v), PCC_REPLY);
	assert_true(addr_is(&v.vaddr, VIP));
	assert_int_equal(v.vport, 54);
	assert_int_equal(tpl_get(t, dom_of(kn), "198.51.100.2", T0, &ti), 0);
	assert_true(ti.flags & PCCVS_TPL_F_CONFIRMED);
	assert_int_equal(evl.n, 2);
	pcc_table_destroy(t);
}

/* Mid-stream packets: restored through a template, else dropped (never
 * passed), except for mh which schedules them deterministically. */
static void restore_from_template(void **state)
{
	struct pcc_table *t = web("rr", 300);
	struct pcc_svc_key k = skey(VIP, TCP, 80);
	struct pcc_tpl_info in = { .dom = dom_of(k), .dport = 80, .remaining_ms = 60000,
				   .stamp = 5, .flags = PCCVS_TPL_F_CONFIRMED };
	struct pcc_conn_cursor cur = { 0 };
	struct pcc_conn_info ci[4];
	struct pcc_verdict v;

	in.caddr = A("198.51.100.7");
	in.daddr = A("10.0.0.3");
	assert_int_equal(pcc_tpl_inject(t, &in, T0, NULL, NULL), 0);
	assert_int_equal(pkt(t, TCP, ACK, "198.51.100.7", 4242, VIP, 80, T0, &v), PCC_FORWARD);
	assert_true(addr_is(&v.daddr, "10.0.0.3"));
	assert_int_equal(pcc_conn_iter(t, &cur, T0, ci, 4), 1);
	assert_int_equal(ci[0].state, PCCVS_CS_ESTABLISHED);
	assert_int_equal(ci[0].flags, PCCVS_CONN_F_TEMPLATE | PCCVS_CONN_F_RESTORED);
	assert_int_equal(tstats(t).restored, 1);
	/* Restoring does not confirm; the template is now this director's, and
	 * its expiry moved well past what the peers were told (60 s): refresh. */
	assert_int_equal(evl.n, 1);
	assert_int_equal(evl.e[0].ev, PCCVS_TPL_EV_REFRESHED);
	/* No template: dropped, counted. */
	assert_int_equal(pkt(t, TCP, ACK, "198.51.100.8", 4242, VIP, 80, T0, &v), PCC_DROP);
	assert_int_equal(v.reason, PCC_DROP_NO_TEMPLATE);
	assert_int_equal(tstats(t).no_template_drops, 1);
	/* A FIN mid-stream restores straight into FIN_WAIT. */
	assert_int_equal(pkt(t, TCP, FIN, "198.51.100.7", 4243, VIP, 80, T0, &v), PCC_FORWARD);
	pcc_table_destroy(t);
}

static struct pcc_table *mh_table(bool persistent, bool reverse)
{
	struct pcc_table *t = mk_table(4096, 4096, NULL);
	struct pcc_svc_key k = skey(VIP, TCP, 80);
	int i;

	svc_add(t, k, persistent ? P : 0, "mh", 300);
	for (i = 0; i < 5; i++) {
		char r[32];

		snprintf(r, sizeof(r), "10.0.0.%d", reverse ? 5 - i : i + 1);
		dest_add(t, k, r, 1);
	}
	return t;
}

static void restore_mh_deterministic(void **state)
{
	struct pcc_table *a, *b;
	struct pcc_verdict va, vb;
	int p, i;

	for (p = 0; p < 2; p++) {
		a = mh_table(p, false);
		b = mh_table(p, true);
		for (i = 0; i < 200; i++) {
			char c[32];

			snprintf(c, sizeof(c), "198.51.%d.%d", 100 + i / 100, i % 100);
			assert_int_equal(pkt(a, TCP, SYN, c, 7, VIP, 80, T0, &va), PCC_FORWARD);
			assert_int_equal(pkt(b, TCP, ACK, c, 7, VIP, 80, T0, &vb), PCC_FORWARD);
			assert_int_equal(vd_last(&va), vd_last(&vb));
		}
		assert_int_equal(tstats(b).restored, 200);
		pcc_table_destroy(a);
		pcc_table_destroy(b);
	}
}

/* Weight 0: the server keeps its clients and their templates, gets no new. */
static void quiescent_dest(void **state)
{
	struct pcc_table *t = web("rr", 300);
	struct pcc_svc_key k = skey(VIP, TCP, 80);
	struct pcc_verdict v;
	unsigned int i, old[3];
	char c[32];

	for (i = 0; i < 3; i++) {
		snprintf(c, sizeof(c), "198.51.100.%u", i);
		v = tcp_open(t, c, 1, VIP, 80, T0);
		old[i] = vd_last(&v);
	}
	assert_int_equal(dest_weight(t, k, "10.0.0.2", 0), 0);
	for (i = 0; i < 3; i++) {
		snprintf(c, sizeof(c), "198.51.100.%u", i);
		v = tcp_open(t, c, 2, VIP, 80, T0 + 100);
		assert_int_equal(vd_last(&v), old[i]);
	}
	for (i = 0; i < 30; i++) {
		snprintf(c, sizeof(c), "203.0.113.%u", i);
		v = tcp_open(t, c, 2, VIP, 80, T0 + 100);
		assert_int_not_equal(vd_last(&v), 2);
	}
	pcc_table_destroy(t);
}

/* Removing a dest removes its connections and templates (DELETED for the
 * announced ones); its clients are scheduled afresh. */
static void removed_dest(void **state)
{
	struct pcc_table *t = web("rr", 300);
	struct pcc_svc_key k = skey(VIP, TCP, 80);
	struct pcc_dest_info di[4];
	struct pcc_tpl_info ti;
	struct pcc_verdict v;
	unsigned int i, n2 = 0;
	u32 pos = 0;
	char c[32];

	for (i = 0; i < 9; i++) {
		snprintf(c, sizeof(c), "198.51.100.%u", i);
		v = tcp_open(t, c, 1, VIP, 80, T0);
		n2 += vd_last(&v) == 2;
	}
	assert_int_equal(n2, 3);
	assert_int_equal(pcc_dest_list(t, &k, &pos, di, 4), 3);
	assert_int_equal(di[1].persist, 3);
	assert_int_equal(di[1].active, 3);
	assert_int_equal(dest_del(t, k, "10.0.0.2", 0), 0);
	assert_int_equal(tstats(t).tpl_count, 6);
	assert_int_equal(tstats(t).conn_count, 6);
	assert_int_equal(ev_count(&evl, PCCVS_TPL_EV_DELETED), 3);
	for (i = 0; i < 9; i++) {
		snprintf(c, sizeof(c), "198.51.100.%u", i);
		v = tcp_open(t, c, 2, VIP, 80, T0 + 10);
		assert_int_not_equal(vd_last(&v), 2);
		assert_int_equal(tpl_get(t, dom_of(k), c, T0, &ti), 0);
	}
	assert_int_equal(dest_del(t, k, "10.0.0.2", 0), -ENOENT);
	pcc_table_destroy(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(client_keeps_server),
		cmocka_unit_test(port_zero_ftp),
		cmocka_unit_test(port_groups),
		cmocka_unit_test(group_repoint),
		cmocka_unit_test(netmask_granularity),
		cmocka_unit_test(refcount_and_expiry),
		cmocka_unit_test(refresh),
		cmocka_unit_test(confirm_tcp_handshake),
		cmocka_unit_test(confirm_udp_rule),
		cmocka_unit_test(restore_from_template),
		cmocka_unit_test(restore_mh_deterministic),
		cmocka_unit_test(quiescent_dest),
		cmocka_unit_test(removed_dest),
	};
	struct pcc_test_run r = { 0 };

	PCC_TEST_GROUP(&r, "core_persist", tests);
	return pcc_test_done(&r);
}
