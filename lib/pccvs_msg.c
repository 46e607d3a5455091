// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * pccvs_msg.c: libpccvs' wire layer: request attributes out (libnl
 * messages), kernel messages in (plain buffers, strictly checked).
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <netlink/attr.h>
#include <netlink/errno.h>
#include <netlink/genl/genl.h>
#include "pccvs_msg.h"

/* ------------------------------------------------------------------ */
/* Parsing: a small strict validator over raw attributes               */

enum kind { K_NONE, K_U8, K_U16, K_U32, K_U64, K_ADDR, K_STR, K_NEST };

struct aspec {
	uint8_t kind;
	uint16_t max;	/* K_STR: bytes including the NUL, 0 = any */
};

static const void *adata(const struct nlattr *a)
{
	return (const char *)a + NLA_HDRLEN;
}

static int alen(const struct nlattr *a)
{
	return a->nla_len - NLA_HDRLEN;
}

static bool valid(const struct nlattr *a, const struct aspec *s)
{
	static const int size[] = {
		[K_U8] = 1, [K_U16] = 2, [K_U32] = 4, [K_U64] = 8,
	};
	const char *d = adata(a);
	int n = alen(a);

	switch (s->kind) {
	case K_U8: case K_U16: case K_U32: case K_U64:
		return n == size[s->kind];
	case K_ADDR:
		return n == 4 || n == 16;
	case K_STR:
		return n >= 1 && d[n - 1] == '\0' && (!s->max || n <= s->max);
	default:
		return true;
	}
}

/*
 * Attributes in data[0..len) into tb[] by type. Known types must be valid
 * and appear once; unknown ones are skipped; nothing may be truncated.
 */
static int parse_attrs(const void *data, int len, const struct aspec *spec,
		       int maxtype, const struct nlattr **tb)
{
	const char *p = data;
	int rem = len;

	memset(tb, 0, sizeof(*tb) * (maxtype + 1));
	while (rem >= NLA_HDRLEN) {
		const struct nlattr *a = (const void *)p;
		int type = a->nla_type & NLA_TYPE_MASK;
		int step = NLA_ALIGN(a->nla_len);

		if (a->nla_len < NLA_HDRLEN || a->nla_len > rem)
			return -EBADMSG;
		if (type <= maxtype && spec[type].kind) {
			if (tb[type] || !valid(a, &spec[type]))
				return -EBADMSG;
			tb[type] = a;
		}
		if (step >= rem)
			return 0;
		p += step;
		rem -= step;
	}
	return rem ? -EBADMSG : 0;
}

static int parse_nest(const struct nlattr *nest, const struct aspec *spec,
		      int maxtype, const struct nlattr **tb)
{
	return parse_attrs(adata(nest), alen(nest), spec, maxtype, tb);
}

static uint8_t g8(const struct nlattr *a)
{
	return *(const uint8_t *)adata(a);
}

static uint16_t g16(const struct nlattr *a)
{
	uint16_t v;

	memcpy(&v, adata(a), sizeof(v));
	return v;
}

static uint32_t g32(const struct nlattr *a)
{
	uint32_t v;

	memcpy(&v, adata(a), sizeof(v));
	return v;
}

static uint64_t g64(const struct nlattr *a)
{
	uint64_t v;

	memcpy(&v, adata(a), sizeof(v));
	return v;
}

static void gstr(const struct nlattr *a, char *buf, size_t size)
{
	snprintf(buf, size, "%s", (const char *)adata(a));
}

static bool af_ok(uint16_t af)
{
	return af == AF_INET || af == AF_INET6;
}

static size_t af_len(uint16_t af)
{
	return af == AF_INET ? 4 : 16;
}

/* An address of family af; absent is fine (out stays unset). */
static int gaddr(const struct nlattr *a, uint16_t af, struct pccvs_addr *out)
{
	memset(out, 0, sizeof(*out));
	if (!a)
		return 0;
	if ((size_t)alen(a) != af_len(af))
		return -EBADMSG;
	out->af = af;
	memcpy(out->b, adata(a), af_len(af));
	return 0;
}

static int gaf(const struct nlattr *a, uint16_t *af)
{
	if (!a || !af_ok(g16(a)))
		return -EBADMSG;
	*af = g16(a);
	return 0;
}

static const struct aspec stats_spec[PCCVS_STATS_A_MAX + 1] = {
	[PCCVS_STATS_A_CONNS] = { K_U64 }, [PCCVS_STATS_A_INPKTS] = { K_U64 },
	[PCCVS_STATS_A_OUTPKTS] = { K_U64 }, [PCCVS_STATS_A_INBYTES] = { K_U64 },
	[PCCVS_STATS_A_OUTBYTES] = { K_U64 }, [PCCVS_STATS_A_CPS] = { K_U32 },
	[PCCVS_STATS_A_INPPS] = { K_U32 }, [PCCVS_STATS_A_OUTPPS] = { K_U32 },
	[PCCVS_STATS_A_INBPS] = { K_U32 }, [PCCVS_STATS_A_OUTBPS] = { K_U32 },
};

static int parse_stats(const struct nlattr *nest, struct pccvs_stats *s)
{
	const struct nlattr *tb[PCCVS_STATS_A_MAX + 1];

	memset(s, 0, sizeof(*s));
	if (!nest)
		return 0;
	if (parse_nest(nest, stats_spec, PCCVS_STATS_A_MAX, tb))
		return -EBADMSG;
#define U64(f, A) if (tb[A]) s->f = g64(tb[A])
#define U32(f, A) if (tb[A]) s->f = g32(tb[A])
	U64(conns, PCCVS_STATS_A_CONNS);
	U64(inpkts, PCCVS_STATS_A_INPKTS);
	U64(outpkts, PCCVS_STATS_A_OUTPKTS);
	U64(inbytes, PCCVS_STATS_A_INBYTES);
	U64(outbytes, PCCVS_STATS_A_OUTBYTES);
	U32(cps, PCCVS_STATS_A_CPS);
	U32(inpps, PCCVS_STATS_A_INPPS);
	U32(outpps, PCCVS_STATS_A_OUTPPS);
	U32(inbps, PCCVS_STATS_A_INBPS);
	U32(outbps, PCCVS_STATS_A_OUTBPS);
	return 0;
}

static const struct aspec svc_spec[PCCVS_SVC_A_MAX + 1] = {
	[PCCVS_SVC_A_AF] = { K_U16 },
	[PCCVS_SVC_A_PROTOCOL] = { K_U8 },
	[PCCVS_SVC_A_ADDR] = { K_ADDR },
	[PCCVS_SVC_A_PORT] = { K_U16 },
	[PCCVS_SVC_A_FWMARK] = { K_U32 },
	[PCCVS_SVC_A_SCHED] = { K_STR, PCCVS_SCHED_NAME_MAX },
	[PCCVS_SVC_A_FLAGS] = { K_U32 },
	[PCCVS_SVC_A_TIMEOUT] = { K_U32 },
	[PCCVS_SVC_A_NETMASK] = { K_U8 },
	[PCCVS_SVC_A_PGROUP] = { K_STR, PCCVS_PGROUP_NAME_MAX },
	[PCCVS_SVC_A_STATS] = { K_NEST },
	[PCCVS_SVC_A_TPL_COUNT] = { K_U32 },
	[PCCVS_SVC_A_DEST_COUNT] = { K_U32 },
};

int pccvs_parse_svc(const struct nlattr *nest, struct pccvs_svc *out)
{
	const struct nlattr *tb[PCCVS_SVC_A_MAX + 1];

	memset(out, 0, sizeof(*out));
	if (parse_nest(nest, svc_spec, PCCVS_SVC_A_MAX, tb) ||
	    gaf(tb[PCCVS_SVC_A_AF], &out->af))
		return -EBADMSG;
	if (tb[PCCVS_SVC_A_FWMARK])
		out->fwmark = g32(tb[PCCVS_SVC_A_FWMARK]);
	else if (!tb[PCCVS_SVC_A_PROTOCOL] || !tb[PCCVS_SVC_A_ADDR] ||
		 !tb[PCCVS_SVC_A_PORT])
		return -EBADMSG;	/* no identity */
	if (tb[PCCVS_SVC_A_PROTOCOL])
		out->protocol = g8(tb[PCCVS_SVC_A_PROTOCOL]);
	if (tb[PCCVS_SVC_A_PORT])
		out->port = g16(tb[PCCVS_SVC_A_PORT]);
	if (gaddr(tb[PCCVS_SVC_A_ADDR], out->af, &out->addr))
		return -EBADMSG;
	if (tb[PCCVS_SVC_A_SCHED])
		gstr(tb[PCCVS_SVC_A_SCHED], out->sched, sizeof(out->sched));
	if (tb[PCCVS_SVC_A_FLAGS])
		out->flags = g32(tb[PCCVS_SVC_A_FLAGS]);
	if (tb[PCCVS_SVC_A_TIMEOUT])
		out->timeout = g32(tb[PCCVS_SVC_A_TIMEOUT]);
	if (tb[PCCVS_SVC_A_NETMASK])
		out->netmask = g8(tb[PCCVS_SVC_A_NETMASK]);
	if (tb[PCCVS_SVC_A_PGROUP])
		gstr(tb[PCCVS_SVC_A_PGROUP], out->pgroup, sizeof(out->pgroup));
	if (tb[PCCVS_SVC_A_TPL_COUNT])
		out->tpl_count = g32(tb[PCCVS_SVC_A_TPL_COUNT]);
	if (tb[PCCVS_SVC_A_DEST_COUNT])
		out->dest_count = g32(tb[PCCVS_SVC_A_DEST_COUNT]);
	return parse_stats(tb[PCCVS_SVC_A_STATS], &out->stats);
}

static const struct aspec dest_spec[PCCVS_DEST_A_MAX + 1] = {
	[PCCVS_DEST_A_ADDR] = { K_ADDR },
	[PCCVS_DEST_A_PORT] = { K_U16 },
	[PCCVS_DEST_A_FWD] = { K_U8 },
	[PCCVS_DEST_A_WEIGHT] = { K_U32 },
	[PCCVS_DEST_A_U_THRESH] = { K_U32 },
	[PCCVS_DEST_A_L_THRESH] = { K_U32 },
	[PCCVS_DEST_A_ACTIVE] = { K_U32 },
	[PCCVS_DEST_A_INACTIVE] = { K_U32 },
	[PCCVS_DEST_A_PERSIST] = { K_U32 },
	[PCCVS_DEST_A_STATS] = { K_NEST },
};

int pccvs_parse_dest(const struct nlattr *nest, uint16_t af,
		     struct pccvs_dest *out)
{
	const struct nlattr *tb[PCCVS_DEST_A_MAX + 1];
	const struct nlattr *addr;

	memset(out, 0, sizeof(*out));
	if (parse_nest(nest, dest_spec, PCCVS_DEST_A_MAX, tb))
		return -EBADMSG;
	addr = tb[PCCVS_DEST_A_ADDR];
	if (!addr)
		return -EBADMSG;
	if (!af)
		af = alen(addr) == 4 ? AF_INET : AF_INET6;
	if (!af_ok(af) || gaddr(addr, af, &out->addr))
		return -EBADMSG;
	if (tb[PCCVS_DEST_A_PORT])
		out->port = g16(tb[PCCVS_DEST_A_PORT]);
	if (tb[PCCVS_DEST_A_FWD])
		out->fwd = g8(tb[PCCVS_DEST_A_FWD]);
	if (tb[PCCVS_DEST_A_WEIGHT])
		out->weight = g32(tb[PCCVS_DEST_A_WEIGHT]);
	if (tb[PCCVS_DEST_A_U_THRESH])
		out->u_thresh = g32(tb[PCCVS_DEST_A_U_THRESH]);
	if (tb[PCCVS_DEST_A_L_THRESH])
		out->l_thresh = g32(tb[PCCVS_DEST_A_L_THRESH]);
	if (tb[PCCVS_DEST_A_ACTIVE])
		out->active = g32(tb[PCCVS_DEST_A_ACTIVE]);
	if (tb[PCCVS_DEST_A_INACTIVE])
		out->inactive = g32(tb[PCCVS_DEST_A_INACTIVE]);
	if (tb[PCCVS_DEST_A_PERSIST])
		out->persist = g32(tb[PCCVS_DEST_A_PERSIST]);
	return parse_stats(tb[PCCVS_DEST_A_STATS], &out->stats);
}

static const struct aspec tpl_spec[PCCVS_TPL_A_MAX + 1] = {
	[PCCVS_TPL_A_AF] = { K_U16 },
	[PCCVS_TPL_A_PROTOCOL] = { K_U8 },
	[PCCVS_TPL_A_VADDR] = { K_ADDR },
	[PCCVS_TPL_A_VPORT] = { K_U16 },
	[PCCVS_TPL_A_FWMARK] = { K_U32 },
	[PCCVS_TPL_A_PGROUP] = { K_STR, PCCVS_PGROUP_NAME_MAX },
	[PCCVS_TPL_A_CADDR] = { K_ADDR },
	[PCCVS_TPL_A_DADDR] = { K_ADDR },
	[PCCVS_TPL_A_DPORT] = { K_U16 },
	[PCCVS_TPL_A_REMAINING_MS] = { K_U64 },
	[PCCVS_TPL_A_STAMP] = { K_U64 },
	[PCCVS_TPL_A_FLAGS] = { K_U32 },
	[PCCVS_TPL_A_NCTL] = { K_U32 },
	[PCCVS_TPL_A_TIMEOUT] = { K_U32 },
	[PCCVS_TPL_A_EVENT] = { K_U8 },
	[PCCVS_TPL_A_NETMASK] = { K_U8 },
};

int pccvs_parse_tpl(const struct nlattr *nest, struct pccvs_tpl *out)
{
	const struct nlattr *tb[PCCVS_TPL_A_MAX + 1];

	memset(out, 0, sizeof(*out));
	if (parse_nest(nest, tpl_spec, PCCVS_TPL_A_MAX, tb) ||
	    gaf(tb[PCCVS_TPL_A_AF], &out->af))
		return -EBADMSG;
	/* A domain (fwmark | vaddr + group | vaddr + protocol + port) and a
	 * client are what make a template. */
	if (!tb[PCCVS_TPL_A_FWMARK] &&
	    (!tb[PCCVS_TPL_A_VADDR] ||
	     (!tb[PCCVS_TPL_A_PGROUP] &&
	      (!tb[PCCVS_TPL_A_PROTOCOL] || !tb[PCCVS_TPL_A_VPORT]))))
		return -EBADMSG;
	if (!tb[PCCVS_TPL_A_CADDR] ||
	    gaddr(tb[PCCVS_TPL_A_VADDR], out->af, &out->vaddr) ||
	    gaddr(tb[PCCVS_TPL_A_CADDR], out->af, &out->caddr) ||
	    gaddr(tb[PCCVS_TPL_A_DADDR], out->af, &out->daddr))
		return -EBADMSG;
	if (tb[PCCVS_TPL_A_FWMARK])
		out->fwmark = g32(tb[PCCVS_TPL_A_FWMARK]);
	if (tb[PCCVS_TPL_A_PROTOCOL])
		out->protocol = g8(tb[PCCVS_TPL_A_PROTOCOL]);
	if (tb[PCCVS_TPL_A_VPORT])
		out->vport = g16(tb[PCCVS_TPL_A_VPORT]);
	if (tb[PCCVS_TPL_A_PGROUP])
		gstr(tb[PCCVS_TPL_A_PGROUP], out->pgroup, sizeof(out->pgroup));
	if (tb[PCCVS_TPL_A_DPORT])
		out->dport = g16(tb[PCCVS_TPL_A_DPORT]);
	if (tb[PCCVS_TPL_A_REMAINING_MS])
		out->remaining_ms = g64(tb[PCCVS_TPL_A_REMAINING_MS]);
	if (tb[PCCVS_TPL_A_STAMP])
		out->stamp = g64(tb[PCCVS_TPL_A_STAMP]);
	if (tb[PCCVS_TPL_A_FLAGS])
		out->flags = g32(tb[PCCVS_TPL_A_FLAGS]);
	if (tb[PCCVS_TPL_A_NCTL])
		out->nctl = g32(tb[PCCVS_TPL_A_NCTL]);
	if (tb[PCCVS_TPL_A_TIMEOUT])
		out->timeout = g32(tb[PCCVS_TPL_A_TIMEOUT]);
	if (tb[PCCVS_TPL_A_NETMASK])
		out->netmask = g8(tb[PCCVS_TPL_A_NETMASK]);
	if (tb[PCCVS_TPL_A_EVENT])
		out->event = g8(tb[PCCVS_TPL_A_EVENT]);
	return 0;
}

static const struct aspec conn_spec[PCCVS_CONN_A_MAX + 1] = {
	[PCCVS_CONN_A_AF] = { K_U16 },
	[PCCVS_CONN_A_PROTOCOL] = { K_U8 },
	[PCCVS_CONN_A_CADDR] = { K_ADDR },
	[PCCVS_CONN_A_CPORT] = { K_U16 },
	[PCCVS_CONN_A_VADDR] = { K_ADDR },
	[PCCVS_CONN_A_VPORT] = { K_U16 },
	[PCCVS_CONN_A_DADDR] = { K_ADDR },
	[PCCVS_CONN_A_DPORT] = { K_U16 },
	[PCCVS_CONN_A_STATE] = { K_U8 },
	[PCCVS_CONN_A_FWD] = { K_U8 },
	[PCCVS_CONN_A_FLAGS] = { K_U32 },
	[PCCVS_CONN_A_REMAINING_MS] = { K_U64 },
	[PCCVS_CONN_A_FWMARK] = { K_U32 },
};

int pccvs_parse_conn(const struct nlattr *nest, struct pccvs_conn *out)
{
	const struct nlattr *tb[PCCVS_CONN_A_MAX + 1];

	memset(out, 0, sizeof(*out));
	if (parse_nest(nest, conn_spec, PCCVS_CONN_A_MAX, tb) ||
	    gaf(tb[PCCVS_CONN_A_AF], &out->af) ||
	    !tb[PCCVS_CONN_A_PROTOCOL] || !tb[PCCVS_CONN_A_CADDR] ||
	    !tb[PCCVS_CONN_A_CPORT] || !tb[PCCVS_CONN_A_VADDR] ||
	    !tb[PCCVS_CONN_A_VPORT] ||
	    gaddr(tb[PCCVS_CONN_A_CADDR], out->af, &out->caddr) ||
	    gaddr(tb[PCCVS_CONN_A_VADDR], out->af, &out->vaddr) ||
	    gaddr(tb[PCCVS_CONN_A_DADDR], out->af, &out->daddr))
		return -EBADMSG;
	out->protocol = g8(tb[PCCVS_CONN_A_PROTOCOL]);
	out->cport = g16(tb[PCCVS_CONN_A_CPORT]);
	out->vport = g16(tb[PCCVS_CONN_A_VPORT]);
	if (tb[PCCVS_CONN_A_DPORT])
		out->dport = g16(tb[PCCVS_CONN_A_DPORT]);
	if (tb[PCCVS_CONN_A_STATE])
		out->state = g8(tb[PCCVS_CONN_A_STATE]);
	if (tb[PCCVS_CONN_A_FWD])
		out->fwd = g8(tb[PCCVS_CONN_A_FWD]);
	if (tb[PCCVS_CONN_A_FLAGS])
		out->flags = g32(tb[PCCVS_CONN_A_FLAGS]);
	if (tb[PCCVS_CONN_A_REMAINING_MS])
		out->remaining_ms = g64(tb[PCCVS_CONN_A_REMAINING_MS]);
	if (tb[PCCVS_CONN_A_FWMARK])
		out->fwmark = g32(tb[PCCVS_CONN_A_FWMARK]);
	return 0;
}

/* Configuration fields in the order of their attributes. */
static uint32_t *cfg_slot(struct pccvs_cfg *c, int type)
{
	switch (type) {
	case PCCVS_CFG_A_TCP_EST: return &c->tcp_est;
	case PCCVS_CFG_A_TCP_SYN_RECV: return &c->tcp_syn_recv;
	case PCCVS_CFG_A_TCP_FIN_WAIT: return &c->tcp_fin_wait;
	case PCCVS_CFG_A_TCP_TIME_WAIT: return &c->tcp_time_wait;
	case PCCVS_CFG_A_TCP_CLOSE: return &c->tcp_close;
	case PCCVS_CFG_A_TCP_CLOSE_WAIT: return &c->tcp_close_wait;
	case PCCVS_CFG_A_TCP_LAST_ACK: return &c->tcp_last_ack;
	case PCCVS_CFG_A_UDP: return &c->udp;
	case PCCVS_CFG_A_CONN_MAX: return &c->conn_max;
	case PCCVS_CFG_A_TPL_MAX: return &c->tpl_max;
	case PCCVS_CFG_A_REFRESH_PCT: return &c->refresh_pct;
	}
	return NULL;
}

int pccvs_parse_cfg(const struct nlattr *nest, struct pccvs_cfg *out)
{
	static const struct aspec spec[PCCVS_CFG_A_MAX + 1] = {
		[1 ... PCCVS_CFG_A_MAX] = { K_U32 },
	};
	const struct nlattr *tb[PCCVS_CFG_A_MAX + 1];
	int i;

	memset(out, 0, sizeof(*out));
	if (parse_nest(nest, spec, PCCVS_CFG_A_MAX, tb))
		return -EBADMSG;
	for (i = 1; i <= PCCVS_CFG_A_MAX; i++)
		if (tb[i])
			*cfg_slot(out, i) = g32(tb[i]);
	return 0;
}

static const struct aspec info_spec[PCCVS_INFO_A_MAX + 1] = {
	[PCCVS_INFO_A_VERSION] = { K_STR, 0 },
	[PCCVS_INFO_A_CONN_COUNT ... PCCVS_INFO_A_TPL_SIZE] = { K_U32 },
	[PCCVS_INFO_A_CONN_REFUSED ... PCCVS_INFO_A_TPL_STALE] = { K_U64 },
};

int pccvs_parse_info(const struct nlattr *nest, struct pccvs_info *out)
{
	const struct nlattr *tb[PCCVS_INFO_A_MAX + 1];

	memset(out, 0, sizeof(*out));
	if (parse_nest(nest, info_spec, PCCVS_INFO_A_MAX, tb))
		return -EBADMSG;
	if (tb[PCCVS_INFO_A_VERSION])
		gstr(tb[PCCVS_INFO_A_VERSION], out->version, sizeof(out->version));
#define I32(f, A) if (tb[A]) out->f = g32(tb[A])
#define I64(f, A) if (tb[A]) out->f = g64(tb[A])
	I32(conn_count, PCCVS_INFO_A_CONN_COUNT);
	I32(tpl_count, PCCVS_INFO_A_TPL_COUNT);
	I32(svc_count, PCCVS_INFO_A_SVC_COUNT);
	I32(conn_buckets, PCCVS_INFO_A_CONN_BUCKETS);
	I32(tpl_buckets, PCCVS_INFO_A_TPL_BUCKETS);
	I32(conn_size, PCCVS_INFO_A_CONN_SIZE);
	I32(tpl_size, PCCVS_INFO_A_TPL_SIZE);
	I64(conn_refused, PCCVS_INFO_A_CONN_REFUSED);
	I64(tpl_refused, PCCVS_INFO_A_TPL_REFUSED);
	I64(restored, PCCVS_INFO_A_RESTORED);
	I64(no_template_drops, PCCVS_INFO_A_NO_TEMPLATE_DROPS);
	I64(ev_seq, PCCVS_INFO_A_EV_SEQ);
	I64(ev_lost, PCCVS_INFO_A_EV_LOST);
	I64(tpl_injected, PCCVS_INFO_A_TPL_INJECTED);
	I64(tpl_stale, PCCVS_INFO_A_TPL_STALE);
	return 0;
}

int pccvs_parse_result(const struct nlattr *nest, struct pccvs_result *out)
{
	static const struct aspec spec[PCCVS_RESULT_A_MAX + 1] = {
		[1 ... PCCVS_RESULT_A_MAX] = { K_U32 },
	};
	const struct nlattr *tb[PCCVS_RESULT_A_MAX + 1];

	memset(out, 0, sizeof(*out));
	if (parse_nest(nest, spec, PCCVS_RESULT_A_MAX, tb))
		return -EBADMSG;
	if (tb[PCCVS_RESULT_A_APPLIED])
		out->applied = g32(tb[PCCVS_RESULT_A_APPLIED]);
	if (tb[PCCVS_RESULT_A_UNCHANGED])
		out->unchanged = g32(tb[PCCVS_RESULT_A_UNCHANGED]);
	if (tb[PCCVS_RESULT_A_REFUSED])
		out->refused = g32(tb[PCCVS_RESULT_A_REFUSED]);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Whole messages                                                      */

int pccvs_msg_attrs(const struct nlmsghdr *nlh, const struct genlmsghdr **g,
		    const struct nlattr **attrs, int *len)
{
	if (nlh->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN)
		return -EBADMSG;
	*g = NLMSG_DATA(nlh);
	*attrs = (const void *)((const char *)NLMSG_DATA(nlh) + GENL_HDRLEN);
	*len = nlh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;
	return 0;
}

int pccvs_msg_foreach(const struct nlattr *attrs, int len, int type,
		      int (*fn)(const struct nlattr *a, void *arg), void *arg)
{
	const char *p = (const char *)attrs;
	int rem = len, ret;

	while (rem >= NLA_HDRLEN) {
		const struct nlattr *a = (const void *)p;
		int step = NLA_ALIGN(a->nla_len);

		if (a->nla_len < NLA_HDRLEN || a->nla_len > rem)
			return -EBADMSG;
		if ((a->nla_type & NLA_TYPE_MASK) == type) {
			ret = fn(a, arg);
			if (ret)
				return ret;
		}
		if (step >= rem)
			return 0;
		p += step;
		rem -= step;
	}
	return rem ? -EBADMSG : 0;
}

struct ev_walk {
	pccvs_tpl_cb cb;
	void *arg;
	int n;
};

static int ev_check(const struct nlattr *a, void *arg)
{
	struct pccvs_tpl t;
	struct ev_walk *w = arg;

	if (pccvs_parse_tpl(a, &t) || !t.event)
		return -EBADMSG;
	w->n++;
	return 0;
}

static int ev_deliver(const struct nlattr *a, void *arg)
{
	struct ev_walk *w = arg;
	struct pccvs_tpl t;

	pccvs_parse_tpl(a, &t);
	return w->cb(&t, w->arg);
}

int pccvs_parse_event(const struct nlmsghdr *nlh, uint64_t *seq,
		      pccvs_tpl_cb cb, void *arg)
{
	static const struct aspec spec[PCCVS_A_MAX + 1] = {
		[PCCVS_A_EV_SEQ] = { K_U64 },
	};
	const struct nlattr *tb[PCCVS_A_MAX + 1];
	struct ev_walk w = { cb, arg, 0 };
	const struct genlmsghdr *g;
	const struct nlattr *attrs;
	int len;

	/* The whole batch is checked before any event is delivered. */
	if (pccvs_msg_attrs(nlh, &g, &attrs, &len) ||
	    g->cmd != PCCVS_CMD_TPL_EVENT ||
	    parse_attrs(attrs, len, spec, PCCVS_A_MAX, tb) ||
	    !tb[PCCVS_A_EV_SEQ] ||
	    pccvs_msg_foreach(attrs, len, PCCVS_A_TPL, ev_check, &w) || !w.n)
		return -EBADMSG;
	*seq = g64(tb[PCCVS_A_EV_SEQ]);
	return pccvs_msg_foreach(attrs, len, PCCVS_A_TPL, ev_deliver, &w);
}

int pccvs_parse_ctrl_delfamily(const struct nlmsghdr *nlh, uint16_t id)
{
	static const struct aspec spec[CTRL_ATTR_FAMILY_ID + 1] = {
		[CTRL_ATTR_FAMILY_ID] = { K_U16 },
	};
	const struct nlattr *tb[CTRL_ATTR_FAMILY_ID + 1];
	const struct genlmsghdr *g;
	const struct nlattr *attrs;
	int len;

	if (nlh->nlmsg_type != GENL_ID_CTRL ||
	    pccvs_msg_attrs(nlh, &g, &attrs, &len) ||
	    g->cmd != CTRL_CMD_DELFAMILY ||
	    parse_attrs(attrs, len, spec, CTRL_ATTR_FAMILY_ID, tb) ||
	    !tb[CTRL_ATTR_FAMILY_ID])
		return 0;
	return g16(tb[CTRL_ATTR_FAMILY_ID]) == id;
}

/* The extended ACK's message, from the TLVs at NLMSG_DATA(nlh) + off. */
static int rx_extack(struct pccvs_rx *rx, const struct nlmsghdr *nlh,
		     size_t off)
{
	static const struct aspec spec[NLMSGERR_ATTR_MSG + 1] = {
		[NLMSGERR_ATTR_MSG] = { K_STR, 0 },
	};
	const struct nlattr *tb[NLMSGERR_ATTR_MSG + 1];
	size_t payload = nlh->nlmsg_len - NLMSG_HDRLEN;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return 0;
	off = NLMSG_ALIGN(off);
	if (off > payload ||
	    parse_attrs((const char *)NLMSG_DATA(nlh) + off, payload - off,
			spec, NLMSGERR_ATTR_MSG, tb))
		return -EBADMSG;
	if (tb[NLMSGERR_ATTR_MSG])
		gstr(tb[NLMSGERR_ATTR_MSG], rx->msg, sizeof(rx->msg));
	return 0;
}

static int rx_error(struct pccvs_rx *rx, const struct nlmsghdr *nlh)
{
	struct nlmsgerr e;
	size_t off = sizeof(e);

	if (nlh->nlmsg_len < NLMSG_HDRLEN + sizeof(e))
		return -EBADMSG;
	memcpy(&e, NLMSG_DATA(nlh), sizeof(e));
	if (e.error > 0)
		return -EBADMSG;
	rx->done = true;
	rx->error = e.error;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED)) {
		/* The request is echoed before the TLVs. */
		if (e.msg.nlmsg_len < NLMSG_HDRLEN)
			return -EBADMSG;
		off += e.msg.nlmsg_len - NLMSG_HDRLEN;
	}
	return rx_extack(rx, nlh, off);
}

static int rx_done(struct pccvs_rx *rx, const struct nlmsghdr *nlh)
{
	int err;

	rx->done = true;
	if (nlh->nlmsg_len < NLMSG_HDRLEN + sizeof(err))
		return 0;
	memcpy(&err, NLMSG_DATA(nlh), sizeof(err));
	if (err > 0)
		return -EBADMSG;
	rx->error = err;
	return rx_extack(rx, nlh, sizeof(err));
}

static int rx_one(struct pccvs_rx *rx, const struct nlmsghdr *nlh)
{
	switch (nlh->nlmsg_type) {
	case NLMSG_NOOP:
		return 0;
	case NLMSG_ERROR:
		return rx_error(rx, nlh);
	case NLMSG_DONE:
		return rx_done(rx, nlh);
	case NLMSG_OVERRUN:
		rx->done = true;
		rx->error = -EOVERFLOW;
		return 0;
	}
	if (nlh->nlmsg_type != rx->family &&
	    (!rx->any_type || nlh->nlmsg_type < NLMSG_MIN_TYPE))
		return 0;
	if (nlh->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN)
		return -EBADMSG;
	if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
		rx->intr = true;
	if (!rx->cb_ret && rx->data)
		rx->cb_ret = rx->data(nlh, rx->arg);
	return 0;
}

int pccvs_rx_process(struct pccvs_rx *rx, const void *buf, size_t len)
{
	const char *p = buf;
	size_t rem = len;
	int ret;

	while (rem >= NLMSG_HDRLEN) {
		const struct nlmsghdr *nlh = (const void *)p;
		size_t step = NLMSG_ALIGN(nlh->nlmsg_len);

		if (nlh->nlmsg_len < NLMSG_HDRLEN || nlh->nlmsg_len > rem)
			return -EBADMSG;
		if (!rx->seq || nlh->nlmsg_seq == rx->seq) {
			ret = rx_one(rx, nlh);
			if (ret)
				return ret;
		}
		if (step >= rem)
			return 0;
		p += step;
		rem -= step;
	}
	return rem ? -EBADMSG : 0;
}

/* ------------------------------------------------------------------ */
/* Building                                                            */

static int put_addr(struct nl_msg *m, int type, uint16_t af,
		    const struct pccvs_addr *a)
{
	if (a->af && a->af != af)
		return -EINVAL;
	return nla_put(m, type, af_len(af), a->b) ? -EMSGSIZE : 0;
}

static bool str_ok(const char *s, size_t size)
{
	return strnlen(s, size) < size;
}

#define TRY(x) do { int r_ = (x); if (r_) return r_; } while (0)
#define PUT(x) do { if ((x) < 0) return -EMSGSIZE; } while (0)

static int put_svc_fields(struct nl_msg *m, const struct pccvs_svc *s,
			  uint32_t mask)
{
	if (mask & PCCVS_SVC_SET_SCHED)
		PUT(nla_put_string(m, PCCVS_SVC_A_SCHED, s->sched));
	if (mask & PCCVS_SVC_SET_FLAGS)
		PUT(nla_put_u32(m, PCCVS_SVC_A_FLAGS, s->flags));
	if (mask & PCCVS_SVC_SET_TIMEOUT)
		PUT(nla_put_u32(m, PCCVS_SVC_A_TIMEOUT, s->timeout));
	if (mask & PCCVS_SVC_SET_NETMASK)
		PUT(nla_put_u8(m, PCCVS_SVC_A_NETMASK, s->netmask));
	if (mask & PCCVS_SVC_SET_PGROUP)
		PUT(nla_put_string(m, PCCVS_SVC_A_PGROUP, s->pgroup));
	return 0;
}

static int put_svc_name(struct nl_msg *m, const struct pccvs_svc *s,
			enum pccvs_svc_put how)
{
	PUT(nla_put_u16(m, PCCVS_SVC_A_AF, s->af));
	if (s->fwmark) {
		PUT(nla_put_u32(m, PCCVS_SVC_A_FWMARK, s->fwmark));
		return 0;
	}
	TRY(put_addr(m, PCCVS_SVC_A_ADDR, s->af, &s->addr));
	if (how == PCCVS_PUT_DOMAIN && !s->protocol && s->pgroup[0]) {
		PUT(nla_put_string(m, PCCVS_SVC_A_PGROUP, s->pgroup));
		return 0;
	}
	PUT(nla_put_u8(m, PCCVS_SVC_A_PROTOCOL, s->protocol));
	PUT(nla_put_u16(m, PCCVS_SVC_A_PORT, s->port));
	return 0;
}

int pccvs_put_svc(struct nl_msg *m, const struct pccvs_svc *s,
		  enum pccvs_svc_put how, uint32_t mask)
{
	struct nlattr *nest;

	if (!af_ok(s->af) || !str_ok(s->sched, sizeof(s->sched)) ||
	    !str_ok(s->pgroup, sizeof(s->pgroup)))
		return -EINVAL;
	if (how == PCCVS_PUT_NEW) {
		/* Zero means "the default": only what is set is sent. */
		mask = (s->sched[0] ? PCCVS_SVC_SET_SCHED : 0) |
		       (s->flags ? PCCVS_SVC_SET_FLAGS : 0) |
		       (s->timeout ? PCCVS_SVC_SET_TIMEOUT : 0) |
		       (s->netmask ? PCCVS_SVC_SET_NETMASK : 0) |
		       (s->pgroup[0] ? PCCVS_SVC_SET_PGROUP : 0);
	} else if (how != PCCVS_PUT_SET) {
		mask = 0;
	}
	nest = nla_nest_start(m, PCCVS_A_SVC);
	if (!nest)
		return -EMSGSIZE;
	TRY(put_svc_name(m, s, how));
	TRY(put_svc_fields(m, s, mask));
	nla_nest_end(m, nest);
	return 0;
}

int pccvs_put_dest(struct nl_msg *m, uint16_t af, const struct pccvs_dest *d,
		   enum pccvs_dest_put how, uint32_t mask)
{
	struct nlattr *nest;

	if (!af_ok(af))
		return -EINVAL;
	if (how == PCCVS_DEST_PUT_NEW)
		mask = PCCVS_DEST_SET_WEIGHT | PCCVS_DEST_SET_UTHRESH |
		       PCCVS_DEST_SET_LTHRESH | (d->fwd ? PCCVS_DEST_SET_FWD : 0);
	else if (how == PCCVS_DEST_PUT_DEL)
		mask = 0;
	nest = nla_nest_start(m, PCCVS_A_DEST);
	if (!nest)
		return -EMSGSIZE;
	TRY(put_addr(m, PCCVS_DEST_A_ADDR, af, &d->addr));
	PUT(nla_put_u16(m, PCCVS_DEST_A_PORT, d->port));
	if (mask & PCCVS_DEST_SET_FWD)
		PUT(nla_put_u8(m, PCCVS_DEST_A_FWD, d->fwd));
	if (mask & PCCVS_DEST_SET_WEIGHT)
		PUT(nla_put_u32(m, PCCVS_DEST_A_WEIGHT, d->weight));
	if (mask & PCCVS_DEST_SET_UTHRESH)
		PUT(nla_put_u32(m, PCCVS_DEST_A_U_THRESH, d->u_thresh));
	if (mask & PCCVS_DEST_SET_LTHRESH)
		PUT(nla_put_u32(m, PCCVS_DEST_A_L_THRESH, d->l_thresh));
	nla_nest_end(m, nest);
	return 0;
}

int pccvs_check_tpl(const struct pccvs_tpl *t, const char **why)
{
	const struct pccvs_addr *a[] = { &t->vaddr, &t->caddr, &t->daddr };
	size_t i;

	*why = NULL;
	if (!af_ok(t->af))
		*why = "address family must be AF_INET or AF_INET6";
	else if (!str_ok(t->pgroup, sizeof(t->pgroup)))
		*why = "port group name not terminated";
	for (i = 0; !*why && i < sizeof(a) / sizeof(a[0]); i++)
		if (a[i]->af && a[i]->af != t->af)
			*why = "an address does not match the template's family";
	return *why ? -EINVAL : 0;
}

static int put_tpl_body(struct nl_msg *m, const struct pccvs_tpl *t, bool del)
{
	PUT(nla_put_u16(m, PCCVS_TPL_A_AF, t->af));
	if (t->fwmark) {
		PUT(nla_put_u32(m, PCCVS_TPL_A_FWMARK, t->fwmark));
	} else {
		TRY(put_addr(m, PCCVS_TPL_A_VADDR, t->af, &t->vaddr));
		if (t->pgroup[0]) {
			PUT(nla_put_string(m, PCCVS_TPL_A_PGROUP, t->pgroup));
		} else {
			PUT(nla_put_u8(m, PCCVS_TPL_A_PROTOCOL, t->protocol));
			PUT(nla_put_u16(m, PCCVS_TPL_A_VPORT, t->vport));
		}
	}
	TRY(put_addr(m, PCCVS_TPL_A_CADDR, t->af, &t->caddr));
	if (t->stamp)
		PUT(nla_put_u64(m, PCCVS_TPL_A_STAMP, t->stamp));
	if (!del) {
		TRY(put_addr(m, PCCVS_TPL_A_DADDR, t->af, &t->daddr));
		PUT(nla_put_u16(m, PCCVS_TPL_A_DPORT, t->dport));
		PUT(nla_put_u64(m, PCCVS_TPL_A_REMAINING_MS, t->remaining_ms));
		if (t->flags)
			PUT(nla_put_u32(m, PCCVS_TPL_A_FLAGS, t->flags));
	}
	return 0;
}

/* A template nest; on failure nothing is left in m (batch splitting). */
int pccvs_put_tpl(struct nl_msg *m, const struct pccvs_tpl *t, bool del)
{
	struct nlattr *nest;
	const char *why;
	int ret;

	if (pccvs_check_tpl(t, &why))
		return -EINVAL;
	nest = nla_nest_start(m, PCCVS_A_TPL);
	if (!nest)
		return -EMSGSIZE;
	ret = put_tpl_body(m, t, del);
	if (ret) {
		nla_nest_cancel(m, nest);
		return ret;
	}
	nla_nest_end(m, nest);
	return 0;
}

int pccvs_put_conn_key(struct nl_msg *m, const struct pccvs_conn *c)
{
	struct nlattr *nest;

	if (!af_ok(c->af))
		return -EINVAL;
	nest = nla_nest_start(m, PCCVS_A_CONN);
	if (!nest)
		return -EMSGSIZE;
	PUT(nla_put_u16(m, PCCVS_CONN_A_AF, c->af));
	PUT(nla_put_u8(m, PCCVS_CONN_A_PROTOCOL, c->protocol));
	TRY(put_addr(m, PCCVS_CONN_A_CADDR, c->af, &c->caddr));
	PUT(nla_put_u16(m, PCCVS_CONN_A_CPORT, c->cport));
	TRY(put_addr(m, PCCVS_CONN_A_VADDR, c->af, &c->vaddr));
	PUT(nla_put_u16(m, PCCVS_CONN_A_VPORT, c->vport));
	nla_nest_end(m, nest);
	return 0;
}

int pccvs_put_cfg(struct nl_msg *m, const struct pccvs_cfg *c)
{
	struct nlattr *nest = nla_nest_start(m, PCCVS_A_CFG);
	struct pccvs_cfg tmp = *c;
	int i;

	if (!nest)
		return -EMSGSIZE;
	for (i = 1; i <= PCCVS_CFG_A_MAX; i++)
		if (*cfg_slot(&tmp, i))
			PUT(nla_put_u32(m, i, *cfg_slot(&tmp, i)));
	nla_nest_end(m, nest);
	return 0;
}

int pccvs_nlerr(int nlerr)
{
	switch (nlerr < 0 ? -nlerr : nlerr) {
	case 0: return 0;
	case NLE_NOMEM: return errno == ENOBUFS ? -ENOBUFS : -ENOMEM;
	case NLE_AGAIN: return -EAGAIN;
	case NLE_INTR: return -EINTR;
	case NLE_BAD_SOCK: return -EBADF;
	case NLE_EXIST: return -EEXIST;
	case NLE_INVAL: return -EINVAL;
	case NLE_RANGE: return -ERANGE;
	case NLE_MSGSIZE: return -EMSGSIZE;
	case NLE_OPNOTSUPP: return -EOPNOTSUPP;
	case NLE_AF_NOSUPPORT: return -EAFNOSUPPORT;
	case NLE_OBJ_NOTFOUND: return -ENOENT;
	case NLE_NOATTR: return -ENOENT;
	case NLE_MSG_OVERFLOW: return -ENOBUFS;
	case NLE_MSG_TRUNC: return -EMSGSIZE;
	case NLE_NOADDR: return -EADDRNOTAVAIL;
	case NLE_SRCRT_NOSUPPORT: return -EOPNOTSUPP;
	case NLE_MSG_TOOSHORT: return -EBADMSG;
	case NLE_MSGTYPE_NOSUPPORT: return -EOPNOTSUPP;
	case NLE_OBJ_MISMATCH: return -EINVAL;
	case NLE_NOCACHE: return -ENOENT;
	case NLE_BUSY: return -EBUSY;
	case NLE_PROTO_MISMATCH: return -EPROTONOSUPPORT;
	case NLE_NOACCESS: return -EACCES;
	case NLE_PERM: return -EPERM;
	case NLE_PKTLOC_FILE: return -ENOENT;
	case NLE_PARSE_ERR: return -EBADMSG;
	case NLE_NODEV: return -ENODEV;
	case NLE_IMMUTABLE: return -EPERM;
	case NLE_DUMP_INTR: return -EINTR;
	case NLE_ATTRSIZE: return -EBADMSG;
	case NLE_MISSING_ATTR: return -EINVAL;
	case NLE_AF_MISMATCH: return -EINVAL;
	case NLE_SEQ_MISMATCH: return -EILSEQ;
	}
	return -EIO;
}
