/* SPDX-License-Identifier: GPL-2.0 */
/*
 * conf.h: pccvs-syncd configuration (/etc/pccvs/syncd.conf). Every key is
 * documented in deploy/syncd.conf and docs/sync.md. Parsing is strict: an
 * unknown key, a repeated key or a bad value is one error naming
 * file:line and the rule; the daemon then exits with status 2.
 */
#ifndef SYNCD_CONF_H
#define SYNCD_CONF_H

#include <stddef.h>
#include <stdint.h>
#include <pccvs.h>
#include "ha_conf.h"	/* HA keys (ha/) */

#define SYNCD_CONF_PATH "/etc/pccvs/syncd.conf"
#define SYNCD_CONF_MAX_BYTES (1 << 20)
#define SYNCD_GROUP_MAX 127		/* CPG group name, bytes */
#define SYNCD_SIM_SVC_MAX 64
#define SYNCD_SIM_DEST_MAX 256

enum syncd_backend_kind {
	SYNCD_BACKEND_NETLINK,	/* the pccvs.ko module through libpccvs */
	SYNCD_BACKEND_SIM,	/* TEST ONLY: the user-space core in the daemon */
};

enum syncd_log_target {
	SYNCD_LOG_SYSLOG,
	SYNCD_LOG_STDERR,
};

struct syncd_sim_svc {
	uint16_t af;
	uint8_t protocol;
	uint16_t port;
	uint8_t netmask;
	uint32_t timeout;
	struct pccvs_addr vaddr;
	char sched[PCCVS_SCHED_NAME_MAX];
	char pgroup[PCCVS_PGROUP_NAME_MAX];
};

struct syncd_sim_dest {
	uint16_t svc;		/* index into sim_svc */
	uint16_t port;
	uint32_t weight;
	struct pccvs_addr addr;
};

struct syncd_conf {
	char group[SYNCD_GROUP_MAX + 1];
	uint32_t batch_templates;
	uint32_t max_message_bytes;
	uint32_t flush_interval_ms;
	uint32_t retry_max_ms;
	uint32_t netlink_rcvbuf;
	uint32_t max_pending;
	uint32_t snapshot_chunk_bytes;
	uint32_t status_wait_ms;
	uint32_t xfer_timeout_ms;
	uint32_t priority;
	int log_level;			/* LOG_ERR .. LOG_DEBUG */
	enum syncd_log_target log_target;
	enum syncd_backend_kind backend;
	char ipc_group[64];		/* "" = root only */
	unsigned int ipc_group_line;	/* for the "unknown group" error */
	char state_dir[256];		/* cluster configuration state */
	/* backend = sim only */
	uint32_t sim_tpl_max;
	uint32_t sim_conn_max;
	size_t n_sim_svc, n_sim_dest;
	struct syncd_sim_svc sim_svc[SYNCD_SIM_SVC_MAX];
	struct syncd_sim_dest sim_dest[SYNCD_SIM_DEST_MAX];
	struct ha_conf ha;		/* vip, preempt, ... (ha/ha_conf.h) */
};

void conf_defaults(struct syncd_conf *c);

/*
 * Parse a whole configuration text (need not be NUL-terminated) on top of
 * the defaults. On error returns -EINVAL and writes one line
 * "FILE:LINE: KEY: problem" into err.
 */
int conf_parse(struct syncd_conf *c, const char *text, size_t len,
	       const char *fname, char *err, size_t errlen);

/* Read and parse a file: -errno (with err set) on failure. */
int conf_load(struct syncd_conf *c, const char *path, char *err,
	      size_t errlen);

const char *conf_log_level_name(int level);

#endif /* SYNCD_CONF_H */
