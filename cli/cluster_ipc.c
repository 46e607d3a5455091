// SPDX-License-Identifier: GPL-2.0
/*
 * cluster_ipc.c: the cluster facade over pccvs-syncd's libqb IPC
 * (syncd/syncd_ipc.h, ha/ha_ipc.h). The daemon's socket is per network
 * namespace: run pccvsadm where the daemon runs.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
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

static void nap_ms(unsigned int ms)
{
	struct timespec ts = { .tv_sec = ms / 1000,
			       .tv_nsec = (long)(ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* A variable-size answer: a malloc()ed buffer of SYNCD_IPC_MAX_MSG. */
static int call_big(void *priv, void *req, size_t req_len, void **out,
		    size_t *n, struct pccvs_err *err)
{
	struct iovec iov = { .iov_base = req, .iov_len = req_len };
	struct qb_ipc_response_header *h;
	void *buf = calloc(1, SYNCD_IPC_MAX_MSG + 1);
	ssize_t r;

	if (!buf)
		return adm_err(err, -ENOMEM, "out of memory");
	r = qb_ipcc_sendv_recv(priv, &iov, 1, buf, SYNCD_IPC_MAX_MSG, TIMEOUT_MS);
	h = buf;
	if (r < 0 || (size_t)r < sizeof(*h) || h->error) {
		int e = r < 0 ? (int)r : (size_t)r < sizeof(*h) ? -EPROTO : h->error;

		free(buf);
		if (e == -EOPNOTSUPP)
			return adm_err(err, e, "this pccvs-syncd has no cluster "
				       "configuration (too old?)");
		if (e == -ENOTCONN)
			return adm_err(err, e, "pccvs-syncd is not in the cluster "
				       "(is corosync running?)");
		return adm_err(err, e, "pccvs-syncd: %s", strerror(-e));
	}
	*out = buf;
	*n = (size_t)r;
	return 0;
}

static int c_query(void *priv, unsigned int kind, struct adm_cluster_report **v,
		   size_t *nv, struct pccvs_err *err)
{
	struct syncd_ipc_cfg_query_req q = {
		.hdr = { .id = SYNCD_IPC_CFG_QUERY, .size = sizeof(q) },
		.version = SYNCD_IPC_VERSION, .kind = kind,
	};
	struct syncd_ipc_cfg_report_req rq = {
		.hdr = { .id = SYNCD_IPC_CFG_REPORT, .size = sizeof(rq) },
		.version = SYNCD_IPC_VERSION,
	};
	struct syncd_ipc_cfg_query_resp qr;
	struct adm_cluster_report *out = NULL;
	struct syncd_ipc_cfg_report *r;
	unsigned int waited = 0;
	size_t n, total = 0;
	void *buf;
	int ret;

	if ((ret = call(priv, &q, sizeof(q), &qr, sizeof(qr), err)))
		return ret;
	rq.query_id = qr.query_id;
	for (uint32_t i = 0;; ) {
		rq.index = i;
		if ((ret = call_big(priv, &rq, sizeof(rq), &buf, &n, err)))
			break;
		r = buf;
		if (n < sizeof(*r)) {
			free(buf);
			ret = adm_err(err, -EPROTO, "pccvs-syncd: short answer");
			break;
		}
		if (r->status == -EINPROGRESS && waited < 5000) {
			free(buf);
			nap_ms(20);
			waited += 20;
			continue;
		}
		if (r->status) {
			ret = adm_err(err, r->status, "the cluster did not answer "
				      "(%s)", strerror(-r->status));
			free(buf);
			break;
		}
		if (!out) {
			total = r->n;
			out = calloc(total ? total : 1, sizeof(*out));
			if (!out) {
				free(buf);
				ret = adm_err(err, -ENOMEM, "out of memory");
				break;
			}
		}
		out[i].r = *r;
		if (r->len && n >= sizeof(*r) + r->len) {
			out[i].diff = strndup((const char *)(r + 1), r->len);
		}
		free(buf);
		if (++i >= total)
			break;
	}
	if (ret) {
		adm_cluster_reports_free(out, total);
		return ret;
	}
	*v = out;
	*nv = total;
	return 0;
}

static int c_config(void *priv, unsigned int which,
		    struct syncd_ipc_cfg_text **out, struct pccvs_err *err)
{
	struct syncd_ipc_cfg_get_req q = {
		.hdr = { .id = SYNCD_IPC_CFG_GET, .size = sizeof(q) },
		.version = SYNCD_IPC_VERSION, .which = which,
	};
	struct syncd_ipc_cfg_text *t;
	void *buf;
	size_t n;
	int ret = call_big(priv, &q, sizeof(q), &buf, &n, err);

	if (ret)
		return ret;
	t = buf;
	if (n < sizeof(*t) || n < sizeof(*t) + t->len) {
		free(buf);
		return adm_err(err, -EPROTO, "pccvs-syncd: short answer");
	}
	t->text[t->len] = '\0';
	t->module_error[sizeof(t->module_error) - 1] = '\0';
	*out = t;
	return 0;
}

const struct adm_cluster_ops adm_cluster_ipc = {
	.open = c_open,
	.close = c_close,
	.info = c_info,
	.switchover = c_switchover,
	.query = c_query,
	.config = c_config,
};
