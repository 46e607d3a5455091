// SPDX-License-Identifier: GPL-2.0
/* coalesce.c: pending map of template changes (see coalesce.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "coalesce.h"
#include "tplkey.h"

#define INIT_CAP 1024

int coal_init(struct coal *c)
{
	memset(c, 0, sizeof(*c));
	c->e = malloc(INIT_CAP * sizeof(*c->e));
	c->slot = malloc(2 * INIT_CAP * sizeof(*c->slot));
	if (!c->e || !c->slot) {
		coal_free(c);
		return -ENOMEM;
	}
	c->cap = INIT_CAP;
	c->mask = 2 * INIT_CAP - 1;
	coal_clear(c);
	return 0;
}

void coal_free(struct coal *c)
{
	free(c->e);
	free(c->slot);
	memset(c, 0, sizeof(*c));
}

/* Entries [from, cap) onto the free list. */
static void free_range(struct coal *c, uint32_t from)
{
	for (uint32_t i = c->cap; i-- > from;) {
		c->e[i].next = c->free_head;
		c->free_head = i;
	}
}

void coal_clear(struct coal *c)
{
	memset(c->slot, 0xff, (size_t)(c->mask + 1) * sizeof(*c->slot));
	c->n = 0;
	c->head = c->tail = COAL_NIL;
	c->free_head = COAL_NIL;
	free_range(c, 0);
}

static int grow(struct coal *c)
{
	uint32_t cap = c->cap * 2, nslots = cap * 2;
	struct coal_entry *e = realloc(c->e, (size_t)cap * sizeof(*e));
	uint32_t *slot;

	if (!e)
		return -ENOMEM;
	c->e = e;
	slot = malloc((size_t)nslots * sizeof(*slot));
	if (!slot)
		return -ENOMEM;
	memset(slot, 0xff, (size_t)nslots * sizeof(*slot));
	for (uint32_t s = 0; s <= c->mask; s++) {
		uint32_t idx = c->slot[s], j;

		if (idx == COAL_NIL)
			continue;
		for (j = (uint32_t)e[idx].hash & (nslots - 1); slot[j] != COAL_NIL;
		     j = (j + 1) & (nslots - 1))
			;
		slot[j] = idx;
	}
	free(c->slot);
	c->slot = slot;
	c->mask = nslots - 1;
	uint32_t old = c->cap;

	c->cap = cap;
	free_range(c, old);
	return 0;
}

/* Slot holding key t (hash h), or the empty slot where it would go. */
static uint32_t find(const struct coal *c, const struct pccvs_tpl *t,
		     uint64_t h)
{
	uint32_t j = (uint32_t)h & c->mask;

	for (;; j = (j + 1) & c->mask) {
		uint32_t idx = c->slot[j];

		if (idx == COAL_NIL ||
		    (c->e[idx].hash == h && tpl_key_eq(&c->e[idx].t, t)))
			return j;
	}
}

int coal_put(struct coal *c, const struct pccvs_tpl *t, bool del)
{
	uint64_t h = tpl_key_hash(t);
	uint32_t j = find(c, t, h), idx;
	struct coal_entry *e;

	if (c->slot[j] != COAL_NIL) {
		e = &c->e[c->slot[j]];
		e->t = *t;
		e->del = del;
		c->merged++;
		return 1;
	}
	if (c->free_head == COAL_NIL) {
		if (grow(c) < 0)
			return -ENOMEM;
		j = find(c, t, h);
	}
	idx = c->free_head;
	e = &c->e[idx];
	c->free_head = e->next;
	e->t = *t;
	e->hash = h;
	e->del = del;
	e->next = COAL_NIL;
	e->prev = c->tail;
	if (c->tail != COAL_NIL)
		c->e[c->tail].next = idx;
	else
		c->head = idx;
	c->tail = idx;
	c->slot[j] = idx;
	c->n++;
	return 0;
}

/* Remove slot j, shifting back the entries of its probe run. */
static void slot_remove(struct coal *c, uint32_t j)
{
	uint32_t i = j;

	c->slot[j] = COAL_NIL;
	for (;;) {
		i = (i + 1) & c->mask;
		uint32_t idx = c->slot[i];

		if (idx == COAL_NIL)
			return;
		uint32_t home = (uint32_t)c->e[idx].hash & c->mask;

		/* Move idx into the hole if its home is not in (hole, i]. */
		if (((i - home) & c->mask) >= ((i - j) & c->mask)) {
			c->slot[j] = idx;
			c->slot[i] = COAL_NIL;
			j = i;
		}
	}
}

void coal_pop(struct coal *c)
{
	uint32_t idx = c->head, j;
	struct coal_entry *e;

	if (idx == COAL_NIL)
		return;
	e = &c->e[idx];
	for (j = (uint32_t)e->hash & c->mask; c->slot[j] != idx;
	     j = (j + 1) & c->mask)
		;
	slot_remove(c, j);
	c->head = e->next;
	if (c->head != COAL_NIL)
		c->e[c->head].prev = COAL_NIL;
	else
		c->tail = COAL_NIL;
	e->next = c->free_head;
	c->free_head = idx;
	c->n--;
}
