/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libpccvs: the user-space client of the pccvs.ko generic netlink API,
 * shared by pccvsadm and pccvs-syncd. It hides libnl: callers see plain
 * structs, -errno returns and the kernel's own extack text.
 *
 * One handle per purpose: a command handle (requests, dumps) and an event
 * handle (the template event group). The family is resolved once, at open.
 * Dumps interrupted by a concurrent change (NLM_F_DUMP_INTR) are retried
 * from the start, a few times, before -EAGAIN is returned; callbacks must
 * therefore tolerate seeing an entry again after a restart (the *_dump
 * functions call "restart" before each retry when it is non-NULL).
 */
#ifndef PCCVS_LIB_H
#define PCCVS_LIB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>
#include <linux/pccvs.h>

struct pccvs_err {
	int code;		/* -errno, 0 if none */
	char msg[256];		/* kernel extack text, or ours; "" if none */
};

struct pccvs_addr {
	uint16_t af;		/* AF_INET, AF_INET6; 0 = unset */
	union {
		struct in_addr v4;
		struct in6_addr v6;
		uint8_t b[16];
	};
};

struct pccvs_stats {
	uint64_t conns, inpkts, outpkts, inbytes, outbytes;
	uint32_t cps, inpps, outpps, inbps, outbps;
};

/* Service identity: (af, protocol, addr, port) or (af, fwmark). */
struct pccvs_svc {
	uint16_t af;
	uint8_t protocol;	/* IPPROTO_TCP/UDP/SCTP; 0 with fwmark */
	uint16_t port;
	uint32_t fwmark;
	struct pccvs_addr addr;
	char sched[PCCVS_SCHED_NAME_MAX];
	uint32_t flags;		/* PCCVS_SVC_F_* */
	uint32_t timeout;	/* persistence, seconds */
	uint8_t netmask;	/* prefix length */
	char pgroup[PCCVS_PGROUP_NAME_MAX];
	/* get only */
	struct pccvs_stats stats;
	uint32_t tpl_count, dest_count;
};

/* Field masks for *_set: which fields to send (others keep their value). */
#define PCCVS_SVC_SET_SCHED	0x01
#define PCCVS_SVC_SET_FLAGS	0x02
#define PCCVS_SVC_SET_TIMEOUT	0x04
#define PCCVS_SVC_SET_NETMASK	0x08
#define PCCVS_SVC_SET_PGROUP	0x10
#define PCCVS_SVC_SET_ALL	0x1f

struct pccvs_dest {
	struct pccvs_addr addr;
	uint16_t port;
	uint8_t fwd;		/* enum pccvs_fwd */
	uint32_t weight;
	uint32_t u_thresh, l_thresh;
	/* get only */
	uint32_t active, inactive, persist;
	struct pccvs_stats stats;
};

#define PCCVS_DEST_SET_FWD	0x01
#define PCCVS_DEST_SET_WEIGHT	0x02
#define PCCVS_DEST_SET_UTHRESH	0x04
#define PCCVS_DEST_SET_LTHRESH	0x08
#define PCCVS_DEST_SET_ALL	0x0f

/* A template, as dumped, injected, deleted or announced. The domain is
 * named by af + (fwmark | protocol, vaddr, vport | vaddr, pgroup). */
struct pccvs_tpl {
	uint16_t af;
	uint8_t protocol;
	uint16_t vport;
	uint32_t fwmark;
	struct pccvs_addr vaddr;
	char pgroup[PCCVS_PGROUP_NAME_MAX];
	struct pccvs_addr caddr;
	struct pccvs_addr daddr;
	uint16_t dport;
	uint32_t flags;		/* PCCVS_TPL_F_* */
	uint64_t remaining_ms;
	uint64_t stamp;
	/* get / events only */
	uint32_t nctl;
	uint32_t timeout;
	uint8_t netmask;
	uint8_t event;		/* enum pccvs_tpl_event, events only */
};

struct pccvs_conn {
	uint16_t af;
	uint8_t protocol;
	uint8_t state;		/* enum pccvs_conn_state */
	uint8_t fwd;
	uint16_t cport, vport, dport;
	uint32_t flags;		/* PCCVS_CONN_F_* */
	uint32_t fwmark;
	uint64_t remaining_ms;
	struct pccvs_addr caddr, vaddr, daddr;
};

struct pccvs_cfg {
	uint32_t tcp_est, tcp_syn_recv, tcp_fin_wait, tcp_time_wait;
	uint32_t tcp_close, tcp_close_wait, tcp_last_ack, udp;
	uint32_t conn_max, tpl_max, refresh_pct;	/* 0 = leave unchanged on set */
};

struct pccvs_info {
	char version[32];
	uint32_t conn_count, tpl_count, svc_count;
	uint32_t conn_buckets, tpl_buckets, conn_size, tpl_size;
	uint64_t conn_refused, tpl_refused, restored, no_template_drops;
	uint64_t ev_seq, ev_lost, tpl_injected, tpl_stale;
};

struct pccvs_result {
	uint32_t applied, unchanged, refused;
};

/* ------------------------------------------------------------------ */
/* Command handle                                                      */

struct pccvs_nl;

/* -ENOENT (with a message saying the module is not loaded) if the family
 * is absent. */
int pccvs_nl_open(struct pccvs_nl **out, struct pccvs_err *e);
void pccvs_nl_close(struct pccvs_nl *nl);

/* Fields left 0/"" take the kernel's defaults (sched wlc, timeout 300 when
 * persistent, netmask the whole address, no group); a netmask of 0 can only
 * be set with pccvs_svc_set(). */
int pccvs_svc_new(struct pccvs_nl *nl, const struct pccvs_svc *s,
		  struct pccvs_err *e);
int pccvs_svc_set(struct pccvs_nl *nl, const struct pccvs_svc *s, uint32_t mask,
		  struct pccvs_err *e);
int pccvs_svc_del(struct pccvs_nl *nl, const struct pccvs_svc *key,
		  struct pccvs_err *e);
int pccvs_svc_get(struct pccvs_nl *nl, const struct pccvs_svc *key,
		  struct pccvs_svc *out, struct pccvs_err *e);
/* cb returns 0 to go on, non-zero to stop (that value is returned). */
typedef int (*pccvs_svc_cb)(const struct pccvs_svc *s, void *arg);
int pccvs_svc_dump(struct pccvs_nl *nl, pccvs_svc_cb cb, void *arg,
		   void (*restart)(void *arg), struct pccvs_err *e);

/* Sends weight and thresholds as given (weight 0 = quiescent); fwd 0 = DR. */
int pccvs_dest_new(struct pccvs_nl *nl, const struct pccvs_svc *key,
		   const struct pccvs_dest *d, struct pccvs_err *e);
int pccvs_dest_set(struct pccvs_nl *nl, const struct pccvs_svc *key,
		   const struct pccvs_dest *d, uint32_t mask, struct pccvs_err *e);
int pccvs_dest_del(struct pccvs_nl *nl, const struct pccvs_svc *key,
		   const struct pccvs_dest *d, struct pccvs_err *e);
typedef int (*pccvs_dest_cb)(const struct pccvs_dest *d, void *arg);
int pccvs_dest_dump(struct pccvs_nl *nl, const struct pccvs_svc *key,
		    pccvs_dest_cb cb, void *arg, void (*restart)(void *arg),
		    struct pccvs_err *e);

/* Any number of templates; split into messages as needed, results summed.
 * Every template is checked before anything is sent; on a failure the
 * earlier messages stay applied (r counts them). For pccvs_tpl_del:
 * applied = deleted, unchanged = the local one is newer (stamp), refused =
 * no such template or domain. */
int pccvs_tpl_inject(struct pccvs_nl *nl, const struct pccvs_tpl *v, size_t n,
		     struct pccvs_result *r, struct pccvs_err *e);
int pccvs_tpl_del(struct pccvs_nl *nl, const struct pccvs_tpl *v, size_t n,
		  struct pccvs_result *r, struct pccvs_err *e);
typedef int (*pccvs_tpl_cb)(const struct pccvs_tpl *t, void *arg);
/* flags: PCCVS_DUMP_F_*; filter: NULL or a service naming one domain (a
 * port group's: af, addr and pgroup with protocol 0). */
int pccvs_tpl_dump(struct pccvs_nl *nl, uint32_t flags,
		   const struct pccvs_svc *filter, pccvs_tpl_cb cb, void *arg,
		   void (*restart)(void *arg), struct pccvs_err *e);
int pccvs_tpl_flush(struct pccvs_nl *nl, const struct pccvs_svc *filter,
		    struct pccvs_err *e);

typedef int (*pccvs_conn_cb)(const struct pccvs_conn *c, void *arg);
int pccvs_conn_dump(struct pccvs_nl *nl, pccvs_conn_cb cb, void *arg,
		    void (*restart)(void *arg), struct pccvs_err *e);
int pccvs_conn_del(struct pccvs_nl *nl, const struct pccvs_conn *c,
		   struct pccvs_err *e);
int pccvs_conn_flush(struct pccvs_nl *nl, struct pccvs_err *e);

int pccvs_info_get(struct pccvs_nl *nl, struct pccvs_info *out,
		   struct pccvs_err *e);
int pccvs_cfg_get(struct pccvs_nl *nl, struct pccvs_cfg *out,
		  struct pccvs_err *e);
int pccvs_cfg_set(struct pccvs_nl *nl, const struct pccvs_cfg *in,
		  struct pccvs_err *e);
int pccvs_zero(struct pccvs_nl *nl, const struct pccvs_svc *key_or_null,
	       struct pccvs_err *e);
int pccvs_flush(struct pccvs_nl *nl, struct pccvs_err *e);

/* ------------------------------------------------------------------ */
/* Event handle (template events)                                      */

struct pccvs_ev;

/* rcvbuf: socket receive buffer in bytes (0 = 4 MiB). Needs CAP_NET_ADMIN
 * (-EPERM). The socket is non-blocking; poll pccvs_ev_fd() for POLLIN. */
int pccvs_ev_open(struct pccvs_ev **out, size_t rcvbuf, struct pccvs_err *e);
int pccvs_ev_fd(const struct pccvs_ev *ev);
/*
 * Drain what is readable, calling cb for each template event (t->event
 * set). Returns the number of events delivered, or
 *   -ENOBUFS  the socket overran: events were lost, resynchronise;
 *   -EPIPE    a gap in the batch sequence: events were lost, resynchronise;
 *   other -errno on socket failure (-ENOENT: the module went away).
 * Reading continues to work after -ENOBUFS/-EPIPE. A non-zero return from
 * cb stops the read and is returned; the rest of that batch is dropped and
 * the next read reports -EPIPE.
 */
int pccvs_ev_read(struct pccvs_ev *ev, pccvs_tpl_cb cb, void *arg,
		  struct pccvs_err *e);
uint64_t pccvs_ev_last_seq(const struct pccvs_ev *ev);
void pccvs_ev_close(struct pccvs_ev *ev);

/* ------------------------------------------------------------------ */
/* Small helpers shared by the tools                                   */

/* "192.0.2.1", "2001:db8::1" -> addr. -EINVAL if not a numeric address. */
int pccvs_addr_parse(const char *s, struct pccvs_addr *out);
/* Numeric text form; buf of at least INET6_ADDRSTRLEN. */
const char *pccvs_addr_str(const struct pccvs_addr *a, char *buf, size_t len);
bool pccvs_addr_eq(const struct pccvs_addr *a, const struct pccvs_addr *b);
const char *pccvs_fwd_name(uint8_t fwd);	/* "Route" "Tunnel" "Masq" */
const char *pccvs_conn_state_name(uint8_t state);
const char *pccvs_tpl_event_name(uint8_t ev);

void pccvs_err_set(struct pccvs_err *e, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif /* PCCVS_LIB_H */
