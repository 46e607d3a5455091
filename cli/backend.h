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

#include <stdbool.h>
#include "model.h"

struct adm_submit;

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
	/* Optional (pccvs-syncd, backend_cluster.c): the user's edits
	 * (resolved, not planned) made cluster-wide: the daemon validates
	 * and applies them; out says what happened. */
	int (*submit)(void *priv, const struct adm_edit *v, size_t n,
		      struct adm_submit *out, struct pccvs_err *err);
};

/* The outcome of a cluster-wide edit. */
struct adm_submit {
	uint64_t version;	/* the configuration version after it */
	bool invalid;		/* refused as bad input: nothing changed anywhere */
	bool module_failed;	/* applied, but this director's table refused it
				 * (err says why; the daemon reconciles) */
};

/* The local module over generic netlink (backend_nl.c, needs libpccvs). */
extern const struct adm_backend_ops adm_backend_nl;
/* Cluster-wide edits through pccvs-syncd (backend_cluster.c, needs libqb):
 * open (-ENOENT when no daemon runs here) and submit only. */
extern const struct adm_backend_ops adm_backend_cluster;

#endif /* PCCVSADM_BACKEND_H */
