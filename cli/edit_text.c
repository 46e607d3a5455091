// SPDX-License-Identifier: GPL-2.0
/*
 * edit_text.c: an edit as the pccvsadm words that make it. This is the
 * wire form of a cluster-wide edit (ConfigEdit): the sender resolves names,
 * formats, and every director (the sender included) reads the lines back
 * with adm_parse(), so there is one parser and one set of rules. Only the
 * fields the user gave are written (masks), so an edit of one field stays
 * an edit of one field. Tested as a round trip: parse(format(e)) == e.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "config.h"
#include "parse.h"

struct out {
	char *buf;
	size_t len, n;
	bool over;
};

static void put(struct out *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void put(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int r;

	if (o->over)
		return;
	va_start(ap, fmt);
	r = vsnprintf(o->buf + o->n, o->len - o->n, fmt, ap);
	va_end(ap);
	if (r < 0 || (size_t)r >= o->len - o->n) {
		o->over = true;
		return;
	}
	o->n += (size_t)r;
}

static const char *op_word(const struct adm_edit *e)
{
	switch (e->op) {
	case ADM_SVC_ADD: return "-A";
	case ADM_SVC_EDIT: return "-E";
	case ADM_SVC_DEL: return "-D";
	case ADM_DEST_ADD: return "-a";
	case ADM_DEST_EDIT: return "-e";
	case ADM_DEST_DEL: return "-d";
	case ADM_CLEAR: return "-C";
	case ADM_ZERO: return "-Z";
	}
	return NULL;
}

static void put_sched_flags(struct out *o, const struct adm_edit *e)
{
	static const char *const sh[] = { "sh-fallback", "sh-port" };
	static const char *const mh[] = { "mh-fallback", "mh-port" };
	static const uint32_t bit[] = { PCCVS_SVC_F_SCHED1, PCCVS_SVC_F_SCHED2,
					PCCVS_SVC_F_SCHED3 };
	bool any = false;

	put(o, " -b ");
	for (int i = 0; i < 3; i++) {
		const char *name;
		char gen[24];

		if (!(e->svc.flags & bit[i]))
			continue;
		snprintf(gen, sizeof(gen), "flag-%d", i + 1);
		name = i < 2 && e->sched_family == ADM_SF_SH ? sh[i] :
		       i < 2 && e->sched_family == ADM_SF_MH ? mh[i] : gen;
		put(o, "%s%s", any ? "," : "", name);
		any = true;
	}
	if (!any)
		put(o, "none");
}

static void put_netmask(struct out *o, const struct adm_edit *e)
{
	char mb[INET_ADDRSTRLEN];
	struct in_addr m;

	if (!(e->flags & ADM_EF_MASK_DOTTED)) {
		put(o, " -M %u", e->svc.netmask);
		return;
	}
	m.s_addr = htonl(e->svc.netmask ? ~0U << (32 - e->svc.netmask) : 0);
	put(o, " -M %s", inet_ntop(AF_INET, &m, mb, sizeof(mb)));
}

static void put_svc_fields(struct out *o, const struct adm_edit *e)
{
	if (e->svc_mask & PCCVS_SVC_SET_SCHED)
		put(o, " -s %s", e->svc.sched);
	if (e->svc_mask & PCCVS_SVC_SET_NETMASK)
		put_netmask(o, e);
	if (e->svc_flag_bits & (PCCVS_SVC_F_SCHED1 | PCCVS_SVC_F_SCHED2 |
				PCCVS_SVC_F_SCHED3))
		put_sched_flags(o, e);
	if (e->svc_mask & PCCVS_SVC_SET_PGROUP)
		put(o, " --pgroup %s", e->svc.pgroup[0] ? e->svc.pgroup : "none");
	/* last: a bare -p must not be followed by a value */
	if (e->svc_flag_bits & PCCVS_SVC_F_PERSISTENT) {
		if (!(e->svc.flags & PCCVS_SVC_F_PERSISTENT))
			put(o, " -p 0");
		else if (e->svc_mask & PCCVS_SVC_SET_TIMEOUT)
			put(o, " -p %u", e->svc.timeout);
		else
			put(o, " -p");
	}
}

static void put_dest(struct out *o, const struct adm_edit *e)
{
	char a[ADM_ADDR_STRLEN + 8];

	if (e->dest.port)
		put(o, " -r %s", adm_addrport_str(&e->dest.addr, e->dest.port, a, sizeof(a)));
	else if (e->dest.addr.af == AF_INET6)
		put(o, " -r [%s]", pccvs_addr_str(&e->dest.addr, a, sizeof(a)));
	else
		put(o, " -r %s", pccvs_addr_str(&e->dest.addr, a, sizeof(a)));
	if (e->op == ADM_DEST_DEL)
		return;
	if (e->dest_mask & PCCVS_DEST_SET_FWD)
		put(o, " %s", adm_fwd_opt(e->dest.fwd));
	if (e->dest_mask & PCCVS_DEST_SET_WEIGHT)
		put(o, " -w %u", e->dest.weight);
	if (e->dest_mask & PCCVS_DEST_SET_UTHRESH)
		put(o, " -x %u", e->dest.u_thresh);
	if (e->dest_mask & PCCVS_DEST_SET_LTHRESH)
		put(o, " -y %u", e->dest.l_thresh);
}

static int put_cfg(struct out *o, const struct pccvs_cfg *c)
{
	bool t = c->tcp_est || c->tcp_fin_wait || c->udp;
	bool l = c->conn_max || c->tpl_max;

	if ((t && l) || c->tcp_syn_recv || c->tcp_time_wait || c->tcp_close ||
	    c->tcp_close_wait || c->tcp_last_ack || c->refresh_pct)
		return -EINVAL;
	if (l)
		put(o, "--set-limits %u %u", c->conn_max, c->tpl_max);
	else
		put(o, "--set %u %u %u", c->tcp_est, c->tcp_fin_wait, c->udp);
	return 0;
}

int adm_edit_format(const struct adm_edit *e, char *buf, size_t len)
{
	struct out o = { .buf = buf, .len = len };
	const char *op = op_word(e);
	char so[ADM_SVC_STRLEN];

	if (!len)
		return -ENOSPC;
	buf[0] = '\0';
	if (adm_edit_unresolved(e))
		return -EINVAL;
	if (e->op == ADM_SET_CFG) {
		if (put_cfg(&o, &e->cfg))
			return -EINVAL;
		return o.over ? -ENOSPC : 0;
	}
	if (!op)
		return -EINVAL;
	put(&o, "%s", op);
	if (adm_edit_has_svc(e))
		put(&o, " %s", adm_svc_opt(&e->svc, so, sizeof(so)));
	if (e->op == ADM_SVC_ADD || e->op == ADM_SVC_EDIT)
		put_svc_fields(&o, e);
	if (adm_edit_has_dest(e))
		put_dest(&o, e);
	if (e->flags & ADM_EF_ALL_PORTS)
		put(&o, " --all-ports");
	return o.over ? -ENOSPC : 0;
}

int adm_edits_text(const struct adm_edit *v, size_t n, bool numbered,
		   char **out, size_t *len)
{
	size_t cap = 4096, used = 0, line = 1, i;
	char *buf = malloc(cap), *nb;
	int rc;

	if (!buf)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		size_t need = ADM_EDIT_LINE_MAX + 2;

		if (numbered && v[i].line > line)
			need += v[i].line - line;
		if (numbered && v[i].line && v[i].line < line) {
			free(buf);
			return -EINVAL;	/* lines must ascend */
		}
		if (used + need + 1 > cap) {
			while (used + need + 1 > cap)
				cap *= 2;
			nb = realloc(buf, cap);
			if (!nb) {
				free(buf);
				return -ENOMEM;
			}
			buf = nb;
		}
		while (numbered && v[i].line > line) {
			buf[used++] = '\n';
			line++;
		}
		rc = adm_edit_format(&v[i], buf + used, ADM_EDIT_LINE_MAX);
		if (rc) {
			free(buf);
			return rc;
		}
		used += strlen(buf + used);
		buf[used++] = '\n';
		line++;
	}
	buf[used] = '\0';
	*out = buf;
	*len = used;
	return 0;
}
