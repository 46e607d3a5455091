/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cluster.h: `pccvsadm cluster status | switchover NODE`, and the facade
 * between that verb and pccvs-syncd (cluster_ipc.c: libqb IPC, protocol in
 * syncd/syncd_ipc.h and ha/ha_ipc.h). The verb prints only through the
 * context's streams, so it runs in unit tests against a fake facade.
 */
#ifndef PCCVSADM_CLUSTER_H
#define PCCVSADM_CLUSTER_H

#include <stdbool.h>
#include "syncd_ipc.h"
#include "ha_ipc.h"
#include "edit.h"

struct adm_cluster_report;

/* Everything `cluster status` shows, as the daemon answered it. */
struct adm_cluster_info {
	struct syncd_ipc_status st;
	struct syncd_ipc_members mem;
	bool have_ha;		/* the daemon answered the HA status */
	struct ha_ipc_status ha;
};

struct adm_cluster_ops {
	/* -ENOENT with a message if no daemon runs here. */
	int (*open)(void **priv, struct pccvs_err *err);
	void (*close)(void *priv);
	int (*info)(void *priv, struct adm_cluster_info *out,
		    struct pccvs_err *err);
	/* Asks for the switchover; it happens at the message's delivery. */
	int (*switchover)(void *priv, uint32_t node, struct pccvs_err *err);
	/* Every member's answer to a query (SYNCD_CFG_Q_STATUS or _DIFF),
	 * as a malloc()ed array (adm_cluster_reports_free). Optional. */
	int (*query)(void *priv, unsigned int kind,
		     struct adm_cluster_report **v, size_t *n,
		     struct pccvs_err *err);
	/* The replicated configuration (SYNCD_CFG_REPLICATED) or this
	 * director's table's (SYNCD_CFG_MODULE), malloc()ed. Optional. */
	int (*config)(void *priv, unsigned int which,
		      struct syncd_ipc_cfg_text **out, struct pccvs_err *err);
};

/* One director's answer (syncd/config_ipc.h) and its differences. */
struct adm_cluster_report {
	struct syncd_ipc_cfg_report r;
	char *diff;		/* "- line" / "+ line", or NULL */
};

void adm_cluster_reports_free(struct adm_cluster_report *v, size_t n);

/* pccvs-syncd over libqb IPC (cluster_ipc.c, needs libqb). */
extern const struct adm_cluster_ops adm_cluster_ipc;

#endif /* PCCVSADM_CLUSTER_H */
