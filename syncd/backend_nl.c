// SPDX-License-Identifier: GPL-2.0
/*
 * backend_nl.c: the real forwarding table, pccvs.ko, through libpccvs.
 * One command handle (inject, delete, dump, info) and one event handle
 * subscribed before any dump, so no change falls between a dump and the
 * events that follow it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "../cli/backend.h"	/* adm_backend_nl */

struct nl_priv {
	struct pccvs_nl *nl;
	struct pccvs_ev *ev;
};

static int keep_err(struct backend *b, int rc, const struct pccvs_err *e)
{
	if (rc < 0)
		snprintf(b->err, sizeof(b->err), "%s",
			 e->msg[0] ? e->msg : strerror(-rc));
	return rc;
}

static void nl_close(struct backend *b)
{
	struct nl_priv *p = b->priv;

	if (!p)
		return;
	if (p->ev)
		pccvs_ev_close(p->ev);
	if (p->nl)
		pccvs_nl_close(p->nl);
	free(p);
	b->priv = NULL;
}

static int nl_open(struct backend *b)
{
	struct pccvs_err e = { 0 };
	struct nl_priv *p = calloc(1, sizeof(*p));
	int rc;

	if (!p)
		return -ENOMEM;
	b->priv = p;
	b->err[0] = '\0';
	rc = pccvs_nl_open(&p->nl, &e);
	if (rc == 0)
		rc = pccvs_ev_open(&p->ev, b->conf->netlink_rcvbuf, &e);
	if (rc < 0) {
		keep_err(b, rc, &e);
		nl_close(b);
	}
	return rc;
}

static int nl_event_fd(struct backend *b)
{
	return pccvs_ev_fd(((struct nl_priv *)b->priv)->ev);
}

static int nl_read_events(struct backend *b, backend_tpl_cb cb, void *arg)
{
	struct pccvs_err e = { 0 };

	return keep_err(b, pccvs_ev_read(((struct nl_priv *)b->priv)->ev, cb,
					 arg, &e), &e);
}

static int nl_inject(struct backend *b, const struct pccvs_tpl *v, size_t n,
		     struct pccvs_result *r)
{
	struct pccvs_err e = { 0 };

	return keep_err(b, pccvs_tpl_inject(((struct nl_priv *)b->priv)->nl, v,
					    n, r, &e), &e);
}

static int nl_del(struct backend *b, const struct pccvs_tpl *v, size_t n,
		  struct pccvs_result *r)
{
	struct pccvs_err e = { 0 };

	return keep_err(b, pccvs_tpl_del(((struct nl_priv *)b->priv)->nl, v, n,
					 r, &e), &e);
}

static int nl_dump(struct backend *b, uint32_t flags, backend_tpl_cb cb,
		   void *arg)
{
	struct pccvs_err e = { 0 };

	/* A restarted dump repeats records: every consumer is idempotent
	 * (snapshot count/digest cover what was sent, merges repeat). */
	return keep_err(b, pccvs_tpl_dump(((struct nl_priv *)b->priv)->nl,
					  flags, NULL, cb, arg, NULL, &e), &e);
}

static int nl_counts(struct backend *b, struct backend_counts *out)
{
	struct pccvs_err e = { 0 };
	struct pccvs_info info;
	int rc = pccvs_info_get(((struct nl_priv *)b->priv)->nl, &info, &e);

	if (rc < 0)
		return keep_err(b, rc, &e);
	out->templates = info.tpl_count;
	out->local = UINT64_MAX;	/* not known without a dump */
	out->services = info.svc_count;
	return 0;
}

/* The service configuration through pccvsadm's own netlink backend
 * (cli/backend_nl.c), on our command handle. */
static int nl_cfg_load(struct backend *b, struct adm_config *c,
		       struct pccvs_err *e)
{
	struct pccvs_nl *nl = ((struct nl_priv *)b->priv)->nl;
	int rc = adm_backend_nl.load(nl, &c->m, e);

	return rc ? rc : pccvs_cfg_get(nl, &c->cfg, e);
}

static int nl_cfg_apply(struct backend *b, const struct adm_edit *v, size_t n,
			size_t *done, struct pccvs_err *e)
{
	return adm_backend_nl.apply(((struct nl_priv *)b->priv)->nl, v, n, done, e);
}

const struct backend_ops backend_nl_ops = {
	.name = "netlink",
	.open = nl_open,
	.close = nl_close,
	.event_fd = nl_event_fd,
	.read_events = nl_read_events,
	.inject = nl_inject,
	.del = nl_del,
	.dump = nl_dump,
	.counts = nl_counts,
	.cfg_load = nl_cfg_load,
	.cfg_apply = nl_cfg_apply,
};
