// SPDX-License-Identifier: GPL-2.0
/*
 * cfgipc: hand-made cluster-edit requests to pccvs-syncd (syncd/config_ipc.h),
 * well-formed or not, for tests/cluster/edits-cluster.sh.
 *
 *   cfgipc edit SIZE LEN FLAGS GRAMMAR [TEXT]   a CFG_EDIT request: header
 *                        size SIZE (0 = exact), len field LEN (-1 = the
 *                        text's), TEXT with \n and \0 escapes
 *   cfgipc result ID     CFG_RESULT of request ID
 *   cfgipc garbage ID N  N pseudo-random bytes after a valid header
 *
 * Prints "error=E" (the response header) and, for a result, "status=S
 * refusal=R version=V id=I msg=M". Exit 0 when the daemon answered.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <qb/qbipcc.h>

#include "syncd_ipc.h"

static int call(qb_ipcc_connection_t *c, void *r, size_t len)
{
	static union {
		struct syncd_ipc_cfg_result res;
		uint8_t b[65536];
	} o;
	struct iovec iov = { .iov_base = r, .iov_len = len };
	ssize_t n = qb_ipcc_sendv_recv(c, &iov, 1, &o, sizeof(o), 10000);

	if (n < 0) {
		fprintf(stderr, "cfgipc: request: %s\n", strerror((int)-n));
		return 3;
	}
	if ((size_t)n < sizeof(struct qb_ipc_response_header)) {
		fprintf(stderr, "cfgipc: short response\n");
		return 1;
	}
	printf("error=%d\n", o.res.hdr.error);
	if (!o.res.hdr.error && (size_t)n >= sizeof(o.res))
		printf("status=%d refusal=%u version=%" PRIu64 " id=%" PRIu64
		       " msg=%.*s\n", o.res.status, o.res.refusal,
		       o.res.config_version, o.res.request_id,
		       (int)sizeof(o.res.msg), o.res.msg);
	return 0;
}

/* \n and \0 escapes; returns the length. */
static size_t unescape(const char *in, char *out)
{
	size_t n = 0;

	for (; *in; in++) {
		if (in[0] == '\\' && in[1] == 'n') {
			out[n++] = '\n';
			in++;
		} else if (in[0] == '\\' && in[1] == '0') {
			out[n++] = '\0';
			in++;
		} else {
			out[n++] = *in;
		}
	}
	return n;
}

int main(int argc, char **argv)
{
	static uint8_t buf[1 << 20];
	struct syncd_ipc_cfg_edit_req *e = (void *)buf;
	qb_ipcc_connection_t *c;
	size_t size;
	int rc;

	if (argc < 3) {
		fprintf(stderr, "usage: cfgipc edit SIZE LEN FLAGS GRAMMAR [TEXT] | "
			"result ID | garbage ID N\n");
		return 2;
	}
	c = qb_ipcc_connect(SYNCD_IPC_NAME, SYNCD_IPC_MAX_MSG);
	if (!c) {
		fprintf(stderr, "cfgipc: connect: %s\n", strerror(errno));
		return 3;
	}
	if (!strcmp(argv[1], "edit") && argc >= 6) {
		size_t tl = argc > 6 ? unescape(argv[6], e->text) : 0;
		long len = strtol(argv[3], NULL, 0);

		size = strtoul(argv[2], NULL, 0);
		e->hdr.id = SYNCD_IPC_CFG_EDIT;
		e->hdr.size = (int32_t)(size ? size : sizeof(*e) + tl);
		e->version = SYNCD_IPC_VERSION;
		e->len = (uint32_t)(len < 0 ? (long)tl : len);
		e->flags = (uint32_t)strtoul(argv[4], NULL, 0);
		e->grammar = (uint32_t)strtoul(argv[5], NULL, 0);
		rc = call(c, buf, size ? size : sizeof(*e) + tl);
	} else if (!strcmp(argv[1], "result")) {
		struct syncd_ipc_cfg_result_req r = {
			.hdr = { .id = SYNCD_IPC_CFG_RESULT, .size = sizeof(r) },
			.version = SYNCD_IPC_VERSION,
			.request_id = strtoull(argv[2], NULL, 0),
		};

		rc = call(c, &r, sizeof(r));
	} else if (!strcmp(argv[1], "garbage") && argc >= 4) {
		struct qb_ipc_request_header *h = (void *)buf;
		uint32_t x = 2463534242u;

		size = sizeof(*h) + strtoul(argv[3], NULL, 0);
		if (size > sizeof(buf))
			size = sizeof(buf);
		for (size_t i = sizeof(*h); i < size; i++) {
			x ^= x << 13;
			x ^= x >> 17;
			x ^= x << 5;
			buf[i] = (uint8_t)x;
		}
		h->id = (int32_t)strtol(argv[2], NULL, 0);
		h->size = (int32_t)size;
		*(uint32_t *)(buf + sizeof(*h)) = SYNCD_IPC_VERSION;
		rc = call(c, buf, size);
	} else {
		fprintf(stderr, "cfgipc: unknown command\n");
		rc = 2;
	}
	qb_ipcc_disconnect(c);
	return rc;
}
