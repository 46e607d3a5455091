// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_edit.c: every configuration change (-A -E -D -a -e -d -C -Z --set
 * --set-limits, and -R) takes one path: resolve all names, load the
 * configuration, plan (validate everything), apply, and if the backend
 * refuses midway say exactly what was applied and what was not.
 */
#include <errno.h>
#include <string.h>
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

int adm_run_edits(struct adm_ctx *ctx, struct adm_edits *l)
{
	struct pccvs_err err = { 0 };
	int ret;

	if (adm_resolve_edits(l->v, l->n, &err))
		return adm_fail(ctx, err.code == -EAGAIN ? ADM_EXIT_FAIL : ADM_EXIT_USAGE, &err);
	ret = adm_backend_open(ctx);
	return ret ? ret : plan_and_apply(ctx, l);
}

int adm_run_edit(struct adm_ctx *ctx, struct adm_cmd *cmd)
{
	struct adm_edits l = { .v = &cmd->edit, .n = 1, .cap = 1 };

	return adm_run_edits(ctx, &l);
}
