// SPDX-License-Identifier: GPL-2.0
/*
 * pcc_table.c: a table (one per network namespace): creation sized from the
 * limits, timeouts and limits, the tick, events, stamps, counters.
 */
#include "pcc_int.h"

/* Connection timeouts: short, since templates restore what expires early. */
static const struct pcc_cfg pcc_cfg_default = {
	.tcp_est = 300, .tcp_syn_recv = 30, .tcp_fin_wait = 60, .tcp_time_wait = 60,
	.tcp_close = 10, .tcp_close_wait = 60, .tcp_last_ack = 30, .udp = 60,
	.conn_max = PCC_DEFAULT_MAX, .tpl_max = PCC_DEFAULT_MAX,
	.refresh_pct = PCC_REFRESH_PCT_DEFAULT,
};

static void table_set_tmo(struct pcc_table *t)
{
	const struct pcc_cfg *c = &t->cfg;

	t->tmo[PCCVS_CS_NONE] = 2000;
	t->tmo[PCCVS_CS_SYN_RECV] = c->tcp_syn_recv * 1000;
	t->tmo[PCCVS_CS_ESTABLISHED] = c->tcp_est * 1000;
	t->tmo[PCCVS_CS_FIN_WAIT] = c->tcp_fin_wait * 1000;
	t->tmo[PCCVS_CS_CLOSE_WAIT] = c->tcp_close_wait * 1000;
	t->tmo[PCCVS_CS_LAST_ACK] = c->tcp_last_ack * 1000;
	t->tmo[PCCVS_CS_TIME_WAIT] = c->tcp_time_wait * 1000;
	t->tmo[PCCVS_CS_CLOSE] = c->tcp_close * 1000;
	t->tmo[PCCVS_CS_UDP] = c->udp * 1000;
}

/* Buckets for a limit: the next power of two (load factor <= 1). */
static u8 bits_for(u32 max)
{
	u8 bits = PCC_HASH_BITS_MIN;

	while (bits < PCC_HASH_BITS_MAX && (1ULL << bits) < max)
		bits++;
	return bits;
}

static int conf_check(const struct pcc_table_conf *c)
{
	if (c->conn_max > PCCVS_LIMIT_MAX || c->tpl_max > PCCVS_LIMIT_MAX)
		return -EINVAL;
	if ((c->conn_hash_bits && (c->conn_hash_bits < PCC_HASH_BITS_MIN ||
				   c->conn_hash_bits > PCC_HASH_BITS_MAX)) ||
	    (c->tpl_hash_bits && (c->tpl_hash_bits < PCC_HASH_BITS_MIN ||
				  c->tpl_hash_bits > PCC_HASH_BITS_MAX)))
		return -EINVAL;
	return c->nwheels > PCC_WHEELS_MAX ? -EINVAL : 0;
}

static pcc_spinlock_t *locks_alloc(u32 buckets, u32 *mask)
{
	u32 n = pcc_min_t(u32, buckets, 1U << PCC_LOCK_BITS);

	*mask = n - 1;
	return pcc_vzalloc(sizeof(pcc_spinlock_t) * n);
}

/* Separate loops: each lock array is its own lockdep class. */
static int table_alloc_conns(struct pcc_table *t, u8 bits)
{
	u32 n = 1U << bits, i;

	t->conn_mask = n - 1;
	t->conn_tab = pcc_vzalloc(sizeof(*t->conn_tab) * n);
	t->reply_tab = pcc_vzalloc(sizeof(*t->reply_tab) * n);
	t->conn_locks = locks_alloc(n, &t->conn_lock_mask);
	t->reply_locks = locks_alloc(n, &i);
	if (!t->conn_tab || !t->reply_tab || !t->conn_locks || !t->reply_locks)
		return -ENOMEM;
	for (i = 0; i <= t->conn_lock_mask; i++)
		pcc_spin_lock_init(&t->conn_locks[i]);
	for (i = 0; i <= t->conn_lock_mask; i++)
		pcc_spin_lock_init(&t->reply_locks[i]);
	return 0;
}

static int table_alloc_tpls(struct pcc_table *t, u8 bits)
{
	u32 n = 1U << bits, i;

	t->tpl_mask = n - 1;
	t->tpl_tab = pcc_vzalloc(sizeof(*t->tpl_tab) * n);
	t->tpl_locks = locks_alloc(n, &t->tpl_lock_mask);
	if (!t->tpl_tab || !t->tpl_locks)
		return -ENOMEM;
	for (i = 0; i <= t->tpl_lock_mask; i++)
		pcc_spin_lock_init(&t->tpl_locks[i]);
	return 0;
}

static int table_alloc_wheels(struct pcc_table *t, u32 n, u64 now)
{
	t->cwheels.due = pcc_conn_due;
	t->cwheels.bits = pcc_conn_wbits;
	t->cwheels.pop = pcc_conn_pop;
	t->twheels.due = pcc_tpl_due;
	t->twheels.bits = pcc_tpl_wbits;
	t->twheels.pop = pcc_tpl_pop;
	if (pcc_wheels_init(&t->cwheels, n, now) || pcc_wheels_init(&t->twheels, n, now))
		return -ENOMEM;
	return 0;
}

static void table_free(struct pcc_table *t)
{
	pcc_wheels_free(&t->cwheels);
	pcc_wheels_free(&t->twheels);
	pcc_vfree(t->conn_tab);
	pcc_vfree(t->reply_tab);
	pcc_vfree(t->conn_locks);
	pcc_vfree(t->reply_locks);
	pcc_vfree(t->tpl_tab);
	pcc_vfree(t->tpl_locks);
	pcc_free(t);
	pcc_cache_put(&pcc_tpl_cache);
	pcc_cache_put(&pcc_conn_cache);
}

static void table_init(struct pcc_table *t, const struct pcc_table_conf *c, u64 now)
{
	t->cfg = pcc_cfg_default;
	if (c->conn_max)
		t->cfg.conn_max = c->conn_max;
	if (c->tpl_max)
		t->cfg.tpl_max = c->tpl_max;
	table_set_tmo(t);
	t->seed = (u64)pcc_random_u32() << 32 | pcc_random_u32();
	t->seed2 = (u64)pcc_random_u32() << 32 | pcc_random_u32();
	t->ev_ops = c->ev_ops;
	t->ev_ctx = c->ev_ctx;
	t->now = now;
	t->est_last = now;
}

int pcc_table_create(struct pcc_table **out, const struct pcc_table_conf *c, u64 now)
{
	struct pcc_table *t;
	int err = conf_check(c);

	if (err)
		return err;
	err = pcc_cache_get(&pcc_conn_cache);
	if (err)
		return err;
	err = pcc_cache_get(&pcc_tpl_cache);
	if (err) {
		pcc_cache_put(&pcc_conn_cache);
		return err;
	}
	t = pcc_zalloc(sizeof(*t));
	if (!t) {
		pcc_cache_put(&pcc_tpl_cache);
		pcc_cache_put(&pcc_conn_cache);
		return -ENOMEM;
	}
	table_init(t, c, now);
	err = table_alloc_conns(t, c->conn_hash_bits ?: bits_for(t->cfg.conn_max));
	if (!err)
		err = table_alloc_tpls(t, c->tpl_hash_bits ?: bits_for(t->cfg.tpl_max));
	if (!err)
		err = table_alloc_wheels(t, c->nwheels ? c->nwheels : 1, now);
	if (err) {
		table_free(t);
		return err;
	}
	*out = t;
	return 0;
}

void pcc_table_destroy(struct pcc_table *t)
{
	if (!t)
		return;
	t->ev_ops = NULL;	/* silently */
	pcc_svc_flush(t);
	pcc_conn_flush(t);
	pcc_tpl_purge(t, NULL, NULL, NULL, t->now);
	pcc_rcu_barrier();
	table_free(t);
}

u32 pcc_tick(struct pcc_table *t, u64 now, u32 budget)
{
	u32 left, b = budget ? budget : 0xffffffffU;

	PCC_WRITE_ONCE(t->now, now);
	left = pcc_wheels_run(t, &t->cwheels, now, &b);
	left += pcc_wheels_run(t, &t->twheels, now, &b);
	if (now >= t->est_last + PCC_EST_MS)
		pcc_est_run(t, now);
	return left;
}

void pcc_emit(struct pcc_table *t, enum pccvs_tpl_event ev, const struct pcc_tpl *tpl, u64 now)
{
	const struct pcc_event_ops *ops = PCC_READ_ONCE(t->ev_ops);
	struct pcc_tpl_info info;

	if (!ops || !ops->tpl_event)
		return;
	pcc_tpl_fill(t, tpl, now, &info);
	ops->tpl_event(t->ev_ctx, ev, &info);
}

u64 pcc_stamp_next(struct pcc_table *t)
{
	return (u64)pcc_atomic64_inc_return(&t->clock);
}

/* clock = max(clock, stamp), against concurrent ++clock. */
void pcc_stamp_raise(struct pcc_table *t, u64 stamp)
{
	s64 cur = pcc_atomic64_read(&t->clock), seen;

	while ((u64)cur < stamp) {
		seen = pcc_atomic64_cmpxchg(&t->clock, cur, (s64)stamp);
		if (seen == cur)
			break;
		cur = seen;
	}
}

void pcc_cfg_get(struct pcc_table *t, struct pcc_cfg *out)
{
	*out = t->cfg;
}

static bool cfg_range(u32 v, u32 max)
{
	return v <= max;
}

static int cfg_check(const struct pcc_cfg *in, const u32 *tmo, struct pcc_err *err)
{
	unsigned int i;

	for (i = 0; i < 8; i++) {
		if (!cfg_range(tmo[i], PCCVS_PERSIST_TIMEOUT_MAX))
			return pcc_fail(err, -EINVAL, "timeout out of range (1-2678400 s)");
	}
	if (!cfg_range(in->conn_max, PCCVS_LIMIT_MAX) || !cfg_range(in->tpl_max, PCCVS_LIMIT_MAX))
		return pcc_fail(err, -EINVAL, "limit out of range (1-67108864)");
	if (!cfg_range(in->refresh_pct, 100))
		return pcc_fail(err, -EINVAL, "refresh_pct out of range (1-100)");
	return 0;
}

/* Fields left 0 keep their value; the whole call applies or nothing. */
int pcc_cfg_set(struct pcc_table *t, const struct pcc_cfg *in, struct pcc_err *err)
{
	const u32 tmo[8] = { in->tcp_est, in->tcp_syn_recv, in->tcp_fin_wait, in->tcp_time_wait,
			     in->tcp_close, in->tcp_close_wait, in->tcp_last_ack, in->udp };
	struct pcc_cfg n = t->cfg;
	u32 *nt[8] = { &n.tcp_est, &n.tcp_syn_recv, &n.tcp_fin_wait, &n.tcp_time_wait,
		       &n.tcp_close, &n.tcp_close_wait, &n.tcp_last_ack, &n.udp };
	unsigned int i;
	int ret = cfg_check(in, tmo, err);

	if (ret)
		return ret;
	for (i = 0; i < 8; i++) {
		if (tmo[i])
			*nt[i] = tmo[i];
	}
	if (in->conn_max)
		n.conn_max = in->conn_max;
	if (in->tpl_max)
		n.tpl_max = in->tpl_max;
	if (in->refresh_pct)
		n.refresh_pct = in->refresh_pct;
	t->cfg = n;
	table_set_tmo(t);
	return 0;
}

void pcc_table_stats(struct pcc_table *t, struct pcc_table_stats *out)
{
	memset(out, 0, sizeof(*out));
	out->conn_count = (u32)pcc_atomic_read(&t->conn_count);
	out->tpl_count = (u32)pcc_atomic_read(&t->tpl_count);
	out->svc_count = t->svc_count;
	out->conn_buckets = t->conn_mask + 1;
	out->tpl_buckets = t->tpl_mask + 1;
	out->conn_size = sizeof(struct pcc_conn);
	out->tpl_size = sizeof(struct pcc_tpl);
	out->conn_refused = (u64)pcc_atomic64_read(&t->conn_refused);
	out->tpl_refused = (u64)pcc_atomic64_read(&t->tpl_refused);
	out->restored = (u64)pcc_atomic64_read(&t->restored);
	out->no_template_drops = (u64)pcc_atomic64_read(&t->no_tpl_drops);
	out->tpl_injected = (u64)pcc_atomic64_read(&t->injected);
	out->tpl_stale = (u64)pcc_atomic64_read(&t->stale);
}
