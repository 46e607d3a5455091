// SPDX-License-Identifier: GPL-2.0
/*
 * pcctraffic: test traffic through a load balancer; one process, one epoll loop.
 *
 *   serve   --id ID --listen EP[,EP..] [--pidfile F]
 *           HTTP-like replies naming the server (header "X-Server: ID"), and
 *           "STREAM\n" connections that answer "PING n\n" with "PONG n ID\n".
 *   probe   --src ADDRS --to EP[,EP..] [--conns M] [--parallel P] [--timeout T]
 *           [--out F] [--json F]
 *           M connections from every source to every endpoint (same family);
 *           per-connection lines "C src dst status server ms" and RESULT lines.
 *   load    --src ADDRS --to EP[,EP..] --log F [--rate R] [--streams K]
 *           [--interval T] [--stall T] [--duration T] [--timeout T] [--max-inflight N]
 *           new requests at R/s round-robin over the sources, K long-lived
 *           streams; every event goes to the log (format in pcct.h); ends at
 *           --duration or SIGTERM/SIGINT with a summary.
 *   analyse LOG [--crash-ms T] [--timeline F] [--bucket T]
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "pcct.h"

#ifndef IP_BIND_ADDRESS_NO_PORT
#define IP_BIND_ADDRESS_NO_PORT 24
#endif

#define TICK_MS 5

enum { T_LISTEN, T_SCONN, T_CCONN, T_SIGNAL, T_TIMER };

struct ev {
	int type;
	int fd;
};

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void die(const char *what, const char *arg)
{
	fprintf(stderr, "pcctraffic: %s%s%s%s\n", what, arg ? " `" : "", arg ? arg : "",
		arg ? "'" : "");
	exit(2);
}

static void ep_add(int ep, struct ev *e, uint32_t events)
{
	struct epoll_event ee = {.events = events, .data.ptr = e};

	if (epoll_ctl(ep, EPOLL_CTL_ADD, e->fd, &ee))
		die("epoll_ctl failed", NULL);
}

static void ep_mod(int ep, struct ev *e, uint32_t events)
{
	struct epoll_event ee = {.events = events, .data.ptr = e};

	epoll_ctl(ep, EPOLL_CTL_MOD, e->fd, &ee);
}

/* epoll fd with SIGINT/SIGTERM as a signalfd and a periodic timer. */
static int loop_setup(struct ev *sig, struct ev *tim)
{
	struct itimerspec its = {.it_interval.tv_nsec = TICK_MS * 1000000L,
				 .it_value.tv_nsec = TICK_MS * 1000000L};
	sigset_t ss;
	int ep = epoll_create1(EPOLL_CLOEXEC);

	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&ss);
	sigaddset(&ss, SIGINT);
	sigaddset(&ss, SIGTERM);
	sigprocmask(SIG_BLOCK, &ss, NULL);
	*sig = (struct ev){T_SIGNAL, signalfd(-1, &ss, SFD_NONBLOCK | SFD_CLOEXEC)};
	*tim = (struct ev){T_TIMER, timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC)};
	if (ep < 0 || sig->fd < 0 || tim->fd < 0 || timerfd_settime(tim->fd, 0, &its, NULL))
		die("cannot set up the event loop", NULL);
	ep_add(ep, sig, EPOLLIN);
	ep_add(ep, tim, EPOLLIN);
	return ep;
}

static void drain(int fd)
{
	char buf[256];

	while (read(fd, buf, sizeof(buf)) > 0)
		;
}

/* ---- serve ---------------------------------------------------------------- */

struct sconn {
	struct ev e;
	bool stream, closing;
	size_t inlen, outlen, outoff;
	char in[1024], out[2048];
};

struct server {
	const char *id;
	int ep;
	uint64_t served, streams;
};

static void sconn_close(struct sconn *c)
{
	close(c->e.fd);
	free(c);
}

/* Writes what is pending; closes when a reply is done. false: closed. */
static bool sconn_flush(struct server *s, struct sconn *c)
{
	while (c->outoff < c->outlen) {
		ssize_t n = send(c->e.fd, c->out + c->outoff, c->outlen - c->outoff, MSG_NOSIGNAL);

		if (n < 0 && errno == EAGAIN) {
			ep_mod(s->ep, &c->e, EPOLLIN | EPOLLOUT);
			return true;
		}
		if (n <= 0) {
			sconn_close(c);
			return false;
		}
		c->outoff += (size_t)n;
	}
	c->outoff = c->outlen = 0;
	if (c->closing) {
		sconn_close(c);
		return false;
	}
	ep_mod(s->ep, &c->e, EPOLLIN);
	return true;
}

static void reply_http(struct server *s, struct sconn *c)
{
	struct pcct_addr l = {.len = sizeof(l.ss)}, p = {.len = sizeof(p.ss)};
	char la[64], pa[64], body[256];
	int bl;

	getsockname(c->e.fd, (struct sockaddr *)&l.ss, &l.len);
	getpeername(c->e.fd, (struct sockaddr *)&p.ss, &p.len);
	bl = snprintf(body, sizeof(body), "server=%s local=%s peer=%s\n", s->id,
		      pcct_addr_str(&l, 1, la, sizeof(la)), pcct_addr_str(&p, 1, pa, sizeof(pa)));
	c->outlen =
		(size_t)snprintf(c->out, sizeof(c->out),
				 "HTTP/1.0 200 OK\r\nX-Server: %s\r\nContent-Type: text/plain\r\n"
				 "Content-Length: %d\r\nConnection: close\r\n\r\n%s",
				 s->id, bl, body);
	c->closing = true;
	s->served++;
}

/* Handles the complete lines/requests in c->in. false: closed. */
static bool sconn_input(struct server *s, struct sconn *c)
{
	char *nl;

	if (!c->stream) {
		if (c->inlen >= 4 && !memcmp(c->in, "GET ", 4)) {
			if (memmem(c->in, c->inlen, "\r\n\r\n", 4) ||
			    memmem(c->in, c->inlen, "\n\n", 2))
				reply_http(s, c);
			else if (c->inlen == sizeof(c->in))
				c->closing = true;
			return sconn_flush(s, c);
		}
		if (c->inlen >= 7 && !memcmp(c->in, "STREAM\n", 7)) {
			c->stream = true;
			s->streams++;
			memmove(c->in, c->in + 7, c->inlen -= 7);
			c->outlen +=
				(size_t)snprintf(c->out + c->outlen, sizeof(c->out) - c->outlen,
						 "HELLO %s\n", s->id);
		} else if (c->inlen >= 7 || (memcmp(c->in, "GET ", c->inlen < 4 ? c->inlen : 4) &&
					     memcmp(c->in, "STREAM\n", c->inlen))) {
			sconn_close(c);
			return false;
		}
	}
	while (c->stream && (nl = memchr(c->in, '\n', c->inlen))) {
		size_t ll = (size_t)(nl - c->in) + 1;

		if (ll > 5 && !memcmp(c->in, "PING ", 5) &&
		    c->outlen + ll + PCCT_ID_MAX + 8 < sizeof(c->out))
			c->outlen +=
				(size_t)snprintf(c->out + c->outlen, sizeof(c->out) - c->outlen,
						 "PONG %.*s %s\n", (int)(ll - 6), c->in + 5, s->id);
		memmove(c->in, c->in + ll, c->inlen -= ll);
	}
	if (c->stream && c->inlen == sizeof(c->in)) {
		sconn_close(c);
		return false;
	}
	return sconn_flush(s, c);
}

static void sconn_readable(struct server *s, struct sconn *c)
{
	for (;;) {
		ssize_t n = recv(c->e.fd, c->in + c->inlen, sizeof(c->in) - c->inlen, 0);

		if (n < 0 && errno == EAGAIN)
			return;
		if (n <= 0) {
			sconn_close(c);
			return;
		}
		c->inlen += (size_t)n;
		if (!sconn_input(s, c))
			return;
	}
}

static void serve_accept(struct server *s, struct ev *l)
{
	for (;;) {
		int fd = accept4(l->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		struct sconn *c;

		if (fd < 0)
			return;
		c = calloc(1, sizeof(*c));
		if (!c) {
			close(fd);
			return;
		}
		c->e = (struct ev){T_SCONN, fd};
		ep_add(s->ep, &c->e, EPOLLIN);
	}
}

static int open_listener(const struct pcct_addr *a)
{
	int one = 1, fd = socket(a->ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	/* VIPs may be configured after the server starts (TUN devices, lo). */
	setsockopt(fd, SOL_IP, IP_FREEBIND, &one, sizeof(one));
	if (a->ss.ss_family == AF_INET6)
		setsockopt(fd, SOL_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	if (bind(fd, (const struct sockaddr *)&a->ss, a->len) || listen(fd, 4096)) {
		close(fd);
		return -1;
	}
	return fd;
}

static int cmd_serve(int argc, char **argv)
{
	static const struct option opts[] = {
		{"id", 1, 0, 'i'}, {"listen", 1, 0, 'l'}, {"pidfile", 1, 0, 'p'}, {0}};
	struct server s = {0};
	struct pcct_addr *eps = NULL;
	struct ev sig, tim, *ls;
	const char *pidfile = NULL;
	size_t neps = 0, i;
	int o;
	char tmp[64];

	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (o == 'i')
			s.id = optarg;
		else if (o == 'l' && pcct_parse_endpoints(optarg, &eps, &neps))
			die("invalid endpoint list", optarg);
		else if (o == 'p')
			pidfile = optarg;
		else if (o == '?')
			return 2;
	}
	if (!s.id || !neps || strlen(s.id) >= PCCT_ID_MAX || strpbrk(s.id, " \t\r\n"))
		die("serve needs --id ID (no blanks, < 32 chars) and --listen", NULL);
	s.ep = loop_setup(&sig, &tim);
	ls = calloc(neps, sizeof(*ls));
	for (i = 0; ls && i < neps; i++) {
		ls[i] = (struct ev){T_LISTEN, open_listener(&eps[i])};
		if (ls[i].fd < 0)
			die("cannot listen on", pcct_addr_str(&eps[i], 1, tmp, sizeof(tmp)));
		ep_add(s.ep, &ls[i], EPOLLIN);
	}
	if (pidfile) {
		FILE *f = fopen(pidfile, "w");

		if (!f || fprintf(f, "%d\n", getpid()) < 0 || fclose(f))
			die("cannot write", pidfile);
	}
	for (;;) {
		struct epoll_event evs[64];
		int n = epoll_wait(s.ep, evs, 64, -1);

		for (int k = 0; k < n; k++) {
			struct ev *e = evs[k].data.ptr;

			if (e->type == T_LISTEN)
				serve_accept(&s, e);
			else if (e->type == T_SCONN && (evs[k].events & EPOLLIN))
				sconn_readable(&s, (struct sconn *)e);
			else if (e->type == T_SCONN)
				sconn_flush(&s, (struct sconn *)e);
			else if (e->type == T_TIMER)
				drain(e->fd);
			else if (e->type == T_SIGNAL) {
				printf("RESULT served=%" PRIu64 "\nRESULT streams=%" PRIu64 "\n",
				       s.served, s.streams);
				return 0;
			}
		}
	}
}

/* ---- client side (probe, load) -------------------------------------------- */

enum { CS_CONNECTING, CS_READING, CS_HELLO, CS_STREAMING };
enum { RS_OK, RS_FAIL, RS_RESET, RS_TIMEOUT };
static const char *const r_names[] = {"ok", "fail", "reset", "timeout"};

struct cconn {
	struct ev e;
	int state;
	bool stream;
	size_t src, dst, job;
	int64_t t0, deadline; /* monotonic ms */
	size_t len;
	char buf[1024];
};

static const char request[] = "GET / HTTP/1.0\r\nHost: pcct\r\nUser-Agent: pcctraffic\r\n\r\n";

/* Non-blocking connect from src to dst; fd or -errno. */
static int client_socket(const struct pcct_addr *src, const struct pcct_addr *dst)
{
	int one = 1, fd = socket(dst->ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	int err;

	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof(one));
	setsockopt(fd, SOL_TCP, TCP_NODELAY, &one, sizeof(one));
	if (bind(fd, (const struct sockaddr *)&src->ss, src->len) ||
	    (connect(fd, (const struct sockaddr *)&dst->ss, dst->len) && errno != EINPROGRESS)) {
		err = -errno;
		close(fd);
		return err;
	}
	return fd;
}

static int errno_status(int err)
{
	return err == ECONNRESET || err == ECONNREFUSED || err == EPIPE ? RS_RESET : RS_FAIL;
}

/*
 * Advances a request connection on an epoll event. Returns -1 while it is
 * in progress, else its status (server id in id).
 */
static int creq_event(int ep, struct cconn *c, char *id)
{
	int err = 0;
	socklen_t el = sizeof(err);
	ssize_t n;

	if (c->state == CS_CONNECTING) {
		getsockopt(c->e.fd, SOL_SOCKET, SO_ERROR, &err, &el);
		if (err == EINPROGRESS || err == EALREADY)
			return -1;
		if (err)
			return errno_status(err);
		if (send(c->e.fd, request, sizeof(request) - 1, MSG_NOSIGNAL) !=
		    sizeof(request) - 1)
			return errno_status(errno);
		c->state = CS_READING;
		ep_mod(ep, &c->e, EPOLLIN);
		return -1;
	}
	for (;;) {
		n = recv(c->e.fd, c->buf + c->len, sizeof(c->buf) - 1 - c->len, 0);
		if (n < 0 && errno == EAGAIN)
			return -1;
		if (n < 0)
			return errno_status(errno);
		if (n == 0 || c->len + (size_t)n == sizeof(c->buf) - 1)
			return pcct_reply_server(c->buf, c->len, id, PCCT_ID_MAX) == 1 ? RS_OK
										       : RS_FAIL;
		c->len += (size_t)n;
	}
}

struct servers {
	size_t n;
	char id[64][PCCT_ID_MAX];
};

static int server_index(struct servers *s, const char *id)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->id[i], id))
			return (int)i;
	if (s->n == 64)
		return -1;
	strcpy(s->id[s->n], id);
	return (int)s->n++;
}

/* ---- probe ---------------------------------------------------------------- */

struct pjob {
	uint32_t src, dst;
	int8_t status, server;
	int32_t ms;
};

struct probe {
	struct pcct_addr *src, *dst;
	size_t nsrc, ndst, conns, parallel;
	int64_t timeout;
	struct pjob *jobs;
	size_t njobs, next, done, inflight;
	struct servers srv;
	struct cconn **slot;
};

static void probe_finish(struct probe *p, struct cconn *c, int status, const char *id)
{
	struct pjob *j = &p->jobs[c->job];

	j->status = (int8_t)status;
	j->server = (int8_t)(status == RS_OK ? server_index(&p->srv, id) : -1);
	j->ms = (int32_t)(mono_ms() - c->t0);
	if (c->e.fd >= 0)
		close(c->e.fd);
	for (size_t i = 0; i < p->parallel; i++)
		if (p->slot[i] == c)
			p->slot[i] = NULL;
	free(c);
	p->done++;
	p->inflight--;
}

static void probe_start(struct probe *p, int ep)
{
	while (p->inflight < p->parallel && p->next < p->njobs) {
		struct pjob *j = &p->jobs[p->next];
		struct cconn *c = calloc(1, sizeof(*c));
		size_t i;
		int fd;

		if (!c)
			die("out of memory", NULL);
		c->job = p->next++;
		c->t0 = mono_ms();
		c->deadline = c->t0 + p->timeout;
		p->inflight++;
		for (i = 0; p->slot[i]; i++)
			;
		p->slot[i] = c;
		fd = client_socket(&p->src[j->src], &p->dst[j->dst]);
		c->e = (struct ev){T_CCONN, fd};
		if (fd < 0) {
			probe_finish(p, c, errno_status(-fd), NULL);
			continue;
		}
		ep_add(ep, &c->e, EPOLLOUT);
	}
}

static void probe_jobs(struct probe *p)
{
	size_t r, s, d;

	p->jobs = calloc(p->conns * p->nsrc * p->ndst, sizeof(*p->jobs));
	if (!p->jobs)
		die("out of memory", NULL);
	/* Round by round, so that a source's connections spread over the run. */
	for (r = 0; r < p->conns; r++)
		for (s = 0; s < p->nsrc; s++)
			for (d = 0; d < p->ndst; d++)
				if (p->src[s].ss.ss_family == p->dst[d].ss.ss_family)
					p->jobs[p->njobs++] = (struct pjob){.src = (uint32_t)s,
									    .dst = (uint32_t)d};
}

static void probe_report(const struct probe *p, FILE *out, FILE *json)
{
	int8_t *first = malloc(p->nsrc);
	bool *mixed = calloc(p->nsrc, sizeof(*mixed));
	uint64_t st[4] = {0}, conns[64] = {0}, srcs[64] = {0}, sources = 0, sticky = 0;
	char a[64], b[64];
	size_t i;

	if (!first || !mixed)
		die("out of memory", NULL);
	memset(first, -1, p->nsrc);
	for (i = 0; i < p->njobs; i++) {
		const struct pjob *j = &p->jobs[i];

		st[j->status]++;
		if (out)
			fprintf(out, "C %s %s %s %s %d\n",
				pcct_addr_str(&p->src[j->src], 0, a, sizeof(a)),
				pcct_addr_str(&p->dst[j->dst], 1, b, sizeof(b)), r_names[j->status],
				j->server >= 0 ? p->srv.id[j->server] : "-", j->ms);
		if (j->server < 0)
			continue;
		conns[j->server]++;
		if (first[j->src] < 0)
			first[j->src] = j->server;
		else if (first[j->src] != j->server)
			mixed[j->src] = true;
	}
	for (i = 0; i < p->nsrc; i++) {
		if (first[i] < 0)
			continue;
		sources++;
		sticky += !mixed[i];
		srcs[first[i]]++;
	}
	printf("RESULT conns=%zu\nRESULT ok=%" PRIu64 "\nRESULT failed=%" PRIu64
	       "\nRESULT reset=%" PRIu64 "\nRESULT timeout=%" PRIu64 "\n",
	       p->njobs, st[RS_OK], st[RS_FAIL], st[RS_RESET], st[RS_TIMEOUT]);
	printf("RESULT sources=%" PRIu64 "\nRESULT sticky_pct=%.1f\n", sources,
	       sources ? 100.0 * (double)sticky / (double)sources : 0.0);
	for (i = 0; i < p->srv.n; i++)
		printf("RESULT conns_%s=%" PRIu64 "\nRESULT sources_%s=%" PRIu64 "\n", p->srv.id[i],
		       conns[i], p->srv.id[i], srcs[i]);
	if (json) {
		fprintf(json,
			"{\"conns\":%zu,\"ok\":%" PRIu64 ",\"failed\":%" PRIu64
			",\"sources\":%" PRIu64 ",\"sticky_sources\":%" PRIu64 ",\"servers\":{",
			p->njobs, st[RS_OK], p->njobs - st[RS_OK], sources, sticky);
		for (i = 0; i < p->srv.n; i++)
			fprintf(json, "%s\"%s\":{\"conns\":%" PRIu64 ",\"sources\":%" PRIu64 "}",
				i ? "," : "", p->srv.id[i], conns[i], srcs[i]);
		fprintf(json, "}}\n");
	}
	free(first);
	free(mixed);
}

static int cmd_probe(int argc, char **argv)
{
	static const struct option opts[] = {{"src", 1, 0, 's'},     {"to", 1, 0, 't'},
					     {"conns", 1, 0, 'c'},   {"parallel", 1, 0, 'p'},
					     {"timeout", 1, 0, 'T'}, {"out", 1, 0, 'o'},
					     {"json", 1, 0, 'j'},    {0}};
	struct probe p = {.conns = 1, .parallel = 32, .timeout = 3000};
	const char *outp = NULL, *jsonp = NULL;
	FILE *out = NULL, *json = NULL;
	struct ev sig, tim;
	int o, ep;

	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (o == 's' && pcct_parse_addrs(optarg, &p.src, &p.nsrc))
			die("invalid source addresses", optarg);
		else if (o == 't' && pcct_parse_endpoints(optarg, &p.dst, &p.ndst))
			die("invalid endpoint list", optarg);
		else if (o == 'c' && (p.conns = strtoul(optarg, NULL, 10)) == 0)
			die("invalid --conns", optarg);
		else if (o == 'p' &&
			 ((p.parallel = strtoul(optarg, NULL, 10)) == 0 || p.parallel > 4096))
			die("invalid --parallel (1-4096)", optarg);
		else if (o == 'T' && (pcct_parse_ms(optarg, &p.timeout) || !p.timeout))
			die("invalid --timeout", optarg);
		else if (o == 'o')
			outp = optarg;
		else if (o == 'j')
			jsonp = optarg;
		else if (o == '?')
			return 2;
	}
	if (!p.nsrc || !p.ndst)
		die("probe needs --src and --to", NULL);
	probe_jobs(&p);
	p.slot = calloc(p.parallel, sizeof(*p.slot));
	if (!p.slot)
		die("out of memory", NULL);
	ep = loop_setup(&sig, &tim);
	probe_start(&p, ep);
	while (p.done < p.njobs) {
		struct epoll_event evs[64];
		int n = epoll_wait(ep, evs, 64, -1);
		char id[PCCT_ID_MAX];
		bool tick = false;

		for (int k = 0; k < n; k++) {
			struct ev *e = evs[k].data.ptr;
			int st;

			if (e->type == T_SIGNAL)
				die("interrupted", NULL);
			if (e->type == T_TIMER) {
				drain(e->fd);
				tick = true;
				continue;
			}
			st = creq_event(ep, (struct cconn *)e, id);
			if (st >= 0)
				probe_finish(&p, (struct cconn *)e, st, id);
		}
		/* after the batch: a connection freed here may have had an event in it */
		for (size_t i = 0; tick && i < p.parallel; i++)
			if (p.slot[i] && mono_ms() > p.slot[i]->deadline)
				probe_finish(&p, p.slot[i], RS_TIMEOUT, NULL);
		probe_start(&p, ep);
	}
	if (outp && !(out = strcmp(outp, "-") ? fopen(outp, "w") : stdout))
		die("cannot write", outp);
	if (jsonp && !(json = fopen(jsonp, "w")))
		die("cannot write", jsonp);
	probe_report(&p, out, json);
	if (out && out != stdout)
		fclose(out);
	if (json)
		fclose(json);
	for (size_t i = 0; i < p.njobs; i++)
		if (p.jobs[i].status != RS_OK)
			return 1;
	return 0;
}

/* ---- load ----------------------------------------------------------------- */

struct stream {
	struct cconn c;
	size_t idx;
	bool alive, stalled;
	uint64_t seq;
	int64_t next_ping, last_rx, reconnect_at;
	int64_t sent[64];
	char server[PCCT_ID_MAX];
};

struct load {
	struct pcct_addr *src, *dst;
	size_t nsrc, ndst, nstreams, max_inflight, inflight, rr;
	int64_t rate, interval, stall, duration, timeout, t0;
	uint64_t started, skipped;
	struct cconn **slot;
	struct stream *st;
	FILE *log;
	int ep;
};

static void log_req(struct load *l, struct cconn *c, int status, const char *id)
{
	char a[64], b[64];

	fprintf(l->log, "R %" PRId64 " %s %s %s %s %" PRId64 "\n", now_ms(),
		pcct_addr_str(&l->src[c->src], 0, a, sizeof(a)),
		pcct_addr_str(&l->dst[c->dst], 1, b, sizeof(b)), r_names[status],
		status == RS_OK ? id : "-", mono_ms() - c->t0);
}

static void log_stream(struct load *l, struct stream *s, const char *ev, int64_t info)
{
	char a[64];

	fprintf(l->log, "S %" PRId64 " %zu %s %s %s %" PRId64 "\n", now_ms(), s->idx,
		pcct_addr_str(&l->src[s->c.src], 0, a, sizeof(a)), ev,
		s->server[0] ? s->server : "-", info);
}

static void load_req_done(struct load *l, struct cconn *c, int status, const char *id)
{
	log_req(l, c, status, id);
	if (c->e.fd >= 0)
		close(c->e.fd);
	for (size_t i = 0; i < l->max_inflight; i++)
		if (l->slot[i] == c)
			l->slot[i] = NULL;
	free(c);
	l->inflight--;
}

static void load_req_start(struct load *l)
{
	struct cconn *c;
	size_t i, s, d;
	int fd;

	if (l->inflight >= l->max_inflight) {
		l->skipped++;
		return;
	}
	/* next source, and an endpoint of its family */
	s = l->rr % l->nsrc;
	d = (l->rr / l->nsrc) % l->ndst;
	l->rr++;
	for (i = 0; i < l->ndst && l->dst[d].ss.ss_family != l->src[s].ss.ss_family; i++)
		d = (d + 1) % l->ndst;
	c = calloc(1, sizeof(*c));
	if (!c)
		die("out of memory", NULL);
	*c = (struct cconn){.src = s, .dst = d, .t0 = mono_ms()};
	c->deadline = c->t0 + l->timeout;
	for (i = 0; l->slot[i]; i++)
		;
	l->slot[i] = c;
	l->inflight++;
	l->started++;
	fd = client_socket(&l->src[s], &l->dst[d]);
	c->e = (struct ev){T_CCONN, fd};
	if (fd < 0)
		load_req_done(l, c, errno_status(-fd), NULL);
	else
		ep_add(l->ep, &c->e, EPOLLOUT);
}

static void stream_dead(struct load *l, struct stream *s, int err)
{
	if (s->alive || s->c.state != CS_CONNECTING || err)
		log_stream(l, s,
			   err == ECONNRESET || err == EPIPE || err == ECONNREFUSED ? "rst"
										    : "closed",
			   err);
	if (s->c.e.fd >= 0)
		close(s->c.e.fd);
	s->c.e.fd = -1;
	s->alive = s->stalled = false;
	s->server[0] = '\0';
	s->reconnect_at = mono_ms() + 200;
}

static void stream_connect(struct load *l, struct stream *s)
{
	int fd = client_socket(&l->src[s->c.src], &l->dst[s->c.dst]);

	s->c.state = CS_CONNECTING;
	s->c.len = 0;
	s->c.t0 = mono_ms();
	s->c.e = (struct ev){T_CCONN, fd};
	if (fd < 0) {
		stream_dead(l, s, -fd);
		return;
	}
	ep_add(l->ep, &s->c.e, EPOLLOUT);
}

static void stream_line(struct load *l, struct stream *s, char *line)
{
	int64_t now = mono_ms();
	uint64_t seq;
	char id[PCCT_ID_MAX];

	if (s->c.state == CS_HELLO && sscanf(line, "HELLO %31s", s->server) == 1) {
		s->c.state = CS_STREAMING;
		s->alive = true;
		s->last_rx = s->next_ping = now;
		log_stream(l, s, "open", 0);
	} else if (s->c.state == CS_STREAMING &&
		   sscanf(line, "PONG %" SCNu64 " %31s", &seq, id) == 2) {
		if (s->stalled)
			log_stream(l, s, "resume", now - s->last_rx);
		s->stalled = false;
		s->last_rx = now;
		log_stream(l, s, "data",
			   seq < s->seq && s->seq - seq <= 64 ? now - s->sent[seq % 64] : -1);
	}
}

static void stream_event(struct load *l, struct stream *s)
{
	int err = 0;
	socklen_t el = sizeof(err);
	char *nl;
	ssize_t n;

	if (s->c.state == CS_CONNECTING) {
		getsockopt(s->c.e.fd, SOL_SOCKET, SO_ERROR, &err, &el);
		if (err == EINPROGRESS)
			return;
		if (err || send(s->c.e.fd, "STREAM\n", 7, MSG_NOSIGNAL) != 7) {
			stream_dead(l, s, err ? err : errno);
			return;
		}
		s->c.state = CS_HELLO;
		ep_mod(l->ep, &s->c.e, EPOLLIN);
		return;
	}
	for (;;) {
		n = recv(s->c.e.fd, s->c.buf + s->c.len, sizeof(s->c.buf) - 1 - s->c.len, 0);
		if (n < 0 && errno == EAGAIN)
			return;
		if (n <= 0) {
			stream_dead(l, s, n < 0 ? errno : 0);
			return;
		}
		s->c.len += (size_t)n;
		s->c.buf[s->c.len] = '\0';
		while ((nl = strchr(s->c.buf, '\n'))) {
			*nl = '\0';
			stream_line(l, s, s->c.buf);
			memmove(s->c.buf, nl + 1, s->c.len -= (size_t)(nl + 1 - s->c.buf));
			s->c.buf[s->c.len] = '\0';
		}
		if (s->c.len == sizeof(s->c.buf) - 1) {
			stream_dead(l, s, EPROTO);
			return;
		}
	}
}

/* Pings, stall detection, reconnects and connect timeouts of the streams. */
static void streams_tick(struct load *l)
{
	int64_t now = mono_ms();
	char msg[32];

	for (size_t i = 0; i < l->nstreams; i++) {
		struct stream *s = &l->st[i];

		if (s->c.e.fd < 0) {
			if (now >= s->reconnect_at)
				stream_connect(l, s);
			continue;
		}
		if (!s->alive) {
			if (now - s->c.t0 > l->timeout)
				stream_dead(l, s, ETIMEDOUT);
			continue;
		}
		if (now >= s->next_ping) {
			int len = snprintf(msg, sizeof(msg), "PING %" PRIu64 "\n", s->seq);

			s->sent[s->seq++ % 64] = now;
			s->next_ping += l->interval;
			if (send(s->c.e.fd, msg, (size_t)len, MSG_NOSIGNAL | MSG_DONTWAIT) < 0 &&
			    errno != EAGAIN) {
				stream_dead(l, s, errno);
				continue;
			}
		}
		if (!s->stalled && now - s->last_rx > l->stall) {
			s->stalled = true;
			log_stream(l, s, "stall", now - s->last_rx);
		}
	}
}

static void load_tick(struct load *l, int64_t *last_flush)
{
	int64_t now = mono_ms(), due;

	for (size_t i = 0; i < l->max_inflight; i++)
		if (l->slot[i] && now > l->slot[i]->deadline)
			load_req_done(l, l->slot[i], RS_TIMEOUT, NULL);
	due = l->rate * (now - l->t0) / 1000;
	while ((int64_t)(l->started + l->skipped) < due)
		load_req_start(l);
	streams_tick(l);
	if (now - *last_flush >= 200) {
		fflush(l->log);
		*last_flush = now;
	}
}

static void load_run(struct load *l)
{
	int64_t last_flush = mono_ms();
	struct ev sig, tim;
	char id[PCCT_ID_MAX];

	l->ep = loop_setup(&sig, &tim);
	l->t0 = mono_ms();
	for (size_t i = 0; i < l->nstreams; i++) {
		struct stream *s = &l->st[i];

		s->idx = i;
		s->c.src = (i * 7919) % l->nsrc; /* spread over the sources */
		s->c.dst = i % l->ndst;
		for (size_t k = 0;
		     k < l->ndst && l->dst[s->c.dst].ss.ss_family != l->src[s->c.src].ss.ss_family;
		     k++)
			s->c.dst = (s->c.dst + 1) % l->ndst;
		s->c.e.fd = -1;
		stream_connect(l, s);
	}
	while (!l->duration || mono_ms() - l->t0 < l->duration) {
		struct epoll_event evs[64];
		int n = epoll_wait(l->ep, evs, 64, -1);
		bool tick = false;

		for (int k = 0; k < n; k++) {
			struct ev *e = evs[k].data.ptr;
			struct cconn *c = (struct cconn *)e;
			int st;

			if (e->type == T_SIGNAL)
				return;
			if (e->type == T_TIMER) {
				drain(e->fd);
				tick = true;
			} else if (c->stream) {
				stream_event(l, (struct stream *)c);
			} else if ((st = creq_event(l->ep, c, id)) >= 0) {
				load_req_done(l, c, st, id);
			}
		}
		/* after the batch: a connection freed here may have had an event in it */
		if (tick)
			load_tick(l, &last_flush);
	}
}

static int cmd_load(int argc, char **argv)
{
	static const struct option opts[] = {{"src", 1, 0, 's'},
					     {"to", 1, 0, 't'},
					     {"rate", 1, 0, 'r'},
					     {"streams", 1, 0, 'k'},
					     {"interval", 1, 0, 'i'},
					     {"stall", 1, 0, 'S'},
					     {"duration", 1, 0, 'd'},
					     {"timeout", 1, 0, 'T'},
					     {"max-inflight", 1, 0, 'm'},
					     {"log", 1, 0, 'l'},
					     {0}};
	struct load l = {
		.rate = 50, .interval = 100, .stall = 500, .timeout = 1000, .max_inflight = 256};
	struct pcct_an_opts ao = {0};
	struct pcct_an_result ar;
	const char *logp = NULL;
	int o;

	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (o == 's' && pcct_parse_addrs(optarg, &l.src, &l.nsrc))
			die("invalid source addresses", optarg);
		else if (o == 't' && pcct_parse_endpoints(optarg, &l.dst, &l.ndst))
			die("invalid endpoint list", optarg);
		else if (o == 'r' && (l.rate = strtoll(optarg, NULL, 10)) < 0)
			die("invalid --rate", optarg);
		else if (o == 'k')
			l.nstreams = strtoul(optarg, NULL, 10);
		else if (o == 'i' && (pcct_parse_ms(optarg, &l.interval) || !l.interval))
			die("invalid --interval", optarg);
		else if (o == 'S' && pcct_parse_ms(optarg, &l.stall))
			die("invalid --stall", optarg);
		else if (o == 'd' && pcct_parse_ms(optarg, &l.duration))
			die("invalid --duration", optarg);
		else if (o == 'T' && (pcct_parse_ms(optarg, &l.timeout) || !l.timeout))
			die("invalid --timeout", optarg);
		else if (o == 'm' && ((l.max_inflight = strtoul(optarg, NULL, 10)) == 0 ||
				      l.max_inflight > 65536))
			die("invalid --max-inflight", optarg);
		else if (o == 'l')
			logp = optarg;
		else if (o == '?')
			return 2;
	}
	if (!l.nsrc || !l.ndst || !logp)
		die("load needs --src, --to and --log", NULL);
	l.log = fopen(logp, "w+");
	l.slot = calloc(l.max_inflight, sizeof(*l.slot));
	l.st = calloc(l.nstreams + 1, sizeof(*l.st));
	if (!l.log || !l.slot || !l.st)
		die("cannot write", logp);
	for (size_t i = 0; i < l.nstreams; i++)
		l.st[i].c.stream = true;
	fprintf(l.log,
		"# pcctraffic-load v1 start_ms=%" PRId64 " rate=%" PRId64
		" streams=%zu sources=%zu\n",
		now_ms(), l.rate, l.nstreams, l.nsrc);
	load_run(&l);
	fflush(l.log);
	rewind(l.log);
	if (pcct_analyse(l.log, &ao, &ar))
		die("cannot analyse", logp);
	pcct_an_print(stdout, &ar, 0);
	printf("RESULT rate_achieved=%.1f\nRESULT skipped=%" PRIu64 "\n",
	       (double)l.started * 1000.0 / (double)(mono_ms() - l.t0 + 1), l.skipped);
	fclose(l.log);
	return 0;
}

/* ---- analyse -------------------------------------------------------------- */

static int cmd_analyse(int argc, char **argv)
{
	static const struct option opts[] = {
		{"crash-ms", 1, 0, 'c'}, {"timeline", 1, 0, 't'}, {"bucket", 1, 0, 'b'}, {0}};
	struct pcct_an_opts ao = {.bucket_ms = 1000};
	struct pcct_an_result ar;
	FILE *log;
	int o;

	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (o == 'c')
			ao.crash_ms = strtoll(optarg, NULL, 10);
		else if (o == 't' && !(ao.timeline = fopen(optarg, "w")))
			die("cannot write", optarg);
		else if (o == 'b' && (pcct_parse_ms(optarg, &ao.bucket_ms) || !ao.bucket_ms))
			die("invalid --bucket", optarg);
		else if (o == '?')
			return 2;
	}
	if (optind != argc - 1)
		die("analyse needs one log file", NULL);
	log = fopen(argv[optind], "r");
	if (!log)
		die("cannot read", argv[optind]);
	if (pcct_analyse(log, &ao, &ar))
		die("analysis failed", NULL);
	pcct_an_print(stdout, &ar, ao.crash_ms != 0);
	if (ao.timeline)
		fclose(ao.timeline);
	fclose(log);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(int, char **);
	} cmds[] = {{"serve", cmd_serve},
		    {"probe", cmd_probe},
		    {"load", cmd_load},
		    {"analyse", cmd_analyse}};

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (size_t i = 0; argc > 1 && i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(argv[1], cmds[i].name))
			return cmds[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "usage: pcctraffic serve|probe|load|analyse [options] (see the head of "
			"pcctraffic.c)\n");
	return 2;
}
