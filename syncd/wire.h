/* SPDX-License-Identifier: GPL-2.0 */
/*
 * wire.h: proto/pccvs.proto on the wire. Encoding builds compact
 * TemplateBatch bodies with exact size accounting; decoding unpacks into
 * an arena and validates every field before anything is used. A message
 * is an Envelope whose header fields (version, sender, epoch, seq,
 * incarnation) are packed at send time and simply concatenated with a
 * pre-packed body field: protobuf merges concatenated fields, so queued
 * bodies get their sequence number only when they really leave.
 */
#ifndef SYNCD_WIRE_H
#define SYNCD_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <pccvs.h>
#include "pccvs.pb-c.h"

#define WIRE_VERSION 1			/* Envelope.version we send */
#define WIRE_MSG_MAX 1047552		/* cpg_max_atomic_msgsize_get() */
#define WIRE_HDR_MAX 48			/* packed header fields, at most */
#define WIRE_BODY_OVERHEAD 48		/* body tag/len + SnapChunk fields */
#define WIRE_MAX_DOMAINS 1024		/* per TemplateBatch */
#define WIRE_MAX_TPLS 131072		/* upserts + deletes per batch */
#define WIRE_LIFETIME_MAX_MS ((uint64_t)PCCVS_PERSIST_TIMEOUT_MAX * 1000)

/* Why something received was refused; counted per reason. */
enum wire_refuse {
	WR_DECODE,		/* message: protobuf decoding failed */
	WR_SIZE,		/* message: empty or larger than allowed */
	WR_VERSION,		/* message: version absent or 0 */
	WR_SENDER,		/* message: sender absent or not the CPG node */
	WR_HEADER,		/* message: seq or incarnation absent */
	WR_UNKNOWN_TYPE,	/* message: no body we know (ignored) */
	WR_FIELD,		/* message: a required body field absent/bad */
	WR_TOO_MANY,		/* message: too many domains or templates */
	WR_DOMAIN,		/* template: its domain is invalid */
	WR_DOMAIN_INDEX,	/* template: domain index out of range */
	WR_ADDR,		/* template: caddr/daddr absent or wrong length */
	WR_PORT,		/* template: dport out of range */
	WR_LIFETIME,		/* template: remaining_ms absent/out of range */
	WR_FLAGS,		/* template: unknown flag bits */
	WR_BACKEND,		/* template: refused by the forwarding table */
	WR_STALE,		/* template: older than a tombstone (snapshot) */
	WR__MAX
};
const char *wire_refuse_name(enum wire_refuse r);

/* ---- decoding ---- */

struct wire_arena;
struct wire_arena *wire_arena_new(void);
void wire_arena_reset(struct wire_arena *a);
void wire_arena_free(struct wire_arena *a);

/* NULL if the bytes are not an Envelope. Valid until the arena's reset. */
Pccvs__Envelope *wire_unpack(struct wire_arena *a, const void *buf,
			     size_t len);

/* Header rules: version >= 1, sender == the CPG node id, seq and
 * incarnation present. 0 or -EBADMSG with *why set. */
int wire_check_header(const Pccvs__Envelope *e, uint32_t cpg_nodeid,
		      enum wire_refuse *why);

/* Required fields of the known bodies; -EBADMSG with *why, or
 * -EOPNOTSUPP (WR_UNKNOWN_TYPE) for a body this version does not know. */
int wire_check_body(const Pccvs__Envelope *e, enum wire_refuse *why);

/* A growable array of templates. */
struct wire_tpls {
	struct pccvs_tpl *v;
	size_t n, cap;
};
void wire_tpls_free(struct wire_tpls *t);

/*
 * Validate a TemplateBatch and convert it: valid upserts are appended to
 * up, valid deletes to del (either may be NULL to refuse that kind, as
 * snapshots carry upserts only). Invalid entries are counted in
 * refused[] and skipped; a batch that is too big is refused whole
 * (-EBADMSG). Returns 0 or -errno.
 */
int wire_batch_decode(const Pccvs__TemplateBatch *b, struct wire_tpls *up,
		      struct wire_tpls *del, uint64_t refused[WR__MAX]);

/* ---- encoding ---- */

struct wire_batch {
	size_t max_bytes;	/* encoded TemplateBatch limit */
	uint32_t max_tpls;
	size_t bytes;		/* encoded size so far (exact) */
	size_t n_dom, n_up, n_del, cap;
	bool want_digest;	/* snapshots: keep the digest below */
	uint64_t digest;	/* sum of record hashes of the upserts */
	Pccvs__TemplateBatch msg;
	Pccvs__Domain *dom;
	Pccvs__Domain **domp;
	struct pccvs_tpl *domkey;	/* domain of each Domain, for lookup */
	size_t last_dom;
	Pccvs__Template *tpl;
	Pccvs__Template **upp, **delp;
	uint8_t (*addr)[32];		/* caddr | daddr storage per template */
};

int wire_batch_init(struct wire_batch *b, size_t max_bytes, uint32_t max_tpls);
void wire_batch_reset(struct wire_batch *b);
void wire_batch_free(struct wire_batch *b);
static inline size_t wire_batch_count(const struct wire_batch *b)
{
	return b->n_up + b->n_del;
}
/* Add one template (del: only domain, caddr, stamp travel). -ENOSPC if it
 * does not fit (the batch is unchanged), -EINVAL if it is not valid. */
int wire_batch_add(struct wire_batch *b, const struct pccvs_tpl *t, bool del);

/* Body fields, each into a malloc()ed buffer (*out, *len). */
int wire_pack_batch_body(struct wire_batch *b, uint8_t **out, size_t *len);
int wire_pack_chunk_body(struct wire_batch *b, uint64_t xfer_id,
			 uint32_t target, uint8_t **out, size_t *len);
/* Any Envelope with only its body set (Status, SyncRequest, Snap*). */
int wire_pack_body(const Pccvs__Envelope *e, uint8_t **out, size_t *len);

struct wire_hdr {
	uint32_t sender;
	uint64_t epoch, seq, incarnation;
};
/* The header fields; returns the length (<= WIRE_HDR_MAX). */
size_t wire_pack_header(const struct wire_hdr *h, uint8_t *buf);

/*
 * Our own messages come back to us by the thousand: only their header
 * matters (the sequence number acknowledges them). Reads the leading
 * header fields and the number of the body field without unpacking;
 * -EINVAL if the bytes do not look like that (then unpack them fully).
 */
int wire_peek_header(const void *buf, size_t len, uint64_t *seq,
		     uint64_t *incarnation, uint32_t *body_field);

/* Exact encoded size of a varint (for tests and accounting). */
size_t wire_varint_size(uint64_t v);

#endif /* SYNCD_WIRE_H */
