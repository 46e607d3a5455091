// SPDX-License-Identifier: GPL-2.0
/*
 * core_decide.c: libFuzzer target for the core's packet path. The input is
 * a program: configuration calls, client packets, NAT replies, ticks,
 * injections, dumps and flushes, with values drawn from small pools so that
 * they meet. After the run the table's counters must agree with what a
 * dump finds, then everything is torn down (ASan checks the memory).
 */
#include <stdio.h>
#include <stdlib.h>
#include <arpa/inet.h>
#include "pcc_core.h"

struct rd {
	const u8 *p;
	size_t n;
};

static u8 g8(struct rd *r)
{
	if (!r->n)
		return 0;
	r->n--;
	return *r->p++;
}

static u16 g16(struct rd *r)
{
	return (u16)(g8(r) | g8(r) << 8);
}

static u32 g32(struct rd *r)
{
	return (u32)g16(r) | (u32)g16(r) << 16;
}

#define CHECK(c)                                                                   \
	do {                                                                       \
		if (!(c)) {                                                        \
			fprintf(stderr, "check failed %s:%d: %s\n", __FILE__,      \
				__LINE__, #c);                                     \
			abort();                                                   \
		}                                                                  \
	} while (0)

static const char *const vip4[] = { "192.0.2.1", "192.0.2.2" };
static const char *const vip6[] = { "2001:db8::1", "2001:db8::2" };
static const char *const rip4[] = { "10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4" };
static const char *const rip6[] = { "2001:db8:1::1", "2001:db8:1::2", "2001:db8:1::3",
				     "2001:db8:1::4" };
static const u16 ports[] = { 0, 21, 80, 443 };
static const u16 rports[] = { 0, 80, 8080, 443 };
static const u8 protos[] = { IPPROTO_TCP, IPPROTO_UDP, IPPROTO_SCTP, 0 };
static const char *const groups[] = { "", "web", "g2", "bad name" };

static union pcc_addr addr(u16 af, const char *s)
{
	union pcc_addr a;

	memset(&a, 0, sizeof(a));
	inet_pton(af, s, &a);
	return a;
}

static u16 af_of(u8 b)
{
	return b & 1 ? AF_INET6 : AF_INET;
}

/* A service identity from one byte. */
static struct pcc_svc_key key_of(u8 b)
{
	struct pcc_svc_key k = { .af = af_of(b) };
	u8 proto = protos[(b >> 2) & 3];

	if (!proto) {
		k.fwmark = 1 + ((b >> 4) & 1);
		return k;
	}
	k.protocol = proto;
	k.port = ports[(b >> 4) & 3];
	k.addr = addr(k.af, k.af == AF_INET6 ? vip6[(b >> 1) & 1] : vip4[(b >> 1) & 1]);
	return k;
}

static union pcc_addr client(u16 af, u8 b)
{
	char s[64];

	if (af == AF_INET6)
		snprintf(s, sizeof(s), "2001:db8:ff:%x::%u", (b >> 3) & 1, b & 7);
	else
		snprintf(s, sizeof(s), "198.51.%u.%u", 100 + ((b >> 3) & 1), b & 7);
	return addr(af, s);
}

static void svc_conf(struct rd *r, struct pcc_svc_conf *c)
{
	const char *const *names = pcc_sched_names();
	u8 b = g8(r);

	memset(c, 0, sizeof(*c));
	c->key = key_of(g8(r));
	if (b & 0x80)
		snprintf(c->sched, sizeof(c->sched), "%s", names[b & 7]);
	c->flags = g8(r) & (PCCVS_SVC_F_ALL | 0x40);
	c->timeout = b & 0x40 ? g8(r) % 20 : g32(r) % (PCCVS_PERSIST_TIMEOUT_MAX + 2);
	c->netmask = g8(r) % 140;
	snprintf(c->pgroup, sizeof(c->pgroup), "%s", groups[(b >> 3) & 3]);
}

static void dest_conf(struct rd *r, u16 af, struct pcc_dest_conf *d)
{
	u8 b = g8(r);

	memset(d, 0, sizeof(*d));
	d->addr = addr(af, af == AF_INET6 ? rip6[b & 3] : rip4[b & 3]);
	d->port = rports[(b >> 2) & 3];
	d->fwd = (b >> 4) % 5;
	d->weight = b & 0x40 ? g16(r) : g8(r) & 3;
	d->u_thresh = b & 0x80 ? g8(r) & 7 : 0;
	d->l_thresh = b & 0x80 ? g8(r) & 7 : 0;
}

struct state {
	struct pcc_table *t;
	u64 now;
	struct pcc_pkt last[8];		/* recent forwarded packets, for replies */
	struct pcc_verdict lastv[8];
	unsigned int nlast;
};

static void do_packet(struct state *s, struct rd *r)
{
	struct pcc_svc_key k = key_of(g8(r));
	u8 b = g8(r);
	struct pcc_pkt p = { .af = k.af, .protocol = k.protocol ? k.protocol : IPPROTO_TCP };
	struct pcc_verdict v;
	enum pcc_action a;

	p.tcp_flags = g8(r) & 0x17;
	p.sport = 1000 + (b & 3);
	p.dport = k.port ? k.port : ports[(b >> 2) & 3];
	p.fwmark = b & 0x40 ? 1 + (b >> 7) : 0;
	p.len = 60;
	p.saddr = client(k.af, g8(r));
	p.daddr = k.fwmark ? addr(k.af, k.af == AF_INET6 ? vip6[0] : vip4[0]) : k.addr;
	a = pcc_decide(s->t, &p, s->now, &v);
	CHECK(a == v.action);
	CHECK(a != PCC_REPLY);
	CHECK((a == PCC_DROP) == (v.reason != PCC_DROP_NONE));
	if (a == PCC_FORWARD) {
		CHECK(v.af == p.af);
		CHECK(v.fwd >= PCCVS_FWD_DR && v.fwd <= PCCVS_FWD_MAX);
		s->last[s->nlast % 8] = p;
		s->lastv[s->nlast % 8] = v;
		s->nlast++;
	}
}

/* The real server answers a recent flow (NAT sees it, others pass). */
static void do_reply(struct state *s, struct rd *r)
{
	unsigned int i = g8(r) % 8;
	struct pcc_pkt p;
	struct pcc_verdict v;
	enum pcc_action a;

	if (i >= s->nlast)
		return;
	p = s->last[i];
	p.saddr = s->lastv[i].daddr;
	p.sport = s->lastv[i].dport;
	p.daddr = s->last[i].saddr;
	p.dport = s->last[i].sport;
	p.tcp_flags = g8(r) & 0x17;
	a = pcc_decide_reply(s->t, &p, s->now, &v);
	CHECK(a == PCC_PASS || a == PCC_REPLY);
	if (a == PCC_REPLY)
		CHECK(v.vport == s->last[i].dport);
}

static void do_inject(struct state *s, struct rd *r)
{
	struct pcc_svc_key k = key_of(g8(r));
	struct pcc_tpl_info in = { .dom = { .af = k.af, .protocol = k.protocol, .vport = k.port,
					    .fwmark = k.fwmark, .vaddr = k.addr } };
	struct pcc_dest_conf d;
	struct pcc_err e = { NULL };
	enum pcc_merge m;
	u8 b = g8(r);

	if (b & 1)
		snprintf(in.dom.pgroup, sizeof(in.dom.pgroup), "%s", groups[(b >> 1) & 3]);
	dest_conf(r, k.af, &d);
	in.caddr = client(k.af, g8(r));
	in.daddr = d.addr;
	in.dport = d.port ? d.port : k.port;
	in.remaining_ms = b & 8 ? g32(r) : 1000 * (1 + (g8(r) & 63));
	in.stamp = b & 16 ? g32(r) : g8(r) & 7;
	in.flags = b & 32 ? g8(r) : PCCVS_TPL_F_CONFIRMED;
	if (!pcc_tpl_inject(s->t, &in, s->now, &m, &e))
		CHECK(pcc_tpl_inject(s->t, &in, s->now, &m, &e) == 0 && m == PCC_MERGE_UNCHANGED);
	else
		CHECK(e.msg != NULL);
}

static void do_tpl_ops(struct state *s, struct rd *r)
{
	struct pcc_svc_key k = key_of(g8(r));
	struct pcc_domain d = { .af = k.af, .protocol = k.protocol, .vport = k.port,
				.fwmark = k.fwmark, .vaddr = k.addr };
	union pcc_addr c = client(k.af, g8(r));
	struct pcc_tpl_info o;
	u8 b = g8(r);

	if (b & 1)
		snprintf(d.pgroup, sizeof(d.pgroup), "%s", groups[(b >> 1) & 3]);
	switch ((b >> 3) & 3) {
	case 0:
		pcc_tpl_del(s->t, &d, &c, b & 0x20 ? g8(r) : 0, s->now);
		break;
	case 1:
		pcc_tpl_flush(s->t, b & 0x20 ? &d : NULL);
		break;
	default:
		if (!pcc_tpl_get(s->t, &d, &c, s->now, &o))
			CHECK(o.remaining_ms <= (u64)PCCVS_PERSIST_TIMEOUT_MAX * 1000 + 1000 &&
			      o.flags == (o.flags & PCCVS_TPL_F_ALL));
	}
}

/* Dump both tables in small batches. */
static void dump(struct state *s, u32 max, u32 *ntpl, u32 *nconn)
{
	struct pcc_tpl_cursor tc = { 0 };
	struct pcc_conn_cursor cc = { 0 };
	struct pcc_tpl_info ti[5];
	struct pcc_conn_info ci[5];
	u32 n;

	*ntpl = *nconn = 0;
	max = 1 + max % 5;
	while ((n = pcc_tpl_iter(s->t, &tc, 0, NULL, s->now, ti, max)))
		*ntpl += n;
	while ((n = pcc_conn_iter(s->t, &cc, s->now, ci, max)))
		*nconn += n;
}

static void do_config(struct state *s, struct rd *r, u8 op)
{
	struct pcc_svc_conf c;
	struct pcc_dest_conf d;
	struct pcc_svc_key k;
	struct pcc_err e = { NULL };
	int ret = 0;

	switch (op) {
	case 0:
		svc_conf(r, &c);
		ret = pcc_svc_add(s->t, &c, &e);
		break;
	case 1:
		svc_conf(r, &c);
		ret = pcc_svc_set(s->t, &c, g8(r) & 0x1f, &e);
		break;
	case 2:
		k = key_of(g8(r));
		ret = pcc_svc_del(s->t, &k, &e);
		break;
	case 3:
		k = key_of(g8(r));
		dest_conf(r, k.af, &d);
		ret = pcc_dest_add(s->t, &k, &d, &e);
		break;
	case 4:
		k = key_of(g8(r));
		dest_conf(r, k.af, &d);
		ret = pcc_dest_set(s->t, &k, &d, g8(r) & 0xf, &e);
		break;
	case 5:
		k = key_of(g8(r));
		dest_conf(r, k.af, &d);
		ret = pcc_dest_del(s->t, &k, &d.addr, d.port, &e);
		break;
	}
	CHECK(ret <= 0);
	CHECK(ret != -EINVAL || e.msg);
}

static void do_misc(struct state *s, struct rd *r)
{
	struct pcc_cfg cfg;
	struct pcc_svc_info si[4];
	struct pcc_conn_info ci;
	u32 pos = 0, a, b;
	u8 op = g8(r);

	switch (op & 7) {
	case 0:
		memset(&cfg, 0, sizeof(cfg));
		cfg.tcp_est = op & 8 ? g8(r) : 0;
		cfg.tcp_close = op & 16 ? g8(r) : 0;
		cfg.udp = op & 32 ? g8(r) : 0;
		cfg.conn_max = op & 64 ? g16(r) % 300 : 0;
		cfg.tpl_max = op & 128 ? g16(r) % 300 : 0;
		cfg.refresh_pct = g8(r) % 110;
		pcc_cfg_set(s->t, &cfg, NULL);
		break;
	case 1:
		pcc_zero(s->t, NULL);
		while (pcc_svc_list(s->t, &pos, si, 4))
			;
		break;
	case 2:
		pcc_conn_flush(s->t);
		break;
	case 3:
		pcc_svc_flush(s->t);
		break;
	case 4:
		dump(s, g8(r), &a, &b);
		break;
	default:
		memset(&ci, 0, sizeof(ci));
		ci.af = af_of(op >> 3);
		ci.protocol = IPPROTO_TCP;
		ci.caddr = client(ci.af, g8(r));
		ci.cport = 1000 + (g8(r) & 3);
		ci.vaddr = addr(ci.af, ci.af == AF_INET6 ? vip6[0] : vip4[0]);
		ci.vport = 80;
		pcc_conn_del(s->t, &ci);
	}
}

static void do_tick(struct state *s, struct rd *r)
{
	u8 b = g8(r);

	if (b & 0x80)
		s->now += (u64)g16(r) * 1000;		/* minutes to hours */
	else
		s->now += (u64)g16(r) & 0x3fff;
	pcc_tick(s->t, s->now, b & 0x40 ? 1 + (b & 15) : 0);
}

static unsigned long events;

static void on_event(void *ctx, enum pccvs_tpl_event ev, const struct pcc_tpl_info *i)
{
	CHECK(ev >= PCCVS_TPL_EV_CONFIRMED && ev <= PCCVS_TPL_EV_DELETED);
	CHECK(!(i->flags & PCCVS_TPL_F_REPLICATED));
	CHECK(i->flags & PCCVS_TPL_F_CONFIRMED);
	events++;
}

static const struct pcc_event_ops ops = { .tpl_event = on_event };

/* Counters agree with what a dump finds, and dests account for both. */
static void check_consistency(struct state *s)
{
	struct pcc_svc_info si[8];
	struct pcc_dest_info di[8];
	struct pcc_table_stats st;
	u32 pos = 0, n, i, ntpl, nconn, persist = 0, conns = 0;
	int m, j;

	pcc_tick(s->t, s->now, 0);
	dump(s, 4, &ntpl, &nconn);
	pcc_table_stats(s->t, &st);
	CHECK(st.tpl_count == ntpl && st.conn_count == nconn);
	while ((n = pcc_svc_list(s->t, &pos, si, 8))) {
		for (i = 0; i < n; i++) {
			u32 dpos = 0;

			while ((m = pcc_dest_list(s->t, &si[i].conf.key, &dpos, di, 8)) > 0) {
				for (j = 0; j < m; j++) {
					persist += di[j].persist;
					conns += di[j].active + di[j].inactive;
				}
			}
		}
	}
	CHECK(persist == st.tpl_count && conns == st.conn_count);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct pcc_table_conf tc = { .conn_max = 256, .tpl_max = 128, .nwheels = 3,
				     .ev_ops = &ops };
	struct rd r = { data, size };
	struct state s = { .now = 1000000 };
	u8 op;

	if (pcc_table_create(&s.t, &tc, s.now))
		abort();
	while (r.n) {
		op = g8(&r);
		pcc_user_cpu = op >> 5;
		switch (op & 15) {
		case 0 ... 5:
			do_config(&s, &r, op & 15);
			break;
		case 6 ... 9:
			do_packet(&s, &r);
			break;
		case 10:
			do_reply(&s, &r);
			break;
		case 11:
			do_tick(&s, &r);
			break;
		case 12:
			do_inject(&s, &r);
			break;
		case 13:
			do_tpl_ops(&s, &r);
			break;
		default:
			do_misc(&s, &r);
		}
	}
	pcc_user_cpu = 0;
	check_consistency(&s);
	pcc_table_destroy(s.t);
	return 0;
}
