// SPDX-License-Identifier: GPL-2.0
/*
 * backend_nl.c: the backend facade over libpccvs, for the module of the
 * current network namespace. Dumps that libpccvs restarts (a concurrent
 * change) start their arrays over.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "backend.h"

static int nl_open(void **priv, struct pccvs_err *err)
{
	struct pccvs_nl *nl = NULL;
	int ret = pccvs_nl_open(&nl, err);

	*priv = ret ? NULL : nl;
	return ret;
}

static void nl_close(void *priv)
{
	pccvs_nl_close(priv);
}

/* ------------------------------------------------------------------ */
/* load                                                                */

static int add_svc(const struct pccvs_svc *s, void *arg)
{
	return adm_model_add_svc(arg, s) ? 1 : 0;
}

static void restart_svcs(void *arg)
{
	adm_model_free(arg);
}

static int add_dest(const struct pccvs_dest *d, void *arg)
{
	return adm_svc_add_dest(arg, d) ? 1 : 0;
}

static void restart_dests(void *arg)
{
	((struct adm_svc *)arg)->ndests = 0;
}

static int nl_load(void *priv, struct adm_model *m, struct pccvs_err *err)
{
	size_t i;
	int ret = pccvs_svc_dump(priv, add_svc, m, restart_svcs, err);

	for (i = 0; !ret && i < m->n; i++)
		ret = pccvs_dest_dump(priv, &m->svcs[i].s, add_dest, &m->svcs[i],
				      restart_dests, err);
	if (ret > 0)
		ret = adm_err(err, -ENOMEM, "out of memory");
	return ret;
}

/* ------------------------------------------------------------------ */
/* apply                                                               */

static int apply_one(struct pccvs_nl *nl, const struct adm_edit *e,
		     struct pccvs_err *err)
{
	switch (e->op) {
	case ADM_SVC_ADD:
		return pccvs_svc_new(nl, &e->svc, err);
	case ADM_SVC_EDIT:
		return pccvs_svc_set(nl, &e->svc, e->svc_mask, err);
	case ADM_SVC_DEL:
		return pccvs_svc_del(nl, &e->svc, err);
	case ADM_DEST_ADD:
		return pccvs_dest_new(nl, &e->svc, &e->dest, err);
	case ADM_DEST_EDIT:
		return pccvs_dest_set(nl, &e->svc, &e->dest, e->dest_mask, err);
	case ADM_DEST_DEL:
		return pccvs_dest_del(nl, &e->svc, &e->dest, err);
	case ADM_CLEAR:
		return pccvs_flush(nl, err);
	case ADM_ZERO:
		return pccvs_zero(nl, e->flags & ADM_EF_SVC ? &e->svc : NULL, err);
	case ADM_SET_CFG:
		return pccvs_cfg_set(nl, &e->cfg, err);
	}
	return adm_err(err, -EINVAL, "internal error: edit without an operation");
}

static int nl_apply(void *priv, const struct adm_edit *v, size_t n,
		    size_t *done, struct pccvs_err *err)
{
	size_t i;
	int ret = 0;

	for (i = 0; i < n && !ret; i++)
		ret = apply_one(priv, &v[i], err);
	*done = ret ? i - 1 : n;
	return ret;
}

/* ------------------------------------------------------------------ */
/* info, timeouts, dumps                                               */

static int nl_info(void *priv, struct pccvs_info *out, struct pccvs_err *err)
{
	return pccvs_info_get(priv, out, err);
}

static int nl_cfg_get(void *priv, struct pccvs_cfg *out, struct pccvs_err *err)
{
	return pccvs_cfg_get(priv, out, err);
}

/* A growable array of fixed-size records. */
struct vec {
	void *v;
	size_t n, cap, size;
};

static int vec_push(struct vec *a, const void *x)
{
	if (a->n == a->cap) {
		size_t cap = a->cap ? 2 * a->cap : 64;
		void *v = realloc(a->v, cap * a->size);

		if (!v)
			return 1;
		a->v = v;
		a->cap = cap;
	}
	memcpy((char *)a->v + a->n++ * a->size, x, a->size);
	return 0;
}

static void vec_restart(void *arg)
{
	((struct vec *)arg)->n = 0;
}

static int push_tpl(const struct pccvs_tpl *t, void *arg)
{
	return vec_push(arg, t);
}

static int push_conn(const struct pccvs_conn *c, void *arg)
{
	return vec_push(arg, c);
}

/* Hands over the array on success, frees it on failure. */
static int vec_done(struct vec *a, int ret, void *out, size_t *n,
		    struct pccvs_err *err)
{
	if (ret > 0)
		ret = adm_err(err, -ENOMEM, "out of memory");
	if (ret) {
		free(a->v);
		return ret;
	}
	*(void **)out = a->v;
	*n = a->n;
	return 0;
}

static int nl_templates(void *priv, const struct pccvs_svc *filter,
			struct pccvs_tpl **v, size_t *n, struct pccvs_err *err)
{
	struct vec a = { .size = sizeof(**v) };
	int ret = pccvs_tpl_dump(priv, 0, filter, push_tpl, &a, vec_restart, err);

	return vec_done(&a, ret, v, n, err);
}

static int nl_conns(void *priv, struct pccvs_conn **v, size_t *n,
		    struct pccvs_err *err)
{
	struct vec a = { .size = sizeof(**v) };
	int ret = pccvs_conn_dump(priv, push_conn, &a, vec_restart, err);

	return vec_done(&a, ret, v, n, err);
}

const struct adm_backend_ops adm_backend_nl = {
	.name = "netlink",
	.open = nl_open,
	.close = nl_close,
	.load = nl_load,
	.apply = nl_apply,
	.info = nl_info,
	.cfg_get = nl_cfg_get,
	.templates = nl_templates,
	.conns = nl_conns,
};
