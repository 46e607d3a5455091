// SPDX-License-Identifier: GPL-2.0
/*
 * test_syncd_config.c: the replicated configuration state machine
 * (syncd/config_core.c) and its state file (syncd/config_store.c):
 * versions, the same verdicts in the same order, concurrent conflicting
 * edits, a joiner's catch-up (state at the cut, then the kept edits), the
 * merge rule, and the atomic file with its corruption checks.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <dirent.h>
#include <sys/stat.h>
#include <cmocka.h>
#include "pcc_test.h"
#include "config_core.h"
#include "config_store.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const char base[] =
	"-A -t 192.0.2.10:80 -s rr -p 300 --pgroup web\n"
	"-a -t 192.0.2.10:80 -r 10.0.0.1:80 -g -w 1\n"
	"-A -t 192.0.2.10:443 -s rr -p 300 --pgroup web\n"
	"-a -t 192.0.2.10:443 -r 10.0.0.1:443 -g -w 1\n";

static void init_at(struct cfg_core *c, uint64_t version)
{
	char msg[256];

	cfg_core_init(c);
	assert_int_equal(cfg_core_set(c, version, base, strlen(base), 0, false,
				      msg, sizeof(msg)), 0);
	c->mode = CFG_CURRENT;
}

static int apply(struct cfg_core *c, const char *lines, bool *refused)
{
	struct cfg_outcome o;
	int rc;

	cfg_outcome_init(&o);
	rc = cfg_core_apply(c, &(struct cfg_edit){ .lines = lines, .grammar = 1 }, &o);
	if (refused)
		*refused = o.refused;
	cfg_outcome_fini(&o);
	return rc;
}

/*
 * Edits from three directors, made concurrently against version 5 (each
 * was fine there), delivered in one total order. Conflicting ones are
 * refused at delivery, identically on every director.
 */
static const char *const order[] = {
	"-A -t 192.0.2.20:80 -s rr\n",			/* node 1 */
	"-A -t 192.0.2.20:80 -s wrr\n",			/* node 2: same service */
	"-a -t 192.0.2.20:80 -r 10.0.0.7:80 -w 2\n",	/* node 3 */
	"-D -t 192.0.2.20:80\n",			/* node 1 */
	"-e -t 192.0.2.20:80 -r 10.0.0.7:80 -w 9\n",	/* node 2: it is gone */
	"-a -t 192.0.2.10:80 -r 10.0.0.2\n",		/* breaks the group */
	"-a -t 192.0.2.10:80 -r 10.0.0.2 --all-ports\n",
	"--set 0 60 0\n",
	"-E -t 192.0.2.10:443 -p 600 --all-ports\n",
};
static const bool want_refused[] = { false, true, false, false, true, true,
				     false, false, false };

static void test_same_order_same_result(void **state)
{
	struct cfg_core a, b;
	bool ra, rb;

	init_at(&a, 5);
	init_at(&b, 5);
	for (size_t i = 0; i < N(order); i++) {
		uint64_t va = a.version;

		apply(&a, order[i], &ra);
		apply(&b, order[i], &rb);
		if (ra != want_refused[i] || rb != ra)
			fail_msg("edit %zu `%s': refused %d/%d, want %d", i, order[i],
				 ra, rb, want_refused[i]);
		assert_int_equal(a.version, va + (ra ? 0 : 1));
		assert_int_equal(a.version, b.version);
		assert_int_equal(a.digest, b.digest);
	}
	assert_int_equal(a.version, 5 + 6);
	assert_string_equal(a.text, b.text);
	assert_non_null(strstr(a.text, "-a -t 192.0.2.10:443 -r 10.0.0.2:443"));
	assert_non_null(strstr(a.text, "--set 0 60 0"));
	assert_non_null(strstr(a.text, "-p 600"));
	cfg_core_fini(&a);
	cfg_core_fini(&b);
}

/* -R input is one edit: one bad line and none of it applies. */
static void test_atomic_and_messages(void **state)
{
	struct cfg_core c;
	struct cfg_outcome o;
	uint64_t d;

	init_at(&c, 1);
	d = c.digest;
	cfg_outcome_init(&o);
	cfg_core_apply(&c, &(struct cfg_edit){ .grammar = 1, .numbered = true,
		.lines = "-A -t 192.0.2.30:80\n\n-a -t 192.0.2.31:80 -r 10.0.0.1\n" }, &o);
	assert_true(o.refused);
	assert_int_equal(o.status, -ENOENT);
	assert_string_equal(o.msg, "line 3: no service TCP 192.0.2.31:80");
	assert_int_equal(c.version, 1);
	assert_int_equal(c.digest, d);
	cfg_outcome_fini(&o);
	/* from the command line: no line numbers */
	cfg_outcome_init(&o);
	cfg_core_apply(&c, &(struct cfg_edit){ .grammar = 1,
		.lines = "-a -t 192.0.2.31:80 -r 10.0.0.1\n" }, &o);
	assert_string_equal(o.msg, "no service TCP 192.0.2.31:80");
	cfg_outcome_fini(&o);
	/* not an edit at all */
	cfg_outcome_init(&o);
	cfg_core_apply(&c, &(struct cfg_edit){ .grammar = 1, .lines = "-L -n\n" }, &o);
	assert_true(o.refused);
	cfg_outcome_fini(&o);
	cfg_outcome_init(&o);
	cfg_core_apply(&c, &(struct cfg_edit){ .grammar = 1, .lines = "# nothing\n" }, &o);
	assert_true(o.refused);
	assert_string_equal(o.msg, "no configuration change given");
	cfg_outcome_fini(&o);
	/* a newer language: cannot judge (neither applied nor refused) */
	cfg_outcome_init(&o);
	cfg_core_apply(&c, &(struct cfg_edit){ .grammar = ADM_CONFIG_GRAMMAR + 1,
		.lines = "-C\n" }, &o);
	assert_true(o.cannot_judge);
	assert_false(o.refused);
	assert_int_equal(c.version, 1);
	cfg_outcome_fini(&o);
	/* check is a dry run; the planned edits come with the real one */
	cfg_outcome_init(&o);
	assert_int_equal(cfg_core_check(&c, &(struct cfg_edit){ .grammar = 1,
		.lines = "-C\n" }, &o), 0);
	assert_int_equal(c.version, 1);
	assert_int_equal(o.planned.n, 0);
	cfg_outcome_fini(&o);
	cfg_outcome_init(&o);
	assert_int_equal(cfg_core_apply(&c, &(struct cfg_edit){ .grammar = 1,
		.lines = "-C\n" }, &o), 0);
	assert_int_equal(o.planned.n, 1);
	assert_int_equal(o.version, 2);
	assert_string_equal(c.text, "");
	cfg_outcome_fini(&o);
	cfg_core_fini(&c);
}

/*
 * A joiner: the donor's configuration at the cut (ConfigState), then the
 * edits delivered after the cut, kept meanwhile, end where the donor is.
 */
static void test_join_catch_up(void **state)
{
	struct cfg_core donor, joiner;
	char msg[256], *at_cut;
	uint64_t v_cut, d_cut;
	size_t len;

	init_at(&donor, 40);
	cfg_core_init(&joiner);
	apply(&donor, order[0], NULL);
	/* the cut */
	at_cut = strdup(donor.text);
	len = donor.len;
	v_cut = donor.version;
	d_cut = donor.digest;
	cfg_core_rx_start(&joiner, 77);
	assert_int_equal(joiner.mode, CFG_RX);
	for (size_t i = 2; i < N(order); i++) {
		struct cfg_kept k = { .node = 1, .lines = (char *)order[i], .grammar = 1 };

		apply(&donor, order[i], NULL);
		assert_int_equal(cfg_core_rx_push(&joiner, &k), 0);
	}
	/* ConfigState: a wrong digest is refused, the right one taken */
	assert_int_equal(cfg_core_set(&joiner, v_cut, at_cut, len, d_cut + 1, true,
				      msg, sizeof(msg)), -EINVAL);
	assert_false(joiner.have);
	assert_int_equal(cfg_core_set(&joiner, v_cut, at_cut, len, d_cut, true,
				      msg, sizeof(msg)), 0);
	joiner.mode = CFG_CURRENT;
	for (size_t i = 0; i < joiner.rx_n; i++)
		apply(&joiner, joiner.rx[i].lines, NULL);
	assert_int_equal(joiner.version, donor.version);
	assert_string_equal(joiner.text, donor.text);
	cfg_core_rx_clear(&joiner);
	assert_int_equal(joiner.rx_n, 0);
	free(at_cut);
	cfg_core_fini(&donor);
	cfg_core_fini(&joiner);
}

static void test_history_and_merge_rule(void **state)
{
	struct cfg_core c;
	uint64_t d, d5;

	init_at(&c, 5);
	d5 = c.digest;
	for (int i = 0; i < 3; i++) {
		char line[64];

		snprintf(line, sizeof(line), "-A -t 192.0.2.%d:80\n", 50 + i);
		assert_int_equal(apply(&c, line, NULL), 0);
	}
	assert_int_equal(cfg_core_digest_at(&c, 5, &d), 1);
	assert_int_equal(d, d5);
	assert_int_equal(cfg_core_digest_at(&c, 8, &d), 1);
	assert_int_equal(d, c.digest);
	assert_int_equal(cfg_core_digest_at(&c, 9, &d), 0);
	assert_int_equal(cfg_core_digest_at(&c, 4, &d), 0);
	/* the higher version wins; equal versions: the higher digest */
	assert_true(cfg_wins(9, 1, 8, 99));
	assert_false(cfg_wins(8, 99, 9, 1));
	assert_true(cfg_wins(8, 99, 8, 1));
	assert_false(cfg_wins(8, 1, 8, 99));
	cfg_core_fini(&c);
}

static void test_rx_bounds(void **state)
{
	struct cfg_core c;
	static char big[1 << 20];
	struct cfg_kept k = { .lines = big, .grammar = 1 };

	cfg_core_init(&c);
	memset(big, 'x', sizeof(big) - 1);
	cfg_core_rx_start(&c, 1);
	for (int i = 0; i < 64; i++)	/* 64 MiB at most */
		assert_int_equal(cfg_core_rx_push(&c, &k), 0);
	assert_int_equal(cfg_core_rx_push(&c, &k), -E2BIG);
	assert_true(c.rx_overflow);
	cfg_core_rx_start(&c, 2);	/* a new transfer starts clean */
	assert_false(c.rx_overflow);
	assert_int_equal(c.rx_n, 0);
	cfg_core_fini(&c);
}

/* ---- the state file ---- */

static char dir[64];

static int mkdir_tmp(void **state)
{
	strcpy(dir, "/tmp/pccvs-store.XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int rm_tmp(void **state)
{
	char p[128];

	snprintf(p, sizeof(p), "rm -rf '%s'", dir);
	return system(p) == 0 ? 0 : -1;
}

static void write_file(const char *content, size_t n)
{
	char p[128];
	int fd;

	snprintf(p, sizeof(p), "%s/%s", dir, CFGSTORE_FILE);
	fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, content, n), (ssize_t)n);
	close(fd);
}

static char *read_file(size_t *n)
{
	char p[128], *buf = malloc(65536);
	int fd;

	snprintf(p, sizeof(p), "%s/%s", dir, CFGSTORE_FILE);
	fd = open(p, O_RDONLY);
	assert_true(fd >= 0);
	*n = (size_t)read(fd, buf, 65535);
	buf[*n] = '\0';
	close(fd);
	return buf;
}

static int load(uint64_t *v, char **text, char *err, size_t errlen)
{
	uint64_t d;
	size_t n;

	return cfgstore_load(dir, v, &d, text, &n, err, errlen);
}

static void test_store_roundtrip(void **state)
{
	char err[512], sub[128], *text, *file;
	uint64_t v;
	size_t n;
	DIR *dp;
	struct dirent *de;
	int files = 0;

	assert_int_equal(load(&v, &text, err, sizeof(err)), -ENOENT);
	snprintf(sub, sizeof(sub), "%s/a/b", dir);	/* created as needed */
	assert_int_equal(cfgstore_save(sub, 3, base, strlen(base), err, sizeof(err)), 0);
	assert_int_equal(cfgstore_save(dir, 7, "-C\n", 3, err, sizeof(err)), 0);
	assert_int_equal(cfgstore_save(dir, 8, base, strlen(base), err, sizeof(err)), 0);
	assert_int_equal(load(&v, &text, err, sizeof(err)), 0);
	assert_int_equal(v, 8);
	assert_string_equal(text, base);
	free(text);
	/* the file says what it is, and no temporary file is left */
	file = read_file(&n);
	assert_non_null(strstr(file, "#@pccvs-config 1 version=8 digest="));
	free(file);
	dp = opendir(dir);
	assert_non_null(dp);
	while ((de = readdir(dp)))
		files += de->d_name[0] != '.' || strstr(de->d_name, "tmp");
	closedir(dp);
	assert_int_equal(files, 2);	/* config and a/ */
}

static void refused_with(const char *content, size_t n, const char *what)
{
	char err[512], *text = NULL;
	uint64_t v;

	write_file(content, n);
	assert_int_equal(load(&v, &text, err, sizeof(err)), -EINVAL);
	assert_null(text);
	if (!strstr(err, what) || !strstr(err, dir) || !strstr(err, "remove it"))
		fail_msg("message `%s' does not name `%s', the file and the way out",
			 err, what);
}

static void test_store_corrupt(void **state)
{
	char err[512], *good, *bad;
	size_t n;

	assert_int_equal(cfgstore_save(dir, 8, base, strlen(base), err, sizeof(err)), 0);
	good = read_file(&n);
	refused_with(good, n - 1, "truncated");
	bad = strdup(good);
	bad[n - 5] ^= 0x20;			/* one changed byte */
	refused_with(bad, n, "corrupt");
	free(bad);
	bad = malloc(n + 8);
	memcpy(bad, good, n);
	memcpy(bad + n, "-C\n", 3);
	refused_with(bad, n + 3, "trailing data");
	free(bad);
	refused_with(base, strlen(base), "header");
	refused_with("# only a comment\n", 17, "header");
	refused_with("#@pccvs-config 2 version=1 digest=0 bytes=0\n", 44, "format 2");
	refused_with("#@pccvs-config 1 version=x\n", 27, "malformed header");
	refused_with("", 0, "header");
	free(good);
}

int main(void)
{
	const struct CMUnitTest core[] = {
		cmocka_unit_test(test_same_order_same_result),
		cmocka_unit_test(test_atomic_and_messages),
		cmocka_unit_test(test_join_catch_up),
		cmocka_unit_test(test_history_and_merge_rule),
		cmocka_unit_test(test_rx_bounds),
	};
	const struct CMUnitTest store[] = {
		cmocka_unit_test_setup_teardown(test_store_roundtrip, mkdir_tmp, rm_tmp),
		cmocka_unit_test_setup_teardown(test_store_corrupt, mkdir_tmp, rm_tmp),
	};
	struct pcc_test_run r = { 0 };

	PCC_TEST_GROUP(&r, "syncd_config_core", core);
	PCC_TEST_GROUP(&r, "syncd_config_store", store);
	return pcc_test_done(&r);
}
