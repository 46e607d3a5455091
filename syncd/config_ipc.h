/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * config_ipc.h: pccvs-syncd's IPC commands for cluster-wide configuration
 * edits (docs/cluster-edits.md), on the transport and rules of
 * syncd_ipc.h (header, version, sizes; responses only grow).
 *
 *   id          request                    response
 *   CFG_EDIT    syncd_ipc_cfg_edit_req     syncd_ipc_cfg_result
 *   CFG_RESULT  syncd_ipc_cfg_result_req   syncd_ipc_cfg_result
 *   CFG_GET     syncd_ipc_cfg_get_req      syncd_ipc_cfg_text
 *   CFG_QUERY   syncd_ipc_cfg_query_req    syncd_ipc_cfg_query_resp
 *   CFG_REPORT  syncd_ipc_cfg_report_req   syncd_ipc_cfg_report
 *
 * An edit takes two steps, so the daemon never blocks: CFG_EDIT checks
 * the caller's edit (quorum, synced, parse, validation against the
 * replicated configuration) and multicasts it, answering status
 * -EINPROGRESS with a request id (or the refusal); CFG_RESULT then tells
 * whether it was applied here, at its delivery in the total order, and
 * with which version. Refusals carry the reason in msg; these responses
 * have hdr.error 0 and the outcome in status.
 */
#ifndef SYNCD_CONFIG_IPC_H
#define SYNCD_CONFIG_IPC_H

#include <stdint.h>
#include <qb/qbipc_common.h>

/* The edit text: canonical pccvsadm lines (cli/config.h). */
#define SYNCD_CFG_TEXT_MAX (1000 * 1024)
#define SYNCD_CFG_MSG_MAX 512

#define SYNCD_CFG_F_NUMBERED 0x1	/* -R input: line k is the user's line k */

struct syncd_ipc_cfg_edit_req {
	struct qb_ipc_request_header hdr;
	uint32_t version;
	uint32_t flags;		/* SYNCD_CFG_F_* */
	uint32_t grammar;	/* ADM_CONFIG_GRAMMAR of the sender */
	uint32_t len;		/* bytes in text; hdr.size = sizeof + len */
	char text[];
};

struct syncd_ipc_cfg_result_req {
	struct qb_ipc_request_header hdr;
	uint32_t version;
	uint32_t pad;
	uint64_t request_id;
};

enum syncd_cfg_refusal {
	SYNCD_CFG_OK = 0,
	SYNCD_CFG_INVALID = 1,		/* bad edit: refused everywhere, nothing changed */
	SYNCD_CFG_UNAVAILABLE = 2,	/* no quorum, not synced, ...: nothing sent */
	SYNCD_CFG_LOST = 3,		/* this director lost the cluster state meanwhile */
};

struct syncd_ipc_cfg_result {
	struct qb_ipc_response_header hdr;
	uint32_t version;
	int32_t status;		/* 0 applied, -EINPROGRESS, -errno */
	uint64_t request_id;
	uint64_t config_version; /* after the edit, or the current one */
	uint32_t refusal;	/* enum syncd_cfg_refusal when status < 0 */
	uint32_t module_failed;	/* applied, but this director's module refused it */
	char msg[SYNCD_CFG_MSG_MAX];
};

#define SYNCD_CFG_REPLICATED 0	/* syncd_ipc_cfg_get_req.which */
#define SYNCD_CFG_MODULE 1

struct syncd_ipc_cfg_get_req {
	struct qb_ipc_request_header hdr;
	uint32_t version;
	uint32_t which;
};

struct syncd_ipc_cfg_text {
	struct qb_ipc_response_header hdr;
	uint32_t version;
	uint32_t which;
	uint64_t config_version;
	uint64_t digest;	/* of the replicated text */
	uint8_t have;		/* a configuration is known */
	uint8_t current;	/* it is the cluster's (synced) */
	uint8_t module_ok;	/* the module matches it */
	uint8_t pad;
	uint32_t len;		/* bytes in text (NUL follows) */
	uint64_t module_version;
	char module_error[256];
	char text[];
};

#define SYNCD_CFG_Q_STATUS 1
#define SYNCD_CFG_Q_DIFF 2

struct syncd_ipc_cfg_query_req {
	struct qb_ipc_request_header hdr;
	uint32_t version;
	uint32_t kind;		/* SYNCD_CFG_Q_* */
};

struct syncd_ipc_cfg_query_resp {
	struct qb_ipc_response_header hdr;
	uint32_t version;
	uint32_t pad;
	uint64_t query_id;
};

struct syncd_ipc_cfg_report_req {
	struct qb_ipc_request_header hdr;
	uint32_t version;
	uint32_t index;		/* member, 0 .. n-1 */
	uint64_t query_id;
};

/* One member's answer. status -EINPROGRESS until every member answered
 * or the query timed out (then answered = 0 for the silent ones). */
struct syncd_ipc_cfg_report {
	struct qb_ipc_response_header hdr;
	uint32_t version;
	int32_t status;
	uint32_t n;		/* members asked */
	uint32_t index;
	uint32_t nodeid, pid;
	uint8_t answered, self, current, module_ok;
	uint32_t pad;
	uint64_t config_version, digest;
	uint64_t module_version, module_digest;
	uint64_t templates, local_templates;
	uint64_t pending, unacked, lag_ms;
	uint64_t ref_version, ref_digest;	/* the asker's configuration */
	char module_error[256];
	int32_t diff_lines;	/* kind diff: lines differing, -1 unknown */
	uint32_t len;		/* bytes of diff text ("- line"/"+ line") that
				 * follow the struct (and a NUL) */
};

#endif /* SYNCD_CONFIG_IPC_H */
