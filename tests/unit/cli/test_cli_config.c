// SPDX-License-Identifier: GPL-2.0
/*
 * test_cli_config.c: cluster-wide edits on the CLI side (cli/config.h):
 * the edit encoding (a round trip through the one parser), the canonical
 * configuration text, validation and application, reconciling a table,
 * the text diff, and where pccvsadm sends a change (the daemon, --local,
 * no daemon, a cluster member without its daemon).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "pcc_test.h"
#include "cli_fake.h"
#include "config.h"
#include "parse.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Every kind of configuration change, with the fields it may carry. */
static const char *const corpus[] = {
	"-A -t 192.0.2.1:80 -s wrr",
	"-A -t 192.0.2.1:80 -s rr -p",
	"-A -t 192.0.2.1:80 -s rr -p 120 -M 255.255.255.0",
	"-A -t 192.0.2.1:80 -p 60 -M 24",
	"-A -u [2001:db8::1]:53 -s sh -b sh-port,sh-fallback",
	"-A -u [2001:db8::1]:53 -s sh -b sh-port,flag-3",
	"-A -f 7 -6 -s mh -b mh-port",
	"-A -f 9 -s lc",
	"-A --sctp-service 192.0.2.1:9 -s lc",
	"-A -t 192.0.2.1:0 -p 300 --pgroup web",
	"-A -t 192.0.2.1:80 -b flag-3 -s wlc",
	"-A -t 192.0.2.1:443 -p 300 --pgroup web --all-ports",
	"-E -t 192.0.2.1:80 -s rr",
	"-E -t 192.0.2.1:80 -p",
	"-E -t 192.0.2.1:80 -p 0",
	"-E -t 192.0.2.1:80 --pgroup none",
	"-E -t 192.0.2.1:80 -b none",
	"-E -t 192.0.2.1:80 -M 16 -p 30 --all-ports",
	"-D -t 192.0.2.1:80",
	"-D -f 7 -6",
	"-a -t 192.0.2.1:80 -r 10.0.0.1:80 -g -w 3",
	"-a -t 192.0.2.1:80 -r 10.0.0.1 -m -w 0 -x 100 -y 10",
	"-a -t 192.0.2.1:80 -r 10.0.0.2:8080 -m",
	"-a -f 7 -r 10.0.0.1 -i",
	"-a -f 7 -6 -r [2001:db8::5]",
	"-a -u [2001:db8::1]:53 -r [2001:db8::9]:53 -w 2",
	"-a -t 192.0.2.1:80 -r 10.0.0.1 --all-ports",
	"-e -t 192.0.2.1:80 -r 10.0.0.1:80 -w 5",
	"-e -t 192.0.2.1:80 -r 10.0.0.1:80 -x 0 -y 0",
	"-e -t 192.0.2.1:80 -r 10.0.0.1 -w 0 --all-ports",
	"-d -t 192.0.2.1:80 -r 10.0.0.1:80",
	"-d -t 192.0.2.1:80 -r 10.0.0.1 --all-ports",
	"-C",
	"-Z",
	"-Z -t 192.0.2.1:80",
	"--set 10 20 30",
	"--set 0 0 0",
	"--set-limits 1000 2000",
};

static void test_edit_roundtrip(void **state)
{
	char text[ADM_EDIT_LINE_MAX];

	for (size_t i = 0; i < N(corpus); i++) {
		struct adm_edit a = cli_edit(corpus[i]), b;

		assert_int_equal(adm_edit_format(&a, text, sizeof(text)), 0);
		b = cli_edit(text);
		a.line = b.line = 0;
		if (memcmp(&a, &b, sizeof(a)))
			fail_msg("`%s' -> `%s' reads back differently", corpus[i], text);
	}
}

static void test_edit_format_refuses(void **state)
{
	struct adm_edit e = cli_edit("-a -t 192.0.2.1:80 -r 10.0.0.1:80 -w 3");
	char small[8], text[ADM_EDIT_LINE_MAX];

	assert_int_equal(adm_edit_format(&e, small, sizeof(small)), -ENOSPC);
	strcpy(e.dest_name.host, "www.example.com");	/* not resolved */
	assert_int_equal(adm_edit_format(&e, text, sizeof(text)), -EINVAL);
	e = cli_edit("--set 1 2 3");
	e.cfg.conn_max = 5;	/* both groups: no single line says that */
	assert_int_equal(adm_edit_format(&e, text, sizeof(text)), -EINVAL);
}

/* -R input keeps its line numbers, so messages name the user's lines. */
static void test_edits_text_numbered(void **state)
{
	struct adm_edit v[2] = { cli_edit("-A -t 192.0.2.1:80"),
				 cli_edit("-a -t 192.0.2.1:80 -r 10.0.0.1") };
	struct adm_edits l;
	char *t;
	size_t len;

	v[0].line = 3;
	v[1].line = 7;
	assert_int_equal(adm_edits_text(v, 2, true, &t, &len), 0);
	assert_int_equal(strlen(t), len);
	adm_edits_init(&l);
	assert_int_equal(adm_restore_parse(t, len, &l, NULL, NULL), 0);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.v[0].line, 3);
	assert_int_equal(l.v[1].line, 7);
	adm_edits_free(&l);
	free(t);
	assert_int_equal(adm_edits_text(v, 2, false, &t, &len), 0);
	assert_string_equal(t, "-A -t 192.0.2.1:80\n-a -t 192.0.2.1:80 -r 10.0.0.1:80\n");
	free(t);
	v[1].line = 2;		/* lines must ascend */
	assert_int_equal(adm_edits_text(v, 2, true, &t, &len), -EINVAL);
}

/* Apply command lines to c as one edit; returns the error code. */
static int edit(struct adm_config *c, const char *const *lines, size_t n,
		struct pccvs_err *err)
{
	struct adm_edit v[32];

	assert_true(n <= N(v));
	for (size_t i = 0; i < n; i++)
		v[i] = cli_edit(lines[i]);
	memset(err, 0, sizeof(*err));
	return adm_config_edit(c, v, n, false, NULL, err);
}

static char *text_of(const struct adm_config *c)
{
	char *t;
	size_t n;

	assert_int_equal(adm_config_text(c, &t, &n), 0);
	assert_int_equal(strlen(t), n);
	return t;
}

static const char *const sample[] = {
	"-A -t 192.0.2.10:80 -s wrr -p 300 --pgroup web",
	"-A -t 192.0.2.10:443 -s wrr -p 300 --pgroup web",
	"-a -t 192.0.2.10:80 -r 10.0.0.2 -w 2",
	"-a -t 192.0.2.10:443 -r 10.0.0.2 -w 2",
	"-a -t 192.0.2.10:80 -r 10.0.0.1 --all-ports",
	"-A -u [2001:db8::1]:53 -s sh -b sh-port",
	"-a -u [2001:db8::1]:53 -r [2001:db8::9]:53 -m -x 10",
	"-A -f 7 -s rr",
	"-a -f 7 -r 10.0.0.5 -i",
	"--set 900 120 300",
	"--set-limits 0 50000",
};

static void test_config_text(void **state)
{
	struct adm_config a, b, c;
	struct pccvs_err err;
	char *ta, *tb, *tc;
	const char *rev[N(sample)];
	static const char bad[] = "-A -t 192.0.2.1:80\n-a -t 192.0.2.9:80 -r 10.0.0.1\n";

	adm_config_init(&a);
	adm_config_init(&b);
	adm_config_init(&c);
	assert_int_equal(edit(&a, sample, N(sample), &err), 0);
	ta = text_of(&a);
	/* the text reads back to the same configuration */
	assert_int_equal(adm_config_parse(ta, strlen(ta), &b, &err), 0);
	tb = text_of(&b);
	assert_string_equal(ta, tb);
	assert_int_equal(adm_config_hash(ta, strlen(ta)), adm_config_hash(tb, strlen(tb)));
	assert_non_null(strstr(ta, "--set 900 120 300\n--set-limits 0 50000\n"));
	/* the order services were made in does not matter */
	rev[0] = sample[7];
	rev[1] = sample[8];
	rev[2] = sample[5];
	rev[3] = sample[6];
	for (size_t i = 0; i < 5; i++)
		rev[4 + i] = sample[i];
	rev[9] = sample[10];
	rev[10] = sample[9];
	assert_int_equal(edit(&c, rev, N(rev), &err), 0);
	tc = text_of(&c);
	assert_string_equal(ta, tc);
	/* a bad text is refused with its line, and c is kept */
	assert_int_equal(adm_config_parse(bad, strlen(bad), &c, &err), -ENOENT);
	assert_non_null(strstr(err.msg, "line 2: "));
	free(tc);
	tc = text_of(&c);
	assert_string_equal(ta, tc);
	assert_int_equal(adm_config_parse("-A -t www.example.com:80\n", 25, &c, &err),
			 -EINVAL);
	free(ta);
	free(tb);
	free(tc);
	adm_config_free(&a);
	adm_config_free(&b);
	adm_config_free(&c);
}

static void test_config_edit_rules(void **state)
{
	static const char *const zero[] = { "-Z" };
	static const char *const bad_group[] = { "-a -t 192.0.2.10:80 -r 10.0.0.9" };
	static const char *const batch[] = {
		"-a -t 192.0.2.10:80 -r 10.0.0.9 --all-ports",
		"-D -t 192.0.2.10:9999",	/* no such service: all refused */
	};
	struct adm_config c;
	struct adm_edits planned;
	struct pccvs_err err;
	struct adm_edit e;
	char *before, *after;

	adm_config_init(&c);
	adm_edits_init(&planned);
	assert_int_equal(edit(&c, sample, N(sample), &err), 0);
	before = text_of(&c);
	assert_int_equal(edit(&c, zero, 1, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "not a configuration change"));
	/* port group rules hold in the cluster configuration too */
	assert_int_equal(edit(&c, bad_group, 1, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "web"));
	/* several edits are one: nothing of them stays */
	assert_int_not_equal(edit(&c, batch, 2, &err), 0);
	after = text_of(&c);
	assert_string_equal(before, after);
	free(after);
	/* a dry run changes nothing; the real one gives the concrete edits */
	e = cli_edit(batch[0]);
	assert_int_equal(adm_config_edit(&c, &e, 1, true, NULL, &err), 0);
	after = text_of(&c);
	assert_string_equal(before, after);
	free(after);
	assert_int_equal(adm_config_edit(&c, &e, 1, false, &planned, &err), 0);
	assert_int_equal(planned.n, 2);		/* one per service of the group */
	assert_int_equal(planned.v[0].op, ADM_DEST_ADD);
	/* --set only changes what it names */
	e = cli_edit("--set 0 60 0");
	assert_int_equal(adm_config_edit(&c, &e, 1, false, NULL, &err), 0);
	assert_int_equal(c.cfg.tcp_est, 900);
	assert_int_equal(c.cfg.tcp_fin_wait, 60);
	free(before);
	adm_edits_free(&planned);
	adm_config_free(&c);
}

/* Apply concrete edits to a model as a table would. */
static void table_apply(struct adm_config *t, const struct adm_edits *l)
{
	for (size_t i = 0; i < l->n; i++) {
		const struct adm_edit *e = &l->v[i];

		if (e->op == ADM_SET_CFG) {
			if (e->cfg.tcp_est)
				t->cfg.tcp_est = e->cfg.tcp_est;
			if (e->cfg.tcp_fin_wait)
				t->cfg.tcp_fin_wait = e->cfg.tcp_fin_wait;
			if (e->cfg.udp)
				t->cfg.udp = e->cfg.udp;
			if (e->cfg.conn_max)
				t->cfg.conn_max = e->cfg.conn_max;
			if (e->cfg.tpl_max)
				t->cfg.tpl_max = e->cfg.tpl_max;
			continue;
		}
		assert_int_equal(adm_model_validate(&t->m, e, NULL), 0);
		assert_int_equal(adm_model_apply(&t->m, e), 0);
	}
}

static void test_reconcile(void **state)
{
	static const char *const table[] = {
		"-A -t 192.0.2.10:80 -s rr -p 300 --pgroup web",	/* sched differs */
		"-a -t 192.0.2.10:80 -r 10.0.0.1 -w 7",		/* weight differs */
		"-a -t 192.0.2.10:80 -r 10.0.0.3",		/* not wanted */
		"-A -t 192.0.2.99:25",				/* not wanted */
		"-a -t 192.0.2.99:25 -r 10.0.0.1",
		"-A -f 7 -s rr",
		"-a -f 7 -r 10.0.0.5 -i",			/* as wanted */
		"--set 1 1 1",
		"--set-limits 7 7",
	};
	struct adm_config want, have;
	struct adm_edits l;
	struct pccvs_err err;
	char *tw, *th;

	adm_config_init(&want);
	adm_config_init(&have);
	adm_edits_init(&l);
	assert_int_equal(edit(&want, sample, N(sample), &err), 0);
	assert_int_equal(edit(&have, table, N(table), &err), 0);
	assert_int_equal(adm_config_reconcile(&have, &want, &l), 0);
	assert_true(l.n > 0);
	assert_int_equal(l.v[0].op, ADM_DEST_DEL);	/* what goes, first */
	table_apply(&have, &l);
	adm_config_mask_cfg(&have, &want.cfg);
	tw = text_of(&want);
	th = text_of(&have);
	assert_string_equal(tw, th);
	/* nothing left to do */
	adm_edits_free(&l);
	assert_int_equal(adm_config_reconcile(&have, &want, &l), 0);
	assert_int_equal(l.n, 0);
	free(tw);
	free(th);
	adm_edits_free(&l);
	adm_config_free(&want);
	adm_config_free(&have);
}

static void test_text_diff(void **state)
{
	const char *a = "# v1\n-A -t 192.0.2.1:80 -s rr\n-a -t 192.0.2.1:80 -r 10.0.0.1:80 -g -w 1\n";
	const char *b = "-A -t 192.0.2.1:80 -s rr\n-a -t 192.0.2.1:80 -r 10.0.0.1:80 -g -w 0\n"
			"-a -t 192.0.2.1:80 -r 10.0.0.2:80 -g -w 1\n";
	char *d;
	size_t n;

	assert_int_equal(adm_config_text_diff(a, strlen(a), b, strlen(b), &d, &n), 3);
	assert_string_equal(d, "- -a -t 192.0.2.1:80 -r 10.0.0.1:80 -g -w 1\n"
			       "+ -a -t 192.0.2.1:80 -r 10.0.0.1:80 -g -w 0\n"
			       "+ -a -t 192.0.2.1:80 -r 10.0.0.2:80 -g -w 1\n");
	free(d);
	assert_int_equal(adm_config_text_diff(a, strlen(a), a, strlen(a), &d, &n), 0);
	assert_null(d);
	assert_int_equal(adm_config_text_diff("", 0, b, strlen(b), &d, &n), 3);
	free(d);
}

/* ---- where a change goes ---- */

struct fakes {
	struct adm_config table;	/* this director's module */
	struct adm_config cluster;	/* what the daemon holds */
	uint64_t version;
	int open_ret;			/* daemon: open fails with this */
	int submits, local_applies;
	struct adm_edit last[8];
	size_t nlast;
};

static struct fakes *fk;

static int t_open(void **priv, struct pccvs_err *err)
{
	*priv = fk;
	return 0;
}

static void t_close(void *priv) { }

static int t_load(void *priv, struct adm_model *m, struct pccvs_err *err)
{
	return adm_model_copy(m, &fk->table.m);
}

static int t_apply(void *priv, const struct adm_edit *v, size_t n, size_t *done,
		   struct pccvs_err *err)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].op != ADM_ZERO)
			assert_int_equal(adm_model_apply(&fk->table.m, &v[i]), 0);
	fk->local_applies++;
	*done = n;
	return 0;
}

static const struct adm_backend_ops table_ops = {
	.name = "table", .open = t_open, .close = t_close, .load = t_load,
	.apply = t_apply,
};

static int d_open(void **priv, struct pccvs_err *err)
{
	if (fk->open_ret)
		return adm_err(err, fk->open_ret, "no daemon (test)");
	*priv = fk;
	return 0;
}

static int d_submit(void *priv, const struct adm_edit *v, size_t n,
		    struct adm_submit *out, struct pccvs_err *err)
{
	int rc;

	memset(out, 0, sizeof(*out));
	fk->submits++;
	fk->nlast = n < 8 ? n : 8;
	memcpy(fk->last, v, fk->nlast * sizeof(*v));
	rc = adm_config_edit(&fk->cluster, v, n, false, NULL, err);
	if (rc) {
		out->invalid = true;
		return rc;
	}
	out->version = ++fk->version;
	return 0;
}

static const struct adm_backend_ops daemon_ops = {
	.name = "daemon", .open = d_open, .close = t_close, .submit = d_submit,
};

static int run(const char *state_file, const char *conf, const char *in,
	       const char *cmdline, char **out, char **err)
{
	char *words[32], *line = strdup(cmdline), *save = NULL, *w;
	size_t ol, el;
	struct adm_ctx ctx = { .prog = "pccvsadm", .ops = &table_ops,
			       .edits = &daemon_ops, .state_file = state_file,
			       .daemon_conf = conf };
	int n = 0, rc;

	for (w = strtok_r(line, " ", &save); w; w = strtok_r(NULL, " ", &save))
		words[n++] = w;
	ctx.in = fmemopen((void *)(in ? in : ""), in ? strlen(in) : 0, "r");
	ctx.out = open_memstream(out, &ol);
	ctx.err = open_memstream(err, &el);
	rc = adm_main(&ctx, n, words);
	if (ctx.in)
		fclose(ctx.in);
	fclose(ctx.out);
	fclose(ctx.err);
	free(line);
	return rc;
}

static void test_routing(void **state)
{
	struct fakes f = { 0 };
	char tmpl[] = "/tmp/pccvs-cfgtest.XXXXXX", sf[64], *out, *err;
	FILE *fp;

	assert_non_null(mkdtemp(tmpl));
	snprintf(sf, sizeof(sf), "%s/config", tmpl);
	adm_config_init(&f.table);
	adm_config_init(&f.cluster);
	fk = &f;
	/* the daemon takes it; the table is its business */
	assert_int_equal(run(sf, NULL, NULL, "-A -t 192.0.2.1:80 -s rr", &out, &err), 0);
	assert_string_equal(out, "cluster configuration version 1\n");
	assert_string_equal(err, "");
	assert_int_equal(f.submits, 1);
	assert_int_equal(f.local_applies, 0);
	assert_int_equal(f.last[0].op, ADM_SVC_ADD);
	free(out);
	free(err);
	/* bad input: exit 2, the daemon's message, nothing changed */
	assert_int_equal(run(sf, NULL, NULL, "-A -t 192.0.2.1:80", &out, &err), 2);
	assert_string_equal(err, "pccvsadm: service TCP 192.0.2.1:80 already exists\n");
	assert_int_equal(f.version, 1);
	free(out);
	free(err);
	/* -R: the edits keep their input lines */
	assert_int_equal(run(sf, NULL, "\n# x\n-a -t 192.0.2.1:80 -r 10.0.0.1\n", "-R",
			     &out, &err), 0);
	assert_int_equal(f.last[0].line, 3);
	free(out);
	free(err);
	/* -Z: each director's counters, never the daemon */
	assert_int_equal(run(sf, NULL, NULL, "-Z", &out, &err), 0);
	assert_int_equal(f.submits, 3);
	assert_int_equal(f.local_applies, 1);
	free(out);
	free(err);
	/* --local: the table only, and no note while not a member */
	assert_int_equal(run(sf, NULL, NULL, "--local -A -t 192.0.2.2:80", &out, &err), 0);
	assert_int_equal(f.local_applies, 2);
	assert_int_equal(f.submits, 3);
	assert_non_null(strstr(err, "--local: only this director's table changed"));
	free(out);
	free(err);
	assert_int_equal(run(sf, NULL, NULL, "-L --local", &out, &err), 2);
	assert_non_null(strstr(err, "--local' applies to configuration changes"));
	free(out);
	free(err);
	/* no daemon, not a member: as ipvsadm */
	f.open_ret = -ENOENT;
	assert_int_equal(run(sf, NULL, NULL, "-A -t 192.0.2.3:80", &out, &err), 0);
	assert_string_equal(err, "");
	assert_int_equal(f.local_applies, 3);
	free(out);
	free(err);
	/* ... with pccvs-syncd set up but not running: said so */
	assert_int_equal(run(sf, tmpl, NULL, "-A -t 192.0.2.4:80", &out, &err), 0);
	assert_non_null(strstr(err, "pccvs-syncd is not running: changing this "
				    "director's table only"));
	free(out);
	free(err);
	/* a member without its daemon: refused, pointing at --local */
	fp = fopen(sf, "w");
	assert_non_null(fp);
	fclose(fp);
	assert_int_equal(run(sf, NULL, NULL, "-A -t 192.0.2.5:80", &out, &err), 1);
	assert_non_null(strstr(err, "--local"));
	assert_int_equal(f.local_applies, 4);
	free(out);
	free(err);
	assert_int_equal(run(sf, NULL, NULL, "--local -A -t 192.0.2.5:80", &out, &err), 0);
	assert_int_equal(f.local_applies, 5);
	assert_non_null(strstr(err, "it now differs from the cluster configuration"));
	free(out);
	free(err);
	/* refused connection: not a fallback */
	f.open_ret = -EACCES;
	assert_int_equal(run(sf, NULL, NULL, "-A -t 192.0.2.6:80", &out, &err), 1);
	assert_int_equal(f.local_applies, 5);
	free(out);
	free(err);
	unlink(sf);
	rmdir(tmpl);
	adm_config_free(&f.table);
	adm_config_free(&f.cluster);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_edit_roundtrip),
		cmocka_unit_test(test_edit_format_refuses),
		cmocka_unit_test(test_edits_text_numbered),
		cmocka_unit_test(test_config_text),
		cmocka_unit_test(test_config_edit_rules),
		cmocka_unit_test(test_reconcile),
		cmocka_unit_test(test_text_diff),
		cmocka_unit_test(test_routing),
	};

	struct pcc_test_run r = { 0 };

	PCC_TEST_GROUP(&r, "cli_config", tests);
	return pcc_test_done(&r);
}
