// SPDX-License-Identifier: GPL-2.0
/*
 * pcc_platform.c: the few platform services that need code rather than a
 * macro: shared object caches (kernel), the random seed, and user-space state.
 */
#include "pcc_platform.h"

#ifdef __KERNEL__
#include <linux/mutex.h>
#include <linux/random.h>

static DEFINE_MUTEX(pcc_cache_mutex);

int pcc_cache_get(struct pcc_cache *c)
{
	int err = 0;

	mutex_lock(&pcc_cache_mutex);
	if (!c->users) {
		c->impl = kmem_cache_create(c->name, c->size, 0, 0, NULL);
		if (!c->impl)
			err = -ENOMEM;
	}
	if (!err)
		c->users++;
	mutex_unlock(&pcc_cache_mutex);
	return err;
}

void pcc_cache_put(struct pcc_cache *c)
{
	mutex_lock(&pcc_cache_mutex);
	if (!--c->users) {
		/* Objects freed by call_rcu() must be gone first. */
		rcu_barrier();
		kmem_cache_destroy((struct kmem_cache *)c->impl);
		c->impl = NULL;
	}
	mutex_unlock(&pcc_cache_mutex);
}

u32 pcc_random_u32(void)
{
	return get_random_u32();
}

#else /* user space */

unsigned int pcc_user_cpu;
unsigned int pcc_warn_budget = 16;

int pcc_cache_get(struct pcc_cache *c)
{
	c->users++;
	return 0;
}

void pcc_cache_put(struct pcc_cache *c)
{
	c->users--;
}

/* Deterministic in user space so that tests and fuzz runs reproduce. */
u32 pcc_random_u32(void)
{
	static u64 state = 0x9e3779b97f4a7c15ULL;

	state ^= state << 13;
	state ^= state >> 7;
	state ^= state << 17;
	return (u32)(state >> 16);
}

#endif
