// SPDX-License-Identifier: GPL-2.0
/*
 * pcc_sched_hash.c: hashing schedulers, sh (weighted static table) and mh
 * (Maglev). Both are pure functions of the dest set: dests in canonical
 * order, pcc_hash_fixed() with fixed keys, integer arithmetic only, so
 * every director computes the same answer for the same client, and a
 * standby can restore a flow it never saw without any state.
 *
 * The key is the client address (masked for persistent services), plus its
 * port with SCHED2. SCHED1: when the chosen dest is unavailable, take the
 * next available one along the table instead of failing.
 */
#include "pcc_int.h"

#define SH_SIZE		1024
#define MH_SIZE		65521		/* prime: the largest below 2^16 */
#define MH_EMPTY	0xffff
#define MH_TURNS_MAX	(MH_SIZE / 16)	/* bound on sum of weights per round */

#define KEY_SH		0x5348a1b2c3d4e5f6ULL
#define KEY_MH		0x4d48f00dcafe1234ULL
#define KEY_MH_OFF	0x6f6666736574aa55ULL
#define KEY_MH_SKIP	0x736b6970bb66cc77ULL

/* Hash the client: address bytes of its family, then (SCHED2) port, big endian. */
static u64 client_hash(const struct pcc_sched_in *in, u64 key)
{
	u8 buf[18];
	u32 len = in->af == AF_INET6 ? 16 : 4;

	memcpy(buf, in->addr->b, len);
	if (in->flags & PCCVS_SVC_F_SCHED2) {
		buf[len++] = (u8)(in->port >> 8);
		buf[len++] = (u8)in->port;
	}
	return pcc_hash_fixed(buf, len, key);
}

/* The identity of a dest as the hashes see it: family, address, port. */
static u64 dest_hash(const struct pcc_dest *d, u16 af, u64 key)
{
	u8 buf[19];
	u32 len = af == AF_INET6 ? 16 : 4;

	buf[0] = af == AF_INET6 ? 6 : 4;
	memcpy(buf + 1, d->addr.b, len);
	buf[len + 1] = (u8)(d->port >> 8);
	buf[len + 2] = (u8)d->port;
	return pcc_hash_fixed(buf, len + 3, key);
}

/* Map a 64-bit hash onto [0, n) without a 64-bit division. */
static u32 reduce(u64 h, u32 n)
{
	return (u32)(((h >> 32) * (u64)n) >> 32);
}

/* Weights divided by their gcd, then halved until a round fits. */
static void scaled_weights(const struct pcc_dset *ds, u32 *w, u32 cap)
{
	u32 i, g = 0, sum;

	for (i = 0; i < ds->n; i++) {
		w[i] = PCC_READ_ONCE(ds->d[i]->weight);
		g = pcc_gcd(w[i], g);
	}
	for (i = 0; g && i < ds->n; i++)
		w[i] /= g;
	do {
		sum = 0;
		for (i = 0; i < ds->n; i++)
			sum += w[i];
		if (sum <= cap)
			break;
		for (i = 0; i < ds->n; i++)
			w[i] = (w[i] + 1) / 2;
	} while (1);
}

struct hash_table {
	u32 size;
	u16 slot[];	/* index into the dest set, or MH_EMPTY */
};

static struct pcc_dest *table_pick(struct pcc_dset *ds, const struct pcc_sched_in *in, u64 key)
{
	const struct hash_table *ht = ds->priv;
	u32 s, i;
	struct pcc_dest *d;

	if (!ht)
		return NULL;
	s = reduce(client_hash(in, key), ht->size);
	d = ds->d[ht->slot[s]];
	if (pcc_dest_available(d) || !(in->flags & PCCVS_SVC_F_SCHED1))
		return pcc_dest_available(d) ? d : NULL;
	for (i = 1; i < ht->size; i++) {
		d = ds->d[ht->slot[(s + i) % ht->size]];
		if (pcc_dest_available(d))
			return d;
	}
	return NULL;
}

static void table_release(struct pcc_dset *ds)
{
	pcc_vfree(ds->priv);
	ds->priv = NULL;
}

static struct hash_table *table_alloc(u32 size)
{
	struct hash_table *ht = pcc_vzalloc(sizeof(*ht) + sizeof(ht->slot[0]) * size);

	if (ht)
		ht->size = size;
	return ht;
}

/* ---- sh: each dest owns consecutive slots in proportion to its weight ---- */
static u32 weight_sum(const u32 *w, u32 n)
{
	u32 i, sum = 0;

	for (i = 0; i < n; i++)
		sum += w[i];
	return sum;
}

static void sh_fill(struct hash_table *ht, const u32 *w, u32 n)
{
	u32 i, turn, s = 0;

	for (i = 0; s < SH_SIZE; i = (i + 1) % n) {
		for (turn = 0; turn < w[i] && s < SH_SIZE; turn++)
			ht->slot[s++] = (u16)i;
	}
}

static int sh_init(struct pcc_dset *ds)
{
	struct hash_table *ht = NULL;
	u32 *w, sum;

	ds->priv = NULL;
	w = pcc_zalloc(sizeof(*w) * (ds->n + 1));
	if (!w)
		return -ENOMEM;
	scaled_weights(ds, w, SH_SIZE);
	sum = weight_sum(w, ds->n);
	if (sum) {
		ht = table_alloc(SH_SIZE);
		if (ht)
			sh_fill(ht, w, ds->n);
	}
	pcc_free(w);
	if (sum && !ht)
		return -ENOMEM;
	ds->priv = ht;
	return 0;
}

static struct pcc_dest *sh_pick(struct pcc_dset *ds, const struct pcc_sched_in *in)
{
	return table_pick(ds, in, KEY_SH);
}

const struct pcc_sched_ops pcc_sched_sh = {
	.name = "sh", .init = sh_init, .release = table_release, .pick = sh_pick,
};

/*
 * ---- mh: Maglev ----
 * Dest i walks its own permutation of the slots (offset, skip from its
 * identity) and claims the next free slot, w[i] times per round, until the
 * table is full. A dest leaving frees only its slots plus a few others, so
 * about 1/N of the clients move.
 */
struct mh_build {
	u32 *w, *pos, *skip;
};

static void mh_free_build(struct mh_build *b)
{
	pcc_free(b->w);
	pcc_free(b->pos);
	pcc_free(b->skip);
}

static int mh_alloc_build(struct mh_build *b, u32 n)
{
	b->w = pcc_zalloc(sizeof(u32) * (n + 1));
	b->pos = pcc_zalloc(sizeof(u32) * (n + 1));
	b->skip = pcc_zalloc(sizeof(u32) * (n + 1));
	if (b->w && b->pos && b->skip)
		return 0;
	mh_free_build(b);
	return -ENOMEM;
}

static void mh_claim(struct hash_table *ht, struct mh_build *b, u32 i)
{
	while (ht->slot[b->pos[i]] != MH_EMPTY) {
		b->pos[i] += b->skip[i];
		if (b->pos[i] >= MH_SIZE)
			b->pos[i] -= MH_SIZE;
	}
	ht->slot[b->pos[i]] = (u16)i;
}

static void mh_fill(struct pcc_dset *ds, struct hash_table *ht, struct mh_build *b)
{
	u16 af = ds->d[0]->svc->key.af;
	u32 i, turn, filled = 0;

	for (i = 0; i < MH_SIZE; i++)
		ht->slot[i] = MH_EMPTY;
	for (i = 0; i < ds->n; i++) {
		b->pos[i] = reduce(dest_hash(ds->d[i], af, KEY_MH_OFF), MH_SIZE);
		b->skip[i] = reduce(dest_hash(ds->d[i], af, KEY_MH_SKIP), MH_SIZE - 1) + 1;
	}
	while (filled < MH_SIZE) {
		for (i = 0; i < ds->n && filled < MH_SIZE; i++) {
			for (turn = 0; turn < b->w[i] && filled < MH_SIZE; turn++, filled++)
				mh_claim(ht, b, i);
		}
	}
}

static int mh_init(struct pcc_dset *ds)
{
	struct mh_build b;
	struct hash_table *ht;
	u32 sum;

	ds->priv = NULL;
	if (mh_alloc_build(&b, ds->n))
		return -ENOMEM;
	scaled_weights(ds, b.w, MH_TURNS_MAX);
	sum = weight_sum(b.w, ds->n);
	ht = sum ? table_alloc(MH_SIZE) : NULL;
	if (sum && !ht) {
		mh_free_build(&b);
		return -ENOMEM;
	}
	if (ht)
		mh_fill(ds, ht, &b);
	mh_free_build(&b);
	ds->priv = ht;
	return 0;
}

static struct pcc_dest *mh_pick(struct pcc_dset *ds, const struct pcc_sched_in *in)
{
	return table_pick(ds, in, KEY_MH);
}

const struct pcc_sched_ops pcc_sched_mh = {
	.name = "mh", .init = mh_init, .release = table_release, .pick = mh_pick,
};
