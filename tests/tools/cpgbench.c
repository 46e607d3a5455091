// SPDX-License-Identifier: GPL-2.0
/*
 * cpgbench: raw CPG throughput, the ceiling pccvs-syncd is compared with.
 *
 *   cpgbench GROUP recv COUNT           receive COUNT messages from others
 *   cpgbench GROUP send COUNT SIZE MEMBERS
 *                                       wait for MEMBERS group members,
 *                                       multicast COUNT messages of SIZE
 *   cpgbench GROUP latrecv COUNT        latency of COUNT messages
 *   cpgbench GROUP latsend COUNT SIZE MEMBERS RATE
 *                                       COUNT messages at RATE per second,
 *                                       each carrying its send time
 * The sender retries CS_ERR_TRY_AGAIN after draining its own deliveries
 * and a 200 us pause (the best a non-spinning sender does). Times are
 * CLOCK_MONOTONIC ns, shared by all namespaces of one host:
 *   sender:   start_ns= end_ns= (its own delivery of the last message)
 *   receiver: recv= bytes= first_ns= last_ns=
 *   latency receiver: lat_n= lat_p50_ns= lat_p99_ns= lat_max_ns=
 */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <corosync/cpg.h>

struct st {
	uint32_t nodeid;
	bool sender, lat;
	uint64_t *lats;
	uint64_t want, got, bytes, first_ns, last_ns, self_got;
	size_t members;
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static void on_deliver(cpg_handle_t h, const struct cpg_name *g,
		       uint32_t nodeid, uint32_t pid, void *msg, size_t len)
{
	struct st *s;
	bool self;

	if (cpg_context_get(h, (void **)&s) != CS_OK)
		return;
	self = nodeid == s->nodeid && pid == (uint32_t)getpid();
	if (self) {
		s->self_got++;
		s->last_ns = now_ns();
		return;
	}
	if (!s->got)
		s->first_ns = now_ns();
	if (s->lat && len >= 8 && s->got < s->want) {
		uint64_t t;

		memcpy(&t, msg, sizeof(t));
		s->lats[s->got] = now_ns() - t;
	}
	s->got++;
	s->bytes += len;
	s->last_ns = now_ns();
}

static void on_confchg(cpg_handle_t h, const struct cpg_name *g,
		       const struct cpg_address *m, size_t nm,
		       const struct cpg_address *l, size_t nl,
		       const struct cpg_address *j, size_t nj)
{
	struct st *s;

	if (cpg_context_get(h, (void **)&s) == CS_OK)
		s->members = nm;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static int pump(cpg_handle_t h, int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	if (poll(&p, 1, ms) > 0 && cpg_dispatch(h, CS_DISPATCH_ALL) != CS_OK)
		return -1;
	return 0;
}

int main(int argc, char **argv)
{
	cpg_model_v1_data_t model = { .model = CPG_MODEL_V1,
				      .cpg_deliver_fn = on_deliver,
				      .cpg_confchg_fn = on_confchg };
	struct st s = { 0 };
	struct cpg_name g;
	cpg_handle_t h;
	uint64_t try_again = 0, start;
	size_t size = 0, want_members = 0;
	char *buf = NULL;
	int fd;

	uint64_t rate = 0;

	if (argc < 4 || strlen(argv[1]) >= CPG_MAX_NAME_LENGTH ||
	    (strcmp(argv[2], "recv") && strcmp(argv[2], "latrecv") &&
	     ((strcmp(argv[2], "send") && strcmp(argv[2], "latsend")) ||
	      argc < 6) && (strcmp(argv[2], "latsend") || argc < 7))) {
		fprintf(stderr, "usage: cpgbench GROUP recv|latrecv COUNT | "
			"GROUP send COUNT SIZE MEMBERS | "
			"GROUP latsend COUNT SIZE MEMBERS RATE\n");
		return 2;
	}
	s.sender = !strcmp(argv[2], "send") || !strcmp(argv[2], "latsend");
	s.lat = !strncmp(argv[2], "lat", 3);
	s.want = strtoull(argv[3], NULL, 0);
	if (s.lat && !s.sender) {
		s.lats = calloc(s.want ? s.want : 1, sizeof(*s.lats));
		if (!s.lats)
			return 1;
	}
	if (s.lat && s.sender)
		rate = strtoull(argv[6], NULL, 0);
	if (s.sender) {
		size = strtoul(argv[4], NULL, 0);
		want_members = strtoul(argv[5], NULL, 0);
		buf = calloc(1, size);
		if (!buf || !size)
			return 2;
	}
	g.length = (uint32_t)strlen(argv[1]);
	memcpy(g.value, argv[1], g.length);
	if (cpg_model_initialize(&h, CPG_MODEL_V1, (cpg_model_data_t *)&model,
				 &s) != CS_OK || cpg_local_get(h, &s.nodeid) != CS_OK ||
	    cpg_join(h, &g) != CS_OK || cpg_fd_get(h, &fd) != CS_OK) {
		fprintf(stderr, "cpgbench: cannot join %s\n", argv[1]);
		return 1;
	}
	if (!s.sender) {
		printf("ready\n");
		fflush(stdout);
		while (s.got < s.want)
			if (pump(h, fd, 1000) < 0)
				return 1;
		if (s.lat) {
			qsort(s.lats, s.want, sizeof(*s.lats), cmp_u64);
			printf("lat_n=%" PRIu64 " lat_p50_ns=%" PRIu64 " lat_p99_ns=%"
			       PRIu64 " lat_max_ns=%" PRIu64 "\n", s.want,
			       s.lats[s.want / 2], s.lats[s.want * 99 / 100],
			       s.lats[s.want - 1]);
			return 0;
		}
		printf("recv=%" PRIu64 " bytes=%" PRIu64 " first_ns=%" PRIu64
		       " last_ns=%" PRIu64 "\n", s.got, s.bytes, s.first_ns,
		       s.last_ns);
		return 0;
	}
	while (s.members < want_members)
		if (pump(h, fd, 100) < 0)
			return 1;
	start = now_ns();
	for (uint64_t i = 0; i < s.want;) {
		struct iovec iov = { .iov_base = buf, .iov_len = size };
		cs_error_t rc;

		if (rate) {	/* paced: message i leaves at start + i / rate */
			uint64_t due = start + i * 1000000000ULL / rate, t = now_ns();

			if (t < due) {
				if (pump(h, fd, 0) < 0)
					return 1;
				if (due - t > 50000)
					usleep(50);
				continue;
			}
			t = now_ns();
			memcpy(buf, &t, size < sizeof(t) ? size : sizeof(t));
		}
		rc = cpg_mcast_joined(h, CPG_TYPE_AGREED, &iov, 1);

		if (rc == CS_OK) {
			i++;
			continue;
		}
		if (rc != CS_ERR_TRY_AGAIN)
			return 1;
		try_again++;
		if (pump(h, fd, 0) < 0)
			return 1;
		usleep(200);
	}
	while (s.self_got < s.want)
		if (pump(h, fd, 1000) < 0)
			return 1;
	printf("sent=%" PRIu64 " size=%zu start_ns=%" PRIu64 " end_ns=%" PRIu64
	       " try_again=%" PRIu64 "\n", s.want, size, start, s.last_ns,
	       try_again);
	cpg_leave(h, &g);
	cpg_finalize(h);
	return 0;
}
