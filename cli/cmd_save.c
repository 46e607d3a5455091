// SPDX-License-Identifier: GPL-2.0
/* cmd_save.c: -S [-n], the configuration as -R input. */
#include "adm.h"
#include "output.h"

int adm_run_save(struct adm_ctx *ctx, struct adm_cmd *cmd)
{
	struct pccvs_err err = { 0 };
	struct adm_model m;
	int ret = adm_backend_open(ctx);

	if (ret)
		return ret;
	adm_model_init(&m);
	if (ctx->ops->load(ctx->priv, &m, &err)) {
		ret = adm_fail(ctx, ADM_EXIT_FAIL, &err);
	} else {
		adm_model_sort(&m);
		adm_print_save(ctx->out, &m, cmd->opts & ADM_OPT(ADM_O_NUMERIC));
	}
	adm_model_free(&m);
	return ret;
}
