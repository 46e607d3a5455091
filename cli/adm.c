// SPDX-License-Identifier: GPL-2.0
/* adm.c: parse, dispatch to the verb, close the backend. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "adm.h"

static int (*const runs[ADM_V_COUNT])(struct adm_ctx *, struct adm_cmd *) = {
	[ADM_V_SVC_ADD] = adm_run_edit,
	[ADM_V_SVC_EDIT] = adm_run_edit,
	[ADM_V_SVC_DEL] = adm_run_edit,
	[ADM_V_DEST_ADD] = adm_run_edit,
	[ADM_V_DEST_EDIT] = adm_run_edit,
	[ADM_V_DEST_DEL] = adm_run_edit,
	[ADM_V_CLEAR] = adm_run_edit,
	[ADM_V_ZERO] = adm_run_edit,
	[ADM_V_SET] = adm_run_edit,
	[ADM_V_SET_LIMITS] = adm_run_edit,
	[ADM_V_RESTORE] = adm_run_restore,
	[ADM_V_SAVE] = adm_run_save,
	[ADM_V_LIST] = adm_run_list,
	[ADM_V_INFO] = adm_run_info,
	[ADM_V_HELP] = adm_run_help,
	[ADM_V_CLUSTER] = adm_run_cluster,
};

int adm_fail(struct adm_ctx *ctx, int status, const struct pccvs_err *err)
{
	const char *msg = err->msg[0] ? err->msg :
			  err->code ? strerror(-err->code) : "unknown error";

	fprintf(ctx->err, "%s: %s\n", ctx->prog, msg);
	return status;
}

int adm_backend_open(struct adm_ctx *ctx)
{
	struct pccvs_err err = { 0 };
	int ret;

	if (ctx->priv)
		return 0;
	ret = ctx->ops->open(&ctx->priv, &err);
	if (!ret)
		return 0;
	ctx->priv = NULL;
	if (!err.msg[0] && ret == -ENOENT)
		adm_err(&err, ret, "the pccvs module is not loaded (modprobe pccvs)");
	return adm_fail(ctx, ADM_EXIT_FAIL, &err);
}

/* Configuration changes: what --local applies to. */
static bool is_change(const struct adm_cmd *cmd)
{
	return runs[cmd->verb->id] == adm_run_edit ||
	       cmd->verb->id == ADM_V_RESTORE;
}

int adm_main(struct adm_ctx *ctx, int argc, char *const argv[])
{
	struct pccvs_err err = { 0 };
	struct adm_cmd cmd;
	char **words;
	int ret, n = 0;

	/* --local routes the change; it is not part of the edit itself */
	words = calloc((size_t)argc + 1, sizeof(*words));
	if (!words)
		return adm_fail(ctx, ADM_EXIT_FAIL, &(struct pccvs_err){ .code = -ENOMEM });
	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--local"))
			ctx->local = true;
		else
			words[n++] = argv[i];
	}
	ret = adm_parse(n, words, &cmd, &err);
	free(words);
	if (ret)
		return adm_fail(ctx, ADM_EXIT_USAGE, &err);
	if (ctx->local && !is_change(&cmd)) {
		adm_err(&err, -EINVAL, "option `--local' applies to configuration "
			"changes (-A -E -D -a -e -d -C -Z --set --set-limits -R)");
		return adm_fail(ctx, ADM_EXIT_USAGE, &err);
	}
	ret = runs[cmd.verb->id](ctx, &cmd);
	if (ctx->priv)
		ctx->ops->close(ctx->priv);
	ctx->priv = NULL;
	return ret;
}
