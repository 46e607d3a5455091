/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * syncd_ipc.h: the local control protocol of pccvs-syncd (libqb IPC),
 * for pccvsadm ("cluster status") and the test tool tests/tools/syncctl.
 *
 * Transport: libqb IPC service SYNCD_IPC_NAME (an abstract unix socket,
 * hence per network namespace). Connect with
 * qb_ipcc_connect(SYNCD_IPC_NAME, SYNCD_IPC_MAX_MSG). Only root and members
 * of the configured ipc_group may connect (EACCES otherwise).
 *
 * Every request starts with struct qb_ipc_request_header (id = a
 * syncd_ipc_id, size = whole request) followed by "version"
 * (SYNCD_IPC_VERSION). Every response starts with struct
 * qb_ipc_response_header (same id, size = whole response, error = 0 or
 * -errno) followed by "version". A malformed request (size, version,
 * unknown id) gets a bare response header with error -EINVAL/-EPROTO/
 * -EOPNOTSUPP. Responses only grow by appending fields: a client reads
 * hdr.size and treats missing trailing fields as 0.
 *
 *   id                 request                 response
 *   STATUS             syncd_ipc_req           syncd_ipc_status
 *   MEMBERS            syncd_ipc_req           syncd_ipc_members
 *   DIGEST             syncd_ipc_dump_req      syncd_ipc_digest
 *   TPL_DUMP           syncd_ipc_dump_req      syncd_ipc_tpls (paged: skip, max)
 *   RESYNC             syncd_ipc_req           syncd_ipc_resp
 *   REANNOUNCE         syncd_ipc_req           syncd_ipc_reannounce
 *   SIM                syncd_ipc_sim_req       syncd_ipc_sim_resp (backend sim only,
 *                                              else -EOPNOTSUPP)
 * Ids 6 and 7 are HA's (ha/ha_ipc.h); 9..13 cluster-wide configuration
 * edits (config_ipc.h); 14..99 are kept for later issues; see
 * syncd_ipc_handler_set().
 */
#ifndef SYNCD_IPC_H
#define SYNCD_IPC_H

#include <stdint.h>
#include <qb/qbipc_common.h>

#define SYNCD_IPC_NAME "pccvs-syncd"
#define SYNCD_IPC_VERSION 1
#define SYNCD_IPC_MAX_MSG (1 << 20)
#define SYNCD_IPC_DUMP_MAX 4096		/* templates per TPL_DUMP page */
#define SYNCD_IPC_MEMBERS_MAX 64
#define SYNCD_IPC_REFUSE_MAX 32		/* slots of syncd_ipc_status.refused */

enum syncd_ipc_id {
	SYNCD_IPC_STATUS = 1,
	SYNCD_IPC_MEMBERS = 2,
	SYNCD_IPC_DIGEST = 3,
	SYNCD_IPC_TPL_DUMP = 4,
	SYNCD_IPC_RESYNC = 5,		/* re-announce + ask for a snapshot */
	SYNCD_IPC_REANNOUNCE = 8,	/* send every local template again */
	SYNCD_IPC_CFG_EDIT = 9,		/* config_ipc.h */
	SYNCD_IPC_CFG_RESULT = 10,
	SYNCD_IPC_CFG_GET = 11,
	SYNCD_IPC_CFG_QUERY = 12,
	SYNCD_IPC_CFG_REPORT = 13,
	SYNCD_IPC_ID_MAX = 128,		/* handler table size */
	SYNCD_IPC_SIM = 100,
};

/* Sync state (syncd_ipc_status.state). */
enum syncd_state {
	SYNCD_ST_DISCONNECTED = 0,	/* no CPG connection */
	SYNCD_ST_JOINING = 1,		/* joined, own join not yet delivered */
	SYNCD_ST_WAIT_STATUS = 2,	/* waiting for every member's Status */
	SYNCD_ST_WAIT_SNAPSHOT = 3,	/* SyncRequest sent */
	SYNCD_ST_RECEIVING = 4,		/* snapshot streaming in */
	SYNCD_ST_SYNCED = 5,
	SYNCD_ST_NO_BACKEND = 6,	/* forwarding table unreachable */
	SYNCD_ST_NO_QUORUM = 7,		/* inquorate: cannot claim the cluster state */
};

struct syncd_ipc_req {
	struct qb_ipc_request_header hdr;
	uint32_t version;
	uint32_t pad;
};

struct syncd_ipc_resp {
	struct qb_ipc_response_header hdr;
	uint32_t version;
	uint32_t pad;
};

/* Refusal reasons, index into syncd_ipc_status.refused (wire.h). */
#define SYNCD_IPC_REFUSE_NAMES \
	"decode", "size", "version", "sender", "header", "unknown_type", \
	"field", "too_many", "domain", "domain_index", "addr", "port", \
	"lifetime", "flags", "backend", "stale"

struct syncd_ipc_status {
	struct qb_ipc_response_header hdr;
	uint32_t version;
	uint32_t nodeid;
	char group[128];
	char backend[16];
	uint8_t connected;	/* CPG connection up */
	uint8_t joined;		/* own join delivered */
	uint8_t synced;
	uint8_t quorate;
	uint8_t backend_ready;
	uint8_t state;		/* enum syncd_state */
	uint8_t pad[2];
	uint32_t members;
	uint32_t pad2;
	uint64_t epoch;		/* totem ring id seq */
	uint64_t incarnation;
	uint64_t seq_sent, seq_self_delivered;
	/* send side */
	uint64_t pending;	/* coalesced templates waiting */
	uint64_t queue_live_msgs, queue_bulk_msgs, queue_bytes;
	uint64_t msgs_sent, bytes_sent;
	uint64_t tpl_sent, tpl_del_sent;
	uint64_t try_again;	/* CS_ERR_TRY_AGAIN seen */
	uint64_t events, events_merged, ev_overruns, reannounces, reannounced;
	/* receive side */
	uint64_t msgs_recv, bytes_recv;
	uint64_t tpl_recv, tpl_del_recv;
	uint64_t tpl_applied, tpl_unchanged, tpl_refused, tpl_deleted;
	uint64_t malformed;	/* messages dropped whole */
	uint64_t seq_gaps;
	uint64_t refused[SYNCD_IPC_REFUSE_MAX];
	/* state transfer */
	uint64_t snapshots_received, snapshots_served, xfer_aborts, xfer_failures;
	uint64_t last_snap_count, last_snap_ms;	/* as joiner */
	uint64_t last_served_count, last_served_ms;	/* as donor (to SnapEnd sent) */
	uint64_t swept;		/* stale replicated templates deleted */
	/* connections */
	uint64_t cpg_reconnects, backend_reopens;
	uint64_t templates, local_templates;
	uint64_t unconfirmed;	/* sent, not yet self-delivered */
};

struct syncd_ipc_member {
	uint32_t nodeid, pid;
	uint8_t self, status_known, synced, backend_ready;
	uint32_t priority, role;
	uint32_t pad;
	uint64_t templates, local_templates, config_version;
	uint64_t msgs, gaps;
};

struct syncd_ipc_reannounce {
	struct qb_ipc_response_header hdr;
	uint32_t version;
	uint32_t pad;
	uint64_t start_ns;	/* CLOCK_MONOTONIC when the dump began */
	uint64_t count;		/* templates in the table (local and not) */
};

struct syncd_ipc_members {
	struct qb_ipc_response_header hdr;
	uint32_t version;
	uint32_t n;
	struct syncd_ipc_member m[SYNCD_IPC_MEMBERS_MAX];
};

struct syncd_ipc_dump_req {
	struct qb_ipc_request_header hdr;
	uint32_t version;
	uint32_t flags;		/* PCCVS_DUMP_F_* */
	uint64_t skip;		/* TPL_DUMP: records to skip */
	uint32_t max;		/* TPL_DUMP: <= SYNCD_IPC_DUMP_MAX */
	uint32_t pad;
	/* optional (a request may end before): only this client */
	uint16_t client_af;	/* 0 = any client */
	uint16_t pad2[3];
	uint8_t client[16];
};

/* count and digest (sum of per-record hashes over domain, client, server,
 * port, stamp) of the templates matching flags: equal tables give equal
 * digests on every director. */
struct syncd_ipc_digest {
	struct qb_ipc_response_header hdr;
	uint32_t version;
	uint32_t pad;
	uint64_t count, digest;
};

struct syncd_ipc_tpl {
	uint16_t af;
	uint8_t protocol;
	uint8_t netmask;
	uint16_t vport, dport;
	uint32_t fwmark, flags;
	uint8_t vaddr[16], caddr[16], daddr[16];
	char pgroup[16];
	uint64_t remaining_ms, stamp;
};

struct syncd_ipc_tpls {
	struct qb_ipc_response_header hdr;
	uint32_t version;
	uint32_t n;		/* records in t[] */
	uint64_t total;		/* matching records in the table */
	struct syncd_ipc_tpl t[];
};

/* ---- backend sim only: load generator and latency probe ---- */

enum syncd_sim_cmd {
	SYNCD_SIM_LOAD = 1,	/* start creating templates */
	SYNCD_SIM_STOP = 2,	/* stop the generator */
	SYNCD_SIM_STATS = 3,	/* just report */
	SYNCD_SIM_DELETE = 4,	/* delete "count" generated templates from "start" */
	SYNCD_SIM_RESET = 5,	/* reset the latency/inject statistics */
};

/* Latency probe: clients 2001:db8:0:1::/64 whose low 64 bits are the
 * CLOCK_MONOTONIC creation time in ns (needs an IPv6 service with
 * netmask=128); receivers measure at injection. */
#define SYNCD_SIM_F_LATENCY 0x1
/* Quiet: the generated templates raise no event (as if the daemon had
 * missed them); REANNOUNCE then replicates them from a dump. Measures the
 * replication pipeline without the generator. */
#define SYNCD_SIM_F_QUIET 0x2

struct syncd_ipc_sim_req {
	struct qb_ipc_request_header hdr;
	uint32_t version;
	uint32_t cmd;		/* enum syncd_sim_cmd */
	uint64_t count;		/* templates */
	uint64_t rate;		/* per second; 0 = as fast as possible */
	uint64_t start;		/* first client index */
	uint32_t flags;		/* SYNCD_SIM_F_* */
	uint32_t pad;
};

struct syncd_ipc_sim_resp {
	struct qb_ipc_response_header hdr;
	uint32_t version;
	uint32_t running;	/* generator active */
	uint64_t created, deleted, failed;
	uint64_t load_start_ns, load_end_ns;	/* CLOCK_MONOTONIC */
	uint64_t injected;			/* templates applied from peers */
	uint64_t inject_first_ns, inject_last_ns;
	uint64_t lat_count, lat_p50_ns, lat_p99_ns, lat_max_ns;
	uint64_t templates, conns;
};

#include "config_ipc.h"

#endif /* SYNCD_IPC_H */
