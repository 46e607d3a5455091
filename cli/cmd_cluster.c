// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_cluster.c: `pccvsadm cluster [status]` (one place to look: members,
 * roles, synced state, priorities, quorum, VIPs, configuration version,
 * tables, replication lag), `pccvsadm cluster switchover NODE` (asks
 * pccvs-syncd, then watches until NODE is the active director), `cluster
 * diff` (every director's table against the replicated configuration) and
 * `cluster config` (the replicated configuration as -R input).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "adm.h"
#include "cluster.h"

static const char *yesno(int b) { return b ? "yes" : "no"; }

static const char *role_name(unsigned int r)
{
	return r == 2 ? "active" : r == 1 ? "standby" : "-";
}

static const struct syncd_ipc_member *member(const struct adm_cluster_info *c,
					     uint32_t node, uint32_t pid)
{
	for (uint32_t i = 0; i < c->mem.n && i < SYNCD_IPC_MEMBERS_MAX; i++)
		if (c->mem.m[i].nodeid == node && c->mem.m[i].pid == pid)
			return &c->mem.m[i];
	return NULL;
}

void adm_cluster_reports_free(struct adm_cluster_report *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		free(v[i].diff);
	free(v);
}

/* This member's answer to the configuration query, if any. */
static const struct adm_cluster_report *report(const struct adm_cluster_report *v,
					       size_t n, uint32_t node,
					       uint32_t pid)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].r.nodeid == node && v[i].r.pid == pid)
			return &v[i];
	return NULL;
}

static const char *table_word(const struct syncd_ipc_cfg_report *r)
{
	return !r->answered ? "?" : r->module_ok ? "in sync" : "DIFFERS";
}

/* "57", "57 old" (not the asker's), "57 joining" (not current) */
static const char *config_word(const struct syncd_ipc_cfg_report *r, char *buf,
			       size_t len)
{
	if (!r->answered)
		return "?";
	snprintf(buf, len, "%" PRIu64 "%s", r->config_version,
		 !r->current ? " joining" :
		 r->config_version != r->ref_version || r->digest != r->ref_digest ?
		 " OTHER" : "");
	return buf;
}

static const char *lag_word(const struct syncd_ipc_cfg_report *r, char *buf,
			    size_t len)
{
	if (!r->answered)
		return "?";
	snprintf(buf, len, "%" PRIu64 "/%" PRIu64 " %" PRIu64 "ms", r->pending,
		 r->unacked, r->lag_ms);
	return buf;
}

/* The configuration line and, per director, what is wrong. */
static void print_config_summary(FILE *f, const struct adm_cluster_report *v,
				 size_t n, const char *why)
{
	size_t cur = 0, sync = 0;

	if (!v) {
		fprintf(f, "Configuration: not available (%s)\n", why);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		cur += v[i].r.answered && v[i].r.current &&
		       v[i].r.config_version == v[i].r.ref_version;
		sync += v[i].r.answered && v[i].r.module_ok;
	}
	fprintf(f, "Configuration: version %" PRIu64 " (%016" PRIx64 "), current "
		"on %zu of %zu directors, tables in sync on %zu\n",
		n ? v[0].r.ref_version : 0, n ? v[0].r.ref_digest : 0, cur, n, sync);
	for (size_t i = 0; i < n; i++) {
		const struct syncd_ipc_cfg_report *r = &v[i].r;

		if (!r->answered)
			fprintf(f, "  node %u: no answer\n", r->nodeid);
		else if (!r->module_ok)
			fprintf(f, "  node %u: table: %s\n", r->nodeid,
				r->module_error[0] ? r->module_error :
				"differs from the configuration");
	}
}

/* Without HA: the members as the configuration query saw them. */
static void print_members(FILE *f, const struct adm_cluster_report *v, size_t n)
{
	char cw[40], lw[64];

	fprintf(f, "  %-6s %8s  %-12s %-8s %10s  %s\n", "NODE", "PID", "CONFIG",
		"TABLE", "TEMPLATES", "LAG (pending/unacked age)");
	for (size_t i = 0; i < n; i++) {
		const struct syncd_ipc_cfg_report *r = &v[i].r;

		fprintf(f, "%c %-6u %8u  %-12s %-8s %10" PRIu64 "  %s\n",
			r->self ? '*' : ' ', r->nodeid, r->pid,
			config_word(r, cw, sizeof(cw)), table_word(r), r->templates,
			lag_word(r, lw, sizeof(lw)));
	}
}

static void print_status(FILE *f, const struct adm_cluster_info *c,
			 const struct adm_cluster_report *rv, size_t rn,
			 const char *why)
{
	const struct ha_ipc_status *h = &c->ha;

	fprintf(f, "Cluster: group %s, %u director%s, %s, ring %" PRIu64
		", this node %u\n", c->st.group, c->st.members,
		c->st.members == 1 ? "" : "s",
		c->st.quorate ? "quorate" : "NOT QUORATE", c->st.epoch,
		c->st.nodeid);
	if (!c->have_ha) {
		fprintf(f, "HA: not available from this daemon\n");
		print_config_summary(f, rv, rn, why);
		if (rv)
			print_members(f, rv, rn);
		return;
	}
	fprintf(f, "This director: %s for %.1f s, %s, priority %u, preempt %s",
		h->role == 2 ? "ACTIVE" : "standby", (double)h->role_ms / 1000,
		h->synced ? "synced" : "NOT SYNCED", h->priority, yesno(h->preempt));
	if (h->preempt && h->preempt_delay_ms)
		fprintf(f, " (delay %u ms)", h->preempt_delay_ms);
	fprintf(f, "\n");
	if (h->has_active)
		fprintf(f, "Active director: node %u (%s, term %" PRIu64
			", %.1f s ago)%s\n", h->active_node, h->why_text,
			h->term, (double)h->last_change_ms / 1000,
			h->fallback ? " NOT SYNCED: fallback" : "");
	else
		fprintf(f, "Active director: none (%s)\n", h->why_text);
	if (h->joining || !h->settled)
		fprintf(f, "Membership: %s\n", h->joining ?
			"joining (waiting for every director's role)" :
			"settling (waiting for the joiners' roles)");
	print_config_summary(f, rv, rn, why);
	fprintf(f, "  %-6s %8s  %-8s %-6s %-5s %4s %10s  %-12s %-8s %s\n", "NODE",
		"PID", "ROLE", "SYNCED", "READY", "PRIO", "TEMPLATES", "CONFIG",
		"TABLE", "LAG (pending/unacked age)");
	for (uint32_t i = 0; i < h->n_nodes && i < HA_IPC_NODES_MAX; i++) {
		const struct ha_ipc_node *n = &h->nodes[i];
		const struct syncd_ipc_member *m = member(c, n->node, n->pid);
		const struct adm_cluster_report *r = report(rv, rn, n->node, n->pid);
		char tpl[24] = "-", prio[12] = "?", cw[40] = "?", lw[64] = "?";
		const char *tw = "?";

		if (r && r->r.answered)
			snprintf(tpl, sizeof(tpl), "%" PRIu64, r->r.templates);
		else if (m && m->status_known)
			snprintf(tpl, sizeof(tpl), "%" PRIu64, m->templates);
		if (n->status)
			snprintf(prio, sizeof(prio), "%u", n->prio);
		if (r) {
			config_word(&r->r, cw, sizeof(cw));
			lag_word(&r->r, lw, sizeof(lw));
			tw = table_word(&r->r);
		} else if (m && m->status_known) {
			snprintf(cw, sizeof(cw), "%" PRIu64, m->config_version);
		}
		fprintf(f, "%c %-6u %8u  %-8s %-6s %-5s %4s %10s  %-12s %-8s %s%s\n",
			n->self ? '*' : ' ', n->node, n->pid,
			n->active ? "active" : n->fresh || n->claim ?
			role_name(n->claim) : "?",
			n->status ? yesno(n->synced) : "?",
			n->status ? yesno(n->ready) : "?", prio, tpl, cw, tw, lw,
			n->active && n->claim != 2 ? "  (taking over)" : "");
	}
	if (h->n_vip) {
		fprintf(f, "VIPs (%s here):\n", h->role == 2 ? "held" : "not held");
		for (uint32_t i = 0; i < h->n_vip && i < HA_IPC_VIP_MAX; i++) {
			const struct ha_ipc_vip *v = &h->vip[i];
			char a[INET6_ADDRSTRLEN] = "?";

			inet_ntop(v->af, v->addr, a, sizeof(a));
			fprintf(f, "  %s/%u dev %s: %s", a, v->prefix, v->dev,
				v->held ? "up" : "down");
			if (v->error)
				fprintf(f, " (last error: %s)", strerror(-v->error));
			fprintf(f, "\n");
		}
	}
}

static int info(struct adm_ctx *ctx, void *priv, struct adm_cluster_info *c)
{
	struct pccvs_err err = { 0 };

	if (ctx->cluster->info(priv, c, &err))
		return adm_fail(ctx, ADM_EXIT_FAIL, &err);
	return 0;
}

static void nap_ms(unsigned int ms)
{
	struct timespec ts = { .tv_sec = ms / 1000,
			       .tv_nsec = (long)(ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static int switchover(struct adm_ctx *ctx, void *priv, uint32_t node)
{
	static struct adm_cluster_info c;	/* large */
	struct pccvs_err err = { 0 };
	unsigned int waited = 0;
	int ret;

	ret = ctx->cluster->switchover(priv, node, &err);
	if (ret == -EALREADY) {
		fprintf(ctx->out, "node %u is already the active director\n", node);
		return ADM_EXIT_OK;
	}
	if (ret)
		return adm_fail(ctx, ret == -ENOENT || ret == -EINVAL ?
				ADM_EXIT_USAGE : ADM_EXIT_FAIL, &err);
	for (;;) {
		if ((ret = info(ctx, priv, &c)))
			return ret;
		if (c.have_ha && c.ha.has_active && c.ha.active_node == node)
			break;
		if (waited >= ctx->cluster_wait_ms) {
			fprintf(ctx->err, "%s: switchover to node %u asked, but "
				"the active director is still %s after %u ms\n",
				ctx->prog, node, c.ha.has_active ?
				"another node" : "none", waited);
			return ADM_EXIT_FAIL;
		}
		nap_ms(50);
		waited += 50;
	}
	fprintf(ctx->out, "node %u is the active director (term %" PRIu64 ")\n",
		node, c.ha.term);
	return ADM_EXIT_OK;
}

/* cluster diff: every director's table against the replicated
 * configuration (this director's); 1 if any differs or did not answer. */
static int diff(struct adm_ctx *ctx, void *priv)
{
	struct pccvs_err err = { 0 };
	struct adm_cluster_report *v = NULL;
	size_t n = 0, bad = 0;

	if (!ctx->cluster->query)
		return adm_fail(ctx, ADM_EXIT_FAIL, &(struct pccvs_err){
			.code = -EOPNOTSUPP, .msg = "not available here" });
	if (ctx->cluster->query(priv, SYNCD_CFG_Q_DIFF, &v, &n, &err))
		return adm_fail(ctx, ADM_EXIT_FAIL, &err);
	fprintf(ctx->out, "Cluster configuration version %" PRIu64 " (%016" PRIx64
		"), as this director holds it\n", n ? v[0].r.ref_version : 0,
		n ? v[0].r.ref_digest : 0);
	for (size_t i = 0; i < n; i++) {
		const struct syncd_ipc_cfg_report *r = &v[i].r;
		char who[48];

		snprintf(who, sizeof(who), "node %u%s", r->nodeid,
			 r->self ? " (this director)" : "");
		if (!r->answered) {
			fprintf(ctx->out, "%s: no answer\n", who);
			bad++;
			continue;
		}
		if (r->config_version != r->ref_version || r->digest != r->ref_digest ||
		    !r->current) {
			fprintf(ctx->out, "%s: holds configuration version %" PRIu64
				"%s\n", who, r->config_version,
				r->current ? " (another history)" : " (not current: joining)");
			bad++;
		}
		if (r->module_digest == r->ref_digest) {
			fprintf(ctx->out, "%s: table matches\n", who);
			continue;
		}
		bad++;
		if (r->diff_lines > 0 && v[i].diff) {
			fprintf(ctx->out, "%s: table differs (%d line%s; - configuration "
				"only, + table only):\n", who, r->diff_lines,
				r->diff_lines == 1 ? "" : "s");
			for (const char *p = v[i].diff; *p; ) {
				const char *e = strchr(p, '\n');
				int l = e ? (int)(e - p) : (int)strlen(p);

				fprintf(ctx->out, "  %.*s\n", l, p);
				p += l + (e ? 1 : 0);
			}
		} else {
			fprintf(ctx->out, "%s: table differs%s%s\n", who,
				r->module_error[0] ? ": " : "", r->module_error);
		}
	}
	adm_cluster_reports_free(v, n);
	return bad ? ADM_EXIT_FAIL : ADM_EXIT_OK;
}

/* cluster config: the replicated configuration, as -R input. */
static int config(struct adm_ctx *ctx, void *priv)
{
	struct pccvs_err err = { 0 };
	struct syncd_ipc_cfg_text *t = NULL;

	if (!ctx->cluster->config)
		return adm_fail(ctx, ADM_EXIT_FAIL, &(struct pccvs_err){
			.code = -EOPNOTSUPP, .msg = "not available here" });
	if (ctx->cluster->config(priv, SYNCD_CFG_REPLICATED, &t, &err))
		return adm_fail(ctx, ADM_EXIT_FAIL, &err);
	if (!t->have) {
		free(t);
		return adm_fail(ctx, ADM_EXIT_FAIL, &(struct pccvs_err){ .code = -ENOENT,
			.msg = "pccvs-syncd holds no configuration yet (no forwarding "
			       "table opened)" });
	}
	fprintf(ctx->out, "# pccvs cluster configuration version %" PRIu64
		" (%016" PRIx64 ")%s\n", t->config_version, t->digest,
		t->current ? "" : ", NOT CURRENT: this director is not synced");
	fwrite(t->text, 1, t->len, ctx->out);
	free(t);
	return ADM_EXIT_OK;
}

int adm_run_cluster(struct adm_ctx *ctx, struct adm_cmd *cmd)
{
	static struct adm_cluster_info c;	/* large */
	struct pccvs_err err = { 0 }, qerr = { 0 };
	struct adm_cluster_report *rv = NULL;
	size_t rn = 0;
	void *priv = NULL;
	int ret;

	if (!ctx->cluster) {
		adm_err(&err, -EOPNOTSUPP, "cluster commands are not available here");
		return adm_fail(ctx, ADM_EXIT_FAIL, &err);
	}
	if (ctx->cluster->open(&priv, &err))
		return adm_fail(ctx, ADM_EXIT_FAIL, &err);
	if (cmd->cluster_op == ADM_CLUSTER_SWITCHOVER) {
		ret = switchover(ctx, priv, cmd->cluster_node);
	} else if (cmd->cluster_op == ADM_CLUSTER_DIFF) {
		ret = diff(ctx, priv);
	} else if (cmd->cluster_op == ADM_CLUSTER_CONFIG) {
		ret = config(ctx, priv);
	} else {
		memset(&c, 0, sizeof(c));
		ret = info(ctx, priv, &c);
		if (!ret && (!ctx->cluster->query ||
			     ctx->cluster->query(priv, SYNCD_CFG_Q_STATUS, &rv, &rn,
						 &qerr))) {
			rv = NULL;
			rn = 0;
			if (!qerr.msg[0])
				adm_err(&qerr, -EOPNOTSUPP, "not available here");
		}
		if (!ret)
			print_status(ctx->out, &c, rv, rn, qerr.msg);
		adm_cluster_reports_free(rv, rn);
	}
	ctx->cluster->close(priv);
	return ret;
}
