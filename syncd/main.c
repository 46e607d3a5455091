// SPDX-License-Identifier: GPL-2.0
/*
 * pccvs-syncd: replicates persistent-client templates between directors
 * over corosync CPG. See docs/sync.md.
 *
 * Exit status: 0 after a clean shutdown, 1 on a runtime failure, 2 on a
 * usage or configuration error.
 */
#include <errno.h>
#include <getopt.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <qb/qblog.h>

#include "syncd.h"
#include "ha.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: pccvs-syncd [-f] [-c FILE] [--check-config]\n"
		"  -c, --config FILE   configuration (default %s)\n"
		"  -f, --foreground    log to stderr (do not use syslog)\n"
		"      --check-config  validate the configuration and exit\n"
		"  -h, --help\n", SYNCD_CONF_PATH);
}

/* ipc_group must name an existing group: checked here, reported like any
 * other configuration error. */
static int resolve_group(struct syncd *s, const char *path)
{
	struct group *g;

	if (!s->conf.ipc_group[0])
		return 0;
	g = getgrnam(s->conf.ipc_group);
	if (!g) {
		fprintf(stderr, "%s:%u: ipc_group: unknown group `%s'\n", path,
			s->conf.ipc_group_line, s->conf.ipc_group);
		return -EINVAL;
	}
	s->ipc_gid = g->gr_gid;
	s->ipc_gid_set = true;
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "foreground", no_argument, NULL, 'f' },
		{ "check-config", no_argument, NULL, 'C' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	const char *path = SYNCD_CONF_PATH;
	bool foreground = false, check = false;
	struct syncd_conf conf;
	struct syncd *s;
	struct ha *ha = NULL;
	char err[512];
	int c, rc;

	while ((c = getopt_long(argc, argv, "c:fh", opts, NULL)) != -1) {
		switch (c) {
		case 'c': path = optarg; break;
		case 'f': foreground = true; break;
		case 'C': check = true; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	conf_defaults(&conf);
	rc = conf_load(&conf, path, err, sizeof(err));
	if (rc < 0) {
		fprintf(stderr, "%s\n", err);
		return 2;
	}
	s = calloc(1, sizeof(*s));	/* large: not on the stack */
	if (!s || syncd_init(s, &conf) < 0) {
		fprintf(stderr, "pccvs-syncd: out of memory\n");
		return 1;
	}
	rc = resolve_group(s, path) < 0 ? 2 : 0;
	/* the cluster configuration state: a corrupt file stops the start */
	if (!rc && cfgrepl_load(s, err, sizeof(err)) < 0) {
		fprintf(stderr, "pccvs-syncd: %s\n", err);
		rc = 2;
	}
	if (rc || check) {
		if (!rc)
			printf("%s: OK\n", path);
		syncd_fini(s);
		free(s);
		return rc;
	}
	log_setup(&s->conf, foreground);
	qb_log(LOG_NOTICE, "starting: group %s, backend %s, node priority %u",
	       s->conf.group, s->conf.backend == SYNCD_BACKEND_SIM ? "sim" :
	       "netlink", s->conf.priority);
	rc = ha_attach(s, &ha);	/* HA roles (ha/): before the group is joined */
	if (rc < 0)
		qb_log(LOG_ERR, "cannot start HA: %s", strerror(-rc));
	else if ((rc = syncd_start(s)) < 0)
		qb_log(LOG_ERR, "cannot start: %s (is another pccvs-syncd "
		       "running in this network namespace?)", strerror(-rc));
	else
		syncd_run(s);
	ha_detach(ha);		/* VIPs go before we leave the group */
	syncd_fini(s);
	free(s);
	qb_log(LOG_NOTICE, "%s", rc < 0 ? "failed" : "stopped");
	log_fini();
	return rc < 0 ? 1 : 0;
}
