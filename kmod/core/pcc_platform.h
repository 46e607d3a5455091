/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pcc_platform.h: the thin layer under the portable core. The same core
 * sources build into pccvs.ko (__KERNEL__) and into user space; each side
 * supplies types, allocation, locks, RCU, hlists, atomics and per-CPU
 * counters under pcc_-prefixed names (see pcc_platform_user.h for the list).
 */
#ifndef PCC_PLATFORM_H
#define PCC_PLATFORM_H

/*
 * Object caches, global to the build (the kernel needs one kmem_cache per
 * object type, not one per table). Each table takes a reference; the last
 * put waits for pending RCU frees and destroys the cache.
 */
struct pcc_cache {
	const char *name;
	unsigned int size;
	unsigned int users;
	void *impl;
};
int pcc_cache_get(struct pcc_cache *c);
void pcc_cache_put(struct pcc_cache *c);

#ifdef __KERNEL__
#include "pcc_platform_kernel.h"
#else
#include "pcc_platform_user.h"
#endif

/* A random seed for the table hashes (never for mh/sh, which use fixed keys). */
u32 pcc_random_u32(void);

#endif /* PCC_PLATFORM_H */
