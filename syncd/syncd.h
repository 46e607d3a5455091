/* SPDX-License-Identifier: GPL-2.0 */
/*
 * syncd.h: the daemon context and the seams between its files.
 *
 *   main.c     arguments, start, stop               syncd.c   context, hooks
 *   cpg.c      CPG connection, dispatch, reconnect  quorum.c  quorum API
 *   send.c     coalesced batches -> CPG, retries    recv.c    CPG -> validate
 *   sync.c     Status, SyncRequest, snapshots       local.c   backend + events
 *   ipc.c      libqb IPC for pccvsadm / syncctl     log.c     logging
 *
 * Extension points for later issues (HA roles in ha/, cluster-wide
 * configuration edits): a handler per Envelope body type
 * (syncd_handler_set), hooks on membership, quorum, member Status, synced
 * and Status filling (syncd_hooks_add), a send call for new message types
 * (syncd_send_body), and IPC commands (syncd_ipc_handler_set).
 */
#ifndef SYNCD_H
#define SYNCD_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <corosync/cpg.h>
#include <corosync/quorum.h>
#include <qb/qbipcs.h>
#include <qb/qbloop.h>

#include "backend.h"
#include "coalesce.h"
#include "config_repl.h"
#include "conf.h"
#include "members.h"
#include "outq.h"
#include "syncd_ipc.h"
#include "wire.h"
#include "xfer.h"

struct syncd;

/* ---- extension points ---- */

#define SYNCD_BODY_MAX 64	/* Envelope body field numbers below this */
#define SYNCD_HOOKS_MAX 8

/* A message handler: e passed wire_check_header/wire_check_body; from is
 * the sender's member entry (NULL if not a member); self: our own message
 * (delivered in the same total order as everyone else's). */
typedef void (*syncd_msg_fn)(struct syncd *s, const Pccvs__Envelope *e,
			     struct member *from, bool self, void *arg);

struct syncd_hooks {
	/* membership changed (ms already updated); joined/left counts */
	void (*confchg)(struct syncd *s, void *arg, const struct members *ms,
			size_t joined, size_t left);
	void (*quorum)(struct syncd *s, void *arg, bool quorate);
	/* a member's Status was delivered (also our own) */
	void (*member_status)(struct syncd *s, void *arg,
			      const struct member *m);
	void (*synced)(struct syncd *s, void *arg, bool synced);
	/* add role/config_version etc. to the Status we are about to send */
	void (*fill_status)(struct syncd *s, void *arg, Pccvs__Status *st);
	void *arg;
};

/* An IPC command: req is the whole request (size checked >= header +
 * version); on success *resp is a malloc()ed response with its header's
 * size filled (the id/error are set by the caller). -errno on failure. */
typedef int (*syncd_ipc_fn)(struct syncd *s, const void *req, size_t len,
			    void **resp, size_t *resp_len, void *arg);

int syncd_handler_set(struct syncd *s, unsigned int body_case,
		      syncd_msg_fn fn, void *arg);
int syncd_hooks_add(struct syncd *s, const struct syncd_hooks *h);
int syncd_ipc_handler_set(struct syncd *s, unsigned int id, syncd_ipc_fn fn,
			  void *arg);

enum syncd_queue {
	SYNCD_Q_CTRL,		/* small control messages, first */
	SYNCD_Q_LIVE,		/* template batches, in order */
	SYNCD_Q_BULK,		/* snapshot streams, lowest priority */
};
/* Queue an Envelope that has only its body set. */
int syncd_send_body(struct syncd *s, const Pccvs__Envelope *e,
		    enum syncd_queue q);

bool syncd_is_synced(const struct syncd *s);
bool syncd_is_quorate(const struct syncd *s);

/* ---- the context ---- */

struct syncd_stats {
	uint64_t msgs_sent, bytes_sent, tpl_sent, tpl_del_sent, try_again;
	uint64_t events, ev_overruns, reannounces, reannounced;
	uint64_t msgs_recv, bytes_recv, tpl_recv, tpl_del_recv;
	uint64_t tpl_applied, tpl_unchanged, tpl_refused, tpl_deleted;
	uint64_t malformed, seq_gaps;
	uint64_t refused[WR__MAX];
	uint64_t snapshots_received, snapshots_served, xfer_aborts;
	uint64_t xfer_failures, last_snap_count, last_snap_ms;
	uint64_t last_served_count, last_served_ms, swept;
	uint64_t cpg_reconnects, backend_reopens;
};

struct syncd_cpg {
	cpg_handle_t h;		/* 0: not connected */
	int fd;
	uint32_t nodeid, pid;
	struct cpg_name group;
	bool joined;		/* our own join was delivered */
	uint64_t epoch;		/* totem ring id seq */
	uint32_t backoff_ms;
	qb_loop_timer_handle reconnect_timer;
};

struct syncd_quorum {
	quorum_handle_t h;
	int fd;
	bool quorate;
	bool no_provider;	/* corosync has none: always quorate */
};

/* A dump streamed into a queue (produce.c). */
enum prod_kind {
	PROD_REANNOUNCE,	/* local templates, live queue */
	PROD_SNAPSHOT,		/* a snapshot stream, bulk queue */
	PROD__MAX
};

struct syncd_producer {
	bool active, job_queued;
	enum prod_kind kind;
	uint32_t flags;			/* PCCVS_DUMP_F_* */
	struct backend_cursor cur;
	struct wire_batch b;
	uint64_t xfer_id;
	uint32_t target_node;
	uint64_t count, digest, start_ms;
};

struct syncd_snapreq {
	uint64_t xfer_id;
	uint32_t node, pid;
};

/* Donor side: the stream being produced, for abort and statistics. */
struct syncd_tx {
	uint64_t xfer_id;
	uint32_t target_node, target_pid;
	uint64_t count;
	uint64_t start_ms;
};

struct syncd {
	struct syncd_conf conf;
	qb_loop_t *loop;
	uint64_t incarnation;
	enum syncd_state state;
	bool synced;
	bool stopping;
	qb_loop_timer_handle hk_timer;

	struct syncd_cpg cpg;
	struct syncd_quorum quorum;

	/* send side (send.c) */
	struct coal pending;
	struct coal journal;		/* local changes while inquorate */
	bool journal_overflow;
	struct wire_batch live;
	struct outq ctrl, liveq, bulk, unacked;
	uint64_t seq, self_seq;
	bool flush_due, pump_queued, ev_paused;
	unsigned int retry_streak, live_run;
	qb_loop_timer_handle flush_timer, retry_timer;
	uint64_t unacked_since_ms;

	/* receive side (recv.c) */
	struct wire_arena *arena;
	struct wire_tpls up, del;
	struct members members;

	/* state transfer (sync.c) */
	uint64_t xfer_id;		/* our pending request, 0 none */
	uint64_t xfer_counter;
	uint64_t xfer_start_ms;
	bool view_complete;
	uint64_t merge_epoch;		/* ring of the last merge re-announce */
	struct xfer_rx rx;
	struct syncd_tx tx;
	struct syncd_producer prod[PROD__MAX];
	struct syncd_snapreq snap_wait[MEMBERS_MAX];	/* requests to serve */
	size_t n_snap_wait;
	qb_loop_timer_handle status_timer, xfer_timer;

	/* local table (local.c) */
	struct backend be;
	bool be_open;
	bool be_ready;			/* has services: templates can land */
	uint32_t be_backoff_ms;
	uint32_t be_ticks;
	qb_loop_timer_handle be_timer, tick_timer;

	/* cluster-wide configuration (config_repl.c) */
	struct cfgrepl *cfg;

	/* IPC (ipc.c) */
	qb_ipcs_service_t *ipcs;
	gid_t ipc_gid;
	bool ipc_gid_set;

	struct syncd_stats st;
	struct {
		syncd_msg_fn fn;
		void *arg;
	} handlers[SYNCD_BODY_MAX];
	struct syncd_hooks hooks[SYNCD_HOOKS_MAX];
	size_t n_hooks;
	struct {
		syncd_ipc_fn fn;
		void *arg;
	} ipc_handlers[SYNCD_IPC_ID_MAX];
	/* log rate limiting per refusal reason */
	uint64_t rl_window_ms;
	unsigned int rl_count[WR__MAX];
};

/* syncd.c */
int syncd_init(struct syncd *s, const struct syncd_conf *conf);
int syncd_start(struct syncd *s);
void syncd_run(struct syncd *s);
void syncd_stop(struct syncd *s);
void syncd_fini(struct syncd *s);
uint64_t syncd_now_ms(void);
uint64_t syncd_now_ns(void);
void syncd_set_state(struct syncd *s, enum syncd_state st);
void syncd_set_synced(struct syncd *s, bool synced);

/* cpg.c */
int cpg_start(struct syncd *s);
void cpg_stop(struct syncd *s);
/* 0 queued to corosync, -EAGAIN flow control, -ENOTCONN/-EIO otherwise */
int cpg_send(struct syncd *s, const struct wire_hdr *h, const struct outmsg *m);

/* quorum.c */
int quorum_start(struct syncd *s);
void quorum_stop(struct syncd *s);

/* send.c */
int send_init(struct syncd *s);
void send_fini(struct syncd *s);
void send_event(struct syncd *s, const struct pccvs_tpl *t, bool del);
void send_kick(struct syncd *s);		/* run the pump soon */
void send_self_delivered(struct syncd *s, uint64_t seq);
void send_cpg_lost(struct syncd *s);	/* keep what must be resent */
int send_queue(struct syncd *s, enum syncd_queue q, struct outmsg *m);
/* Stream every local template into the live queue (re-announce). */
int send_reannounce(struct syncd *s, const char *why);
/* Quorum is back: queue what changed locally while it was lost;
 * -E2BIG if too much changed (then re-announce everything). */
int send_journal_replay(struct syncd *s);
size_t send_unconfirmed(const struct syncd *s);
void send_check_unacked(struct syncd *s);	/* housekeeping watchdog */

/* recv.c */
int recv_init(struct syncd *s);
void recv_fini(struct syncd *s);
void recv_deliver(struct syncd *s, uint32_t nodeid, uint32_t pid,
		  const void *msg, size_t len);
void recv_refused(struct syncd *s, enum wire_refuse why, uint64_t n,
		  uint32_t nodeid);
void recv_register(struct syncd *s);

/* sync.c */
void sync_register(struct syncd *s);
void sync_confchg(struct syncd *s, const struct cpg_address *m, size_t nm,
		  const struct cpg_address *l, size_t nl,
		  const struct cpg_address *j, size_t nj);
void sync_cpg_lost(struct syncd *s);
void sync_backend_changed(struct syncd *s);	/* ready/not ready */
void sync_send_status(struct syncd *s);
/* hooks for the batch handler while a snapshot is coming in */
bool sync_receiving(const struct syncd *s);
void sync_live_seen(struct syncd *s, const struct wire_tpls *up,
		    const struct wire_tpls *del);
void sync_resync(struct syncd *s);
void sync_quorum(struct syncd *s, bool quorate);
void sync_serve_next(struct syncd *s);	/* a snapshot stream is queued */
void sync_fini(struct syncd *s);

/* local.c */
int local_start(struct syncd *s);
void local_stop(struct syncd *s);
void local_lost(struct syncd *s, int err);	/* backend went away */
void local_pause_events(struct syncd *s, bool pause);
int local_apply(struct syncd *s, const struct wire_tpls *up,
		const struct wire_tpls *del);

/* produce.c */
int produce_reannounce(struct syncd *s);
int produce_snapshot(struct syncd *s, uint64_t xfer_id, uint32_t tnode,
		     uint64_t hint);
bool produce_active(const struct syncd *s, enum prod_kind kind);
void produce_abort(struct syncd *s, enum prod_kind kind);
void produce_kick(struct syncd *s);	/* the pump drained a queue */

/* ipc.c */
int ipc_start(struct syncd *s);
void ipc_stop(struct syncd *s);

/* log.c */
int log_setup(const struct syncd_conf *c, bool foreground);
void log_fini(void);

#endif /* SYNCD_H */
