/* SPDX-License-Identifier: GPL-2.0 */
/* outq.h: FIFO queues of packed Envelope bodies waiting for CPG. */
#ifndef SYNCD_OUTQ_H
#define SYNCD_OUTQ_H

#include <stddef.h>
#include <stdint.h>

struct outmsg {
	struct outmsg *next;
	uint8_t *buf;		/* body field bytes (malloc) */
	size_t len;
	uint32_t ntpl, ndel;	/* upserts / deletes carried, for stats */
	uint64_t xfer_id;	/* snapshot stream it belongs to, 0 none */
	uint64_t seq;		/* sequence number it was sent with */
};

struct outq {
	struct outmsg *head, *tail;
	size_t n, bytes;
};

/* Takes ownership of buf (freed on failure). */
struct outmsg *outmsg_new(uint8_t *buf, size_t len);
void outmsg_free(struct outmsg *m);

void outq_push(struct outq *q, struct outmsg *m);
void outq_push_front(struct outq *q, struct outmsg *m);
struct outmsg *outq_pop(struct outq *q);
/* Append all of src to q (src becomes empty). */
void outq_splice(struct outq *q, struct outq *src);
void outq_clear(struct outq *q);
/* Free the messages of one snapshot stream (xfer_id != 0). */
size_t outq_drop_xfer(struct outq *q, uint64_t xfer_id);
/* Free every message with seq <= seq (acknowledged by self-delivery). */
void outq_ack(struct outq *q, uint64_t seq);

#endif /* SYNCD_OUTQ_H */
