// SPDX-License-Identifier: GPL-2.0
/*
 * core_basic.c: configuration of the core: table creation and limits,
 * timeouts, services and dests (validation, SET semantics, listing
 * cursors), flushes, and the object sizes the design promises.
 */
#include "core_util.h"

#define VIP "192.0.2.1"
#define P PCCVS_SVC_F_PERSISTENT

static struct ev_log evl;

static void table_create_conf(void **state)
{
	struct pcc_table_conf bad[] = {
		{ .conn_max = PCCVS_LIMIT_MAX + 1 }, { .tpl_max = PCCVS_LIMIT_MAX + 1 },
		{ .conn_hash_bits = 3 }, { .tpl_hash_bits = 27 }, { .nwheels = 5000 },
	};
	struct pcc_table_conf c = { .tpl_hash_bits = 10 };
	struct pcc_table_stats s;
	struct pcc_table *t;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(pcc_table_create(&t, &bad[i], T0), -EINVAL);
	assert_int_equal(pcc_table_create(&t, &c, T0), 0);
	pcc_table_stats(t, &s);
	assert_int_equal(s.conn_buckets, 1 << 20);	/* default limit 1M, load <= 1 */
	assert_int_equal(s.tpl_buckets, 1 << 10);
	assert_true(s.tpl_size <= 96);
	assert_true(s.conn_size <= 160);
	pcc_table_destroy(t);
	t = mk_table(1000, 3, NULL);
	pcc_table_stats(t, &s);
	assert_int_equal(s.conn_buckets, 1024);
	assert_int_equal(s.tpl_buckets, 16);
	pcc_table_destroy(t);
}

static void cfg_limits_timeouts(void **state)
{
	struct pcc_table *t = mk_table(0, 0, NULL);
	struct pcc_cfg c, in;
	struct pcc_err e = { NULL };

	pcc_cfg_get(t, &c);
	assert_int_equal(c.tcp_est, 300);
	assert_int_equal(c.tcp_syn_recv, 30);
	assert_int_equal(c.tcp_fin_wait, 60);
	assert_int_equal(c.tcp_time_wait, 60);
	assert_int_equal(c.tcp_close, 10);
	assert_int_equal(c.tcp_close_wait, 60);
	assert_int_equal(c.tcp_last_ack, 30);
	assert_int_equal(c.udp, 60);
	assert_int_equal(c.conn_max, 1 << 20);
	assert_int_equal(c.tpl_max, 1 << 20);
	assert_int_equal(c.refresh_pct, 25);
	memset(&in, 0, sizeof(in));
	in.tcp_est = 900;
	in.udp = PCCVS_PERSIST_TIMEOUT_MAX + 1;
	assert_int_equal(pcc_cfg_set(t, &in, &e), -EINVAL);
	assert_non_null(e.msg);
	pcc_cfg_get(t, &c);
	assert_int_equal(c.tcp_est, 300);	/* all or nothing */
	memset(&in, 0, sizeof(in));
	in.conn_max = PCCVS_LIMIT_MAX + 1;
	assert_int_equal(pcc_cfg_set(t, &in, &e), -EINVAL);
	in.conn_max = 0;
	in.refresh_pct = 101;
	assert_int_equal(pcc_cfg_set(t, &in, &e), -EINVAL);
	memset(&in, 0, sizeof(in));
	in.tcp_est = 900;
	in.tpl_max = 5;
	in.refresh_pct = 50;
	assert_int_equal(pcc_cfg_set(t, &in, &e), 0);
	pcc_cfg_get(t, &c);
	assert_int_equal(c.tcp_est, 900);
	assert_int_equal(c.tcp_syn_recv, 30);
	assert_int_equal(c.tpl_max, 5);
	assert_int_equal(c.conn_max, 1 << 20);
	assert_int_equal(c.refresh_pct, 50);
	pcc_table_destroy(t);
}

static int add(struct pcc_table *t, struct pcc_svc_conf c)
{
	struct pcc_err e = { NULL };
	int r = pcc_svc_add(t, &c, &e);

	if (r)
		assert_non_null(e.msg);
	return r;
}

static struct pcc_svc_conf conf(const char *vip, u8 proto, u16 port, u32 flags)
{
	struct pcc_svc_conf c = { .key = skey(vip, proto, port), .flags = flags, .netmask = 32 };

	return c;
}

static void svc_validation(void **state)
{
	struct pcc_table *t = mk_table(64, 64, NULL);
	struct pcc_svc_conf c;

	c = conf(VIP, TCP, 80, 0);
	c.key.af = 3;
	assert_int_equal(add(t, c), -EINVAL);
	assert_int_equal(add(t, conf(VIP, 1, 80, 0)), -EINVAL);
	assert_int_equal(add(t, conf(VIP, TCP, 80, 0x4000)), -EINVAL);
	c = conf(VIP, TCP, 80, P);
	c.timeout = PCCVS_PERSIST_TIMEOUT_MAX + 1;
	assert_int_equal(add(t, c), -EINVAL);
	c = conf(VIP, TCP, 80, P);
	c.netmask = 33;
	assert_int_equal(add(t, c), -EINVAL);
	c = conf(VIP, TCP, 80, 0);
	strcpy(c.pgroup, "web");
	assert_int_equal(add(t, c), -EINVAL);
	c.flags = P;
	strcpy(c.pgroup, "we b");
	assert_int_equal(add(t, c), -EINVAL);
	memset(c.pgroup, 'a', sizeof(c.pgroup));
	assert_int_equal(add(t, c), -EINVAL);
	c = conf(VIP, TCP, 80, 0);
	memset(c.sched, 'r', sizeof(c.sched));
	assert_int_equal(add(t, c), -EINVAL);
	strcpy(c.sched, "nope");
	assert_int_equal(add(t, c), -ENOENT);
	c = (struct pcc_svc_conf){ .key = fkey(AF_INET, 9), .flags = P };
	strcpy(c.pgroup, "web");
	assert_int_equal(add(t, c), -EINVAL);
	c.key.addr = A(VIP);
	c.pgroup[0] = 0;
	assert_int_equal(add(t, c), -EINVAL);
	assert_int_equal(add(t, conf(VIP, TCP, 80, 0)), 0);
	assert_int_equal(add(t, conf(VIP, TCP, 80, P)), -EEXIST);
	assert_int_equal(add(t, conf(VIP, UDP, 80, 0)), 0);
	assert_int_equal(add(t, conf("2001:db8::1", IPPROTO_SCTP, 80, 0)), 0);
	assert_int_equal(pcc_svc_count(t), 3);
	pcc_table_destroy(t);
}

static void svc_get_defaults(void **state)
{
	struct pcc_table *t = mk_table(64, 64, NULL);
	struct pcc_svc_key k = skey(VIP, TCP, 443);
	struct pcc_svc_info si;

	assert_int_equal(add(t, conf(VIP, TCP, 443, P)), 0);
	assert_int_equal(pcc_svc_get(t, &k, &si), 0);
	assert_string_equal(si.conf.sched, "wlc");
	assert_int_equal(si.conf.timeout, 300);
	assert_int_equal(si.conf.netmask, 32);
	assert_int_equal(si.conf.flags, P);
	assert_int_equal(si.dest_count, 0);
	k.port = 444;
	assert_int_equal(pcc_svc_get(t, &k, &si), -ENOENT);
	pcc_table_destroy(t);
}

/* SET changes only what it names; persistence and groups move domains. */
static void svc_set_transitions(void **state)
{
	struct pcc_table *t = mk_table(256, 256, &evl);
	struct pcc_svc_key k = skey(VIP, TCP, 80), k0 = skey(VIP, TCP, 0);
	struct pcc_svc_conf c = { .key = k };
	struct pcc_svc_info si;
	struct pcc_err e = { NULL };

	memset(&evl, 0, sizeof(evl));
	svc_add(t, k, P, "rr", 100);
	svc_add(t, k0, P, "rr", 100);
	dest_add(t, k, "10.0.0.1", 1);
	assert_int_equal(pcc_svc_set(t, &c, PCC_SET_SCHED, &e), 0);	/* "" -> wlc */
	assert_int_equal(pcc_svc_get(t, &k, &si), 0);
	assert_string_equal(si.conf.sched, "wlc");
	assert_int_equal(si.conf.timeout, 100);
	assert_int_equal(si.conf.flags, P);
	c.timeout = 0;
	assert_int_equal(pcc_svc_set(t, &c, PCC_SET_TIMEOUT, &e), -EINVAL);
	c.key = skey(VIP, TCP, 81);
	assert_int_equal(pcc_svc_set(t, &c, PCC_SET_FLAGS, &e), -ENOENT);
	/* Port 0 must stay persistent. */
	c = (struct pcc_svc_conf){ .key = k0 };
	assert_int_equal(pcc_svc_set(t, &c, PCC_SET_FLAGS, &e), -EINVAL);
	/* Netmask change: the domain's templates go (DELETED if announced). */
	tcp_open(t, "198.51.100.1", 1, VIP, 80, T0);
	c = (struct pcc_svc_conf){ .key = k, .netmask = 24 };
	assert_int_equal(pcc_svc_set(t, &c, PCC_SET_NETMASK, &e), 0);
	assert_int_equal(tstats(t).tpl_count, 0);
	assert_int_equal(ev_count(&evl, PCCVS_TPL_EV_DELETED), 1);
	/* Into a group and out of persistence. */
	tcp_open(t, "198.51.100.1", 2, VIP, 80, T0);
	strcpy(c.pgroup, "g1");
	assert_int_equal(pcc_svc_set(t, &c, PCC_SET_PGROUP, &e), 0);
	assert_int_equal(tstats(t).tpl_count, 0);
	assert_int_equal(pcc_svc_get(t, &k, &si), 0);
	assert_string_equal(si.conf.pgroup, "g1");
	assert_int_equal(si.conf.netmask, 24);
	assert_int_equal(si.conf.timeout, 100);
	c.flags = 0;
	assert_int_equal(pcc_svc_set(t, &c, PCC_SET_FLAGS, &e), -EINVAL);	/* group kept */
	c.pgroup[0] = 0;
	assert_int_equal(pcc_svc_set(t, &c, PCC_SET_FLAGS | PCC_SET_PGROUP, &e), 0);
	assert_int_equal(pcc_svc_get(t, &k, &si), 0);
	assert_int_equal(si.tpl_count, 0);
	assert_int_equal(si.conf.flags, 0);
	/* Still forwarding, now without templates. */
	tcp_open(t, "198.51.100.1", 3, VIP, 80, T0);
	assert_int_equal(tstats(t).tpl_count, 0);
	pcc_table_destroy(t);
}

static void svc_list_cursor(void **state)
{
	struct pcc_table *t = mk_table(64, 64, NULL);
	struct pcc_svc_info out[3];
	struct pcc_err e;
	u32 pos = 0, gen, n, total = 0;
	unsigned int i;

	for (i = 0; i < 10; i++)
		svc_add(t, skey(VIP, TCP, (u16)(100 + i)), 0, "rr", 0);
	gen = pcc_svc_gen(t);
	while ((n = pcc_svc_list(t, &pos, out, 3))) {
		for (i = 0; i < n; i++)
			assert_int_equal(out[i].conf.key.port, 100 + total + i);
		total += n;
	}
	assert_int_equal(total, 10);
	assert_int_equal(pos, 10);
	{
		struct pcc_svc_key k = skey(VIP, TCP, 104);

		assert_int_equal(pcc_svc_del(t, &k, &e), 0);
		assert_int_equal(pcc_svc_del(t, &k, &e), -ENOENT);
	}
	assert_int_not_equal(pcc_svc_gen(t), gen);
	assert_int_equal(pcc_svc_count(t), 9);
	pcc_table_destroy(t);
}

static void dest_validation(void **state)
{
	struct pcc_table *t = mk_table(64, 64, NULL);
	struct pcc_svc_key k = skey(VIP, TCP, 80), k0 = skey(VIP, TCP, 0);
	struct pcc_dest_conf d = { .weight = 1 };
	struct pcc_dest_info di[4];
	struct pcc_err e;
	u32 pos = 0;

	svc_add(t, k, 0, "rr", 0);
	svc_add(t, k0, P, "rr", 0);
	d.addr = A("10.0.0.1");
	d.fwd = 4;
	assert_int_equal(pcc_dest_add(t, &k, &d, &e), -EINVAL);
	d.fwd = 0;
	d.weight = PCCVS_WEIGHT_MAX + 1;
	assert_int_equal(pcc_dest_add(t, &k, &d, &e), -EINVAL);
	d.weight = 1;
	d.u_thresh = PCCVS_THRESH_MAX + 1;
	assert_int_equal(pcc_dest_add(t, &k, &d, &e), -EINVAL);
	d.u_thresh = 5;
	d.l_thresh = 6;
	assert_int_equal(pcc_dest_add(t, &k, &d, &e), -EINVAL);
	d.l_thresh = 0;
	assert_int_equal(dest_add_full(t, k, "10.0.0.1", 8080, PCCVS_FWD_DR, 1), -EINVAL);
	assert_int_equal(dest_add_full(t, k0, "10.0.0.1", 80, PCCVS_FWD_TUN, 1), -EINVAL);
	assert_int_equal(dest_add_full(t, skey(VIP, TCP, 9), "10.0.0.1", 0, 1, 1), -ENOENT);
	assert_int_equal(dest_add_full(t, k, "10.0.0.1", 0, PCCVS_FWD_DR, 1), 0);
	assert_int_equal(dest_add_full(t, k, "10.0.0.1", 80, PCCVS_FWD_DR, 1), -EEXIST);
	assert_int_equal(dest_add_full(t, k, "10.0.0.1", 8080, PCCVS_FWD_NAT, 3), 0);
	assert_int_equal(dest_add_full(t, k, "10.0.0.0", 0, PCCVS_FWD_TUN, 0), 0);
	assert_int_equal(pcc_dest_list(t, &k, &pos, di, 4), 3);
	/* canonical order: address, then port */
	assert_true(addr_is(&di[0].conf.addr, "10.0.0.0"));
	assert_int_equal(di[1].conf.port, 80);
	assert_int_equal(di[2].conf.port, 8080);
	assert_int_equal(di[2].conf.fwd, PCCVS_FWD_NAT);
	assert_int_equal(di[2].conf.weight, 3);
	assert_int_equal(pcc_dest_list(t, &k, &pos, di, 4), 0);
	assert_true(pcc_has_nat(t));
	/* SET: only named fields; DR cannot take the NAT dest's port. */
	d = (struct pcc_dest_conf){ .port = 8080, .fwd = PCCVS_FWD_DR };
	d.addr = A("10.0.0.1");
	assert_int_equal(pcc_dest_set(t, &k, &d, PCC_SET_FWD, &e), -EINVAL);
	d.weight = 7;
	assert_int_equal(pcc_dest_set(t, &k, &d, PCC_SET_WEIGHT, &e), 0);
	pos = 2;
	assert_int_equal(pcc_dest_list(t, &k, &pos, di, 4), 1);
	assert_int_equal(di[0].conf.weight, 7);
	assert_int_equal(di[0].conf.fwd, PCCVS_FWD_NAT);
	d.port = 9999;
	assert_int_equal(pcc_dest_set(t, &k, &d, PCC_SET_WEIGHT, &e), -ENOENT);
	assert_int_equal(dest_del(t, k, "10.0.0.1", 8080), 0);
	assert_false(pcc_has_nat(t));
	assert_int_equal(dest_del(t, k, "10.0.0.1", 0), 0);	/* 0: the service port */
	pcc_table_destroy(t);
}

/* FLUSH removes everything with DELETED events; destroy is silent. */
static void flush_all(void **state)
{
	struct pcc_table *t = mk_table(256, 256, &evl);
	unsigned int i;

	memset(&evl, 0, sizeof(evl));
	for (i = 0; i < 4; i++) {
		struct pcc_svc_key k = skey(VIP, TCP, (u16)(80 + i));

		svc_add(t, k, P, "rr", 300);
		dest_add(t, k, "10.0.0.1", 1);
		tcp_open(t, "198.51.100.1", 1, VIP, (u16)(80 + i), T0);
	}
	assert_int_equal(evl.n, 4);
	pcc_svc_flush(t);
	assert_int_equal(ev_count(&evl, PCCVS_TPL_EV_DELETED), 4);
	assert_int_equal(tstats(t).conn_count, 0);
	assert_int_equal(tstats(t).tpl_count, 0);
	assert_int_equal(pcc_svc_count(t), 0);
	svc_add(t, skey(VIP, TCP, 80), P, "rr", 300);
	dest_add(t, skey(VIP, TCP, 80), "10.0.0.1", 1);
	tcp_open(t, "198.51.100.1", 1, VIP, 80, T0);
	assert_int_equal(evl.n, 9);
	pcc_table_destroy(t);
	assert_int_equal(evl.n, 9);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(table_create_conf),
		cmocka_unit_test(cfg_limits_timeouts),
		cmocka_unit_test(svc_validation),
		cmocka_unit_test(svc_get_defaults),
		cmocka_unit_test(svc_set_transitions),
		cmocka_unit_test(svc_list_cursor),
		cmocka_unit_test(dest_validation),
		cmocka_unit_test(flush_all),
	};
	struct pcc_test_run r = { 0 };

	PCC_TEST_GROUP(&r, "core_basic", tests);
	return pcc_test_done(&r);
}
