/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pcc_test.h: run cmocka groups and end with the project's summary line
 * "N passed, N failed" (cmocka prints its own report on stderr; flush it
 * first so the summary is the last line when both streams share a pipe).
 *
 *	int main(void)
 *	{
 *		struct pcc_test_run r = { 0 };
 *		PCC_TEST_GROUP(&r, "core_tpl", tpl_tests);
 *		return pcc_test_done(&r);
 *	}
 */
#ifndef PCC_TEST_H
#define PCC_TEST_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

struct pcc_test_run {
	size_t total;
	size_t failed;
};

#define PCC_TEST_GROUP(run, name, tests)                                              \
	do {                                                                           \
		int f_ = cmocka_run_group_tests_name(name, tests, NULL, NULL);         \
		(run)->total += sizeof(tests) / sizeof((tests)[0]);                    \
		(run)->failed += (size_t)(f_ < 0 ? 1 : f_);                            \
	} while (0)

#define PCC_TEST_GROUP_FIXTURE(run, name, tests, setup, teardown)                     \
	do {                                                                           \
		int f_ = cmocka_run_group_tests_name(name, tests, setup, teardown);    \
		(run)->total += sizeof(tests) / sizeof((tests)[0]);                    \
		(run)->failed += (size_t)(f_ < 0 ? 1 : f_);                            \
	} while (0)

static inline int pcc_test_done(const struct pcc_test_run *run)
{
	size_t failed = run->failed > run->total ? run->total : run->failed;

	fflush(stderr);
	printf("%zu passed, %zu failed\n", run->total - failed, failed);
	fflush(stdout);
	return failed ? 1 : 0;
}

#endif /* PCC_TEST_H */
