/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tplkey.h: template identity for the sync daemon. A template is keyed by
 * its domain and masked client address; its record (what a snapshot
 * digest covers) adds the real server and the stamp. Hashes are computed
 * over a canonical little-endian form, so every director agrees on them.
 */
#ifndef SYNCD_TPLKEY_H
#define SYNCD_TPLKEY_H

#include <stdbool.h>
#include <stdint.h>
#include <pccvs.h>

/* Address length of a family: 4, 16, or 0 if unknown. */
static inline unsigned int af_addr_len(unsigned int af)
{
	return af == AF_INET ? 4 : af == AF_INET6 ? 16 : 0;
}

/* Zero what the wire cannot carry (bytes past the address length, the
 * per-address af) so that equal templates compare and hash equal. */
void tpl_normalize(struct pccvs_tpl *t);

uint64_t tpl_key_hash(const struct pccvs_tpl *t);
bool tpl_key_eq(const struct pccvs_tpl *a, const struct pccvs_tpl *b);
bool tpl_domain_eq(const struct pccvs_tpl *a, const struct pccvs_tpl *b);

/* Hash of (key, daddr, dport, stamp): one element of a snapshot digest.
 * A digest is the sum (mod 2^64) of the elements, so it does not depend
 * on the order in which records travel. */
uint64_t tpl_record_hash(const struct pccvs_tpl *t);

#endif /* SYNCD_TPLKEY_H */
