/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * pccvs_msg.h: libpccvs' wire layer, internal. Building request attributes
 * into libnl messages, and parsing what the kernel sends back, strictly
 * (exact integer sizes, address sizes that match the family, terminated
 * strings, no truncated attribute), without a socket: the unit tests and
 * the fuzzer drive it with plain buffers. Attributes a newer module adds
 * are skipped. Parse errors are -EBADMSG.
 */
#ifndef PCCVS_MSG_H
#define PCCVS_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/netlink.h>
#include <linux/genetlink.h>
#include <netlink/msg.h>
#include "pccvs.h"

/* ---- building (return 0, -EINVAL for a bad value, -EMSGSIZE if full) ---- */

enum pccvs_svc_put {
	PCCVS_PUT_IDENT,	/* identity only */
	PCCVS_PUT_NEW,		/* identity + every field set (non-zero) */
	PCCVS_PUT_SET,		/* identity + the fields in mask */
	PCCVS_PUT_DOMAIN,	/* a template domain filter (may be a group) */
};
int pccvs_put_svc(struct nl_msg *m, const struct pccvs_svc *s,
		  enum pccvs_svc_put how, uint32_t mask);

enum pccvs_dest_put { PCCVS_DEST_PUT_NEW, PCCVS_DEST_PUT_SET, PCCVS_DEST_PUT_DEL };
int pccvs_put_dest(struct nl_msg *m, uint16_t af, const struct pccvs_dest *d,
		   enum pccvs_dest_put how, uint32_t mask);
int pccvs_put_tpl(struct nl_msg *m, const struct pccvs_tpl *t, bool del);
int pccvs_put_conn_key(struct nl_msg *m, const struct pccvs_conn *c);
int pccvs_put_cfg(struct nl_msg *m, const struct pccvs_cfg *c);

/* Local checks made before anything is sent; a message for e->msg. */
int pccvs_check_tpl(const struct pccvs_tpl *t, const char **why);

/* Bytes one template takes in a request, at most (batch splitting). */
#define PCCVS_TPL_PUT_MAX 160

/* ---- parsing: nest -> struct (0 or -EBADMSG) ---- */

int pccvs_parse_svc(const struct nlattr *nest, struct pccvs_svc *out);
/* af 0: taken from the address size. */
int pccvs_parse_dest(const struct nlattr *nest, uint16_t af,
		     struct pccvs_dest *out);
int pccvs_parse_tpl(const struct nlattr *nest, struct pccvs_tpl *out);
int pccvs_parse_conn(const struct nlattr *nest, struct pccvs_conn *out);
int pccvs_parse_cfg(const struct nlattr *nest, struct pccvs_cfg *out);
int pccvs_parse_info(const struct nlattr *nest, struct pccvs_info *out);
int pccvs_parse_result(const struct nlattr *nest, struct pccvs_result *out);

/* ---- whole messages ---- */

/*
 * The top-level attributes of a generic netlink message whose length was
 * already checked (nlh->nlmsg_len within the buffer).
 */
int pccvs_msg_attrs(const struct nlmsghdr *nlh, const struct genlmsghdr **g,
		    const struct nlattr **attrs, int *len);

/* Call fn for every top-level attribute of type; stops at fn != 0. */
int pccvs_msg_foreach(const struct nlattr *attrs, int len, int type,
		      int (*fn)(const struct nlattr *a, void *arg), void *arg);

/*
 * An event batch: its EV_SEQ, and each template (t->event set) to cb.
 * Returns 0, -EBADMSG, or cb's non-zero value (the rest is skipped).
 */
int pccvs_parse_event(const struct nlmsghdr *nlh, uint64_t *seq,
		      pccvs_tpl_cb cb, void *arg);

/* 1 if nlh is nlctrl's announcement that family id is gone, else 0. */
int pccvs_parse_ctrl_delfamily(const struct nlmsghdr *nlh, uint16_t id);

/*
 * One received datagram of a request/reply exchange (or of the event
 * socket, with seq 0). Messages of another sequence are ignored (stale
 * replies of an abandoned request). The outcome accumulates in rx.
 */
struct pccvs_rx {
	uint32_t seq;		/* the request's; 0 = take every message */
	uint16_t family;	/* our genl family id: data messages */
	bool any_type;		/* data() also gets other families' messages */
	/* per data message; non-zero stops the calls (the rest is drained) */
	int (*data)(const struct nlmsghdr *nlh, void *arg);
	void *arg;

	bool done;		/* ACK, error or NLMSG_DONE seen */
	bool intr;		/* NLM_F_DUMP_INTR seen */
	int error;		/* kernel's -errno, 0 */
	int cb_ret;		/* first non-zero return of data() */
	char msg[256];		/* kernel's extack message, "" if none */
};
int pccvs_rx_process(struct pccvs_rx *rx, const void *buf, size_t len);

/* libnl's -NLE_* to -errno (reads errno for NLE_NOMEM: ENOBUFS). */
int pccvs_nlerr(int nlerr);

#endif /* PCCVS_MSG_H */
