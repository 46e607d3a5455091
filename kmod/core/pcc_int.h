/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pcc_int.h: internal structures of the portable core, shared by its files
 * and by nothing else (the API is pcc_core.h).
 *
 * Lock order, outer first; no path takes an earlier lock while holding a
 * later one:
 *   1. connection bucket lock (forward index)
 *   2. reply bucket lock (NAT reply index)
 *   3. template bucket lock
 *   4. wheel lock (one per CPU)
 *   5. scheduler lock (wrr; a leaf)
 * Configuration calls are serialised by the caller; the packet path takes
 * only these locks, each for a few instructions, and only when it creates,
 * changes the state of, or deletes an object.
 *
 * Object lifetime: an object is unlinked from its hash chain under its bucket
 * lock and marked DEAD there; whoever unlinks it also takes it off its wheel
 * and frees it through RCU. The tick pops objects off a wheel under RCU and
 * re-checks DEAD under the bucket lock before touching them. A template is
 * freed when its reference count (one for the table, one per controlled
 * connection) drops to zero.
 */
#ifndef PCC_INT_H
#define PCC_INT_H

#include "pcc_core.h"

#define PCC_DEFAULT_MAX		(1U << 20)
#define PCC_HASH_BITS_MIN	4
#define PCC_HASH_BITS_MAX	26
#define PCC_LOCK_BITS		10	/* at most 1024 bucket locks per index */
#define PCC_SVC_MAX		4096
#define PCC_DEST_MAX		1024	/* per service */
#define PCC_SVC_HASH_BITS	8
#define PCC_WHEELS_MAX		4096
#define PCC_TICK_SHIFT		5	/* 1 << 5 == PCC_TICK_MS */
#define PCC_EST_MS		2000
#define PCC_REFRESH_PCT_DEFAULT	25

/* Hierarchical wheel: 5 levels of 64 slots cover 2^30 ticks (about a year). */
#define PCC_WHEEL_BITS		6
#define PCC_WHEEL_SLOTS		(1U << PCC_WHEEL_BITS)
#define PCC_WHEEL_LEVELS	5
/* An object's "wheel" field: wheel index (low 12 bits), level (high 4). */
#define PCC_W_INDEX_MASK	0x0fff
#define PCC_W_LEVEL_SHIFT	12

/* Connection flags: the low byte is PCCVS_CONN_F_*, the rest internal. */
#define PCC_CF_DEAD		0x0100
#define PCC_CF_REPLY		0x0200	/* linked in the NAT reply index */
/* Template flags: the low byte is PCCVS_TPL_F_*, the rest internal. */
#define PCC_TF_ANNOUNCED	0x0100	/* CONFIRMED sent for this assignment */
#define PCC_TF_DEAD		0x0200

struct pcc_dest;
struct pcc_svc;
struct pcc_dom;

/* 120 bytes: the lookup key and expires share the first cache line. */
struct pcc_conn {
	struct pcc_hlist_node node;	/* forward index */
	union pcc_addr caddr;
	union pcc_addr vaddr;		/* the packet's destination (fwmark services) */
	u16 cport, vport;
	u8 protocol, v6, state, fwd;
	u64 expires;			/* ms; the packet path only writes this */
	struct pcc_dest *dest;
	struct pcc_tpl *tpl;		/* controlling template, holds a reference */
	union {
		struct pcc_hlist_node wnode;	/* expiry wheel */
		struct pcc_rcu_head rcu;	/* reused once off the wheel */
	};
	struct pcc_hlist_node rnode;	/* NAT reply index */
	u16 flags;
	u16 wheel;
};

/* 96 bytes. */
struct pcc_tpl {
	struct pcc_hlist_node node;
	union pcc_addr caddr;		/* masked with the domain's netmask */
	struct pcc_dom *dom;
	struct pcc_dest *dest;
	u64 expires;			/* ms; when nctl > 0, a floor only */
	u64 stamp;
	union {
		struct pcc_hlist_node wnode;
		struct pcc_rcu_head rcu;
	};
	pcc_atomic_t ref;		/* table + controlled connections */
	u32 ann;			/* tick of the announced expiry */
	u32 wake;			/* tick the wheel should pop it */
	u16 flags;
	u16 wheel;
};

struct pcc_counters {
	u64 conns, inpkts, outpkts, inbytes, outbytes;
};

/* 2 s rate estimator: totals at the last sample and the rates derived. */
struct pcc_est {
	struct pcc_counters last;
	u32 cps, inpps, outpps, inbps, outbps;
};

struct pcc_dest {
	union pcc_addr addr;
	u16 port;
	u8 fwd;
	u8 dead;
	u8 overload;
	u32 weight, u_thresh, l_thresh;
	pcc_atomic_t active, inactive, persist;
	struct pcc_svc *svc;
	struct pcc_counters __pcc_percpu *cnt;
	struct pcc_est est;
	struct pcc_hlist_node node;	/* the service's list, canonical order */
	struct pcc_rcu_head rcu;
};

/* The dests of a service as schedulers see them: immutable, RCU-swapped. */
struct pcc_dset {
	struct pcc_rcu_head rcu;
	const struct pcc_sched_ops *ops;
	void *priv;			/* scheduler state for this set */
	u32 n;
	struct pcc_dest *d[];
};

/* What a scheduler may hash (sh, mh). */
struct pcc_sched_in {
	const union pcc_addr *addr;	/* client, masked for persistent services */
	u16 port;			/* client port, 0 for persistent services */
	u16 af;
	u32 flags;			/* PCCVS_SVC_F_* */
};

/* A scheduler: state is built per dest set, so readers never see it change. */
struct pcc_sched_ops {
	const char *name;
	int (*init)(struct pcc_dset *ds);	/* process context; may fail */
	void (*release)(struct pcc_dset *ds);
	struct pcc_dest *(*pick)(struct pcc_dset *ds, const struct pcc_sched_in *in);
};

struct pcc_svc {
	struct pcc_hlist_node hnode;	/* table's service hash */
	struct pcc_hlist_node lnode;	/* table's list, in order of addition */
	struct pcc_svc_key key;
	u32 flags;
	u32 timeout;			/* own values, used while not persistent */
	u8 netmask;
	u8 dead;
	char sched_name[PCCVS_SCHED_NAME_MAX];
	char pgroup[PCCVS_PGROUP_NAME_MAX];
	const struct pcc_sched_ops *sched;
	struct pcc_dset __pcc_rcu *dset;
	struct pcc_dom __pcc_rcu *dom;	/* NULL unless persistent */
	struct pcc_hlist_head dests;
	u32 ndests;
	struct pcc_counters __pcc_percpu *cnt;
	struct pcc_est est;
	struct pcc_rcu_head rcu;
};

/* A persistence domain: one persistent service, or a port group. */
struct pcc_dom {
	struct pcc_hlist_node node;	/* table's domain list */
	struct pcc_domain name;		/* identity, plus timeout and netmask */
	u32 nsvc;
	u8 dead;
	pcc_atomic_t ntpl;
	struct pcc_rcu_head rcu;
};

struct pcc_table;

struct pcc_wheel {
	pcc_spinlock_t lock;
	u64 cur;			/* tick being processed */
	bool cascaded;			/* higher levels already moved down for cur */
	u32 count[PCC_WHEEL_LEVELS];
	struct pcc_hlist_head slot[PCC_WHEEL_LEVELS][PCC_WHEEL_SLOTS];
};

/* A set of per-CPU wheels holding one kind of object. */
struct pcc_wheels {
	struct pcc_wheel *w;
	u32 n;
	u32 first;			/* rotates: which wheel the tick starts with */
	/* Tick at which the object wants to pop (cur: the wheel's clock). */
	u64 (*due)(struct pcc_hlist_node *wn, u64 cur);
	u16 *(*bits)(struct pcc_hlist_node *wn);
	/* Handle an object popped off the wheel (re-file, expire). */
	void (*pop)(struct pcc_table *t, struct pcc_hlist_node *wn, u64 now);
};

struct pcc_table {
	/* connection indexes */
	struct pcc_hlist_head *conn_tab;
	struct pcc_hlist_head *reply_tab;
	pcc_spinlock_t *conn_locks;
	pcc_spinlock_t *reply_locks;
	u32 conn_mask, conn_lock_mask;
	/* template index */
	struct pcc_hlist_head *tpl_tab;
	pcc_spinlock_t *tpl_locks;
	u32 tpl_mask, tpl_lock_mask;
	u64 seed, seed2;
	u32 tmo[__PCCVS_CS_MAX];	/* ms per connection state */
	struct pcc_cfg cfg;
	pcc_atomic_t conn_count, tpl_count, nat_dests;
	pcc_atomic64_t clock;		/* Lamport clock of template stamps */
	struct pcc_wheels cwheels, twheels;
	/* configuration (serialised by the caller) */
	struct pcc_hlist_head svc_tab[1 << PCC_SVC_HASH_BITS];
	struct pcc_hlist_head svc_list;
	struct pcc_hlist_head dom_list;
	u32 svc_count, svc_gen, fwm_count;
	u32 tpl_gen, conn_gen;
	u64 est_last;
	u64 now;			/* latest time seen by the tick and config calls */
	const struct pcc_event_ops *ev_ops;
	void *ev_ctx;
	pcc_atomic64_t conn_refused, tpl_refused, restored, no_tpl_drops;
	pcc_atomic64_t injected, stale;
};

/* Normalised 5-tuple of a packet, client side first. */
struct pcc_key {
	union pcc_addr caddr, vaddr;
	u16 cport, vport;
	u8 protocol, v6;
	u16 af;
};

/* pcc_hash.c */
u32 pcc_hash_reply(const struct pcc_table *t, u8 protocol, u8 v6, const union pcc_addr *daddr,
		   u16 dport, const union pcc_addr *caddr, u16 cport);
u32 pcc_hash_tpl(const struct pcc_table *t, const struct pcc_dom *dom,
		 const union pcc_addr *caddr);
u32 pcc_hash_svc(u16 af, u8 protocol, u16 port, u32 fwmark, const union pcc_addr *a);
u64 pcc_hash_fixed(const u8 *p, u32 len, u64 key);
void pcc_addr_mask(union pcc_addr *dst, const union pcc_addr *src, u16 af, u8 plen);
int pcc_addr_cmp(const union pcc_addr *a, const union pcc_addr *b);

static inline bool pcc_af_ok(u16 af)
{
	return af == AF_INET || af == AF_INET6;
}

/* Copy only the bytes of the family: padding stays zero for hashing. */
static inline void pcc_addr_copy(union pcc_addr *dst, const union pcc_addr *src, u16 af)
{
	if (af == AF_INET6) {
		*dst = *src;
	} else {
		memset(dst, 0, sizeof(*dst));
		dst->ip = src->ip;
	}
}

#define PCC_K1 0x9e3779b97f4a7c15ULL
#define PCC_K2 0xc2b2ae3d27d4eb4fULL
#define PCC_K3 0x165667b19e3779f9ULL

static inline u64 pcc_fmix64(u64 h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h;
}

/*
 * The packet path's hash: each 64-bit word is keyed by the table's seeds
 * before it is multiplied, so colliding keys cannot be computed offline;
 * one final mix. About 20 instructions.
 */
static inline u32 pcc_hash_conn(const struct pcc_table *t, const struct pcc_key *k)
{
	u64 a[2], b[2], h;

	memcpy(a, &k->caddr, sizeof(a));
	memcpy(b, &k->vaddr, sizeof(b));
	h = ((a[0] ^ t->seed) * PCC_K1) ^ ((b[0] ^ t->seed2) * PCC_K2) ^
	    (((a[1] ^ b[1]) + t->seed) * PCC_K3);
	h += (u64)k->protocol << 40 | (u64)k->v6 << 32 | (u32)k->cport << 16 | k->vport;
	return (u32)pcc_fmix64(h ^ t->seed2);
}

static inline bool pcc_addr_eq(const union pcc_addr *a, const union pcc_addr *b)
{
	return !((a->ip6[0] ^ b->ip6[0]) | (a->ip6[1] ^ b->ip6[1]) |
		 (a->ip6[2] ^ b->ip6[2]) | (a->ip6[3] ^ b->ip6[3]));
}

static inline u8 pcc_af_bits(u16 af)
{
	return af == AF_INET6 ? 128 : 32;
}

static inline u64 pcc_ms_to_tick(u64 ms)
{
	return (ms + PCC_TICK_MS - 1) >> PCC_TICK_SHIFT;
}

/* Wrap-safe: a u32 tick stamp back to a full tick near "ref". */
static inline u64 pcc_tick_near(u32 t32, u64 ref)
{
	return ref + (s64)(s32)(t32 - (u32)ref);
}

/* pcc_wheel.c */
int pcc_wheels_init(struct pcc_wheels *ws, u32 n, u64 now);
void pcc_wheels_free(struct pcc_wheels *ws);
void pcc_wheel_add(struct pcc_wheels *ws, struct pcc_hlist_node *wn, u16 *bits, u64 due);
void pcc_wheel_put(struct pcc_wheels *ws, struct pcc_hlist_node *wn, u16 *bits, u64 due);
void pcc_wheel_move(struct pcc_wheels *ws, struct pcc_hlist_node *wn, u16 *bits, u64 due);
void pcc_wheel_del(struct pcc_wheels *ws, struct pcc_hlist_node *wn, u16 *bits);
u32 pcc_wheels_run(struct pcc_table *t, struct pcc_wheels *ws, u64 now, u32 *budget);

/* pcc_conn.c */
static inline bool pcc_conn_match(const struct pcc_conn *c, const struct pcc_key *k)
{
	return c->cport == k->cport && c->vport == k->vport && c->protocol == k->protocol &&
	       c->v6 == k->v6 && pcc_addr_eq(&c->caddr, &k->caddr) &&
	       pcc_addr_eq(&c->vaddr, &k->vaddr);
}

/* Under RCU (or the bucket lock). */
static inline struct pcc_conn *pcc_conn_find(struct pcc_table *t, const struct pcc_key *k,
					     u32 hash)
{
	struct pcc_conn *c;

	pcc_hlist_for_each_entry_rcu(c, &t->conn_tab[hash & t->conn_mask], node) {
		if (pcc_conn_match(c, k) && !(PCC_READ_ONCE(c->flags) & PCC_CF_DEAD))
			return c;
	}
	return NULL;
}

struct pcc_conn *pcc_conn_find_reply(struct pcc_table *t, const struct pcc_pkt *p);
int pcc_conn_new(struct pcc_table *t, const struct pcc_key *k, struct pcc_dest *dest,
		 struct pcc_tpl *tpl, u8 state, u16 flags, u64 now, struct pcc_conn **out);
void pcc_conn_kill(struct pcc_table *t, struct pcc_conn *c, u64 now);
void pcc_conn_count(const struct pcc_conn *c, const struct pcc_pkt *p, bool reply);
void pcc_conn_input(struct pcc_table *t, struct pcc_conn *c, const struct pcc_pkt *p, u64 now);
void pcc_conn_output(struct pcc_table *t, struct pcc_conn *c, const struct pcc_pkt *p, u64 now);
bool pcc_conn_reusable(const struct pcc_conn *c);
void pcc_conn_pop(struct pcc_table *t, struct pcc_hlist_node *wn, u64 now);
u64 pcc_conn_due(struct pcc_hlist_node *wn, u64 cur);
u16 *pcc_conn_wbits(struct pcc_hlist_node *wn);
typedef bool (*pcc_conn_match_t)(const struct pcc_conn *c, const void *arg);
void pcc_conn_purge(struct pcc_table *t, pcc_conn_match_t match, const void *arg, u64 now);

/* pcc_tpl.c */
struct pcc_tpl *pcc_tpl_find(struct pcc_table *t, const struct pcc_dom *dom,
			     const union pcc_addr *caddr, u32 hash);
struct pcc_tpl *pcc_tpl_alloc(struct pcc_table *t, struct pcc_dom *dom,
			      const union pcc_addr *caddr, struct pcc_dest *dest, u64 now);
void pcc_tpl_insert(struct pcc_table *t, struct pcc_tpl *tpl, u32 hash);
void pcc_tpl_set_dest(struct pcc_tpl *tpl, struct pcc_dest *dest);
void pcc_tpl_unlink(struct pcc_table *t, struct pcc_tpl *tpl, enum pccvs_tpl_event ev, u64 now);
int pcc_tpl_hold(struct pcc_table *t, struct pcc_svc *svc, struct pcc_dom *dom,
		 const struct pcc_sched_in *in, bool may_create, u64 now,
		 struct pcc_tpl **tplp, struct pcc_dest **destp);
void pcc_tpl_put(struct pcc_table *t, struct pcc_tpl *tpl, u64 now);
void pcc_tpl_confirm(struct pcc_table *t, struct pcc_tpl *tpl, u64 now);
void pcc_tpl_fill(struct pcc_table *t, const struct pcc_tpl *tpl, u64 now,
		  struct pcc_tpl_info *out);
u64 pcc_tpl_timeout_ms(const struct pcc_tpl *tpl);
void pcc_tpl_pop(struct pcc_table *t, struct pcc_hlist_node *wn, u64 now);
u64 pcc_tpl_due(struct pcc_hlist_node *wn, u64 cur);
u16 *pcc_tpl_wbits(struct pcc_hlist_node *wn);
typedef bool (*pcc_tpl_match_t)(struct pcc_tpl *tpl, const void *arg);
/* Walk every bucket; for each match, fix() may keep it (return true) or it is
 * deleted with a DELETED event. */
void pcc_tpl_purge(struct pcc_table *t, pcc_tpl_match_t match, const void *arg,
		   bool (*fix)(struct pcc_table *t, struct pcc_tpl *tpl, const void *arg), u64 now);

static inline pcc_spinlock_t *pcc_tpl_lock(struct pcc_table *t, u32 hash)
{
	return &t->tpl_locks[hash & t->tpl_lock_mask];
}

static inline pcc_spinlock_t *pcc_conn_lock(struct pcc_table *t, u32 hash)
{
	return &t->conn_locks[hash & t->conn_lock_mask];
}

/* pcc_svc.c, pcc_dom.c */
struct pcc_svc *pcc_svc_match(struct pcc_table *t, const struct pcc_key *k, u32 fwmark);
struct pcc_svc *pcc_svc_find(struct pcc_table *t, const struct pcc_svc_key *k);
int pcc_svc_key_norm(struct pcc_svc_key *out, const struct pcc_svc_key *in, struct pcc_err *err);
struct pcc_dom *pcc_dom_resolve(struct pcc_table *t, const struct pcc_domain *d);
int pcc_dom_attach(struct pcc_table *t, struct pcc_svc *svc, const char *pgroup, u32 timeout,
		   u8 netmask, bool strict, struct pcc_err *err);
void pcc_dom_detach(struct pcc_table *t, struct pcc_svc *svc, struct pcc_dom *dom, u64 now);
struct pcc_dest *pcc_dom_find_dest(struct pcc_table *t, const struct pcc_dom *dom,
				   const union pcc_addr *addr, int port);
void pcc_dom_release_svc(struct pcc_table *t, struct pcc_svc *svc, u64 now);
void pcc_dom_flush_tpls(struct pcc_table *t, struct pcc_dom *dom, u64 now);
bool pcc_pgroup_valid(const char *name);

/* pcc_dest.c */
int pcc_dset_rebuild(struct pcc_svc *svc, const struct pcc_sched_ops *ops,
		     const struct pcc_dest *skip);
void pcc_dset_free(struct pcc_dset *ds);
void pcc_dest_bind(struct pcc_dest *d, u8 state);
void pcc_dest_unbind(struct pcc_dest *d, u8 state);
void pcc_dest_move(struct pcc_dest *d, u8 from, u8 to);
bool pcc_dest_available(const struct pcc_dest *d);
struct pcc_dest *pcc_svc_dest_like(struct pcc_svc *svc, const struct pcc_dest *like);
void pcc_dest_destroy(struct pcc_table *t, struct pcc_dest *d, u64 now);
void pcc_dest_free(struct pcc_dest *d);

static inline u16 pcc_dest_port(const struct pcc_dest *d, u16 vport)
{
	return d->port ? d->port : vport;
}

/* Refuse a configuration call: err may be NULL; msg is a string literal. */
static inline int pcc_fail(struct pcc_err *err, int code, const char *msg)
{
	if (err)
		err->msg = msg;
	return code;
}

static inline bool pcc_state_active(u8 state)
{
	return state == PCCVS_CS_ESTABLISHED || state == PCCVS_CS_UDP;
}

/* pcc_sched.c */
const struct pcc_sched_ops *pcc_sched_find(const char *name);
struct pcc_dest *pcc_sched_pick(struct pcc_svc *svc, const struct pcc_sched_in *in);
extern const struct pcc_sched_ops pcc_sched_rr, pcc_sched_wrr, pcc_sched_lc, pcc_sched_wlc,
	pcc_sched_sed, pcc_sched_nq, pcc_sched_sh, pcc_sched_mh;
u32 pcc_gcd(u32 a, u32 b);

/* pcc_stats.c */
int pcc_counters_alloc(struct pcc_counters __pcc_percpu **cnt);
void pcc_counters_sum(struct pcc_counters __pcc_percpu *cnt, struct pcc_counters *out);
void pcc_counters_zero(struct pcc_counters __pcc_percpu *cnt, struct pcc_est *est);
void pcc_stats_fill(struct pcc_counters __pcc_percpu *cnt, const struct pcc_est *est,
		    struct pcc_stats *out);
void pcc_est_run(struct pcc_table *t, u64 now);

/* pcc_table.c */
void pcc_emit(struct pcc_table *t, enum pccvs_tpl_event ev, const struct pcc_tpl *tpl, u64 now);
u64 pcc_stamp_next(struct pcc_table *t);
void pcc_stamp_raise(struct pcc_table *t, u64 stamp);

extern struct pcc_cache pcc_conn_cache, pcc_tpl_cache;

#endif /* PCC_INT_H */
