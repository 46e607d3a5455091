// SPDX-License-Identifier: GPL-2.0
/*
 * plan.c: adm_plan(), from the edits a user wrote to the concrete edits a
 * backend applies. Each edit is validated on the model the previous ones
 * left (so a -R file is checked as a whole before anything is applied),
 * --all-ports is expanded over the port group, and the port group rules
 * are checked once, on the result.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "model.h"

struct planner {
	struct adm_model scratch;
	struct adm_edits *out;
	struct pccvs_err *err;
};

/* Make e concrete: every field the kernel needs, counters cleared. */
static void normalize(const struct adm_model *m, struct adm_edit *e)
{
	const struct adm_svc *s = adm_model_find(m, &e->svc);
	const struct pccvs_dest *d = s ? adm_svc_find_dest(s, &e->dest.addr, e->dest.port) : NULL;
	struct pccvs_svc svc;
	struct pccvs_dest dest;

	e->flags &= (uint16_t)~ADM_EF_ALL_PORTS;
	if (e->op == ADM_SVC_ADD || e->op == ADM_SVC_EDIT) {
		adm_svc_effective(s ? &s->s : NULL, e, &svc);
		if (e->op == ADM_SVC_ADD)
			e->svc_mask = PCCVS_SVC_SET_ALL;
		else if (svc.timeout != s->s.timeout)
			e->svc_mask |= PCCVS_SVC_SET_TIMEOUT;
		e->svc = svc;
		e->svc_flag_bits = PCCVS_SVC_F_ALL;
		memset(&e->svc.stats, 0, sizeof(e->svc.stats));
		e->svc.tpl_count = e->svc.dest_count = 0;
	}
	if (e->op == ADM_DEST_ADD || e->op == ADM_DEST_EDIT) {
		adm_dest_effective(e->op == ADM_DEST_EDIT ? d : NULL, e, &dest);
		e->dest = dest;
		if (e->op == ADM_DEST_ADD)
			e->dest_mask = PCCVS_DEST_SET_ALL;
		e->dest.active = e->dest.inactive = e->dest.persist = 0;
		memset(&e->dest.stats, 0, sizeof(e->dest.stats));
	}
}

static int step(struct planner *p, struct adm_edit *e)
{
	int ret = adm_model_validate(&p->scratch, e, p->err);

	if (ret)
		return ret;
	normalize(&p->scratch, e);
	ret = adm_model_apply(&p->scratch, e);
	if (!ret)
		ret = adm_edits_push(p->out, e);
	return ret == -ENOMEM ? adm_err(p->err, ret, "out of memory") : ret;
}

static struct adm_edit for_member(const struct adm_edit *e,
				  const struct adm_svc *s)
{
	struct adm_edit c = *e;

	c.svc.af = s->s.af;
	c.svc.protocol = s->s.protocol;
	c.svc.port = s->s.port;
	c.svc.fwmark = s->s.fwmark;
	c.svc.addr = s->s.addr;
	return c;
}

/* The concrete edits of an --all-ports edit, for each member of the group. */
static int expand_members(const struct adm_model *m, const struct adm_edit *e,
			  const struct adm_svc *named, struct adm_edits *l)
{
	size_t i, k;
	int ret = 0;

	for (i = 0; i < m->n && !ret; i++) {
		const struct adm_svc *s = &m->svcs[i];
		struct adm_edit c = for_member(e, s);

		if (!adm_same_group(&s->s, &named->s))
			continue;
		if (e->op == ADM_SVC_EDIT) {
			ret = adm_edits_push(l, &c);
		} else if (e->op == ADM_DEST_ADD) {
			c.dest.port = s->s.port;
			if (!adm_svc_has_addr(s, &e->dest.addr))
				ret = adm_edits_push(l, &c);
		} else {
			for (k = 0; k < s->ndests && !ret; k++) {
				if (!pccvs_addr_eq(&s->dests[k].addr, &e->dest.addr))
					continue;
				c.dest.port = s->dests[k].port;
				ret = adm_edits_push(l, &c);
			}
		}
	}
	return ret;
}

static int check_all_ports(const struct planner *p, const struct adm_edit *e,
			   const struct adm_svc *s)
{
	char sn[ADM_SVC_STRLEN];

	adm_svc_str(&e->svc, sn, sizeof(sn));
	if (!s)
		return adm_err(p->err, -ENOENT, "no service %s", sn);
	if (!s->s.pgroup[0])
		return adm_err(p->err, -EINVAL,
			       "--all-ports needs a service in a port group; %s is in none", sn);
	if (e->op == ADM_DEST_ADD && e->dest.port != s->s.port)
		return adm_err(p->err, -EINVAL,
			       "--all-ports adds the real server on each service's own port: give -r without a port");
	if (e->op == ADM_DEST_ADD)
		return 0;
	/* the named service must hold what is edited or deleted */
	return adm_model_validate(&p->scratch, e, p->err);
}

/* -A --all-ports: the new service gets the real servers of its group (the
 * settings of the first member holding each address, on its own port). */
static int add_with_group(struct planner *p, struct adm_edit *e)
{
	struct adm_edits l;
	size_t i, k;
	int ret = 0;

	if (!(e->svc_mask & PCCVS_SVC_SET_PGROUP) || !e->svc.pgroup[0])
		return adm_err(p->err, -EINVAL, "-A --all-ports needs --pgroup: it copies the real servers of the group");
	adm_edits_init(&l);
	for (i = 0; i < p->scratch.n && !ret; i++) {
		const struct adm_svc *s = &p->scratch.svcs[i];

		if (!adm_same_group(&s->s, &e->svc))
			continue;
		for (k = 0; k < s->ndests && !ret; k++) {
			struct adm_edit c = { .op = ADM_DEST_ADD, .line = e->line,
					      .svc = e->svc, .dest = s->dests[k],
					      .dest_mask = PCCVS_DEST_SET_ALL };
			size_t j;

			c.dest.port = e->svc.port;
			for (j = 0; j < l.n && !pccvs_addr_eq(&l.v[j].dest.addr, &c.dest.addr); j++)
				;
			if (j == l.n)
				ret = adm_edits_push(&l, &c);
		}
	}
	if (ret)
		ret = adm_err(p->err, -ENOMEM, "out of memory");
	else
		ret = step(p, e);
	for (i = 0; i < l.n && !ret; i++)
		ret = step(p, &l.v[i]);
	adm_edits_free(&l);
	return ret;
}

static int all_ports(struct planner *p, const struct adm_edit *e)
{
	const struct adm_svc *s = adm_model_find(&p->scratch, &e->svc);
	struct adm_edits l;
	char an[ADM_ADDR_STRLEN];
	size_t i;
	int ret = check_all_ports(p, e, s);

	if (ret)
		return ret;
	adm_edits_init(&l);
	if (expand_members(&p->scratch, e, s, &l)) {
		adm_edits_free(&l);
		return adm_err(p->err, -ENOMEM, "out of memory");
	}
	if (!l.n)
		ret = adm_err(p->err, -EEXIST,
			      "real server %s is already in every service of port group `%s'",
			      pccvs_addr_str(&e->dest.addr, an, sizeof(an)), s->s.pgroup);
	for (i = 0; i < l.n && !ret; i++)
		ret = step(p, &l.v[i]);
	adm_edits_free(&l);
	return ret;
}

int adm_plan(const struct adm_model *m, const struct adm_edit *in, size_t n,
	     struct adm_edits *out, struct adm_model *final,
	     struct pccvs_err *err)
{
	struct planner p = { .out = out, .err = err };
	size_t i, start = out->n;
	int ret;

	adm_model_init(&p.scratch);
	ret = adm_model_copy(&p.scratch, m) ? adm_err(err, -ENOMEM, "out of memory") : 0;
	for (i = 0; i < n && !ret; i++) {
		struct adm_edit e = in[i];

		if ((e.flags & ADM_EF_ALL_PORTS) && e.op == ADM_SVC_ADD)
			ret = add_with_group(&p, &e);
		else if (e.flags & ADM_EF_ALL_PORTS)
			ret = all_ports(&p, &e);
		else
			ret = step(&p, &e);
		if (ret)
			adm_err_line(err, in[i].line);
	}
	if (!ret)
		ret = adm_pgroup_check(m, &p.scratch, err);
	if (!ret && final)
		ret = adm_model_copy(final, &p.scratch) ?
		      adm_err(err, -ENOMEM, "out of memory") : 0;
	if (ret)
		out->n = start;
	adm_model_free(&p.scratch);
	return ret;
}
