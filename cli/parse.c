// SPDX-License-Identifier: GPL-2.0
/*
 * parse.c: words -> struct adm_cmd, in three steps: walk the words
 * (options, bundles, values), check them against the verb table, then
 * interpret the values into the edit.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "grammar.h"

struct walk {
	int argc, i;
	char *const *argv;
	const char *val[ADM_O_COUNT];
	const char *args[3];
	struct adm_cmd *cmd;
	struct pccvs_err *err;
};

static const struct adm_optdesc *find_long(const char *name, size_t len)
{
	const struct adm_optdesc *d;

	for (d = adm_opts; d->lname || d->sname; d++)
		if (d->lname && strlen(d->lname) == len && !strncmp(d->lname, name, len))
			return d;
	return NULL;
}

static const struct adm_optdesc *find_short(char c)
{
	const struct adm_optdesc *d;

	for (d = adm_opts; d->lname || d->sname; d++)
		if (d->sname == c)
			return d;
	return NULL;
}

static const char *next_word(struct walk *w)
{
	return w->i + 1 < w->argc ? w->argv[w->i + 1] : NULL;
}

static int take_verb(struct walk *w, const struct adm_optdesc *d)
{
	const struct adm_verb *v = adm_verb_get(d->verb);
	char a[48], b[48];
	int k;

	if (w->cmd->verb == v)
		return adm_err(w->err, -EINVAL, "command %s given twice",
			       adm_verb_str(v, a, sizeof(a)));
	if (w->cmd->verb)
		return adm_err(w->err, -EINVAL, "two commands given: %s and %s",
			       adm_verb_str(w->cmd->verb, a, sizeof(a)),
			       adm_verb_str(v, b, sizeof(b)));
	w->cmd->verb = v;
	for (k = 0; k < v->nargs; k++) {
		if (w->i + 1 >= w->argc)
			return adm_err(w->err, -EINVAL, "--%s needs %u values: %s",
				       v->lname, v->nargs,
				       v->nargs == 3 ? "tcp tcpfin udp" : "conn_max tpl_max");
		w->args[k] = w->argv[++w->i];
	}
	return 0;
}

/* "-o" alone is ipvsadm's --ops, unless an output format follows. */
static bool output_follows(const char *next)
{
	return next && (!strcmp(next, "json") || !strcmp(next, "text"));
}

/*
 * One option occurrence. inl: the value written in the same word
 * ("-w5", "--weight=5"), or NULL; is_short: typed as a letter.
 */
static int take(struct walk *w, const struct adm_optdesc *d, const char *inl,
		bool is_short)
{
	const char *next = next_word(w), *val = inl;
	char n[32];

	if (d->refuse)
		return adm_err(w->err, -EINVAL, "%s", d->refuse);
	if (d->id < 0)
		return take_verb(w, d);
	adm_opt_str((enum adm_opt_id)d->id, n, sizeof(n));
	if (d->id == ADM_O_OUTPUT && is_short && !inl && !output_follows(next))
		return adm_err(w->err, -EINVAL,
			       "one-packet scheduling (-o, --ops) is not supported by pccvs");
	if (w->cmd->opts & ADM_OPT(d->id))
		return adm_err(w->err, -EINVAL, "option `%s' given twice", n);
	if (d->arg == ADM_ARG_NONE && inl)
		return adm_err(w->err, -EINVAL, "option `%s' takes no value", n);
	if (!val && d->arg == ADM_ARG_REQ) {
		if (!next)
			return adm_err(w->err, -EINVAL, "option `%s' needs a value", n);
		val = next;
		w->i++;
	} else if (!val && d->arg == ADM_ARG_OPT && next && next[0] != '-') {
		val = next;
		w->i++;
	}
	w->cmd->opts |= ADM_OPT(d->id);
	w->val[d->id] = val;
	return 0;
}

static int walk_long(struct walk *w, const char *tok)
{
	const char *eq = strchr(tok, '=');
	size_t len = eq ? (size_t)(eq - tok) : strlen(tok);
	const struct adm_optdesc *d = find_long(tok, len);
	char q[ADM_QUOTE_MAX];

	if (!d)
		return adm_err(w->err, -EINVAL, "unknown option `--%s'",
			       adm_quote(tok, q, sizeof(q)));
	return take(w, d, eq ? eq + 1 : NULL, false);
}

static int walk_short(struct walk *w, const char *tok)
{
	const struct adm_optdesc *d;
	char q[ADM_QUOTE_MAX];
	const char *p;

	for (p = tok; *p; p++) {
		d = find_short(*p);
		if (!d) {
			snprintf(q, sizeof(q), "-%c", *p);
			return adm_err(w->err, -EINVAL, "unknown option `%s'",
				       adm_quote(q, q, sizeof(q)));
		}
		if (d->arg != ADM_ARG_NONE || d->refuse)
			return take(w, d, p[1] ? p + 1 : NULL, true);
		if (take(w, d, NULL, true))
			return -EINVAL;
	}
	return 0;
}

static int walk_words(struct walk *w)
{
	char q[ADM_QUOTE_MAX];
	const char *tok;
	int ret;

	for (w->i = 0; w->i < w->argc; w->i++) {
		tok = w->argv[w->i];
		if (tok[0] == '-' && tok[1] == '-' && tok[2])
			ret = walk_long(w, tok + 2);
		else if (tok[0] == '-' && tok[1] && tok[1] != '-')
			ret = walk_short(w, tok + 1);
		else
			ret = adm_err(w->err, -EINVAL, "unexpected argument `%s'",
				      adm_quote(tok, q, sizeof(q)));
		if (ret)
			return ret;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* The matrix                                                          */

#define LIST_ONLY (ADM_OPT(ADM_O_NUMERIC) | ADM_OPT(ADM_O_CONN) | \
		   ADM_OPT(ADM_O_STATS) | ADM_OPT(ADM_O_RATE) | \
		   ADM_OPT(ADM_O_EXACT) | ADM_OPT(ADM_O_SORT) | \
		   ADM_OPT(ADM_O_NOSORT) | ADM_OPT(ADM_O_PERSIST_CONN) | \
		   ADM_OPT(ADM_O_TIMEOUT) | ADM_OPT(ADM_O_THRESHOLDS) | \
		   ADM_OPT(ADM_O_TEMPLATES) | ADM_OPT(ADM_O_OUTPUT))

static int lowest(uint64_t bits)
{
	return __builtin_ctzll(bits);
}

/* At most one of the options in set. */
static int one_of(const struct adm_cmd *cmd, uint64_t set, struct pccvs_err *err)
{
	uint64_t got = cmd->opts & set;
	char a[32], b[32];

	if (!(got & (got - 1)))
		return 0;
	adm_opt_str((enum adm_opt_id)lowest(got), a, sizeof(a));
	got &= got - 1;
	adm_opt_str((enum adm_opt_id)lowest(got), b, sizeof(b));
	return adm_err(err, -EINVAL, "options `%s' and `%s' exclude each other", a, b);
}

static int check_needs(const struct adm_cmd *cmd, struct pccvs_err *err)
{
	const struct adm_verb *v = cmd->verb;
	char vs[48];

	if ((v->needs & ADM_NEED_SVC) && !(cmd->opts & ADM_SVC_OPTS))
		return adm_err(err, -EINVAL,
			       "%s needs a service: -t, -u, --sctp-service or -f",
			       adm_verb_str(v, vs, sizeof(vs)));
	if ((v->needs & ADM_NEED_DEST) && !(cmd->opts & ADM_OPT(ADM_O_REAL)))
		return adm_err(err, -EINVAL, "%s needs a real server: -r",
			       adm_verb_str(v, vs, sizeof(vs)));
	if ((cmd->opts & ADM_OPT(ADM_O_IPV6)) && !(cmd->opts & ADM_OPT(ADM_O_FWMARK)))
		return adm_err(err, -EINVAL,
			       "option `-6' only applies to -f; write IPv6 addresses in brackets, as in [2001:db8::1]:80");
	if ((cmd->opts & ADM_OPT(ADM_O_TUN_TYPE)) && !(cmd->opts & ADM_OPT(ADM_O_IPIP)))
		return adm_err(err, -EINVAL, "option `--tun-type' needs -i");
	if ((cmd->opts & ADM_OPT(ADM_O_TIMEOUT)) && (cmd->opts & ADM_SVC_OPTS))
		return adm_err(err, -EINVAL,
			       "option `--timeout' lists global values: name no service");
	return 0;
}

static int check_matrix(struct adm_cmd *cmd, int argc, struct pccvs_err *err)
{
	uint64_t bad;
	char o[32], vs[48];

	if (!cmd->verb && (!argc || !(cmd->opts & ~LIST_ONLY)))
		cmd->verb = adm_verb_get(ADM_V_LIST);
	if (!cmd->verb)
		return adm_err(err, -EINVAL,
			       "no command given: use one of -A -E -D -a -e -d -C -R -S -L -Z --set --set-limits --info -h");
	bad = cmd->opts & ~cmd->verb->allowed;
	if (bad)
		return adm_err(err, -EINVAL, "option `%s' is not valid with %s",
			       adm_opt_str((enum adm_opt_id)lowest(bad), o, sizeof(o)),
			       adm_verb_str(cmd->verb, vs, sizeof(vs)));
	if (one_of(cmd, ADM_SVC_OPTS, err) ||
	    one_of(cmd, ADM_OPT(ADM_O_GATE) | ADM_OPT(ADM_O_IPIP) | ADM_OPT(ADM_O_MASQ), err) ||
	    one_of(cmd, ADM_OPT(ADM_O_STATS) | ADM_OPT(ADM_O_RATE) |
		   ADM_OPT(ADM_O_THRESHOLDS) | ADM_OPT(ADM_O_PERSIST_CONN), err) ||
	    one_of(cmd, ADM_OPT(ADM_O_CONN) | ADM_OPT(ADM_O_TEMPLATES) |
		   ADM_OPT(ADM_O_TIMEOUT), err) ||
	    one_of(cmd, ADM_OPT(ADM_O_SORT) | ADM_OPT(ADM_O_NOSORT), err))
		return -EINVAL;
	return check_needs(cmd, err);
}

/* ------------------------------------------------------------------ */
/* Values                                                              */

static int set_service(struct walk *w)
{
	static const uint8_t proto[] = {
		[ADM_O_TCP] = IPPROTO_TCP, [ADM_O_UDP] = IPPROTO_UDP,
		[ADM_O_SCTP] = IPPROTO_SCTP,
	};
	struct adm_edit *e = &w->cmd->edit;
	uint64_t o = w->cmd->opts;
	int id;

	if (!(o & ADM_SVC_OPTS))
		return 0;
	if (w->cmd->verb->id == ADM_V_LIST || w->cmd->verb->id == ADM_V_ZERO)
		e->flags |= ADM_EF_SVC;
	if (o & ADM_OPT(ADM_O_FWMARK)) {
		e->svc.af = o & ADM_OPT(ADM_O_IPV6) ? AF_INET6 : AF_INET;
		return adm_parse_u32(w->val[ADM_O_FWMARK], "firewall mark", 1,
				     UINT32_MAX, &e->svc.fwmark, w->err);
	}
	id = lowest(o & ADM_SVC_OPTS);
	e->svc.protocol = proto[id];
	if (adm_parse_hostport(w->val[id], "virtual service address", &e->svc.addr,
			       &e->svc.port, &e->svc_name, w->err))
		return -EINVAL;
	e->svc.af = e->svc.addr.af ? e->svc.addr.af :
		    e->svc_name.v6 ? AF_INET6 : 0;
	return 0;
}

static int set_persist(struct walk *w)
{
	struct adm_edit *e = &w->cmd->edit;
	const char *v = w->val[ADM_O_PERSIST];
	bool add = e->op == ADM_SVC_ADD;

	e->svc_flag_bits |= PCCVS_SVC_F_PERSISTENT;
	e->svc_mask |= PCCVS_SVC_SET_FLAGS;
	e->svc.flags |= PCCVS_SVC_F_PERSISTENT;
	if (!v) {
		if (add) {
			e->svc.timeout = PCCVS_PERSIST_TIMEOUT_DEFAULT;
			e->svc_mask |= PCCVS_SVC_SET_TIMEOUT;
		}
		return 0;
	}
	if (adm_parse_u32(v, "persistence timeout", add ? 1 : 0,
			  PCCVS_PERSIST_TIMEOUT_MAX, &e->svc.timeout, w->err))
		return -EINVAL;
	if (!e->svc.timeout)	/* -E -p 0: no longer persistent */
		e->svc.flags &= ~PCCVS_SVC_F_PERSISTENT;
	else
		e->svc_mask |= PCCVS_SVC_SET_TIMEOUT;
	return 0;
}

static int set_svc_params(struct walk *w)
{
	struct adm_edit *e = &w->cmd->edit;
	uint64_t o = w->cmd->opts;
	enum adm_sched_family fam;
	uint32_t flags;
	bool dotted;

	if ((o & ADM_OPT(ADM_O_SCHED)) &&
	    adm_parse_sched(w->val[ADM_O_SCHED], e->svc.sched, w->err))
		return -EINVAL;
	if (o & ADM_OPT(ADM_O_SCHED))
		e->svc_mask |= PCCVS_SVC_SET_SCHED;
	if ((o & ADM_OPT(ADM_O_PERSIST)) && set_persist(w))
		return -EINVAL;
	if (o & ADM_OPT(ADM_O_NETMASK)) {
		if (adm_parse_netmask(w->val[ADM_O_NETMASK], &e->svc.netmask,
				      &dotted, w->err))
			return -EINVAL;
		e->svc_mask |= PCCVS_SVC_SET_NETMASK;
		e->flags |= dotted ? ADM_EF_MASK_DOTTED : 0;
	}
	if (o & ADM_OPT(ADM_O_SCHED_FLAGS)) {
		if (adm_parse_sched_flags(w->val[ADM_O_SCHED_FLAGS], &flags, &fam,
					  w->err))
			return -EINVAL;
		e->svc.flags |= flags;
		e->svc_flag_bits |= PCCVS_SVC_F_SCHED1 | PCCVS_SVC_F_SCHED2 |
				    PCCVS_SVC_F_SCHED3;
		e->svc_mask |= PCCVS_SVC_SET_FLAGS;
		e->sched_family = (uint8_t)fam;
	}
	if (o & ADM_OPT(ADM_O_PGROUP)) {
		if (adm_parse_pgroup(w->val[ADM_O_PGROUP], e->svc.pgroup, w->err))
			return -EINVAL;
		e->svc_mask |= PCCVS_SVC_SET_PGROUP;
	}
	return 0;
}

static int set_u32_field(struct walk *w, enum adm_opt_id id, const char *what,
			 uint32_t max, uint32_t *field, uint32_t *mask,
			 uint32_t bit)
{
	if (!(w->cmd->opts & ADM_OPT(id)))
		return 0;
	*mask |= bit;
	return adm_parse_u32(w->val[id], what, 0, max, field, w->err);
}

static int set_dest(struct walk *w)
{
	struct adm_edit *e = &w->cmd->edit;
	uint64_t o = w->cmd->opts;

	if (o & ADM_OPT(ADM_O_REAL) &&
	    adm_parse_hostport(w->val[ADM_O_REAL], "real server address",
			       &e->dest.addr, &e->dest.port, &e->dest_name, w->err))
		return -EINVAL;
	if (o & (ADM_OPT(ADM_O_GATE) | ADM_OPT(ADM_O_IPIP) | ADM_OPT(ADM_O_MASQ))) {
		e->dest_mask |= PCCVS_DEST_SET_FWD;
		e->dest.fwd = o & ADM_OPT(ADM_O_IPIP) ? PCCVS_FWD_TUN :
			      o & ADM_OPT(ADM_O_MASQ) ? PCCVS_FWD_NAT : PCCVS_FWD_DR;
	}
	if ((o & ADM_OPT(ADM_O_TUN_TYPE)) && strcmp(w->val[ADM_O_TUN_TYPE], "ipip")) {
		char q[ADM_QUOTE_MAX];

		return adm_err(w->err, -EINVAL,
			       "tunnel type `%s' is not supported by pccvs: only ipip",
			       adm_quote(w->val[ADM_O_TUN_TYPE], q, sizeof(q)));
	}
	return set_u32_field(w, ADM_O_WEIGHT, "weight", PCCVS_WEIGHT_MAX,
			     &e->dest.weight, &e->dest_mask, PCCVS_DEST_SET_WEIGHT) ||
	       set_u32_field(w, ADM_O_UTHRESH, "upper threshold", PCCVS_THRESH_MAX,
			     &e->dest.u_thresh, &e->dest_mask, PCCVS_DEST_SET_UTHRESH) ||
	       set_u32_field(w, ADM_O_LTHRESH, "lower threshold", PCCVS_THRESH_MAX,
			     &e->dest.l_thresh, &e->dest_mask, PCCVS_DEST_SET_LTHRESH) ?
	       -EINVAL : 0;
}

static int set_cfg(struct walk *w)
{
	struct pccvs_cfg *c = &w->cmd->edit.cfg;
	const uint32_t tmax = PCCVS_PERSIST_TIMEOUT_MAX;

	if (w->cmd->verb->id == ADM_V_SET)
		return adm_parse_u32(w->args[0], "tcp timeout", 0, tmax, &c->tcp_est, w->err) ||
		       adm_parse_u32(w->args[1], "tcpfin timeout", 0, tmax, &c->tcp_fin_wait, w->err) ||
		       adm_parse_u32(w->args[2], "udp timeout", 0, tmax, &c->udp, w->err) ?
		       -EINVAL : 0;
	return adm_parse_u32(w->args[0], "conn_max", 0, PCCVS_LIMIT_MAX, &c->conn_max, w->err) ||
	       adm_parse_u32(w->args[1], "tpl_max", 0, PCCVS_LIMIT_MAX, &c->tpl_max, w->err) ?
	       -EINVAL : 0;
}

static int set_output(struct walk *w)
{
	const char *v = w->val[ADM_O_OUTPUT];
	char q[ADM_QUOTE_MAX];

	if (!v || !strcmp(v, "text"))
		return 0;
	if (!strcmp(v, "json")) {
		w->cmd->output = ADM_OUT_JSON;
		return 0;
	}
	return adm_err(w->err, -EINVAL, "invalid output format `%s': must be json or text",
		       adm_quote(v, q, sizeof(q)));
}

static int interpret(struct walk *w)
{
	struct adm_edit *e = &w->cmd->edit;
	enum adm_verb_id id = w->cmd->verb->id;

	e->op = (uint8_t)w->cmd->verb->op;
	if (w->cmd->opts & ADM_OPT(ADM_O_ALL_PORTS))
		e->flags |= ADM_EF_ALL_PORTS;
	if (set_service(w) || set_svc_params(w) || set_dest(w) || set_output(w))
		return -EINVAL;
	if ((id == ADM_V_SET || id == ADM_V_SET_LIMITS) && set_cfg(w))
		return -EINVAL;
	return adm_edit_unresolved(e) ? 0 : adm_edit_finish(e, w->err);
}

/* "cluster [status]", "cluster diff", "cluster config", "cluster
 * switchover NODE": the daemon's verbs. */
static int parse_cluster(int argc, char *const argv[], struct adm_cmd *cmd,
			 struct pccvs_err *err)
{
	char q[ADM_QUOTE_MAX];

	cmd->verb = adm_verb_get(ADM_V_CLUSTER);
	if (argc == 1 || (argc == 2 && !strcmp(argv[1], "status"))) {
		cmd->cluster_op = ADM_CLUSTER_STATUS;
		return 0;
	}
	if (argc == 2 && !strcmp(argv[1], "diff")) {
		cmd->cluster_op = ADM_CLUSTER_DIFF;
		return 0;
	}
	if (argc == 2 && !strcmp(argv[1], "config")) {
		cmd->cluster_op = ADM_CLUSTER_CONFIG;
		return 0;
	}
	if (!strcmp(argv[1], "switchover")) {
		if (argc != 3)
			return adm_err(err, -EINVAL,
				       "cluster switchover needs one node id");
		cmd->cluster_op = ADM_CLUSTER_SWITCHOVER;
		return adm_parse_u32(argv[2], "node id", 1, UINT32_MAX,
				     &cmd->cluster_node, err);
	}
	return adm_err(err, -EINVAL, "cluster `%s': expected status, diff, "
		       "config or switchover NODE", adm_quote(argv[1], q, sizeof(q)));
}

int adm_parse(int argc, char *const argv[], struct adm_cmd *cmd,
	      struct pccvs_err *err)
{
	struct walk w = { .argc = argc, .argv = argv, .cmd = cmd, .err = err };

	memset(cmd, 0, sizeof(*cmd));
	if (argc >= 1 && !strcmp(argv[0], "cluster"))
		return parse_cluster(argc, argv, cmd, err) ? -EINVAL : 0;
	if (walk_words(&w) || check_matrix(cmd, argc, err) || interpret(&w))
		return -EINVAL;
	return 0;
}
