// SPDX-License-Identifier: GPL-2.0
/*
 * backend_sim.c: TEST ONLY. A forwarding table without a kernel: the
 * user-space build of the portable core (kmod/core), configured from the
 * sim_service/sim_dest lines of syncd.conf. Events of the core are queued
 * like the module's event socket would (bounded by netlink_rcvbuf; an
 * overrun is reported once as -ENOBUFS) and signalled through an eventfd.
 * The namespace-cluster tests and benchmarks run the daemon on it; the
 * VM tests use the real module (backend_nl.c).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/eventfd.h>

#include "sim.h"

#define EVENT_BYTES 128		/* about one event on the netlink socket */
#define DUMP_CHUNK 512

uint64_t sim_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static void addr_out(struct pccvs_addr *o, uint16_t af, const union pcc_addr *a)
{
	o->af = af;
	memcpy(o->b, a->b, sizeof(o->b));
}

void sim_tpl_from_info(struct pccvs_tpl *o, const struct pcc_tpl_info *i)
{
	memset(o, 0, sizeof(*o));
	o->af = i->dom.af;
	o->protocol = i->dom.protocol;
	o->vport = i->dom.vport;
	o->fwmark = i->dom.fwmark;
	addr_out(&o->vaddr, i->dom.af, &i->dom.vaddr);
	memcpy(o->pgroup, i->dom.pgroup, sizeof(o->pgroup));
	addr_out(&o->caddr, i->dom.af, &i->caddr);
	addr_out(&o->daddr, i->dom.af, &i->daddr);
	o->dport = i->dport;
	o->flags = i->flags;
	o->remaining_ms = i->remaining_ms;
	o->stamp = i->stamp;
	o->nctl = i->nctl;
	o->timeout = i->dom.timeout;
	o->netmask = i->dom.netmask;
}

void sim_dom_from_tpl(struct pcc_domain *d, const struct pccvs_tpl *t)
{
	memset(d, 0, sizeof(*d));
	d->af = t->af;
	d->protocol = t->protocol;
	d->vport = t->vport;
	d->fwmark = t->fwmark;
	memcpy(d->vaddr.b, t->vaddr.b, sizeof(d->vaddr.b));
	memcpy(d->pgroup, t->pgroup, sizeof(d->pgroup));
}

static void sim_event(void *ctx, enum pccvs_tpl_event ev,
		      const struct pcc_tpl_info *tpl)
{
	struct sim *sim = ctx;
	uint64_t one = 1;

	if (sim->quiet)
		return;
	if (sim->qn >= sim->qmax) {
		sim->overrun = true;	/* like ENOBUFS on the socket */
		return;
	}
	if (sim->qn == sim->qcap) {
		size_t cap = sim->qcap ? sim->qcap * 2 : 1024;
		struct pccvs_tpl *q = realloc(sim->q, cap * sizeof(*q));

		if (!q) {
			sim->overrun = true;
			return;
		}
		sim->q = q;
		sim->qcap = cap;
	}
	sim_tpl_from_info(&sim->q[sim->qn], tpl);
	sim->q[sim->qn++].event = (uint8_t)ev;
	if (!sim->signalled && write(sim->efd, &one, sizeof(one)) == sizeof(one))
		sim->signalled = true;
}

static const struct pcc_event_ops sim_ev_ops = { .tpl_event = sim_event };

static int add_services(struct backend *b, struct sim *sim)
{
	const struct syncd_conf *c = b->conf;
	struct pcc_err err = { 0 };
	int rc;

	for (size_t i = 0; i < c->n_sim_svc; i++) {
		const struct syncd_sim_svc *s = &c->sim_svc[i];
		struct pcc_svc_conf sc = { 0 };

		sc.key.af = s->af;
		sc.key.protocol = s->protocol;
		sc.key.port = s->port;
		memcpy(sc.key.addr.b, s->vaddr.b, sizeof(sc.key.addr.b));
		strcpy(sc.sched, s->sched[0] ? s->sched : "rr");
		sc.flags = PCCVS_SVC_F_PERSISTENT;
		sc.timeout = s->timeout;
		sc.netmask = s->netmask;
		memcpy(sc.pgroup, s->pgroup, sizeof(sc.pgroup));
		rc = pcc_svc_add(sim->t, &sc, &err);
		if (rc < 0)
			goto fail;
	}
	for (size_t i = 0; i < c->n_sim_dest; i++) {
		const struct syncd_sim_dest *d = &c->sim_dest[i];
		const struct syncd_sim_svc *s = &c->sim_svc[d->svc];
		struct pcc_svc_key key = { .af = s->af, .protocol = s->protocol,
					   .port = s->port };
		struct pcc_dest_conf dc = { .port = d->port,
					    .fwd = PCCVS_FWD_DR,
					    .weight = d->weight };

		memcpy(key.addr.b, s->vaddr.b, sizeof(key.addr.b));
		memcpy(dc.addr.b, d->addr.b, sizeof(dc.addr.b));
		rc = pcc_dest_add(sim->t, &key, &dc, &err);
		if (rc < 0)
			goto fail;
	}
	return 0;
fail:
	snprintf(b->err, sizeof(b->err), "sim config refused by the core: %s",
		 err.msg ? err.msg : strerror(-rc));
	return rc;
}

static void sim_close(struct backend *b)
{
	struct sim *sim = b->priv;

	if (!sim)
		return;
	sim_load_stop(sim);
	if (sim->t)
		pcc_table_destroy(sim->t);
	if (sim->efd >= 0)
		close(sim->efd);
	free(sim->q);
	free(sim->lat);
	free(sim);
	b->priv = NULL;
}

static int sim_open(struct backend *b)
{
	struct pcc_table_conf tc = {
		.conn_max = b->conf->sim_conn_max,
		.tpl_max = b->conf->sim_tpl_max,
		.ev_ops = &sim_ev_ops,
	};
	struct sim *sim = calloc(1, sizeof(*sim));
	int rc;

	if (!sim)
		return -ENOMEM;
	b->priv = sim;
	sim->b = b;
	sim->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	sim->qmax = b->conf->netlink_rcvbuf / EVENT_BYTES;
	sim->lat = calloc(SIM_LAT_BUCKETS + 1, sizeof(*sim->lat));
	tc.ev_ctx = sim;
	if (sim->efd < 0 || !sim->lat) {
		rc = sim->efd < 0 ? -errno : -ENOMEM;
		goto fail;
	}
	rc = pcc_table_create(&sim->t, &tc, sim_now_ms());
	if (rc < 0) {
		sim->t = NULL;
		snprintf(b->err, sizeof(b->err), "pcc_table_create: %s",
			 strerror(-rc));
		goto fail;
	}
	rc = add_services(b, sim);
	if (rc < 0)
		goto fail;
	return 0;
fail:
	sim_close(b);
	return rc;
}

static int sim_event_fd(struct backend *b)
{
	return ((struct sim *)b->priv)->efd;
}

static int sim_read_events(struct backend *b, backend_tpl_cb cb, void *arg)
{
	struct sim *sim = b->priv;
	uint64_t v;
	size_t n = sim->qn;

	if (read(sim->efd, &v, sizeof(v)) < 0 && errno != EAGAIN)
		return -errno;
	sim->signalled = false;
	for (size_t i = 0; i < n; i++)
		cb(&sim->q[i], arg);
	sim->qn = 0;
	if (sim->overrun) {
		sim->overrun = false;
		return -ENOBUFS;
	}
	return (int)n;
}

static int sim_inject(struct backend *b, const struct pccvs_tpl *v, size_t n,
		      struct pccvs_result *r)
{
	struct sim *sim = b->priv;
	uint64_t now_ns = sim_now_ns(), now = now_ns / 1000000;

	for (size_t i = 0; i < n; i++) {
		struct pcc_tpl_info in = { 0 };
		struct pcc_err err = { 0 };
		enum pcc_merge res;
		int rc;

		sim_dom_from_tpl(&in.dom, &v[i]);
		memcpy(in.caddr.b, v[i].caddr.b, sizeof(in.caddr.b));
		memcpy(in.daddr.b, v[i].daddr.b, sizeof(in.daddr.b));
		in.dport = v[i].dport;
		in.flags = (uint16_t)v[i].flags;
		in.remaining_ms = v[i].remaining_ms;
		in.stamp = v[i].stamp;
		rc = pcc_tpl_inject(sim->t, &in, now, &res, &err);
		if (rc < 0)
			r->refused++;
		else if (res == PCC_MERGE_UNCHANGED)
			r->unchanged++;
		else
			r->applied++;
		sim_latency_probe(sim, &v[i], now_ns);
	}
	if (n) {
		if (!sim->injected)
			sim->inject_first_ns = now_ns;
		sim->injected += n;
		sim->inject_last_ns = now_ns;
	}
	return 0;
}

static int sim_del(struct backend *b, const struct pccvs_tpl *v, size_t n,
		   struct pccvs_result *r)
{
	struct sim *sim = b->priv;
	uint64_t now = sim_now_ms();

	for (size_t i = 0; i < n; i++) {
		struct pcc_domain dom;
		union pcc_addr caddr;
		int rc;

		sim_dom_from_tpl(&dom, &v[i]);
		memcpy(caddr.b, v[i].caddr.b, sizeof(caddr.b));
		rc = pcc_tpl_del(sim->t, &dom, &caddr, v[i].stamp, now);
		if (rc == 0)
			r->applied++;
		else if (rc == -ENOENT || rc == -ESTALE)
			r->unchanged++;
		else
			r->refused++;
	}
	return 0;
}

static int sim_dump(struct backend *b, uint32_t flags, backend_tpl_cb cb,
		    void *arg)
{
	struct sim *sim = b->priv;
	struct pcc_tpl_cursor cur = { 0 };
	struct pcc_tpl_info *buf = malloc(DUMP_CHUNK * sizeof(*buf));
	struct pccvs_tpl t;
	uint64_t now = sim_now_ms();
	uint32_t n;
	int rc = 0;

	if (!buf)
		return -ENOMEM;
	while (rc == 0 &&
	       (n = pcc_tpl_iter(sim->t, &cur, flags, NULL, now, buf,
				 DUMP_CHUNK)) > 0) {
		for (uint32_t i = 0; i < n && rc == 0; i++) {
			sim_tpl_from_info(&t, &buf[i]);
			rc = cb(&t, arg);
		}
	}
	free(buf);
	return rc;
}

static int sim_dump_next(struct backend *b, struct backend_cursor *bc,
			 uint32_t flags, backend_tpl_cb cb, void *arg,
			 uint32_t max)
{
	struct sim *sim = b->priv;
	struct pcc_tpl_cursor cur;
	struct pcc_tpl_info buf[DUMP_CHUNK];
	struct pccvs_tpl t;
	uint32_t n, done = 0;
	int rc = 0;

	_Static_assert(sizeof(cur) <= sizeof(bc->opaque), "cursor too big");
	memcpy(&cur, bc->opaque, sizeof(cur));
	while (done < max && rc == 0) {
		n = pcc_tpl_iter(sim->t, &cur, flags, NULL, sim_now_ms(), buf,
				 max - done < DUMP_CHUNK ? max - done : DUMP_CHUNK);
		if (!n)
			break;
		for (uint32_t i = 0; i < n && rc == 0; i++) {
			sim_tpl_from_info(&t, &buf[i]);
			rc = cb(&t, arg);
		}
		done += n;
	}
	memcpy(bc->opaque, &cur, sizeof(cur));
	return rc ? rc : (int)done;
}

static int sim_counts(struct backend *b, struct backend_counts *out)
{
	struct sim *sim = b->priv;
	struct pcc_table_stats st;

	pcc_table_stats(sim->t, &st);
	out->templates = st.tpl_count;
	out->local = UINT64_MAX;
	out->services = st.svc_count;
	return 0;
}

/* A cascade of the expiry wheels can make many templates due at once:
 * take them a few thousand at a time so CPG keeps being dispatched. */
#define TICK_BUDGET 4096

static int sim_tick(struct backend *b)
{
	struct sim *sim = b->priv;

	return pcc_tick(sim->t, sim_now_ms(), TICK_BUDGET) != 0;
}

const struct backend_ops backend_sim_ops = {
	.name = "sim",
	.open = sim_open,
	.close = sim_close,
	.event_fd = sim_event_fd,
	.read_events = sim_read_events,
	.inject = sim_inject,
	.del = sim_del,
	.dump = sim_dump,
	.dump_next = sim_dump_next,
	.counts = sim_counts,
	.tick = sim_tick,
	.control = sim_control,
	.cfg_load = sim_cfg_load,
	.cfg_apply = sim_cfg_apply,
};
