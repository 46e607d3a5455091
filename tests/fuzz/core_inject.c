// SPDX-License-Identifier: GPL-2.0
/*
 * core_inject.c: libFuzzer target for the template sync hooks. Template
 * infos come raw from the input (any af, flags, expiry, stamp, group name
 * bytes without a NUL) or from pools that match the fixed configuration.
 * Checked: refusals leave nothing behind, merges are idempotent and never go
 * backwards, injection never emits an event; local traffic and ticks in
 * between take templates over and expire them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <arpa/inet.h>
#include "pcc_core.h"

#define CHECK(c)                                                                   \
	do {                                                                       \
		if (!(c)) {                                                        \
			fprintf(stderr, "check failed %s:%d: %s\n", __FILE__,      \
				__LINE__, #c);                                     \
			abort();                                                   \
		}                                                                  \
	} while (0)

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

static void gbytes(struct rd *r, void *out, size_t n)
{
	u8 *o = out;

	while (n--)
		*o++ = g8(r);
}

static u64 g64(struct rd *r)
{
	u64 v = 0;

	gbytes(r, &v, sizeof(v));
	return v;
}

static union pcc_addr addr(u16 af, const char *s)
{
	union pcc_addr a;

	memset(&a, 0, sizeof(a));
	inet_pton(af, s, &a);
	return a;
}

static bool in_inject;

static void on_event(void *ctx, enum pccvs_tpl_event ev, const struct pcc_tpl_info *i)
{
	CHECK(!in_inject);
}

static const struct pcc_event_ops ops = { .tpl_event = on_event };

/* TCP 80 and 443 in group "web" (/24), UDP 53 alone, v6 TCP 80 (/64),
 * fwmark 3. */
static void configure(struct pcc_table *t)
{
	static const struct {
		u16 af;
		u8 proto;
		u16 port;
		u32 fwmark;
		const char *vip, *group;
		u8 mask;
	} svcs[] = {
		{ AF_INET, IPPROTO_TCP, 80, 0, "192.0.2.1", "web", 24 },
		{ AF_INET, IPPROTO_TCP, 443, 0, "192.0.2.1", "web", 24 },
		{ AF_INET, IPPROTO_UDP, 53, 0, "192.0.2.1", "", 32 },
		{ AF_INET6, IPPROTO_TCP, 80, 0, "2001:db8::1", "", 64 },
		{ AF_INET, 0, 0, 3, NULL, "", 32 },
	};
	size_t i, j;

	for (i = 0; i < sizeof(svcs) / sizeof(svcs[0]); i++) {
		struct pcc_svc_conf c = { .flags = PCCVS_SVC_F_PERSISTENT, .timeout = 60 };

		c.key.af = svcs[i].af;
		c.key.protocol = svcs[i].proto;
		c.key.port = svcs[i].port;
		c.key.fwmark = svcs[i].fwmark;
		if (svcs[i].vip)
			c.key.addr = addr(svcs[i].af, svcs[i].vip);
		c.netmask = svcs[i].mask;
		strcpy(c.sched, "rr");
		strcpy(c.pgroup, svcs[i].group);
		CHECK(pcc_svc_add(t, &c, NULL) == 0);
		for (j = 1; j <= 3; j++) {
			struct pcc_dest_conf d = { .weight = 1 };
			char s[64];

			if (svcs[i].af == AF_INET6)
				snprintf(s, sizeof(s), "2001:db8:1::%zu", j);
			else
				snprintf(s, sizeof(s), "10.0.0.%zu", j);
			d.addr = addr(svcs[i].af, s);
			CHECK(pcc_dest_add(t, &c.key, &d, NULL) == 0);
		}
	}
}

/* A template info: raw bytes, or pooled values that mostly resolve. */
static void info(struct rd *r, struct pcc_tpl_info *in)
{
	static const u16 vports[] = { 80, 443, 53, 0 };
	u8 b = g8(r), c = g8(r);

	memset(in, 0, sizeof(*in));
	if (b & 0x80) {
		gbytes(r, in, sizeof(*in));
		return;
	}
	in->dom.af = b & 1 ? AF_INET6 : AF_INET;
	in->dom.protocol = b & 2 ? IPPROTO_UDP : IPPROTO_TCP;
	in->dom.vport = vports[(b >> 2) & 3];
	in->dom.fwmark = b & 0x10 ? 3 : 0;
	in->dom.vaddr = addr(in->dom.af, in->dom.af == AF_INET6 ? "2001:db8::1" : "192.0.2.1");
	if (b & 0x20)
		gbytes(r, in->dom.pgroup, sizeof(in->dom.pgroup));
	else if (b & 0x40)
		strcpy(in->dom.pgroup, "web");
	in->caddr = in->dom.af == AF_INET6 ? addr(AF_INET6, "2001:db8:ff::") :
					     addr(AF_INET, "198.51.100.0");
	in->caddr.b[in->dom.af == AF_INET6 ? 7 : 2] += c & 3;
	if (c & 4)
		in->caddr.b[in->dom.af == AF_INET6 ? 15 : 3] = g8(r);
	in->daddr = in->dom.af == AF_INET6 ? addr(AF_INET6, "2001:db8:1::") :
					     addr(AF_INET, "10.0.0.0");
	in->daddr.b[in->dom.af == AF_INET6 ? 15 : 3] = 1 + ((c >> 3) & 3);
	in->dport = c & 0x20 ? in->dom.vport : (u16)(g8(r) | g8(r) << 8);
	in->remaining_ms = c & 0x40 ? g64(r) : 1000 * (1 + (u64)g8(r));
	in->stamp = c & 0x80 ? g64(r) : g8(r) & 15;
	in->flags = g8(r) & 3;
}

/* After an accepted merge the template is at least what was injected. */
static void check_merged(struct pcc_table *t, const struct pcc_tpl_info *in, u64 now,
			 enum pcc_merge m)
{
	struct pcc_tpl_info o;
	enum pcc_merge again;

	CHECK(pcc_tpl_get(t, &in->dom, &in->caddr, now, &o) == 0);
	CHECK(o.stamp >= in->stamp || memcmp(&o.daddr, &in->daddr, sizeof(o.daddr)));
	if (m == PCC_MERGE_CREATED) {
		CHECK(o.stamp == in->stamp && o.dport == in->dport);
		CHECK(o.flags & PCCVS_TPL_F_REPLICATED);
		CHECK(o.remaining_ms == in->remaining_ms || o.nctl);
	}
	if (!memcmp(&o.daddr, &in->daddr, sizeof(o.daddr)) && o.dport == in->dport && !o.nctl)
		CHECK(o.remaining_ms >= in->remaining_ms);
	CHECK(pcc_tpl_inject(t, in, now, &again, NULL) == 0);
	CHECK(again == PCC_MERGE_UNCHANGED);
}

static void traffic(struct pcc_table *t, struct rd *r, u64 now)
{
	u8 b = g8(r);
	struct pcc_pkt p = { .af = AF_INET, .protocol = IPPROTO_TCP, .len = 1 };
	struct pcc_verdict v;

	p.tcp_flags = b & 1 ? PCC_TCP_SYN : PCC_TCP_ACK;
	p.saddr = addr(AF_INET, "198.51.100.0");
	p.saddr.b[2] += (b >> 1) & 3;
	p.saddr.b[3] = g8(r);
	p.daddr = addr(AF_INET, "192.0.2.1");
	p.sport = 1000 + ((b >> 3) & 3);
	p.dport = b & 0x20 ? 443 : 80;
	pcc_decide(t, &p, now, &v);
	if (b & 0x40) {
		p.tcp_flags = PCC_TCP_ACK;
		pcc_decide(t, &p, now, &v);
	}
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct pcc_table_conf tc = { .conn_max = 64, .tpl_max = 32, .ev_ops = &ops };
	struct rd r = { data, size };
	struct pcc_table *t;
	struct pcc_tpl_info in;
	struct pcc_table_stats before, after;
	struct pcc_err e;
	enum pcc_merge m;
	u64 now = 5000000;
	int ret;

	CHECK(pcc_table_create(&t, &tc, now) == 0);
	configure(t);
	while (r.n) {
		switch (g8(&r) & 7) {
		case 0 ... 3:
			info(&r, &in);
			pcc_table_stats(t, &before);
			e.msg = NULL;
			in_inject = true;
			ret = pcc_tpl_inject(t, &in, now, &m, &e);
			in_inject = false;
			pcc_table_stats(t, &after);
			if (ret) {
				CHECK(e.msg);
				CHECK(ret == -EINVAL || ret == -ENOENT || ret == -ENOSPC);
				CHECK(after.tpl_count == before.tpl_count);
			} else {
				check_merged(t, &in, now, m);
			}
			break;
		case 4:
			info(&r, &in);
			pcc_tpl_del(t, &in.dom, &in.caddr, g8(&r) & 1 ? in.stamp : 0, now);
			break;
		case 5:
			traffic(t, &r, now);
			break;
		case 6:
			now += 1 + (u64)g8(&r) * 997;
			pcc_tick(t, now, 0);
			break;
		default:
			if (g8(&r) & 1)
				pcc_tpl_flush(t, NULL);
		}
	}
	pcc_table_destroy(t);
	return 0;
}
