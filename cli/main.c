// SPDX-License-Identifier: GPL-2.0
/* main.c: pccvsadm against the local module (and pccvs-syncd for
 * "cluster"). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "adm.h"
#include "cluster.h"

int main(int argc, char *argv[])
{
	struct adm_ctx ctx = {
		.prog = "pccvsadm", .in = stdin, .out = stdout, .err = stderr,
		.ops = &adm_backend_nl, .cluster = &adm_cluster_ipc,
		.cluster_wait_ms = 5000,
	};
	int ret = adm_main(&ctx, argc - 1, argv + 1);

	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, "pccvsadm: cannot write the output: %s\n", strerror(errno));
		return ADM_EXIT_FAIL;
	}
	return ret;
}
