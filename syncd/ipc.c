// SPDX-License-Identifier: GPL-2.0
/*
 * ipc.c: the local control socket (libqb IPC, protocol in syncd_ipc.h).
 * Root and members of ipc_group may connect. Requests are checked
 * (size, version, id) before a handler from the table runs; a malformed
 * request gets an error response, never a crash.
 */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <qb/qblog.h>

#include "syncd.h"
#include "tplkey.h"

/* ---- access ---- */

static bool in_group(uid_t uid, gid_t gid, gid_t want)
{
	struct passwd *pw;
	gid_t groups[256];
	int n = 256;

	if (gid == want)
		return true;
	pw = getpwuid(uid);
	if (!pw || getgrouplist(pw->pw_name, pw->pw_gid, groups, &n) < 0)
		return false;
	for (int i = 0; i < n; i++)
		if (groups[i] == want)
			return true;
	return false;
}

static int32_t on_accept(qb_ipcs_connection_t *c, uid_t uid, gid_t gid)
{
	struct syncd *s = qb_ipcs_connection_service_context_get(c);

	if (uid == 0 || (s->ipc_gid_set && in_group(uid, gid, s->ipc_gid))) {
		qb_ipcs_connection_auth_set(c, uid, gid, 0600);
		return 0;
	}
	qb_log(LOG_NOTICE, "IPC: refused uid %u (not root nor in ipc_group)",
	       (unsigned int)uid);
	return -EACCES;
}

/* ---- built-in commands ---- */

static void *resp_new(size_t size)
{
	struct syncd_ipc_resp *r = calloc(1, size);

	if (r) {
		r->hdr.size = (int32_t)size;
		r->version = SYNCD_IPC_VERSION;
	}
	return r;
}

static void fill_status(struct syncd *s, struct syncd_ipc_status *o)
{
	struct backend_counts c = { 0 };
	const struct syncd_stats *st = &s->st;

	o->nodeid = s->cpg.nodeid;
	snprintf(o->group, sizeof(o->group), "%s", s->conf.group);
	snprintf(o->backend, sizeof(o->backend), "%s",
		 s->be.ops ? s->be.ops->name : "");
	o->connected = s->cpg.h != 0;
	o->joined = s->cpg.joined;
	o->synced = s->synced;
	o->quorate = s->quorum.quorate;
	o->backend_ready = s->be_ready;
	o->state = (uint8_t)s->state;
	o->members = (uint32_t)s->members.n;
	o->epoch = s->cpg.epoch;
	o->incarnation = s->incarnation;
	o->seq_sent = s->seq;
	o->seq_self_delivered = s->self_seq;
	o->pending = coal_len(&s->pending);
	o->queue_live_msgs = s->liveq.n;
	o->queue_bulk_msgs = s->bulk.n;
	o->queue_bytes = s->ctrl.bytes + s->liveq.bytes + s->bulk.bytes;
	o->msgs_sent = st->msgs_sent;
	o->bytes_sent = st->bytes_sent;
	o->tpl_sent = st->tpl_sent;
	o->tpl_del_sent = st->tpl_del_sent;
	o->try_again = st->try_again;
	o->events = st->events;
	o->events_merged = s->pending.merged;
	o->ev_overruns = st->ev_overruns;
	o->reannounces = st->reannounces;
	o->reannounced = st->reannounced;
	o->msgs_recv = st->msgs_recv;
	o->bytes_recv = st->bytes_recv;
	o->tpl_recv = st->tpl_recv;
	o->tpl_del_recv = st->tpl_del_recv;
	o->tpl_applied = st->tpl_applied;
	o->tpl_unchanged = st->tpl_unchanged;
	o->tpl_refused = st->tpl_refused;
	o->tpl_deleted = st->tpl_deleted;
	o->malformed = st->malformed;
	o->seq_gaps = st->seq_gaps;
	for (int i = 0; i < WR__MAX && i < SYNCD_IPC_REFUSE_MAX; i++)
		o->refused[i] = st->refused[i];
	o->snapshots_received = st->snapshots_received;
	o->snapshots_served = st->snapshots_served;
	o->xfer_aborts = st->xfer_aborts;
	o->xfer_failures = st->xfer_failures;
	o->last_snap_count = st->last_snap_count;
	o->last_snap_ms = st->last_snap_ms;
	o->last_served_count = st->last_served_count;
	o->last_served_ms = st->last_served_ms;
	o->swept = st->swept;
	o->cpg_reconnects = st->cpg_reconnects;
	o->backend_reopens = st->backend_reopens;
	if (s->be_open && s->be.ops->counts(&s->be, &c) == 0) {
		o->templates = c.templates;
		o->local_templates = c.local;
	}
	o->unconfirmed = send_unconfirmed(s);
}

static int cmd_status(struct syncd *s, const void *req, size_t len,
		      void **resp, size_t *resp_len, void *arg)
{
	struct syncd_ipc_status *o = resp_new(sizeof(*o));

	if (!o)
		return -ENOMEM;
	fill_status(s, o);
	*resp = o;
	*resp_len = sizeof(*o);
	return 0;
}

static int cmd_members(struct syncd *s, const void *req, size_t len,
		       void **resp, size_t *resp_len, void *arg)
{
	struct syncd_ipc_members *o = resp_new(sizeof(*o));

	if (!o)
		return -ENOMEM;
	for (size_t i = 0; i < s->members.n && i < SYNCD_IPC_MEMBERS_MAX; i++) {
		const struct member *m = &s->members.m[i];
		struct syncd_ipc_member *d = &o->m[o->n++];

		d->nodeid = m->nodeid;
		d->pid = m->pid;
		d->self = m->nodeid == s->cpg.nodeid && m->pid == s->cpg.pid;
		d->status_known = m->status_known;
		d->synced = m->st.synced;
		d->backend_ready = m->st.backend_ready;
		d->priority = m->st.priority;
		d->role = m->st.role;
		d->templates = m->st.templates;
		d->local_templates = m->st.local_templates;
		d->config_version = m->st.config_version;
		d->msgs = m->msgs;
		d->gaps = m->gaps;
	}
	*resp = o;
	*resp_len = sizeof(*o);
	return 0;
}

struct dump_ctx {
	uint64_t count, digest, skip;
	struct syncd_ipc_tpls *out;
	uint32_t max;
	uint16_t client_af;
	const uint8_t *client;
};

/* Requests may stop before the optional client filter. */
#define DUMP_REQ_MIN offsetof(struct syncd_ipc_dump_req, client_af)

static bool dump_match(const struct dump_ctx *d, const struct pccvs_tpl *t)
{
	return !d->client_af || (t->af == d->client_af &&
				 !memcmp(t->caddr.b, d->client,
					 af_addr_len(t->af)));
}

static void dump_filter(struct dump_ctx *d, const struct syncd_ipc_dump_req *r,
			size_t len)
{
	if (len >= sizeof(*r) && af_addr_len(r->client_af)) {
		d->client_af = r->client_af;
		d->client = r->client;
	}
}

static int digest_cb(const struct pccvs_tpl *t, void *arg)
{
	struct dump_ctx *d = arg;
	struct pccvs_tpl n = *t;

	if (!dump_match(d, t))
		return 0;
	tpl_normalize(&n);
	d->count++;
	d->digest += tpl_record_hash(&n);
	return 0;
}

static int need_backend(struct syncd *s)
{
	return s->be_open ? 0 : -ENODEV;
}

static int cmd_digest(struct syncd *s, const void *req, size_t len,
		      void **resp, size_t *resp_len, void *arg)
{
	const struct syncd_ipc_dump_req *r = req;
	struct dump_ctx d = { 0 };
	struct syncd_ipc_digest *o;
	int rc;

	if (len < DUMP_REQ_MIN || (r->flags & ~(uint32_t)PCCVS_DUMP_F_ALL))
		return -EINVAL;
	dump_filter(&d, r, len);
	if ((rc = need_backend(s)) < 0 ||
	    (rc = s->be.ops->dump(&s->be, r->flags, digest_cb, &d)) < 0)
		return rc;
	o = resp_new(sizeof(*o));
	if (!o)
		return -ENOMEM;
	o->count = d.count;
	o->digest = d.digest;
	*resp = o;
	*resp_len = sizeof(*o);
	return 0;
}

static int dump_cb(const struct pccvs_tpl *t, void *arg)
{
	struct dump_ctx *d = arg;
	struct syncd_ipc_tpl *o;

	if (!dump_match(d, t))
		return 0;
	if (d->count++ < d->skip || d->out->n >= d->max)
		return 0;
	o = &d->out->t[d->out->n++];
	o->af = t->af;
	o->protocol = t->protocol;
	o->netmask = t->netmask;
	o->vport = t->vport;
	o->dport = t->dport;
	o->fwmark = t->fwmark;
	o->flags = t->flags;
	memcpy(o->vaddr, t->vaddr.b, 16);
	memcpy(o->caddr, t->caddr.b, 16);
	memcpy(o->daddr, t->daddr.b, 16);
	memcpy(o->pgroup, t->pgroup, sizeof(o->pgroup));
	o->remaining_ms = t->remaining_ms;
	o->stamp = t->stamp;
	return 0;
}

static int cmd_dump(struct syncd *s, const void *req, size_t len,
		    void **resp, size_t *resp_len, void *arg)
{
	const struct syncd_ipc_dump_req *r = req;
	struct dump_ctx d = { 0 };
	size_t size;
	int rc;

	if (len < DUMP_REQ_MIN || (r->flags & ~(uint32_t)PCCVS_DUMP_F_ALL) ||
	    r->max > SYNCD_IPC_DUMP_MAX)
		return -EINVAL;
	dump_filter(&d, r, len);
	if ((rc = need_backend(s)) < 0)
		return rc;
	size = sizeof(*d.out) + (size_t)r->max * sizeof(d.out->t[0]);
	d.out = resp_new(size);
	if (!d.out)
		return -ENOMEM;
	d.skip = r->skip;
	d.max = r->max;
	rc = s->be.ops->dump(&s->be, r->flags, dump_cb, &d);
	if (rc < 0) {
		free(d.out);
		return rc;
	}
	d.out->total = d.count;
	size = sizeof(*d.out) + (size_t)d.out->n * sizeof(d.out->t[0]);
	d.out->hdr.size = (int32_t)size;
	*resp = d.out;
	*resp_len = size;
	return 0;
}

static int cmd_resync(struct syncd *s, const void *req, size_t len,
		      void **resp, size_t *resp_len, void *arg)
{
	struct syncd_ipc_resp *o;

	if (!s->cpg.joined)
		return -ENOTCONN;
	sync_resync(s);
	o = resp_new(sizeof(*o));
	if (!o)
		return -ENOMEM;
	*resp = o;
	*resp_len = sizeof(*o);
	return 0;
}

static int cmd_reannounce(struct syncd *s, const void *req, size_t len,
			  void **resp, size_t *resp_len, void *arg)
{
	struct syncd_ipc_reannounce *o;
	uint64_t start = syncd_now_ns();
	int rc;

	if (!s->cpg.joined)
		return -ENOTCONN;
	struct backend_counts c = { 0 };

	rc = send_reannounce(s, "requested over IPC");
	if (rc < 0)
		return rc;
	o = resp_new(sizeof(*o));
	if (!o)
		return -ENOMEM;
	s->be.ops->counts(&s->be, &c);
	o->start_ns = start;
	o->count = c.templates;
	*resp = o;
	*resp_len = sizeof(*o);
	return 0;
}

static int cmd_sim(struct syncd *s, const void *req, size_t len, void **resp,
		   size_t *resp_len, void *arg)
{
	struct syncd_ipc_sim_resp *o;
	size_t olen = sizeof(*o);
	int rc;

	if (!s->be_open || !s->be.ops->control)
		return -EOPNOTSUPP;
	o = resp_new(olen);
	if (!o)
		return -ENOMEM;
	rc = s->be.ops->control(&s->be, SYNCD_IPC_SIM, req, len, o, &olen);
	if (rc < 0) {
		free(o);
		return rc;
	}
	*resp = o;
	*resp_len = olen;
	return 0;
}

/* ---- dispatch ---- */

static void reply_error(qb_ipcs_connection_t *c, int32_t id, int err)
{
	struct syncd_ipc_resp r = {
		.hdr = { .id = id, .size = sizeof(r), .error = err },
		.version = SYNCD_IPC_VERSION,
	};

	if (qb_ipcs_response_send(c, &r, sizeof(r)) < 0)
		qb_log(LOG_DEBUG, "IPC: error response not sent");
}

static int32_t on_msg(qb_ipcs_connection_t *c, void *data, size_t size)
{
	struct syncd *s = qb_ipcs_connection_service_context_get(c);
	const struct syncd_ipc_req *req = data;
	void *resp = NULL;
	size_t resp_len = 0;
	int32_t id;
	int rc;

	if (size < sizeof(struct qb_ipc_request_header)) {
		reply_error(c, 0, -EINVAL);
		return 0;
	}
	id = req->hdr.id;
	if (size < offsetof(struct syncd_ipc_req, pad) ||
	    (size_t)req->hdr.size != size) {
		reply_error(c, id, -EINVAL);
		return 0;
	}
	if (req->version != SYNCD_IPC_VERSION) {
		reply_error(c, id, -EPROTO);
		return 0;
	}
	if (id < 0 || id >= SYNCD_IPC_ID_MAX || !s->ipc_handlers[id].fn) {
		reply_error(c, id, -EOPNOTSUPP);
		return 0;
	}
	rc = s->ipc_handlers[id].fn(s, data, size, &resp, &resp_len,
				    s->ipc_handlers[id].arg);
	if (rc < 0) {
		reply_error(c, id, rc);
		return 0;
	}
	((struct qb_ipc_response_header *)resp)->id = id;
	((struct qb_ipc_response_header *)resp)->error = 0;
	if (qb_ipcs_response_send(c, resp, resp_len) < 0)
		qb_log(LOG_WARNING, "IPC: response of %zu bytes not sent",
		       resp_len);
	free(resp);
	return 0;
}

/* libqb's IPC watches its fds through these; the daemon's loop is the
 * default loop (the only one), hence NULL. */
static int32_t p_add(enum qb_loop_priority p, int32_t fd, int32_t ev, void *d,
		     qb_ipcs_dispatch_fn_t fn)
{
	return qb_loop_poll_add(NULL, p, fd, ev, d, fn);
}

static int32_t p_mod(enum qb_loop_priority p, int32_t fd, int32_t ev, void *d,
		     qb_ipcs_dispatch_fn_t fn)
{
	return qb_loop_poll_mod(NULL, p, fd, ev, d, fn);
}

static int32_t p_del(int32_t fd)
{
	return qb_loop_poll_del(NULL, fd);
}

static int32_t p_job(enum qb_loop_priority p, void *d,
		     qb_loop_job_dispatch_fn fn)
{
	return qb_loop_job_add(NULL, p, d, fn);
}

int ipc_start(struct syncd *s)
{
	static struct qb_ipcs_service_handlers sh = {
		.connection_accept = on_accept,
		.msg_process = on_msg,
	};
	static struct qb_ipcs_poll_handlers ph = {
		.job_add = p_job, .dispatch_add = p_add,
		.dispatch_mod = p_mod, .dispatch_del = p_del,
	};
	int rc;

	syncd_ipc_handler_set(s, SYNCD_IPC_STATUS, cmd_status, NULL);
	syncd_ipc_handler_set(s, SYNCD_IPC_MEMBERS, cmd_members, NULL);
	syncd_ipc_handler_set(s, SYNCD_IPC_DIGEST, cmd_digest, NULL);
	syncd_ipc_handler_set(s, SYNCD_IPC_TPL_DUMP, cmd_dump, NULL);
	syncd_ipc_handler_set(s, SYNCD_IPC_RESYNC, cmd_resync, NULL);
	syncd_ipc_handler_set(s, SYNCD_IPC_REANNOUNCE, cmd_reannounce, NULL);
	syncd_ipc_handler_set(s, SYNCD_IPC_SIM, cmd_sim, NULL);
	s->ipcs = qb_ipcs_create(SYNCD_IPC_NAME, 0, QB_IPC_SOCKET, &sh);
	if (!s->ipcs)
		return -errno;
	qb_ipcs_service_context_set(s->ipcs, s);
	qb_ipcs_poll_handlers_set(s->ipcs, &ph);
	qb_ipcs_enforce_buffer_size(s->ipcs, SYNCD_IPC_MAX_MSG);
	rc = qb_ipcs_run(s->ipcs);	/* destroys the service on failure */
	if (rc < 0) {
		s->ipcs = NULL;
		qb_log(LOG_ERR, "IPC service %s: %s", SYNCD_IPC_NAME,
		       strerror(-rc));
	}
	return rc;
}

void ipc_stop(struct syncd *s)
{
	if (s->ipcs) {
		qb_ipcs_destroy(s->ipcs);
		s->ipcs = NULL;
	}
}
