// SPDX-License-Identifier: GPL-2.0
/*
 * validate.c: adm_model_validate(), the rules one edit must meet against
 * the configuration it is applied to. Port groups are checked on the
 * result of a whole edit list (pgroup.c).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "model.h"

static int check_sched_flags(const struct pccvs_svc *s, const struct adm_edit *e,
			     struct pccvs_err *err)
{
	static const char *const fam[] = { [ADM_SF_SH] = "sh", [ADM_SF_MH] = "mh" };

	if (e->sched_family != ADM_SF_SH && e->sched_family != ADM_SF_MH)
		return 0;
	if (!strcmp(s->sched, fam[e->sched_family]))
		return 0;
	return adm_err(err, -EINVAL,
		       "%s-* scheduler flags need the %s scheduler, not %s: use -s %s",
		       fam[e->sched_family], fam[e->sched_family], s->sched,
		       fam[e->sched_family]);
}

/* Rules on the service an edit leaves (new or changed). */
static int check_svc(const struct pccvs_svc *s, const struct adm_edit *e,
		     struct pccvs_err *err)
{
	bool persistent = s->flags & PCCVS_SVC_F_PERSISTENT;
	char n[ADM_SVC_STRLEN];

	adm_svc_str(s, n, sizeof(n));
	if (!s->fwmark && !s->port && !persistent)
		return adm_err(err, -EINVAL,
			       "%s: port 0 (every port) needs a persistent service (-p)", n);
	if ((e->svc_mask & PCCVS_SVC_SET_NETMASK) && !persistent &&
	    s->netmask != adm_full_mask(s->af))
		return adm_err(err, -EINVAL,
			       "%s: -M needs a persistent service (-p): the netmask groups clients for persistence", n);
	if (s->pgroup[0] && s->fwmark)
		return adm_err(err, -EINVAL,
			       "%s: a firewall-mark service cannot be in a port group (a group is named by its virtual address)", n);
	if (s->pgroup[0] && !persistent)
		return adm_err(err, -EINVAL,
			       "%s: port group `%s' needs a persistent service (-p); leave the group with --pgroup none",
			       n, s->pgroup);
	return check_sched_flags(s, e, err);
}

/* Rules on the real server an edit leaves. */
static int check_dest(const struct pccvs_svc *s, const struct pccvs_dest *d,
		      struct pccvs_err *err)
{
	char dn[ADM_ADDR_STRLEN + 8];

	adm_addrport_str(&d->addr, d->port, dn, sizeof(dn));
	if (!s->fwmark && d->fwd != PCCVS_FWD_NAT && d->port != s->port)
		return adm_err(err, -EINVAL,
			       "real server %s: port %u differs from the service port %u; direct routing (-g) and tunnelling (-i) keep the port, only -m changes it",
			       dn, d->port, s->port);
	if (d->u_thresh && d->l_thresh > d->u_thresh)
		return adm_err(err, -EINVAL,
			       "real server %s: lower threshold %u is above the upper threshold %u",
			       dn, d->l_thresh, d->u_thresh);
	return 0;
}

static int validate_dest(const struct adm_svc *s, const struct adm_edit *e,
			 struct pccvs_err *err)
{
	const struct pccvs_dest *d = adm_svc_find_dest(s, &e->dest.addr, e->dest.port);
	char dn[ADM_ADDR_STRLEN + 8], sn[ADM_SVC_STRLEN];
	struct pccvs_dest eff;

	adm_addrport_str(&e->dest.addr, e->dest.port, dn, sizeof(dn));
	adm_svc_str(&s->s, sn, sizeof(sn));
	if (e->op == ADM_DEST_ADD && d)
		return adm_err(err, -EEXIST, "real server %s already exists in %s", dn, sn);
	if (e->op != ADM_DEST_ADD && !d)
		return adm_err(err, -ENOENT, "no real server %s in %s", dn, sn);
	if (e->op == ADM_DEST_DEL)
		return 0;
	adm_dest_effective(d, e, &eff);
	return check_dest(&s->s, &eff, err);
}

int adm_model_validate(const struct adm_model *m, const struct adm_edit *e,
		       struct pccvs_err *err)
{
	const struct adm_svc *s;
	struct pccvs_svc eff;
	char sn[ADM_SVC_STRLEN];

	if (adm_edit_unresolved(e))
		return adm_err(err, -EINVAL, "internal error: unresolved name in an edit");
	if (!adm_edit_has_svc(e))
		return 0;
	s = adm_model_find(m, &e->svc);
	adm_svc_str(&e->svc, sn, sizeof(sn));
	if (e->op == ADM_SVC_ADD && s)
		return adm_err(err, -EEXIST, "service %s already exists", sn);
	if (e->op != ADM_SVC_ADD && !s)
		return adm_err(err, -ENOENT, "no service %s", sn);
	switch (e->op) {
	case ADM_SVC_ADD:
	case ADM_SVC_EDIT:
		adm_svc_effective(s ? &s->s : NULL, e, &eff);
		return check_svc(&eff, e, err);
	case ADM_DEST_ADD:
	case ADM_DEST_EDIT:
	case ADM_DEST_DEL:
		return validate_dest(s, e, err);
	}
	return 0;
}
