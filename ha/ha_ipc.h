/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ha_ipc.h: the HA part of pccvs-syncd's IPC protocol (syncd/syncd_ipc.h
 * has the transport, the header rules and the ids 1..5). For
 * `pccvsadm cluster status` and `pccvsadm cluster switchover NODE`.
 *
 *   id                 request                   response
 *   HA_STATUS (6)      syncd_ipc_req             ha_ipc_status
 *   HA_SWITCHOVER (7)  ha_ipc_switchover_req     syncd_ipc_resp; error:
 *        -EAGAIN membership settling, -ENOENT no such member, -EINVAL
 *        the target is not synced or not ready, -EALREADY it is active,
 *        -ENOTCONN no quorum here. 0: the Switchover was multicast; it
 *        takes effect at its delivery (poll HA_STATUS).
 * Responses only grow by appending fields.
 */
#ifndef HA_IPC_H
#define HA_IPC_H

#include <stdint.h>
#include <qb/qbipc_common.h>

#define HA_IPC_STATUS 6
#define HA_IPC_SWITCHOVER 7
#define HA_IPC_VIP_MAX 16
#define HA_IPC_NODES_MAX 64

struct ha_ipc_vip {
	uint16_t af;
	uint8_t prefix;
	uint8_t held;		/* configured on the device by us now */
	uint8_t addr[16];
	char dev[16];
	int32_t error;		/* last add/remove error, -errno, 0 none */
	uint32_t pad;
};

struct ha_ipc_node {
	uint32_t node, pid;
	uint8_t status;		/* Status known */
	uint8_t synced, ready;
	uint8_t claim;		/* announced role (enum ha_role) */
	uint8_t fresh;		/* announced since the last join */
	uint8_t active;		/* the view's active */
	uint8_t self;
	uint8_t pad;
	uint32_t prio;
	uint32_t pad2;
	uint64_t claim_term;
};

struct ha_ipc_status {
	struct qb_ipc_response_header hdr;
	uint32_t version;
	uint32_t self_node;
	uint8_t role;		/* what we do now: enum ha_role */
	uint8_t quorate;	/* as HA sees it (stable for a moment) */
	uint8_t settled, joining;
	uint8_t has_active, fallback, preempt, synced;
	uint32_t active_node;
	uint32_t why;		/* enum ha_why of the last change of the active */
	uint64_t term;
	uint64_t role_ms;	/* ms since our role last changed */
	uint64_t transitions;	/* our role changes since start */
	uint64_t last_change_ms;	/* ms since the active last changed */
	uint32_t priority;
	uint32_t preempt_delay_ms, garp_count, garp_interval_ms;
	uint32_t n_vip, n_nodes;
	char why_text[64];
	char notify[256];
	struct ha_ipc_vip vip[HA_IPC_VIP_MAX];
	struct ha_ipc_node nodes[HA_IPC_NODES_MAX];
};

struct ha_ipc_switchover_req {
	struct qb_ipc_request_header hdr;
	uint32_t version;
	uint32_t target;	/* node id */
};

#endif /* HA_IPC_H */
