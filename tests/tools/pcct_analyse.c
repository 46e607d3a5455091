// SPDX-License-Identifier: GPL-2.0
/*
 * pcct_analyse.c: reads a pcctraffic load log (format in pcct.h) and
 * measures an outage (failover time, failed requests, affinity kept per
 * client, streams that survived) and a timeline of successes per server.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "pcct.h"

enum { ST_OK, ST_FAIL, ST_RESET, ST_TIMEOUT };
enum { EV_OPEN, EV_DATA, EV_STALL, EV_RESUME, EV_RST, EV_CLOSED };

struct req {
	int64_t t, lat;
	uint32_t src;
	uint8_t st;
	int16_t srv;
};

struct sev {
	int64_t t, info;
	uint32_t stream;
	uint8_t ev;
};

struct an {
	struct req *r;
	size_t nr, cr;
	struct sev *s;
	size_t ns, cs;
	char **src; /* interned source names, hashed */
	uint32_t *slot;
	size_t nsrc, csrc;
	uint32_t maxstream;
	int64_t start_ms;
};

static uint64_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	while (*s)
		h = (h ^ (uint8_t)*s++) * 1099511628211ULL;
	return h;
}

static int src_grow(struct an *a)
{
	size_t nc = a->csrc ? a->csrc * 2 : 256, i;
	uint32_t *ns = malloc(nc * sizeof(*ns));
	char **nsrc = realloc(a->src, nc / 2 * sizeof(*nsrc));

	if (!ns || !nsrc) {
		free(ns);
		if (nsrc)
			a->src = nsrc;
		return -ENOMEM;
	}
	a->src = nsrc;
	memset(ns, 0xff, nc * sizeof(*ns));
	for (i = 0; i < a->nsrc; i++) {
		size_t j = hash(a->src[i]) & (nc - 1);

		while (ns[j] != UINT32_MAX)
			j = (j + 1) & (nc - 1);
		ns[j] = (uint32_t)i;
	}
	free(a->slot);
	a->slot = ns;
	a->csrc = nc;
	return 0;
}

/* Index of source name s (added if new), or -errno. */
static int64_t src_id(struct an *a, const char *s)
{
	size_t j;

	if ((a->nsrc + 1) * 2 > a->csrc && src_grow(a))
		return -ENOMEM;
	for (j = hash(s) & (a->csrc - 1); a->slot[j] != UINT32_MAX; j = (j + 1) & (a->csrc - 1))
		if (!strcmp(a->src[a->slot[j]], s))
			return a->slot[j];
	a->src[a->nsrc] = strdup(s);
	if (!a->src[a->nsrc])
		return -ENOMEM;
	a->slot[j] = (uint32_t)a->nsrc;
	return (int64_t)a->nsrc++;
}

static int srv_id(struct pcct_an_result *r, const char *s)
{
	size_t i;

	if (!strcmp(s, "-"))
		return -1;
	for (i = 0; i < r->nservers; i++)
		if (!strcmp(r->servers[i], s))
			return (int)i;
	if (r->nservers == 64 || strlen(s) >= PCCT_ID_MAX)
		return -1;
	strcpy(r->servers[r->nservers], s);
	return (int)r->nservers++;
}

static int lookup(const char *const *names, const char *s)
{
	for (int i = 0; names[i]; i++)
		if (!strcmp(names[i], s))
			return i;
	return -1;
}

static int grow(void **v, size_t *cap, size_t n, size_t size)
{
	void *nv;

	if (n < *cap)
		return 0;
	nv = realloc(*v, (*cap ? *cap * 2 : 1024) * size);
	if (!nv)
		return -ENOMEM;
	*v = nv;
	*cap = *cap ? *cap * 2 : 1024;
	return 0;
}

static const char *const st_names[] = {"ok", "fail", "reset", "timeout", NULL};
static const char *const ev_names[] = {"open", "data", "stall", "resume", "rst", "closed", NULL};

/* One log line into the arrays; 1 if it is not a valid event line. */
static int parse_line(struct an *a, struct pcct_an_result *r, const char *line)
{
	char f[4][64];
	int64_t t, x, id;
	unsigned stream;
	int k;

	if (line[0] == '#') {
		const char *p = strstr(line, "start_ms=");

		if (p)
			a->start_ms = strtoll(p + 9, NULL, 10);
		return 0;
	}
	if (line[0] == '\n' || !line[0])
		return 0;
	if (sscanf(line, "R %" SCNd64 " %63s %63s %63s %63s %" SCNd64, &t, f[0], f[1], f[2], f[3],
		   &x) == 6) {
		k = lookup(st_names, f[2]);
		if (k < 0 || grow((void **)&a->r, &a->cr, a->nr, sizeof(*a->r)))
			return 1;
		id = src_id(a, f[0]);
		if (id < 0)
			return 1;
		a->r[a->nr++] = (struct req){.t = t,
					     .lat = x,
					     .src = (uint32_t)id,
					     .st = (uint8_t)k,
					     .srv = (int16_t)(k == ST_OK ? srv_id(r, f[3]) : -1)};
		return 0;
	}
	if (sscanf(line, "S %" SCNd64 " %u %63s %63s %63s %" SCNd64, &t, &stream, f[0], f[1], f[2],
		   &x) == 6) {
		k = lookup(ev_names, f[1]);
		if (k < 0 || stream > 1000000 || grow((void **)&a->s, &a->cs, a->ns, sizeof(*a->s)))
			return 1;
		a->s[a->ns++] = (struct sev){.t = t, .info = x, .stream = stream, .ev = (uint8_t)k};
		if (stream + 1 > a->maxstream)
			a->maxstream = stream + 1;
		return 0;
	}
	return 1;
}

static int cmp_req(const void *x, const void *y)
{
	const struct req *p = x, *q = y;

	return (p->t > q->t) - (p->t < q->t);
}

static int cmp_sev(const void *x, const void *y)
{
	const struct sev *p = x, *q = y;

	return (p->t > q->t) - (p->t < q->t);
}

/*
 * Outage: with crash_ms, from the last success before it to the first
 * success of a request started after it; else the longest gap between
 * successes.
 */
static void outage(const struct an *a, const struct pcct_an_opts *o, struct pcct_an_result *r)
{
	int64_t prev = -1, from = -1, to = -1, gap = -1;
	size_t i;

	for (i = 0; i < a->nr; i++) {
		const struct req *q = &a->r[i];

		if (q->st != ST_OK)
			continue;
		if (o->crash_ms) {
			/* recovery: a request started after the crash succeeds */
			if (q->t <= o->crash_ms)
				from = q->t;
			else if (to < 0 && q->t - q->lat >= o->crash_ms)
				to = q->t;
		} else if (prev >= 0 && q->t - prev > gap) {
			gap = q->t - prev;
			from = prev;
			to = q->t;
		}
		prev = q->t;
	}
	r->outage_from_ms = from;
	r->outage_to_ms = to;
	r->failover_ms = from >= 0 && to >= 0 ? to - from : -1;
	for (i = 0; i < a->nr; i++)
		if (a->r[i].st != ST_OK && a->r[i].t > from && (to < 0 || a->r[i].t <= to))
			r->failed_in_outage++;
}

/* Per source: sticky over the whole run, and kept across the outage. */
static int affinity(const struct an *a, struct pcct_an_result *r)
{
	int16_t *first = malloc((a->nsrc + 1) * sizeof(*first)),
		*before = malloc((a->nsrc + 1) * sizeof(*before));
	int16_t *after = malloc((a->nsrc + 1) * sizeof(*after));
	uint8_t *mixed = calloc(a->nsrc ? a->nsrc : 1, 1);
	size_t i;

	if (!first || !before || !after || !mixed) {
		free(first), free(before), free(after), free(mixed);
		return -ENOMEM;
	}
	for (i = 0; i < a->nsrc; i++)
		first[i] = before[i] = after[i] = -1;
	for (i = 0; i < a->nr; i++) {
		const struct req *q = &a->r[i];

		if (q->st != ST_OK || q->srv < 0)
			continue;
		if (first[q->src] < 0)
			first[q->src] = q->srv;
		else if (first[q->src] != q->srv)
			mixed[q->src] = 1;
		if (r->outage_from_ms >= 0 && q->t <= r->outage_from_ms)
			before[q->src] = q->srv;
		if (r->outage_to_ms >= 0 && q->t >= r->outage_to_ms && after[q->src] < 0)
			after[q->src] = q->srv;
	}
	for (i = 0; i < a->nsrc; i++) {
		if (first[i] >= 0) {
			r->sources++;
			r->sticky_sources += !mixed[i];
		}
		if (before[i] >= 0 && after[i] >= 0) {
			r->affinity_clients++;
			r->affinity_kept += before[i] == after[i];
		}
	}
	free(first), free(before), free(after), free(mixed);
	return 0;
}

/*
 * Streams counted: those open at the crash (with crash_ms), else every
 * stream ever opened. Survived: no rst/closed after that point.
 */
static int streams(const struct an *a, const struct pcct_an_opts *o, struct pcct_an_result *r)
{
	uint8_t *open = calloc(a->maxstream + 1, 1), *counted = calloc(a->maxstream + 1, 1);
	uint8_t *died = calloc(a->maxstream + 1, 1);
	int crossed = !o->crash_ms;
	size_t i;

	if (!open || !counted || !died) {
		free(open), free(counted), free(died);
		return -ENOMEM;
	}
	for (i = 0; i <= a->ns; i++) {
		const struct sev *e = i < a->ns ? &a->s[i] : NULL;

		if (!crossed && (!e || e->t > o->crash_ms)) {
			memcpy(counted, open, a->maxstream); /* open when the crash came */
			crossed = 1;
		}
		if (!e)
			break;
		if (e->ev == EV_OPEN) {
			open[e->stream] = 1;
			if (!o->crash_ms)
				counted[e->stream] = 1;
		} else if (e->ev == EV_RST || e->ev == EV_CLOSED) {
			if (crossed && counted[e->stream] && !died[e->stream]) {
				died[e->stream] = 1;
				r->streams_rst += e->ev == EV_RST;
				r->streams_closed += e->ev == EV_CLOSED;
			}
			open[e->stream] = 0;
		} else if ((e->ev == EV_RESUME || e->ev == EV_STALL) &&
			   e->info > r->stream_max_stall_ms) {
			r->stream_max_stall_ms = e->info;
		}
	}
	for (i = 0; i < a->maxstream; i++) {
		r->streams += counted[i];
		r->streams_survived += counted[i] && !died[i];
	}
	free(open), free(counted), free(died);
	return 0;
}

static void timeline(const struct an *a, const struct pcct_an_opts *o,
		     const struct pcct_an_result *r)
{
	int64_t b = o->bucket_ms > 0 ? o->bucket_ms : 1000, t0, cur = -1;
	uint64_t cnt[65];
	size_t i, k;

	if (!o->timeline)
		return;
	fprintf(o->timeline, "t_s");
	for (k = 0; k < r->nservers; k++)
		fprintf(o->timeline, ",%s", r->servers[k]);
	fprintf(o->timeline, ",fail\n");
	if (!a->nr)
		return;
	t0 = a->start_ms ? a->start_ms : a->r[0].t;
	for (i = 0; i <= a->nr; i++) {
		int64_t bk = i < a->nr ? (a->r[i].t - t0) / b : -2;

		if (bk != cur && cur != -1) {
			fprintf(o->timeline, "%.3f", (double)(cur * b) / 1000);
			for (k = 0; k <= r->nservers; k++)
				fprintf(o->timeline, ",%" PRIu64, cnt[k]);
			fputc('\n', o->timeline);
			/* empty buckets are rows of zeros, so that gaps show */
			for (int64_t e = cur + 1; i < a->nr && e < bk; e++) {
				fprintf(o->timeline, "%.3f", (double)(e * b) / 1000);
				for (k = 0; k <= r->nservers; k++)
					fprintf(o->timeline, ",0");
				fputc('\n', o->timeline);
			}
		}
		if (i == a->nr)
			break;
		if (bk != cur) {
			memset(cnt, 0, sizeof(cnt));
			cur = bk;
		}
		if (a->r[i].st == ST_OK && a->r[i].srv >= 0)
			cnt[a->r[i].srv]++;
		else if (a->r[i].st != ST_OK)
			cnt[r->nservers]++;
	}
}

int pcct_analyse(FILE *log, const struct pcct_an_opts *o, struct pcct_an_result *r)
{
	struct an a = {0};
	char line[512];
	size_t i;
	int err = 0;

	memset(r, 0, sizeof(*r));
	r->first_ms = r->last_ms = -1;
	while (fgets(line, sizeof(line), log))
		r->bad_lines += (uint64_t)parse_line(&a, r, line);
	if (a.nr)
		qsort(a.r, a.nr, sizeof(*a.r), cmp_req);
	if (a.ns)
		qsort(a.s, a.ns, sizeof(*a.s), cmp_sev);
	for (i = 0; i < a.nr; i++) {
		const struct req *q = &a.r[i];

		r->requests++;
		r->ok += q->st == ST_OK;
		r->failed += q->st == ST_FAIL;
		r->reset += q->st == ST_RESET;
		r->timeout += q->st == ST_TIMEOUT;
		if (q->st == ST_OK && q->srv >= 0)
			r->server_ok[q->srv]++;
	}
	if (a.nr) {
		r->first_ms = a.r[0].t;
		r->last_ms = a.r[a.nr - 1].t;
	}
	outage(&a, o, r);
	err = affinity(&a, r);
	if (!err)
		err = streams(&a, o, r);
	if (!err)
		timeline(&a, o, r);
	for (i = 0; i < a.nsrc; i++)
		free(a.src[i]);
	free(a.src), free(a.slot), free(a.r), free(a.s);
	return err;
}

static double pct(uint64_t n, uint64_t d)
{
	return d ? 100.0 * (double)n / (double)d : 0.0;
}

void pcct_an_print(FILE *f, const struct pcct_an_result *r, int with_crash)
{
	fprintf(f,
		"RESULT requests=%" PRIu64 "\nRESULT ok=%" PRIu64 "\nRESULT failed=%" PRIu64
		"\nRESULT reset=%" PRIu64 "\nRESULT timeout=%" PRIu64 "\n",
		r->requests, r->ok, r->failed, r->reset, r->timeout);
	fprintf(f, "RESULT %s=%" PRId64 "\n", with_crash ? "failover_ms" : "max_gap_ms",
		r->failover_ms);
	fprintf(f, "RESULT failed_in_outage=%" PRIu64 "\n", r->failed_in_outage);
	fprintf(f, "RESULT affinity_kept_pct=%.1f\nRESULT affinity_clients=%" PRIu64 "\n",
		pct(r->affinity_kept, r->affinity_clients), r->affinity_clients);
	fprintf(f, "RESULT sticky_pct=%.1f\nRESULT sources=%" PRIu64 "\n",
		pct(r->sticky_sources, r->sources), r->sources);
	fprintf(f,
		"RESULT streams_survived=%" PRIu64 "/%" PRIu64 "\nRESULT streams_rst=%" PRIu64
		"\nRESULT stream_max_stall_ms=%" PRId64 "\n",
		r->streams_survived, r->streams, r->streams_rst, r->stream_max_stall_ms);
	for (size_t i = 0; i < r->nservers; i++)
		fprintf(f, "RESULT ok_%s=%" PRIu64 "\n", r->servers[i], r->server_ok[i]);
	if (r->bad_lines)
		fprintf(f, "RESULT bad_lines=%" PRIu64 "\n", r->bad_lines);
}
