/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pcc_platform_kernel.h: the core's platform inside pccvs.ko. Bucket locks
 * are bh-safe spinlocks (the packet path runs in softirq), objects come from
 * kmem caches with GFP_ATOMIC, counters are per-CPU.
 */
#ifndef PCC_PLATFORM_KERNEL_H
#define PCC_PLATFORM_KERNEL_H

#include <linux/types.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/bug.h>
#include <linux/string.h>
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/spinlock.h>
#include <linux/rculist.h>
#include <linux/rcupdate.h>
#include <linux/atomic.h>
#include <linux/percpu.h>
#include <linux/smp.h>
#include <linux/math64.h>
#include <linux/socket.h>
#include <linux/in.h>
#include <linux/printk.h>

#define __pcc_rcu __rcu
#define __pcc_percpu __percpu

#define pcc_likely(x) likely(x)
#define pcc_unlikely(x) unlikely(x)
#define PCC_READ_ONCE(x) READ_ONCE(x)
#define PCC_WRITE_ONCE(x, v) WRITE_ONCE(x, v)
#define pcc_container_of(ptr, type, member) container_of(ptr, type, member)
#define PCC_ARRAY_SIZE(a) ARRAY_SIZE(a)
#define PCC_BUILD_BUG_ON(c) BUILD_BUG_ON(c)
#define pcc_min_t(type, a, b) min_t(type, a, b)
#define pcc_max_t(type, a, b) max_t(type, a, b)
#define PCC_BUG_ON(c) WARN_ON_ONCE(c)
#define pcc_warn_ratelimited(fmt, ...) pr_warn_ratelimited("pccvs: " fmt, ##__VA_ARGS__)

static inline u64 pcc_div_u64(u64 a, u32 b)
{
	return div_u64(a, b);
}

/* ---- allocation: configuration paths may sleep, the packet path may not ---- */
static inline void *pcc_zalloc(size_t size)
{
	return kzalloc(size, GFP_KERNEL);
}

static inline void pcc_free(void *p)
{
	kfree(p);
}

static inline void *pcc_vzalloc(size_t size)
{
	return kvzalloc(size, GFP_KERNEL);
}

static inline void pcc_vfree(void *p)
{
	kvfree(p);
}

static inline void *pcc_cache_zalloc(struct pcc_cache *c)
{
	return kmem_cache_zalloc((struct kmem_cache *)c->impl, GFP_ATOMIC | __GFP_NOWARN);
}

static inline void pcc_cache_free(struct pcc_cache *c, void *p)
{
	kmem_cache_free((struct kmem_cache *)c->impl, p);
}

/* ---- locks: a macro so that each call site is its own lockdep class ---- */
typedef spinlock_t pcc_spinlock_t;
#define pcc_spin_lock_init(l) spin_lock_init(l)
#define pcc_spin_lock(l) spin_lock_bh(l)
#define pcc_spin_unlock(l) spin_unlock_bh(l)

/* ---- RCU ---- */
#define pcc_rcu_head rcu_head
#define pcc_rcu_read_lock() rcu_read_lock()
#define pcc_rcu_read_unlock() rcu_read_unlock()
#define pcc_rcu_dereference(p) rcu_dereference(p)
#define pcc_rcu_dereference_protected(p) rcu_dereference_protected(p, 1)
#define pcc_rcu_assign_pointer(p, v) rcu_assign_pointer(p, v)
#define pcc_call_rcu(h, f) call_rcu(h, f)
#define pcc_rcu_barrier() rcu_barrier()
#define pcc_synchronize_rcu() synchronize_rcu()

/* ---- hlists ---- */
#define pcc_hlist_head hlist_head
#define pcc_hlist_node hlist_node
#define PCC_HLIST_HEAD_INIT HLIST_HEAD_INIT
#define pcc_init_hlist_node(n) INIT_HLIST_NODE(n)
#define pcc_hlist_unhashed(n) hlist_unhashed(n)
#define pcc_hlist_empty(h) hlist_empty(h)
#define pcc_hlist_add_head(n, h) hlist_add_head(n, h)
#define pcc_hlist_add_head_rcu(n, h) hlist_add_head_rcu(n, h)
#define pcc_hlist_add_behind_rcu(n, prev) hlist_add_behind_rcu(n, prev)
#define pcc_hlist_del_rcu(n) hlist_del_rcu(n)
#define pcc_hlist_del_init(n) hlist_del_init(n)
#define pcc_hlist_entry_safe(ptr, type, member) hlist_entry_safe(ptr, type, member)
#define pcc_hlist_for_each_entry(pos, head, member) hlist_for_each_entry(pos, head, member)
#define pcc_hlist_for_each_entry_rcu(pos, head, member) \
	hlist_for_each_entry_rcu(pos, head, member)
#define pcc_hlist_for_each_entry_safe(pos, n, head, member) \
	hlist_for_each_entry_safe(pos, n, head, member)

/* ---- atomics ---- */
typedef atomic_t pcc_atomic_t;
typedef atomic64_t pcc_atomic64_t;
#define pcc_atomic_read(a) atomic_read(a)
#define pcc_atomic_set(a, v) atomic_set(a, v)
#define pcc_atomic_inc(a) atomic_inc(a)
#define pcc_atomic_dec(a) atomic_dec(a)
#define pcc_atomic_inc_return(a) atomic_inc_return(a)
#define pcc_atomic_dec_return(a) atomic_dec_return(a)
#define pcc_atomic_add(v, a) atomic_add(v, a)
#define pcc_atomic64_read(a) atomic64_read(a)
#define pcc_atomic64_set(a, v) atomic64_set(a, v)
#define pcc_atomic64_inc(a) atomic64_inc(a)
#define pcc_atomic64_inc_return(a) atomic64_inc_return(a)
#define pcc_atomic64_cmpxchg(a, o, n) atomic64_cmpxchg(a, o, n)

/* ---- per-CPU counters ---- */
#define pcc_alloc_percpu(type) alloc_percpu(type)
#define pcc_free_percpu(p) free_percpu(p)
#define pcc_per_cpu_ptr(p, cpu) per_cpu_ptr(p, cpu)
#define pcc_for_each_cpu(cpu) for_each_possible_cpu(cpu)
#define pcc_this_cpu_add(lv, v) this_cpu_add(lv, v)

static inline unsigned int pcc_cpu_id(void)
{
	return raw_smp_processor_id();
}

#endif /* PCC_PLATFORM_KERNEL_H */
