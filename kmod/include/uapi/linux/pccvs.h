/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * pccvs: generic netlink API of the pccvs.ko forwarding module.
 *
 * This header is the protocol manual. Every command, its attribute tree,
 * whether it dumps, how a dump resumes and which errors it returns are
 * described here. The ABI only grows: commands and attributes are appended,
 * never renumbered; a retired id stays reserved.
 *
 * Conventions
 * -----------
 * - Family PCCVS_GENL_NAME, version PCCVS_GENL_VERSION, no user header.
 * - Every op is strictly validated (unknown attributes, wrong lengths and
 *   nests without NLA_F_NESTED are refused). Errors carry an extended ACK
 *   message; request NETLINK_EXT_ACK to read it.
 * - Every mutating command and the event group need CAP_NET_ADMIN.
 * - All state is per network namespace: a request acts on the namespace of
 *   the socket that sent it.
 * - Addresses are binary, 4 bytes (AF_INET) or 16 bytes (AF_INET6), network
 *   byte order, and must match the AF attribute. Ports are u16 in HOST byte
 *   order. Times are u32 seconds unless the name says _MS (u64 milliseconds).
 *
 * Objects
 * -------
 * service  : (af, protocol, vaddr, vport) or (af, fwmark). vport 0 means
 *            "every port of the VIP" and is only valid for a persistent
 *            service.
 * dest     : a real server of one service: (af, addr, port).
 * domain   : what templates are keyed on. A persistent service without a
 *            port group is its own domain; services of one VIP that name the
 *            same port group share one domain (the group). A domain is named
 *            on the wire by the service attributes AF, PROTOCOL, ADDR, PORT,
 *            FWMARK of any member service, or for a group by
 *            (AF, ADDR, PGROUP) alone.
 * template : (domain, client address masked with the domain's netmask) ->
 *            real server (daddr, dport). See the TPL attributes.
 *
 * Template lifetime
 * -----------------
 * A template is referenced by the connections it controls (NCTL). It never
 * expires while NCTL > 0; it expires TIMEOUT seconds after the last one
 * ended; each new connection refreshes it. REMAINING_MS reports the time
 * left, and while NCTL > 0 at least the full timeout.
 *
 * Template merge rule (TPL_INJECT, used by the sync daemon)
 * ---------------------------------------------------------
 * Each template carries a STAMP: a Lamport-style version of its
 * client -> server assignment, raised whenever a template is created or
 * re-pointed (an injected stamp also raises the namespace's clock). An
 * injected template is compared with the local one of the same key:
 *   - no local template: it is created (origin replicated);
 *   - same real server: the expiry becomes the later of the two, the stamp
 *     the higher, CONFIRMED is or-ed in; nothing ever gets shorter;
 *   - different real server: the higher STAMP wins; equal stamps are broken
 *     by comparing (DADDR, DPORT) bytewise, the higher wins. The loser is
 *     replaced (connections it controls keep their server).
 * So merges are idempotent, commutative and never go backwards. Injection
 * never emits an event (no echo back to the sync path).
 *
 * Events
 * ------
 * Multicast group PCCVS_MCGRP_EVENTS carries PCCVS_CMD_TPL_EVENT messages.
 * Each message is a batch: PCCVS_A_EV_SEQ (u64, +1 per message per
 * namespace, first is 1) and one or more PCCVS_A_TPL nests, each with
 * PCCVS_TPL_A_EVENT. A listener that sees a gap in EV_SEQ, or ENOBUFS on its
 * socket, lost events and must dump (TPL_GET) to resynchronise. Only
 * confirmed, locally originated templates produce CONFIRMED and REFRESHED
 * events (REFRESHED when the expiry moved by more than the refresh threshold
 * since the last announcement, or by more than a second when the last
 * controlled connection ended). EXPIRED and DELETED are sent for locally
 * originated templates that had been announced. Templates whose last change
 * came from TPL_INJECT are never announced until local traffic uses them.
 */
#ifndef _UAPI_LINUX_PCCVS_H
#define _UAPI_LINUX_PCCVS_H

#include <linux/types.h>

#define PCCVS_GENL_NAME		"pccvs"
#define PCCVS_GENL_VERSION	1
#define PCCVS_MCGRP_EVENTS	"events"

#define PCCVS_SCHED_NAME_MAX	16	/* including the NUL */
#define PCCVS_PGROUP_NAME_MAX	16	/* including the NUL */

#define PCCVS_PERSIST_TIMEOUT_DEFAULT	300		/* seconds */
#define PCCVS_PERSIST_TIMEOUT_MAX	(31 * 86400)	/* seconds */
#define PCCVS_WEIGHT_MAX		65535
#define PCCVS_THRESH_MAX		65535

/* Service flags (PCCVS_SVC_A_FLAGS). Values follow IPVS where they exist. */
#define PCCVS_SVC_F_PERSISTENT	0x0001	/* client -> server templates */
#define PCCVS_SVC_F_SCHED1	0x0008	/* sh/mh: fallback to the next server */
#define PCCVS_SVC_F_SCHED2	0x0010	/* sh/mh: hash the source port too */
#define PCCVS_SVC_F_SCHED3	0x0020	/* reserved for schedulers */
#define PCCVS_SVC_F_ALL		(PCCVS_SVC_F_PERSISTENT | PCCVS_SVC_F_SCHED1 | \
				 PCCVS_SVC_F_SCHED2 | PCCVS_SVC_F_SCHED3)

/* Forwarding methods (PCCVS_DEST_A_FWD). */
enum pccvs_fwd {
	PCCVS_FWD_DR = 1,	/* direct routing: keep the VIP, rewrite L2 */
	PCCVS_FWD_TUN = 2,	/* IPIP (IPv4) / IPv6-in-IPv6 tunnel */
	PCCVS_FWD_NAT = 3,	/* rewrite destination, un-rewrite replies */
	__PCCVS_FWD_MAX
};
#define PCCVS_FWD_MAX (__PCCVS_FWD_MAX - 1)

/* Template flags (PCCVS_TPL_A_FLAGS). */
#define PCCVS_TPL_F_CONFIRMED	0x0001	/* a controlled flow completed its handshake */
#define PCCVS_TPL_F_REPLICATED	0x0002	/* last change came from TPL_INJECT */
#define PCCVS_TPL_F_ALL		(PCCVS_TPL_F_CONFIRMED | PCCVS_TPL_F_REPLICATED)

/* Template event types (PCCVS_TPL_A_EVENT). */
enum pccvs_tpl_event {
	PCCVS_TPL_EV_CONFIRMED = 1,	/* newly confirmed (or re-pointed and confirmed) */
	PCCVS_TPL_EV_REFRESHED = 2,	/* expiry moved past the refresh threshold */
	PCCVS_TPL_EV_EXPIRED = 3,	/* lifetime ended */
	PCCVS_TPL_EV_DELETED = 4,	/* removed: TPL_DEL, flush, dest/service removal */
	__PCCVS_TPL_EV_MAX
};

/* Connection states (PCCVS_CONN_A_STATE). */
enum pccvs_conn_state {
	PCCVS_CS_NONE = 0,
	PCCVS_CS_SYN_RECV,	/* client SYN seen */
	PCCVS_CS_ESTABLISHED,	/* client ACK after SYN, or restored mid-stream */
	PCCVS_CS_FIN_WAIT,	/* a FIN seen */
	PCCVS_CS_CLOSE_WAIT,	/* server FIN first (NAT only) */
	PCCVS_CS_LAST_ACK,	/* both FINs, last ACK pending (NAT only) */
	PCCVS_CS_TIME_WAIT,	/* both sides closed */
	PCCVS_CS_CLOSE,		/* RST seen */
	PCCVS_CS_UDP,		/* UDP flow */
	__PCCVS_CS_MAX
};

/* Connection flags (PCCVS_CONN_A_FLAGS). */
#define PCCVS_CONN_F_TEMPLATE	0x0001	/* controlled by a template */
#define PCCVS_CONN_F_RESTORED	0x0002	/* created from a mid-stream packet */
#define PCCVS_CONN_F_CONFIRMED	0x0004	/* handshake seen (TCP) / rule met (UDP) */

/* Dump filter flags (PCCVS_A_DUMP_FLAGS on TPL_GET). */
#define PCCVS_DUMP_F_LOCAL	0x0001	/* only templates not marked REPLICATED */
#define PCCVS_DUMP_F_CONFIRMED	0x0002	/* only confirmed templates */
#define PCCVS_DUMP_F_ALL	(PCCVS_DUMP_F_LOCAL | PCCVS_DUMP_F_CONFIRMED)

/*
 * Commands. "doit" answers one request; "dump" needs NLM_F_DUMP. Every
 * mutating command needs CAP_NET_ADMIN (EPERM otherwise).
 *
 * PCCVS_CMD_SVC_NEW (doit)  PCCVS_A_SVC { identity, SCHED?, FLAGS?, TIMEOUT?,
 *                           NETMASK?, PGROUP? }
 *	Add a service. Defaults: SCHED "wlc", FLAGS 0, TIMEOUT 300 when
 *	PERSISTENT, NETMASK /32 or /128, no group.
 *	EEXIST already there; EINVAL bad combination (extack says which);
 *	ENOENT unknown scheduler; ENOSPC too many services.
 * PCCVS_CMD_SVC_SET (doit)  same attributes; absent ones keep their value.
 *	ENOENT no such service.
 * PCCVS_CMD_SVC_DEL (doit)  PCCVS_A_SVC { identity }. Deletes its dests,
 *	connections and (unless the group still has members) its templates.
 * PCCVS_CMD_SVC_GET (doit with identity, or dump) -> PCCVS_A_SVC { all,
 *	STATS, TPL_COUNT, DEST_COUNT }. Dump cursor: service index; the dump is
 *	interrupted (NLM_F_DUMP_INTR) if the service list changed.
 *
 * PCCVS_CMD_DEST_NEW (doit) PCCVS_A_SVC { identity } PCCVS_A_DEST { ADDR,
 *	PORT, FWD?, WEIGHT?, U_THRESH?, L_THRESH? }. Defaults: FWD DR,
 *	WEIGHT 1, thresholds 0 (none). PORT 0 means "the service port".
 *	A dest's AF is the service's AF. EEXIST, ENOENT (service).
 * PCCVS_CMD_DEST_SET (doit) same; absent attributes keep their value.
 * PCCVS_CMD_DEST_DEL (doit) PCCVS_A_SVC { identity } PCCVS_A_DEST { ADDR,
 *	PORT }. Its connections and templates are removed (DELETED events).
 * PCCVS_CMD_DEST_GET (dump) PCCVS_A_SVC { identity } -> one message per
 *	dest: PCCVS_A_SVC { identity } PCCVS_A_DEST { all, ACTIVE, INACTIVE,
 *	PERSIST, STATS }.
 *
 * PCCVS_CMD_TPL_INJECT (doit) PCCVS_A_TPL+ (1..many) { domain, CADDR,
 *	DADDR, DPORT, REMAINING_MS, STAMP?, FLAGS? }
 *	Merge each template (rule above). Per-template problems (unknown
 *	domain or dest, table full) are counted, not fatal. The reply is a
 *	PCCVS_CMD_TPL_INJECT message with PCCVS_A_RESULT { APPLIED, UNCHANGED,
 *	REFUSED }. A malformed attribute fails the whole request (EINVAL).
 * PCCVS_CMD_TPL_DEL (doit)  PCCVS_A_TPL+ { domain, CADDR, STAMP? }
 *	Delete; with STAMP only if the local stamp is not newer. Reply as for
 *	inject (APPLIED = deleted). Emits DELETED for local templates.
 * PCCVS_CMD_TPL_GET (dump)  optional PCCVS_A_DUMP_FLAGS, optional
 *	PCCVS_A_SVC { identity } to restrict to one domain
 *	-> messages with PCCVS_A_TPL { all attributes }, several per message.
 *	Cursor: hash bucket. Concurrent inserts/deletes may be missed or seen
 *	twice (events cover them); the dump is interrupted only if the table
 *	was flushed during it.
 * PCCVS_CMD_TPL_FLUSH (doit) optional PCCVS_A_SVC { identity }.
 *
 * PCCVS_CMD_CONN_GET (dump) -> PCCVS_A_CONN { all }, several per message.
 * PCCVS_CMD_CONN_DEL (doit) PCCVS_A_CONN { PROTOCOL, AF, CADDR, CPORT,
 *	VADDR, VPORT }. ENOENT when absent. Templates stay.
 * PCCVS_CMD_CONN_FLUSH (doit) all connections. Templates stay.
 *
 * PCCVS_CMD_INFO_GET (doit) -> PCCVS_A_INFO { ... } (sizes, counts, counters)
 * PCCVS_CMD_CFG_SET (doit)  PCCVS_A_CFG { any subset }; 0 is refused
 *	(use CFG_GET first). Lowering a MAX below the current count is allowed:
 *	new entries are refused until the count falls below it.
 * PCCVS_CMD_CFG_GET (doit)  -> PCCVS_A_CFG { all }
 * PCCVS_CMD_ZERO (doit)     optional PCCVS_A_SVC { identity }: zero counters.
 * PCCVS_CMD_FLUSH (doit)    delete every service (and so every dest,
 *	connection and template) of the namespace.
 * PCCVS_CMD_TPL_EVENT       multicast only (see Events).
 */
enum pccvs_cmd {
	PCCVS_CMD_UNSPEC,
	PCCVS_CMD_SVC_NEW,
	PCCVS_CMD_SVC_SET,
	PCCVS_CMD_SVC_DEL,
	PCCVS_CMD_SVC_GET,
	PCCVS_CMD_DEST_NEW,
	PCCVS_CMD_DEST_SET,
	PCCVS_CMD_DEST_DEL,
	PCCVS_CMD_DEST_GET,
	PCCVS_CMD_TPL_INJECT,
	PCCVS_CMD_TPL_DEL,
	PCCVS_CMD_TPL_GET,
	PCCVS_CMD_TPL_FLUSH,
	PCCVS_CMD_CONN_GET,
	PCCVS_CMD_CONN_DEL,
	PCCVS_CMD_CONN_FLUSH,
	PCCVS_CMD_INFO_GET,
	PCCVS_CMD_CFG_SET,
	PCCVS_CMD_CFG_GET,
	PCCVS_CMD_ZERO,
	PCCVS_CMD_FLUSH,
	PCCVS_CMD_TPL_EVENT,
	__PCCVS_CMD_MAX
};
#define PCCVS_CMD_MAX (__PCCVS_CMD_MAX - 1)

/*
 * Top level:
 *
 *	PCCVS_A_SVC		nest	pccvs_svc_attr
 *	PCCVS_A_DEST		nest	pccvs_dest_attr
 *	PCCVS_A_TPL		nest	pccvs_tpl_attr (may repeat)
 *	PCCVS_A_CONN		nest	pccvs_conn_attr (may repeat)
 *	PCCVS_A_CFG		nest	pccvs_cfg_attr
 *	PCCVS_A_INFO		nest	pccvs_info_attr
 *	PCCVS_A_EV_SEQ		u64	event batch sequence
 *	PCCVS_A_DUMP_FLAGS	u32	PCCVS_DUMP_F_*
 *	PCCVS_A_RESULT		nest	pccvs_result_attr
 *	PCCVS_A_PAD		(padding for u64)
 */
enum pccvs_attr {
	PCCVS_A_UNSPEC,
	PCCVS_A_SVC,
	PCCVS_A_DEST,
	PCCVS_A_TPL,
	PCCVS_A_CONN,
	PCCVS_A_CFG,
	PCCVS_A_INFO,
	PCCVS_A_EV_SEQ,
	PCCVS_A_DUMP_FLAGS,
	PCCVS_A_RESULT,
	PCCVS_A_PAD,
	__PCCVS_A_MAX
};
#define PCCVS_A_MAX (__PCCVS_A_MAX - 1)

/*
 * PCCVS_A_SVC:
 *
 *	AF		u16	AF_INET or AF_INET6 (required)
 *	PROTOCOL	u8	IPPROTO_TCP, IPPROTO_UDP, IPPROTO_SCTP
 *	ADDR		binary	VIP
 *	PORT		u16	0 = every port (persistent services only)
 *	FWMARK		u32	non-zero: a firewall-mark service; then
 *				PROTOCOL, ADDR and PORT must be absent
 *	SCHED		string	rr wrr lc wlc sed nq sh mh
 *	FLAGS		u32	PCCVS_SVC_F_*
 *	TIMEOUT		u32	persistence timeout, 1..PCCVS_PERSIST_TIMEOUT_MAX
 *	NETMASK		u8	persistence prefix length (0..32 / 0..128)
 *	PGROUP		string	port group name, 1..15 chars [A-Za-z0-9_.-];
 *				persistent services only; "" on SET removes it
 *	STATS		nest	pccvs_stats_attr (get only)
 *	TPL_COUNT	u32	templates of its domain (get only)
 *	DEST_COUNT	u32	(get only)
 *
 * Identity: AF + FWMARK, or AF + PROTOCOL + ADDR + PORT.
 */
enum pccvs_svc_attr {
	PCCVS_SVC_A_UNSPEC,
	PCCVS_SVC_A_AF,
	PCCVS_SVC_A_PROTOCOL,
	PCCVS_SVC_A_ADDR,
	PCCVS_SVC_A_PORT,
	PCCVS_SVC_A_FWMARK,
	PCCVS_SVC_A_SCHED,
	PCCVS_SVC_A_FLAGS,
	PCCVS_SVC_A_TIMEOUT,
	PCCVS_SVC_A_NETMASK,
	PCCVS_SVC_A_PGROUP,
	PCCVS_SVC_A_STATS,
	PCCVS_SVC_A_TPL_COUNT,
	PCCVS_SVC_A_DEST_COUNT,
	__PCCVS_SVC_A_MAX
};
#define PCCVS_SVC_A_MAX (__PCCVS_SVC_A_MAX - 1)

/*
 * PCCVS_A_DEST:
 *
 *	ADDR		binary	real server address (family of the service)
 *	PORT		u16	0 on NEW = the service's port
 *	FWD		u8	enum pccvs_fwd
 *	WEIGHT		u32	0..PCCVS_WEIGHT_MAX; 0 = quiescent
 *	U_THRESH	u32	0..PCCVS_THRESH_MAX; 0 = no limit
 *	L_THRESH	u32	0..PCCVS_THRESH_MAX
 *	ACTIVE		u32	established connections (get only)
 *	INACTIVE	u32	other connections (get only)
 *	PERSIST		u32	templates pointing at it (get only)
 *	STATS		nest	pccvs_stats_attr (get only)
 */
enum pccvs_dest_attr {
	PCCVS_DEST_A_UNSPEC,
	PCCVS_DEST_A_ADDR,
	PCCVS_DEST_A_PORT,
	PCCVS_DEST_A_FWD,
	PCCVS_DEST_A_WEIGHT,
	PCCVS_DEST_A_U_THRESH,
	PCCVS_DEST_A_L_THRESH,
	PCCVS_DEST_A_ACTIVE,
	PCCVS_DEST_A_INACTIVE,
	PCCVS_DEST_A_PERSIST,
	PCCVS_DEST_A_STATS,
	__PCCVS_DEST_A_MAX
};
#define PCCVS_DEST_A_MAX (__PCCVS_DEST_A_MAX - 1)

/*
 * PCCVS_A_TPL:
 *
 *	domain:	AF, PROTOCOL, VADDR, VPORT, FWMARK, PGROUP (see "domain" above:
 *		AF + FWMARK, or AF + PROTOCOL + VADDR + VPORT of a member
 *		service, or AF + VADDR + PGROUP)
 *	CADDR		binary	client address, masked with the domain netmask
 *	DADDR		binary	real server address
 *	DPORT		u16	real server port
 *	REMAINING_MS	u64	lifetime left, 1..PCCVS_PERSIST_TIMEOUT_MAX*1000
 *	STAMP		u64	assignment version (merge rule)
 *	FLAGS		u32	PCCVS_TPL_F_*
 *	NCTL		u32	controlled connections (get, events)
 *	TIMEOUT		u32	domain persistence timeout, seconds (get, events)
 *	EVENT		u8	enum pccvs_tpl_event (events only)
 *	NETMASK		u8	domain prefix length (get, events)
 */
enum pccvs_tpl_attr {
	PCCVS_TPL_A_UNSPEC,
	PCCVS_TPL_A_AF,
	PCCVS_TPL_A_PROTOCOL,
	PCCVS_TPL_A_VADDR,
	PCCVS_TPL_A_VPORT,
	PCCVS_TPL_A_FWMARK,
	PCCVS_TPL_A_PGROUP,
	PCCVS_TPL_A_CADDR,
	PCCVS_TPL_A_DADDR,
	PCCVS_TPL_A_DPORT,
	PCCVS_TPL_A_REMAINING_MS,
	PCCVS_TPL_A_STAMP,
	PCCVS_TPL_A_FLAGS,
	PCCVS_TPL_A_NCTL,
	PCCVS_TPL_A_TIMEOUT,
	PCCVS_TPL_A_EVENT,
	PCCVS_TPL_A_NETMASK,
	PCCVS_TPL_A_PAD,
	__PCCVS_TPL_A_MAX
};
#define PCCVS_TPL_A_MAX (__PCCVS_TPL_A_MAX - 1)

/*
 * PCCVS_A_CONN:
 *
 *	AF u16, PROTOCOL u8, CADDR/VADDR/DADDR binary, CPORT/VPORT/DPORT u16,
 *	STATE u8 (enum pccvs_conn_state), FWD u8, FLAGS u32 (PCCVS_CONN_F_*),
 *	REMAINING_MS u64, FWMARK u32 (service fwmark, 0 if none)
 */
enum pccvs_conn_attr {
	PCCVS_CONN_A_UNSPEC,
	PCCVS_CONN_A_AF,
	PCCVS_CONN_A_PROTOCOL,
	PCCVS_CONN_A_CADDR,
	PCCVS_CONN_A_CPORT,
	PCCVS_CONN_A_VADDR,
	PCCVS_CONN_A_VPORT,
	PCCVS_CONN_A_DADDR,
	PCCVS_CONN_A_DPORT,
	PCCVS_CONN_A_STATE,
	PCCVS_CONN_A_FWD,
	PCCVS_CONN_A_FLAGS,
	PCCVS_CONN_A_REMAINING_MS,
	PCCVS_CONN_A_FWMARK,
	PCCVS_CONN_A_PAD,
	__PCCVS_CONN_A_MAX
};
#define PCCVS_CONN_A_MAX (__PCCVS_CONN_A_MAX - 1)

/*
 * PCCVS_A_CFG (timeouts in seconds, 1..PCCVS_PERSIST_TIMEOUT_MAX; limits
 * 1..PCCVS_LIMIT_MAX; REFRESH_PCT 1..100):
 *
 *	TCP_EST TCP_SYN_RECV TCP_FIN_WAIT TCP_TIME_WAIT TCP_CLOSE
 *	TCP_CLOSE_WAIT TCP_LAST_ACK UDP	u32	connection timeouts
 *	CONN_MAX TPL_MAX		u32	table limits
 *	REFRESH_PCT			u32	announce a refresh when the expiry
 *					moved by more than this share of
 *					the persistence timeout
 */
#define PCCVS_LIMIT_MAX (1U << 26)
enum pccvs_cfg_attr {
	PCCVS_CFG_A_UNSPEC,
	PCCVS_CFG_A_TCP_EST,
	PCCVS_CFG_A_TCP_SYN_RECV,
	PCCVS_CFG_A_TCP_FIN_WAIT,
	PCCVS_CFG_A_TCP_TIME_WAIT,
	PCCVS_CFG_A_TCP_CLOSE,
	PCCVS_CFG_A_TCP_CLOSE_WAIT,
	PCCVS_CFG_A_TCP_LAST_ACK,
	PCCVS_CFG_A_UDP,
	PCCVS_CFG_A_CONN_MAX,
	PCCVS_CFG_A_TPL_MAX,
	PCCVS_CFG_A_REFRESH_PCT,
	__PCCVS_CFG_A_MAX
};
#define PCCVS_CFG_A_MAX (__PCCVS_CFG_A_MAX - 1)

/*
 * PCCVS_A_INFO (all get only):
 *
 *	VERSION		string	module version
 *	CONN_COUNT TPL_COUNT SVC_COUNT		u32
 *	CONN_BUCKETS TPL_BUCKETS		u32	hash table sizes
 *	CONN_SIZE TPL_SIZE			u32	bytes per object (slab)
 *	CONN_REFUSED TPL_REFUSED		u64	table-full refusals
 *	RESTORED				u64	connections restored from a
 *							template (mid-stream packet)
 *	NO_TEMPLATE_DROPS			u64	mid-stream packets dropped
 *							for want of a template
 *	EV_SEQ EV_LOST				u64	last event batch, events lost
 *							(allocation failures)
 *	TPL_INJECTED TPL_STALE			u64	inject applied / ignored
 */
enum pccvs_info_attr {
	PCCVS_INFO_A_UNSPEC,
	PCCVS_INFO_A_VERSION,
	PCCVS_INFO_A_CONN_COUNT,
	PCCVS_INFO_A_TPL_COUNT,
	PCCVS_INFO_A_SVC_COUNT,
	PCCVS_INFO_A_CONN_BUCKETS,
	PCCVS_INFO_A_TPL_BUCKETS,
	PCCVS_INFO_A_CONN_SIZE,
	PCCVS_INFO_A_TPL_SIZE,
	PCCVS_INFO_A_CONN_REFUSED,
	PCCVS_INFO_A_TPL_REFUSED,
	PCCVS_INFO_A_RESTORED,
	PCCVS_INFO_A_NO_TEMPLATE_DROPS,
	PCCVS_INFO_A_EV_SEQ,
	PCCVS_INFO_A_EV_LOST,
	PCCVS_INFO_A_TPL_INJECTED,
	PCCVS_INFO_A_TPL_STALE,
	PCCVS_INFO_A_PAD,
	__PCCVS_INFO_A_MAX
};
#define PCCVS_INFO_A_MAX (__PCCVS_INFO_A_MAX - 1)

/*
 * Counters (PCCVS_SVC_A_STATS, PCCVS_DEST_A_STATS), u64 totals and u32
 * rates (per second, estimated over a 2 s window):
 *	CONNS INPKTS OUTPKTS INBYTES OUTBYTES; CPS INPPS OUTPPS INBPS OUTBPS
 * OUT* count NAT replies (the only replies the director sees).
 */
enum pccvs_stats_attr {
	PCCVS_STATS_A_UNSPEC,
	PCCVS_STATS_A_CONNS,
	PCCVS_STATS_A_INPKTS,
	PCCVS_STATS_A_OUTPKTS,
	PCCVS_STATS_A_INBYTES,
	PCCVS_STATS_A_OUTBYTES,
	PCCVS_STATS_A_CPS,
	PCCVS_STATS_A_INPPS,
	PCCVS_STATS_A_OUTPPS,
	PCCVS_STATS_A_INBPS,
	PCCVS_STATS_A_OUTBPS,
	PCCVS_STATS_A_PAD,
	__PCCVS_STATS_A_MAX
};
#define PCCVS_STATS_A_MAX (__PCCVS_STATS_A_MAX - 1)

/* PCCVS_A_RESULT (TPL_INJECT and TPL_DEL replies): u32 each. */
enum pccvs_result_attr {
	PCCVS_RESULT_A_UNSPEC,
	PCCVS_RESULT_A_APPLIED,		/* created, changed or deleted */
	PCCVS_RESULT_A_UNCHANGED,	/* local copy as new or newer */
	PCCVS_RESULT_A_REFUSED,		/* unknown domain/dest, table full */
	__PCCVS_RESULT_A_MAX
};
#define PCCVS_RESULT_A_MAX (__PCCVS_RESULT_A_MAX - 1)

#endif /* _UAPI_LINUX_PCCVS_H */
