// SPDX-License-Identifier: GPL-2.0
/*
 * config.c: the cluster-wide configuration as text and as edits (config.h).
 * The canonical text is -S output in ipvsadm's order, numeric, followed by
 * the timeouts and limits the cluster sets: every director that holds the
 * same configuration prints the same bytes, so one 64-bit hash of the text
 * identifies a configuration (state file, ConfigState, Status).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "config.h"
#include "output.h"
#include "parse.h"

void adm_config_init(struct adm_config *c)
{
	adm_model_init(&c->m);
	memset(&c->cfg, 0, sizeof(c->cfg));
}

void adm_config_free(struct adm_config *c)
{
	adm_model_free(&c->m);
	memset(&c->cfg, 0, sizeof(c->cfg));
}

int adm_config_copy(struct adm_config *dst, const struct adm_config *src)
{
	int rc = adm_model_copy(&dst->m, &src->m);

	if (!rc)
		dst->cfg = src->cfg;
	return rc;
}

uint64_t adm_config_hash(const char *text, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)text[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

int adm_config_text(const struct adm_config *c, char **out, size_t *len)
{
	struct adm_model sorted;
	char *buf = NULL;
	size_t n = 0;
	FILE *f;
	int rc = 0;

	adm_model_init(&sorted);
	if (adm_model_copy(&sorted, &c->m))
		return -ENOMEM;
	adm_model_sort(&sorted);
	f = open_memstream(&buf, &n);
	if (!f) {
		adm_model_free(&sorted);
		return -ENOMEM;
	}
	adm_print_save(f, &sorted, true);
	if (c->cfg.tcp_est || c->cfg.tcp_fin_wait || c->cfg.udp)
		fprintf(f, "--set %u %u %u\n", c->cfg.tcp_est,
			c->cfg.tcp_fin_wait, c->cfg.udp);
	if (c->cfg.conn_max || c->cfg.tpl_max)
		fprintf(f, "--set-limits %u %u\n", c->cfg.conn_max,
			c->cfg.tpl_max);
	if (ferror(f))
		rc = -ENOMEM;
	if (fclose(f) || rc) {
		free(buf);
		rc = -ENOMEM;
	}
	adm_model_free(&sorted);
	if (!rc) {
		*out = buf;
		*len = n;
	}
	return rc;
}

static void merge_cfg(struct pccvs_cfg *c, const struct pccvs_cfg *in)
{
	if (in->tcp_est)
		c->tcp_est = in->tcp_est;
	if (in->tcp_fin_wait)
		c->tcp_fin_wait = in->tcp_fin_wait;
	if (in->udp)
		c->udp = in->udp;
	if (in->conn_max)
		c->conn_max = in->conn_max;
	if (in->tpl_max)
		c->tpl_max = in->tpl_max;
}

int adm_config_edit(struct adm_config *c, const struct adm_edit *v, size_t n,
		    bool dry, struct adm_edits *planned, struct pccvs_err *err)
{
	struct adm_edits p;
	struct adm_model final;
	struct pccvs_cfg cfg = c->cfg;
	char es[ADM_EDIT_STRLEN];
	size_t i;
	int rc;

	for (i = 0; i < n; i++) {
		if (v[i].op == ADM_ZERO) {
			rc = adm_err(err, -EINVAL, "%s resets one director's counters: it is "
				     "not a configuration change (run it with --local on "
				     "each director)", adm_edit_str(&v[i], es, sizeof(es)));
			adm_err_line(err, v[i].line);
			return rc;
		}
		if (v[i].op == ADM_OP_NONE || v[i].op > ADM_SET_CFG) {
			rc = adm_err(err, -EINVAL, "not a configuration change");
			adm_err_line(err, v[i].line);
			return rc;
		}
		if (adm_edit_unresolved(&v[i])) {
			rc = adm_err(err, -EINVAL, "host and port names must be "
				     "resolved before a cluster edit");
			adm_err_line(err, v[i].line);
			return rc;
		}
	}
	adm_edits_init(&p);
	adm_model_init(&final);
	rc = adm_plan(&c->m, v, n, &p, dry ? NULL : &final, err);
	if (!rc) {
		for (i = 0; i < p.n; i++)
			if (p.v[i].op == ADM_SET_CFG)
				merge_cfg(&cfg, &p.v[i].cfg);
		if (planned)
			for (i = 0; i < p.n && !rc; i++)
				if (adm_edits_push(planned, &p.v[i]))
					rc = adm_err(err, -ENOMEM, "out of memory");
	}
	if (!rc && !dry) {
		adm_model_free(&c->m);
		c->m = final;
		c->cfg = cfg;
		adm_model_init(&final);
	}
	adm_model_free(&final);
	adm_edits_free(&p);
	return rc;
}

struct parse_ctx {
	struct pccvs_err *err;
	int bad;
};

static void keep_first(void *arg, const struct pccvs_err *e)
{
	struct parse_ctx *p = arg;

	if (!p->bad++)
		*p->err = *e;
}

int adm_config_parse(const char *text, size_t len, struct adm_config *c,
		     struct pccvs_err *err)
{
	struct parse_ctx p = { .err = err };
	struct adm_edits l;
	struct adm_config n;
	int rc;

	adm_edits_init(&l);
	rc = adm_restore_parse(text, len, &l, keep_first, &p);
	if (rc < 0) {
		adm_edits_free(&l);
		return adm_err(err, -ENOMEM, "out of memory");
	}
	if (p.bad) {
		adm_edits_free(&l);
		return err->code ? err->code : -EINVAL;
	}
	adm_config_init(&n);
	rc = adm_config_edit(&n, l.v, l.n, false, NULL, err);
	adm_edits_free(&l);
	if (rc) {
		adm_config_free(&n);
		return rc;
	}
	adm_config_free(c);
	*c = n;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Reconcile                                                           */

static bool svc_conf_same(const struct pccvs_svc *a, const struct pccvs_svc *b)
{
	bool pa = a->flags & PCCVS_SVC_F_PERSISTENT;

	return !strcmp(a->sched, b->sched) && a->flags == b->flags &&
	       (!pa || (a->timeout == b->timeout && a->netmask == b->netmask)) &&
	       !strcmp(a->pgroup, b->pgroup);
}

static bool dest_conf_same(const struct pccvs_dest *a, const struct pccvs_dest *b)
{
	return a->fwd == b->fwd && a->weight == b->weight &&
	       a->u_thresh == b->u_thresh && a->l_thresh == b->l_thresh;
}

/* old: the module's service for an edit (only what differs is set). */
static int push_svc(struct adm_edits *out, uint8_t op, const struct pccvs_svc *s,
		    const struct pccvs_svc *old)
{
	struct adm_edit e = { .op = op, .svc = *s };
	bool p = s->flags & PCCVS_SVC_F_PERSISTENT;

	memset(&e.svc.stats, 0, sizeof(e.svc.stats));
	e.svc.tpl_count = e.svc.dest_count = 0;
	if (op == ADM_SVC_ADD) {
		e.svc_mask = PCCVS_SVC_SET_ALL;
		e.svc_flag_bits = PCCVS_SVC_F_ALL;
	} else if (op == ADM_SVC_EDIT) {
		e.svc_flag_bits = PCCVS_SVC_F_ALL;
		if (strcmp(s->sched, old->sched))
			e.svc_mask |= PCCVS_SVC_SET_SCHED;
		if (s->flags != old->flags)
			e.svc_mask |= PCCVS_SVC_SET_FLAGS;
		if (p && s->timeout != old->timeout)
			e.svc_mask |= PCCVS_SVC_SET_TIMEOUT;
		if (p && s->netmask != old->netmask)
			e.svc_mask |= PCCVS_SVC_SET_NETMASK;
		if (strcmp(s->pgroup, old->pgroup))
			e.svc_mask |= PCCVS_SVC_SET_PGROUP;
	}
	return adm_edits_push(out, &e);
}

static int push_dest(struct adm_edits *out, uint8_t op, const struct pccvs_svc *s,
		     const struct pccvs_dest *d)
{
	struct adm_edit e = { .op = op, .svc = *s, .dest = *d };

	memset(&e.svc.stats, 0, sizeof(e.svc.stats));
	e.svc.tpl_count = e.svc.dest_count = 0;
	e.dest.active = e.dest.inactive = e.dest.persist = 0;
	memset(&e.dest.stats, 0, sizeof(e.dest.stats));
	if (op != ADM_DEST_DEL)
		e.dest_mask = PCCVS_DEST_SET_ALL;
	return adm_edits_push(out, &e);
}

int adm_config_reconcile(const struct adm_config *have,
			 const struct adm_config *want, struct adm_edits *out)
{
	const struct adm_model *h = &have->m, *w = &want->m;
	struct adm_edit ce = { .op = ADM_SET_CFG };
	size_t i, k;
	int rc = 0;

	/* 1. services that go; real servers that go from services that stay */
	for (i = 0; i < h->n && !rc; i++) {
		const struct adm_svc *hs = &h->svcs[i];
		const struct adm_svc *ws = adm_model_find(w, &hs->s);

		if (!ws) {
			rc = push_svc(out, ADM_SVC_DEL, &hs->s, NULL);
			continue;
		}
		for (k = 0; k < hs->ndests && !rc; k++)
			if (!adm_svc_find_dest(ws, &hs->dests[k].addr, hs->dests[k].port))
				rc = push_dest(out, ADM_DEST_DEL, &hs->s, &hs->dests[k]);
	}
	/* 2. services that change, their real servers that change or come */
	for (i = 0; i < w->n && !rc; i++) {
		const struct adm_svc *ws = &w->svcs[i];
		const struct adm_svc *hs = adm_model_find(h, &ws->s);

		if (!hs)
			continue;
		if (!svc_conf_same(&hs->s, &ws->s))
			rc = push_svc(out, ADM_SVC_EDIT, &ws->s, &hs->s);
		for (k = 0; k < ws->ndests && !rc; k++) {
			const struct pccvs_dest *hd = adm_svc_find_dest(hs,
				&ws->dests[k].addr, ws->dests[k].port);

			if (!hd)
				rc = push_dest(out, ADM_DEST_ADD, &ws->s, &ws->dests[k]);
			else if (!dest_conf_same(hd, &ws->dests[k]))
				rc = push_dest(out, ADM_DEST_EDIT, &ws->s, &ws->dests[k]);
		}
	}
	/* 3. services that come, with their real servers */
	for (i = 0; i < w->n && !rc; i++) {
		const struct adm_svc *ws = &w->svcs[i];

		if (adm_model_find(h, &ws->s))
			continue;
		rc = push_svc(out, ADM_SVC_ADD, &ws->s, NULL);
		for (k = 0; k < ws->ndests && !rc; k++)
			rc = push_dest(out, ADM_DEST_ADD, &ws->s, &ws->dests[k]);
	}
	/* 4. timeouts and limits the configuration sets */
#define CFG_FIELD(f) \
	if (want->cfg.f && want->cfg.f != have->cfg.f) \
		ce.cfg.f = want->cfg.f
	CFG_FIELD(tcp_est);
	CFG_FIELD(tcp_fin_wait);
	CFG_FIELD(udp);
	CFG_FIELD(conn_max);
	CFG_FIELD(tpl_max);
#undef CFG_FIELD
	if (!rc && memcmp(&ce.cfg, &(struct pccvs_cfg){ 0 }, sizeof(ce.cfg)))
		rc = adm_edits_push(out, &ce);
	return rc ? -ENOMEM : 0;
}

void adm_config_mask_cfg(struct adm_config *c, const struct pccvs_cfg *managed)
{
	struct pccvs_cfg o = { 0 };

	if (managed->tcp_est)
		o.tcp_est = c->cfg.tcp_est;
	if (managed->tcp_fin_wait)
		o.tcp_fin_wait = c->cfg.tcp_fin_wait;
	if (managed->udp)
		o.udp = c->cfg.udp;
	if (managed->conn_max)
		o.conn_max = c->cfg.conn_max;
	if (managed->tpl_max)
		o.tpl_max = c->cfg.tpl_max;
	c->cfg = o;
}

/* ------------------------------------------------------------------ */
/* Text diff                                                           */

struct line {
	const char *p;
	size_t n;
};

static int split(const char *t, size_t len, struct line **out, size_t *n)
{
	size_t cap = 64, k = 0, i = 0;
	struct line *v = malloc(cap * sizeof(*v)), *nv;

	if (!v)
		return -ENOMEM;
	while (i < len) {
		const char *nl = memchr(t + i, '\n', len - i);
		size_t e = nl ? (size_t)(nl - t) : len;

		if (e > i && t[i] != '#') {
			if (k == cap) {
				cap *= 2;
				nv = realloc(v, cap * sizeof(*v));
				if (!nv) {
					free(v);
					return -ENOMEM;
				}
				v = nv;
			}
			v[k++] = (struct line){ t + i, e - i };
		}
		i = e + 1;
	}
	*out = v;
	*n = k;
	return 0;
}

static int line_cmp(const void *a, const void *b)
{
	const struct line *x = a, *y = b;
	size_t n = x->n < y->n ? x->n : y->n;
	int c = memcmp(x->p, y->p, n);

	return c ? c : (x->n > y->n) - (x->n < y->n);
}

static bool in_sorted(const struct line *v, size_t n, const struct line *l)
{
	return bsearch(l, v, n, sizeof(*v), line_cmp) != NULL;
}

static int emit(FILE *f, const struct line *v, size_t n, const struct line *o,
		size_t on, char sign)
{
	int d = 0;

	for (size_t i = 0; i < n; i++)
		if (!in_sorted(o, on, &v[i])) {
			fprintf(f, "%c %.*s\n", sign, (int)v[i].n, v[i].p);
			d++;
		}
	return d;
}

int adm_config_text_diff(const char *a, size_t alen, const char *b,
			 size_t blen, char **out, size_t *outlen)
{
	struct line *la = NULL, *lb = NULL, *sa = NULL, *sb = NULL;
	size_t na = 0, nb = 0;
	char *buf = NULL;
	size_t n = 0;
	FILE *f = NULL;
	int d = -ENOMEM;

	*out = NULL;
	*outlen = 0;
	if (split(a, alen, &la, &na) || split(b, blen, &lb, &nb))
		goto done;
	sa = malloc((na ? na : 1) * sizeof(*sa));
	sb = malloc((nb ? nb : 1) * sizeof(*sb));
	if (!sa || !sb)
		goto done;
	memcpy(sa, la, na * sizeof(*sa));
	memcpy(sb, lb, nb * sizeof(*sb));
	qsort(sa, na, sizeof(*sa), line_cmp);
	qsort(sb, nb, sizeof(*sb), line_cmp);
	f = open_memstream(&buf, &n);
	if (!f)
		goto done;
	d = emit(f, la, na, sb, nb, '-') + emit(f, lb, nb, sa, na, '+');
	if (fclose(f)) {
		d = -ENOMEM;
		buf = NULL;
	}
	f = NULL;
	if (d > 0) {
		*out = buf;
		*outlen = n;
		buf = NULL;
	}
done:
	free(buf);
	free(la);
	free(lb);
	free(sa);
	free(sb);
	return d;
}
