// SPDX-License-Identifier: GPL-2.0
/* outq.c: queues of packed message bodies (see outq.h). */
#include <stdlib.h>

#include "outq.h"

struct outmsg *outmsg_new(uint8_t *buf, size_t len)
{
	struct outmsg *m = calloc(1, sizeof(*m));

	if (!m) {
		free(buf);
		return NULL;
	}
	m->buf = buf;
	m->len = len;
	return m;
}

void outmsg_free(struct outmsg *m)
{
	if (m) {
		free(m->buf);
		free(m);
	}
}

void outq_push(struct outq *q, struct outmsg *m)
{
	m->next = NULL;
	if (q->tail)
		q->tail->next = m;
	else
		q->head = m;
	q->tail = m;
	q->n++;
	q->bytes += m->len;
}

void outq_push_front(struct outq *q, struct outmsg *m)
{
	m->next = q->head;
	q->head = m;
	if (!q->tail)
		q->tail = m;
	q->n++;
	q->bytes += m->len;
}

struct outmsg *outq_pop(struct outq *q)
{
	struct outmsg *m = q->head;

	if (!m)
		return NULL;
	q->head = m->next;
	if (!q->head)
		q->tail = NULL;
	q->n--;
	q->bytes -= m->len;
	m->next = NULL;
	return m;
}

void outq_splice(struct outq *q, struct outq *src)
{
	if (!src->head)
		return;
	if (q->tail)
		q->tail->next = src->head;
	else
		q->head = src->head;
	q->tail = src->tail;
	q->n += src->n;
	q->bytes += src->bytes;
	src->head = src->tail = NULL;
	src->n = src->bytes = 0;
}

void outq_clear(struct outq *q)
{
	struct outmsg *m;

	while ((m = outq_pop(q)))
		outmsg_free(m);
}

size_t outq_drop_xfer(struct outq *q, uint64_t xfer_id)
{
	struct outq keep = { 0 };
	struct outmsg *m;
	size_t dropped = 0;

	while ((m = outq_pop(q))) {
		if (m->xfer_id == xfer_id) {
			outmsg_free(m);
			dropped++;
		} else {
			outq_push(&keep, m);
		}
	}
	*q = keep;
	return dropped;
}

void outq_ack(struct outq *q, uint64_t seq)
{
	while (q->head && q->head->seq <= seq)
		outmsg_free(outq_pop(q));
}
