// SPDX-License-Identifier: GPL-2.0
/*
 * backend_cluster.c: cluster-wide edits through pccvs-syncd (libqb IPC,
 * syncd/config_ipc.h). The edits, names resolved, go as canonical
 * pccvsadm lines (cli/config.h); the daemon checks them against the
 * replicated configuration and multicasts them, and every director
 * applies them in the same order. We then poll until our own director has
 * applied (or refused) them, and report the configuration version.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/uio.h>
#include <qb/qbipcc.h>
#include "backend.h"
#include "config.h"
#include "syncd_ipc.h"

#define CALL_TIMEOUT_MS 10000
#define BUSY_WAIT_MS 10000	/* "not synced yet": retried this long */
#define RESULT_WAIT_MS 35000	/* the daemon gives up after 30 s */

static int cl_open(void **priv, struct pccvs_err *err)
{
	qb_ipcc_connection_t *c = qb_ipcc_connect(SYNCD_IPC_NAME, SYNCD_IPC_MAX_MSG);

	if (!c) {
		int e = errno ? errno : ECONNREFUSED;

		if (e == EACCES || e == EPERM)
			return adm_err(err, -EACCES, "pccvs-syncd refused the "
				       "connection: cluster edits need root or the "
				       "daemon's ipc_group");
		return adm_err(err, -ENOENT, "pccvs-syncd is not running in "
			       "this network namespace (%s)", strerror(e));
	}
	*priv = c;
	return 0;
}

static void cl_close(void *priv)
{
	if (priv)
		qb_ipcc_disconnect(priv);
}

static void nap_ms(unsigned int ms)
{
	struct timespec ts = { .tv_sec = ms / 1000,
			       .tv_nsec = (long)(ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static int call(void *priv, const void *req, size_t req_len,
		struct syncd_ipc_cfg_result *out, struct pccvs_err *err)
{
	struct iovec iov = { .iov_base = (void *)req, .iov_len = req_len };
	ssize_t n;

	memset(out, 0, sizeof(*out));
	n = qb_ipcc_sendv_recv(priv, &iov, 1, out, sizeof(*out), CALL_TIMEOUT_MS);
	if (n < 0)
		return adm_err(err, (int)n, "lost contact with pccvs-syncd (%s): "
			       "the edit may or may not have been made (see "
			       "pccvsadm cluster status)", strerror((int)-n));
	if ((size_t)n < sizeof(out->hdr))
		return adm_err(err, -EPROTO, "pccvs-syncd: short answer");
	if (out->hdr.error == -EOPNOTSUPP)
		return adm_err(err, -EOPNOTSUPP, "this pccvs-syncd does not take "
			       "cluster edits (too old?): use --local on each "
			       "director");
	if (out->hdr.error)
		return adm_err(err, out->hdr.error, "pccvs-syncd: %s",
			       strerror(-out->hdr.error));
	if ((size_t)n < sizeof(*out))
		return adm_err(err, -EPROTO, "pccvs-syncd: short answer");
	out->msg[sizeof(out->msg) - 1] = '\0';
	return 0;
}

static int outcome(const struct syncd_ipc_cfg_result *r, struct adm_submit *out,
		   struct pccvs_err *err)
{
	out->version = r->config_version;
	if (r->status == 0) {
		out->module_failed = r->module_failed;
		if (r->module_failed)
			adm_err(err, -EIO, "%s", r->msg);
		return 0;
	}
	out->invalid = r->refusal == SYNCD_CFG_INVALID;
	return adm_err(err, r->status, "%s", r->msg[0] ? r->msg :
		       strerror(-r->status));
}

static int cl_submit(void *priv, const struct adm_edit *v, size_t n,
		     struct adm_submit *out, struct pccvs_err *err)
{
	struct syncd_ipc_cfg_result_req rq = {
		.hdr = { .id = SYNCD_IPC_CFG_RESULT, .size = sizeof(rq) },
		.version = SYNCD_IPC_VERSION,
	};
	struct syncd_ipc_cfg_edit_req *req;
	struct syncd_ipc_cfg_result r;
	bool numbered = n && v[0].line;
	unsigned int waited = 0, step = 1;
	char *text;
	size_t len;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = adm_edits_text(v, n, numbered, &text, &len);
	if (rc)
		return adm_err(err, rc, rc == -ENOMEM ? "out of memory" :
			       "internal error: an edit has no text form");
	if (len > SYNCD_CFG_TEXT_MAX) {
		free(text);
		return adm_err(err, -E2BIG, "the edits are too large for one "
			       "cluster edit (%zu bytes, at most %u): split the "
			       "-R input", len, SYNCD_CFG_TEXT_MAX);
	}
	req = calloc(1, sizeof(*req) + len);
	if (!req) {
		free(text);
		return adm_err(err, -ENOMEM, "out of memory");
	}
	req->hdr.id = SYNCD_IPC_CFG_EDIT;
	req->hdr.size = (int32_t)(sizeof(*req) + len);
	req->version = SYNCD_IPC_VERSION;
	req->flags = numbered ? SYNCD_CFG_F_NUMBERED : 0;
	req->grammar = ADM_CONFIG_GRAMMAR;
	req->len = (uint32_t)len;
	memcpy(req->text, text, len);
	free(text);
	/* a director that is joining answers "try again" for a moment */
	for (;;) {
		rc = call(priv, req, sizeof(*req) + len, &r, err);
		if (rc || r.status != -EAGAIN || waited >= BUSY_WAIT_MS)
			break;
		nap_ms(100);
		waited += 100;
	}
	free(req);
	if (rc)
		return rc;
	if (r.status != 0 && r.status != -EINPROGRESS)
		return outcome(&r, out, err);
	rq.request_id = r.request_id;
	for (waited = 0; r.status == -EINPROGRESS; waited += step) {
		if (waited >= RESULT_WAIT_MS)
			return adm_err(err, -ETIMEDOUT, "no outcome from pccvs-syncd "
				       "after %u s: the edit may or may not have been "
				       "made (see pccvsadm cluster status)",
				       RESULT_WAIT_MS / 1000);
		nap_ms(step);
		if (step < 50)
			step *= 2;
		if ((rc = call(priv, &rq, sizeof(rq), &r, err)))
			return rc;
	}
	return outcome(&r, out, err);
}

const struct adm_backend_ops adm_backend_cluster = {
	.name = "pccvs-syncd",
	.open = cl_open,
	.close = cl_close,
	.submit = cl_submit,
};
