// SPDX-License-Identifier: GPL-2.0
/* list.c: -L, services and their real servers, as text or JSON. */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include "json.h"
#include "names.h"
#include "output.h"
#include "parse.h"

static int cmp_svc(const void *pa, const void *pb)
{
	const struct pccvs_svc *a = &((const struct adm_svc *)pa)->s;
	const struct pccvs_svc *b = &((const struct adm_svc *)pb)->s;
	int r;

	if ((r = adm_cmp_u64(a->fwmark, b->fwmark)) || (r = adm_cmp_u64(a->af, b->af)) ||
	    (r = adm_cmp_u64(a->protocol, b->protocol)))
		return r;
	if ((r = memcmp(a->addr.b, b->addr.b, sizeof(a->addr.b))))
		return r;
	return adm_cmp_u64(a->port, b->port);
}

static int cmp_dest(const void *pa, const void *pb)
{
	const struct pccvs_dest *a = pa, *b = pb;
	int r = memcmp(a->addr.b, b->addr.b, sizeof(a->addr.b));

	return r ? r : adm_cmp_u64(a->port, b->port);
}

void adm_model_sort(struct adm_model *m)
{
	size_t i;

	if (m->n)
		qsort(m->svcs, m->n, sizeof(m->svcs[0]), cmp_svc);
	for (i = 0; i < m->n; i++)
		if (m->svcs[i].ndests)
			qsort(m->svcs[i].dests, m->svcs[i].ndests,
			      sizeof(m->svcs[i].dests[0]), cmp_dest);
}

/* ipvsadm's rounding: 9 columns, K/M/G/T past 100 million. */
static void num(FILE *f, uint64_t v, bool exact)
{
	unsigned long long u = v;
	char t[24];
	int n;

	if (exact) {
		n = snprintf(t, sizeof(t), "%llu", u);
		fprintf(f, " %*s", n < 8 ? 8 : n, t);
	} else if (u < 100000000ULL) {
		fprintf(f, "%9llu", u);
	} else if (u < 1000000000ULL) {
		fprintf(f, "%8lluK", u / 1000);
	} else if (u < 100000000000ULL) {
		fprintf(f, "%8lluM", u / 1000000);
	} else if (u < 100000000000000ULL) {
		fprintf(f, "%8lluG", u / 1000000000ULL);
	} else {
		fprintf(f, "%8lluT", u / 1000000000000ULL);
	}
}

static void title(FILE *f, enum adm_cols cols)
{
	static const char *const rd = "  -> RemoteAddress:Port";
	static const char *const pl = "Prot LocalAddress:Port";

	switch (cols) {
	case ADM_COLS_STATS:
		fprintf(f, "%-33s %8s %8s %8s %8s %8s\n%s\n", pl, "Conns", "InPkts",
			"OutPkts", "InBytes", "OutBytes", rd);
		break;
	case ADM_COLS_RATE:
		fprintf(f, "%-33s %8s %8s %8s %8s %8s\n%s\n", pl, "CPS", "InPPS",
			"OutPPS", "InBPS", "OutBPS", rd);
		break;
	case ADM_COLS_THRESH:
		fprintf(f, "%-33s %-10s %-10s %-10s %-10s\n%s\n", pl, "Uthreshold",
			"Lthreshold", "ActiveConn", "InActConn", rd);
		break;
	case ADM_COLS_PERSIST:
		fprintf(f, "%-33s %-9s %-11s %-10s %-10s\n%s\n", pl, "Weight",
			"PersistConn", "ActiveConn", "InActConn", rd);
		break;
	default:
		fprintf(f, "%s Scheduler Flags\n%-33s Forward Weight ActiveConn InActConn\n",
			pl, rd);
	}
}

static const char *svc_name(const struct pccvs_svc *s, bool numeric, char *buf,
			    size_t len)
{
	char ap[ADM_NAME_STRLEN];

	if (s->fwmark)
		snprintf(buf, len, "FWM  %u%s", s->fwmark,
			 s->af == AF_INET6 ? " IPv6" : "");
	else
		snprintf(buf, len, "%-4s %s", adm_proto_name(s->protocol),
			 adm_addrport_name(&s->addr, s->port, s->protocol, numeric,
					   ap, sizeof(ap)));
	return buf;
}

/* " (sh-port) persistent 300 mask 255.255.255.0 pgroup web" */
static void svc_flags(FILE *f, const struct pccvs_svc *s)
{
	char fl[64];

	if (s->flags & (PCCVS_SVC_F_SCHED1 | PCCVS_SVC_F_SCHED2 | PCCVS_SVC_F_SCHED3))
		fprintf(f, " (%s)", adm_sched_flags_str(s->sched, s->flags, fl, sizeof(fl)));
	if (!(s->flags & PCCVS_SVC_F_PERSISTENT))
		return;
	fprintf(f, " persistent %u", s->timeout);
	if (s->netmask != adm_full_mask(s->af) && s->af == AF_INET) {
		struct in_addr m = { htonl(s->netmask ? ~0U << (32 - s->netmask) : 0) };
		char mb[INET_ADDRSTRLEN];

		fprintf(f, " mask %s", inet_ntop(AF_INET, &m, mb, sizeof(mb)));
	} else if (s->netmask != adm_full_mask(s->af)) {
		fprintf(f, " mask %u", s->netmask);
	}
	if (s->pgroup[0])
		fprintf(f, " pgroup %s", s->pgroup);
}

static void svc_line(FILE *f, const struct pccvs_svc *s, const struct adm_fmt *fmt)
{
	const struct pccvs_stats *st = &s->stats;
	char name[ADM_NAME_STRLEN + 16];

	svc_name(s, fmt->numeric, name, sizeof(name));
	if (fmt->cols == ADM_COLS_STATS || fmt->cols == ADM_COLS_RATE) {
		bool r = fmt->cols == ADM_COLS_RATE;

		fprintf(f, "%-33s", name);
		num(f, r ? st->cps : st->conns, fmt->exact);
		num(f, r ? st->inpps : st->inpkts, fmt->exact);
		num(f, r ? st->outpps : st->outpkts, fmt->exact);
		num(f, r ? st->inbps : st->inbytes, fmt->exact);
		num(f, r ? st->outbps : st->outbytes, fmt->exact);
	} else {
		fprintf(f, "%s %s", name, s->sched);
		svc_flags(f, s);
	}
	fputc('\n', f);
}

static void dest_line(FILE *f, const struct pccvs_svc *s,
		      const struct pccvs_dest *d, const struct adm_fmt *fmt)
{
	const struct pccvs_stats *st = &d->stats;
	char n[ADM_NAME_STRLEN];

	adm_addrport_name(&d->addr, d->port, s->protocol, fmt->numeric, n, sizeof(n));
	switch (fmt->cols) {
	case ADM_COLS_STATS:
		fprintf(f, "  -> %-28s", n);
		num(f, st->conns, fmt->exact);
		num(f, st->inpkts, fmt->exact);
		num(f, st->outpkts, fmt->exact);
		num(f, st->inbytes, fmt->exact);
		num(f, st->outbytes, fmt->exact);
		fputc('\n', f);
		break;
	case ADM_COLS_RATE:
		fprintf(f, "  -> %-28s %8u %8u %8u", n, st->cps, st->inpps, st->outpps);
		num(f, st->inbps, fmt->exact);
		num(f, st->outbps, fmt->exact);
		fputc('\n', f);
		break;
	case ADM_COLS_THRESH:
		fprintf(f, "  -> %-28s %-10u %-10u %-10u %-10u\n", n, d->u_thresh,
			d->l_thresh, d->active, d->inactive);
		break;
	case ADM_COLS_PERSIST:
		fprintf(f, "  -> %-28s %-9u %-11u %-10u %-10u\n", n, d->weight,
			d->persist, d->active, d->inactive);
		break;
	default:
		fprintf(f, "  -> %-28s %-7s %-6u %-10u %-10u\n", n, pccvs_fwd_name(d->fwd),
			d->weight, d->active, d->inactive);
	}
}

static void json_stats(struct adm_json *j, const struct pccvs_stats *s)
{
	adm_json_obj(j, "stats");
	adm_json_u64(j, "conns", s->conns);
	adm_json_u64(j, "inpkts", s->inpkts);
	adm_json_u64(j, "outpkts", s->outpkts);
	adm_json_u64(j, "inbytes", s->inbytes);
	adm_json_u64(j, "outbytes", s->outbytes);
	adm_json_u64(j, "cps", s->cps);
	adm_json_u64(j, "inpps", s->inpps);
	adm_json_u64(j, "outpps", s->outpps);
	adm_json_u64(j, "inbps", s->inbps);
	adm_json_u64(j, "outbps", s->outbps);
	adm_json_close(j);
}

static void json_dest(struct adm_json *j, const struct pccvs_dest *d)
{
	char a[ADM_ADDR_STRLEN];

	adm_json_obj(j, NULL);
	adm_json_str(j, "address", pccvs_addr_str(&d->addr, a, sizeof(a)));
	adm_json_u64(j, "port", d->port);
	adm_json_str(j, "forward", adm_fwd_key(d->fwd));
	adm_json_u64(j, "weight", d->weight);
	adm_json_u64(j, "u_threshold", d->u_thresh);
	adm_json_u64(j, "l_threshold", d->l_thresh);
	adm_json_u64(j, "active_conns", d->active);
	adm_json_u64(j, "inactive_conns", d->inactive);
	adm_json_u64(j, "persistent_conns", d->persist);
	json_stats(j, &d->stats);
	adm_json_close(j);
}

static void json_sched_flags(struct adm_json *j, const struct pccvs_svc *s)
{
	char fl[64], *w, *save = NULL;

	adm_sched_flags_str(s->sched, s->flags, fl, sizeof(fl));
	adm_json_arr(j, "sched_flags");
	for (w = strtok_r(fl, ",", &save); w; w = strtok_r(NULL, ",", &save))
		adm_json_str(j, NULL, w);
	adm_json_close(j);
}

static void json_svc(struct adm_json *j, const struct adm_svc *sv)
{
	const struct pccvs_svc *s = &sv->s;
	char a[ADM_ADDR_STRLEN];
	size_t k;

	adm_json_obj(j, NULL);
	adm_json_str(j, "af", s->af == AF_INET6 ? "inet6" : "inet");
	adm_json_str(j, "protocol", s->fwmark ? "" : adm_proto_name(s->protocol));
	adm_json_str(j, "address", s->fwmark ? "" : pccvs_addr_str(&s->addr, a, sizeof(a)));
	adm_json_u64(j, "port", s->port);
	adm_json_u64(j, "fwmark", s->fwmark);
	adm_json_str(j, "scheduler", s->sched);
	json_sched_flags(j, s);
	adm_json_bool(j, "persistent", s->flags & PCCVS_SVC_F_PERSISTENT);
	adm_json_u64(j, "timeout", s->flags & PCCVS_SVC_F_PERSISTENT ? s->timeout : 0);
	adm_json_u64(j, "netmask", s->netmask);
	adm_json_str(j, "pgroup", s->pgroup);
	adm_json_u64(j, "templates", s->tpl_count);
	json_stats(j, &s->stats);
	adm_json_arr(j, "dests");
	for (k = 0; k < sv->ndests; k++)
		json_dest(j, &sv->dests[k]);
	adm_json_close(j);
	adm_json_close(j);
}

void adm_print_services(FILE *f, const struct adm_model *m,
			const struct pccvs_info *info, const struct adm_fmt *fmt)
{
	struct adm_json j;
	size_t i, k;

	if (fmt->json) {
		adm_json_begin(&j, f);
		adm_json_str(&j, "version", info->version);
		adm_json_u64(&j, "conn_buckets", info->conn_buckets);
		adm_json_arr(&j, "services");
		for (i = 0; i < m->n; i++)
			json_svc(&j, &m->svcs[i]);
		adm_json_end(&j);
		return;
	}
	fprintf(f, "IP Virtual Server version %s (size=%u)\n", info->version,
		info->conn_buckets);
	title(f, fmt->cols);
	for (i = 0; i < m->n; i++) {
		svc_line(f, &m->svcs[i].s, fmt);
		for (k = 0; k < m->svcs[i].ndests; k++)
			dest_line(f, &m->svcs[i].s, &m->svcs[i].dests[k], fmt);
	}
}
