// SPDX-License-Identifier: GPL-2.0
/*
 * syncctl: test tool speaking pccvs-syncd's IPC protocol (syncd/syncd_ipc.h).
 * Output is "key=value" lines, easy to grep from shell tests.
 *
 *   syncctl status | members | digest [FLAGS] | resync | reannounce
 *   syncctl dump [FLAGS] [SKIP [MAX [CLIENT]]]  one template per line
 *   syncctl sim-load COUNT [RATE [START [latency|quiet]]]
 *   syncctl sim-stats | sim-stop | sim-reset | sim-delete COUNT [START]
 *   syncctl raw ID SIZE [VERSION]           a hand-made request (tests)
 * FLAGS: all, local, confirmed, local+confirmed. Exit 0 on success, 1 on
 * an error answer (printed as error=-ERRNO), 2 on usage errors, 3 if the
 * daemon cannot be reached.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <qb/qbipcc.h>
#include <linux/pccvs.h>

#include "syncd_ipc.h"

static const char *const refuse_names[] = { SYNCD_IPC_REFUSE_NAMES };

static int req(qb_ipcc_connection_t *c, void *r, size_t len, void *resp,
	       size_t resp_len)
{
	struct iovec iov = { .iov_base = r, .iov_len = len };
	ssize_t n = qb_ipcc_sendv_recv(c, &iov, 1, resp, resp_len, 30000);
	const struct qb_ipc_response_header *h = resp;

	if (n < 0) {
		fprintf(stderr, "syncctl: request: %s\n", strerror((int)-n));
		return 3;
	}
	if ((size_t)n < sizeof(*h)) {
		fprintf(stderr, "syncctl: short response\n");
		return 1;
	}
	if (h->error) {
		printf("error=%d\n", h->error);
		fprintf(stderr, "syncctl: %s\n", strerror(-h->error));
		return 1;
	}
	return 0;
}

#define U(name) printf(#name "=%" PRIu64 "\n", (uint64_t)o->name)

static void print_status(const struct syncd_ipc_status *o)
{
	printf("nodeid=%u\ngroup=%s\nbackend=%s\n", o->nodeid, o->group,
	       o->backend);
	U(connected); U(joined); U(synced); U(quorate); U(backend_ready);
	U(state); U(members); U(epoch); U(seq_sent); U(seq_self_delivered);
	U(pending); U(queue_live_msgs); U(queue_bulk_msgs); U(queue_bytes);
	U(msgs_sent); U(bytes_sent); U(tpl_sent); U(tpl_del_sent); U(try_again);
	U(events); U(events_merged); U(ev_overruns); U(reannounces);
	U(reannounced); U(msgs_recv); U(bytes_recv); U(tpl_recv);
	U(tpl_del_recv); U(tpl_applied); U(tpl_unchanged); U(tpl_refused);
	U(tpl_deleted); U(malformed); U(seq_gaps); U(snapshots_received);
	U(snapshots_served); U(xfer_aborts); U(xfer_failures);
	U(last_snap_count); U(last_snap_ms); U(last_served_count);
	U(last_served_ms); U(swept); U(cpg_reconnects); U(backend_reopens);
	U(templates); U(unconfirmed);
	printf("local_templates=%" PRId64 "\n", o->local_templates == UINT64_MAX ?
	       -1 : (int64_t)o->local_templates);
	for (size_t i = 0; i < sizeof(refuse_names) / sizeof(refuse_names[0]); i++)
		printf("refused_%s=%" PRIu64 "\n", refuse_names[i], o->refused[i]);
}

static int parse_flags(const char *s, uint32_t *out)
{
	if (!s || !strcmp(s, "all"))
		*out = 0;
	else if (!strcmp(s, "local"))
		*out = PCCVS_DUMP_F_LOCAL;
	else if (!strcmp(s, "confirmed"))
		*out = PCCVS_DUMP_F_CONFIRMED;
	else if (!strcmp(s, "local+confirmed"))
		*out = PCCVS_DUMP_F_ALL;
	else
		return -1;
	return 0;
}

static const char *addr(uint16_t af, const uint8_t *b, char *buf)
{
	return inet_ntop(af, b, buf, INET6_ADDRSTRLEN) ? buf : "?";
}

static int cmd_dump(qb_ipcc_connection_t *c, int argc, char **argv)
{
	struct syncd_ipc_dump_req r = { .hdr = { .id = SYNCD_IPC_TPL_DUMP,
						 .size = sizeof(r) },
					.version = SYNCD_IPC_VERSION };
	size_t size = sizeof(struct syncd_ipc_tpls) +
		      SYNCD_IPC_DUMP_MAX * sizeof(struct syncd_ipc_tpl);
	struct syncd_ipc_tpls *o = calloc(1, size);
	char a[3][INET6_ADDRSTRLEN];
	int rc;

	if (!o || parse_flags(argc > 0 ? argv[0] : NULL, &r.flags) < 0)
		return 2;
	r.skip = argc > 1 ? strtoull(argv[1], NULL, 0) : 0;
	r.max = argc > 2 ? (uint32_t)strtoul(argv[2], NULL, 0) :
			   SYNCD_IPC_DUMP_MAX;
	if (argc > 3) {
		r.client_af = inet_pton(AF_INET, argv[3], r.client) == 1 ? AF_INET :
			      inet_pton(AF_INET6, argv[3], r.client) == 1 ?
			      AF_INET6 : 0;
		if (!r.client_af)
			return 2;
	}
	rc = req(c, &r, sizeof(r), o, size);
	if (rc)
		return rc;
	printf("total=%" PRIu64 " n=%u\n", o->total, o->n);
	for (uint32_t i = 0; i < o->n; i++) {
		const struct syncd_ipc_tpl *t = &o->t[i];

		printf("tpl vip=%s vport=%u fwmark=%u pgroup=%s client=%s "
		       "server=%s dport=%u remaining_ms=%" PRIu64 " stamp=%"
		       PRIu64 " flags=%u\n", addr(t->af, t->vaddr, a[0]),
		       t->vport, t->fwmark, t->pgroup[0] ? t->pgroup : "-",
		       addr(t->af, t->caddr, a[1]), addr(t->af, t->daddr, a[2]),
		       t->dport, t->remaining_ms, t->stamp, t->flags);
	}
	free(o);
	return 0;
}

static int cmd_sim(qb_ipcc_connection_t *c, const char *cmd, int argc,
		   char **argv)
{
	struct syncd_ipc_sim_req r = { .hdr = { .id = SYNCD_IPC_SIM,
						.size = sizeof(r) },
				       .version = SYNCD_IPC_VERSION };
	struct syncd_ipc_sim_resp o;
	int rc;

	if (!strcmp(cmd, "sim-load")) {
		if (argc < 1)
			return 2;
		r.cmd = SYNCD_SIM_LOAD;
		r.count = strtoull(argv[0], NULL, 0);
		r.rate = argc > 1 ? strtoull(argv[1], NULL, 0) : 0;
		r.start = argc > 2 ? strtoull(argv[2], NULL, 0) : 0;
		if (argc > 3 && !strcmp(argv[3], "latency"))
			r.flags = SYNCD_SIM_F_LATENCY;
		else if (argc > 3 && !strcmp(argv[3], "quiet"))
			r.flags = SYNCD_SIM_F_QUIET;
	} else if (!strcmp(cmd, "sim-delete")) {
		if (argc < 1)
			return 2;
		r.cmd = SYNCD_SIM_DELETE;
		r.count = strtoull(argv[0], NULL, 0);
		r.start = argc > 1 ? strtoull(argv[1], NULL, 0) : 0;
	} else if (!strcmp(cmd, "sim-stop")) {
		r.cmd = SYNCD_SIM_STOP;
	} else if (!strcmp(cmd, "sim-reset")) {
		r.cmd = SYNCD_SIM_RESET;
	} else {
		r.cmd = SYNCD_SIM_STATS;
	}
	rc = req(c, &r, sizeof(r), &o, sizeof(o));
	if (rc)
		return rc;
	printf("running=%u\ncreated=%" PRIu64 "\ndeleted=%" PRIu64 "\nfailed=%"
	       PRIu64 "\nload_start_ns=%" PRIu64 "\nload_end_ns=%" PRIu64
	       "\ninjected=%" PRIu64 "\ninject_first_ns=%" PRIu64
	       "\ninject_last_ns=%" PRIu64 "\nlat_count=%" PRIu64
	       "\nlat_p50_ns=%" PRIu64 "\nlat_p99_ns=%" PRIu64 "\nlat_max_ns=%"
	       PRIu64 "\ntemplates=%" PRIu64 "\nconns=%" PRIu64 "\n", o.running,
	       o.created, o.deleted, o.failed, o.load_start_ns, o.load_end_ns,
	       o.injected, o.inject_first_ns, o.inject_last_ns, o.lat_count,
	       o.lat_p50_ns, o.lat_p99_ns, o.lat_max_ns, o.templates, o.conns);
	return 0;
}

static int cmd_raw(qb_ipcc_connection_t *c, int argc, char **argv)
{
	uint8_t buf[256] = { 0 }, resp[4096];
	struct qb_ipc_request_header *h = (void *)buf;
	size_t size;

	if (argc < 2)
		return 2;
	size = strtoul(argv[1], NULL, 0);
	if (size < sizeof(*h) || size > sizeof(buf))
		return 2;
	h->id = (int32_t)strtol(argv[0], NULL, 0);
	h->size = (int32_t)size;
	if (size >= sizeof(*h) + 4)
		*(uint32_t *)(buf + sizeof(*h)) = argc > 2 ?
			(uint32_t)strtoul(argv[2], NULL, 0) : SYNCD_IPC_VERSION;
	return req(c, buf, size, resp, sizeof(resp));
}

int main(int argc, char **argv)
{
	static union {
		struct syncd_ipc_status st;
		struct syncd_ipc_members m;
		struct syncd_ipc_digest d;
		struct syncd_ipc_resp r;
		struct syncd_ipc_reannounce ra;
	} o;
	struct syncd_ipc_req r = { .hdr = { .size = sizeof(r) },
				   .version = SYNCD_IPC_VERSION };
	struct syncd_ipc_dump_req dr = { .hdr = { .id = SYNCD_IPC_DIGEST,
						  .size = sizeof(dr) },
					 .version = SYNCD_IPC_VERSION };
	qb_ipcc_connection_t *c;
	const char *cmd;
	int rc = 2;

	if (argc < 2) {
		fprintf(stderr, "usage: syncctl status|members|digest|dump|"
			"resync|sim-*|raw ...\n");
		return 2;
	}
	cmd = argv[1];
	c = qb_ipcc_connect(SYNCD_IPC_NAME, SYNCD_IPC_MAX_MSG);
	if (!c) {
		fprintf(stderr, "syncctl: connect %s: %s\n", SYNCD_IPC_NAME,
			strerror(errno));
		return 3;
	}
	if (!strcmp(cmd, "status")) {
		r.hdr.id = SYNCD_IPC_STATUS;
		if (!(rc = req(c, &r, sizeof(r), &o, sizeof(o))))
			print_status(&o.st);
	} else if (!strcmp(cmd, "members")) {
		r.hdr.id = SYNCD_IPC_MEMBERS;
		if (!(rc = req(c, &r, sizeof(r), &o, sizeof(o))))
			for (uint32_t i = 0; i < o.m.n; i++)
				printf("member nodeid=%u pid=%u self=%u known=%u "
				       "synced=%u ready=%u templates=%" PRIu64
				       " msgs=%" PRIu64 " gaps=%" PRIu64 "\n",
				       o.m.m[i].nodeid, o.m.m[i].pid,
				       o.m.m[i].self, o.m.m[i].status_known,
				       o.m.m[i].synced, o.m.m[i].backend_ready,
				       o.m.m[i].templates, o.m.m[i].msgs,
				       o.m.m[i].gaps);
	} else if (!strcmp(cmd, "digest")) {
		if (parse_flags(argc > 2 ? argv[2] : NULL, &dr.flags) < 0)
			rc = 2;
		else if (!(rc = req(c, &dr, sizeof(dr), &o, sizeof(o))))
			printf("count=%" PRIu64 "\ndigest=%016" PRIx64 "\n",
			       o.d.count, o.d.digest);
	} else if (!strcmp(cmd, "resync")) {
		r.hdr.id = SYNCD_IPC_RESYNC;
		rc = req(c, &r, sizeof(r), &o, sizeof(o));
	} else if (!strcmp(cmd, "reannounce")) {
		r.hdr.id = SYNCD_IPC_REANNOUNCE;
		if (!(rc = req(c, &r, sizeof(r), &o, sizeof(o))))
			printf("start_ns=%" PRIu64 "\ncount=%" PRIu64 "\n",
			       o.ra.start_ns, o.ra.count);
	} else if (!strcmp(cmd, "dump")) {
		rc = cmd_dump(c, argc - 2, argv + 2);
	} else if (!strncmp(cmd, "sim-", 4)) {
		rc = cmd_sim(c, cmd, argc - 2, argv + 2);
	} else if (!strcmp(cmd, "raw")) {
		rc = cmd_raw(c, argc - 2, argv + 2);
	}
	qb_ipcc_disconnect(c);
	if (rc == 2)
		fprintf(stderr, "syncctl: bad arguments\n");
	return rc;
}
