// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * pccvs_ev.c: the event handle of libpccvs: a non-blocking socket in the
 * "events" group. Batches are checked for gaps in EV_SEQ; a gap, a batch
 * that cannot be read, or a socket overrun means events were lost and the
 * caller must resynchronise with a dump.
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/socket.h>
#include "pccvs_msg.h"
#include "pccvs_sock.h"

#define EV_RCVBUF_DEFAULT (4 << 20)

struct pccvs_ev {
	struct nl_sock *sk;
	int family;
	uint64_t last_seq;
	bool have_seq;
	bool lost;		/* report -EPIPE on the next read */
	bool gone;		/* the family was unregistered */
};

int pccvs_ev_open(struct pccvs_ev **out, size_t rcvbuf, struct pccvs_err *e)
{
	struct pccvs_ev *ev = calloc(1, sizeof(*ev));
	int grp, ctrl, ret;

	pccvs_err_clear(e);
	if (!ev)
		return pccvs_fail(e, -ENOMEM, "out of memory");
	ret = pccvs_sock_open(&ev->sk, &ev->family, e);
	if (ret)
		goto err_free;
	grp = genl_ctrl_resolve_grp(ev->sk, PCCVS_GENL_NAME, PCCVS_MCGRP_EVENTS);
	if (grp < 0) {
		ret = pccvs_fail(e, -ENOENT, "the pccvs family has no event group");
		goto err_sock;
	}
	if (rcvbuf > INT32_MAX)
		rcvbuf = INT32_MAX;
	pccvs_sock_bufs(ev->sk, rcvbuf ? (int)rcvbuf : EV_RCVBUF_DEFAULT, 0);
	/* nlctrl announces the family's removal (module unloaded). */
	ctrl = genl_ctrl_resolve_grp(ev->sk, "nlctrl", "notify");
	if (ctrl >= 0)
		nl_socket_add_membership(ev->sk, ctrl);
	ret = nl_socket_add_membership(ev->sk, grp);
	if (ret < 0) {
		ret = pccvs_nlerr(ret);
		if (ret == -EPERM || ret == -EACCES)
			pccvs_fail(e, -EPERM, "joining the pccvs event group needs CAP_NET_ADMIN");
		else
			pccvs_err_set(e, ret, "cannot join the pccvs event group: %s",
				      nl_geterror(ret));
		ret = e ? e->code : ret;
		goto err_sock;
	}
	ret = nl_socket_set_nonblocking(ev->sk);
	if (ret < 0) {
		ret = pccvs_fail(e, pccvs_nlerr(ret), "cannot make the event socket non-blocking");
		goto err_sock;
	}
	*out = ev;
	return 0;

err_sock:
	nl_socket_free(ev->sk);
err_free:
	free(ev);
	return ret;
}

int pccvs_ev_fd(const struct pccvs_ev *ev)
{
	return nl_socket_get_fd(ev->sk);
}

uint64_t pccvs_ev_last_seq(const struct pccvs_ev *ev)
{
	return ev->last_seq;
}

void pccvs_ev_close(struct pccvs_ev *ev)
{
	if (!ev)
		return;
	nl_socket_free(ev->sk);
	free(ev);
}

struct ev_read {
	struct pccvs_ev *ev;
	pccvs_tpl_cb cb;
	void *arg;
	int count;
	bool gap;
};

static int deliver(const struct pccvs_tpl *t, void *arg)
{
	struct ev_read *r = arg;

	r->count++;
	return r->cb(t, r->arg);
}

static int batch(const struct nlmsghdr *nlh, void *arg)
{
	const struct genlmsghdr *g = NLMSG_DATA(nlh);
	struct ev_read *r = arg;
	struct pccvs_ev *ev = r->ev;
	uint64_t seq = 0;
	int ret;

	if (nlh->nlmsg_type != ev->family) {
		if (pccvs_parse_ctrl_delfamily(nlh, ev->family))
			ev->gone = true;
		return 0;
	}
	if (g->cmd != PCCVS_CMD_TPL_EVENT)
		return 0;
	ret = pccvs_parse_event(nlh, &seq, deliver, r);
	if (ret == -EBADMSG) {
		r->gap = true;		/* unreadable: as good as lost */
		return 0;
	}
	if (ev->have_seq && seq != ev->last_seq + 1)
		r->gap = true;
	ev->last_seq = seq;
	ev->have_seq = true;
	if (ret)
		ev->lost = true;	/* the rest of this batch is not delivered */
	return ret;
}

int pccvs_ev_read(struct pccvs_ev *ev, pccvs_tpl_cb cb, void *arg,
		  struct pccvs_err *e)
{
	struct ev_read r = { ev, cb, arg, 0, ev->lost };
	bool overrun = false;
	int n, ret;

	pccvs_err_clear(e);
	ev->lost = false;
	for (;;) {
		struct sockaddr_nl peer = { 0 };
		struct pccvs_rx rx = {
			.family = ev->family, .any_type = true, .data = batch,
			.arg = &r,
		};
		unsigned char *buf = NULL;

		n = nl_recv(ev->sk, &peer, &buf, NULL);
		if (n <= 0) {
			free(buf);
			ret = n ? pccvs_nlerr(n) : 0;
			if (ret == -ENOBUFS) {
				overrun = true;
				continue;
			}
			if (!n || ret == -EAGAIN)
				break;
			pccvs_err_set(e, ret, "cannot read the event socket: %s",
				      nl_geterror(n));
			return ret;
		}
		ret = peer.nl_pid ? 0 : pccvs_rx_process(&rx, buf, n);
		free(buf);
		if (ret)
			r.gap = true;
		if (rx.cb_ret)
			return rx.cb_ret;
	}
	if (ev->gone)
		return pccvs_fail(e, -ENOENT, "the pccvs module was unloaded");
	if (overrun)
		return pccvs_fail(e, -ENOBUFS, "the event socket overran: events were lost, resynchronise");
	if (r.gap)
		return pccvs_fail(e, -EPIPE, "gap in the event sequence: events were lost, resynchronise");
	return r.count;
}
