// SPDX-License-Identifier: GPL-2.0
/*
 * save.c: -S, the configuration as -R input: ipvsadm's lines, plus
 * --pgroup on services and -x/-y on real servers when set.
 */
#include <arpa/inet.h>
#include "names.h"
#include "output.h"
#include "parse.h"

static const char *svc_opt(const struct pccvs_svc *s, bool numeric, char *buf,
			   size_t len)
{
	char ap[ADM_NAME_STRLEN];

	if (s->fwmark || numeric)
		return adm_svc_opt(s, buf, len);
	snprintf(buf, len, "%s %s", adm_proto_opt(s->protocol),
		 adm_addrport_name(&s->addr, s->port, s->protocol, false, ap, sizeof(ap)));
	return buf;
}

static void save_netmask(FILE *f, const struct pccvs_svc *s)
{
	struct in_addr m;
	char mb[INET_ADDRSTRLEN];

	if (s->netmask == adm_full_mask(s->af))
		return;
	if (s->af == AF_INET6) {
		fprintf(f, " -M %u", s->netmask);
		return;
	}
	m.s_addr = htonl(s->netmask ? ~0U << (32 - s->netmask) : 0);
	fprintf(f, " -M %s", inet_ntop(AF_INET, &m, mb, sizeof(mb)));
}

static void save_svc(FILE *f, const struct pccvs_svc *s, const char *opt)
{
	char fl[64];

	fprintf(f, "-A %s -s %s", opt, s->sched);
	if (s->flags & PCCVS_SVC_F_PERSISTENT) {
		fprintf(f, " -p %u", s->timeout);
		save_netmask(f, s);
	}
	if (s->flags & (PCCVS_SVC_F_SCHED1 | PCCVS_SVC_F_SCHED2 | PCCVS_SVC_F_SCHED3))
		fprintf(f, " -b %s", adm_sched_flags_str(s->sched, s->flags, fl, sizeof(fl)));
	if (s->pgroup[0])
		fprintf(f, " --pgroup %s", s->pgroup);
	fputc('\n', f);
}

static void save_dest(FILE *f, const struct pccvs_svc *s,
		      const struct pccvs_dest *d, const char *opt, bool numeric)
{
	char n[ADM_NAME_STRLEN];

	fprintf(f, "-a %s -r %s %s -w %u", opt,
		adm_addrport_name(&d->addr, d->port, s->protocol, numeric, n, sizeof(n)),
		adm_fwd_opt(d->fwd), d->weight);
	if (d->u_thresh)
		fprintf(f, " -x %u", d->u_thresh);
	if (d->l_thresh)
		fprintf(f, " -y %u", d->l_thresh);
	fputc('\n', f);
}

void adm_print_save(FILE *f, const struct adm_model *m, bool numeric)
{
	char opt[ADM_NAME_STRLEN + 16];
	size_t i, k;

	for (i = 0; i < m->n; i++) {
		const struct adm_svc *s = &m->svcs[i];

		svc_opt(&s->s, numeric, opt, sizeof(opt));
		save_svc(f, &s->s, opt);
		for (k = 0; k < s->ndests; k++)
			save_dest(f, &s->s, &s->dests[k], opt, numeric);
	}
}
