// SPDX-License-Identifier: GPL-2.0
/*
 * config_repl.c: cluster-wide configuration edits (config_repl.h,
 * docs/cluster-edits.md).
 *
 * An edit: pccvsadm -> IPC CFG_EDIT here -> checked (quorum, synced, the
 * one parser, adm_plan against the replicated configuration) -> ConfigEdit
 * multicast -> at its delivery every director, the sender included,
 * applies it to its configuration (or refuses it, alike everywhere),
 * persists the new version and applies the concrete edits to its table ->
 * pccvsadm, polling CFG_RESULT, learns the outcome here.
 *
 * A joiner: at its SyncRequest's delivery (the cut) it starts keeping the
 * edits delivered; the donor sends ConfigState (the configuration at the
 * cut) before its snapshot; the joiner takes it, makes its table match,
 * applies the kept edits, and is current from there on.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <qb/qblog.h>

#include "syncd.h"
#include "config_core.h"
#include "config_store.h"

#define CFG_REQS 512			/* results kept for pccvsadm */
#define CFG_REQ_TIMEOUT_MS 30000	/* not delivered back: given up */
#define CFG_QUERIES 8
#define CFG_QUERY_TIMEOUT_MS 2000
#define CFG_REC_MIN_MS 200
#define CFG_REC_MAX_MS 30000

struct cfg_req {
	uint64_t id, sent_ms;
	int status;			/* -EINPROGRESS, 0, -errno */
	uint32_t refusal;
	bool module_failed;
	uint64_t version;
	char msg[SYNCD_CFG_MSG_MAX];
};

struct cfg_qmember {
	uint32_t node, pid;
	bool answered, current, module_ok;
	uint64_t version, digest, module_version, module_digest;
	uint64_t templates, local_templates, pending, unacked, lag_ms;
	char module_error[256];
	char *module_text;		/* kind diff, when it differs */
	size_t module_len;
	char *diff;
	size_t diff_len;
	int diff_lines;
	bool diffed;
};

struct cfg_query {
	uint64_t id;
	uint32_t kind;
	uint64_t start_ms;
	bool delivered;
	uint64_t ref_version, ref_digest;
	char *ref_text;
	size_t ref_len, n;
	struct cfg_qmember m[MEMBERS_MAX];
};

struct cfgrepl {
	struct syncd *s;
	struct cfg_core core;
	bool loaded;			/* the state file was read (or absent) */
	/* the forwarding table against the configuration */
	bool module_ok;
	uint64_t module_version;
	char module_err[256];
	uint32_t rec_backoff_ms;
	qb_loop_timer_handle rec_timer;
	bool persist_failed;
	/* our edits, by request id */
	uint64_t next_req;
	struct cfg_req reqs[CFG_REQS];
	/* pccvsadm cluster status / diff */
	uint64_t next_query;
	struct cfg_query q[CFG_QUERIES];
	/* partition merge: Status sent again once per member and ring */
	struct { uint32_t node, pid; uint64_t epoch; } resent[MEMBERS_MAX];
	size_t n_resent;
};

static const char *mode_name(enum cfg_mode m)
{
	return m == CFG_CURRENT ? "current" : m == CFG_RX ? "receiving" : "not current";
}

/* ---- persistence ---- */

static void persist(struct cfgrepl *r)
{
	char err[512];
	int rc = cfgstore_save(r->s->conf.state_dir, r->core.version,
			       r->core.text, r->core.len, err, sizeof(err));

	if (rc < 0 && !r->persist_failed)
		qb_log(LOG_ERR, "cannot save the configuration state: %s", err);
	else if (!rc && r->persist_failed)
		qb_log(LOG_NOTICE, "configuration state saved again");
	r->persist_failed = rc < 0;
}

int cfgrepl_load(struct syncd *s, char *err, size_t errlen)
{
	struct cfgrepl *r = s->cfg;
	uint64_t version, digest;
	char *text, msg[SYNCD_CFG_MSG_MAX];
	size_t len;
	int rc;

	rc = cfgstore_load(s->conf.state_dir, &version, &digest, &text, &len,
			   err, errlen);
	if (rc == -ENOENT) {
		r->loaded = true;
		return 0;	/* first start: the module's is taken as version 0 */
	}
	if (rc < 0)
		return rc;
	rc = cfg_core_set(&r->core, version, text, len, digest, true, msg,
			  sizeof(msg));
	free(text);
	if (rc < 0) {
		snprintf(err, errlen, "%s/%s: %s; fix or remove it (the director "
			 "then takes the configuration from the cluster)",
			 s->conf.state_dir, CFGSTORE_FILE, msg);
		return -EINVAL;
	}
	r->loaded = true;
	return 0;
}

/* ---- the forwarding table ---- */

static void schedule_reconcile(struct cfgrepl *r);

static int module_load(struct syncd *s, struct adm_config *c,
		       struct pccvs_err *err)
{
	if (!s->be_open || !s->be.ops->cfg_load)
		return adm_err(err, -ENODEV, "no forwarding table");
	return s->be.ops->cfg_load(&s->be, c, err);
}

/* The module's configuration as text, timeouts/limits masked to those the
 * cluster sets. */
static int module_text(struct syncd *s, char **text, size_t *len,
		       struct pccvs_err *err)
{
	struct adm_config c;
	int rc;

	adm_config_init(&c);
	rc = module_load(s, &c, err);
	if (!rc) {
		adm_config_mask_cfg(&c, &s->cfg->core.conf.cfg);
		rc = adm_config_text(&c, text, len);
		if (rc)
			adm_err(err, rc, "out of memory");
	}
	adm_config_free(&c);
	return rc;
}

static void module_failed(struct cfgrepl *r, const char *what,
			  const struct pccvs_err *err)
{
	char e[sizeof(r->module_err)];

	snprintf(e, sizeof(e), "%.100s: %.150s", what, err->msg[0] ? err->msg :
		 strerror(-err->code));
	if (r->module_ok || strcmp(r->module_err, e))
		qb_log(LOG_ERR, "%s; the forwarding table differs from the "
		       "configuration (version %" PRIu64 "): reconciling", e,
		       r->core.version);
	memcpy(r->module_err, e, sizeof(e));
	r->module_ok = false;
	schedule_reconcile(r);
}

/* Make the table equal to the configuration (every change attempted;
 * the first failure kept). */
static int reconcile(struct cfgrepl *r)
{
	struct syncd *s = r->s;
	struct pccvs_err err = { 0 }, first = { 0 };
	struct adm_config have;
	struct adm_edits l;
	size_t done, bad = 0;
	int rc;

	if (!r->core.have)
		return 0;
	adm_config_init(&have);
	adm_edits_init(&l);
	rc = module_load(s, &have, &err);
	if (!rc && adm_config_reconcile(&have, &r->core.conf, &l))
		rc = adm_err(&err, -ENOMEM, "out of memory");
	if (rc) {
		adm_config_free(&have);
		adm_edits_free(&l);
		if (s->be_open)
			module_failed(r, "reading the forwarding table", &err);
		else
			snprintf(r->module_err, sizeof(r->module_err),
				 "no forwarding table");
		r->module_ok = false;
		return rc;
	}
	for (size_t i = 0; i < l.n; i++) {
		memset(&err, 0, sizeof(err));
		if (s->be.ops->cfg_apply(&s->be, &l.v[i], 1, &done, &err) < 0) {
			char es[ADM_EDIT_STRLEN];

			if (!bad++) {
				first = err;
				snprintf(first.msg, sizeof(first.msg), "%.100s: %.150s",
					 adm_edit_str(&l.v[i], es, sizeof(es)),
					 err.msg[0] ? err.msg : strerror(-err.code));
			}
		}
	}
	if (l.n)
		qb_log(bad ? LOG_WARNING : LOG_NOTICE, "forwarding table made to "
		       "match configuration version %" PRIu64 ": %zu change%s, "
		       "%zu refused", r->core.version, l.n, l.n == 1 ? "" : "s",
		       bad);
	adm_config_free(&have);
	adm_edits_free(&l);
	if (bad) {
		module_failed(r, "reconciling", &first);
		return first.code ? first.code : -EIO;
	}
	if (!r->module_ok && r->module_err[0])
		qb_log(LOG_NOTICE, "forwarding table matches configuration "
		       "version %" PRIu64 " again", r->core.version);
	r->module_ok = true;
	r->module_err[0] = '\0';
	r->module_version = r->core.version;
	r->rec_backoff_ms = 0;
	return 0;
}

static void reconcile_cb(void *data)
{
	struct cfgrepl *r = data;

	if (r->s->be_open)
		reconcile(r);
}

static void schedule_reconcile(struct cfgrepl *r)
{
	struct syncd *s = r->s;
	uint32_t b = r->rec_backoff_ms;

	if (!s->be_open || qb_loop_timer_is_running(s->loop, r->rec_timer))
		return;
	b = b ? (b * 2 > CFG_REC_MAX_MS ? CFG_REC_MAX_MS : b * 2) : CFG_REC_MIN_MS;
	r->rec_backoff_ms = b;
	qb_loop_timer_add(s->loop, QB_LOOP_LOW, (uint64_t)b * QB_TIME_NS_IN_MSEC,
			  r, reconcile_cb, &r->rec_timer);
}

bool cfgrepl_have(const struct syncd *s)
{
	return s->cfg && s->cfg->core.have;
}

void cfgrepl_backend_open(struct syncd *s)
{
	struct cfgrepl *r = s->cfg;
	struct pccvs_err err = { 0 };
	struct adm_config c;
	char msg[SYNCD_CFG_MSG_MAX];

	if (!r || !s->be.ops->cfg_load || !s->be.ops->cfg_apply)
		return;
	if (r->core.have) {
		reconcile(r);
		return;
	}
	/* No state yet: this table's configuration is our version 0 (the
	 * cluster's, if ours turns out to be the newest: members.c). */
	adm_config_init(&c);
	if (module_load(s, &c, &err) == 0) {
		/* timeouts and limits stay the module's own until set */
		memset(&c.cfg, 0, sizeof(c.cfg));
		if (cfg_core_set_conf(&r->core, 0, &c, msg, sizeof(msg)) == 0) {
			qb_log(LOG_NOTICE, "no configuration state in %s: this "
			       "director's table (%zu services) is configuration "
			       "version 0", s->conf.state_dir, c.m.n);
			persist(r);
			r->module_ok = true;
			r->module_version = 0;
		} else {
			qb_log(LOG_ERR, "cannot take the table's configuration: %s",
			       msg);
		}
	} else {
		qb_log(LOG_ERR, "cannot read the table's configuration: %s",
		       err.msg[0] ? err.msg : strerror(-err.code));
	}
	adm_config_free(&c);
}

/* ---- requests of our pccvsadm clients ---- */

static struct cfg_req *req_find(struct cfgrepl *r, uint64_t id)
{
	struct cfg_req *q = &r->reqs[id % CFG_REQS];

	return q->id == id ? q : NULL;
}

static void req_done(struct cfgrepl *r, uint64_t id, int status,
		     uint32_t refusal, uint64_t version, bool module_failed,
		     const char *msg)
{
	struct cfg_req *q = req_find(r, id);

	if (!q || q->status != -EINPROGRESS)
		return;
	q->status = status;
	q->refusal = refusal;
	q->version = version;
	q->module_failed = module_failed;
	snprintf(q->msg, sizeof(q->msg), "%s", msg ? msg : "");
}

/* Our pending edits may not come back: say so now. */
static void reqs_lost(struct cfgrepl *r, const char *why)
{
	char msg[SYNCD_CFG_MSG_MAX];

	snprintf(msg, sizeof(msg), "this director %s before its edit was "
		 "delivered: it was not applied here, and may or may not have "
		 "been applied by the others (see pccvsadm cluster status)", why);
	for (size_t i = 0; i < CFG_REQS; i++)
		if (r->reqs[i].id && r->reqs[i].status == -EINPROGRESS)
			req_done(r, r->reqs[i].id, -ECONNRESET, SYNCD_CFG_LOST,
				 r->core.version, false, msg);
}

/* ---- applying a delivered edit ---- */

static void apply_delivered(struct cfgrepl *r, const struct cfg_edit *e,
			    uint32_t node, bool self, uint64_t req_id)
{
	struct syncd *s = r->s;
	struct cfg_outcome o;
	struct pccvs_err err = { 0 };
	bool mfail = false;
	char msg[SYNCD_CFG_MSG_MAX] = "";
	size_t done;

	cfg_outcome_init(&o);
	cfg_core_apply(&r->core, e, &o);
	if (o.cannot_judge || o.status == -ENOMEM) {
		qb_log(LOG_ERR, "edit from node %u: %s; this director leaves the "
		       "cluster state and joins again", node, o.msg);
		if (self)
			req_done(r, req_id, o.status, SYNCD_CFG_LOST,
				 r->core.version, false, o.msg);
		r->core.mode = CFG_NONE;
		cfg_outcome_fini(&o);
		sync_resync(s);
		return;
	}
	if (o.refused) {
		qb_log(LOG_INFO, "edit from node %u refused at version %" PRIu64
		       ": %s", node, r->core.version, o.msg);
		if (self)
			req_done(r, req_id, o.status, SYNCD_CFG_INVALID,
				 r->core.version, false, o.msg);
		cfg_outcome_fini(&o);
		return;
	}
	qb_log(LOG_NOTICE, "configuration version %" PRIu64 " (edit from node "
	       "%u, %zu change%s)", o.version, node, o.planned.n,
	       o.planned.n == 1 ? "" : "s");
	persist(r);
	if (!s->be_open || !s->be.ops->cfg_apply) {
		r->module_ok = false;
		snprintf(r->module_err, sizeof(r->module_err), "no forwarding table");
	} else if (!r->module_ok) {
		schedule_reconcile(r);
		mfail = true;
		snprintf(msg, sizeof(msg), "this director's forwarding table "
			 "did not match the configuration (%s): reconciling",
			 r->module_err);
	} else if (o.planned.n &&
		   s->be.ops->cfg_apply(&s->be, o.planned.v, o.planned.n,
					&done, &err) < 0) {
		char es[ADM_EDIT_STRLEN], what[ADM_EDIT_STRLEN + 16];

		snprintf(what, sizeof(what), "applying %s",
			 adm_edit_str(&o.planned.v[done < o.planned.n ? done : 0],
				      es, sizeof(es)));
		module_failed(r, what, &err);
		mfail = true;
		snprintf(msg, sizeof(msg), "this director's forwarding table "
			 "refused it (%s): it will be reconciled", r->module_err);
	} else {
		r->module_version = o.version;
	}
	if (self)
		req_done(r, req_id, 0, SYNCD_CFG_OK, o.version, mfail, msg);
	cfg_outcome_fini(&o);
}

/* Kept edits, in order, once the configuration is current. */
static void replay(struct cfgrepl *r)
{
	struct syncd *s = r->s;
	struct cfg_core *c = &r->core;
	size_t n = c->rx_n;
	struct cfg_kept *v = c->rx;

	c->rx = NULL;
	c->rx_n = c->rx_cap = c->rx_bytes = 0;
	for (size_t i = 0; i < n; i++) {
		struct cfg_edit e = { .lines = v[i].lines,
				      .numbered = v[i].numbered,
				      .grammar = v[i].grammar };
		bool self = v[i].node == s->cpg.nodeid && v[i].pid == s->cpg.pid &&
			    v[i].incarnation == s->incarnation;

		if (c->mode == CFG_CURRENT)
			apply_delivered(r, &e, v[i].node, self, v[i].request_id);
		free(v[i].lines);
	}
	free(v);
	if (n)
		qb_log(LOG_INFO, "%zu configuration edit%s delivered during the "
		       "transfer applied", n, n == 1 ? "" : "s");
}

static void on_edit(struct syncd *s, const Pccvs__Envelope *e,
		    struct member *from, bool self, void *arg)
{
	struct cfgrepl *r = arg;
	const Pccvs__ConfigEdit *ce = e->config_edit;
	struct cfg_edit ed = { .lines = ce->lines,
			       .numbered = ce->has_numbered && ce->numbered,
			       .grammar = ce->has_grammar ? ce->grammar : 1 };

	if (!from)
		return;
	switch (r->core.mode) {
	case CFG_RX: {
		struct cfg_kept k = { .node = from->nodeid, .pid = from->pid,
				      .incarnation = e->incarnation,
				      .request_id = ce->request_id,
				      .numbered = ed.numbered,
				      .grammar = ed.grammar,
				      .lines = ce->lines };

		if (cfg_core_rx_push(&r->core, &k) < 0)
			qb_log(LOG_WARNING, "too many configuration edits during "
			       "the transfer: asking again afterwards");
		return;
	}
	case CFG_NONE:
		if (self)
			req_done(r, ce->request_id, -ECONNRESET, SYNCD_CFG_LOST,
				 r->core.version, false, "this director left the "
				 "cluster state before its edit was delivered: it "
				 "was not applied here (see pccvsadm cluster status)");
		return;
	case CFG_CURRENT:
		apply_delivered(r, &ed, from->nodeid, self, ce->request_id);
		return;
	}
}

/* ---- state transfer ---- */

void cfgrepl_cut(struct syncd *s, uint64_t xfer_id)
{
	struct cfgrepl *r = s->cfg;

	if (r)
		cfg_core_rx_start(&r->core, xfer_id);
}

void cfgrepl_rx_stop(struct syncd *s)
{
	struct cfgrepl *r = s->cfg;

	if (!r || r->core.mode != CFG_RX)
		return;
	cfg_core_rx_clear(&r->core);
	r->core.mode = CFG_NONE;
}

void cfgrepl_serve(struct syncd *s, uint64_t xfer_id, uint32_t target)
{
	struct cfgrepl *r = s->cfg;
	Pccvs__Envelope e = PCCVS__ENVELOPE__INIT;
	Pccvs__ConfigState cs = PCCVS__CONFIG_STATE__INIT;

	if (!r || r->core.mode != CFG_CURRENT || !r->core.have) {
		qb_log(LOG_WARNING, "donor without a current configuration (%s): "
		       "node %u gets none", r ? mode_name(r->core.mode) : "-",
		       target);
		return;
	}
	cs.has_xfer_id = cs.has_target = cs.has_version = cs.has_digest = 1;
	cs.xfer_id = xfer_id;
	cs.target = target;
	cs.version = r->core.version;
	cs.digest = r->core.digest;
	cs.has_grammar = 1;
	cs.grammar = ADM_CONFIG_GRAMMAR;
	cs.config = r->core.text;
	e.body_case = PCCVS__ENVELOPE__BODY_CONFIG_STATE;
	e.config_state = &cs;
	if (syncd_send_body(s, &e, SYNCD_Q_CTRL) < 0)
		qb_log(LOG_ERR, "cannot queue ConfigState for node %u", target);
	else
		qb_log(LOG_INFO, "configuration version %" PRIu64 " sent to node %u",
		       r->core.version, target);
}

static void on_state(struct syncd *s, const Pccvs__Envelope *e,
		     struct member *from, bool self, void *arg)
{
	struct cfgrepl *r = arg;
	const Pccvs__ConfigState *cs = e->config_state;
	char msg[SYNCD_CFG_MSG_MAX];
	uint64_t old = r->core.version;
	bool had = r->core.have;
	int rc;

	if (self || !from || cs->target != s->cpg.nodeid ||
	    r->core.mode != CFG_RX || cs->xfer_id != r->core.rx_xfer)
		return;
	if (r->core.rx_overflow) {
		qb_log(LOG_WARNING, "configuration edits lost during the transfer: "
		       "asking again");
		sync_resync(s);
		return;
	}
	if (cs->has_grammar && cs->grammar > ADM_CONFIG_GRAMMAR) {
		snprintf(msg, sizeof(msg), "it needs a newer pccvs-syncd (edit "
			 "language %u)", cs->grammar);
		rc = -EPROTO;
	} else {
		rc = cfg_core_set(&r->core, cs->version, cs->config,
				  strlen(cs->config), cs->digest, true, msg,
				  sizeof(msg));
	}
	if (rc < 0) {
		qb_log(LOG_ERR, "configuration from node %u refused: %s; asking "
		       "again", from->nodeid, msg);
		sync_resync(s);
		return;
	}
	r->core.mode = CFG_CURRENT;
	if (had && old > cs->version)
		qb_log(LOG_WARNING, "configuration version %" PRIu64 " from node %u "
		       "replaces this director's newer version %" PRIu64 " (the "
		       "cluster's wins)", cs->version, from->nodeid, old);
	else
		qb_log(LOG_NOTICE, "configuration version %" PRIu64 " from node %u "
		       "(was %" PRIu64 ")", cs->version, from->nodeid, old);
	persist(r);
	if (s->be_open)
		reconcile(r);
	replay(r);
}

/* ---- queries (pccvsadm cluster status / diff) ---- */

static struct cfg_query *query_find(struct cfgrepl *r, uint64_t id)
{
	struct cfg_query *q = &r->q[id % CFG_QUERIES];

	return q->id == id ? q : NULL;
}

static void query_clear(struct cfg_query *q)
{
	for (size_t i = 0; i < q->n; i++) {
		free(q->m[i].module_text);
		free(q->m[i].diff);
	}
	free(q->ref_text);
	memset(q, 0, sizeof(*q));
}

static void on_query(struct syncd *s, const Pccvs__Envelope *e,
		     struct member *from, bool self, void *arg)
{
	struct cfgrepl *r = arg;
	const Pccvs__ConfigQuery *cq = e->config_query;
	Pccvs__Envelope out = PCCVS__ENVELOPE__INIT;
	Pccvs__ConfigReport rep = PCCVS__CONFIG_REPORT__INIT;
	struct backend_counts cnt = { 0 };
	struct pccvs_err err = { 0 };
	char *mt = NULL;
	size_t ml = 0;

	if (!from)
		return;
	if (self) {	/* the members that are to answer */
		struct cfg_query *q = query_find(r, cq->query_id);

		if (q && !q->delivered) {
			q->delivered = true;
			for (size_t i = 0; i < s->members.n && i < MEMBERS_MAX; i++) {
				q->m[i].node = s->members.m[i].nodeid;
				q->m[i].pid = s->members.m[i].pid;
			}
			q->n = s->members.n;
		}
	}
	rep.has_query_id = rep.has_target = rep.has_target_pid = 1;
	rep.query_id = cq->query_id;
	rep.target = from->nodeid;
	rep.target_pid = from->pid;
	rep.has_version = rep.has_digest = rep.has_current = 1;
	rep.version = r->core.version;
	rep.digest = r->core.digest;
	rep.current = r->core.mode == CFG_CURRENT && s->synced;
	rep.has_module_version = 1;
	rep.module_version = r->module_version;
	if (module_text(s, &mt, &ml, &err) == 0) {
		rep.has_module_digest = 1;
		rep.module_digest = adm_config_hash(mt, ml);
		if (cq->kind == SYNCD_CFG_Q_DIFF && cq->has_ref_digest &&
		    rep.module_digest != cq->ref_digest &&
		    ml < WIRE_MSG_MAX - 4096)
			rep.module_config = mt;
	}
	rep.has_module_ok = 1;
	rep.module_ok = r->module_ok && r->core.have &&
			rep.has_module_digest && rep.module_digest == r->core.digest;
	if (!rep.module_ok)
		rep.module_error = r->module_err[0] ? r->module_err :
				   !r->core.have ? (char *)"no configuration" :
				   !rep.has_module_digest ? err.msg :
				   (char *)"the table differs from the configuration";
	if (s->be_open && s->be.ops->counts(&s->be, &cnt) == 0) {
		rep.has_templates = 1;
		rep.templates = cnt.templates;
		rep.has_local_templates = cnt.local != UINT64_MAX;
		rep.local_templates = cnt.local;
	}
	rep.has_pending = rep.has_unacked = rep.has_lag_ms = 1;
	rep.pending = coal_len(&s->pending) + s->liveq.n;
	rep.unacked = send_unconfirmed(s);
	rep.lag_ms = rep.unacked && s->unacked_since_ms ?
		     syncd_now_ms() - s->unacked_since_ms : 0;
	out.body_case = PCCVS__ENVELOPE__BODY_CONFIG_REPORT;
	out.config_report = &rep;
	if (syncd_send_body(s, &out, SYNCD_Q_CTRL) < 0)
		qb_log(LOG_ERR, "cannot queue a ConfigReport");
	free(mt);
}

static void on_report(struct syncd *s, const Pccvs__Envelope *e,
		      struct member *from, bool self, void *arg)
{
	struct cfgrepl *r = arg;
	const Pccvs__ConfigReport *rp = e->config_report;
	struct cfg_query *q;

	if (!from || rp->target != s->cpg.nodeid ||
	    (rp->has_target_pid && rp->target_pid != s->cpg.pid))
		return;
	q = query_find(r, rp->query_id);
	if (!q)
		return;
	for (size_t i = 0; i < q->n; i++) {
		struct cfg_qmember *m = &q->m[i];

		if (m->node != from->nodeid || m->pid != from->pid || m->answered)
			continue;
		m->answered = true;
		m->version = rp->version;
		m->digest = rp->digest;
		m->current = rp->has_current && rp->current;
		m->module_ok = rp->has_module_ok && rp->module_ok;
		m->module_version = rp->module_version;
		m->module_digest = rp->module_digest;
		m->templates = rp->templates;
		m->local_templates = rp->local_templates;
		m->pending = rp->pending;
		m->unacked = rp->unacked;
		m->lag_ms = rp->lag_ms;
		snprintf(m->module_error, sizeof(m->module_error), "%s",
			 rp->module_error ? rp->module_error : "");
		if (rp->module_config) {
			m->module_text = strdup(rp->module_config);
			m->module_len = m->module_text ? strlen(m->module_text) : 0;
		}
		return;
	}
}

/* ---- hooks ---- */

static void on_synced(struct syncd *s, void *arg, bool synced)
{
	struct cfgrepl *r = arg;

	if (!synced) {
		if (r->core.mode == CFG_CURRENT)
			r->core.mode = CFG_NONE;
		reqs_lost(r, "left the cluster state");
		return;
	}
	if (r->core.mode == CFG_CURRENT || !r->core.have)
		return;
	/* synced without a ConfigState: our configuration is the cluster's
	 * (we were chosen as the first synced member) */
	qb_log(LOG_NOTICE, "this director's configuration (version %" PRIu64
	       ") is the cluster's", r->core.version);
	r->core.mode = CFG_CURRENT;
	replay(r);
}

static void fill_status(struct syncd *s, void *arg, Pccvs__Status *st)
{
	struct cfgrepl *r = arg;

	if (!r->core.have)
		return;
	st->has_config_version = 1;
	st->config_version = r->core.version;
	st->has_config_digest = 1;
	st->config_digest = r->core.digest;
}

static bool resent_before(struct cfgrepl *r, const struct member *m)
{
	size_t i;

	for (i = 0; i < r->n_resent; i++)
		if (r->resent[i].node == m->nodeid && r->resent[i].pid == m->pid)
			break;
	if (i < r->n_resent && r->resent[i].epoch == r->s->cpg.epoch)
		return true;
	if (i == r->n_resent) {
		if (i == MEMBERS_MAX)
			i = 0;
		else
			r->n_resent++;
	}
	r->resent[i].node = m->nodeid;
	r->resent[i].pid = m->pid;
	r->resent[i].epoch = r->s->cpg.epoch;
	return false;
}

/*
 * Partition merge: a synced member announces a configuration we never
 * held. Only possible when both sides were quorate (two_node, or no
 * quorum provider). The higher version wins, equal versions the higher
 * digest; the losing side joins again and takes the winner's.
 */
static void member_status(struct syncd *s, void *arg, const struct member *m)
{
	struct cfgrepl *r = arg;
	struct cfg_core *c = &r->core;
	uint64_t v = m->st.config_version, d = m->st.config_digest, hd;
	bool known;

	if ((m->nodeid == s->cpg.nodeid && m->pid == s->cpg.pid) ||
	    !m->st.synced || !d || !s->synced || c->mode != CFG_CURRENT)
		return;
	known = cfg_core_digest_at(c, v, &hd);
	if ((known && hd == d) || (!known && v < c->version))
		return;
	if (cfg_wins(c->version, c->digest, v, d)) {
		qb_log(LOG_WARNING, "node %u holds configuration version %" PRIu64
		       " (%016" PRIx64 ") that this side never had: partition "
		       "merge; ours (version %" PRIu64 ") wins", m->nodeid, v, d,
		       c->version);
		if (!resent_before(r, m))
			sync_send_status(s);
		return;
	}
	qb_log(LOG_WARNING, "node %u holds configuration version %" PRIu64
	       " (%016" PRIx64 ") that this side never had: partition merge; "
	       "it wins over ours (version %" PRIu64 "): joining again",
	       m->nodeid, v, d, c->version);
	sync_resync(s);
}

/* ---- IPC ---- */

static void *resp_alloc(size_t size)
{
	struct syncd_ipc_resp *p = calloc(1, size);

	if (p) {
		p->hdr.size = (int32_t)size;
		p->version = SYNCD_IPC_VERSION;
	}
	return p;
}

static int result_resp(const struct cfg_req *q, uint64_t id, int status,
		       uint32_t refusal, uint64_t version, const char *msg,
		       void **resp, size_t *resp_len)
{
	struct syncd_ipc_cfg_result *o = resp_alloc(sizeof(*o));

	if (!o)
		return -ENOMEM;
	o->request_id = id;
	if (q) {
		o->status = q->status;
		o->refusal = q->refusal;
		o->config_version = q->version;
		o->module_failed = q->module_failed;
		snprintf(o->msg, sizeof(o->msg), "%s", q->msg);
	} else {
		o->status = status;
		o->refusal = refusal;
		o->config_version = version;
		snprintf(o->msg, sizeof(o->msg), "%s", msg ? msg : "");
	}
	*resp = o;
	*resp_len = sizeof(*o);
	return 0;
}

static const char *state_why(const struct syncd *s)
{
	switch (s->state) {
	case SYNCD_ST_NO_BACKEND: return "no forwarding table";
	case SYNCD_ST_WAIT_STATUS: return "waiting for the members' status";
	case SYNCD_ST_WAIT_SNAPSHOT:
	case SYNCD_ST_RECEIVING: return "taking the cluster state";
	case SYNCD_ST_NO_QUORUM: return "no quorum";
	default: return "joining";
	}
}

static int edit_send(struct syncd *s, struct cfgrepl *r, const struct cfg_edit *ed,
		     void **resp, size_t *resp_len);

static int ipc_edit(struct syncd *s, const void *req, size_t len, void **resp,
		    size_t *resp_len, void *arg)
{
	struct cfgrepl *r = arg;
	char why[SYNCD_CFG_MSG_MAX];
	struct cfg_edit ed = { 0 };
	int rc;

	rc = cfg_ipc_edit_decode(req, len, &ed, why, sizeof(why));
	if (rc == -EILSEQ)
		return result_resp(NULL, 0, -EINVAL, SYNCD_CFG_INVALID,
				   r->core.version, why, resp, resp_len);
	if (rc < 0)
		return rc;
	rc = edit_send(s, r, &ed, resp, resp_len);
	free((char *)ed.lines);
	return rc;
}

/* A well-formed request: refuse it, or multicast it. */
static int edit_send(struct syncd *s, struct cfgrepl *r, const struct cfg_edit *ed,
		     void **resp, size_t *resp_len)
{
	Pccvs__Envelope e = PCCVS__ENVELOPE__INIT;
	Pccvs__ConfigEdit ce = PCCVS__CONFIG_EDIT__INIT;
	char why[SYNCD_CFG_MSG_MAX];
	struct cfg_outcome o;
	struct cfg_req *slot;
	int rc;

	if (!s->cpg.joined)
		return result_resp(NULL, 0, -ENOTCONN, SYNCD_CFG_UNAVAILABLE,
				   r->core.version, "pccvs-syncd is not in the "
				   "cluster (is corosync running?): the edit was "
				   "not made", resp, resp_len);
	if (!s->quorum.quorate)
		return result_resp(NULL, 0, -ENOTCONN, SYNCD_CFG_UNAVAILABLE,
				   r->core.version, "this director has no quorum: "
				   "cluster edits are refused (pccvsadm --local "
				   "changes this director's table only)", resp,
				   resp_len);
	if (!s->synced || r->core.mode != CFG_CURRENT) {
		snprintf(why, sizeof(why), "this director is not synced with "
			 "the cluster yet (%s): try again shortly", state_why(s));
		return result_resp(NULL, 0, -EAGAIN, SYNCD_CFG_UNAVAILABLE,
				   r->core.version, why, resp, resp_len);
	}
	cfg_outcome_init(&o);
	cfg_core_check(&r->core, ed, &o);
	if (o.status) {
		rc = result_resp(NULL, 0, o.status, o.refused || o.cannot_judge ?
				 SYNCD_CFG_INVALID : SYNCD_CFG_UNAVAILABLE,
				 r->core.version, o.msg, resp, resp_len);
		cfg_outcome_fini(&o);
		return rc;
	}
	cfg_outcome_fini(&o);
	slot = &r->reqs[++r->next_req % CFG_REQS];
	memset(slot, 0, sizeof(*slot));
	slot->id = r->next_req;
	slot->sent_ms = syncd_now_ms();
	slot->status = -EINPROGRESS;
	slot->version = r->core.version;
	ce.has_request_id = ce.has_base_version = ce.has_grammar = 1;
	ce.request_id = slot->id;
	ce.base_version = r->core.version;
	ce.grammar = ed->grammar;
	ce.has_numbered = 1;
	ce.numbered = ed->numbered;
	ce.lines = (char *)ed->lines;
	e.body_case = PCCVS__ENVELOPE__BODY_CONFIG_EDIT;
	e.config_edit = &ce;
	rc = syncd_send_body(s, &e, SYNCD_Q_CTRL);
	if (rc < 0) {
		slot->id = 0;
		return rc;
	}
	return result_resp(slot, slot->id, 0, 0, 0, NULL, resp, resp_len);
}

static int ipc_result(struct syncd *s, const void *req, size_t len, void **resp,
		      size_t *resp_len, void *arg)
{
	struct cfgrepl *r = arg;
	const struct syncd_ipc_cfg_result_req *q = req;
	struct cfg_req *slot;

	if (len < sizeof(*q) || !q->request_id)
		return -EINVAL;
	slot = req_find(r, q->request_id);
	if (!slot)
		return result_resp(NULL, q->request_id, -ENOENT, SYNCD_CFG_LOST,
				   r->core.version, "unknown request (pccvs-syncd "
				   "restarted?)", resp, resp_len);
	if (slot->status == -EINPROGRESS &&
	    syncd_now_ms() - slot->sent_ms > CFG_REQ_TIMEOUT_MS)
		req_done(r, slot->id, -ETIMEDOUT, SYNCD_CFG_LOST, r->core.version,
			 false, "the edit did not come back from the cluster in "
			 "30 s: it may or may not have been applied (see "
			 "pccvsadm cluster status)");
	return result_resp(slot, slot->id, 0, 0, 0, NULL, resp, resp_len);
}

static int ipc_get(struct syncd *s, const void *req, size_t len, void **resp,
		   size_t *resp_len, void *arg)
{
	struct cfgrepl *r = arg;
	const struct syncd_ipc_cfg_get_req *q = req;
	struct syncd_ipc_cfg_text *o;
	struct pccvs_err err = { 0 };
	char *mt = NULL;
	const char *t;
	size_t tl = 0, size;

	if (len < sizeof(*q) || q->which > SYNCD_CFG_MODULE)
		return -EINVAL;
	if (q->which == SYNCD_CFG_MODULE) {
		if (module_text(s, &mt, &tl, &err))
			return err.code ? err.code : -EIO;
		t = mt;
	} else {
		t = r->core.have ? r->core.text : "";
		tl = r->core.have ? r->core.len : 0;
	}
	size = sizeof(*o) + tl + 1;
	if (size > SYNCD_IPC_MAX_MSG - 1024) {
		free(mt);
		return -E2BIG;
	}
	o = resp_alloc(size);
	if (!o) {
		free(mt);
		return -ENOMEM;
	}
	o->which = q->which;
	o->config_version = r->core.version;
	o->digest = r->core.digest;
	o->have = r->core.have;
	o->current = r->core.mode == CFG_CURRENT && s->synced;
	o->module_ok = r->module_ok;
	o->module_version = r->module_version;
	snprintf(o->module_error, sizeof(o->module_error), "%s", r->module_err);
	o->len = (uint32_t)tl;
	memcpy(o->text, t, tl);
	o->text[tl] = '\0';
	free(mt);
	*resp = o;
	*resp_len = size;
	return 0;
}

static int ipc_query(struct syncd *s, const void *req, size_t len, void **resp,
		     size_t *resp_len, void *arg)
{
	struct cfgrepl *r = arg;
	const struct syncd_ipc_cfg_query_req *q = req;
	struct syncd_ipc_cfg_query_resp *o;
	Pccvs__Envelope e = PCCVS__ENVELOPE__INIT;
	Pccvs__ConfigQuery cq = PCCVS__CONFIG_QUERY__INIT;
	struct cfg_query *slot;
	int rc;

	if (len < sizeof(*q) || (q->kind != SYNCD_CFG_Q_STATUS &&
				 q->kind != SYNCD_CFG_Q_DIFF))
		return -EINVAL;
	if (!s->cpg.joined)
		return -ENOTCONN;
	slot = &r->q[++r->next_query % CFG_QUERIES];
	query_clear(slot);
	slot->id = r->next_query;
	slot->kind = q->kind;
	slot->start_ms = syncd_now_ms();
	slot->ref_version = r->core.version;
	slot->ref_digest = r->core.digest;
	if (r->core.have) {
		slot->ref_text = strdup(r->core.text);
		slot->ref_len = r->core.len;
	}
	cq.has_query_id = cq.has_kind = cq.has_ref_digest = 1;
	cq.query_id = slot->id;
	cq.kind = q->kind;
	cq.ref_digest = r->core.digest;
	e.body_case = PCCVS__ENVELOPE__BODY_CONFIG_QUERY;
	e.config_query = &cq;
	rc = syncd_send_body(s, &e, SYNCD_Q_CTRL);
	if (rc < 0)
		return rc;
	o = resp_alloc(sizeof(*o));
	if (!o)
		return -ENOMEM;
	o->query_id = slot->id;
	*resp = o;
	*resp_len = sizeof(*o);
	return 0;
}

static int ipc_report(struct syncd *s, const void *req, size_t len, void **resp,
		      size_t *resp_len, void *arg)
{
	struct cfgrepl *r = arg;
	const struct syncd_ipc_cfg_report_req *q = req;
	struct syncd_ipc_cfg_report *o;
	struct cfg_query *qu;
	struct cfg_qmember *m;
	bool all = true, timed_out;
	size_t size;

	if (len < sizeof(*q))
		return -EINVAL;
	qu = query_find(r, q->query_id);
	if (!qu)
		return -ENOENT;
	timed_out = syncd_now_ms() - qu->start_ms > CFG_QUERY_TIMEOUT_MS;
	for (size_t i = 0; i < qu->n; i++)
		all = all && qu->m[i].answered;
	if (!qu->delivered || (!all && !timed_out) || q->index >= qu->n) {
		o = resp_alloc(sizeof(*o));
		if (!o)
			return -ENOMEM;
		o->status = !qu->delivered && timed_out ? -ETIMEDOUT :
			    (!qu->delivered || (!all && !timed_out)) ?
			    -EINPROGRESS : -ERANGE;
		o->n = (uint32_t)qu->n;
		o->index = q->index;
		*resp = o;
		*resp_len = sizeof(*o);
		return 0;
	}
	m = &qu->m[q->index];
	if (qu->kind == SYNCD_CFG_Q_DIFF && m->answered && !m->diffed) {
		m->diffed = true;
		m->diff_lines = m->module_text ?
			adm_config_text_diff(qu->ref_text ? qu->ref_text : "",
					     qu->ref_len, m->module_text,
					     m->module_len, &m->diff, &m->diff_len) :
			m->module_digest == qu->ref_digest ? 0 : -1;
		if (m->diff_lines < -1)
			m->diff_lines = -1;
	}
	size = sizeof(*o) + m->diff_len + 1;
	if (size > SYNCD_IPC_MAX_MSG - 1024)
		size = SYNCD_IPC_MAX_MSG - 1024;
	o = resp_alloc(size);
	if (!o)
		return -ENOMEM;
	o->status = 0;
	o->n = (uint32_t)qu->n;
	o->index = q->index;
	o->nodeid = m->node;
	o->pid = m->pid;
	o->answered = m->answered;
	o->self = m->node == s->cpg.nodeid && m->pid == s->cpg.pid;
	o->current = m->current;
	o->module_ok = m->module_ok;
	o->config_version = m->version;
	o->digest = m->digest;
	o->module_version = m->module_version;
	o->module_digest = m->module_digest;
	o->templates = m->templates;
	o->local_templates = m->local_templates;
	o->pending = m->pending;
	o->unacked = m->unacked;
	o->lag_ms = m->lag_ms;
	o->ref_version = qu->ref_version;
	o->ref_digest = qu->ref_digest;
	snprintf(o->module_error, sizeof(o->module_error), "%s", m->module_error);
	o->diff_lines = qu->kind == SYNCD_CFG_Q_DIFF ? m->diff_lines : -1;
	o->len = (uint32_t)(size - sizeof(*o) - 1);
	if (m->diff)
		memcpy(o + 1, m->diff, o->len);
	((char *)(o + 1))[o->len] = '\0';
	*resp = o;
	*resp_len = size;
	return 0;
}

/* ---- setup ---- */

int cfgrepl_init(struct syncd *s)
{
	struct cfgrepl *r = calloc(1, sizeof(*r));
	struct syncd_hooks h = {
		.synced = on_synced, .fill_status = fill_status,
		.member_status = member_status,
	};
	int rc;

	if (!r)
		return -ENOMEM;
	r->s = s;
	cfg_core_init(&r->core);
	r->next_req = (s->incarnation & 0xffffffULL) << 20;
	h.arg = r;
	s->cfg = r;
	if ((rc = syncd_hooks_add(s, &h)) < 0)
		return rc;
	syncd_handler_set(s, PCCVS__ENVELOPE__BODY_CONFIG_EDIT, on_edit, r);
	syncd_handler_set(s, PCCVS__ENVELOPE__BODY_CONFIG_STATE, on_state, r);
	syncd_handler_set(s, PCCVS__ENVELOPE__BODY_CONFIG_QUERY, on_query, r);
	syncd_handler_set(s, PCCVS__ENVELOPE__BODY_CONFIG_REPORT, on_report, r);
	syncd_ipc_handler_set(s, SYNCD_IPC_CFG_EDIT, ipc_edit, r);
	syncd_ipc_handler_set(s, SYNCD_IPC_CFG_RESULT, ipc_result, r);
	syncd_ipc_handler_set(s, SYNCD_IPC_CFG_GET, ipc_get, r);
	syncd_ipc_handler_set(s, SYNCD_IPC_CFG_QUERY, ipc_query, r);
	syncd_ipc_handler_set(s, SYNCD_IPC_CFG_REPORT, ipc_report, r);
	return 0;
}

void cfgrepl_fini(struct syncd *s)
{
	struct cfgrepl *r = s->cfg;

	if (!r)
		return;
	if (s->loop)
		qb_loop_timer_del(s->loop, r->rec_timer);
	for (size_t i = 0; i < CFG_QUERIES; i++)
		query_clear(&r->q[i]);
	cfg_core_fini(&r->core);
	free(r);
	s->cfg = NULL;
}
