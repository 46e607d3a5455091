// SPDX-License-Identifier: GPL-2.0
/* xfer.c: snapshot transfer bookkeeping of the joiner (see xfer.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tplkey.h"
#include "xfer.h"

#define FP_INIT 1024

static uint64_t fp(const struct pccvs_tpl *t)
{
	uint64_t h = tpl_key_hash(t);

	return h ? h : 1;
}

int fpmap_init(struct fpmap *m)
{
	m->key = calloc(FP_INIT, sizeof(*m->key));
	m->val = calloc(FP_INIT, sizeof(*m->val));
	m->mask = FP_INIT - 1;
	m->n = 0;
	if (!m->key || !m->val) {
		fpmap_free(m);
		return -ENOMEM;
	}
	return 0;
}

void fpmap_free(struct fpmap *m)
{
	free(m->key);
	free(m->val);
	memset(m, 0, sizeof(*m));
}

static uint32_t slot(const struct fpmap *m, uint64_t key)
{
	uint32_t j = (uint32_t)(key ^ key >> 32) & m->mask;

	while (m->key[j] && m->key[j] != key)
		j = (j + 1) & m->mask;
	return j;
}

static int grow(struct fpmap *m)
{
	struct fpmap n = { 0 };
	uint32_t size = (m->mask + 1) * 2;

	n.key = calloc(size, sizeof(*n.key));
	n.val = calloc(size, sizeof(*n.val));
	if (!n.key || !n.val) {
		fpmap_free(&n);
		return -ENOMEM;
	}
	n.mask = size - 1;
	for (uint32_t i = 0; i <= m->mask; i++) {
		if (!m->key[i])
			continue;
		uint32_t j = slot(&n, m->key[i]);

		n.key[j] = m->key[i];
		n.val[j] = m->val[i];
		n.n++;
	}
	fpmap_free(m);
	*m = n;
	return 0;
}

int fpmap_put_max(struct fpmap *m, uint64_t key, uint64_t val)
{
	uint32_t j;

	if (!key)
		key = 1;
	if ((m->n + 1) * 2 > m->mask + 1 && grow(m) < 0)
		return -ENOMEM;
	j = slot(m, key);
	if (!m->key[j]) {
		m->key[j] = key;
		m->val[j] = val;
		m->n++;
	} else if (val > m->val[j]) {
		m->val[j] = val;
	}
	return 0;
}

bool fpmap_get(const struct fpmap *m, uint64_t key, uint64_t *val)
{
	uint32_t j;

	if (!m->key)
		return false;
	j = slot(m, key ? key : 1);
	if (!m->key[j])
		return false;
	if (val)
		*val = m->val[j];
	return true;
}

int xfer_rx_start(struct xfer_rx *x, uint64_t xfer_id, bool track)
{
	xfer_rx_stop(x);
	x->xfer_id = xfer_id;
	x->track = track;
	if (fpmap_init(&x->tombs) < 0)
		return -ENOMEM;
	if (track && fpmap_init(&x->seen) < 0) {
		fpmap_free(&x->tombs);
		return -ENOMEM;
	}
	return 0;
}

void xfer_rx_stop(struct xfer_rx *x)
{
	fpmap_free(&x->tombs);
	fpmap_free(&x->seen);
	memset(x, 0, sizeof(*x));
}

int xfer_rx_live(struct xfer_rx *x, const struct pccvs_tpl *t, bool del)
{
	if (!x->xfer_id)
		return 0;
	if (del)	/* stamp 0 deletes unconditionally: tombstone all */
		return fpmap_put_max(&x->tombs, fp(t),
				     t->stamp ? t->stamp : UINT64_MAX);
	return x->track ? fpmap_put_max(&x->seen, fp(t), 1) : 0;
}

int xfer_rx_record(struct xfer_rx *x, const struct pccvs_tpl *t)
{
	uint64_t key, tomb;
	struct pccvs_tpl norm = *t;

	tpl_normalize(&norm);
	x->count++;
	x->digest += tpl_record_hash(&norm);
	if (!x->tombs.n && !x->track)
		return 1;	/* the common case: no key lookups */
	key = fp(t);
	if (fpmap_get(&x->tombs, key, &tomb) && t->stamp <= tomb) {
		x->skipped++;
		return 0;
	}
	if (x->track && fpmap_put_max(&x->seen, key, 1) < 0)
		return -ENOMEM;
	return 1;
}

int xfer_rx_end(const struct xfer_rx *x, uint64_t count, uint64_t digest)
{
	return x->count == count && x->digest == digest ? 0 : -EBADMSG;
}

bool xfer_rx_stale(const struct xfer_rx *x, const struct pccvs_tpl *t)
{
	return x->track && !fpmap_get(&x->seen, fp(t), NULL);
}
