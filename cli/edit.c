// SPDX-License-Identifier: GPL-2.0
/* edit.c: edit lists, edit-local rules and the text forms of objects. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "edit.h"

void adm_edits_init(struct adm_edits *l)
{
	memset(l, 0, sizeof(*l));
}

void adm_edits_free(struct adm_edits *l)
{
	free(l->v);
	adm_edits_init(l);
}

int adm_edits_push(struct adm_edits *l, const struct adm_edit *e)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 16;
		struct adm_edit *v = realloc(l->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = *e;
	return 0;
}

bool adm_edit_has_dest(const struct adm_edit *e)
{
	return e->op == ADM_DEST_ADD || e->op == ADM_DEST_EDIT ||
	       e->op == ADM_DEST_DEL;
}

bool adm_edit_has_svc(const struct adm_edit *e)
{
	return (e->op >= ADM_SVC_ADD && e->op <= ADM_DEST_DEL) ||
	       (e->flags & ADM_EF_SVC);
}

bool adm_edit_unresolved(const struct adm_edit *e)
{
	return e->svc_name.host[0] || e->svc_name.port[0] ||
	       e->dest_name.host[0] || e->dest_name.port[0];
}

uint8_t adm_full_mask(uint16_t af)
{
	return af == AF_INET6 ? 128 : 32;
}

static const char *af_name(uint16_t af)
{
	return af == AF_INET6 ? "IPv6" : "IPv4";
}

static int finish_netmask(struct adm_edit *e, struct pccvs_err *err)
{
	char buf[ADM_SVC_STRLEN];

	if (!(e->svc_mask & PCCVS_SVC_SET_NETMASK))
		return 0;
	if ((e->flags & ADM_EF_MASK_DOTTED) && e->svc.af != AF_INET)
		return adm_err(err, -EINVAL,
			       "a dotted netmask is for IPv4 services; %s is IPv6: give a prefix length 0-128",
			       adm_svc_str(&e->svc, buf, sizeof(buf)));
	if (e->svc.netmask > adm_full_mask(e->svc.af))
		return adm_err(err, -EINVAL,
			       "invalid netmask `%u' for IPv4 service %s: must be 0-32",
			       e->svc.netmask, adm_svc_str(&e->svc, buf, sizeof(buf)));
	return 0;
}

int adm_edit_finish(struct adm_edit *e, struct pccvs_err *err)
{
	char a[ADM_ADDR_STRLEN], s[ADM_SVC_STRLEN];
	int ret = finish_netmask(e, err);

	if (ret || !adm_edit_has_dest(e))
		return ret;
	if (e->dest.addr.af != e->svc.af)
		return adm_err(err, -EINVAL, "real server %s is %s but %s is %s",
			       pccvs_addr_str(&e->dest.addr, a, sizeof(a)),
			       af_name(e->dest.addr.af),
			       adm_svc_str(&e->svc, s, sizeof(s)), af_name(e->svc.af));
	/* As the kernel does: port 0 means the service's port. */
	if (!e->dest.port && !e->svc.fwmark)
		e->dest.port = e->svc.port;
	return 0;
}

/* ------------------------------------------------------------------ */

const char *adm_addrport_str(const struct pccvs_addr *a, uint16_t port,
			     char *buf, size_t len)
{
	char ab[ADM_ADDR_STRLEN];

	pccvs_addr_str(a, ab, sizeof(ab));
	if (a->af == AF_INET6)
		snprintf(buf, len, "[%s]:%u", ab, port);
	else
		snprintf(buf, len, "%s:%u", ab, port);
	return buf;
}

const char *adm_proto_name(uint8_t protocol)
{
	switch (protocol) {
	case IPPROTO_TCP:
		return "TCP";
	case IPPROTO_UDP:
		return "UDP";
	case IPPROTO_SCTP:
		return "SCTP";
	}
	return "?";
}

const char *adm_proto_opt(uint8_t protocol)
{
	switch (protocol) {
	case IPPROTO_UDP:
		return "-u";
	case IPPROTO_SCTP:
		return "--sctp-service";
	}
	return "-t";
}

const char *adm_svc_str(const struct pccvs_svc *s, char *buf, size_t len)
{
	char ap[ADM_ADDR_STRLEN + 8];

	if (s->fwmark)
		snprintf(buf, len, "FWM %u%s", s->fwmark,
			 s->af == AF_INET6 ? " IPv6" : "");
	else
		snprintf(buf, len, "%s %s", adm_proto_name(s->protocol),
			 adm_addrport_str(&s->addr, s->port, ap, sizeof(ap)));
	return buf;
}

const char *adm_svc_opt(const struct pccvs_svc *s, char *buf, size_t len)
{
	char ap[ADM_ADDR_STRLEN + 8];

	if (s->fwmark)
		snprintf(buf, len, "-f %u%s", s->fwmark,
			 s->af == AF_INET6 ? " -6" : "");
	else
		snprintf(buf, len, "%s %s", adm_proto_opt(s->protocol),
			 adm_addrport_str(&s->addr, s->port, ap, sizeof(ap)));
	return buf;
}

static const char *op_opt(uint8_t op)
{
	static const char *const opt[] = {
		[ADM_SVC_ADD] = "-A", [ADM_SVC_EDIT] = "-E",
		[ADM_SVC_DEL] = "-D", [ADM_DEST_ADD] = "-a",
		[ADM_DEST_EDIT] = "-e", [ADM_DEST_DEL] = "-d",
		[ADM_CLEAR] = "-C", [ADM_ZERO] = "-Z", [ADM_SET_CFG] = "--set",
	};

	return op < sizeof(opt) / sizeof(opt[0]) && opt[op] ? opt[op] : "?";
}

const char *adm_edit_str(const struct adm_edit *e, char *buf, size_t len)
{
	char so[ADM_SVC_STRLEN], dp[ADM_ADDR_STRLEN + 8];

	if (adm_edit_has_dest(e))
		snprintf(buf, len, "%s %s -r %s", op_opt(e->op),
			 adm_svc_opt(&e->svc, so, sizeof(so)),
			 adm_addrport_str(&e->dest.addr, e->dest.port, dp, sizeof(dp)));
	else if (adm_edit_has_svc(e))
		snprintf(buf, len, "%s %s", op_opt(e->op),
			 adm_svc_opt(&e->svc, so, sizeof(so)));
	else
		snprintf(buf, len, "%s", op_opt(e->op));
	return buf;
}

const char *adm_fwd_key(uint8_t fwd)
{
	switch (fwd) {
	case PCCVS_FWD_DR:
		return "route";
	case PCCVS_FWD_TUN:
		return "tunnel";
	case PCCVS_FWD_NAT:
		return "masq";
	}
	return "";
}

const char *adm_fwd_opt(uint8_t fwd)
{
	switch (fwd) {
	case PCCVS_FWD_TUN:
		return "-i";
	case PCCVS_FWD_NAT:
		return "-m";
	}
	return "-g";
}

bool adm_svc_same(const struct pccvs_svc *a, const struct pccvs_svc *b)
{
	if (a->af != b->af || a->fwmark != b->fwmark)
		return false;
	if (a->fwmark)
		return true;
	return a->protocol == b->protocol && a->port == b->port &&
	       pccvs_addr_eq(&a->addr, &b->addr);
}

int adm_err(struct pccvs_err *err, int code, const char *fmt, ...)
{
	va_list ap;

	if (err) {
		err->code = code;
		va_start(ap, fmt);
		vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
		va_end(ap);
	}
	return code;
}

void adm_err_line(struct pccvs_err *err, uint32_t line)
{
	char msg[sizeof(err->msg) + 24];

	if (!line || !err)
		return;
	snprintf(msg, sizeof(msg), "line %u: %s", line, err->msg);
	memcpy(err->msg, msg, sizeof(err->msg) - 1);
	err->msg[sizeof(err->msg) - 1] = '\0';
}

const char *adm_quote(const char *tok, char *buf, size_t len)
{
	size_t i, n = 0, max = len > 8 ? len - 4 : 0;

	for (i = 0; tok[i] && n < max; i++) {
		unsigned char c = (unsigned char)tok[i];

		buf[n++] = c >= 0x20 && c < 0x7f ? (char)c : '?';
	}
	if (tok[i] && len >= 4) {
		memcpy(buf + n, "...", 3);
		n += 3;
	}
	if (len)
		buf[n < len ? n : len - 1] = '\0';
	return buf;
}
