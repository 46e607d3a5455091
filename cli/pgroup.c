// SPDX-License-Identifier: GPL-2.0
/*
 * pgroup.c: port group rules. The services of one group (same VIP, same
 * group name) share one template domain: a client pinned to a real server
 * on one port must find that server on every port of the group, and the
 * templates have one timeout and one netmask. So members must have the
 * same real server addresses and the same persistence parameters. A change
 * is refused only for what it breaks: what was already broken (or a member
 * still being filled) does not block unrelated work.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "model.h"

/* s as a member of the group of g in model m, or NULL. */
static const struct adm_svc *member(const struct adm_model *m,
				    const struct pccvs_svc *s,
				    const struct pccvs_svc *g)
{
	const struct adm_svc *x = adm_model_find(m, s);

	return x && adm_same_group(&x->s, g) ? x : NULL;
}

static bool group_has_addr(const struct adm_model *m, const struct pccvs_svc *g,
			   const struct pccvs_addr *a)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		if (adm_same_group(&m->svcs[i].s, g) && adm_svc_has_addr(&m->svcs[i], a))
			return true;
	return false;
}

/* In m, is j a member of g's group lacking a, which another member has? */
static bool lacks(const struct adm_model *m, const struct pccvs_svc *j,
		  const struct pccvs_svc *g, const struct pccvs_addr *a)
{
	const struct adm_svc *x = member(m, j, g);

	return x && !adm_svc_has_addr(x, a) && group_has_addr(m, g, a);
}

static bool group_exists(const struct adm_model *m, const struct pccvs_svc *g)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		if (adm_same_group(&m->svcs[i].s, g))
			return true;
	return false;
}

static int missing_msg(const struct adm_model *before, const struct adm_svc *i,
		       const struct adm_svc *j, const struct pccvs_addr *a,
		       struct pccvs_err *err)
{
	const struct adm_svc *bi = member(before, &i->s, &i->s);
	const struct adm_svc *bj = member(before, &j->s, &i->s);
	char an[ADM_ADDR_STRLEN], in[ADM_SVC_STRLEN], jn[ADM_SVC_STRLEN];
	const char *g = i->s.pgroup;
	bool existed = group_exists(before, &i->s);	/* else nobody "joins" */

	pccvs_addr_str(a, an, sizeof(an));
	adm_svc_str(&i->s, in, sizeof(in));
	adm_svc_str(&j->s, jn, sizeof(jn));
	if (existed && !bj)
		return adm_err(err, -EINVAL,
			       "%s would join port group `%s' without real server %s (in %s); give it the group's real servers first",
			       jn, g, an, in);
	if (existed && !bi)
		return adm_err(err, -EINVAL,
			       "%s would join port group `%s' with real server %s, which %s lacks; make their real servers the same first",
			       in, g, an, jn);
	if (bj && adm_svc_has_addr(bj, a))
		return adm_err(err, -EINVAL,
			       "real server %s is still in %s (port group `%s'); delete it there first or use --all-ports",
			       an, in, g);
	return adm_err(err, -EINVAL,
		       "real server %s is missing from %s (port group `%s'); add it there first or use --all-ports",
		       an, jn, g);
}

static bool params_differ(const struct pccvs_svc *a, const struct pccvs_svc *b)
{
	return a->timeout != b->timeout || a->netmask != b->netmask;
}

static int params_msg(const struct adm_svc *i, const struct adm_svc *j,
		      struct pccvs_err *err)
{
	char in[ADM_SVC_STRLEN], jn[ADM_SVC_STRLEN];

	return adm_err(err, -EINVAL,
		       "%s (persistent %u, mask /%u) and %s (persistent %u, mask /%u) are in port group `%s': a group needs one timeout and netmask (change them all with -E ... --all-ports)",
		       adm_svc_str(&i->s, in, sizeof(in)), i->s.timeout, i->s.netmask,
		       adm_svc_str(&j->s, jn, sizeof(jn)), j->s.timeout, j->s.netmask,
		       i->s.pgroup);
}

/*
 * A new service may join its group empty and receive the group's real
 * servers one by one (the order of ipvsadm -S, and of an operator typing).
 * One that becomes empty by deletions is still checked.
 */
static bool being_filled(const struct adm_model *before, const struct adm_svc *j)
{
	const struct adm_svc *bj = adm_model_find(before, &j->s);

	return !j->ndests && (!bj || !bj->ndests);
}

/* The first new violation between members i and j of one group. */
static int check_pair(const struct adm_model *before, const struct adm_svc *i,
		      const struct adm_svc *j, struct pccvs_err *err)
{
	const struct adm_svc *bi, *bj;
	size_t k;

	for (k = 0; k < i->ndests && !being_filled(before, j); k++) {
		const struct pccvs_addr *a = &i->dests[k].addr;

		if (!adm_svc_has_addr(j, a) && !lacks(before, &j->s, &i->s, a))
			return missing_msg(before, i, j, a, err);
	}
	if (!params_differ(&i->s, &j->s))
		return 0;
	bi = member(before, &i->s, &i->s);
	bj = member(before, &j->s, &i->s);
	if (bi && bj && params_differ(&bi->s, &bj->s))
		return 0;
	return params_msg(i, j, err);
}

int adm_pgroup_check(const struct adm_model *before,
		     const struct adm_model *after, struct pccvs_err *err)
{
	size_t i, j;

	for (i = 0; i < after->n; i++) {
		if (!after->svcs[i].s.pgroup[0] || after->svcs[i].s.fwmark)
			continue;
		for (j = 0; j < after->n; j++) {
			if (j == i || !adm_same_group(&after->svcs[j].s, &after->svcs[i].s))
				continue;
			if (check_pair(before, &after->svcs[i], &after->svcs[j], err))
				return -EINVAL;
		}
	}
	return 0;
}
