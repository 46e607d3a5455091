// SPDX-License-Identifier: GPL-2.0
/*
 * cluster_ipc.c: the cluster facade over pccvs-syncd's libqb IPC
 * (syncd/syncd_ipc.h, ha/ha_ipc.h). The daemon's socket is per network
 * namespace: run pccvsadm where the daemon runs.
 */
#include <errno.h>
#include <string.h>
#include <sys/uio.h>
#include <qb/qbipcc.h>
#include "adm.h"
#include "cluster.h"

#define TIMEOUT_MS 5000

static int c_open(void **priv, struct pccvs_err *err)
{
	qb_ipcc_connection_t *c = qb_ipcc_connect(SYNCD_IPC_NAME, SYNCD_IPC_MAX_MSG);

	if (!c) {
		int e = errno ? errno : ECONNREFUSED;

		if (e == EACCES)
			return adm_err(err, -EACCES, "pccvs-syncd refused the "
				       "connection: root or its ipc_group only");
		return adm_err(err, -ENOENT, "pccvs-syncd is not running in "
			       "this network namespace (%s)", strerror(e));
	}
	*priv = c;
	return 0;
}

static void c_close(void *priv)
{
	if (priv)
		qb_ipcc_disconnect(priv);
}

/* One request; resp gets at most len bytes; missing trailing fields of an
 * older daemon stay zero. */
static int call(void *priv, void *req, size_t req_len, void *resp, size_t len,
		struct pccvs_err *err)
{
	struct iovec iov = { .iov_base = req, .iov_len = req_len };
	const struct qb_ipc_response_header *h = resp;
	ssize_t n;

	memset(resp, 0, len);
	n = qb_ipcc_sendv_recv(priv, &iov, 1, resp, len, TIMEOUT_MS);
	if (n < 0)
		return adm_err(err, (int)n, "pccvs-syncd: %s", strerror((int)-n));
	if ((size_t)n < sizeof(*h))
		return adm_err(err, -EPROTO, "pccvs-syncd: short answer");
	if (h->error)
		return adm_err(err, h->error, "%s", strerror(-h->error));
	return 0;
}

static int simple(void *priv, int32_t id, void *resp, size_t len,
		  struct pccvs_err *err)
{
	struct syncd_ipc_req r = {
		.hdr = { .id = id, .size = sizeof(r) },
		.version = SYNCD_IPC_VERSION,
	};

	return call(priv, &r, sizeof(r), resp, len, err);
}

static int c_info(void *priv, struct adm_cluster_info *out,
		  struct pccvs_err *err)
{
	struct pccvs_err e2 = { 0 };
	int ret;

	if ((ret = simple(priv, SYNCD_IPC_STATUS, &out->st, sizeof(out->st), err)) ||
	    (ret = simple(priv, SYNCD_IPC_MEMBERS, &out->mem, sizeof(out->mem), err)))
		return ret;
	/* a daemon without HA answers -EOPNOTSUPP: show what there is */
	out->have_ha = !simple(priv, HA_IPC_STATUS, &out->ha, sizeof(out->ha), &e2);
	return 0;
}

static int c_switchover(void *priv, uint32_t node, struct pccvs_err *err)
{
	struct ha_ipc_switchover_req r = {
		.hdr = { .id = HA_IPC_SWITCHOVER, .size = sizeof(r) },
		.version = SYNCD_IPC_VERSION,
		.target = node,
	};
	struct syncd_ipc_resp resp;
	int ret = call(priv, &r, sizeof(r), &resp, sizeof(resp), err);

	switch (ret) {
	case 0:
	case -EALREADY:
		return ret;
	case -EAGAIN:
		return adm_err(err, ret, "the membership is changing; try again");
	case -ENOENT:
		return adm_err(err, ret, "node %u is not a member of the cluster", node);
	case -EINVAL:
		return adm_err(err, ret, "node %u is not synced or its forwarding "
			       "table is not ready: it cannot become active", node);
	case -ENOTCONN:
		return adm_err(err, ret, "this director has no quorum");
	default:
		return ret;
	}
}

const struct adm_cluster_ops adm_cluster_ipc = {
	.open = c_open,
	.close = c_close,
	.info = c_info,
	.switchover = c_switchover,
};
