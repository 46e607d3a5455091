// SPDX-License-Identifier: GPL-2.0
/* main.c: pccvsadm against the local module (and pccvs-syncd for
 * "cluster"). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "adm.h"
#include "cluster.h"

/* pccvs-syncd's state file (PCCVS_STATE_DIR overrides its directory, as
 * state_dir does in syncd.conf) marks a cluster member. */
static const char *state_file(char *buf, size_t len)
{
	const char *dir = getenv("PCCVS_STATE_DIR");

	snprintf(buf, len, "%s/config", dir && *dir ? dir : "/var/lib/pccvs");
	return buf;
}

int main(int argc, char *argv[])
{
	char sf[4096];
	struct adm_ctx ctx = {
		.prog = "pccvsadm", .in = stdin, .out = stdout, .err = stderr,
		.ops = &adm_backend_nl, .cluster = &adm_cluster_ipc,
		.cluster_wait_ms = 5000, .edits = &adm_backend_cluster,
		.state_file = state_file(sf, sizeof(sf)),
		.daemon_conf = "/etc/pccvs/syncd.conf",
	};
	int ret = adm_main(&ctx, argc - 1, argv + 1);

	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, "pccvsadm: cannot write the output: %s\n", strerror(errno));
		return ADM_EXIT_FAIL;
	}
	return ret;
}
