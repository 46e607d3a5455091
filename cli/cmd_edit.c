// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_edit.c: every configuration change (-A -E -D -a -e -d -C -Z --set
 * --set-limits, and -R) takes one path: resolve all names, load the
 * configuration, plan (validate everything), apply, and if the backend
 * refuses midway say exactly what was applied and what was not.
 */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include "adm.h"
#include "names.h"

static void list_edits(FILE *f, const struct adm_edit *v, size_t n)
{
	char es[ADM_EDIT_STRLEN];
	size_t i;

	for (i = 0; i < n; i++)
		fprintf(f, "%s%s", i ? ", " : "", adm_edit_str(&v[i], es, sizeof(es)));
}

static int report_partial(struct adm_ctx *ctx, const struct adm_edits *p,
			  size_t done, const struct pccvs_err *err)
{
	const struct adm_edit *bad = &p->v[done < p->n ? done : p->n - 1];
	const char *msg = err->msg[0] ? err->msg : strerror(-err->code);
	char es[ADM_EDIT_STRLEN], at[24] = "";

	if (bad->line)
		snprintf(at, sizeof(at), "line %u: ", bad->line);
	fprintf(ctx->err, "%s: %s%s: %s\n", ctx->prog, at,
		adm_edit_str(bad, es, sizeof(es)), msg);
	if (p->n == 1)
		return ADM_EXIT_FAIL;
	if (!done) {
		fprintf(ctx->err, "%s: nothing was changed\n", ctx->prog);
		return ADM_EXIT_FAIL;
	}
	if (p->v[0].line) {
		fprintf(ctx->err,
			"%s: applied %zu of %zu changes (input lines %u-%u); not applied: input lines %u-%u\n",
			ctx->prog, done, p->n, p->v[0].line, p->v[done - 1].line,
			bad->line, p->v[p->n - 1].line);
		return ADM_EXIT_FAIL;
	}
	fprintf(ctx->err, "%s: applied %zu of %zu changes: ", ctx->prog, done, p->n);
	list_edits(ctx->err, p->v, done);
	fprintf(ctx->err, "; not applied: ");
	list_edits(ctx->err, p->v + done, p->n - done);
	fputc('\n', ctx->err);
	return ADM_EXIT_FAIL;
}

static int plan_and_apply(struct adm_ctx *ctx, const struct adm_edits *l)
{
	struct pccvs_err err = { 0 };
	struct adm_model m;
	struct adm_edits p;
	size_t done = 0;
	int ret = ADM_EXIT_OK;

	adm_model_init(&m);
	adm_edits_init(&p);
	if (ctx->ops->load(ctx->priv, &m, &err))
		ret = adm_fail(ctx, ADM_EXIT_FAIL, &err);
	else if (adm_plan(&m, l->v, l->n, &p, NULL, &err))
		ret = adm_fail(ctx, err.code == -ENOMEM ? ADM_EXIT_FAIL : ADM_EXIT_USAGE, &err);
	else if (p.n && ctx->ops->apply(ctx->priv, p.v, p.n, &done, &err))
		ret = report_partial(ctx, &p, done, &err);
	adm_edits_free(&p);
	adm_model_free(&m);
	return ret;
}

static bool exists(const char *path)
{
	struct stat st;

	return path && *path && stat(path, &st) == 0;
}

/* This director's table only (--local, no daemon here, -Z). */
static int local_change(struct adm_ctx *ctx, const struct adm_edits *l)
{
	int ret = adm_backend_open(ctx);

	return ret ? ret : plan_and_apply(ctx, l);
}

/* Everywhere, through pccvs-syncd (docs/cluster-edits.md). */
static int cluster_change(struct adm_ctx *ctx, void *priv,
			  const struct adm_edits *l)
{
	struct pccvs_err err = { 0 };
	struct adm_submit out;

	if (ctx->edits->submit(priv, l->v, l->n, &out, &err))
		return adm_fail(ctx, out.invalid ? ADM_EXIT_USAGE : ADM_EXIT_FAIL, &err);
	fprintf(ctx->out, "cluster configuration version %llu\n",
		(unsigned long long)out.version);
	if (!out.module_failed)
		return ADM_EXIT_OK;
	fprintf(ctx->err, "%s: made in the cluster configuration (version %llu), "
		"but %s\n", ctx->prog, (unsigned long long)out.version, err.msg);
	return ADM_EXIT_FAIL;
}

static bool only_zero(const struct adm_edits *l)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].op != ADM_ZERO)
			return false;
	return true;
}

/* After a --local change on a cluster member: say the cluster differs. */
static void local_note(struct adm_ctx *ctx)
{
	struct pccvs_err err = { 0 };
	void *priv = NULL;
	bool member = exists(ctx->state_file);

	if (!member && ctx->edits && !ctx->edits->open(&priv, &err)) {
		ctx->edits->close(priv);
		member = true;
	}
	if (member)
		fprintf(ctx->err, "%s: --local: only this director's table changed; "
			"it now differs from the cluster configuration (pccvsadm "
			"cluster diff) until pccvs-syncd reconciles it (restart or "
			"resync)\n", ctx->prog);
}

int adm_run_edits(struct adm_ctx *ctx, struct adm_edits *l)
{
	struct pccvs_err err = { 0 };
	void *priv = NULL;
	int ret;

	if (adm_resolve_edits(l->v, l->n, &err))
		return adm_fail(ctx, err.code == -EAGAIN ? ADM_EXIT_FAIL : ADM_EXIT_USAGE, &err);
	/* -Z: counters are each director's own */
	if (!ctx->edits || only_zero(l))
		return local_change(ctx, l);
	if (ctx->local) {
		ret = local_change(ctx, l);
		if (ret == ADM_EXIT_OK)
			local_note(ctx);
		return ret;
	}
	ret = ctx->edits->open(&priv, &err);
	if (!ret) {
		ret = cluster_change(ctx, priv, l);
		ctx->edits->close(priv);
		return ret;
	}
	if (ret != -ENOENT)
		return adm_fail(ctx, ADM_EXIT_FAIL, &err);
	/* No daemon here. A cluster member must not drift silently; a
	 * standalone director works as ipvsadm does. */
	if (exists(ctx->state_file)) {
		adm_err(&err, -ENOTCONN, "pccvs-syncd is not running, but this "
			"director is a cluster member (%s): start pccvs-syncd, or "
			"give --local to change only this director's table",
			ctx->state_file);
		return adm_fail(ctx, ADM_EXIT_FAIL, &err);
	}
	if (exists(ctx->daemon_conf))
		fprintf(ctx->err, "%s: pccvs-syncd is not running: changing this "
			"director's table only\n", ctx->prog);
	return local_change(ctx, l);
}

int adm_run_edit(struct adm_ctx *ctx, struct adm_cmd *cmd)
{
	struct adm_edits l = { .v = &cmd->edit, .n = 1, .cap = 1 };

	return adm_run_edits(ctx, &l);
}
