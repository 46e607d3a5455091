// SPDX-License-Identifier: GPL-2.0
/*
 * pcc_conn.c: the connection table. A forward index on (protocol, client,
 * VIP) and, for NAT, a reply index on (protocol, real server, client); the
 * TCP state machine; expiry; removal; iteration.
 */
#include "pcc_int.h"

struct pcc_cache pcc_conn_cache = { .name = "pccvs_conn", .size = sizeof(struct pcc_conn) };

static void conn_key(const struct pcc_conn *c, struct pcc_key *k)
{
	k->caddr = c->caddr;
	k->vaddr = c->vaddr;
	k->cport = c->cport;
	k->vport = c->vport;
	k->protocol = c->protocol;
	k->v6 = c->v6;
}

static u32 conn_reply_hash(const struct pcc_table *t, const struct pcc_conn *c)
{
	return pcc_hash_reply(t, c->protocol, c->v6, &c->dest->addr,
			      pcc_dest_port(c->dest, c->vport), &c->caddr, c->cport);
}

/* p is the packet from the real server: saddr/sport = server, daddr/dport = client. */
struct pcc_conn *pcc_conn_find_reply(struct pcc_table *t, const struct pcc_pkt *p)
{
	union pcc_addr s, d;
	struct pcc_conn *c;
	u8 v6 = p->af == AF_INET6;
	u32 h;

	pcc_addr_copy(&s, &p->saddr, p->af);
	pcc_addr_copy(&d, &p->daddr, p->af);
	h = pcc_hash_reply(t, p->protocol, v6, &s, p->sport, &d, p->dport);
	pcc_hlist_for_each_entry_rcu(c, &t->reply_tab[h & t->conn_mask], rnode) {
		if (c->cport == p->dport && c->protocol == p->protocol && c->v6 == v6 &&
		    pcc_addr_eq(&c->caddr, &d) && pcc_addr_eq(&c->dest->addr, &s) &&
		    pcc_dest_port(c->dest, c->vport) == p->sport &&
		    !(PCC_READ_ONCE(c->flags) & PCC_CF_DEAD))
			return c;
	}
	return NULL;
}

static void conn_free_rcu(struct pcc_rcu_head *head)
{
	pcc_cache_free(&pcc_conn_cache, pcc_container_of(head, struct pcc_conn, rcu));
}

static void conn_reply_link(struct pcc_table *t, struct pcc_conn *c)
{
	u32 h = conn_reply_hash(t, c);
	pcc_spinlock_t *l = &t->reply_locks[h & t->conn_lock_mask];

	pcc_spin_lock(l);
	pcc_hlist_add_head_rcu(&c->rnode, &t->reply_tab[h & t->conn_mask]);
	pcc_spin_unlock(l);
	c->flags |= PCC_CF_REPLY;
}

static void conn_reply_unlink(struct pcc_table *t, struct pcc_conn *c)
{
	u32 h = conn_reply_hash(t, c);
	pcc_spinlock_t *l = &t->reply_locks[h & t->conn_lock_mask];

	pcc_spin_lock(l);
	pcc_hlist_del_rcu(&c->rnode);
	pcc_spin_unlock(l);
}

/* Under the bucket lock: the connection leaves every index and is freed. */
static void conn_unlink(struct pcc_table *t, struct pcc_conn *c, u64 now)
{
	pcc_hlist_del_rcu(&c->node);
	if (c->flags & PCC_CF_REPLY)
		conn_reply_unlink(t, c);
	PCC_WRITE_ONCE(c->flags, c->flags | PCC_CF_DEAD);
	pcc_wheel_del(&t->cwheels, &c->wnode, &c->wheel);
	pcc_dest_unbind(c->dest, c->state);
	pcc_atomic_dec(&t->conn_count);
	if (c->tpl)
		pcc_tpl_put(t, c->tpl, now);
	pcc_call_rcu(&c->rcu, conn_free_rcu);
}

/* The count is checked before allocating: a full table costs nothing. */
static struct pcc_conn *conn_alloc(struct pcc_table *t)
{
	struct pcc_conn *c = NULL;

	if (pcc_atomic_inc_return(&t->conn_count) <= (int)PCC_READ_ONCE(t->cfg.conn_max))
		c = pcc_cache_zalloc(&pcc_conn_cache);
	else
		pcc_warn_ratelimited("connection table full (%u), refusing new flows\n",
				     PCC_READ_ONCE(t->cfg.conn_max));
	if (!c) {
		pcc_atomic_dec(&t->conn_count);
		pcc_atomic64_inc(&t->conn_refused);
	}
	return c;
}

static void conn_init(struct pcc_table *t, struct pcc_conn *c, const struct pcc_key *k,
		      struct pcc_dest *dest, struct pcc_tpl *tpl, u8 state, u16 flags, u64 now)
{
	c->caddr = k->caddr;
	c->vaddr = k->vaddr;
	c->cport = k->cport;
	c->vport = k->vport;
	c->protocol = k->protocol;
	c->v6 = k->v6;
	c->dest = dest;
	c->tpl = tpl;
	c->fwd = dest->fwd;
	c->state = state;
	c->flags = flags | (tpl ? PCCVS_CONN_F_TEMPLATE : 0);
	c->expires = now + t->tmo[state];
}

/*
 * Insert a new connection. The caller passes its template reference on
 * success and keeps it on failure: -ENOSPC table full, -EEXIST another CPU
 * created it first, -ENOENT the dest is being removed.
 */
int pcc_conn_new(struct pcc_table *t, const struct pcc_key *k, struct pcc_dest *dest,
		 struct pcc_tpl *tpl, u8 state, u16 flags, u64 now, struct pcc_conn **out)
{
	struct pcc_conn *c = conn_alloc(t);
	pcc_spinlock_t *l;
	int err = 0;
	u32 h;

	if (!c)
		return -ENOSPC;
	conn_init(t, c, k, dest, tpl, state, flags, now);
	h = pcc_hash_conn(t, k);
	l = pcc_conn_lock(t, h);
	pcc_spin_lock(l);
	if (PCC_READ_ONCE(dest->dead))
		err = -ENOENT;
	else if (pcc_conn_find(t, k, h))
		err = -EEXIST;
	if (!err) {
		pcc_hlist_add_head_rcu(&c->node, &t->conn_tab[h & t->conn_mask]);
		if (c->fwd == PCCVS_FWD_NAT)
			conn_reply_link(t, c);
		pcc_dest_bind(dest, state);
		pcc_wheel_add(&t->cwheels, &c->wnode, &c->wheel, pcc_ms_to_tick(c->expires));
	}
	pcc_spin_unlock(l);
	if (err) {
		pcc_cache_free(&pcc_conn_cache, c);
		pcc_atomic_dec(&t->conn_count);
		return err;
	}
	*out = c;
	return 0;
}

static pcc_spinlock_t *conn_lock_of(struct pcc_table *t, const struct pcc_conn *c)
{
	struct pcc_key k;

	conn_key(c, &k);
	return pcc_conn_lock(t, pcc_hash_conn(t, &k));
}

void pcc_conn_kill(struct pcc_table *t, struct pcc_conn *c, u64 now)
{
	pcc_spinlock_t *l = conn_lock_of(t, c);

	pcc_spin_lock(l);
	if (!(c->flags & PCC_CF_DEAD))
		conn_unlink(t, c, now);
	pcc_spin_unlock(l);
}

/*
 * TCP states as the director sees them. reply: the packet came from the
 * real server (NAT only). Without replies (DR/TUN) a closing connection
 * stays in FIN_WAIT until it expires or its port is reused.
 */
static inline u8 tcp_next(u8 s, u8 fl, bool reply)
{
	if (fl & PCC_TCP_RST)
		return PCCVS_CS_CLOSE;
	if (fl & PCC_TCP_SYN)
		return (s == PCCVS_CS_NONE && !reply) ? PCCVS_CS_SYN_RECV : s;
	if (fl & PCC_TCP_FIN) {
		switch (s) {
		case PCCVS_CS_SYN_RECV:
		case PCCVS_CS_ESTABLISHED:
			return reply ? PCCVS_CS_CLOSE_WAIT : PCCVS_CS_FIN_WAIT;
		case PCCVS_CS_FIN_WAIT:
			return reply ? PCCVS_CS_LAST_ACK : s;
		case PCCVS_CS_CLOSE_WAIT:
			return reply ? s : PCCVS_CS_LAST_ACK;
		default:
			return s;
		}
	}
	if (fl & PCC_TCP_ACK) {
		if (s == PCCVS_CS_SYN_RECV && !reply)
			return PCCVS_CS_ESTABLISHED;
		if (s == PCCVS_CS_LAST_ACK)
			return PCCVS_CS_TIME_WAIT;
	}
	return s;
}

static inline u8 conn_next(const struct pcc_conn *c, u8 s, const struct pcc_pkt *p, bool reply)
{
	return c->protocol == IPPROTO_TCP ? tcp_next(s, p->tcp_flags, reply) : s;
}

/* TCP: the client's ACK completing the handshake. Otherwise: a second
 * client packet or any reply (the UDP rule, see pcc_core.h). */
static inline bool conn_confirms(const struct pcc_conn *c, u8 from, u8 to, bool reply)
{
	if (c->flags & PCCVS_CONN_F_CONFIRMED)
		return false;
	if (c->protocol == IPPROTO_TCP)
		return from == PCCVS_CS_SYN_RECV && to == PCCVS_CS_ESTABLISHED;
	return true;
}

static void conn_set_state(struct pcc_table *t, struct pcc_conn *c, u8 to, u64 now)
{
	u64 exp = now + t->tmo[to];
	u64 old = c->expires;

	pcc_dest_move(c->dest, c->state, to);
	PCC_WRITE_ONCE(c->state, to);
	PCC_WRITE_ONCE(c->expires, exp);
	if (exp < old)
		pcc_wheel_move(&t->cwheels, &c->wnode, &c->wheel, pcc_ms_to_tick(exp));
}

/* The slow path of a packet: its connection changes state or confirms. */
static void conn_change(struct pcc_table *t, struct pcc_conn *c, const struct pcc_pkt *p,
			bool reply, u64 now)
{
	pcc_spinlock_t *l = conn_lock_of(t, c);
	u8 from, to;

	pcc_spin_lock(l);
	if (c->flags & PCC_CF_DEAD)
		goto out;
	from = c->state;
	to = conn_next(c, from, p, reply);
	if (to != from)
		conn_set_state(t, c, to, now);
	else
		PCC_WRITE_ONCE(c->expires, now + t->tmo[from]);
	if (conn_confirms(c, from, to, reply)) {
		PCC_WRITE_ONCE(c->flags, c->flags | PCCVS_CONN_F_CONFIRMED);
		if (c->tpl)
			pcc_tpl_confirm(t, c->tpl, now);
	}
out:
	pcc_spin_unlock(l);
}

static void conn_follow(struct pcc_table *t, struct pcc_conn *c, const struct pcc_pkt *p,
			bool reply, u64 now)
{
	u8 s = PCC_READ_ONCE(c->state);
	u8 to = conn_next(c, s, p, reply);

	if (pcc_unlikely(to != s || conn_confirms(c, s, to, reply)))
		conn_change(t, c, p, reply, now);
	else if (PCC_READ_ONCE(c->expires) != now + t->tmo[s])
		PCC_WRITE_ONCE(c->expires, now + t->tmo[s]);
}

/* A packet of the connection, or related to it (an ICMP error), counted. */
void pcc_conn_count(const struct pcc_conn *c, const struct pcc_pkt *p, bool reply)
{
	struct pcc_dest *d = c->dest;

	if (reply) {
		pcc_this_cpu_add(d->cnt->outpkts, 1);
		pcc_this_cpu_add(d->cnt->outbytes, p->len);
		pcc_this_cpu_add(d->svc->cnt->outpkts, 1);
		pcc_this_cpu_add(d->svc->cnt->outbytes, p->len);
	} else {
		pcc_this_cpu_add(d->cnt->inpkts, 1);
		pcc_this_cpu_add(d->cnt->inbytes, p->len);
		pcc_this_cpu_add(d->svc->cnt->inpkts, 1);
		pcc_this_cpu_add(d->svc->cnt->inbytes, p->len);
	}
}

void pcc_conn_input(struct pcc_table *t, struct pcc_conn *c, const struct pcc_pkt *p, u64 now)
{
	conn_follow(t, c, p, false, now);
	pcc_conn_count(c, p, false);
}

void pcc_conn_output(struct pcc_table *t, struct pcc_conn *c, const struct pcc_pkt *p, u64 now)
{
	conn_follow(t, c, p, true, now);
	pcc_conn_count(c, p, true);
}

/* A SYN on these starts a new connection on the same ports. */
bool pcc_conn_reusable(const struct pcc_conn *c)
{
	u8 s = PCC_READ_ONCE(c->state);

	if (c->protocol != IPPROTO_TCP)
		return false;
	if (s == PCCVS_CS_TIME_WAIT || s == PCCVS_CS_CLOSE)
		return true;
	return s == PCCVS_CS_FIN_WAIT && c->fwd != PCCVS_FWD_NAT;
}

u64 pcc_conn_due(struct pcc_hlist_node *wn, u64 cur)
{
	struct pcc_conn *c = pcc_container_of(wn, struct pcc_conn, wnode);

	return pcc_ms_to_tick(PCC_READ_ONCE(c->expires));
}

u16 *pcc_conn_wbits(struct pcc_hlist_node *wn)
{
	return &pcc_container_of(wn, struct pcc_conn, wnode)->wheel;
}

/* The wheel popped c: expire it, or file it again if traffic moved it on. */
void pcc_conn_pop(struct pcc_table *t, struct pcc_hlist_node *wn, u64 now)
{
	struct pcc_conn *c = pcc_container_of(wn, struct pcc_conn, wnode);
	pcc_spinlock_t *l = conn_lock_of(t, c);
	u64 exp;

	pcc_spin_lock(l);
	if (!(c->flags & PCC_CF_DEAD)) {
		exp = PCC_READ_ONCE(c->expires);
		/* It ended at its expiry, however late the tick: that is
		 * when its template's timeout starts. */
		if (exp > now)
			pcc_wheel_put(&t->cwheels, wn, &c->wheel, pcc_ms_to_tick(exp));
		else
			conn_unlink(t, c, exp);
	}
	pcc_spin_unlock(l);
}

/* Remove every connection that matches, bucket by bucket. */
void pcc_conn_purge(struct pcc_table *t, pcc_conn_match_t match, const void *arg, u64 now)
{
	struct pcc_hlist_node *n;
	struct pcc_conn *c;
	pcc_spinlock_t *l;
	u32 b;

	if (!pcc_atomic_read(&t->conn_count))
		return;
	for (b = 0; b <= t->conn_mask; b++) {
		if (pcc_hlist_empty(&t->conn_tab[b]))
			continue;
		l = pcc_conn_lock(t, b);
		pcc_spin_lock(l);
		pcc_hlist_for_each_entry_safe(c, n, &t->conn_tab[b], node) {
			if (!match || match(c, arg))
				conn_unlink(t, c, now);
		}
		pcc_spin_unlock(l);
	}
}

static void conn_fill(const struct pcc_conn *c, u64 now, struct pcc_conn_info *o)
{
	const struct pcc_dest *d = c->dest;
	u64 exp = PCC_READ_ONCE(c->expires);

	memset(o, 0, sizeof(*o));
	o->af = c->v6 ? AF_INET6 : AF_INET;
	o->protocol = c->protocol;
	o->state = PCC_READ_ONCE(c->state);
	o->fwd = c->fwd;
	o->cport = c->cport;
	o->vport = c->vport;
	o->dport = pcc_dest_port(d, c->vport);
	o->flags = PCC_READ_ONCE(c->flags) & 0xff;
	o->fwmark = d->svc->key.fwmark;
	o->remaining_ms = exp > now ? exp - now : 0;
	o->caddr = c->caddr;
	o->vaddr = c->vaddr;
	o->daddr = d->addr;
}

/* Fill from one bucket past cur->skip; false when out[] is full first. */
static bool conn_iter_bucket(struct pcc_table *t, struct pcc_conn_cursor *cur, u64 now,
			     struct pcc_conn_info *out, u32 max, u32 *n)
{
	struct pcc_conn *c;
	u32 i = 0;

	pcc_hlist_for_each_entry_rcu(c, &t->conn_tab[cur->bucket], node) {
		if (i++ < cur->skip)
			continue;
		if (*n == max)
			return false;
		cur->skip++;
		if (!(PCC_READ_ONCE(c->flags) & PCC_CF_DEAD))
			conn_fill(c, now, &out[(*n)++]);
	}
	return true;
}

u32 pcc_conn_iter(struct pcc_table *t, struct pcc_conn_cursor *cur, u64 now,
		  struct pcc_conn_info *out, u32 max)
{
	u32 n = 0;

	if (cur->done)
		return 0;
	if ((!cur->bucket && !cur->skip) || cur->gen != t->conn_gen)
		cur->gen = t->conn_gen;
	pcc_rcu_read_lock();
	while (n < max && cur->bucket <= t->conn_mask) {
		if (!conn_iter_bucket(t, cur, now, out, max, &n))
			break;
		cur->bucket++;
		cur->skip = 0;
	}
	pcc_rcu_read_unlock();
	if (cur->bucket > t->conn_mask)
		cur->done = 1;
	return n;
}

int pcc_conn_del(struct pcc_table *t, const struct pcc_conn_info *ci)
{
	struct pcc_conn *c;
	struct pcc_key k;
	pcc_spinlock_t *l;
	u32 h;

	if (!pcc_af_ok(ci->af))
		return -EINVAL;
	memset(&k, 0, sizeof(k));
	pcc_addr_copy(&k.caddr, &ci->caddr, ci->af);
	pcc_addr_copy(&k.vaddr, &ci->vaddr, ci->af);
	k.cport = ci->cport;
	k.vport = ci->vport;
	k.protocol = ci->protocol;
	k.v6 = ci->af == AF_INET6;
	h = pcc_hash_conn(t, &k);
	l = pcc_conn_lock(t, h);
	pcc_spin_lock(l);
	c = pcc_conn_find(t, &k, h);
	if (c)
		conn_unlink(t, c, t->now);
	pcc_spin_unlock(l);
	return c ? 0 : -ENOENT;
}

void pcc_conn_flush(struct pcc_table *t)
{
	pcc_conn_purge(t, NULL, NULL, t->now);
	t->conn_gen++;
}
