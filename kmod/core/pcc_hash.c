// SPDX-License-Identifier: GPL-2.0
/*
 * pcc_hash.c: hashes and address helpers. Table hashes are seeded per table
 * (native loads, never leave the host); pcc_hash_fixed() is the portable one
 * for sh/mh: fixed keys and explicit byte order, so every director, whatever
 * its CPU, computes the same value.
 */
#include "pcc_int.h"

static inline u64 pcc_round(u64 h, u64 w)
{
	h ^= w;
	h *= PCC_K1;
	return h ^ (h >> 31);
}

static inline u32 pcc_hash_pair(u64 seed, u64 head, const union pcc_addr *a,
				const union pcc_addr *b)
{
	u64 wa[2], wb[2], h;

	memcpy(wa, a, sizeof(wa));
	memcpy(wb, b, sizeof(wb));
	h = pcc_round(seed, head);
	h = pcc_round(h, wa[0]);
	h = pcc_round(h, wa[1] * PCC_K2);
	h = pcc_round(h, wb[0]);
	h = pcc_round(h, wb[1] * PCC_K2);
	return (u32)pcc_fmix64(h);
}

static inline u64 pcc_head(u8 protocol, u8 v6, u16 p1, u16 p2)
{
	return (u64)protocol << 40 | (u64)v6 << 32 | (u32)p1 << 16 | p2;
}

u32 pcc_hash_reply(const struct pcc_table *t, u8 protocol, u8 v6, const union pcc_addr *daddr,
		   u16 dport, const union pcc_addr *caddr, u16 cport)
{
	/* A different seed: the two indexes must not collide in step. */
	return pcc_hash_pair(t->seed ^ PCC_K2, pcc_head(protocol, v6, dport, cport), daddr,
			     caddr);
}

u32 pcc_hash_tpl(const struct pcc_table *t, const struct pcc_dom *dom,
		 const union pcc_addr *caddr)
{
	u64 w[2], h;

	memcpy(w, caddr, sizeof(w));
	h = pcc_round(t->seed ^ PCC_K1, (u64)(unsigned long)dom);
	h = pcc_round(h, w[0]);
	h = pcc_round(h, w[1] * PCC_K2);
	return (u32)pcc_fmix64(h);
}

u32 pcc_hash_svc(u16 af, u8 protocol, u16 port, u32 fwmark, const union pcc_addr *a)
{
	u64 w[2], h;

	memcpy(w, a, sizeof(w));
	h = pcc_round((u64)af << 48 | (u64)protocol << 40 | (u64)port << 24, fwmark);
	h = pcc_round(h, w[0]);
	h = pcc_round(h, w[1] * PCC_K2);
	return (u32)pcc_fmix64(h);
}

/* Little-endian load, whatever the host's byte order. */
static u64 pcc_le64(const u8 *p, u32 len)
{
	u64 w = 0;
	u32 i;

	for (i = 0; i < len; i++)
		w |= (u64)p[i] << (8 * i);
	return w;
}

u64 pcc_hash_fixed(const u8 *p, u32 len, u64 key)
{
	u64 h = pcc_round(key, (u64)len * PCC_K2);

	for (; len >= 8; len -= 8, p += 8)
		h = pcc_round(h, pcc_le64(p, 8));
	if (len)
		h = pcc_round(h, pcc_le64(p, len) ^ ((u64)len << 56));
	return pcc_fmix64(h);
}

void pcc_addr_mask(union pcc_addr *dst, const union pcc_addr *src, u16 af, u8 plen)
{
	unsigned int i, bits;

	pcc_addr_copy(dst, src, af);
	for (i = 0; i < sizeof(dst->b); i++) {
		bits = plen > 8 * i ? plen - 8 * i : 0;
		if (bits < 8)
			dst->b[i] &= (u8)(0xff00 >> bits);
	}
}

int pcc_addr_cmp(const union pcc_addr *a, const union pcc_addr *b)
{
	return memcmp(a->b, b->b, sizeof(a->b));
}
