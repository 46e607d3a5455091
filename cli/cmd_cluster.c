// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_cluster.c: `pccvsadm cluster [status]` (one place to look: members,
 * roles, synced state, priorities, quorum, VIPs) and `pccvsadm cluster
 * switchover NODE` (asks pccvs-syncd, then watches until NODE is the
 * active director).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
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

static void print_status(FILE *f, const struct adm_cluster_info *c)
{
	const struct ha_ipc_status *h = &c->ha;

	fprintf(f, "Cluster: group %s, %u director%s, %s, ring %" PRIu64
		", this node %u\n", c->st.group, c->st.members,
		c->st.members == 1 ? "" : "s",
		c->st.quorate ? "quorate" : "NOT QUORATE", c->st.epoch,
		c->st.nodeid);
	if (!c->have_ha) {
		fprintf(f, "HA: not available from this daemon\n");
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
	fprintf(f, "  %-6s %8s  %-8s %-6s %-5s %4s %10s\n", "NODE", "PID",
		"ROLE", "SYNCED", "READY", "PRIO", "TEMPLATES");
	for (uint32_t i = 0; i < h->n_nodes && i < HA_IPC_NODES_MAX; i++) {
		const struct ha_ipc_node *n = &h->nodes[i];
		const struct syncd_ipc_member *m = member(c, n->node, n->pid);
		char tpl[24] = "-", prio[12] = "?";

		if (m && m->status_known)
			snprintf(tpl, sizeof(tpl), "%" PRIu64, m->templates);
		if (n->status)
			snprintf(prio, sizeof(prio), "%u", n->prio);
		fprintf(f, "%c %-6u %8u  %-8s %-6s %-5s %4s %10s%s\n",
			n->self ? '*' : ' ', n->node, n->pid,
			n->active ? "active" : n->fresh || n->claim ?
			role_name(n->claim) : "?",
			n->status ? yesno(n->synced) : "?",
			n->status ? yesno(n->ready) : "?", prio, tpl,
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

int adm_run_cluster(struct adm_ctx *ctx, struct adm_cmd *cmd)
{
	static struct adm_cluster_info c;	/* large */
	struct pccvs_err err = { 0 };
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
	} else {
		memset(&c, 0, sizeof(c));
		ret = info(ctx, priv, &c);
		if (!ret)
			print_status(ctx->out, &c);
	}
	ctx->cluster->close(priv);
	return ret;
}
