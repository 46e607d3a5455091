/* SPDX-License-Identifier: GPL-2.0 */
/*
 * coalesce.h: the pending changes of local templates, one slot per
 * template key (domain + client). A newer event for a key replaces the
 * pending one in place (latest upsert or delete wins) and keeps its place
 * in the FIFO, so a busy template cannot starve the others.
 */
#ifndef SYNCD_COALESCE_H
#define SYNCD_COALESCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <pccvs.h>

#define COAL_NIL UINT32_MAX

struct coal_entry {
	struct pccvs_tpl t;
	uint64_t hash;
	uint32_t next, prev;	/* FIFO (or free list: next) */
	bool del;
};

struct coal {
	struct coal_entry *e;
	uint32_t cap, n, free_head;
	uint32_t *slot;		/* open addressing, linear probing */
	uint32_t mask;
	uint32_t head, tail;
	uint64_t merged;	/* events folded into a pending slot */
};

int coal_init(struct coal *c);
void coal_free(struct coal *c);
/* 1 if folded into a pending slot, 0 if queued anew, -ENOMEM. */
int coal_put(struct coal *c, const struct pccvs_tpl *t, bool del);
static inline size_t coal_len(const struct coal *c)
{
	return c->n;
}
/* Oldest pending entry, or NULL. */
static inline const struct coal_entry *coal_head(const struct coal *c)
{
	return c->head == COAL_NIL ? NULL : &c->e[c->head];
}
void coal_pop(struct coal *c);
void coal_clear(struct coal *c);

#endif /* SYNCD_COALESCE_H */
