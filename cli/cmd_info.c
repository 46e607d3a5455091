// SPDX-License-Identifier: GPL-2.0
/* cmd_info.c: --info, the module's version, counters and limits. */
#include "adm.h"
#include "output.h"

int adm_run_info(struct adm_ctx *ctx, struct adm_cmd *cmd)
{
	struct pccvs_err err = { 0 };
	struct pccvs_info info;
	struct pccvs_cfg cfg;
	int ret = adm_backend_open(ctx);

	if (ret)
		return ret;
	if (ctx->ops->info(ctx->priv, &info, &err) ||
	    ctx->ops->cfg_get(ctx->priv, &cfg, &err))
		return adm_fail(ctx, ADM_EXIT_FAIL, &err);
	adm_print_info(ctx->out, &info, &cfg, cmd->output == ADM_OUT_JSON);
	return ADM_EXIT_OK;
}
