/* SPDX-License-Identifier: GPL-2.0 */
/*
 * core_util.h: helpers shared by the core's unit tests: tables with an
 * event log, services and dests from strings, packets, verdict checks.
 */
#ifndef CORE_UTIL_H
#define CORE_UTIL_H

#include "pcc_test.h"
#include "pcc_core.h"
#include <arpa/inet.h>

#define T0 32000ULL	/* a start time on a tick boundary */

struct ev_rec {
	enum pccvs_tpl_event ev;
	struct pcc_tpl_info info;
};

struct ev_log {
	unsigned int n;
	struct ev_rec e[4096];
};

static void ev_cb(void *ctx, enum pccvs_tpl_event ev, const struct pcc_tpl_info *i)
{
	struct ev_log *l = ctx;

	if (l->n < sizeof(l->e) / sizeof(l->e[0])) {
		l->e[l->n].ev = ev;
		l->e[l->n].info = *i;
	}
	l->n++;
}

static const struct pcc_event_ops ev_ops = { .tpl_event = ev_cb };

static inline unsigned int ev_count(const struct ev_log *l, enum pccvs_tpl_event ev)
{
	unsigned int i, n = 0;

	for (i = 0; i < l->n; i++)
		n += l->e[i].ev == ev;
	return n;
}

static inline u16 af_of(const char *s)
{
	return strchr(s, ':') ? AF_INET6 : AF_INET;
}

static inline union pcc_addr A(const char *s)
{
	union pcc_addr a;

	memset(&a, 0, sizeof(a));
	assert_int_equal(inet_pton(af_of(s), s, &a), 1);
	return a;
}

static inline bool addr_is(const union pcc_addr *a, const char *s)
{
	union pcc_addr b = A(s);

	return !memcmp(a, &b, af_of(s) == AF_INET6 ? 16 : 4);
}

static inline struct pcc_table *mk_table(u32 conn_max, u32 tpl_max, struct ev_log *log)
{
	struct pcc_table_conf c = { .conn_max = conn_max, .tpl_max = tpl_max, .nwheels = 2,
				    .ev_ops = log ? &ev_ops : NULL, .ev_ctx = log };
	struct pcc_table *t = NULL;

	assert_int_equal(pcc_table_create(&t, &c, T0), 0);
	return t;
}

static inline struct pcc_svc_key skey(const char *vip, u8 proto, u16 port)
{
	struct pcc_svc_key k = { .af = af_of(vip), .protocol = proto, .port = port };

	k.addr = A(vip);
	return k;
}

static inline struct pcc_svc_key fkey(u16 af, u32 mark)
{
	struct pcc_svc_key k = { .af = af, .fwmark = mark };

	return k;
}

/* A service; netmask is the full length unless given (>= 0). */
static inline int svc_add_full(struct pcc_table *t, struct pcc_svc_key k, u32 flags,
			       const char *sched, u32 timeout, int netmask, const char *pgroup)
{
	struct pcc_svc_conf c = { .key = k, .flags = flags, .timeout = timeout };
	struct pcc_err e = { NULL };

	c.netmask = netmask >= 0 ? (u8)netmask : (k.af == AF_INET6 ? 128 : 32);
	if (sched)
		snprintf(c.sched, sizeof(c.sched), "%s", sched);
	if (pgroup)
		snprintf(c.pgroup, sizeof(c.pgroup), "%s", pgroup);
	return pcc_svc_add(t, &c, &e);
}

static inline void svc_add(struct pcc_table *t, struct pcc_svc_key k, u32 flags,
			   const char *sched, u32 timeout)
{
	assert_int_equal(svc_add_full(t, k, flags, sched, timeout, -1, NULL), 0);
}

static inline int dest_add_full(struct pcc_table *t, struct pcc_svc_key k, const char *rip,
				u16 rport, u8 fwd, u32 weight)
{
	struct pcc_dest_conf d = { .port = rport, .fwd = fwd, .weight = weight };
	struct pcc_err e = { NULL };

	d.addr = A(rip);
	return pcc_dest_add(t, &k, &d, &e);
}

static inline void dest_add(struct pcc_table *t, struct pcc_svc_key k, const char *rip,
			    u32 weight)
{
	assert_int_equal(dest_add_full(t, k, rip, 0, PCCVS_FWD_DR, weight), 0);
}

static inline int dest_weight(struct pcc_table *t, struct pcc_svc_key k, const char *rip,
			      u32 weight)
{
	struct pcc_dest_conf d = { .weight = weight };
	struct pcc_err e = { NULL };

	d.addr = A(rip);
	return pcc_dest_set(t, &k, &d, PCC_SET_WEIGHT, &e);
}

static inline int dest_del(struct pcc_table *t, struct pcc_svc_key k, const char *rip, u16 port)
{
	union pcc_addr a = A(rip);
	struct pcc_err e = { NULL };

	return pcc_dest_del(t, &k, &a, port, &e);
}

static inline struct pcc_pkt mkpkt(u8 proto, u8 flags, const char *src, u16 sport,
				   const char *dst, u16 dport)
{
	struct pcc_pkt p = { .af = af_of(src), .protocol = proto, .tcp_flags = flags,
			     .sport = sport, .dport = dport, .len = 100 };

	p.saddr = A(src);
	p.daddr = A(dst);
	return p;
}

/* Client -> VIP; returns the action, the verdict in *v. */
static inline enum pcc_action pkt(struct pcc_table *t, u8 proto, u8 flags, const char *src,
				  u16 sport, const char *dst, u16 dport, u64 now,
				  struct pcc_verdict *v)
{
	struct pcc_pkt p = mkpkt(proto, flags, src, sport, dst, dport);

	return pcc_decide(t, &p, now, v);
}

#define SYN PCC_TCP_SYN
#define ACK PCC_TCP_ACK
#define FIN (PCC_TCP_FIN | PCC_TCP_ACK)
#define RST PCC_TCP_RST
#define TCP IPPROTO_TCP
#define UDP IPPROTO_UDP

/* A TCP handshake's client side: SYN then ACK; returns the SYN's verdict. */
static inline struct pcc_verdict tcp_open(struct pcc_table *t, const char *src, u16 sport,
					  const char *dst, u16 dport, u64 now)
{
	struct pcc_verdict v, v2;

	assert_int_equal(pkt(t, TCP, SYN, src, sport, dst, dport, now, &v), PCC_FORWARD);
	assert_int_equal(pkt(t, TCP, ACK, src, sport, dst, dport, now, &v2), PCC_FORWARD);
	assert_memory_equal(&v.daddr, &v2.daddr, sizeof(v.daddr));
	return v;
}

/* The real server a verdict names, as a small integer: last byte. */
static inline unsigned int vd_last(const struct pcc_verdict *v)
{
	return v->af == AF_INET6 ? v->daddr.b[15] : v->daddr.b[3];
}

static inline unsigned int tcp_open_last(struct pcc_table *t, const char *src, u16 sport,
					 const char *dst, u16 dport, u64 now)
{
	struct pcc_verdict v = tcp_open(t, src, sport, dst, dport, now);

	return vd_last(&v);
}

static inline struct pcc_domain dom_of(struct pcc_svc_key k)
{
	struct pcc_domain d = { .af = k.af, .protocol = k.protocol, .vport = k.port,
				.fwmark = k.fwmark, .vaddr = k.addr };

	return d;
}

static inline struct pcc_domain dom_group(const char *vip, const char *pgroup)
{
	struct pcc_domain d = { .af = af_of(vip) };

	d.vaddr = A(vip);
	snprintf(d.pgroup, sizeof(d.pgroup), "%s", pgroup);
	return d;
}

static inline int tpl_get(struct pcc_table *t, struct pcc_domain d, const char *client, u64 now,
			  struct pcc_tpl_info *out)
{
	union pcc_addr c = A(client);

	return pcc_tpl_get(t, &d, &c, now, out);
}

static inline struct pcc_table_stats tstats(struct pcc_table *t)
{
	struct pcc_table_stats s;

	pcc_table_stats(t, &s);
	return s;
}

#endif /* CORE_UTIL_H */
