/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pcc_core.h: public API of the portable forwarding core.
 *
 * The same sources build into pccvs.ko and into user space (unit tests,
 * fuzzers, benchmarks, and the sync daemon's simulation backend). The core
 * holds every forwarding decision; the kernel glue only parses packets,
 * transmits, drives the clock and speaks netlink.
 *
 * Concurrency contract (kernel):
 *  - pcc_decide()/pcc_decide_reply() run concurrently on any CPU in softirq
 *    context under rcu_read_lock(); they take only per-bucket locks (and a
 *    per-service lock for wrr) and never sleep or allocate with GFP_KERNEL.
 *  - Configuration calls (svc/dest/cfg/inject/del/flush) are serialised by
 *    the caller (one mutex per table) and run in process context.
 *  - pcc_tick() runs in process context, serialised with itself.
 *  - Iterators (pcc_*_iter) run in process context, concurrently with the
 *    packet path.
 * In user space everything is single threaded.
 *
 * Time is a monotonic millisecond clock passed in by the caller ("now"), so
 * tests drive it. Calls without a "now" (service/dest removal, connection
 * delete/flush, template flush) use the latest time given to pcc_tick() or
 * a template call. Ports are host byte order; addresses are network order
 * (IPv4 in the first 4 bytes; the core ignores the other 12). Functions
 * return 0 or a negative errno; "err" may be NULL.
 *
 * pcc_table_destroy() must only run once no packet path can reach the
 * table any more (hooks unregistered, synchronize_rcu() done).
 *
 * Persistence domains: templates are keyed on (domain, client & netmask).
 * A persistent service without a port group is its own domain; persistent
 * services of one VIP naming the same port group share one domain, hence
 * one template per client for the whole group (80 and 443 share, 21 with
 * no group does not). The persistence timeout and netmask belong to the
 * domain: setting them on any member sets them for the group; a service
 * joining an existing group at ADD must not disagree (timeout 0 there means
 * "the group's"). Changing the netmask flushes the domain's templates. A
 * member's connection through a template goes to that member's dest with
 * the template's real server address (same port preferred); if the member
 * has none, the client is scheduled afresh and the template re-pointed.
 *
 * Connection timeouts are short by default (pcc_cfg: est 300 s, syn_recv
 * 30, fin_wait 60, time_wait 60, close 10, close_wait 60, last_ack 30, udp
 * 60) because templates restore what expires early. SCTP flows are tracked
 * like UDP (state UDP, the udp timeout). A dest's active count holds
 * ESTABLISHED TCP and UDP/SCTP flows, inactive the other TCP states.
 *
 * Template lifetime: a template never expires while it controls
 * connections (nctl > 0, remaining_ms reports at least the full timeout);
 * it expires timeout seconds after the last one ended (a connection ends at
 * its own expiry time), and every new connection refreshes it. Expiry is
 * exact to the wheel granularity: an object goes at the first pcc_tick()
 * whose now is at or past its expiry rounded up to PCC_TICK_MS.
 *
 * Confirmation: TCP, the client's first ACK after its SYN (SYN_RECV ->
 * ESTABLISHED); UDP/SCTP, a second packet from the client on the flow, or
 * (NAT) any reply from the real server. Restored connections (mid-stream
 * packets) do not confirm.
 *
 * Events (pcc_event_ops), for templates that are local (not REPLICATED)
 * only: CONFIRMED when a controlled connection confirms a template not yet
 * announced (first confirmation, or confirmation after a re-point);
 * REFRESHED when the effective expiry moved by more than refresh_pct % of
 * the timeout since the last announcement (checked on every new connection
 * and by the tick, which re-arms busy templates so that they refresh about
 * every refresh_pct % of the timeout); EXPIRED and DELETED for templates
 * that had been announced. Injection never emits an event. A REPLICATED
 * template that a new local connection uses becomes local; if it was
 * confirmed it counts as announced from the expiry the peers sent, so it is
 * refreshed (and its end reported) like one of ours.
 */
#ifndef PCC_CORE_H
#define PCC_CORE_H

#include "pcc_platform.h"
#include <linux/pccvs.h>

union pcc_addr {
	__be32 ip;
	__be32 ip6[4];
	u8 b[16];
};

/* ------------------------------------------------------------------ */
/* Tables                                                              */

struct pcc_table;
struct pcc_tpl_info;

/* Called for template events; from the packet path (softirq) or from
 * pcc_tick()/configuration calls, with core locks held. Must not sleep and
 * must not call back into the core; it should only queue. */
struct pcc_event_ops {
	void (*tpl_event)(void *ctx, enum pccvs_tpl_event ev,
			  const struct pcc_tpl_info *tpl);
};

/*
 * Hash tables are sized here for good (power-of-two buckets, 4..26 bits;
 * raising a limit later with pcc_cfg_set() raises the load factor). Bytes
 * per object: pcc_table_stats() conn_size / tpl_size (120 / 96 on 64-bit),
 * plus 2 bucket pointers per connection slot (forward and NAT reply index)
 * and 1 per template slot. -EINVAL for values out of range.
 */
struct pcc_table_conf {
	u32 conn_max;		/* 0 -> default (1M); at most PCCVS_LIMIT_MAX */
	u32 tpl_max;		/* 0 -> default (1M) */
	u8 conn_hash_bits;	/* 0 -> from conn_max (load factor <= 1) */
	u8 tpl_hash_bits;	/* 0 -> from tpl_max */
	u16 nwheels;		/* expiry wheels, one per CPU (<= 4096); 0 -> 1 */
	const struct pcc_event_ops *ev_ops;
	void *ev_ctx;
};

int pcc_table_create(struct pcc_table **out, const struct pcc_table_conf *conf,
		     u64 now);
/* Flushes everything (emits no events) and frees. */
void pcc_table_destroy(struct pcc_table *t);

/*
 * Advance expiry to "now": expires due connections and templates (emitting
 * EXPIRED), re-arms templates that still control connections, announces
 * refreshes, updates rate estimators every 2 s. Cost is proportional to
 * what is due, never a table scan; at most "budget" objects are handled
 * (0 = no limit), the rest on the next call. Returns the number of objects
 * still due (0 when caught up; when not, an estimate, at least 1).
 * Objects sit on the wheel of the CPU that created them (pcc_cpu_id() %
 * nwheels), so the packet path never takes a shared lock to file one; it
 * never touches a wheel to push an expiry later (the wheel re-files an
 * object that pops early), only when a state change shortens it.
 */
u32 pcc_tick(struct pcc_table *t, u64 now, u32 budget);
#define PCC_TICK_MS 32	/* granularity of the expiry wheels */

/* ------------------------------------------------------------------ */
/* Services and real servers                                           */

struct pcc_svc_key {
	u16 af;			/* AF_INET / AF_INET6 */
	u8 protocol;		/* IPPROTO_*; 0 for fwmark services */
	u16 port;		/* 0 = every port */
	u32 fwmark;		/* non-zero = fwmark service */
	union pcc_addr addr;
};

/*
 * ADD: timeout 0 -> PCCVS_PERSIST_TIMEOUT_DEFAULT; netmask is taken as
 * given (0 is /0: the caller fills the /32 or /128 default). Rules (-EINVAL
 * with err->msg): port 0 only for persistent services; a port group only
 * for persistent, non-fwmark services, 1-15 of [A-Za-z0-9_.-]; a fwmark
 * service has no protocol, address or port. -ENOENT unknown scheduler.
 * SET: the named fields change; sched "" -> "wlc"; timeout must be 1..max;
 * persistence off needs the group cleared in the same call (and is refused
 * for port 0); a group change moves the service to the new domain (the old
 * one, if left empty, goes with its templates).
 */
struct pcc_svc_conf {
	struct pcc_svc_key key;
	char sched[PCCVS_SCHED_NAME_MAX];	/* "" -> "wlc" */
	u32 flags;				/* PCCVS_SVC_F_* */
	u32 timeout;				/* persistence, seconds (the domain's) */
	u8 netmask;				/* prefix length (the domain's) */
	char pgroup[PCCVS_PGROUP_NAME_MAX];	/* "" = none */
};

/* Which fields of a conf a SET call changes (the rest stay). */
#define PCC_SET_SCHED	0x01
#define PCC_SET_FLAGS	0x02
#define PCC_SET_TIMEOUT	0x04
#define PCC_SET_NETMASK	0x08
#define PCC_SET_PGROUP	0x10
#define PCC_SET_FWD	0x01
#define PCC_SET_WEIGHT	0x02
#define PCC_SET_UTHRESH	0x04
#define PCC_SET_LTHRESH	0x08

/*
 * port 0 = the service's port (and for port-0 and fwmark services: keep
 * the packet's port). DR and TUN cannot change the port (-EINVAL). fwd 0 =
 * DR. weight is taken as given (0 = quiescent: keeps its clients and
 * templates, gets no new ones; the caller fills the default 1).
 * Thresholds as IPVS: overloaded (skipped by schedulers) at u_thresh
 * connections, available again below l_thresh, or below 3/4 of u_thresh
 * when l_thresh is 0. A dest is identified by (addr, port).
 */
struct pcc_dest_conf {
	union pcc_addr addr;	/* family = the service's */
	u16 port;
	u8 fwd;			/* enum pccvs_fwd */
	u32 weight;
	u32 u_thresh, l_thresh;
};

struct pcc_stats {
	u64 conns, inpkts, outpkts, inbytes, outbytes;
	u32 cps, inpps, outpps, inbps, outbps;	/* 2 s estimator */
};

struct pcc_svc_info {
	struct pcc_svc_conf conf;
	struct pcc_stats stats;
	u32 tpl_count, dest_count;
};

struct pcc_dest_info {
	struct pcc_dest_conf conf;
	struct pcc_stats stats;
	u32 active, inactive, persist;
};

/*
 * The "why" of a refused configuration call, for extack / CLI messages.
 * Always a string literal (the kernel needs that); NULL when none.
 */
struct pcc_err {
	const char *msg;
};

int pcc_svc_add(struct pcc_table *t, const struct pcc_svc_conf *c,
		struct pcc_err *err);
int pcc_svc_set(struct pcc_table *t, const struct pcc_svc_conf *c, u32 set,
		struct pcc_err *err);
int pcc_svc_del(struct pcc_table *t, const struct pcc_svc_key *k,
		struct pcc_err *err);
void pcc_svc_flush(struct pcc_table *t);
int pcc_svc_get(struct pcc_table *t, const struct pcc_svc_key *k,
		struct pcc_svc_info *out);
u32 pcc_svc_count(struct pcc_table *t);
/* Changes whenever a service is added or deleted (dump consistency). */
u32 pcc_svc_gen(struct pcc_table *t);
/* Fill up to "max" services starting at index *pos; advances *pos.
 * Returns the number filled (0 at the end). */
u32 pcc_svc_list(struct pcc_table *t, u32 *pos, struct pcc_svc_info *out,
		 u32 max);

int pcc_dest_add(struct pcc_table *t, const struct pcc_svc_key *k,
		 const struct pcc_dest_conf *d, struct pcc_err *err);
int pcc_dest_set(struct pcc_table *t, const struct pcc_svc_key *k,
		 const struct pcc_dest_conf *d, u32 set, struct pcc_err *err);
int pcc_dest_del(struct pcc_table *t, const struct pcc_svc_key *k,
		 const union pcc_addr *addr, u16 port, struct pcc_err *err);
/* Same cursor scheme as pcc_svc_list, within one service. */
int pcc_dest_list(struct pcc_table *t, const struct pcc_svc_key *k, u32 *pos,
		  struct pcc_dest_info *out, u32 max);

/* Zero counters of one service (k != NULL) or of all. */
int pcc_zero(struct pcc_table *t, const struct pcc_svc_key *k);

/*
 * Schedulers known to this build ("rr", "wrr", ...), NULL-terminated. They
 * run only to create a template (persistent services) or a connection, and
 * only pick available dests (weight > 0, not overloaded); ties go to the
 * first dest in canonical order (address, then port). rr; wrr (smooth
 * weighted round robin: exact proportions, interleaved); lc (least
 * active*256 + inactive); wlc (that / weight); sed ((active + 1) / weight);
 * nq (an idle dest, the heaviest, else sed); sh (a weighted 1024-slot
 * table); mh (Maglev, 65521 slots). sh and mh depend only on the dest set:
 * fixed hash keys, canonical order, integer arithmetic, so every director
 * computes the same answer, whatever order the dests were added in; they
 * hash the client address (masked by the netmask for persistent services),
 * plus its port with PCCVS_SVC_F_SCHED2; with PCCVS_SVC_F_SCHED1 they fall
 * back to the next available dest of the table instead of failing. mh
 * moves about 1/N of the clients when one of N dests leaves.
 */
const char *const *pcc_sched_names(void);

/* ------------------------------------------------------------------ */
/* Packet decisions                                                    */

#define PCC_TCP_FIN 0x01
#define PCC_TCP_SYN 0x02
#define PCC_TCP_RST 0x04
#define PCC_TCP_ACK 0x10

struct pcc_pkt {
	u16 af;
	u8 protocol;
	u8 tcp_flags;		/* PCC_TCP_*, TCP only */
	u16 sport, dport;
	u32 fwmark;		/* skb->mark */
	u32 len;		/* bytes, for counters */
	union pcc_addr saddr, daddr;
};

enum pcc_action {
	PCC_PASS = 0,		/* not ours: let the stack have it */
	PCC_DROP,		/* ours, but no way to forward it */
	PCC_FORWARD,		/* client -> real server (v.fwd, v.daddr, v.dport) */
	PCC_REPLY,		/* NAT reply: rewrite source to v.vaddr:v.vport */
};

enum pcc_drop_reason {
	PCC_DROP_NONE = 0,
	PCC_DROP_NO_DEST,	/* scheduler found no available server */
	PCC_DROP_NO_TEMPLATE,	/* mid-stream packet, no entry, no template */
	PCC_DROP_CONN_FULL,
	PCC_DROP_TPL_FULL,
};

struct pcc_verdict {
	enum pcc_action action;
	enum pcc_drop_reason reason;
	u8 fwd;			/* enum pccvs_fwd */
	u16 af;
	u16 dport;		/* real server port */
	u16 vport;		/* service port (REPLY) */
	union pcc_addr daddr;	/* real server */
	union pcc_addr vaddr;	/* VIP (REPLY) */
};

/*
 * Client -> VIP direction. A SYN (or the first packet of a UDP flow)
 * schedules, through the template for persistent services. A packet of a
 * known connection follows it and advances its state. A non-SYN packet
 * without an entry is restored through its template (PCCVS_CONN_F_RESTORED,
 * state ESTABLISHED); for an mh service without a template it is scheduled
 * deterministically; otherwise it is dropped (PCC_DROP_NO_TEMPLATE). A SYN
 * that finds a connection in TIME_WAIT/CLOSE (or FIN_WAIT for DR/TUN)
 * replaces it: through the template for persistent services, rescheduled
 * otherwise. Packets for no service: PCC_PASS. A SYN is SYN without ACK or
 * RST; for UDP/SCTP every packet without an entry starts a flow.
 * Counters: conns, inpkts, inbytes (p->len) per service and dest;
 * PCC_DROP_CONN_FULL / TPL_FULL are counted in conn_refused / tpl_refused.
 */
enum pcc_action pcc_decide(struct pcc_table *t, const struct pcc_pkt *p,
			   u64 now, struct pcc_verdict *v);

/*
 * The same decision in two stages, for a glue that sees a packet before
 * its firewall mark is final (the mangle table sets it later) and again
 * after. While the table has a fwmark service, pcc_decide_early() only
 * follows known connections (as pcc_decide()) and returns PCC_PASS for
 * anything that would start, restore or replace one; pcc_decide_late(),
 * given the final mark, decides those as pcc_decide() does. For a packet
 * of a known connection, pcc_decide_late() returns PCC_FORWARD without
 * counting it or advancing its state: the early stage did, and passed the
 * packet on (a real server on this host), or another CPU created the
 * connection in between. Without fwmark services pcc_decide_early() is
 * pcc_decide(), and the late stage is not needed (pcc_has_fwmark()).
 */
enum pcc_action pcc_decide_early(struct pcc_table *t, const struct pcc_pkt *p,
				 u64 now, struct pcc_verdict *v);
enum pcc_action pcc_decide_late(struct pcc_table *t, const struct pcc_pkt *p,
				u64 now, struct pcc_verdict *v);

/*
 * Real server -> client direction, NAT only: p is the packet as it arrives
 * from the real server (saddr = real server, daddr = client). PCC_PASS if
 * it belongs to no NAT connection.
 */
enum pcc_action pcc_decide_reply(struct pcc_table *t, const struct pcc_pkt *p,
				 u64 now, struct pcc_verdict *v);

/*
 * ICMP errors about a packet of a connection (PMTU discovery, unreachable
 * ports): p describes the flow of the packet embedded in the error, seen
 * from the other side (its addresses and ports swapped), so that it reads
 * like a packet of the connection. pcc_decide_related(): an error on its
 * way to the VIP, about a packet the real server sent to the client
 * (DR/TUN: as it left the real server; NAT: after the director rewrote
 * it); p then reads client -> VIP, and PCC_FORWARD names the real server
 * (v.fwd, v.daddr, v.dport) and the service (v.vaddr, v.vport), for the
 * glue to send the error on (DR/TUN) or translate it (NAT). NAT only,
 * pcc_decide_related_reply(): an error on its way to the client, about a
 * packet the director sent to the real server; p reads real server ->
 * client, and PCC_REPLY gives the VIP and port to put back. Neither
 * changes the connection's state or expiry; both count the error as a
 * packet (in, respectively out). PCC_PASS if no connection matches.
 */
enum pcc_action pcc_decide_related(struct pcc_table *t, const struct pcc_pkt *p,
				   u64 now, struct pcc_verdict *v);
enum pcc_action pcc_decide_related_reply(struct pcc_table *t, const struct pcc_pkt *p,
					 u64 now, struct pcc_verdict *v);

/* True if the table has at least one NAT dest (the glue may skip the reply
 * hook otherwise). */
bool pcc_has_nat(struct pcc_table *t);
/* True if the table has at least one fwmark service. */
bool pcc_has_fwmark(struct pcc_table *t);

/* ------------------------------------------------------------------ */
/* Templates: the sync hooks                                           */

/* The portable name of a persistence domain (see the uapi header). */
struct pcc_domain {
	u16 af;
	u8 protocol;
	u8 netmask;		/* filled on output; ignored on input */
	u16 vport;
	u32 fwmark;
	u32 timeout;		/* seconds; filled on output */
	union pcc_addr vaddr;
	char pgroup[PCCVS_PGROUP_NAME_MAX];
};

struct pcc_tpl_info {
	struct pcc_domain dom;
	union pcc_addr caddr;	/* masked client address */
	union pcc_addr daddr;	/* real server */
	u16 dport;
	u16 flags;		/* PCCVS_TPL_F_* */
	u32 nctl;
	u64 remaining_ms;
	u64 stamp;
};

enum pcc_merge {
	PCC_MERGE_CREATED,
	PCC_MERGE_UPDATED,	/* expiry extended, stamp raised or re-pointed */
	PCC_MERGE_UNCHANGED,	/* local copy as new or newer */
};

/*
 * Merge one replicated template (rule in the uapi header). Errors:
 * -ENOENT unknown domain or real server (err->msg says which),
 * -ENOSPC template table full, -EINVAL bad values.
 */
int pcc_tpl_inject(struct pcc_table *t, const struct pcc_tpl_info *in, u64 now,
		   enum pcc_merge *res, struct pcc_err *err);

/* Delete one template (in->dom, in->caddr); if stamp != 0, only when the
 * local stamp is <= stamp. Returns 0 if deleted, -ENOENT if absent,
 * -ESTALE if the local one is newer. Emits DELETED for local templates.
 * Connections it controlled keep their server. pcc_tpl_get() and
 * pcc_tpl_del() mask caddr with the domain's netmask themselves; inject
 * refuses an unmasked one (-EINVAL: the directors' netmasks disagree).
 * Stamps: a local creation or re-point takes ++clock; an injected stamp
 * raises the clock to it (stamps >= 2^62 are refused as -EINVAL). */
int pcc_tpl_del(struct pcc_table *t, const struct pcc_domain *dom,
		const union pcc_addr *caddr, u64 stamp, u64 now);

/* Delete all templates (of one domain when dom != NULL); DELETED events. */
void pcc_tpl_flush(struct pcc_table *t, const struct pcc_domain *dom);

int pcc_tpl_get(struct pcc_table *t, const struct pcc_domain *dom,
		const union pcc_addr *caddr, u64 now, struct pcc_tpl_info *out);

/*
 * Resumable iteration over all templates, bucket by bucket. Start with a
 * zeroed cursor; each call fills up to "max" entries and returns how many
 * (0 = done). Inserts/deletes during the walk may be missed or seen twice;
 * cur->gen changes if the table was flushed, in which case the caller
 * should restart.
 */
struct pcc_tpl_cursor {
	u32 bucket;
	u32 skip;	/* entries already returned from this bucket */
	u32 gen;	/* flush generation at start */
	u32 done;
};
/* max must be > 0. The cursor's gen is set on the first call and changes
 * when a flush happened since. pcc_conn_iter() works the same way. */
#define PCC_ITER_F_LOCAL	PCCVS_DUMP_F_LOCAL
#define PCC_ITER_F_CONFIRMED	PCCVS_DUMP_F_CONFIRMED
u32 pcc_tpl_iter(struct pcc_table *t, struct pcc_tpl_cursor *cur, u32 flags,
		 const struct pcc_domain *dom, u64 now,
		 struct pcc_tpl_info *out, u32 max);
u32 pcc_tpl_gen(struct pcc_table *t);

/* ------------------------------------------------------------------ */
/* Connections                                                         */

struct pcc_conn_info {
	u16 af;
	u8 protocol;
	u8 state;		/* enum pccvs_conn_state */
	u8 fwd;
	u16 cport, vport, dport;
	u32 flags;		/* PCCVS_CONN_F_* */
	u32 fwmark;
	u64 remaining_ms;
	union pcc_addr caddr, vaddr, daddr;
};

struct pcc_conn_cursor {
	u32 bucket;
	u32 skip;
	u32 gen;
	u32 done;
};
u32 pcc_conn_iter(struct pcc_table *t, struct pcc_conn_cursor *cur, u64 now,
		  struct pcc_conn_info *out, u32 max);
/* Delete by (af, protocol, caddr, cport, vaddr, vport); -ENOENT. */
int pcc_conn_del(struct pcc_table *t, const struct pcc_conn_info *key);
void pcc_conn_flush(struct pcc_table *t);

/* ------------------------------------------------------------------ */
/* Timeouts, limits, counters                                          */

struct pcc_cfg {
	u32 tcp_est, tcp_syn_recv, tcp_fin_wait, tcp_time_wait, tcp_close;
	u32 tcp_close_wait, tcp_last_ack, udp;	/* seconds */
	u32 conn_max, tpl_max;
	u32 refresh_pct;
};
void pcc_cfg_get(struct pcc_table *t, struct pcc_cfg *out);
/* Fields left 0 are unchanged. -EINVAL out of range (err->msg), and then
 * nothing changes. Defaults: see the top of this file; limits 1M;
 * refresh_pct 25. Lowering a limit below the count only refuses new
 * entries until the count falls below it. */
int pcc_cfg_set(struct pcc_table *t, const struct pcc_cfg *in,
		struct pcc_err *err);

struct pcc_table_stats {
	u32 conn_count, tpl_count, svc_count;
	u32 conn_buckets, tpl_buckets;
	u32 conn_size, tpl_size;	/* bytes per object */
	u64 conn_refused, tpl_refused;
	u64 restored, no_template_drops;
	u64 tpl_injected, tpl_stale;
};
void pcc_table_stats(struct pcc_table *t, struct pcc_table_stats *out);

#endif /* PCC_CORE_H */
