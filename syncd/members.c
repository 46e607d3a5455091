// SPDX-License-Identifier: GPL-2.0
/* members.c: the group membership table and the donor choice. */
#include <errno.h>
#include <string.h>

#include "members.h"

static int cmp_id(uint32_t an, uint32_t ap, uint32_t bn, uint32_t bp)
{
	if (an != bn)
		return an < bn ? -1 : 1;
	if (ap != bp)
		return ap < bp ? -1 : 1;
	return 0;
}

struct member *members_find(struct members *ms, uint32_t nodeid, uint32_t pid)
{
	for (size_t i = 0; i < ms->n; i++)
		if (ms->m[i].nodeid == nodeid && ms->m[i].pid == pid)
			return &ms->m[i];
	return NULL;
}

int members_set(struct members *ms, const uint32_t *nodeid,
		const uint32_t *pid, size_t n)
{
	struct members next = { 0 };
	int rc = 0;

	for (size_t i = 0; i < n; i++) {
		struct member *old = members_find(ms, nodeid[i], pid[i]);
		size_t j;

		if (next.n == MEMBERS_MAX) {
			rc = -E2BIG;
			break;
		}
		/* insertion sort by (nodeid, pid) */
		for (j = next.n; j > 0 && cmp_id(nodeid[i], pid[i],
						 next.m[j - 1].nodeid,
						 next.m[j - 1].pid) < 0; j--)
			next.m[j] = next.m[j - 1];
		if (old) {
			next.m[j] = *old;
		} else {
			memset(&next.m[j], 0, sizeof(next.m[j]));
			next.m[j].nodeid = nodeid[i];
			next.m[j].pid = pid[i];
		}
		next.n++;
	}
	*ms = next;
	return rc;
}

bool members_all_known(const struct members *ms)
{
	for (size_t i = 0; i < ms->n; i++)
		if (!ms->m[i].status_known)
			return false;
	return true;
}

const struct member *members_pick_donor(const struct members *ms,
					uint32_t rnode, uint32_t rpid,
					bool *fresh)
{
	const struct member *best = NULL;

	*fresh = false;
	/* the table is sorted: the first match is the lowest */
	for (size_t i = 0; i < ms->n; i++) {
		const struct member *m = &ms->m[i];

		if (!m->status_known || !m->st.backend_ready)
			continue;
		if (!best ||
		    m->st.config_version > best->st.config_version)
			best = m;
		if (m->st.synced && !(m->nodeid == rnode && m->pid == rpid))
			return m;
	}
	*fresh = best != NULL;
	return best;
}

bool member_seq_ok(struct member *m, uint64_t incarnation, uint64_t seq)
{
	bool ok = !m->seq_known || m->incarnation != incarnation ||
		  seq == m->last_seq + 1;

	m->seq_known = true;
	m->incarnation = incarnation;
	m->last_seq = seq;
	m->msgs++;
	if (!ok)
		m->gaps++;
	return ok;
}
