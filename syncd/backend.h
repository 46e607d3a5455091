/* SPDX-License-Identifier: GPL-2.0 */
/*
 * backend.h: where templates live. The daemon only talks to a forwarding
 * table through these ops:
 *  - "netlink" (backend_nl.c): the pccvs.ko module, through libpccvs;
 *  - "sim" (backend_sim.c): TEST ONLY, the user-space build of the
 *    forwarding core inside the daemon, with services from the config and
 *    a load generator driven over IPC; used by the namespace-cluster
 *    tests and benchmarks, where no module can be loaded.
 * Templates cross this interface as struct pccvs_tpl (lib/pccvs.h).
 * All ops return 0 (or a count) or -errno; -ENODEV/-ENOENT from any op
 * means the table went away (module unloaded): the daemon closes the
 * backend and reopens it with backoff.
 */
#ifndef SYNCD_BACKEND_H
#define SYNCD_BACKEND_H

#include <stddef.h>
#include <stdint.h>
#include <qb/qbloop.h>
#include <pccvs.h>

#include "conf.h"
#include "config.h"	/* cli/: struct adm_config, adm_edit */

struct backend;

typedef int (*backend_tpl_cb)(const struct pccvs_tpl *t, void *arg);

/* Position of a resumable dump (backend-defined). */
struct backend_cursor {
	uint64_t opaque[4];
};

struct backend_counts {
	uint64_t templates;	/* all templates */
	uint64_t local;		/* of which not REPLICATED; UINT64_MAX unknown */
	uint32_t services;
};

struct backend_ops {
	const char *name;
	/* -ENOENT: the table is not there (yet); retried with backoff. */
	int (*open)(struct backend *b);
	void (*close)(struct backend *b);
	/* Readable when events are pending (poll POLLIN). */
	int (*event_fd)(struct backend *b);
	/* Drain events: cb per template event (t->event set). Returns the
	 * number delivered, -ENOBUFS / -EPIPE when events were lost (the
	 * caller re-announces from a dump; reading goes on working). */
	int (*read_events)(struct backend *b, backend_tpl_cb cb, void *arg);
	int (*inject)(struct backend *b, const struct pccvs_tpl *v, size_t n,
		      struct pccvs_result *r);
	int (*del)(struct backend *b, const struct pccvs_tpl *v, size_t n,
		   struct pccvs_result *r);
	/* Every template (flags: PCCVS_DUMP_F_*); cb returning non-zero
	 * stops the dump with that value. */
	int (*dump)(struct backend *b, uint32_t flags, backend_tpl_cb cb,
		    void *arg);
	/* Optional: resumable dump, up to max templates from *cur (zeroed
	 * to start); returns how many, 0 at the end. Entries changed
	 * during the walk may be missed or seen twice. */
	int (*dump_next)(struct backend *b, struct backend_cursor *cur,
			 uint32_t flags, backend_tpl_cb cb, void *arg,
			 uint32_t max);
	int (*counts)(struct backend *b, struct backend_counts *out);
	/* Optional: periodic work (the sim drives expiry), every ~10 ms;
	 * returns non-zero if more is due (called again in ~1 ms). Keep
	 * each call short: it runs in the event loop. */
	int (*tick)(struct backend *b);
	/* Optional: backend-specific IPC commands (the sim's load
	 * generator); -EOPNOTSUPP if unknown. */
	int (*control)(struct backend *b, uint32_t cmd, const void *req,
		       size_t req_len, void *resp, size_t *resp_len);
	/* Optional: the service configuration, for cluster-wide edits
	 * (config_repl.c): services, real servers, timeouts and limits into
	 * an empty c; concrete edits (adm_plan's) applied in order, stopping
	 * at the first failure (*done = applied; err says why). */
	int (*cfg_load)(struct backend *b, struct adm_config *c,
			struct pccvs_err *err);
	int (*cfg_apply)(struct backend *b, const struct adm_edit *v, size_t n,
			 size_t *done, struct pccvs_err *err);
};

struct backend {
	const struct backend_ops *ops;
	const struct syncd_conf *conf;
	qb_loop_t *loop;
	void *priv;
	char err[256];		/* last error text, for logs */
};

extern const struct backend_ops backend_nl_ops;
extern const struct backend_ops backend_sim_ops;

#endif /* SYNCD_BACKEND_H */
