/* SPDX-License-Identifier: GPL-2.0 */
/*
 * config_core.h: the replicated configuration as a state machine, with no
 * I/O (config_repl.c drives it from CPG deliveries, IPC and the backend;
 * the unit tests drive it directly).
 *
 * The state is (version, configuration); its canonical text and digest
 * follow it. apply() is a pure function of the state and the edit, so
 * directors that hold the same state and see the same edits in the same
 * order end in the same state, accepting and refusing alike. Modes:
 *   NONE     the configuration may be stale: delivered edits are ignored
 *   RX       a state transfer is under way: edits delivered after the cut
 *            are kept, and applied after the ConfigState
 *   CURRENT  holds the cluster configuration: edits apply at delivery
 * A bounded history of (version, digest) lets a director tell a member's
 * announced configuration from a diverged one (partition merge).
 */
#ifndef SYNCD_CONFIG_CORE_H
#define SYNCD_CONFIG_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "config_ipc.h"

enum cfg_mode { CFG_NONE = 0, CFG_RX = 1, CFG_CURRENT = 2 };

#define CFG_HIST 1024			/* (version, digest) pairs kept */
#define CFG_RX_MAX_EDITS 100000		/* kept during a transfer */
#define CFG_RX_MAX_BYTES (64U << 20)

struct cfg_edit {
	const char *lines;	/* NUL-terminated canonical lines */
	bool numbered;		/* -R input: keep line numbers in messages */
	uint32_t grammar;
};

/* An edit delivered during a transfer, kept for later. */
struct cfg_kept {
	uint32_t node, pid;
	uint64_t incarnation, request_id;
	bool numbered;
	uint32_t grammar;
	char *lines;
};

struct cfg_outcome {
	int status;		/* 0 applied; -errno */
	bool refused;		/* the edit is invalid (same verdict everywhere) */
	bool cannot_judge;	/* its grammar is newer than ours */
	uint64_t version;	/* after */
	char msg[SYNCD_CFG_MSG_MAX];
	struct adm_edits planned;	/* applied: concrete edits for the module */
};

struct cfg_core {
	bool have;		/* a configuration is known */
	enum cfg_mode mode;
	uint64_t version, digest;
	struct adm_config conf;
	char *text;		/* canonical text of conf */
	size_t len;
	struct { uint64_t v, d; } hist[CFG_HIST];	/* ring */
	size_t hist_n, hist_head;
	/* RX */
	uint64_t rx_xfer;
	struct cfg_kept *rx;
	size_t rx_n, rx_cap, rx_bytes;
	bool rx_overflow;
};

void cfg_core_init(struct cfg_core *c);
void cfg_core_fini(struct cfg_core *c);
void cfg_outcome_init(struct cfg_outcome *o);
void cfg_outcome_fini(struct cfg_outcome *o);

/* Edit lines -> user edits (line numbers cleared unless numbered). 0 or
 * -EINVAL with msg. An empty list is refused. */
int cfg_edit_parse(const char *lines, bool numbered, struct adm_edits *out,
		   char *msg, size_t mlen);

/*
 * Take a whole configuration (load, import, ConfigState): text must parse;
 * with check_digest its hash must equal digest. The history restarts at
 * version. Mode unchanged. 0 or -EINVAL/-ENOMEM with msg; the old state
 * stays on error.
 */
int cfg_core_set(struct cfg_core *c, uint64_t version, const char *text,
		 size_t len, uint64_t digest, bool check_digest, char *msg,
		 size_t mlen);
/* The same from a configuration (a module's, imported). */
int cfg_core_set_conf(struct cfg_core *c, uint64_t version,
		      const struct adm_config *conf, char *msg, size_t mlen);

/* Would e apply now? (IPC check before multicasting; no change.) */
int cfg_core_check(const struct cfg_core *c, const struct cfg_edit *e,
		   struct cfg_outcome *o);
/* Apply at delivery: refused, or version + 1 and o->planned. -ENOMEM
 * leaves the state unknown (have = false): the caller re-joins. */
int cfg_core_apply(struct cfg_core *c, const struct cfg_edit *e,
		   struct cfg_outcome *o);

/* 1 and *digest if version is in the history, else 0. */
int cfg_core_digest_at(const struct cfg_core *c, uint64_t version,
		       uint64_t *digest);
/* Partition merge: does configuration (v, d) win over (v2, d2)? The
 * higher version; equal versions: the higher digest. */
bool cfg_wins(uint64_t v, uint64_t d, uint64_t v2, uint64_t d2);

/*
 * A CFG_EDIT request as it came over IPC (untrusted): sizes, flags, no NUL
 * in the text. 0 with e filled (e->lines malloc()ed: free it), -EINVAL for
 * a malformed request (the IPC layer answers with that error), or
 * -EILSEQ for a NUL in the text (msg says so).
 */
int cfg_ipc_edit_decode(const void *req, size_t len, struct cfg_edit *e,
			char *msg, size_t mlen);

/* Transfer bookkeeping (joiner). */
void cfg_core_rx_start(struct cfg_core *c, uint64_t xfer_id);
/* Keep a copy; -E2BIG past the bounds (then rx_overflow). */
int cfg_core_rx_push(struct cfg_core *c, const struct cfg_kept *k);
void cfg_core_rx_clear(struct cfg_core *c);

#endif /* SYNCD_CONFIG_CORE_H */
