/* SPDX-License-Identifier: GPL-2.0 */
/*
 * edit.h: the edit model of pccvsadm. A configuration command (from the
 * command line or one line of -R input) becomes one struct adm_edit: an
 * operation, a service, a real server, the fields to set (masks) and flags.
 * Edits are plain data without pointers, so a list of them can be copied,
 * sent to the sync daemon, validated and applied anywhere.
 */
#ifndef PCCVSADM_EDIT_H
#define PCCVSADM_EDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "pccvs.h"

enum adm_op {
	ADM_OP_NONE = 0,
	ADM_SVC_ADD,		/* -A */
	ADM_SVC_EDIT,		/* -E: only the fields in svc_mask change */
	ADM_SVC_DEL,		/* -D */
	ADM_DEST_ADD,		/* -a */
	ADM_DEST_EDIT,		/* -e: only the fields in dest_mask change */
	ADM_DEST_DEL,		/* -d */
	ADM_CLEAR,		/* -C: delete every service */
	ADM_ZERO,		/* -Z: counters of one service (ADM_EF_SVC) or all */
	ADM_SET_CFG,		/* --set, --set-limits: the non-zero fields of cfg */
};

#define ADM_EF_SVC		0x01	/* svc names a service (-Z, listing filters) */
#define ADM_EF_ALL_PORTS	0x02	/* --all-ports: every service of the port group */
#define ADM_EF_MASK_DOTTED	0x04	/* -M was written as a dotted IPv4 mask */

/* Which scheduler the -b flag names referred to (sh-*, mh-* or flag-N). */
enum adm_sched_family { ADM_SF_NONE = 0, ADM_SF_GENERIC, ADM_SF_SH, ADM_SF_MH };

#define ADM_HOST_MAX 256
#define ADM_PORTNAME_MAX 32

/* A host and/or port name still to resolve ("" = numeric, nothing to do). */
struct adm_name {
	char host[ADM_HOST_MAX];
	char port[ADM_PORTNAME_MAX];
	bool v6;		/* the host was written in brackets */
};

struct adm_edit {
	uint8_t op;			/* enum adm_op */
	uint8_t sched_family;		/* enum adm_sched_family, with -b */
	uint16_t flags;			/* ADM_EF_* */
	uint32_t line;			/* -R input line; 0 = command line */
	struct pccvs_svc svc;		/* identity + the fields in svc_mask */
	uint32_t svc_mask;		/* PCCVS_SVC_SET_* */
	uint32_t svc_flag_bits;		/* which PCCVS_SVC_F_* bits svc.flags sets */
	struct pccvs_dest dest;		/* identity + the fields in dest_mask */
	uint32_t dest_mask;		/* PCCVS_DEST_SET_* */
	struct pccvs_cfg cfg;		/* ADM_SET_CFG: 0 = leave unchanged */
	struct adm_name svc_name, dest_name;
};

/* A growable array of edits. */
struct adm_edits {
	struct adm_edit *v;
	size_t n, cap;
};

void adm_edits_init(struct adm_edits *l);
void adm_edits_free(struct adm_edits *l);
/* Appends a copy; -ENOMEM. */
int adm_edits_push(struct adm_edits *l, const struct adm_edit *e);

bool adm_edit_has_dest(const struct adm_edit *e);
bool adm_edit_has_svc(const struct adm_edit *e);
/* True while a host or port name of the edit is unresolved. */
bool adm_edit_unresolved(const struct adm_edit *e);

/*
 * Edit-local rules that need resolved addresses (families agree, real
 * server ports of direct routing / tunnelling, defaults for the dest port).
 * The parser calls it when everything is numeric, the resolver afterwards.
 */
int adm_edit_finish(struct adm_edit *e, struct pccvs_err *err);

/* ------------------------------------------------------------------ */
/* Text forms shared by messages, listings and -S                      */

/* Addresses print with libpccvs' pccvs_addr_str() into this many bytes. */
#define ADM_ADDR_STRLEN INET6_ADDRSTRLEN
/* "192.0.2.1:80" or "[2001:db8::1]:80". */
const char *adm_addrport_str(const struct pccvs_addr *a, uint16_t port,
			     char *buf, size_t len);
/* "TCP 192.0.2.10:80", "FWM 7", "FWM 7 IPv6". */
#define ADM_SVC_STRLEN 80
const char *adm_svc_str(const struct pccvs_svc *s, char *buf, size_t len);
/* The -S service option: "-t 192.0.2.10:80", "-f 7 -6". */
const char *adm_svc_opt(const struct pccvs_svc *s, char *buf, size_t len);
/* The identity of an edit as a command: "-a -t 192.0.2.10:80 -r 198.51.100.1:80". */
#define ADM_EDIT_STRLEN 192
const char *adm_edit_str(const struct adm_edit *e, char *buf, size_t len);
const char *adm_proto_name(uint8_t protocol);	/* "TCP" "UDP" "SCTP" */
const char *adm_proto_opt(uint8_t protocol);	/* "-t" "-u" "--sctp-service" */
const char *adm_fwd_opt(uint8_t fwd);		/* "-g" "-i" "-m" */
const char *adm_fwd_key(uint8_t fwd);		/* JSON: "route" "tunnel" "masq" */

bool adm_svc_same(const struct pccvs_svc *a, const struct pccvs_svc *b);
uint8_t adm_full_mask(uint16_t af);		/* 32 or 128 */

/* Sets err (code, message); returns code. */
int adm_err(struct pccvs_err *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Prefixes err->msg with "line N: " (nothing for line 0). */
void adm_err_line(struct pccvs_err *err, uint32_t line);
/* A token fit for an error message: printable, at most ~60 bytes. */
#define ADM_QUOTE_MAX 72
const char *adm_quote(const char *tok, char *buf, size_t len);

#endif /* PCCVSADM_EDIT_H */
