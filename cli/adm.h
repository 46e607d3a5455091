/* SPDX-License-Identifier: GPL-2.0 */
/*
 * adm.h: pccvsadm's commands. adm_main() parses, dispatches to one
 * adm_run_<verb>() through the verb's entry in a table, and returns the
 * exit status. Verbs reach the configuration only through the backend
 * facade (backend.h) and print only to the context's streams, so the whole
 * tool runs in unit tests against a fake backend.
 */
#ifndef PCCVSADM_ADM_H
#define PCCVSADM_ADM_H

#include <stdio.h>
#include "backend.h"
#include "parse.h"

struct adm_cluster_ops;	/* cluster.h */

/* Exit statuses. */
#define ADM_EXIT_OK	0
#define ADM_EXIT_FAIL	1	/* the module, daemon or system failed */
#define ADM_EXIT_USAGE	2	/* refused before any change: bad input */

struct adm_ctx {
	const char *prog;	/* for messages: "pccvsadm" */
	FILE *in, *out, *err;	/* -R input, listings, messages */
	const struct adm_backend_ops *ops;
	void *priv;		/* the open backend, or NULL */
	const struct adm_cluster_ops *cluster;	/* pccvs-syncd, or NULL */
	unsigned int cluster_wait_ms;	/* switchover: how long to watch */
	/* Configuration changes go cluster-wide through pccvs-syncd (submit),
	 * unless --local or edits is NULL (docs/cluster-edits.md). */
	const struct adm_backend_ops *edits;
	bool local;			/* --local: this director's table only */
	const char *state_file;		/* exists: a cluster member's state */
	const char *daemon_conf;	/* exists: pccvs-syncd is set up here */
};

int adm_main(struct adm_ctx *ctx, int argc, char *const argv[]);

/* Prints "prog: message" (strerror when there is no message); returns status. */
int adm_fail(struct adm_ctx *ctx, int status, const struct pccvs_err *err);
/* Opens the backend once; 0 or an exit status (message printed). */
int adm_backend_open(struct adm_ctx *ctx);
/* Resolve, load, plan, apply: the path every configuration change takes. */
int adm_run_edits(struct adm_ctx *ctx, struct adm_edits *edits);

int adm_run_edit(struct adm_ctx *ctx, struct adm_cmd *cmd);
int adm_run_restore(struct adm_ctx *ctx, struct adm_cmd *cmd);
int adm_run_save(struct adm_ctx *ctx, struct adm_cmd *cmd);
int adm_run_list(struct adm_ctx *ctx, struct adm_cmd *cmd);
int adm_run_info(struct adm_ctx *ctx, struct adm_cmd *cmd);
int adm_run_help(struct adm_ctx *ctx, struct adm_cmd *cmd);
int adm_run_cluster(struct adm_ctx *ctx, struct adm_cmd *cmd);

#endif /* PCCVSADM_ADM_H */
