// SPDX-License-Identifier: GPL-2.0
/*
 * quorum.c: track corosync quorum (votequorum through the quorum API).
 * CPG keeps working without quorum; HA roles and cluster-wide edits gate
 * on syncd_is_quorate() and the quorum hook. Connected together with CPG
 * (cpg.c reconnects both).
 */
#include <errno.h>
#include <poll.h>
#include <qb/qblog.h>

#include "syncd.h"

static void set_quorate(struct syncd *s, bool q)
{
	if (q == s->quorum.quorate)
		return;
	s->quorum.quorate = q;
	qb_log(LOG_NOTICE, "cluster is %s", q ? "quorate" : "NOT quorate");
	sync_quorum(s, q);
	for (size_t i = 0; i < s->n_hooks; i++)
		if (s->hooks[i].quorum)
			s->hooks[i].quorum(s, s->hooks[i].arg, q);
}

static void on_quorum(quorum_handle_t h, uint32_t quorate,
		      struct quorum_ring_id ring, uint32_t n,
		      const uint32_t *members)
{
	const void *ctx = NULL;

	if (quorum_context_get(h, &ctx) != CS_OK || !ctx)
		return;
	set_quorate((struct syncd *)ctx,
		    quorate != 0 || ((struct syncd *)ctx)->quorum.no_provider);
}

static int32_t fd_cb(int32_t fd, int32_t revents, void *data)
{
	struct syncd *s = data;

	if (quorum_dispatch(s->quorum.h, CS_DISPATCH_ALL) != CS_OK) {
		/* corosync went away; cpg.c reconnects both */
		quorum_stop(s);
	}
	return 0;
}

int quorum_start(struct syncd *s)
{
	quorum_model_v1_data_t qm = {
		.model = QUORUM_MODEL_V1,
		.quorum_notify_fn = on_quorum,
	};
	uint32_t type = 0;
	int q = 0;
	cs_error_t rc;

	if (s->quorum.h)
		return 0;
	rc = quorum_model_initialize(&s->quorum.h, QUORUM_MODEL_V1,
				     (quorum_model_data_t *)&qm, &type, s);
	if (rc != CS_OK) {
		s->quorum.h = 0;
		qb_log(LOG_WARNING, "quorum API: %s; retried at the next CPG "
		       "reconnect", cs_strerror(rc));
		return -EIO;
	}
	if (type != QUORUM_SET) {
		/* nothing to gate on: every partition counts as quorate */
		qb_log(LOG_WARNING, "no quorum provider configured in corosync");
		s->quorum.no_provider = true;
		q = 1;
	} else if (quorum_getquorate(s->quorum.h, &q) != CS_OK) {
		q = 0;
	}
	set_quorate(s, q != 0);
	if (quorum_trackstart(s->quorum.h, CS_TRACK_CHANGES) != CS_OK ||
	    quorum_fd_get(s->quorum.h, &s->quorum.fd) != CS_OK ||
	    qb_loop_poll_add(s->loop, QB_LOOP_HIGH, s->quorum.fd, POLLIN, s,
			     fd_cb) != 0) {
		quorum_finalize(s->quorum.h);
		s->quorum.h = 0;
		return -EIO;
	}
	return 0;
}

void quorum_stop(struct syncd *s)
{
	if (!s->quorum.h)
		return;
	qb_loop_poll_del(s->loop, s->quorum.fd);
	quorum_finalize(s->quorum.h);
	s->quorum.h = 0;
	set_quorate(s, false);
}
