/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xfer.h: the joiner's bookkeeping of one snapshot transfer.
 *
 * The cut is the delivery of our SyncRequest: the donor dumps at or
 * after it, and everything delivered after it also reaches us live. Live
 * upserts and snapshot records go through the same never-backwards merge.
 * Two things need memory of the transfer:
 *  - tombstones: a delete delivered after the cut must not be undone by an
 *    older snapshot record of the same key (record stamp <= delete stamp);
 *  - mark-and-sweep: if we held replicated templates before the cut, the
 *    keys seen in the snapshot or live are marked, and at SnapEnd the
 *    replicated templates left unmarked are deleted, so a returning
 *    standby ends identical to the cluster.
 * Keys are 64-bit fingerprints (tpl_key_hash): a collision can only keep
 * a stale template (it then expires) or skip one record (vanishingly
 * rare), never corrupt one.
 */
#ifndef SYNCD_XFER_H
#define SYNCD_XFER_H

#include <stdbool.h>
#include <stdint.h>
#include <pccvs.h>

/* Open-addressing map fingerprint -> value (0 is never a key). */
struct fpmap {
	uint64_t *key, *val;
	uint32_t mask, n;
};

int fpmap_init(struct fpmap *m);
void fpmap_free(struct fpmap *m);
/* Insert or raise to max(old, val). */
int fpmap_put_max(struct fpmap *m, uint64_t key, uint64_t val);
bool fpmap_get(const struct fpmap *m, uint64_t key, uint64_t *val);

struct xfer_rx {
	uint64_t xfer_id;
	uint32_t donor_node, donor_pid;	/* fixed by SnapBegin */
	bool begun;
	bool track;			/* mark-and-sweep needed */
	uint64_t hint;			/* SnapBegin count */
	uint64_t count, digest;		/* of the records received */
	uint64_t skipped;		/* records older than a tombstone */
	uint64_t begin_ms;		/* SnapBegin delivered */
	struct fpmap tombs;		/* key -> delete stamp */
	struct fpmap seen;		/* key -> 1 */
};

/* Start at the cut. track: we hold replicated templates already. */
int xfer_rx_start(struct xfer_rx *x, uint64_t xfer_id, bool track);
void xfer_rx_stop(struct xfer_rx *x);

/* A live upsert/delete delivered after the cut. */
int xfer_rx_live(struct xfer_rx *x, const struct pccvs_tpl *t, bool del);

/* A snapshot record: counted into count/digest; returns 1 to apply it,
 * 0 to skip it (a newer delete was delivered), -ENOMEM. */
int xfer_rx_record(struct xfer_rx *x, const struct pccvs_tpl *t);

/* SnapEnd check: 0 if count and digest match, -EBADMSG otherwise. */
int xfer_rx_end(const struct xfer_rx *x, uint64_t count, uint64_t digest);

/* At the sweep: should this replicated template be deleted? */
bool xfer_rx_stale(const struct xfer_rx *x, const struct pccvs_tpl *t);

#endif /* SYNCD_XFER_H */
