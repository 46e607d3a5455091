/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pcc_platform_user.h: the core's platform for user space (unit tests,
 * fuzzers, benchmarks, the daemon's simulation backend). Single threaded:
 * locks only check that they are not taken twice, RCU frees at once.
 */
#ifndef PCC_PLATFORM_USER_H
#define PCC_PLATFORM_USER_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <linux/types.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int32_t s32;
typedef int64_t s64;

#ifndef IPPROTO_SCTP
#define IPPROTO_SCTP 132
#endif

#define __pcc_rcu
#define __pcc_percpu

#define pcc_likely(x) __builtin_expect(!!(x), 1)
#define pcc_unlikely(x) __builtin_expect(!!(x), 0)
#define PCC_READ_ONCE(x) (*(const volatile __typeof__(x) *)&(x))
#define PCC_WRITE_ONCE(x, v) (*(volatile __typeof__(x) *)&(x) = (v))
#define pcc_container_of(ptr, type, member) \
	((type *)(void *)((char *)(ptr) - offsetof(type, member)))
#define PCC_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define PCC_BUILD_BUG_ON(c) _Static_assert(!(c), #c)
#define pcc_min_t(type, a, b) ((type)(a) < (type)(b) ? (type)(a) : (type)(b))
#define pcc_max_t(type, a, b) ((type)(a) > (type)(b) ? (type)(a) : (type)(b))

/* A broken invariant is a bug: stop loudly (tests and fuzzers catch it). */
#define PCC_BUG_ON(c)                                                             \
	do {                                                                      \
		if (pcc_unlikely(c)) {                                            \
			fprintf(stderr, "pcc: BUG %s:%d: %s\n", __FILE__, __LINE__, #c); \
			abort();                                                  \
		}                                                                 \
	} while (0)

extern unsigned int pcc_warn_budget;
#define pcc_warn_ratelimited(fmt, ...)                                            \
	do {                                                                      \
		if (pcc_warn_budget) {                                            \
			pcc_warn_budget--;                                        \
			fprintf(stderr, "pccvs: " fmt, ##__VA_ARGS__);            \
		}                                                                 \
	} while (0)

static inline u64 pcc_div_u64(u64 a, u32 b)
{
	return a / b;
}

/* ---- allocation ---- */
static inline void *pcc_zalloc(size_t size)
{
	return calloc(1, size);
}

static inline void pcc_free(void *p)
{
	free(p);
}

/* Large zeroed arrays (kvzalloc in the kernel). */
static inline void *pcc_vzalloc(size_t size)
{
	return calloc(1, size);
}

static inline void pcc_vfree(void *p)
{
	free(p);
}

static inline void *pcc_cache_zalloc(struct pcc_cache *c)
{
	return calloc(1, c->size);
}

static inline void pcc_cache_free(struct pcc_cache *c, void *p)
{
	free(p);
}

/* ---- locks: single threaded, but a second acquisition is a bug ---- */
typedef struct {
	int held;
} pcc_spinlock_t;

#define pcc_spin_lock_init(l) ((l)->held = 0)

static inline void pcc_spin_lock(pcc_spinlock_t *l)
{
	PCC_BUG_ON(l->held);
	l->held = 1;
}

static inline void pcc_spin_unlock(pcc_spinlock_t *l)
{
	PCC_BUG_ON(!l->held);
	l->held = 0;
}

/* ---- RCU: one thread, so a grace period is immediate ---- */
struct pcc_rcu_head {
	struct pcc_rcu_head *next;
	void (*func)(struct pcc_rcu_head *head);
};

#define pcc_rcu_read_lock() do { } while (0)
#define pcc_rcu_read_unlock() do { } while (0)
#define pcc_rcu_dereference(p) PCC_READ_ONCE(p)
#define pcc_rcu_dereference_protected(p) (p)
#define pcc_rcu_assign_pointer(p, v) PCC_WRITE_ONCE(p, v)

static inline void pcc_call_rcu(struct pcc_rcu_head *h, void (*f)(struct pcc_rcu_head *))
{
	f(h);
}

static inline void pcc_rcu_barrier(void)
{
}

static inline void pcc_synchronize_rcu(void)
{
}

/* ---- hlists with the kernel's semantics (pprev, RCU-safe deletion) ---- */
struct pcc_hlist_node {
	struct pcc_hlist_node *next, **pprev;
};

struct pcc_hlist_head {
	struct pcc_hlist_node *first;
};

#define PCC_HLIST_HEAD_INIT { .first = NULL }

static inline void pcc_init_hlist_node(struct pcc_hlist_node *n)
{
	n->next = NULL;
	n->pprev = NULL;
}

static inline bool pcc_hlist_unhashed(const struct pcc_hlist_node *n)
{
	return !n->pprev;
}

static inline bool pcc_hlist_empty(const struct pcc_hlist_head *h)
{
	return !PCC_READ_ONCE(h->first);
}

static inline void pcc_hlist_add_head(struct pcc_hlist_node *n, struct pcc_hlist_head *h)
{
	struct pcc_hlist_node *first = h->first;

	n->next = first;
	if (first)
		first->pprev = &n->next;
	n->pprev = &h->first;
	PCC_WRITE_ONCE(h->first, n);
}

#define pcc_hlist_add_head_rcu pcc_hlist_add_head

/* Insert n after prev. */
static inline void pcc_hlist_add_behind_rcu(struct pcc_hlist_node *n, struct pcc_hlist_node *prev)
{
	n->next = prev->next;
	n->pprev = &prev->next;
	PCC_WRITE_ONCE(prev->next, n);
	if (n->next)
		n->next->pprev = &n->next;
}

static inline void pcc_hlist_unlink(struct pcc_hlist_node *n)
{
	struct pcc_hlist_node *next = n->next;

	PCC_WRITE_ONCE(*n->pprev, next);
	if (next)
		next->pprev = n->pprev;
}

/* Unlink, keep n->next valid for concurrent readers (as the kernel does). */
static inline void pcc_hlist_del_rcu(struct pcc_hlist_node *n)
{
	pcc_hlist_unlink(n);
	n->pprev = NULL;
}

static inline void pcc_hlist_del_init(struct pcc_hlist_node *n)
{
	if (!pcc_hlist_unhashed(n)) {
		pcc_hlist_unlink(n);
		pcc_init_hlist_node(n);
	}
}

#define pcc_hlist_entry_safe(ptr, type, member)                                   \
	({                                                                        \
		__typeof__(ptr) ____ptr = (ptr);                                  \
		____ptr ? pcc_container_of(____ptr, type, member) : NULL;         \
	})

#define pcc_hlist_for_each_entry(pos, head, member)                               \
	for (pos = pcc_hlist_entry_safe((head)->first, __typeof__(*(pos)), member); \
	     pos; pos = pcc_hlist_entry_safe((pos)->member.next, __typeof__(*(pos)), member))

#define pcc_hlist_for_each_entry_rcu(pos, head, member)                           \
	for (pos = pcc_hlist_entry_safe(PCC_READ_ONCE((head)->first),             \
					__typeof__(*(pos)), member);              \
	     pos; pos = pcc_hlist_entry_safe(PCC_READ_ONCE((pos)->member.next),   \
					     __typeof__(*(pos)), member))

#define pcc_hlist_for_each_entry_safe(pos, n, head, member)                       \
	for (pos = pcc_hlist_entry_safe((head)->first, __typeof__(*(pos)), member); \
	     pos && ({ n = (pos)->member.next; 1; });                              \
	     pos = pcc_hlist_entry_safe(n, __typeof__(*(pos)), member))

/* ---- atomics (plain: single threaded) ---- */
typedef struct {
	int counter;
} pcc_atomic_t;

typedef struct {
	s64 counter;
} pcc_atomic64_t;

#define pcc_atomic_read(a) PCC_READ_ONCE((a)->counter)
#define pcc_atomic_set(a, v) PCC_WRITE_ONCE((a)->counter, (v))
#define pcc_atomic_inc(a) ((void)((a)->counter++))
#define pcc_atomic_dec(a) ((void)((a)->counter--))
#define pcc_atomic_inc_return(a) (++(a)->counter)
#define pcc_atomic_dec_return(a) (--(a)->counter)
#define pcc_atomic_add(v, a) ((void)((a)->counter += (v)))
#define pcc_atomic64_read(a) PCC_READ_ONCE((a)->counter)
#define pcc_atomic64_set(a, v) PCC_WRITE_ONCE((a)->counter, (v))
#define pcc_atomic64_inc(a) ((void)((a)->counter++))
#define pcc_atomic64_inc_return(a) (++(a)->counter)

static inline s64 pcc_atomic64_cmpxchg(pcc_atomic64_t *a, s64 old, s64 new)
{
	s64 cur = a->counter;

	if (cur == old)
		a->counter = new;
	return cur;
}

/* ---- per-CPU counters (one "CPU") ---- */
extern unsigned int pcc_user_cpu;	/* tests set it to exercise several wheels */

#define pcc_alloc_percpu(type) ((type *)calloc(1, sizeof(type)))
#define pcc_free_percpu(p) free(p)
#define pcc_per_cpu_ptr(p, cpu) ((void)(cpu), (p))
#define pcc_for_each_cpu(cpu) for ((cpu) = 0; (cpu) < 1; (cpu)++)
#define pcc_this_cpu_add(lv, v) ((lv) += (v))

static inline unsigned int pcc_cpu_id(void)
{
	return pcc_user_cpu;
}

#endif /* PCC_PLATFORM_USER_H */
