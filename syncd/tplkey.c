// SPDX-License-Identifier: GPL-2.0
/* tplkey.c: canonical form and hashes of templates (see tplkey.h). */
#include <endian.h>
#include <string.h>
#include <sys/socket.h>

#include "tplkey.h"

/* Canonical key: af(2) protocol(1) 0(1) vport(2) 0(2) fwmark(4) vaddr(16)
 * pgroup(16) caddr(16) = 60 bytes, padded to 64. Record: key(64) daddr(16)
 * dport(2) 0(6) stamp(8) = 96 bytes. Integers little-endian. */
#define KEY_LEN 64
#define REC_LEN 96

static void put_le(uint8_t *p, uint64_t v, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t get_le64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return le64toh(v);
}

static void canon_key(const struct pccvs_tpl *t, uint8_t *b)
{
	unsigned int alen = af_addr_len(t->af);

	memset(b, 0, KEY_LEN);
	put_le(b, t->af, 2);
	b[2] = t->protocol;
	put_le(b + 4, t->vport, 2);
	put_le(b + 8, t->fwmark, 4);
	memcpy(b + 12, t->vaddr.b, alen);
	memcpy(b + 28, t->pgroup, strnlen(t->pgroup, PCCVS_PGROUP_NAME_MAX - 1));
	memcpy(b + 44, t->caddr.b, alen);
}

/* 64-bit multiply-xorshift hash over whole words (murmur3 finaliser). */
static uint64_t mix64(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h;
}

static uint64_t hash_words(const uint8_t *b, size_t len)
{
	uint64_t h = 0x9e3779b97f4a7c15ULL ^ len;

	for (size_t i = 0; i < len; i += 8) {
		h ^= mix64(get_le64(b + i) + i);
		h = (h << 27 | h >> 37) * 0x9e3779b97f4a7c15ULL + 0x52dce729;
	}
	return mix64(h);
}

void tpl_normalize(struct pccvs_tpl *t)
{
	unsigned int alen = af_addr_len(t->af);
	struct pccvs_addr *a[] = { &t->vaddr, &t->caddr, &t->daddr };

	for (size_t i = 0; i < sizeof(a) / sizeof(a[0]); i++) {
		a[i]->af = t->af;
		if (alen < sizeof(a[i]->b))
			memset(a[i]->b + alen, 0, sizeof(a[i]->b) - alen);
	}
	t->pgroup[PCCVS_PGROUP_NAME_MAX - 1] = '\0';
	size_t n = strlen(t->pgroup);
	memset(t->pgroup + n, 0, PCCVS_PGROUP_NAME_MAX - n);
	if (t->fwmark) {	/* a fwmark domain is af + fwmark only */
		t->protocol = 0;
		t->vport = 0;
		memset(t->vaddr.b, 0, sizeof(t->vaddr.b));
		memset(t->pgroup, 0, sizeof(t->pgroup));
	}
}

uint64_t tpl_key_hash(const struct pccvs_tpl *t)
{
	uint8_t b[KEY_LEN];

	canon_key(t, b);
	return hash_words(b, KEY_LEN);
}

bool tpl_domain_eq(const struct pccvs_tpl *a, const struct pccvs_tpl *b)
{
	unsigned int alen = af_addr_len(a->af);

	return a->af == b->af && a->protocol == b->protocol &&
	       a->vport == b->vport && a->fwmark == b->fwmark &&
	       memcmp(a->vaddr.b, b->vaddr.b, alen) == 0 &&
	       strncmp(a->pgroup, b->pgroup, PCCVS_PGROUP_NAME_MAX) == 0;
}

bool tpl_key_eq(const struct pccvs_tpl *a, const struct pccvs_tpl *b)
{
	return tpl_domain_eq(a, b) &&
	       memcmp(a->caddr.b, b->caddr.b, af_addr_len(a->af)) == 0;
}

uint64_t tpl_record_hash(const struct pccvs_tpl *t)
{
	uint8_t b[REC_LEN];

	canon_key(t, b);
	memset(b + KEY_LEN, 0, REC_LEN - KEY_LEN);
	memcpy(b + KEY_LEN, t->daddr.b, af_addr_len(t->af));
	put_le(b + KEY_LEN + 16, t->dport, 2);
	put_le(b + KEY_LEN + 24, t->stamp, 8);
	return hash_words(b, REC_LEN);
}
