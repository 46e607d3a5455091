// SPDX-License-Identifier: GPL-2.0
/* cli_fake.c: the in-memory backend and command runner for the tests. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "cli_fake.h"
#include "names.h"

static struct cli_fake *cur;

static int f_open(void **priv, struct pccvs_err *err)
{
	if (cur->open_ret)
		return adm_err(err, cur->open_ret, "%s",
			       cur->open_msg ? cur->open_msg : "");
	cur->opens++;
	*priv = cur;
	return 0;
}

static void f_close(void *priv)
{
	((struct cli_fake *)priv)->closes++;
}

static int f_load(void *priv, struct adm_model *m, struct pccvs_err *err)
{
	return adm_model_copy(m, &((struct cli_fake *)priv)->m);
}

static int f_apply(void *priv, const struct adm_edit *v, size_t n, size_t *done,
		   struct pccvs_err *err)
{
	struct cli_fake *f = priv;
	size_t i;

	for (i = 0; i < n; i++) {
		if (f->fail_at >= 0 && (size_t)f->fail_at == f->log.n) {
			*done = i;
			return adm_err(err, f->fail_code, "kernel says no (%zu)", i);
		}
		assert_int_equal(adm_model_validate(&f->m, &v[i], err), 0);
		assert_int_equal(adm_model_apply(&f->m, &v[i]), 0);
		assert_int_equal(adm_edits_push(&f->log, &v[i]), 0);
	}
	*done = n;
	return 0;
}

static int f_info(void *priv, struct pccvs_info *out, struct pccvs_err *err)
{
	*out = ((struct cli_fake *)priv)->info;
	return 0;
}

static int f_cfg_get(void *priv, struct pccvs_cfg *out, struct pccvs_err *err)
{
	*out = ((struct cli_fake *)priv)->cfg;
	return 0;
}

static void *dup_array(const void *v, size_t size)
{
	void *p = malloc(size ? size : 1);

	assert_non_null(p);
	memcpy(p, v, size);
	return p;
}

static int f_templates(void *priv, const struct pccvs_svc *filter,
		       struct pccvs_tpl **v, size_t *n, struct pccvs_err *err)
{
	struct cli_fake *f = priv;

	f->tpl_filtered = filter != NULL;
	if (filter)
		f->tpl_filter = *filter;
	*v = dup_array(f->tpls, f->ntpls * sizeof(f->tpls[0]));
	*n = f->ntpls;
	return 0;
}

static int f_conns(void *priv, struct pccvs_conn **v, size_t *n,
		   struct pccvs_err *err)
{
	struct cli_fake *f = priv;

	*v = dup_array(f->conns, f->nconns * sizeof(f->conns[0]));
	*n = f->nconns;
	return 0;
}

const struct adm_backend_ops cli_fake_ops = {
	.name = "fake", .open = f_open, .close = f_close, .load = f_load,
	.apply = f_apply, .info = f_info, .cfg_get = f_cfg_get,
	.templates = f_templates, .conns = f_conns,
};

void cli_fake_init(struct cli_fake *f)
{
	memset(f, 0, sizeof(*f));
	adm_model_init(&f->m);
	adm_edits_init(&f->log);
	f->fail_at = -1;
	strcpy(f->info.version, "0.1.0");
	f->info.conn_buckets = 4096;
	f->cfg = (struct pccvs_cfg){ .tcp_est = 900, .tcp_fin_wait = 120, .udp = 300,
		.tcp_syn_recv = 60, .tcp_time_wait = 120, .tcp_close = 10,
		.tcp_close_wait = 60, .tcp_last_ack = 30, .conn_max = 1000000,
		.tpl_max = 250000, .refresh_pct = 25 };
}

void cli_fake_free(struct cli_fake *f)
{
	adm_model_free(&f->m);
	adm_edits_free(&f->log);
}

static int split(char *line, char **words, int max)
{
	char *save = NULL, *w;
	int n = 0;

	for (w = strtok_r(line, " ", &save); w && n < max; w = strtok_r(NULL, " ", &save))
		words[n++] = strcmp(w, "''") ? w : (char *)"";
	return n;
}

void cli_run(struct cli_fake *f, const char *stdin_text, const char *cmdline,
	     struct cli_result *r)
{
	char *words[64], *line = strdup(cmdline);
	size_t outlen, errlen;
	struct adm_ctx ctx = { .prog = "pccvsadm", .ops = &cli_fake_ops };
	int n;

	assert_non_null(line);
	n = split(line, words, 64);
	cur = f;
	ctx.in = fmemopen((void *)(stdin_text ? stdin_text : ""),
			  stdin_text ? strlen(stdin_text) : 0, "r");
	ctx.out = open_memstream(&r->out, &outlen);
	ctx.err = open_memstream(&r->err, &errlen);
	assert_non_null(ctx.out);
	assert_non_null(ctx.err);
	r->status = adm_main(&ctx, n, words);
	if (ctx.in)
		fclose(ctx.in);
	fclose(ctx.out);
	fclose(ctx.err);
	free(line);
	assert_int_equal(f->opens, f->closes);	/* every open backend closed */
}

void cli_result_free(struct cli_result *r)
{
	free(r->out);
	free(r->err);
}

void cli_ok(struct cli_fake *f, const char *cmdline)
{
	struct cli_result r;

	cli_run(f, NULL, cmdline, &r);
	if (r.status)
		fprintf(stderr, "unexpected failure of `%s': %s", cmdline, r.err);
	assert_int_equal(r.status, 0);
	assert_string_equal(r.err, "");
	cli_result_free(&r);
}

struct adm_edit cli_edit(const char *cmdline)
{
	char *line = strdup(cmdline), *words[64];
	struct pccvs_err err = { 0 };
	struct adm_cmd cmd;
	int n;

	assert_non_null(line);
	n = split(line, words, 64);
	if (adm_parse(n, words, &cmd, &err) || adm_resolve_edits(&cmd.edit, 1, &err))
		fail_msg("`%s': %s", cmdline, err.msg);
	free(line);
	return cmd.edit;
}

int cli_plan(struct adm_model *m, const char *const *lines, size_t n,
	     struct adm_edits *out, struct pccvs_err *err)
{
	struct adm_edits in, tmp;
	struct adm_model fin;
	size_t i;
	int ret;

	adm_edits_init(&in);
	adm_edits_init(&tmp);
	adm_model_init(&fin);
	for (i = 0; i < n; i++) {
		struct adm_edit e = cli_edit(lines[i]);

		assert_int_equal(adm_edits_push(&in, &e), 0);
	}
	memset(err, 0, sizeof(*err));
	ret = adm_plan(m, in.v, in.n, out ? out : &tmp, &fin, err);
	if (!ret)
		assert_int_equal(adm_model_copy(m, &fin), 0);
	adm_model_free(&fin);
	adm_edits_free(&in);
	adm_edits_free(&tmp);
	return ret;
}
