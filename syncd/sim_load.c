// SPDX-License-Identifier: GPL-2.0
/*
 * sim_load.c: TEST ONLY. The simulation backend's load generator and
 * latency probe, driven over IPC (SYNCD_IPC_SIM, syncd_ipc.h).
 *
 * Template i is created by a real handshake through the core: a SYN then
 * the client's ACK to a persistent TCP service, so the CONFIRMED event is
 * the core's own; the connection entry is then deleted to keep memory
 * flat (the template stays, as after a short connection). Clients:
 *  - plain: 198.18.0.0/15 (RFC 2544 benchmarking range), service i % N,
 *    client i / N over the N IPv4 TCP services;
 *  - latency: 2001:db8:0:1::/64 + the creation time (CLOCK_MONOTONIC ns)
 *    on the IPv6 TCP services with netmask 128; every receiving daemon
 *    subtracts it from its own clock when the template is injected
 *    (all namespaces of one host share CLOCK_MONOTONIC).
 */
#include <errno.h>
#include <string.h>
#include <arpa/inet.h>
#include <qb/qbdefs.h>

#include "sim.h"

#define STEP_FAST 4096		/* templates per step at unlimited rate */
#define STEP_MAX 16384
#define STEP_NS (1 * QB_TIME_NS_IN_MSEC)
#define V4_BASE 0xc6120000u	/* 198.18.0.0 */
#define V4_CLIENTS (1u << 17)	/* /15 */

static const uint8_t lat_prefix[8] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 1 };

static bool svc_usable(const struct syncd_sim_svc *s, bool latency)
{
	if (s->protocol != IPPROTO_TCP || !s->port)
		return false;
	return latency ? s->af == AF_INET6 && s->netmask == 128 :
			 s->af == AF_INET;
}

/* The k-th usable service, and how many there are. */
static const struct syncd_sim_svc *svc_pick(const struct syncd_conf *c,
					    bool latency, uint64_t k,
					    uint32_t *n)
{
	const struct syncd_sim_svc *hit = NULL;
	uint32_t cnt = 0;

	for (size_t i = 0; i < c->n_sim_svc; i++)
		if (svc_usable(&c->sim_svc[i], latency))
			cnt++;
	if (n)
		*n = cnt;
	if (!cnt)
		return NULL;
	k %= cnt;
	for (size_t i = 0; i < c->n_sim_svc && !hit; i++)
		if (svc_usable(&c->sim_svc[i], latency) && k-- == 0)
			hit = &c->sim_svc[i];
	return hit;
}

/* Client address and service of generated template i. */
static const struct syncd_sim_svc *client_of(struct sim *sim, uint64_t i,
					     union pcc_addr *ca)
{
	bool latency = sim->load.flags & SYNCD_SIM_F_LATENCY;
	uint32_t n;
	const struct syncd_sim_svc *s = svc_pick(sim->b->conf, latency, i, &n);

	memset(ca, 0, sizeof(*ca));
	if (!s)
		return NULL;
	if (latency) {
		uint64_t ns = sim_now_ns();

		if (ns <= sim->load.last_ns)
			ns = sim->load.last_ns + 1;
		sim->load.last_ns = ns;
		memcpy(ca->b, lat_prefix, 8);
		for (int k = 0; k < 8; k++)
			ca->b[8 + k] = (uint8_t)(ns >> (56 - 8 * k));
	} else {
		ca->ip = htonl(V4_BASE + (uint32_t)(i / n));
	}
	return s;
}

static int create_one(struct sim *sim, uint64_t i, uint64_t now)
{
	struct pcc_pkt p = { .protocol = IPPROTO_TCP, .len = 60 };
	struct pcc_conn_info key = { .protocol = IPPROTO_TCP };
	struct pcc_verdict v;
	const struct syncd_sim_svc *s = client_of(sim, i, &p.saddr);

	if (!s)
		return -ENOENT;
	p.af = s->af;
	p.sport = (uint16_t)(1024 + i % 60000);
	p.dport = s->port;
	memcpy(p.daddr.b, s->vaddr.b, sizeof(p.daddr.b));
	p.tcp_flags = PCC_TCP_SYN;
	if (pcc_decide(sim->t, &p, now, &v) != PCC_FORWARD)
		return -EIO;
	p.tcp_flags = PCC_TCP_ACK;
	if (pcc_decide(sim->t, &p, now, &v) != PCC_FORWARD)
		return -EIO;
	key.af = p.af;
	key.caddr = p.saddr;
	key.cport = p.sport;
	key.vaddr = p.daddr;
	key.vport = p.dport;
	pcc_conn_del(sim->t, &key);
	return 0;
}

static void step(void *data);

static void schedule(struct sim *sim)
{
	qb_loop_timer_add(sim->b->loop, QB_LOOP_LOW,
			  sim->load.rate ? STEP_NS : 0, sim, step,
			  &sim->load.timer);
}

static void step(void *data)
{
	struct sim *sim = data;
	struct sim_load *l = &sim->load;
	uint64_t now_ns = sim_now_ns(), want, n;

	if (!l->running)
		return;
	if (l->rate) {
		want = (now_ns - l->t0_ns) / 1000 * l->rate / 1000000;
		if (want > l->count)
			want = l->count;
		n = want > l->done ? want - l->done : 0;
		if (n > STEP_MAX)
			n = STEP_MAX;
	} else {
		n = l->count - l->done < STEP_FAST ? l->count - l->done :
						     STEP_FAST;
	}
	sim->quiet = l->flags & SYNCD_SIM_F_QUIET;
	for (uint64_t k = 0; k < n; k++, l->done++) {
		if (create_one(sim, l->start + l->done, now_ns / 1000000) < 0)
			l->failed++;
		else
			l->created++;
	}
	sim->quiet = false;
	if (l->done >= l->count) {
		l->running = false;
		l->end_ns = sim_now_ns();
		return;
	}
	schedule(sim);
}

void sim_load_stop(struct sim *sim)
{
	if (sim->load.running) {
		qb_loop_timer_del(sim->b->loop, sim->load.timer);
		sim->load.running = false;
		sim->load.end_ns = sim_now_ns();
	}
}

void sim_latency_probe(struct sim *sim, const struct pccvs_tpl *t,
		       uint64_t now_ns)
{
	uint64_t ns = 0, lat;

	if (t->af != AF_INET6 || memcmp(t->caddr.b, lat_prefix, 8) != 0)
		return;
	for (int k = 0; k < 8; k++)
		ns = ns << 8 | t->caddr.b[8 + k];
	lat = now_ns > ns ? now_ns - ns : 0;
	sim->lat_count++;
	if (lat > sim->lat_max_ns)
		sim->lat_max_ns = lat;
	lat /= SIM_LAT_STEP_NS;
	sim->lat[lat < SIM_LAT_BUCKETS ? lat : SIM_LAT_BUCKETS]++;
}

static uint64_t percentile(const struct sim *sim, unsigned int pct)
{
	uint64_t want = (sim->lat_count * pct + 99) / 100, seen = 0;

	if (!sim->lat_count)
		return 0;
	for (unsigned int i = 0; i <= SIM_LAT_BUCKETS; i++) {
		seen += sim->lat[i];
		if (seen >= want)	/* upper edge of the bucket */
			return i < SIM_LAT_BUCKETS ?
				       (uint64_t)(i + 1) * SIM_LAT_STEP_NS :
				       sim->lat_max_ns;
	}
	return sim->lat_max_ns;
}

static int load_start(struct sim *sim, const struct syncd_ipc_sim_req *r)
{
	bool latency = r->flags & SYNCD_SIM_F_LATENCY;
	uint32_t n = 0;

	if (sim->load.running)
		return -EBUSY;
	if (!r->count || (r->flags & ~(uint32_t)(SYNCD_SIM_F_LATENCY |
						   SYNCD_SIM_F_QUIET)))
		return -EINVAL;
	svc_pick(sim->b->conf, latency, 0, &n);
	if (!n)
		return -ENOENT;	/* no usable TCP service for that mode */
	if (!latency && (r->start + r->count + n - 1) / n > V4_CLIENTS)
		return -ERANGE;	/* 198.18.0.0/15 exhausted */
	memset(&sim->load, 0, sizeof(sim->load));
	sim->load.running = true;
	sim->load.flags = r->flags;
	sim->load.count = r->count;
	sim->load.rate = r->rate;
	sim->load.start = r->start;
	sim->load.t0_ns = sim_now_ns();
	schedule(sim);
	return 0;
}

static int delete_range(struct sim *sim, const struct syncd_ipc_sim_req *r)
{
	uint64_t now = sim_now_ms();
	uint32_t n = 0;

	if (sim->load.running)
		return -EBUSY;
	svc_pick(sim->b->conf, false, 0, &n);
	if (!n || !r->count)
		return -EINVAL;
	for (uint64_t i = r->start; i < r->start + r->count; i++) {
		const struct syncd_sim_svc *s = svc_pick(sim->b->conf, false, i,
							 NULL);
		struct pcc_domain dom = { .af = s->af, .protocol = s->protocol,
					  .vport = s->port };
		union pcc_addr ca = { .ip = htonl(V4_BASE + (uint32_t)(i / n)) };

		memcpy(dom.vaddr.b, s->vaddr.b, sizeof(dom.vaddr.b));
		memcpy(dom.pgroup, s->pgroup, sizeof(dom.pgroup));
		if (pcc_tpl_del(sim->t, &dom, &ca, 0, now) == 0)
			sim->load.deleted++;
	}
	return 0;
}

static void fill(struct sim *sim, struct syncd_ipc_sim_resp *o)
{
	struct pcc_table_stats st;

	pcc_table_stats(sim->t, &st);
	o->running = sim->load.running;
	o->created = sim->load.created;
	o->deleted = sim->load.deleted;
	o->failed = sim->load.failed;
	o->load_start_ns = sim->load.t0_ns;
	o->load_end_ns = sim->load.end_ns;
	o->injected = sim->injected;
	o->inject_first_ns = sim->inject_first_ns;
	o->inject_last_ns = sim->inject_last_ns;
	o->lat_count = sim->lat_count;
	o->lat_p50_ns = percentile(sim, 50);
	o->lat_p99_ns = percentile(sim, 99);
	o->lat_max_ns = sim->lat_max_ns;
	o->templates = st.tpl_count;
	o->conns = st.conn_count;
}

int sim_control(struct backend *b, uint32_t cmd, const void *req,
		size_t req_len, void *resp, size_t *resp_len)
{
	const struct syncd_ipc_sim_req *r = req;
	struct syncd_ipc_sim_resp *o = resp;
	struct sim *sim = b->priv;
	int rc = 0;

	if (cmd != SYNCD_IPC_SIM || req_len < sizeof(*r) ||
	    *resp_len < sizeof(*o))
		return -EINVAL;
	switch (r->cmd) {
	case SYNCD_SIM_LOAD:
		rc = load_start(sim, r);
		break;
	case SYNCD_SIM_STOP:
		sim_load_stop(sim);
		break;
	case SYNCD_SIM_STATS:
		break;
	case SYNCD_SIM_DELETE:
		rc = delete_range(sim, r);
		break;
	case SYNCD_SIM_RESET:
		sim->injected = sim->inject_first_ns = sim->inject_last_ns = 0;
		sim->lat_count = sim->lat_max_ns = 0;
		memset(sim->lat, 0, (SIM_LAT_BUCKETS + 1) * sizeof(*sim->lat));
		break;
	default:
		return -EOPNOTSUPP;
	}
	if (rc < 0)
		return rc;
	memset(o, 0, sizeof(*o));
	o->hdr.size = sizeof(*o);
	o->version = SYNCD_IPC_VERSION;
	fill(sim, o);
	*resp_len = sizeof(*o);
	return 0;
}
