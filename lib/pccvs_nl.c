// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * pccvs_nl.c: the command handle of libpccvs: one generic netlink socket,
 * the family resolved at open, requests answered by an ACK, a reply or a
 * dump, the kernel's extack text kept in struct pccvs_err.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/socket.h>
#include "pccvs_msg.h"
#include "pccvs_sock.h"

#define DUMP_TRIES 5
/* Requests stay under the default socket send limits of the kernel. */
#define BATCH_MSG_MAX (60 * 1024)

struct pccvs_nl {
	struct nl_sock *sk;
	int family;
};

/* ------------------------------------------------------------------ */
/* Socket helpers shared with the event handle                         */

int pccvs_fail(struct pccvs_err *e, int code, const char *msg)
{
	pccvs_err_set(e, code, "%s", msg);
	return code;
}

void pccvs_err_clear(struct pccvs_err *e)
{
	if (e) {
		e->code = 0;
		e->msg[0] = '\0';
	}
}

/* Root may go past net.core.[rw]mem_max; others get what the cap allows. */
void pccvs_sock_bufs(struct nl_sock *sk, int rcv, int snd)
{
	int fd = nl_socket_get_fd(sk);

	if (rcv && setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcv, sizeof(rcv)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof(rcv));
	if (snd && setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &snd, sizeof(snd)))
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &snd, sizeof(snd));
}

int pccvs_sock_open(struct nl_sock **out, int *family, struct pccvs_err *e)
{
	struct nl_sock *sk = nl_socket_alloc();
	int one = 1, ret;

	if (!sk)
		return pccvs_fail(e, -ENOMEM, "out of memory");
	ret = genl_connect(sk);
	if (ret < 0) {
		pccvs_err_set(e, pccvs_nlerr(ret),
			      "cannot open a generic netlink socket: %s",
			      nl_geterror(ret));
		goto err;
	}
	/* Errors carry the kernel's message, and not our (maybe large)
	 * request back. */
	setsockopt(nl_socket_get_fd(sk), SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(nl_socket_get_fd(sk), SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	/* Replies of any size; the kernel sizes dump skbs by our buffer. */
	nl_socket_enable_msg_peek(sk);
	nl_socket_set_msg_buf_size(sk, 32768);
	*family = genl_ctrl_resolve(sk, PCCVS_GENL_NAME);
	if (*family < 0) {
		ret = pccvs_nlerr(*family);
		if (ret == -ENOENT)
			pccvs_err_set(e, ret, "the pccvs module is not loaded (no generic netlink family \"%s\")",
				      PCCVS_GENL_NAME);
		else
			pccvs_err_set(e, ret, "cannot resolve the pccvs family: %s",
				      nl_geterror(*family));
		goto err;
	}
	*out = sk;
	return 0;
err:
	nl_socket_free(sk);
	return e ? e->code : -EIO;
}

/* ------------------------------------------------------------------ */
/* Requests                                                            */

static struct nl_msg *msg_new(struct pccvs_nl *nl, uint8_t cmd, int flags,
			      size_t size)
{
	struct nl_msg *m = size ? nlmsg_alloc_size(size) : nlmsg_alloc();

	if (m && !genlmsg_put(m, NL_AUTO_PORT, NL_AUTO_SEQ, nl->family, 0,
			      flags, cmd, PCCVS_GENL_VERSION)) {
		nlmsg_free(m);
		m = NULL;
	}
	return m;
}

static int build_fail(struct pccvs_err *e, int ret)
{
	if (ret == -EINVAL)
		return pccvs_fail(e, ret, "invalid request: the address family must be AF_INET or AF_INET6 and match every address, names must be terminated");
	if (ret == -EMSGSIZE)
		return pccvs_fail(e, ret, "request too large");
	return pccvs_fail(e, ret, "out of memory");
}

/* Send m (not freed) and read until its ACK, error or end of dump. */
static int exchange(struct pccvs_nl *nl, struct nl_msg *m, struct pccvs_rx *rx,
		    struct pccvs_err *e)
{
	int n, ret;

	ret = nl_send_auto(nl->sk, m);
	if (ret < 0) {
		pccvs_err_set(e, pccvs_nlerr(ret), "cannot send the request: %s",
			      nl_geterror(ret));
		return pccvs_nlerr(ret);
	}
	rx->seq = nlmsg_hdr(m)->nlmsg_seq;
	rx->family = nl->family;
	while (!rx->done) {
		struct sockaddr_nl peer = { 0 };
		unsigned char *buf = NULL;

		n = nl_recv(nl->sk, &peer, &buf, NULL);
		if (n <= 0) {
			free(buf);
			ret = n ? pccvs_nlerr(n) : -ECONNRESET;
			pccvs_err_set(e, ret, "cannot read the reply: %s",
				      n ? nl_geterror(n) : "end of file");
			return ret;
		}
		ret = peer.nl_pid ? 0 : pccvs_rx_process(rx, buf, n);
		free(buf);
		if (ret)
			return pccvs_fail(e, ret, "malformed message from the kernel");
	}
	if (rx->error) {
		pccvs_err_set(e, rx->error, "%s",
			      rx->msg[0] ? rx->msg : strerror(-rx->error));
		return rx->error;
	}
	return rx->cb_ret;
}

static int doit(struct pccvs_nl *nl, struct nl_msg *m,
		int (*data)(const struct nlmsghdr *, void *), void *arg,
		struct pccvs_err *e)
{
	struct pccvs_rx rx = { .data = data, .arg = arg };
	int ret = exchange(nl, m, &rx, e);

	nlmsg_free(m);
	return ret;
}

/* A reply carrying one nest of type, parsed into out. */
struct one {
	int type;
	int (*parse)(const struct nlattr *a, void *out);
	void *out;
	bool got;
};

static int one_attr(const struct nlattr *a, void *arg)
{
	struct one *o = arg;

	if (o->got)
		return -EBADMSG;
	o->got = true;
	return o->parse(a, o->out);
}

static int one_data(const struct nlmsghdr *nlh, void *arg)
{
	const struct genlmsghdr *g;
	const struct nlattr *attrs;
	int len;

	if (pccvs_msg_attrs(nlh, &g, &attrs, &len))
		return -EBADMSG;
	return pccvs_msg_foreach(attrs, len, ((struct one *)arg)->type,
				 one_attr, arg);
}

static int doit_one(struct pccvs_nl *nl, struct nl_msg *m, struct one *o,
		    struct pccvs_err *e)
{
	int ret = doit(nl, m, one_data, o, e);

	if (ret == -EBADMSG || (!ret && !o->got))
		return pccvs_fail(e, -EBADMSG, "malformed or missing reply from the kernel");
	return ret;
}

/* The walk of a dump: parse errors are kept apart from the caller's stop. */
struct walk {
	int type;
	void *cb;
	void *arg;
	bool bad;
	uint16_t af;
};

static int dump(struct pccvs_nl *nl, uint8_t cmd,
		int (*build)(struct nl_msg *m, const void *barg), const void *barg,
		int (*data)(const struct nlmsghdr *, void *), struct walk *w,
		void (*restart)(void *), struct pccvs_err *e)
{
	struct pccvs_rx rx;
	struct nl_msg *m;
	int ret, try;

	for (try = 0; try < DUMP_TRIES; try++) {
		if (try && restart)
			restart(w->arg);
		m = msg_new(nl, cmd, NLM_F_DUMP, 0);
		if (!m)
			return pccvs_fail(e, -ENOMEM, "out of memory");
		ret = build ? build(m, barg) : 0;
		if (ret) {
			nlmsg_free(m);
			return build_fail(e, ret);
		}
		memset(&rx, 0, sizeof(rx));
		rx.data = data;
		rx.arg = w;
		ret = exchange(nl, m, &rx, e);
		nlmsg_free(m);
		if (w->bad)
			return pccvs_fail(e, -EBADMSG, "malformed message from the kernel");
		if (ret || !rx.intr)
			return ret;
	}
	return pccvs_fail(e, -EAGAIN, "the table kept changing during the dump; try again");
}

/* ------------------------------------------------------------------ */
/* Handle                                                              */

int pccvs_nl_open(struct pccvs_nl **out, struct pccvs_err *e)
{
	struct pccvs_nl *nl = calloc(1, sizeof(*nl));
	int ret;

	pccvs_err_clear(e);
	if (!nl)
		return pccvs_fail(e, -ENOMEM, "out of memory");
	ret = pccvs_sock_open(&nl->sk, &nl->family, e);
	if (ret) {
		free(nl);
		return ret;
	}
	/* Big requests out, several dump skbs in flight. */
	pccvs_sock_bufs(nl->sk, 1 << 20, 1 << 20);
	*out = nl;
	return 0;
}

void pccvs_nl_close(struct pccvs_nl *nl)
{
	if (!nl)
		return;
	nl_socket_free(nl->sk);
	free(nl);
}

/* ------------------------------------------------------------------ */
/* Services and real servers                                           */

static int svc_cmd(struct pccvs_nl *nl, uint8_t cmd, const struct pccvs_svc *s,
		   enum pccvs_svc_put how, uint32_t mask, struct pccvs_err *e)
{
	struct nl_msg *m;
	int ret;

	pccvs_err_clear(e);
	m = msg_new(nl, cmd, 0, 0);
	if (!m)
		return pccvs_fail(e, -ENOMEM, "out of memory");
	ret = pccvs_put_svc(m, s, how, mask);
	if (ret) {
		nlmsg_free(m);
		return build_fail(e, ret);
	}
	return doit(nl, m, NULL, NULL, e);
}

int pccvs_svc_new(struct pccvs_nl *nl, const struct pccvs_svc *s,
		  struct pccvs_err *e)
{
	return svc_cmd(nl, PCCVS_CMD_SVC_NEW, s, PCCVS_PUT_NEW, 0, e);
}

int pccvs_svc_set(struct pccvs_nl *nl, const struct pccvs_svc *s, uint32_t mask,
		  struct pccvs_err *e)
{
	return svc_cmd(nl, PCCVS_CMD_SVC_SET, s, PCCVS_PUT_SET, mask, e);
}

int pccvs_svc_del(struct pccvs_nl *nl, const struct pccvs_svc *key,
		  struct pccvs_err *e)
{
	return svc_cmd(nl, PCCVS_CMD_SVC_DEL, key, PCCVS_PUT_IDENT, 0, e);
}

static int parse_svc(const struct nlattr *a, void *out)
{
	return pccvs_parse_svc(a, out);
}

int pccvs_svc_get(struct pccvs_nl *nl, const struct pccvs_svc *key,
		  struct pccvs_svc *out, struct pccvs_err *e)
{
	struct one o = { PCCVS_A_SVC, parse_svc, out, false };
	struct nl_msg *m;
	int ret;

	pccvs_err_clear(e);
	m = msg_new(nl, PCCVS_CMD_SVC_GET, 0, 0);
	if (!m)
		return pccvs_fail(e, -ENOMEM, "out of memory");
	ret = pccvs_put_svc(m, key, PCCVS_PUT_IDENT, 0);
	if (ret) {
		nlmsg_free(m);
		return build_fail(e, ret);
	}
	return doit_one(nl, m, &o, e);
}

static int svc_attr(const struct nlattr *a, void *arg)
{
	struct walk *w = arg;
	struct pccvs_svc s;

	if (pccvs_parse_svc(a, &s)) {
		w->bad = true;
		return -EBADMSG;
	}
	return ((pccvs_svc_cb)w->cb)(&s, w->arg);
}

/* Every nest of w->type in a dump message, through fn. */
static int walk_data(const struct nlmsghdr *nlh, void *arg,
		     int (*fn)(const struct nlattr *a, void *arg))
{
	struct walk *w = arg;
	const struct genlmsghdr *g;
	const struct nlattr *attrs;
	int len, ret;

	if (pccvs_msg_attrs(nlh, &g, &attrs, &len)) {
		w->bad = true;
		return -EBADMSG;
	}
	ret = pccvs_msg_foreach(attrs, len, w->type, fn, w);
	if (ret == -EBADMSG && !w->bad)	/* the framing itself */
		w->bad = true;
	return ret;
}

static int svc_data(const struct nlmsghdr *nlh, void *arg)
{
	return walk_data(nlh, arg, svc_attr);
}

int pccvs_svc_dump(struct pccvs_nl *nl, pccvs_svc_cb cb, void *arg,
		   void (*restart)(void *arg), struct pccvs_err *e)
{
	struct walk w = { PCCVS_A_SVC, (void *)cb, arg, false, 0 };

	pccvs_err_clear(e);
	return dump(nl, PCCVS_CMD_SVC_GET, NULL, NULL, svc_data, &w, restart, e);
}

static int dest_cmd(struct pccvs_nl *nl, uint8_t cmd,
		    const struct pccvs_svc *key, const struct pccvs_dest *d,
		    enum pccvs_dest_put how, uint32_t mask, struct pccvs_err *e)
{
	struct nl_msg *m;
	int ret;

	pccvs_err_clear(e);
	m = msg_new(nl, cmd, 0, 0);
	if (!m)
		return pccvs_fail(e, -ENOMEM, "out of memory");
	ret = pccvs_put_svc(m, key, PCCVS_PUT_IDENT, 0);
	if (!ret)
		ret = pccvs_put_dest(m, key->af, d, how, mask);
	if (ret) {
		nlmsg_free(m);
		return build_fail(e, ret);
	}
	return doit(nl, m, NULL, NULL, e);
}

int pccvs_dest_new(struct pccvs_nl *nl, const struct pccvs_svc *key,
		   const struct pccvs_dest *d, struct pccvs_err *e)
{
	return dest_cmd(nl, PCCVS_CMD_DEST_NEW, key, d, PCCVS_DEST_PUT_NEW, 0, e);
}

int pccvs_dest_set(struct pccvs_nl *nl, const struct pccvs_svc *key,
		   const struct pccvs_dest *d, uint32_t mask, struct pccvs_err *e)
{
	return dest_cmd(nl, PCCVS_CMD_DEST_SET, key, d, PCCVS_DEST_PUT_SET, mask, e);
}

int pccvs_dest_del(struct pccvs_nl *nl, const struct pccvs_svc *key,
		   const struct pccvs_dest *d, struct pccvs_err *e)
{
	return dest_cmd(nl, PCCVS_CMD_DEST_DEL, key, d, PCCVS_DEST_PUT_DEL, 0, e);
}

static int dest_attr(const struct nlattr *a, void *arg)
{
	struct walk *w = arg;
	struct pccvs_dest d;

	if (pccvs_parse_dest(a, w->af, &d)) {
		w->bad = true;
		return -EBADMSG;
	}
	return ((pccvs_dest_cb)w->cb)(&d, w->arg);
}

static int dest_walk(const struct nlmsghdr *nlh, void *arg)
{
	return walk_data(nlh, arg, dest_attr);
}

static int build_svc_ident(struct nl_msg *m, const void *key)
{
	return pccvs_put_svc(m, key, PCCVS_PUT_IDENT, 0);
}

int pccvs_dest_dump(struct pccvs_nl *nl, const struct pccvs_svc *key,
		    pccvs_dest_cb cb, void *arg, void (*restart)(void *arg),
		    struct pccvs_err *e)
{
	struct walk w = { PCCVS_A_DEST, (void *)cb, arg, false, key->af };

	pccvs_err_clear(e);
	return dump(nl, PCCVS_CMD_DEST_GET, build_svc_ident, key, dest_walk, &w,
		    restart, e);
}

/* ------------------------------------------------------------------ */
/* Templates                                                           */

static int parse_result(const struct nlattr *a, void *out)
{
	return pccvs_parse_result(a, out);
}

/*
 * TPL_INJECT / TPL_DEL: everything is checked before anything is sent,
 * then split into messages of at most BATCH_MSG_MAX bytes; the results
 * add up. A failure leaves the earlier messages applied (r says how).
 */
static int tpl_batch(struct pccvs_nl *nl, uint8_t cmd, const struct pccvs_tpl *v,
		     size_t n, struct pccvs_result *r, struct pccvs_err *e)
{
	bool del = cmd == PCCVS_CMD_TPL_DEL;
	struct pccvs_result part, sum = { 0 };
	struct one o = { PCCVS_A_RESULT, parse_result, &part, false };
	const char *why;
	struct nl_msg *m;
	size_t i;
	int ret = 0;

	pccvs_err_clear(e);
	for (i = 0; i < n; i++)
		if (pccvs_check_tpl(&v[i], &why)) {
			pccvs_err_set(e, -EINVAL, "template %zu: %s", i, why);
			return -EINVAL;
		}
	for (i = 0; i < n && !ret;) {
		m = msg_new(nl, cmd, 0, BATCH_MSG_MAX + 4096);
		if (!m) {
			ret = pccvs_fail(e, -ENOMEM, "out of memory");
			break;
		}
		while (i < n && nlmsg_hdr(m)->nlmsg_len + PCCVS_TPL_PUT_MAX <= BATCH_MSG_MAX) {
			ret = pccvs_put_tpl(m, &v[i], del);
			if (ret)
				break;
			i++;
		}
		if (ret) {
			nlmsg_free(m);
			ret = build_fail(e, ret);
			break;
		}
		o.got = false;
		ret = doit_one(nl, m, &o, e);
		if (!ret) {
			sum.applied += part.applied;
			sum.unchanged += part.unchanged;
			sum.refused += part.refused;
		}
	}
	if (r)
		*r = sum;
	return ret;
}

int pccvs_tpl_inject(struct pccvs_nl *nl, const struct pccvs_tpl *v, size_t n,
		     struct pccvs_result *r, struct pccvs_err *e)
{
	return tpl_batch(nl, PCCVS_CMD_TPL_INJECT, v, n, r, e);
}

int pccvs_tpl_del(struct pccvs_nl *nl, const struct pccvs_tpl *v, size_t n,
		  struct pccvs_result *r, struct pccvs_err *e)
{
	return tpl_batch(nl, PCCVS_CMD_TPL_DEL, v, n, r, e);
}

static int tpl_attr(const struct nlattr *a, void *arg)
{
	struct walk *w = arg;
	struct pccvs_tpl t;

	if (pccvs_parse_tpl(a, &t)) {
		w->bad = true;
		return -EBADMSG;
	}
	return ((pccvs_tpl_cb)w->cb)(&t, w->arg);
}

static int tpl_walk(const struct nlmsghdr *nlh, void *arg)
{
	return walk_data(nlh, arg, tpl_attr);
}

struct tpl_filter {
	uint32_t flags;
	const struct pccvs_svc *svc;
};

static int build_tpl_filter(struct nl_msg *m, const void *arg)
{
	const struct tpl_filter *f = arg;

	if (f->flags && nla_put_u32(m, PCCVS_A_DUMP_FLAGS, f->flags) < 0)
		return -EMSGSIZE;
	return f->svc ? pccvs_put_svc(m, f->svc, PCCVS_PUT_DOMAIN, 0) : 0;
}

int pccvs_tpl_dump(struct pccvs_nl *nl, uint32_t flags,
		   const struct pccvs_svc *filter, pccvs_tpl_cb cb, void *arg,
		   void (*restart)(void *arg), struct pccvs_err *e)
{
	struct walk w = { PCCVS_A_TPL, (void *)cb, arg, false, 0 };
	struct tpl_filter f = { flags, filter };

	pccvs_err_clear(e);
	return dump(nl, PCCVS_CMD_TPL_GET, build_tpl_filter, &f, tpl_walk, &w,
		    restart, e);
}

/* A request with an optional service or domain, answered by an ACK. */
static int simple_cmd(struct pccvs_nl *nl, uint8_t cmd,
		      const struct pccvs_svc *svc, enum pccvs_svc_put how,
		      struct pccvs_err *e)
{
	struct nl_msg *m;
	int ret;

	pccvs_err_clear(e);
	m = msg_new(nl, cmd, 0, 0);
	if (!m)
		return pccvs_fail(e, -ENOMEM, "out of memory");
	ret = svc ? pccvs_put_svc(m, svc, how, 0) : 0;
	if (ret) {
		nlmsg_free(m);
		return build_fail(e, ret);
	}
	return doit(nl, m, NULL, NULL, e);
}

int pccvs_tpl_flush(struct pccvs_nl *nl, const struct pccvs_svc *filter,
		    struct pccvs_err *e)
{
	return simple_cmd(nl, PCCVS_CMD_TPL_FLUSH, filter, PCCVS_PUT_DOMAIN, e);
}

/* ------------------------------------------------------------------ */
/* Connections                                                         */

static int conn_attr(const struct nlattr *a, void *arg)
{
	struct walk *w = arg;
	struct pccvs_conn c;

	if (pccvs_parse_conn(a, &c)) {
		w->bad = true;
		return -EBADMSG;
	}
	return ((pccvs_conn_cb)w->cb)(&c, w->arg);
}

static int conn_walk(const struct nlmsghdr *nlh, void *arg)
{
	return walk_data(nlh, arg, conn_attr);
}

int pccvs_conn_dump(struct pccvs_nl *nl, pccvs_conn_cb cb, void *arg,
		    void (*restart)(void *arg), struct pccvs_err *e)
{
	struct walk w = { PCCVS_A_CONN, (void *)cb, arg, false, 0 };

	pccvs_err_clear(e);
	return dump(nl, PCCVS_CMD_CONN_GET, NULL, NULL, conn_walk, &w, restart, e);
}

int pccvs_conn_del(struct pccvs_nl *nl, const struct pccvs_conn *c,
		   struct pccvs_err *e)
{
	struct nl_msg *m;
	int ret;

	pccvs_err_clear(e);
	m = msg_new(nl, PCCVS_CMD_CONN_DEL, 0, 0);
	if (!m)
		return pccvs_fail(e, -ENOMEM, "out of memory");
	ret = pccvs_put_conn_key(m, c);
	if (ret) {
		nlmsg_free(m);
		return build_fail(e, ret);
	}
	return doit(nl, m, NULL, NULL, e);
}

int pccvs_conn_flush(struct pccvs_nl *nl, struct pccvs_err *e)
{
	return simple_cmd(nl, PCCVS_CMD_CONN_FLUSH, NULL, PCCVS_PUT_IDENT, e);
}

/* ------------------------------------------------------------------ */
/* Information, configuration, counters                                */

static int parse_info(const struct nlattr *a, void *out)
{
	return pccvs_parse_info(a, out);
}

static int parse_cfg(const struct nlattr *a, void *out)
{
	return pccvs_parse_cfg(a, out);
}

static int get_one(struct pccvs_nl *nl, uint8_t cmd, struct one *o,
		   struct pccvs_err *e)
{
	struct nl_msg *m;

	pccvs_err_clear(e);
	m = msg_new(nl, cmd, 0, 0);
	if (!m)
		return pccvs_fail(e, -ENOMEM, "out of memory");
	return doit_one(nl, m, o, e);
}

int pccvs_info_get(struct pccvs_nl *nl, struct pccvs_info *out,
		   struct pccvs_err *e)
{
	struct one o = { PCCVS_A_INFO, parse_info, out, false };

	return get_one(nl, PCCVS_CMD_INFO_GET, &o, e);
}

int pccvs_cfg_get(struct pccvs_nl *nl, struct pccvs_cfg *out,
		  struct pccvs_err *e)
{
	struct one o = { PCCVS_A_CFG, parse_cfg, out, false };

	return get_one(nl, PCCVS_CMD_CFG_GET, &o, e);
}

int pccvs_cfg_set(struct pccvs_nl *nl, const struct pccvs_cfg *in,
		  struct pccvs_err *e)
{
	struct nl_msg *m;
	int ret;

	pccvs_err_clear(e);
	m = msg_new(nl, PCCVS_CMD_CFG_SET, 0, 0);
	if (!m)
		return pccvs_fail(e, -ENOMEM, "out of memory");
	ret = pccvs_put_cfg(m, in);
	if (ret) {
		nlmsg_free(m);
		return build_fail(e, ret);
	}
	return doit(nl, m, NULL, NULL, e);
}

int pccvs_zero(struct pccvs_nl *nl, const struct pccvs_svc *key_or_null,
	       struct pccvs_err *e)
{
	return simple_cmd(nl, PCCVS_CMD_ZERO, key_or_null, PCCVS_PUT_IDENT, e);
}

int pccvs_flush(struct pccvs_nl *nl, struct pccvs_err *e)
{
	return simple_cmd(nl, PCCVS_CMD_FLUSH, NULL, PCCVS_PUT_IDENT, e);
}
