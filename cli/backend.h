/* SPDX-License-Identifier: GPL-2.0 */
/*
 * backend.h: the one interface between pccvsadm's verbs and whatever holds
 * the configuration. backend_nl.c talks to the local module through
 * libpccvs; the cluster backend (later) will send the same edits to
 * pccvs-syncd; the unit tests use a fake. Every call returns 0 or -errno
 * with err filled (the kernel's own message where there is one).
 */
#ifndef PCCVSADM_BACKEND_H
#define PCCVSADM_BACKEND_H

#include "model.h"

struct adm_backend_ops {
	const char *name;
	/* -ENOENT with a message if the module (or daemon) is absent. */
	int (*open)(void **priv, struct pccvs_err *err);
	void (*close)(void *priv);
	/* Every service with its real servers and counters, into an empty m. */
	int (*load)(void *priv, struct adm_model *m, struct pccvs_err *err);
	/* Concrete edits (adm_plan), in order, stopping at the first failure;
	 * *done = how many were applied. */
	int (*apply)(void *priv, const struct adm_edit *v, size_t n,
		     size_t *done, struct pccvs_err *err);
	int (*info)(void *priv, struct pccvs_info *out, struct pccvs_err *err);
	int (*cfg_get)(void *priv, struct pccvs_cfg *out, struct pccvs_err *err);
	/* Arrays for free(); filter: NULL, or a service naming one domain. */
	int (*templates)(void *priv, const struct pccvs_svc *filter,
			 struct pccvs_tpl **v, size_t *n, struct pccvs_err *err);
	int (*conns)(void *priv, struct pccvs_conn **v, size_t *n,
		     struct pccvs_err *err);
};

/* The local module over generic netlink (backend_nl.c, needs libpccvs). */
extern const struct adm_backend_ops adm_backend_nl;

#endif /* PCCVSADM_BACKEND_H */
