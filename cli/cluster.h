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
};

/* pccvs-syncd over libqb IPC (cluster_ipc.c, needs libqb). */
extern const struct adm_cluster_ops adm_cluster_ipc;

#endif /* PCCVSADM_CLUSTER_H */
