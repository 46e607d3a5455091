/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cli_fake.h: an in-memory backend for pccvsadm's tests. It keeps a
 * configuration model, applies edits with adm_model_apply(), records them,
 * and can refuse the Nth edit or the open (module not loaded).
 */
#ifndef CLI_FAKE_H
#define CLI_FAKE_H

#include "adm.h"

struct cli_fake {
	struct adm_model m;
	struct pccvs_info info;
	struct pccvs_cfg cfg;
	struct pccvs_tpl tpls[8];
	size_t ntpls;
	struct pccvs_conn conns[8];
	size_t nconns;
	int open_ret;			/* open fails with this (0: works) */
	const char *open_msg;		/* and this message ("" if NULL) */
	long fail_at;			/* index of the first refused edit, -1 none */
	int fail_code;
	struct adm_edits log;		/* every edit applied, in order */
	int opens, closes;
	struct pccvs_svc tpl_filter;	/* what --templates asked for */
	bool tpl_filtered;
};

extern const struct adm_backend_ops cli_fake_ops;

void cli_fake_init(struct cli_fake *f);
void cli_fake_free(struct cli_fake *f);

struct cli_result {
	int status;
	char *out, *err;	/* NUL-terminated, free()d by cli_result_free */
};

/* Runs pccvsadm with the words of cmdline (split on spaces) and stdin. */
void cli_run(struct cli_fake *f, const char *stdin_text, const char *cmdline,
	     struct cli_result *r);
void cli_result_free(struct cli_result *r);

/* Applies a command line to the fake directly, asserting success. */
void cli_ok(struct cli_fake *f, const char *cmdline);

/* One command line as a resolved edit (the parse must succeed). */
struct adm_edit cli_edit(const char *cmdline);
/* Plans the edits of n command lines on m; on success m becomes the
 * result and the concrete edits are appended to out (if not NULL). */
int cli_plan(struct adm_model *m, const char *const *lines, size_t n,
	     struct adm_edits *out, struct pccvs_err *err);

#endif /* CLI_FAKE_H */
