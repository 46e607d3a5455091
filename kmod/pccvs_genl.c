// SPDX-License-Identifier: GPL-2.0
/*
 * pccvs_genl.c: the generic netlink family "pccvs", exactly as the uapi
 * header describes it. Validation in layers: strict policies per op, then
 * the structural rules (identity forms, address sizes), each refusal with
 * its own extack message; then one call into the core under the
 * namespace's lock. No forwarding logic lives here.
 */
#include <linux/version.h>
#include <net/genetlink.h>
#include <net/net_namespace.h>
#include <net/sock.h>
#include "pccvs.h"

/* ------------------------------------------------------------------ */
/* Policies                                                            */

static struct netlink_range_validation timeout_range = {
	.min = 1, .max = PCCVS_PERSIST_TIMEOUT_MAX,
};
static struct netlink_range_validation weight_range = {
	.max = PCCVS_WEIGHT_MAX,
};
static struct netlink_range_validation thresh_range = {
	.max = PCCVS_THRESH_MAX,
};
static struct netlink_range_validation limit_range = {
	.min = 1, .max = PCCVS_LIMIT_MAX,
};
static struct netlink_range_validation remaining_range = {
	.min = 1, .max = PCCVS_PERSIST_TIMEOUT_MAX * 1000ULL,
};

/* 4 or 16 bytes; which one the family needs is checked in the handler. */
#define ADDR_POLICY NLA_POLICY_RANGE(NLA_BINARY, 4, 16)
#define GET_ONLY { .type = NLA_REJECT, \
		   .reject_message = "attribute is reported, never set" }

static const struct nla_policy svc_policy[PCCVS_SVC_A_MAX + 1] = {
	[PCCVS_SVC_A_AF]		= { .type = NLA_U16 },
	[PCCVS_SVC_A_PROTOCOL]		= { .type = NLA_U8 },
	[PCCVS_SVC_A_ADDR]		= ADDR_POLICY,
	[PCCVS_SVC_A_PORT]		= { .type = NLA_U16 },
	[PCCVS_SVC_A_FWMARK]		= { .type = NLA_U32 },
	[PCCVS_SVC_A_SCHED]		= { .type = NLA_STRING,
					    .len = PCCVS_SCHED_NAME_MAX - 1 },
	[PCCVS_SVC_A_FLAGS]		= NLA_POLICY_MASK(NLA_U32, PCCVS_SVC_F_ALL),
	[PCCVS_SVC_A_TIMEOUT]		= NLA_POLICY_FULL_RANGE(NLA_U32, &timeout_range),
	[PCCVS_SVC_A_NETMASK]		= NLA_POLICY_MAX(NLA_U8, 128),
	[PCCVS_SVC_A_PGROUP]		= { .type = NLA_STRING,
					    .len = PCCVS_PGROUP_NAME_MAX - 1 },
	[PCCVS_SVC_A_STATS]		= GET_ONLY,
	[PCCVS_SVC_A_TPL_COUNT]		= GET_ONLY,
	[PCCVS_SVC_A_DEST_COUNT]	= GET_ONLY,
};

static const struct nla_policy dest_policy[PCCVS_DEST_A_MAX + 1] = {
	[PCCVS_DEST_A_ADDR]		= ADDR_POLICY,
	[PCCVS_DEST_A_PORT]		= { .type = NLA_U16 },
	[PCCVS_DEST_A_FWD]		= NLA_POLICY_RANGE(NLA_U8, PCCVS_FWD_DR, PCCVS_FWD_MAX),
	[PCCVS_DEST_A_WEIGHT]		= NLA_POLICY_FULL_RANGE(NLA_U32, &weight_range),
	[PCCVS_DEST_A_U_THRESH]		= NLA_POLICY_FULL_RANGE(NLA_U32, &thresh_range),
	[PCCVS_DEST_A_L_THRESH]		= NLA_POLICY_FULL_RANGE(NLA_U32, &thresh_range),
	[PCCVS_DEST_A_ACTIVE]		= GET_ONLY,
	[PCCVS_DEST_A_INACTIVE]		= GET_ONLY,
	[PCCVS_DEST_A_PERSIST]		= GET_ONLY,
	[PCCVS_DEST_A_STATS]		= GET_ONLY,
};

static const struct nla_policy tpl_policy[PCCVS_TPL_A_MAX + 1] = {
	[PCCVS_TPL_A_AF]		= { .type = NLA_U16 },
	[PCCVS_TPL_A_PROTOCOL]		= { .type = NLA_U8 },
	[PCCVS_TPL_A_VADDR]		= ADDR_POLICY,
	[PCCVS_TPL_A_VPORT]		= { .type = NLA_U16 },
	[PCCVS_TPL_A_FWMARK]		= { .type = NLA_U32 },
	[PCCVS_TPL_A_PGROUP]		= { .type = NLA_STRING,
					    .len = PCCVS_PGROUP_NAME_MAX - 1 },
	[PCCVS_TPL_A_CADDR]		= ADDR_POLICY,
	[PCCVS_TPL_A_DADDR]		= ADDR_POLICY,
	[PCCVS_TPL_A_DPORT]		= { .type = NLA_U16 },
	[PCCVS_TPL_A_REMAINING_MS]	= NLA_POLICY_FULL_RANGE(NLA_U64, &remaining_range),
	[PCCVS_TPL_A_STAMP]		= { .type = NLA_U64 },
	[PCCVS_TPL_A_FLAGS]		= NLA_POLICY_MASK(NLA_U32, PCCVS_TPL_F_ALL),
	[PCCVS_TPL_A_NCTL]		= GET_ONLY,
	[PCCVS_TPL_A_TIMEOUT]		= GET_ONLY,
	[PCCVS_TPL_A_EVENT]		= GET_ONLY,
	[PCCVS_TPL_A_NETMASK]		= GET_ONLY,
};

static const struct nla_policy conn_policy[PCCVS_CONN_A_MAX + 1] = {
	[PCCVS_CONN_A_AF]		= { .type = NLA_U16 },
	[PCCVS_CONN_A_PROTOCOL]		= { .type = NLA_U8 },
	[PCCVS_CONN_A_CADDR]		= ADDR_POLICY,
	[PCCVS_CONN_A_CPORT]		= { .type = NLA_U16 },
	[PCCVS_CONN_A_VADDR]		= ADDR_POLICY,
	[PCCVS_CONN_A_VPORT]		= { .type = NLA_U16 },
	[PCCVS_CONN_A_DADDR]		= GET_ONLY,
	[PCCVS_CONN_A_DPORT]		= GET_ONLY,
	[PCCVS_CONN_A_STATE]		= GET_ONLY,
	[PCCVS_CONN_A_FWD]		= GET_ONLY,
	[PCCVS_CONN_A_FLAGS]		= GET_ONLY,
	[PCCVS_CONN_A_REMAINING_MS]	= GET_ONLY,
	[PCCVS_CONN_A_FWMARK]		= GET_ONLY,
};

#define CFG_TIMEOUT NLA_POLICY_FULL_RANGE(NLA_U32, &timeout_range)
static const struct nla_policy cfg_policy[PCCVS_CFG_A_MAX + 1] = {
	[PCCVS_CFG_A_TCP_EST]		= CFG_TIMEOUT,
	[PCCVS_CFG_A_TCP_SYN_RECV]	= CFG_TIMEOUT,
	[PCCVS_CFG_A_TCP_FIN_WAIT]	= CFG_TIMEOUT,
	[PCCVS_CFG_A_TCP_TIME_WAIT]	= CFG_TIMEOUT,
	[PCCVS_CFG_A_TCP_CLOSE]		= CFG_TIMEOUT,
	[PCCVS_CFG_A_TCP_CLOSE_WAIT]	= CFG_TIMEOUT,
	[PCCVS_CFG_A_TCP_LAST_ACK]	= CFG_TIMEOUT,
	[PCCVS_CFG_A_UDP]		= CFG_TIMEOUT,
	[PCCVS_CFG_A_CONN_MAX]		= NLA_POLICY_FULL_RANGE(NLA_U32, &limit_range),
	[PCCVS_CFG_A_TPL_MAX]		= NLA_POLICY_FULL_RANGE(NLA_U32, &limit_range),
	[PCCVS_CFG_A_REFRESH_PCT]	= NLA_POLICY_RANGE(NLA_U32, 1, 100),
};

/* Top level, one policy per request shape: an attribute a command does
 * not take is refused, not ignored. */
#define A_SVC	[PCCVS_A_SVC] = NLA_POLICY_NESTED(svc_policy)
static const struct nla_policy pol_none[PCCVS_A_MAX + 1] = {};
static const struct nla_policy pol_svc[PCCVS_A_MAX + 1] = { A_SVC };
static const struct nla_policy pol_dest[PCCVS_A_MAX + 1] = {
	A_SVC,
	[PCCVS_A_DEST] = NLA_POLICY_NESTED(dest_policy),
};
static const struct nla_policy pol_tpl[PCCVS_A_MAX + 1] = {
	[PCCVS_A_TPL] = NLA_POLICY_NESTED(tpl_policy),
};
static const struct nla_policy pol_tpl_get[PCCVS_A_MAX + 1] = {
	A_SVC,
	[PCCVS_A_DUMP_FLAGS] = NLA_POLICY_MASK(NLA_U32, PCCVS_DUMP_F_ALL),
};
static const struct nla_policy pol_conn[PCCVS_A_MAX + 1] = {
	[PCCVS_A_CONN] = NLA_POLICY_NESTED(conn_policy),
};
static const struct nla_policy pol_cfg[PCCVS_A_MAX + 1] = {
	[PCCVS_A_CFG] = NLA_POLICY_NESTED(cfg_policy),
};

/* ------------------------------------------------------------------ */
/* Errors                                                              */

/*
 * The core's reasons are string literals, but not literals at this call
 * site, which NL_SET_ERR_MSG() needs: store the pointer the same way.
 */
static void set_msg(struct netlink_ext_ack *extack, const char *msg)
{
	if (!msg)
		return;
	do_trace_netlink_extack(msg);
	if (extack)
		extack->_msg = msg;
}

/* The core's reason for ret, or enoent_msg (a literal) for -ENOENT. */
static int core_err(struct netlink_ext_ack *extack, int ret,
		    const struct pcc_err *err, const char *enoent_msg)
{
	if (ret && err && err->msg)
		set_msg(extack, err->msg);
	else if (ret == -ENOENT)
		set_msg(extack, enoent_msg);
	return ret;
}

static int missing(struct netlink_ext_ack *extack, const struct nlattr *nest,
		   int type, const char *msg)
{
	set_msg(extack, msg);
	NL_SET_ERR_ATTR_MISS(extack, nest, type);
	return -EINVAL;
}

static int bad(struct netlink_ext_ack *extack, const struct nlattr *attr,
	       const char *msg)
{
	set_msg(extack, msg);
	NL_SET_BAD_ATTR(extack, attr);
	return -EINVAL;
}

/* ------------------------------------------------------------------ */
/* Request parsing                                                     */

static int get_af(struct nlattr **tb, int type, const struct nlattr *nest,
		  u16 *af, struct netlink_ext_ack *extack)
{
	if (!tb[type])
		return missing(extack, nest, type, "address family missing");
	*af = nla_get_u16(tb[type]);
	if (*af != AF_INET && *af != AF_INET6)
		return bad(extack, tb[type],
			   "address family must be AF_INET or AF_INET6");
	return 0;
}

static int get_addr(const struct nlattr *a, u16 af, union pcc_addr *out,
		    struct netlink_ext_ack *extack)
{
	if (nla_len(a) != (af == AF_INET ? 4 : 16))
		return bad(extack, a,
			   "address length does not match the address family");
	memset(out, 0, sizeof(*out));
	memcpy(out->b, nla_data(a), nla_len(a));
	return 0;
}

static int get_proto(const struct nlattr *a, u8 *proto,
		     struct netlink_ext_ack *extack)
{
	*proto = nla_get_u8(a);
	if (*proto != IPPROTO_TCP && *proto != IPPROTO_UDP &&
	    *proto != IPPROTO_SCTP)
		return bad(extack, a, "protocol must be TCP, UDP or SCTP");
	return 0;
}

/* Where the naming attributes of a service or domain sit in a nest. */
struct name_attrs {
	int af, protocol, addr, port, fwmark, pgroup;
};

static const struct name_attrs svc_names = {
	PCCVS_SVC_A_AF, PCCVS_SVC_A_PROTOCOL, PCCVS_SVC_A_ADDR,
	PCCVS_SVC_A_PORT, PCCVS_SVC_A_FWMARK, PCCVS_SVC_A_PGROUP,
};

static const struct name_attrs tpl_names = {
	PCCVS_TPL_A_AF, PCCVS_TPL_A_PROTOCOL, PCCVS_TPL_A_VADDR,
	PCCVS_TPL_A_VPORT, PCCVS_TPL_A_FWMARK, PCCVS_TPL_A_PGROUP,
};

/*
 * A service, or a domain: AF + FWMARK, or AF + PROTOCOL + ADDR + PORT, or
 * (domains only, group_ok) AF + ADDR + PGROUP.
 */
static int get_name(struct nlattr **tb, const struct name_attrs *m,
		    const struct nlattr *nest, bool group_ok,
		    struct pcc_domain *d, struct netlink_ext_ack *extack)
{
	int ret;

	memset(d, 0, sizeof(*d));
	ret = get_af(tb, m->af, nest, &d->af, extack);
	if (ret)
		return ret;
	if (tb[m->fwmark]) {
		if (tb[m->protocol] || tb[m->addr] || tb[m->port] ||
		    (group_ok && tb[m->pgroup]))
			return bad(extack, tb[m->fwmark],
				   "a fwmark names the service alone: no protocol, address, port or group");
		d->fwmark = nla_get_u32(tb[m->fwmark]);
		if (!d->fwmark)
			return bad(extack, tb[m->fwmark], "fwmark must not be 0");
		return 0;
	}
	if (!tb[m->addr])
		return missing(extack, nest, m->addr, "virtual address missing");
	ret = get_addr(tb[m->addr], d->af, &d->vaddr, extack);
	if (ret)
		return ret;
	if (group_ok && tb[m->pgroup]) {
		if (tb[m->protocol] || tb[m->port])
			return bad(extack, tb[m->pgroup],
				   "a port group is named by address family, address and group alone");
		nla_strscpy(d->pgroup, tb[m->pgroup], sizeof(d->pgroup));
		if (!d->pgroup[0])
			return bad(extack, tb[m->pgroup], "empty port group name");
		return 0;
	}
	if (!tb[m->protocol])
		return missing(extack, nest, m->protocol, "protocol missing");
	ret = get_proto(tb[m->protocol], &d->protocol, extack);
	if (ret)
		return ret;
	if (!tb[m->port])
		return missing(extack, nest, m->port, "port missing");
	d->vport = nla_get_u16(tb[m->port]);
	return 0;
}

static void domain_to_key(const struct pcc_domain *d, struct pcc_svc_key *k)
{
	memset(k, 0, sizeof(*k));
	k->af = d->af;
	k->protocol = d->protocol;
	k->port = d->vport;
	k->fwmark = d->fwmark;
	k->addr = d->vaddr;
}

static int parse_svc_nest(struct nlattr *nest, struct nlattr **tb,
			  struct pcc_svc_key *k, struct netlink_ext_ack *extack)
{
	struct pcc_domain d;
	int ret;

	ret = nla_parse_nested(tb, PCCVS_SVC_A_MAX, nest, svc_policy, extack);
	if (ret)
		return ret;
	ret = get_name(tb, &svc_names, nest, false, &d, extack);
	if (ret)
		return ret;
	domain_to_key(&d, k);
	return 0;
}

/* PCCVS_A_SVC carrying the identity and nothing else. */
static int req_svc_key(struct nlattr **attrs, struct pcc_svc_key *k,
		       struct netlink_ext_ack *extack)
{
	static const int extra[] = {
		PCCVS_SVC_A_SCHED, PCCVS_SVC_A_FLAGS, PCCVS_SVC_A_TIMEOUT,
		PCCVS_SVC_A_NETMASK, PCCVS_SVC_A_PGROUP,
	};
	struct nlattr *tb[PCCVS_SVC_A_MAX + 1];
	int i, ret;

	if (!attrs[PCCVS_A_SVC])
		return missing(extack, NULL, PCCVS_A_SVC, "service (PCCVS_A_SVC) missing");
	ret = parse_svc_nest(attrs[PCCVS_A_SVC], tb, k, extack);
	if (ret)
		return ret;
	for (i = 0; i < ARRAY_SIZE(extra); i++)
		if (tb[extra[i]])
			return bad(extack, tb[extra[i]],
				   "only the service identity is accepted here");
	return 0;
}

/* Service configuration for SVC_NEW / SVC_SET; *set says what was given. */
static int req_svc_conf(struct nlattr **attrs, struct pcc_svc_conf *c, u32 *set,
			struct netlink_ext_ack *extack)
{
	struct nlattr *tb[PCCVS_SVC_A_MAX + 1];
	int ret;

	memset(c, 0, sizeof(*c));
	*set = 0;
	if (!attrs[PCCVS_A_SVC])
		return missing(extack, NULL, PCCVS_A_SVC, "service (PCCVS_A_SVC) missing");
	ret = parse_svc_nest(attrs[PCCVS_A_SVC], tb, &c->key, extack);
	if (ret)
		return ret;
	/* NETMASK's default, for SVC_NEW: the whole address. */
	c->netmask = c->key.af == AF_INET ? 32 : 128;
	if (tb[PCCVS_SVC_A_SCHED]) {
		nla_strscpy(c->sched, tb[PCCVS_SVC_A_SCHED], sizeof(c->sched));
		*set |= PCC_SET_SCHED;
	}
	if (tb[PCCVS_SVC_A_FLAGS]) {
		c->flags = nla_get_u32(tb[PCCVS_SVC_A_FLAGS]);
		*set |= PCC_SET_FLAGS;
	}
	if (tb[PCCVS_SVC_A_TIMEOUT]) {
		c->timeout = nla_get_u32(tb[PCCVS_SVC_A_TIMEOUT]);
		*set |= PCC_SET_TIMEOUT;
	}
	if (tb[PCCVS_SVC_A_NETMASK]) {
		c->netmask = nla_get_u8(tb[PCCVS_SVC_A_NETMASK]);
		if (c->key.af == AF_INET && c->netmask > 32)
			return bad(extack, tb[PCCVS_SVC_A_NETMASK],
				   "netmask longer than an IPv4 address");
		*set |= PCC_SET_NETMASK;
	}
	if (tb[PCCVS_SVC_A_PGROUP]) {
		nla_strscpy(c->pgroup, tb[PCCVS_SVC_A_PGROUP], sizeof(c->pgroup));
		*set |= PCC_SET_PGROUP;
	}
	return 0;
}

enum dest_req { DEST_NEW, DEST_SET, DEST_DEL };

static int req_dest(struct nlattr **attrs, u16 af, enum dest_req what,
		    struct pcc_dest_conf *d, u32 *set,
		    struct netlink_ext_ack *extack)
{
	static const int conf_attrs[] = {
		PCCVS_DEST_A_FWD, PCCVS_DEST_A_WEIGHT, PCCVS_DEST_A_U_THRESH,
		PCCVS_DEST_A_L_THRESH,
	};
	struct nlattr *tb[PCCVS_DEST_A_MAX + 1], *nest = attrs[PCCVS_A_DEST];
	int i, ret;

	memset(d, 0, sizeof(*d));
	*set = 0;
	if (!nest)
		return missing(extack, NULL, PCCVS_A_DEST, "real server (PCCVS_A_DEST) missing");
	ret = nla_parse_nested(tb, PCCVS_DEST_A_MAX, nest, dest_policy, extack);
	if (ret)
		return ret;
	if (!tb[PCCVS_DEST_A_ADDR])
		return missing(extack, nest, PCCVS_DEST_A_ADDR, "real server address missing");
	ret = get_addr(tb[PCCVS_DEST_A_ADDR], af, &d->addr, extack);
	if (ret)
		return ret;
	if (tb[PCCVS_DEST_A_PORT])
		d->port = nla_get_u16(tb[PCCVS_DEST_A_PORT]);
	if (what == DEST_DEL) {
		for (i = 0; i < ARRAY_SIZE(conf_attrs); i++)
			if (tb[conf_attrs[i]])
				return bad(extack, tb[conf_attrs[i]],
					   "only the real server's address and port are accepted here");
		return 0;
	}
	if (what == DEST_NEW) {
		d->fwd = PCCVS_FWD_DR;
		d->weight = 1;
	}
	if (tb[PCCVS_DEST_A_FWD]) {
		d->fwd = nla_get_u8(tb[PCCVS_DEST_A_FWD]);
		*set |= PCC_SET_FWD;
	}
	if (tb[PCCVS_DEST_A_WEIGHT]) {
		d->weight = nla_get_u32(tb[PCCVS_DEST_A_WEIGHT]);
		*set |= PCC_SET_WEIGHT;
	}
	if (tb[PCCVS_DEST_A_U_THRESH]) {
		d->u_thresh = nla_get_u32(tb[PCCVS_DEST_A_U_THRESH]);
		*set |= PCC_SET_UTHRESH;
	}
	if (tb[PCCVS_DEST_A_L_THRESH]) {
		d->l_thresh = nla_get_u32(tb[PCCVS_DEST_A_L_THRESH]);
		*set |= PCC_SET_LTHRESH;
	}
	return 0;
}

/* One PCCVS_A_TPL of TPL_INJECT (del = false) or TPL_DEL (del = true). */
static int get_tpl(struct nlattr *nest, bool del, struct pcc_tpl_info *t,
		   struct netlink_ext_ack *extack)
{
	static const int inject_only[] = {
		PCCVS_TPL_A_DADDR, PCCVS_TPL_A_DPORT, PCCVS_TPL_A_REMAINING_MS,
		PCCVS_TPL_A_FLAGS,
	};
	struct nlattr *tb[PCCVS_TPL_A_MAX + 1];
	int i, ret;

	memset(t, 0, sizeof(*t));
	ret = nla_parse_nested(tb, PCCVS_TPL_A_MAX, nest, tpl_policy, extack);
	if (ret)
		return ret;
	ret = get_name(tb, &tpl_names, nest, true, &t->dom, extack);
	if (ret)
		return ret;
	if (!tb[PCCVS_TPL_A_CADDR])
		return missing(extack, nest, PCCVS_TPL_A_CADDR, "client address missing");
	ret = get_addr(tb[PCCVS_TPL_A_CADDR], t->dom.af, &t->caddr, extack);
	if (ret)
		return ret;
	if (tb[PCCVS_TPL_A_STAMP])
		t->stamp = nla_get_u64(tb[PCCVS_TPL_A_STAMP]);
	if (del) {
		for (i = 0; i < ARRAY_SIZE(inject_only); i++)
			if (tb[inject_only[i]])
				return bad(extack, tb[inject_only[i]],
					   "a template delete takes the domain, client address and stamp only");
		return 0;
	}
	if (!tb[PCCVS_TPL_A_DADDR])
		return missing(extack, nest, PCCVS_TPL_A_DADDR, "real server address missing");
	ret = get_addr(tb[PCCVS_TPL_A_DADDR], t->dom.af, &t->daddr, extack);
	if (ret)
		return ret;
	if (!tb[PCCVS_TPL_A_DPORT])
		return missing(extack, nest, PCCVS_TPL_A_DPORT, "real server port missing");
	t->dport = nla_get_u16(tb[PCCVS_TPL_A_DPORT]);
	if (!tb[PCCVS_TPL_A_REMAINING_MS])
		return missing(extack, nest, PCCVS_TPL_A_REMAINING_MS, "remaining lifetime missing");
	t->remaining_ms = nla_get_u64(tb[PCCVS_TPL_A_REMAINING_MS]);
	if (tb[PCCVS_TPL_A_FLAGS])
		t->flags = nla_get_u32(tb[PCCVS_TPL_A_FLAGS]);
	return 0;
}

static int req_conn(struct nlattr **attrs, struct pcc_conn_info *c,
		    struct netlink_ext_ack *extack)
{
	struct nlattr *tb[PCCVS_CONN_A_MAX + 1], *nest = attrs[PCCVS_A_CONN];
	static const struct {
		int type;
		const char *msg;
	} need[] = {
		{ PCCVS_CONN_A_PROTOCOL, "connection protocol missing" },
		{ PCCVS_CONN_A_CADDR, "client address missing" },
		{ PCCVS_CONN_A_CPORT, "client port missing" },
		{ PCCVS_CONN_A_VADDR, "virtual address missing" },
		{ PCCVS_CONN_A_VPORT, "virtual port missing" },
	};
	int i, ret;

	memset(c, 0, sizeof(*c));
	if (!nest)
		return missing(extack, NULL, PCCVS_A_CONN, "connection (PCCVS_A_CONN) missing");
	ret = nla_parse_nested(tb, PCCVS_CONN_A_MAX, nest, conn_policy, extack);
	if (ret)
		return ret;
	ret = get_af(tb, PCCVS_CONN_A_AF, nest, &c->af, extack);
	if (ret)
		return ret;
	for (i = 0; i < ARRAY_SIZE(need); i++)
		if (!tb[need[i].type])
			return missing(extack, nest, need[i].type, need[i].msg);
	ret = get_proto(tb[PCCVS_CONN_A_PROTOCOL], &c->protocol, extack);
	if (!ret)
		ret = get_addr(tb[PCCVS_CONN_A_CADDR], c->af, &c->caddr, extack);
	if (!ret)
		ret = get_addr(tb[PCCVS_CONN_A_VADDR], c->af, &c->vaddr, extack);
	c->cport = nla_get_u16(tb[PCCVS_CONN_A_CPORT]);
	c->vport = nla_get_u16(tb[PCCVS_CONN_A_VPORT]);
	return ret;
}

static const struct {
	int type;
	size_t off;
} cfg_fields[] = {
	{ PCCVS_CFG_A_TCP_EST, offsetof(struct pcc_cfg, tcp_est) },
	{ PCCVS_CFG_A_TCP_SYN_RECV, offsetof(struct pcc_cfg, tcp_syn_recv) },
	{ PCCVS_CFG_A_TCP_FIN_WAIT, offsetof(struct pcc_cfg, tcp_fin_wait) },
	{ PCCVS_CFG_A_TCP_TIME_WAIT, offsetof(struct pcc_cfg, tcp_time_wait) },
	{ PCCVS_CFG_A_TCP_CLOSE, offsetof(struct pcc_cfg, tcp_close) },
	{ PCCVS_CFG_A_TCP_CLOSE_WAIT, offsetof(struct pcc_cfg, tcp_close_wait) },
	{ PCCVS_CFG_A_TCP_LAST_ACK, offsetof(struct pcc_cfg, tcp_last_ack) },
	{ PCCVS_CFG_A_UDP, offsetof(struct pcc_cfg, udp) },
	{ PCCVS_CFG_A_CONN_MAX, offsetof(struct pcc_cfg, conn_max) },
	{ PCCVS_CFG_A_TPL_MAX, offsetof(struct pcc_cfg, tpl_max) },
	{ PCCVS_CFG_A_REFRESH_PCT, offsetof(struct pcc_cfg, refresh_pct) },
};

static u32 *cfg_field(struct pcc_cfg *c, int i)
{
	return (u32 *)((u8 *)c + cfg_fields[i].off);
}

/* ------------------------------------------------------------------ */
/* Message building                                                    */

static int put_addr(struct sk_buff *skb, int type, u16 af,
		    const union pcc_addr *a)
{
	return nla_put(skb, type, af == AF_INET ? 4 : 16, a->b);
}

static int put_stats(struct sk_buff *skb, int type, const struct pcc_stats *s)
{
	struct nlattr *nest = nla_nest_start(skb, type);

	if (!nest ||
	    nla_put_u64_64bit(skb, PCCVS_STATS_A_CONNS, s->conns, PCCVS_STATS_A_PAD) ||
	    nla_put_u64_64bit(skb, PCCVS_STATS_A_INPKTS, s->inpkts, PCCVS_STATS_A_PAD) ||
	    nla_put_u64_64bit(skb, PCCVS_STATS_A_OUTPKTS, s->outpkts, PCCVS_STATS_A_PAD) ||
	    nla_put_u64_64bit(skb, PCCVS_STATS_A_INBYTES, s->inbytes, PCCVS_STATS_A_PAD) ||
	    nla_put_u64_64bit(skb, PCCVS_STATS_A_OUTBYTES, s->outbytes, PCCVS_STATS_A_PAD) ||
	    nla_put_u32(skb, PCCVS_STATS_A_CPS, s->cps) ||
	    nla_put_u32(skb, PCCVS_STATS_A_INPPS, s->inpps) ||
	    nla_put_u32(skb, PCCVS_STATS_A_OUTPPS, s->outpps) ||
	    nla_put_u32(skb, PCCVS_STATS_A_INBPS, s->inbps) ||
	    nla_put_u32(skb, PCCVS_STATS_A_OUTBPS, s->outbps))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int put_svc_key(struct sk_buff *skb, const struct pcc_svc_key *k)
{
	if (nla_put_u16(skb, PCCVS_SVC_A_AF, k->af))
		return -EMSGSIZE;
	if (k->fwmark)
		return nla_put_u32(skb, PCCVS_SVC_A_FWMARK, k->fwmark);
	if (nla_put_u8(skb, PCCVS_SVC_A_PROTOCOL, k->protocol) ||
	    put_addr(skb, PCCVS_SVC_A_ADDR, k->af, &k->addr) ||
	    nla_put_u16(skb, PCCVS_SVC_A_PORT, k->port))
		return -EMSGSIZE;
	return 0;
}

static int put_svc(struct sk_buff *skb, const struct pcc_svc_info *si)
{
	const struct pcc_svc_conf *c = &si->conf;
	struct nlattr *nest = nla_nest_start(skb, PCCVS_A_SVC);

	if (!nest || put_svc_key(skb, &c->key) ||
	    nla_put_string(skb, PCCVS_SVC_A_SCHED, c->sched) ||
	    nla_put_u32(skb, PCCVS_SVC_A_FLAGS, c->flags) ||
	    nla_put_u32(skb, PCCVS_SVC_A_TIMEOUT, c->timeout) ||
	    nla_put_u8(skb, PCCVS_SVC_A_NETMASK, c->netmask) ||
	    (c->pgroup[0] && nla_put_string(skb, PCCVS_SVC_A_PGROUP, c->pgroup)) ||
	    put_stats(skb, PCCVS_SVC_A_STATS, &si->stats) ||
	    nla_put_u32(skb, PCCVS_SVC_A_TPL_COUNT, si->tpl_count) ||
	    nla_put_u32(skb, PCCVS_SVC_A_DEST_COUNT, si->dest_count))
		goto cancel;
	nla_nest_end(skb, nest);
	return 0;
cancel:
	if (nest)
		nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

static int put_svc_ident(struct sk_buff *skb, const struct pcc_svc_key *k)
{
	struct nlattr *nest = nla_nest_start(skb, PCCVS_A_SVC);

	if (!nest || put_svc_key(skb, k))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int put_dest(struct sk_buff *skb, u16 af, const struct pcc_dest_info *di)
{
	const struct pcc_dest_conf *d = &di->conf;
	struct nlattr *nest = nla_nest_start(skb, PCCVS_A_DEST);

	if (!nest || put_addr(skb, PCCVS_DEST_A_ADDR, af, &d->addr) ||
	    nla_put_u16(skb, PCCVS_DEST_A_PORT, d->port) ||
	    nla_put_u8(skb, PCCVS_DEST_A_FWD, d->fwd) ||
	    nla_put_u32(skb, PCCVS_DEST_A_WEIGHT, d->weight) ||
	    nla_put_u32(skb, PCCVS_DEST_A_U_THRESH, d->u_thresh) ||
	    nla_put_u32(skb, PCCVS_DEST_A_L_THRESH, d->l_thresh) ||
	    nla_put_u32(skb, PCCVS_DEST_A_ACTIVE, di->active) ||
	    nla_put_u32(skb, PCCVS_DEST_A_INACTIVE, di->inactive) ||
	    nla_put_u32(skb, PCCVS_DEST_A_PERSIST, di->persist) ||
	    put_stats(skb, PCCVS_DEST_A_STATS, &di->stats))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int put_domain(struct sk_buff *skb, const struct pcc_domain *d)
{
	if (nla_put_u16(skb, PCCVS_TPL_A_AF, d->af))
		return -EMSGSIZE;
	if (d->fwmark)
		return nla_put_u32(skb, PCCVS_TPL_A_FWMARK, d->fwmark);
	if (put_addr(skb, PCCVS_TPL_A_VADDR, d->af, &d->vaddr))
		return -EMSGSIZE;
	if (d->pgroup[0])
		return nla_put_string(skb, PCCVS_TPL_A_PGROUP, d->pgroup);
	if (nla_put_u8(skb, PCCVS_TPL_A_PROTOCOL, d->protocol) ||
	    nla_put_u16(skb, PCCVS_TPL_A_VPORT, d->vport))
		return -EMSGSIZE;
	return 0;
}

/* Room one template nest can take, at most (dump batch sizing). */
#define TPL_NEST_MAX 256

/* A PCCVS_A_TPL nest; event 0 for dumps. Nothing is left on failure. */
int pccvs_genl_put_tpl(struct sk_buff *skb, const struct pcc_tpl_info *t,
		       u8 event)
{
	struct nlattr *nest = nla_nest_start(skb, PCCVS_A_TPL);
	u16 af = t->dom.af;

	if (!nest || put_domain(skb, &t->dom) ||
	    put_addr(skb, PCCVS_TPL_A_CADDR, af, &t->caddr) ||
	    put_addr(skb, PCCVS_TPL_A_DADDR, af, &t->daddr) ||
	    nla_put_u16(skb, PCCVS_TPL_A_DPORT, t->dport) ||
	    nla_put_u64_64bit(skb, PCCVS_TPL_A_REMAINING_MS, t->remaining_ms,
			      PCCVS_TPL_A_PAD) ||
	    nla_put_u64_64bit(skb, PCCVS_TPL_A_STAMP, t->stamp, PCCVS_TPL_A_PAD) ||
	    nla_put_u32(skb, PCCVS_TPL_A_FLAGS, t->flags) ||
	    nla_put_u32(skb, PCCVS_TPL_A_NCTL, t->nctl) ||
	    nla_put_u32(skb, PCCVS_TPL_A_TIMEOUT, t->dom.timeout) ||
	    nla_put_u8(skb, PCCVS_TPL_A_NETMASK, t->dom.netmask) ||
	    (event && nla_put_u8(skb, PCCVS_TPL_A_EVENT, event)))
		goto cancel;
	nla_nest_end(skb, nest);
	return 0;
cancel:
	if (nest)
		nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

/* Room one connection nest can take, at most. */
#define CONN_NEST_MAX 160

static int put_conn(struct sk_buff *skb, const struct pcc_conn_info *c)
{
	struct nlattr *nest = nla_nest_start(skb, PCCVS_A_CONN);

	if (!nest || nla_put_u16(skb, PCCVS_CONN_A_AF, c->af) ||
	    nla_put_u8(skb, PCCVS_CONN_A_PROTOCOL, c->protocol) ||
	    put_addr(skb, PCCVS_CONN_A_CADDR, c->af, &c->caddr) ||
	    nla_put_u16(skb, PCCVS_CONN_A_CPORT, c->cport) ||
	    put_addr(skb, PCCVS_CONN_A_VADDR, c->af, &c->vaddr) ||
	    nla_put_u16(skb, PCCVS_CONN_A_VPORT, c->vport) ||
	    put_addr(skb, PCCVS_CONN_A_DADDR, c->af, &c->daddr) ||
	    nla_put_u16(skb, PCCVS_CONN_A_DPORT, c->dport) ||
	    nla_put_u8(skb, PCCVS_CONN_A_STATE, c->state) ||
	    nla_put_u8(skb, PCCVS_CONN_A_FWD, c->fwd) ||
	    nla_put_u32(skb, PCCVS_CONN_A_FLAGS, c->flags) ||
	    nla_put_u64_64bit(skb, PCCVS_CONN_A_REMAINING_MS, c->remaining_ms,
			      PCCVS_CONN_A_PAD) ||
	    nla_put_u32(skb, PCCVS_CONN_A_FWMARK, c->fwmark))
		goto cancel;
	nla_nest_end(skb, nest);
	return 0;
cancel:
	if (nest)
		nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

static int put_info(struct sk_buff *skb, struct pccvs_net *pn)
{
	struct pcc_table_stats s = {};
	struct nlattr *nest;
	u64 ev_seq, ev_lost;

	mutex_lock(&pn->lock);
	if (pn->table)
		pcc_table_stats(pn->table, &s);
	mutex_unlock(&pn->lock);
	spin_lock_bh(&pn->ev.lock);
	ev_seq = pn->ev.seq;
	ev_lost = pn->ev.lost;
	spin_unlock_bh(&pn->ev.lock);

	nest = nla_nest_start(skb, PCCVS_A_INFO);
	if (!nest || nla_put_string(skb, PCCVS_INFO_A_VERSION, PCCVS_VERSION) ||
	    nla_put_u32(skb, PCCVS_INFO_A_CONN_COUNT, s.conn_count) ||
	    nla_put_u32(skb, PCCVS_INFO_A_TPL_COUNT, s.tpl_count) ||
	    nla_put_u32(skb, PCCVS_INFO_A_SVC_COUNT, s.svc_count) ||
	    nla_put_u32(skb, PCCVS_INFO_A_CONN_BUCKETS, s.conn_buckets) ||
	    nla_put_u32(skb, PCCVS_INFO_A_TPL_BUCKETS, s.tpl_buckets) ||
	    nla_put_u32(skb, PCCVS_INFO_A_CONN_SIZE, s.conn_size) ||
	    nla_put_u32(skb, PCCVS_INFO_A_TPL_SIZE, s.tpl_size) ||
	    nla_put_u64_64bit(skb, PCCVS_INFO_A_CONN_REFUSED, s.conn_refused, PCCVS_INFO_A_PAD) ||
	    nla_put_u64_64bit(skb, PCCVS_INFO_A_TPL_REFUSED, s.tpl_refused, PCCVS_INFO_A_PAD) ||
	    nla_put_u64_64bit(skb, PCCVS_INFO_A_RESTORED, s.restored, PCCVS_INFO_A_PAD) ||
	    nla_put_u64_64bit(skb, PCCVS_INFO_A_NO_TEMPLATE_DROPS, s.no_template_drops,
			      PCCVS_INFO_A_PAD) ||
	    nla_put_u64_64bit(skb, PCCVS_INFO_A_EV_SEQ, ev_seq, PCCVS_INFO_A_PAD) ||
	    nla_put_u64_64bit(skb, PCCVS_INFO_A_EV_LOST, ev_lost, PCCVS_INFO_A_PAD) ||
	    nla_put_u64_64bit(skb, PCCVS_INFO_A_TPL_INJECTED, s.tpl_injected, PCCVS_INFO_A_PAD) ||
	    nla_put_u64_64bit(skb, PCCVS_INFO_A_TPL_STALE, s.tpl_stale, PCCVS_INFO_A_PAD))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int put_cfg(struct sk_buff *skb, const struct pcc_cfg *c)
{
	struct nlattr *nest = nla_nest_start(skb, PCCVS_A_CFG);
	int i;

	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < ARRAY_SIZE(cfg_fields); i++)
		if (nla_put_u32(skb, cfg_fields[i].type,
				*cfg_field((struct pcc_cfg *)c, i)))
			return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int put_result(struct sk_buff *skb, u32 applied, u32 unchanged,
		      u32 refused)
{
	struct nlattr *nest = nla_nest_start(skb, PCCVS_A_RESULT);

	if (!nest || nla_put_u32(skb, PCCVS_RESULT_A_APPLIED, applied) ||
	    nla_put_u32(skb, PCCVS_RESULT_A_UNCHANGED, unchanged) ||
	    nla_put_u32(skb, PCCVS_RESULT_A_REFUSED, refused))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

/* A doit reply: allocate, let fill() write the attributes, send. */
static int reply(struct genl_info *info, u8 cmd,
		 int (*fill)(struct sk_buff *skb, const void *arg),
		 const void *arg)
{
	struct sk_buff *msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	void *hdr;

	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &pccvs_genl_family, 0, cmd);
	if (!hdr || fill(msg, arg)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

/* ------------------------------------------------------------------ */
/* Services and real servers                                           */

static struct pccvs_net *req_pn(struct genl_info *info)
{
	return pccvs_pernet(genl_info_net(info));
}

static int svc_new_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct pccvs_net *pn = req_pn(info);
	struct pcc_err err = {};
	struct pcc_svc_conf c;
	struct pcc_table *t;
	u32 set;
	int ret;

	ret = req_svc_conf(info->attrs, &c, &set, info->extack);
	if (ret)
		return ret;
	mutex_lock(&pn->lock);
	t = pccvs_net_table(pn, &ret);
	if (!t) {
		GENL_SET_ERR_MSG(info, "cannot allocate the namespace's tables");
		goto out;
	}
	ret = pccvs_net_activate(pn, c.key.fwmark != 0);
	if (ret) {
		pccvs_net_sync(pn);
		GENL_SET_ERR_MSG(info, "cannot register the netfilter hooks");
		goto out;
	}
	ret = core_err(info->extack, pcc_svc_add(t, &c, &err), &err,
		       "unknown scheduler");
	pccvs_net_sync(pn);
out:
	mutex_unlock(&pn->lock);
	return ret;
}

static int svc_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct pccvs_net *pn = req_pn(info);
	struct pcc_err err = {};
	struct pcc_svc_conf c;
	u32 set;
	int ret;

	ret = req_svc_conf(info->attrs, &c, &set, info->extack);
	if (ret)
		return ret;
	mutex_lock(&pn->lock);
	ret = pn->table ? pcc_svc_set(pn->table, &c, set, &err) : -ENOENT;
	mutex_unlock(&pn->lock);
	return core_err(info->extack, ret, &err, "no such service");
}

static int svc_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct pccvs_net *pn = req_pn(info);
	struct pcc_err err = {};
	struct pcc_svc_key k;
	int ret;

	ret = req_svc_key(info->attrs, &k, info->extack);
	if (ret)
		return ret;
	mutex_lock(&pn->lock);
	ret = pn->table ? pcc_svc_del(pn->table, &k, &err) : -ENOENT;
	if (pn->table)
		pccvs_net_sync(pn);
	mutex_unlock(&pn->lock);
	return core_err(info->extack, ret, &err, "no such service");
}

static int fill_svc(struct sk_buff *skb, const void *arg)
{
	return put_svc(skb, arg);
}

static int svc_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct pccvs_net *pn = req_pn(info);
	struct pcc_svc_info si;
	struct pcc_svc_key k;
	int ret;

	ret = req_svc_key(info->attrs, &k, info->extack);
	if (ret)
		return ret;
	mutex_lock(&pn->lock);
	ret = pn->table ? pcc_svc_get(pn->table, &k, &si) : -ENOENT;
	mutex_unlock(&pn->lock);
	if (ret)
		return core_err(info->extack, ret, NULL, "no such service");
	return reply(info, PCCVS_CMD_SVC_GET, fill_svc, &si);
}

static void *dump_hdr(struct sk_buff *skb, struct netlink_callback *cb, u8 cmd)
{
	void *hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				cb->nlh->nlmsg_seq, &pccvs_genl_family,
				NLM_F_MULTI, cmd);

	if (hdr)
		genl_dump_check_consistent(cb, hdr);
	return hdr;
}

static struct pccvs_net *dump_pn(struct netlink_callback *cb)
{
	return pccvs_pernet(sock_net(cb->skb->sk));
}

static struct nlattr **dump_attrs(struct netlink_callback *cb)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
	return genl_info_dump(cb)->attrs;
#else
	return genl_dumpit_info(cb)->attrs;
#endif
}

/* One message per service; cursor: service index in cb->args[0]. */
static int svc_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct pccvs_net *pn = dump_pn(cb);
	struct pcc_svc_info si;
	u32 pos;
	void *hdr;

	mutex_lock(&pn->lock);
	if (!pn->table)
		goto out;
	cb->seq = pcc_svc_gen(pn->table) + 1;
	for (;;) {
		pos = cb->args[0];
		if (!pcc_svc_list(pn->table, &pos, &si, 1))
			break;
		hdr = dump_hdr(skb, cb, PCCVS_CMD_SVC_GET);
		if (!hdr)
			break;
		if (put_svc(skb, &si)) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
		cb->args[0] = pos;
	}
out:
	mutex_unlock(&pn->lock);
	return skb->len;
}

static int dest_doit(struct genl_info *info, enum dest_req what)
{
	struct pccvs_net *pn = req_pn(info);
	struct pcc_err err = {};
	struct pcc_dest_conf d;
	struct pcc_svc_key k;
	struct pcc_table *t;
	u32 set;
	int ret;

	ret = req_svc_key(info->attrs, &k, info->extack);
	if (!ret)
		ret = req_dest(info->attrs, k.af, what, &d, &set, info->extack);
	if (ret)
		return ret;
	mutex_lock(&pn->lock);
	t = pn->table;
	if (!t)
		ret = -ENOENT;
	else if (what == DEST_NEW)
		ret = pcc_dest_add(t, &k, &d, &err);
	else if (what == DEST_SET)
		ret = pcc_dest_set(t, &k, &d, set, &err);
	else
		ret = pcc_dest_del(t, &k, &d.addr, d.port, &err);
	if (!ret && what == DEST_DEL)
		pccvs_route_flush(&pn->rt);	/* routes to it go stale */
	mutex_unlock(&pn->lock);
	return core_err(info->extack, ret, &err, "no such service or real server");
}

static int dest_new_doit(struct sk_buff *skb, struct genl_info *info)
{
	return dest_doit(info, DEST_NEW);
}

static int dest_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	return dest_doit(info, DEST_SET);
}

static int dest_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	return dest_doit(info, DEST_DEL);
}

struct dest_dump {
	struct pcc_svc_key key;
	u32 pos;
	bool checked;
};

static int dest_get_start(struct netlink_callback *cb)
{
	struct dest_dump *st = kzalloc(sizeof(*st), GFP_KERNEL);

	if (!st)
		return -ENOMEM;
	cb->args[0] = (long)st;
	return 0;
}

/*
 * Request checks of a dump run in its first dumpit call, not in .start:
 * 6.1 gives .start no extack, while an error from dumpit reaches user
 * space in NLMSG_DONE with its message.
 */
static int dest_get_check(struct netlink_callback *cb, struct pccvs_net *pn,
			  struct dest_dump *st)
{
	struct pcc_svc_info si;
	int ret;

	ret = req_svc_key(dump_attrs(cb), &st->key, cb->extack);
	if (ret)
		return ret;
	ret = pn->table ? pcc_svc_get(pn->table, &st->key, &si) : -ENOENT;
	return core_err(cb->extack, ret, NULL, "no such service");
}

static int dump_done(struct netlink_callback *cb)
{
	kvfree((void *)cb->args[0]);
	return 0;
}

/* One message per real server, each naming its service. */
static int dest_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct dest_dump *st = (struct dest_dump *)cb->args[0];
	struct pccvs_net *pn = dump_pn(cb);
	struct pcc_dest_info di;
	int ret = 0;
	u32 pos;
	void *hdr;

	mutex_lock(&pn->lock);
	if (!st->checked) {
		ret = dest_get_check(cb, pn, st);
		st->checked = true;
	}
	if (ret || !pn->table)
		goto out;
	cb->seq = pcc_svc_gen(pn->table) + 1;
	for (;;) {
		pos = st->pos;
		if (pcc_dest_list(pn->table, &st->key, &pos, &di, 1) <= 0)
			break;
		hdr = dump_hdr(skb, cb, PCCVS_CMD_DEST_GET);
		if (!hdr)
			break;
		if (put_svc_ident(skb, &st->key) ||
		    put_dest(skb, st->key.af, &di)) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
		st->pos = pos;
	}
out:
	mutex_unlock(&pn->lock);
	return ret ?: skb->len;
}

static int zero_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct pccvs_net *pn = req_pn(info);
	struct pcc_svc_key k;
	int ret = 0;

	if (info->attrs[PCCVS_A_SVC]) {
		ret = req_svc_key(info->attrs, &k, info->extack);
		if (ret)
			return ret;
	}
	mutex_lock(&pn->lock);
	if (pn->table)
		ret = pcc_zero(pn->table, info->attrs[PCCVS_A_SVC] ? &k : NULL);
	else if (info->attrs[PCCVS_A_SVC])
		ret = -ENOENT;
	mutex_unlock(&pn->lock);
	return core_err(info->extack, ret, NULL, "no such service");
}

static int flush_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct pccvs_net *pn = req_pn(info);

	mutex_lock(&pn->lock);
	if (pn->table) {
		pcc_svc_flush(pn->table);
		pccvs_net_sync(pn);
	}
	mutex_unlock(&pn->lock);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Templates                                                           */

static int fill_result(struct sk_buff *skb, const void *arg)
{
	const u32 *r = arg;

	return put_result(skb, r[0], r[1], r[2]);
}

/*
 * TPL_INJECT and TPL_DEL: every PCCVS_A_TPL is parsed before any is
 * applied, so a malformed one fails the request with nothing changed.
 * Per-template refusals are counted: r[0] applied, r[1] unchanged,
 * r[2] refused.
 */
static int tpl_apply(struct genl_info *info, bool del)
{
	struct pccvs_net *pn = req_pn(info);
	enum pcc_merge merge = PCC_MERGE_CREATED;
	struct pcc_err err = {};
	struct pcc_tpl_info t;
	u32 r[3] = {}, n = 0;
	struct nlattr *a;
	int rem, ret;
	u64 now;

	nlmsg_for_each_attr(a, info->nlhdr, GENL_HDRLEN, rem) {
		if (nla_type(a) != PCCVS_A_TPL)
			continue;
		ret = get_tpl(a, del, &t, info->extack);
		if (ret)
			return ret;
		n++;
	}
	if (!n)
		return missing(info->extack, NULL, PCCVS_A_TPL, "no template (PCCVS_A_TPL) in the request");

	mutex_lock(&pn->lock);
	now = pccvs_now();
	nlmsg_for_each_attr(a, info->nlhdr, GENL_HDRLEN, rem) {
		if (nla_type(a) != PCCVS_A_TPL || get_tpl(a, del, &t, NULL))
			continue;
		if (!pn->table)
			ret = -ENOENT;
		else if (del)
			ret = pcc_tpl_del(pn->table, &t.dom, &t.caddr, t.stamp, now);
		else
			ret = pcc_tpl_inject(pn->table, &t, now, &merge, &err);
		if (ret == -ESTALE || (!ret && !del && merge == PCC_MERGE_UNCHANGED))
			r[1]++;
		else if (ret)
			r[2]++;
		else
			r[0]++;
	}
	mutex_unlock(&pn->lock);
	return reply(info, del ? PCCVS_CMD_TPL_DEL : PCCVS_CMD_TPL_INJECT,
		     fill_result, r);
}

static int tpl_inject_doit(struct sk_buff *skb, struct genl_info *info)
{
	return tpl_apply(info, false);
}

static int tpl_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	return tpl_apply(info, true);
}

/* The optional domain filter of TPL_GET / TPL_FLUSH (a PCCVS_A_SVC). */
static int req_domain(struct nlattr **attrs, struct pcc_domain *d,
		      struct netlink_ext_ack *extack)
{
	struct nlattr *tb[PCCVS_SVC_A_MAX + 1], *nest = attrs[PCCVS_A_SVC];
	int ret;

	ret = nla_parse_nested(tb, PCCVS_SVC_A_MAX, nest, svc_policy, extack);
	if (ret)
		return ret;
	return get_name(tb, &svc_names, nest, true, d, extack);
}

static int tpl_flush_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct pccvs_net *pn = req_pn(info);
	struct pcc_domain d;
	int ret;

	if (info->attrs[PCCVS_A_SVC]) {
		ret = req_domain(info->attrs, &d, info->extack);
		if (ret)
			return ret;
	}
	mutex_lock(&pn->lock);
	if (pn->table)
		pcc_tpl_flush(pn->table, info->attrs[PCCVS_A_SVC] ? &d : NULL);
	mutex_unlock(&pn->lock);
	return 0;
}

/*
 * Template and connection dumps: many nests per message, as many as the
 * skb (up to 32 KiB, sized by the reader's buffer) takes. The core hands
 * out a batch sized to fit; if one still does not fit, the cursor is
 * rewound and advanced by exactly what was sent.
 */
#define DUMP_BATCH 128

struct tpl_dump {
	struct pcc_tpl_cursor cur;
	u32 flags;
	bool checked;
	bool has_dom;
	struct pcc_domain dom;
	struct pcc_tpl_info buf[DUMP_BATCH];
};

static int tpl_get_start(struct netlink_callback *cb)
{
	struct tpl_dump *st = kvzalloc(sizeof(*st), GFP_KERNEL);

	if (!st)
		return -ENOMEM;
	cb->args[0] = (long)st;
	return 0;
}

/* First dumpit call: the filter (see dest_get_check for why not .start). */
static int tpl_get_check(struct netlink_callback *cb, struct tpl_dump *st)
{
	struct nlattr **attrs = dump_attrs(cb);
	int ret;

	if (attrs[PCCVS_A_DUMP_FLAGS])
		st->flags = nla_get_u32(attrs[PCCVS_A_DUMP_FLAGS]);
	if (!attrs[PCCVS_A_SVC])
		return 0;
	ret = req_domain(attrs, &st->dom, cb->extack);
	st->has_dom = !ret;
	return ret;
}

static int tpl_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct tpl_dump *st = (struct tpl_dump *)cb->args[0];
	const struct pcc_domain *dom = &st->dom;
	struct pccvs_net *pn = dump_pn(cb);
	struct pcc_tpl_cursor saved;
	u32 i, n, got, sent = 0;
	void *hdr = NULL;
	u64 now;

	if (!st->checked) {
		int ret = tpl_get_check(cb, st);

		st->checked = true;
		if (ret)
			return ret;
	}
	if (!st->has_dom)
		dom = NULL;
	mutex_lock(&pn->lock);
	if (!pn->table || st->cur.done)
		goto out;
	cb->seq = pcc_tpl_gen(pn->table) + 1;
	hdr = dump_hdr(skb, cb, PCCVS_CMD_TPL_GET);
	if (!hdr)
		goto out;
	now = pccvs_now();
	for (;;) {
		n = min_t(u32, skb_tailroom(skb) / TPL_NEST_MAX, DUMP_BATCH);
		if (!n)
			break;
		saved = st->cur;
		got = pcc_tpl_iter(pn->table, &st->cur, st->flags, dom, now,
				   st->buf, n);
		for (i = 0; i < got; i++)
			if (pccvs_genl_put_tpl(skb, &st->buf[i], 0))
				break;
		sent += i;
		if (i < got) {
			st->cur = saved;
			if (i)
				pcc_tpl_iter(pn->table, &st->cur, st->flags, dom,
					     now, st->buf, i);
			break;
		}
		if (!got)
			break;
	}
out:
	mutex_unlock(&pn->lock);
	if (hdr && !sent)
		genlmsg_cancel(skb, hdr);
	else if (hdr)
		genlmsg_end(skb, hdr);
	return skb->len;
}

/* ------------------------------------------------------------------ */
/* Connections                                                         */

struct conn_dump {
	struct pcc_conn_cursor cur;
	bool started;
	u32 gen0;		/* cursor generation after the first batch */
	struct pcc_conn_info buf[DUMP_BATCH];
};

static int conn_get_start(struct netlink_callback *cb)
{
	struct conn_dump *st = kvzalloc(sizeof(*st), GFP_KERNEL);

	if (!st)
		return -ENOMEM;
	cb->args[0] = (long)st;
	return 0;
}

static int conn_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct conn_dump *st = (struct conn_dump *)cb->args[0];
	struct pccvs_net *pn = dump_pn(cb);
	struct pcc_conn_cursor saved;
	u32 i, n, got, sent = 0;
	void *hdr = NULL;
	u64 now;

	mutex_lock(&pn->lock);
	if (!pn->table || st->cur.done)
		goto out;
	hdr = dump_hdr(skb, cb, PCCVS_CMD_CONN_GET);
	if (!hdr)
		goto out;
	now = pccvs_now();
	for (;;) {
		n = min_t(u32, skb_tailroom(skb) / CONN_NEST_MAX, DUMP_BATCH);
		if (!n)
			break;
		saved = st->cur;
		got = pcc_conn_iter(pn->table, &st->cur, now, st->buf, n);
		for (i = 0; i < got; i++)
			if (put_conn(skb, &st->buf[i]))
				break;
		sent += i;
		if (i < got) {
			st->cur = saved;
			if (i)
				pcc_conn_iter(pn->table, &st->cur, now, st->buf, i);
			break;
		}
		if (!got)
			break;
	}
	/* Connections come and go all the time; only a flush, which moves
	 * the cursor's generation, interrupts the dump. */
	if (!st->started) {
		st->started = true;
		st->gen0 = st->cur.gen;
	}
	cb->seq = (st->cur.gen != st->gen0) + 1;
	genl_dump_check_consistent(cb, hdr);
out:
	mutex_unlock(&pn->lock);
	if (hdr && !sent)
		genlmsg_cancel(skb, hdr);
	else if (hdr)
		genlmsg_end(skb, hdr);
	return skb->len;
}

static int conn_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct pccvs_net *pn = req_pn(info);
	struct pcc_conn_info c;
	int ret;

	ret = req_conn(info->attrs, &c, info->extack);
	if (ret)
		return ret;
	mutex_lock(&pn->lock);
	ret = pn->table ? pcc_conn_del(pn->table, &c) : -ENOENT;
	mutex_unlock(&pn->lock);
	return core_err(info->extack, ret, NULL, "no such connection");
}

static int conn_flush_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct pccvs_net *pn = req_pn(info);

	mutex_lock(&pn->lock);
	if (pn->table)
		pcc_conn_flush(pn->table);
	mutex_unlock(&pn->lock);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Information and configuration                                       */

static int fill_info(struct sk_buff *skb, const void *arg)
{
	return put_info(skb, (struct pccvs_net *)arg);
}

static int info_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	return reply(info, PCCVS_CMD_INFO_GET, fill_info, req_pn(info));
}

static int fill_cfg(struct sk_buff *skb, const void *arg)
{
	return put_cfg(skb, arg);
}

static int cfg_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct pccvs_net *pn = req_pn(info);
	struct pcc_table *t;
	struct pcc_cfg c;
	int ret = 0;

	mutex_lock(&pn->lock);
	t = pccvs_net_table(pn, &ret);
	if (t)
		pcc_cfg_get(t, &c);
	mutex_unlock(&pn->lock);
	if (!t)
		return ret;
	return reply(info, PCCVS_CMD_CFG_GET, fill_cfg, &c);
}

static int cfg_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[PCCVS_CFG_A_MAX + 1], *nest = info->attrs[PCCVS_A_CFG];
	struct pccvs_net *pn = req_pn(info);
	struct pcc_err err = {};
	struct pcc_cfg c = {};
	struct pcc_table *t;
	int i, ret;

	if (!nest)
		return missing(info->extack, NULL, PCCVS_A_CFG, "configuration (PCCVS_A_CFG) missing");
	ret = nla_parse_nested(tb, PCCVS_CFG_A_MAX, nest, cfg_policy, info->extack);
	if (ret)
		return ret;
	for (i = 0; i < ARRAY_SIZE(cfg_fields); i++)
		if (tb[cfg_fields[i].type])
			*cfg_field(&c, i) = nla_get_u32(tb[cfg_fields[i].type]);
	mutex_lock(&pn->lock);
	t = pccvs_net_table(pn, &ret);
	if (t)
		ret = core_err(info->extack, pcc_cfg_set(t, &c, &err), &err, NULL);
	mutex_unlock(&pn->lock);
	return ret;
}

/* ------------------------------------------------------------------ */
/* The family                                                          */

#define OP(c, fn, pol, fl) { .cmd = (c), .doit = (fn), .policy = (pol), \
			     .maxattr = PCCVS_A_MAX, .flags = (fl) }
#define DUMP(c, st, fn, pol) { .cmd = (c), .start = (st), .dumpit = (fn), \
			       .done = dump_done, \
			       .policy = (pol), .maxattr = PCCVS_A_MAX }
#define ADMIN GENL_ADMIN_PERM

static const struct genl_ops pccvs_genl_ops[] = {
	OP(PCCVS_CMD_SVC_NEW, svc_new_doit, pol_svc, ADMIN),
	OP(PCCVS_CMD_SVC_SET, svc_set_doit, pol_svc, ADMIN),
	OP(PCCVS_CMD_SVC_DEL, svc_del_doit, pol_svc, ADMIN),
	{
		.cmd = PCCVS_CMD_SVC_GET,
		.doit = svc_get_doit,
		.dumpit = svc_get_dumpit,
		.policy = pol_svc,
		.maxattr = PCCVS_A_MAX,
	},
	OP(PCCVS_CMD_DEST_NEW, dest_new_doit, pol_dest, ADMIN),
	OP(PCCVS_CMD_DEST_SET, dest_set_doit, pol_dest, ADMIN),
	OP(PCCVS_CMD_DEST_DEL, dest_del_doit, pol_dest, ADMIN),
	DUMP(PCCVS_CMD_DEST_GET, dest_get_start, dest_get_dumpit, pol_svc),
	OP(PCCVS_CMD_TPL_INJECT, tpl_inject_doit, pol_tpl, ADMIN),
	OP(PCCVS_CMD_TPL_DEL, tpl_del_doit, pol_tpl, ADMIN),
	DUMP(PCCVS_CMD_TPL_GET, tpl_get_start, tpl_get_dumpit, pol_tpl_get),
	OP(PCCVS_CMD_TPL_FLUSH, tpl_flush_doit, pol_svc, ADMIN),
	DUMP(PCCVS_CMD_CONN_GET, conn_get_start, conn_get_dumpit, pol_none),
	OP(PCCVS_CMD_CONN_DEL, conn_del_doit, pol_conn, ADMIN),
	OP(PCCVS_CMD_CONN_FLUSH, conn_flush_doit, pol_none, ADMIN),
	OP(PCCVS_CMD_INFO_GET, info_get_doit, pol_none, 0),
	OP(PCCVS_CMD_CFG_SET, cfg_set_doit, pol_cfg, ADMIN),
	OP(PCCVS_CMD_CFG_GET, cfg_get_doit, pol_none, 0),
	OP(PCCVS_CMD_ZERO, zero_doit, pol_svc, ADMIN),
	OP(PCCVS_CMD_FLUSH, flush_doit, pol_none, ADMIN),
};

static const struct genl_multicast_group pccvs_mcgrps[] = {
	[PCCVS_MCGRP_EVENTS_IDX] = {
		.name = PCCVS_MCGRP_EVENTS,
#ifdef GENL_MCAST_CAP_NET_ADMIN
		.flags = GENL_MCAST_CAP_NET_ADMIN,
#endif
	},
};

struct genl_family pccvs_genl_family __ro_after_init = {
	.name = PCCVS_GENL_NAME,
	.version = PCCVS_GENL_VERSION,
	.maxattr = PCCVS_A_MAX,
	.netnsok = true,
	.parallel_ops = true,	/* each namespace has its own lock */
	.module = THIS_MODULE,
	.ops = pccvs_genl_ops,
	.n_ops = ARRAY_SIZE(pccvs_genl_ops),
	.mcgrps = pccvs_mcgrps,
	.n_mcgrps = ARRAY_SIZE(pccvs_mcgrps),
};

int __init pccvs_genl_init(void)
{
	return genl_register_family(&pccvs_genl_family);
}

void pccvs_genl_uninit(void)
{
	genl_unregister_family(&pccvs_genl_family);
}
