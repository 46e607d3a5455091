// SPDX-License-Identifier: GPL-2.0
/* model.c: the configuration model and adm_model_apply(). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "model.h"

void adm_model_init(struct adm_model *m)
{
	memset(m, 0, sizeof(*m));
}

void adm_model_free(struct adm_model *m)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		free(m->svcs[i].dests);
	free(m->svcs);
	adm_model_init(m);
}

int adm_model_copy(struct adm_model *dst, const struct adm_model *src)
{
	size_t i;

	adm_model_free(dst);
	for (i = 0; i < src->n; i++) {
		const struct adm_svc *s = &src->svcs[i];
		size_t k;

		if (adm_model_add_svc(dst, &s->s))
			goto nomem;
		for (k = 0; k < s->ndests; k++)
			if (adm_svc_add_dest(&dst->svcs[dst->n - 1], &s->dests[k]))
				goto nomem;
	}
	return 0;
nomem:
	adm_model_free(dst);
	return -ENOMEM;
}

int adm_model_add_svc(struct adm_model *m, const struct pccvs_svc *s)
{
	if (m->n == m->cap) {
		size_t cap = m->cap ? 2 * m->cap : 8;
		struct adm_svc *v = realloc(m->svcs, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		m->svcs = v;
		m->cap = cap;
	}
	memset(&m->svcs[m->n], 0, sizeof(m->svcs[0]));
	m->svcs[m->n++].s = *s;
	return 0;
}

int adm_svc_add_dest(struct adm_svc *s, const struct pccvs_dest *d)
{
	if (s->ndests == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 4;
		struct pccvs_dest *v = realloc(s->dests, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		s->dests = v;
		s->cap = cap;
	}
	s->dests[s->ndests++] = *d;
	return 0;
}

struct adm_svc *adm_model_find(const struct adm_model *m,
			       const struct pccvs_svc *key)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		if (adm_svc_same(&m->svcs[i].s, key))
			return &m->svcs[i];
	return NULL;
}

struct pccvs_dest *adm_svc_find_dest(const struct adm_svc *s,
				     const struct pccvs_addr *addr,
				     uint16_t port)
{
	size_t i;

	for (i = 0; i < s->ndests; i++)
		if (s->dests[i].port == port && pccvs_addr_eq(&s->dests[i].addr, addr))
			return &s->dests[i];
	return NULL;
}

bool adm_svc_has_addr(const struct adm_svc *s, const struct pccvs_addr *addr)
{
	size_t i;

	for (i = 0; i < s->ndests; i++)
		if (pccvs_addr_eq(&s->dests[i].addr, addr))
			return true;
	return false;
}

bool adm_same_group(const struct pccvs_svc *a, const struct pccvs_svc *b)
{
	return a->pgroup[0] && !a->fwmark && !b->fwmark &&
	       !strcmp(a->pgroup, b->pgroup) && pccvs_addr_eq(&a->addr, &b->addr);
}

void adm_svc_effective(const struct pccvs_svc *old, const struct adm_edit *e,
		       struct pccvs_svc *out)
{
	const struct pccvs_svc *n = &e->svc;

	if (old) {
		*out = *old;
	} else {
		memset(out, 0, sizeof(*out));
		strcpy(out->sched, "wlc");
		out->netmask = adm_full_mask(n->af);
	}
	out->af = n->af;
	out->protocol = n->protocol;
	out->port = n->port;
	out->fwmark = n->fwmark;
	out->addr = n->addr;
	if (e->svc_mask & PCCVS_SVC_SET_SCHED)
		memcpy(out->sched, n->sched, sizeof(out->sched));
	out->flags = (out->flags & ~e->svc_flag_bits) | (n->flags & e->svc_flag_bits);
	if (e->svc_mask & PCCVS_SVC_SET_TIMEOUT)
		out->timeout = n->timeout;
	if ((out->flags & PCCVS_SVC_F_PERSISTENT) && !out->timeout)
		out->timeout = PCCVS_PERSIST_TIMEOUT_DEFAULT;
	if (e->svc_mask & PCCVS_SVC_SET_NETMASK)
		out->netmask = n->netmask;
	if (e->svc_mask & PCCVS_SVC_SET_PGROUP)
		memcpy(out->pgroup, n->pgroup, sizeof(out->pgroup));
}

void adm_dest_effective(const struct pccvs_dest *old, const struct adm_edit *e,
			struct pccvs_dest *out)
{
	const struct pccvs_dest *n = &e->dest;

	if (old) {
		*out = *old;
	} else {
		memset(out, 0, sizeof(*out));
		out->fwd = PCCVS_FWD_DR;
		out->weight = 1;
	}
	out->addr = n->addr;
	out->port = n->port;
	if (e->dest_mask & PCCVS_DEST_SET_FWD)
		out->fwd = n->fwd;
	if (e->dest_mask & PCCVS_DEST_SET_WEIGHT)
		out->weight = n->weight;
	if (e->dest_mask & PCCVS_DEST_SET_UTHRESH)
		out->u_thresh = n->u_thresh;
	if (e->dest_mask & PCCVS_DEST_SET_LTHRESH)
		out->l_thresh = n->l_thresh;
}

static void del_svc(struct adm_model *m, struct adm_svc *s)
{
	size_t i = (size_t)(s - m->svcs);

	free(s->dests);
	memmove(s, s + 1, (m->n - i - 1) * sizeof(*s));
	m->n--;
}

static void del_dest(struct adm_svc *s, struct pccvs_dest *d)
{
	size_t i = (size_t)(d - s->dests);

	memmove(d, d + 1, (s->ndests - i - 1) * sizeof(*d));
	s->ndests--;
}

static void zero(struct adm_svc *s)
{
	size_t i;

	memset(&s->s.stats, 0, sizeof(s->s.stats));
	for (i = 0; i < s->ndests; i++)
		memset(&s->dests[i].stats, 0, sizeof(s->dests[i].stats));
}

static int apply_dest(struct adm_svc *s, const struct adm_edit *e)
{
	struct pccvs_dest *d = adm_svc_find_dest(s, &e->dest.addr, e->dest.port);
	struct pccvs_dest eff;

	switch (e->op) {
	case ADM_DEST_ADD:
		adm_dest_effective(NULL, e, &eff);
		s->s.dest_count++;
		return adm_svc_add_dest(s, &eff);
	case ADM_DEST_EDIT:
		if (d)
			adm_dest_effective(d, e, d);
		return 0;
	case ADM_DEST_DEL:
		if (d) {
			del_dest(s, d);
			s->s.dest_count--;
		}
		return 0;
	}
	return 0;
}

int adm_model_apply(struct adm_model *m, const struct adm_edit *e)
{
	struct adm_svc *s = adm_edit_has_svc(e) ? adm_model_find(m, &e->svc) : NULL;
	struct pccvs_svc eff;
	size_t i;

	switch (e->op) {
	case ADM_SVC_ADD:
		adm_svc_effective(NULL, e, &eff);
		return adm_model_add_svc(m, &eff);
	case ADM_SVC_EDIT:
		if (s)
			adm_svc_effective(&s->s, e, &s->s);
		return 0;
	case ADM_SVC_DEL:
		if (s)
			del_svc(m, s);
		return 0;
	case ADM_CLEAR:
		adm_model_free(m);
		return 0;
	case ADM_ZERO:
		for (i = 0; i < m->n; i++)
			if (!(e->flags & ADM_EF_SVC) || &m->svcs[i] == s)
				zero(&m->svcs[i]);
		return 0;
	}
	return s ? apply_dest(s, e) : 0;
}
