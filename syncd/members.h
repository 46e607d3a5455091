/* SPDX-License-Identifier: GPL-2.0 */
/*
 * members.h: the CPG group as this daemon sees it: one entry per member
 * process (node id, pid), with the latest Status it multicast and its
 * sequence tracking. The donor choice lives here because every member
 * must make it identically from the same totally ordered history.
 */
#ifndef SYNCD_MEMBERS_H
#define SYNCD_MEMBERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MEMBERS_MAX 64

struct member_status {
	bool synced;
	bool backend_ready;
	uint32_t priority;
	uint32_t role;
	uint64_t config_version;
	uint64_t config_digest;		/* 0: not announced (older daemon) */
	uint64_t templates, local_templates;
	uint64_t xfer_id;
};

struct member {
	uint32_t nodeid, pid;
	bool status_known;	/* a Status was delivered since we saw it join */
	struct member_status st;
	/* sequence tracking of its messages */
	bool seq_known;
	uint64_t incarnation, last_seq;
	uint64_t msgs, gaps;
};

struct members {
	size_t n;
	struct member m[MEMBERS_MAX];
};

struct member *members_find(struct members *ms, uint32_t nodeid, uint32_t pid);

/* Make the table equal to (nodeid[i], pid[i]): keeps what is known of the
 * members that stay, adds the new ones unknown, drops the others.
 * Sorted by (nodeid, pid). Returns -E2BIG past MEMBERS_MAX (extra
 * members are ignored). */
int members_set(struct members *ms, const uint32_t *nodeid,
		const uint32_t *pid, size_t n);

/* True if every member's Status is known. */
bool members_all_known(const struct members *ms);

/*
 * The donor for a snapshot requested by (rnode, rpid): the lowest
 * (node id, pid) among members whose latest Status says synced, the
 * requester excluded; if there is none, among members with a known Status
 * (requester included) the holder of the highest configuration version,
 * the lowest of them on a tie (it then declares itself synced, its
 * configuration the cluster's: *fresh is set). Members with no known
 * Status, or whose forwarding table is not ready, are never chosen. NULL
 * if no one qualifies.
 */
const struct member *members_pick_donor(const struct members *ms,
					uint32_t rnode, uint32_t rpid,
					bool *fresh);

/* Sequence check of a message from m: returns true if it follows the
 * previous one (or is the first seen of this incarnation). */
bool member_seq_ok(struct member *m, uint64_t incarnation, uint64_t seq);

#endif /* SYNCD_MEMBERS_H */
