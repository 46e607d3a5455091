// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_restore.c: -R. Reads all of the input, parses every line (reporting
 * each bad one), and only if all are good hands the edits to the one
 * change path, which validates the whole result before applying anything.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "adm.h"

static void report(void *arg, const struct pccvs_err *err)
{
	struct adm_ctx *ctx = arg;

	adm_fail(ctx, ADM_EXIT_USAGE, err);
}

/* All of f into a malloc'ed buffer; -ENOMEM or -EIO. */
static int slurp(FILE *f, char **out, size_t *len)
{
	size_t cap = 0, n = 0, r;
	char *buf = NULL, *nb;

	for (;;) {
		if (cap - n < 4096) {
			cap = cap ? 2 * cap : 65536;
			nb = realloc(buf, cap);
			if (!nb) {
				free(buf);
				return -ENOMEM;
			}
			buf = nb;
		}
		r = fread(buf + n, 1, cap - n, f);
		n += r;
		if (r)
			continue;
		if (ferror(f)) {
			free(buf);
			return -EIO;
		}
		*out = buf;
		*len = n;
		return 0;
	}
}

int adm_run_restore(struct adm_ctx *ctx, struct adm_cmd *cmd)
{
	struct pccvs_err err = { 0 };
	struct adm_edits l;
	size_t len;
	char *text;
	int bad, ret;

	ret = slurp(ctx->in, &text, &len);
	if (ret) {
		adm_err(&err, ret, "cannot read -R input: %s", strerror(-ret));
		return adm_fail(ctx, ADM_EXIT_FAIL, &err);
	}
	adm_edits_init(&l);
	bad = adm_restore_parse(text, len, &l, report, ctx);
	free(text);
	if (bad < 0) {
		ret = adm_fail(ctx, ADM_EXIT_FAIL, &(struct pccvs_err){ .code = bad });
	} else if (bad) {
		fprintf(ctx->err, "%s: %d bad line%s in -R input; nothing was changed\n",
			ctx->prog, bad, bad == 1 ? "" : "s");
		ret = ADM_EXIT_USAGE;
	} else {
		ret = l.n ? adm_run_edits(ctx, &l) : ADM_EXIT_OK;
	}
	adm_edits_free(&l);
	return ret;
}
