// SPDX-License-Identifier: GPL-2.0
/* cmd_list.c: -L / -l: services (default), -c, --templates, --timeout. */
#include <errno.h>
#include <stdlib.h>
#include "adm.h"
#include "names.h"
#include "output.h"

static struct adm_fmt make_fmt(const struct adm_cmd *cmd)
{
	uint64_t o = cmd->opts;
	struct adm_fmt f = {
		.numeric = o & ADM_OPT(ADM_O_NUMERIC),
		.exact = o & ADM_OPT(ADM_O_EXACT),
		.json = cmd->output == ADM_OUT_JSON,
	};

	if (o & ADM_OPT(ADM_O_STATS))
		f.cols = ADM_COLS_STATS;
	else if (o & ADM_OPT(ADM_O_RATE))
		f.cols = ADM_COLS_RATE;
	else if (o & ADM_OPT(ADM_O_THRESHOLDS))
		f.cols = ADM_COLS_THRESH;
	else if (o & ADM_OPT(ADM_O_PERSIST_CONN))
		f.cols = ADM_COLS_PERSIST;
	return f;
}

static bool conn_in(const struct pccvs_conn *c, const struct pccvs_svc *s)
{
	if (s->fwmark)
		return c->fwmark == s->fwmark && c->af == s->af;
	return c->protocol == s->protocol && c->vport == s->port &&
	       pccvs_addr_eq(&c->vaddr, &s->addr);
}

static int list_conns(struct adm_ctx *ctx, const struct adm_cmd *cmd,
		      const struct adm_fmt *fmt)
{
	struct pccvs_err err = { 0 };
	struct pccvs_conn *v = NULL;
	size_t n = 0, i, k = 0;

	if (ctx->ops->conns(ctx->priv, &v, &n, &err))
		return adm_fail(ctx, ADM_EXIT_FAIL, &err);
	for (i = 0; i < n; i++)
		if (!(cmd->edit.flags & ADM_EF_SVC) || conn_in(&v[i], &cmd->edit.svc))
			v[k++] = v[i];
	adm_print_conns(ctx->out, v, k, fmt);
	free(v);
	return ADM_EXIT_OK;
}

static int list_templates(struct adm_ctx *ctx, const struct adm_cmd *cmd,
			  const struct adm_fmt *fmt)
{
	const struct pccvs_svc *filter = cmd->edit.flags & ADM_EF_SVC ? &cmd->edit.svc : NULL;
	struct pccvs_err err = { 0 };
	struct pccvs_tpl *v = NULL;
	size_t n = 0;

	if (ctx->ops->templates(ctx->priv, filter, &v, &n, &err))
		return adm_fail(ctx, ADM_EXIT_FAIL, &err);
	adm_print_templates(ctx->out, v, n, fmt, !(cmd->opts & ADM_OPT(ADM_O_NOSORT)));
	free(v);
	return ADM_EXIT_OK;
}

static int list_timeouts(struct adm_ctx *ctx, const struct adm_fmt *fmt)
{
	struct pccvs_err err = { 0 };
	struct pccvs_cfg c;

	if (ctx->ops->cfg_get(ctx->priv, &c, &err))
		return adm_fail(ctx, ADM_EXIT_FAIL, &err);
	adm_print_timeouts(ctx->out, &c, fmt->json);
	return ADM_EXIT_OK;
}

/* Print m, or only the service cmd names (which must exist). */
static int print_model(struct adm_ctx *ctx, const struct adm_cmd *cmd,
		       struct adm_model *m, const struct pccvs_info *info,
		       const struct adm_fmt *fmt)
{
	struct adm_model one = { 0 };
	struct pccvs_err err;
	char sn[ADM_SVC_STRLEN];

	if (!(cmd->opts & ADM_OPT(ADM_O_NOSORT)))
		adm_model_sort(m);
	if (cmd->edit.flags & ADM_EF_SVC) {
		one.svcs = adm_model_find(m, &cmd->edit.svc);
		if (!one.svcs) {
			adm_err(&err, -ENOENT, "no service %s",
				adm_svc_str(&cmd->edit.svc, sn, sizeof(sn)));
			return adm_fail(ctx, ADM_EXIT_USAGE, &err);
		}
		one.n = 1;
		m = &one;
	}
	adm_print_services(ctx->out, m, info, fmt);
	return ADM_EXIT_OK;
}

static int list_services(struct adm_ctx *ctx, const struct adm_cmd *cmd,
			 const struct adm_fmt *fmt)
{
	struct pccvs_err err = { 0 };
	struct pccvs_info info;
	struct adm_model m;
	int ret;

	adm_model_init(&m);
	if (ctx->ops->info(ctx->priv, &info, &err) || ctx->ops->load(ctx->priv, &m, &err))
		ret = adm_fail(ctx, ADM_EXIT_FAIL, &err);
	else
		ret = print_model(ctx, cmd, &m, &info, fmt);
	adm_model_free(&m);
	return ret;
}

int adm_run_list(struct adm_ctx *ctx, struct adm_cmd *cmd)
{
	struct adm_fmt fmt = make_fmt(cmd);
	struct pccvs_err err = { 0 };
	uint64_t o = cmd->opts;
	int ret;

	if (adm_resolve_edits(&cmd->edit, 1, &err))
		return adm_fail(ctx, err.code == -EAGAIN ? ADM_EXIT_FAIL : ADM_EXIT_USAGE, &err);
	ret = adm_backend_open(ctx);
	if (ret)
		return ret;
	if (o & ADM_OPT(ADM_O_TIMEOUT))
		return list_timeouts(ctx, &fmt);
	if (o & ADM_OPT(ADM_O_CONN))
		return list_conns(ctx, cmd, &fmt);
	if (o & ADM_OPT(ADM_O_TEMPLATES))
		return list_templates(ctx, cmd, &fmt);
	return list_services(ctx, cmd, &fmt);
}
