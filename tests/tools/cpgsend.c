// SPDX-License-Identifier: GPL-2.0
/*
 * cpgsend: test tool that joins a CPG group and multicasts one hand-made
 * message, to check how pccvs-syncd copes with what a peer might send:
 *
 *   cpgsend GROUP garbage N            N pseudo-random bytes
 *   cpgsend GROUP truncated            a valid template batch cut short
 *   cpgsend GROUP badsender            a valid batch claiming another node
 *   cpgsend GROUP unknownbody          a valid header, a body type from
 *                                      the future (field 60)
 *   cpgsend GROUP future VIP VPORT CLIENT SERVER DPORT
 *                                      a version 2 envelope with unknown
 *                                      fields everywhere and one template
 *   cpgsend GROUP file PATH            the bytes of a file
 *
 * It waits for its own join, sends, waits for its own delivery (the proof
 * the message is in the total order), leaves. Exit 0 on success.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <corosync/cpg.h>
#include <linux/pccvs.h>

#include "pccvs.pb-c.h"

struct st {
	uint32_t nodeid;
	bool joined, delivered;
	size_t len;
};

static void on_deliver(cpg_handle_t h, const struct cpg_name *g,
		       uint32_t nodeid, uint32_t pid, void *msg, size_t len)
{
	struct st *s;

	if (cpg_context_get(h, (void **)&s) == CS_OK && nodeid == s->nodeid &&
	    pid == (uint32_t)getpid() && len == s->len)
		s->delivered = true;
}

static void on_confchg(cpg_handle_t h, const struct cpg_name *g,
		       const struct cpg_address *m, size_t nm,
		       const struct cpg_address *l, size_t nl,
		       const struct cpg_address *j, size_t nj)
{
	struct st *s;

	if (cpg_context_get(h, (void **)&s) != CS_OK)
		return;
	for (size_t i = 0; i < nj; i++)
		if (j[i].pid == (uint32_t)getpid() && j[i].nodeid == s->nodeid)
			s->joined = true;
}

static int wait_for(cpg_handle_t h, bool *flag, int ms)
{
	int fd;
	struct pollfd p;

	cpg_fd_get(h, &fd);
	p.fd = fd;
	p.events = POLLIN;
	while (!*flag && ms > 0) {
		if (poll(&p, 1, 100) > 0 &&
		    cpg_dispatch(h, CS_DISPATCH_ALL) != CS_OK)
			return -1;
		ms -= 100;
	}
	return *flag ? 0 : -1;
}

static size_t pack_env(Pccvs__Envelope *e, uint8_t *buf)
{
	return pccvs__envelope__pack(e, buf);
}

/* One valid-looking batch of one template (v: version). */
static size_t build(uint8_t *buf, uint32_t sender, uint32_t version,
		    char **a, bool future)
{
	static uint8_t vip[4], cli[4], srv[4], big[] = { 0x2a },
		       str[] = { 3, 'n', 'e', 'w' };
	static ProtobufCMessageUnknownField uv = {
		.tag = 99, .wire_type = PROTOBUF_C_WIRE_TYPE_VARINT, .len = 1,
		.data = big };
	static ProtobufCMessageUnknownField us = {
		.tag = 50, .wire_type = PROTOBUF_C_WIRE_TYPE_LENGTH_PREFIXED,
		.len = 4, .data = str };
	Pccvs__Envelope e = PCCVS__ENVELOPE__INIT;
	Pccvs__TemplateBatch b = PCCVS__TEMPLATE_BATCH__INIT;
	Pccvs__Domain d = PCCVS__DOMAIN__INIT, *dp = &d;
	Pccvs__Template t = PCCVS__TEMPLATE__INIT, *tp = &t;

	inet_pton(AF_INET, a ? a[0] : "192.0.2.10", vip);
	inet_pton(AF_INET, a ? a[2] : "198.51.100.250", cli);
	inet_pton(AF_INET, a ? a[3] : "203.0.113.1", srv);
	d.has_af = d.has_protocol = d.has_vaddr = d.has_vport = 1;
	d.af = AF_INET;
	d.protocol = IPPROTO_TCP;
	d.vaddr.len = 4;
	d.vaddr.data = vip;
	d.vport = a ? (uint32_t)atoi(a[1]) : 80;
	t.has_caddr = t.has_daddr = t.has_dport = t.has_remaining_ms = 1;
	t.has_stamp = t.has_flags = 1;
	t.caddr.len = t.daddr.len = 4;
	t.caddr.data = cli;
	t.daddr.data = srv;
	t.dport = a ? (uint32_t)atoi(a[4]) : 80;
	t.remaining_ms = 600000;
	t.stamp = 1;
	t.flags = PCCVS_TPL_F_CONFIRMED;
	b.n_domains = 1;
	b.domains = &dp;
	b.n_upserts = 1;
	b.upserts = &tp;
	if (future) {
		d.base.n_unknown_fields = 1;
		d.base.unknown_fields = &us;
		t.base.n_unknown_fields = 1;
		t.base.unknown_fields = &uv;
		b.base.n_unknown_fields = 1;
		b.base.unknown_fields = &uv;
		e.base.n_unknown_fields = 1;
		e.base.unknown_fields = &us;
	}
	e.has_version = e.has_sender = e.has_epoch = e.has_seq = 1;
	e.has_incarnation = 1;
	e.version = version;
	e.sender = sender;
	e.seq = 1;
	e.incarnation = (uint64_t)time(NULL) << 20 | (uint64_t)getpid();
	e.body_case = PCCVS__ENVELOPE__BODY_BATCH;
	e.batch = &b;
	return pack_env(&e, buf);
}

static size_t build_kind(uint8_t *buf, size_t cap, uint32_t nodeid,
			 int argc, char **argv)
{
	const char *kind = argv[2];
	size_t n;

	if (!strcmp(kind, "garbage") && argc > 3) {
		n = strtoul(argv[3], NULL, 0);
		n = n > cap ? cap : n;
		srand((unsigned int)getpid());
		for (size_t i = 0; i < n; i++)
			buf[i] = (uint8_t)rand();
		return n;
	}
	if (!strcmp(kind, "truncated"))
		return build(buf, nodeid, 1, NULL, false) / 2;
	if (!strcmp(kind, "badsender"))
		return build(buf, nodeid + 1000, 1, NULL, false);
	if (!strcmp(kind, "future") && argc > 7)
		return build(buf, nodeid, 2, argv + 3, true);
	if (!strcmp(kind, "unknownbody")) {
		Pccvs__Envelope e = PCCVS__ENVELOPE__INIT;

		e.has_version = e.has_sender = e.has_seq = e.has_incarnation = 1;
		e.version = 2;
		e.sender = nodeid;
		e.seq = 1;
		e.incarnation = 1;
		n = pack_env(&e, buf);
		buf[n++] = 0xe2;	/* field 60, length-delimited */
		buf[n++] = 0x03;
		buf[n++] = 2;
		buf[n++] = 0x08;
		buf[n++] = 0x01;
		return n;
	}
	if (!strcmp(kind, "file") && argc > 3) {
		FILE *f = fopen(argv[3], "rb");

		if (!f)
			return 0;
		n = fread(buf, 1, cap, f);
		fclose(f);
		return n;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static uint8_t buf[1 << 20];
	cpg_model_v1_data_t model = { .model = CPG_MODEL_V1,
				      .cpg_deliver_fn = on_deliver,
				      .cpg_confchg_fn = on_confchg };
	struct cpg_name g;
	struct st s = { 0 };
	struct iovec iov;
	cpg_handle_t h;
	cs_error_t rc;

	if (argc < 3 || strlen(argv[1]) >= CPG_MAX_NAME_LENGTH) {
		fprintf(stderr, "usage: cpgsend GROUP garbage N|truncated|"
			"badsender|unknownbody|future VIP VPORT CLIENT SERVER "
			"DPORT|file PATH\n");
		return 2;
	}
	g.length = (uint32_t)strlen(argv[1]);
	memcpy(g.value, argv[1], g.length);
	if (cpg_model_initialize(&h, CPG_MODEL_V1, (cpg_model_data_t *)&model,
				 &s) != CS_OK || cpg_local_get(h, &s.nodeid) != CS_OK ||
	    cpg_join(h, &g) != CS_OK) {
		fprintf(stderr, "cpgsend: cannot join %s\n", argv[1]);
		return 1;
	}
	s.len = build_kind(buf, sizeof(buf), s.nodeid, argc, argv);
	if (!s.len || wait_for(h, &s.joined, 10000) < 0) {
		fprintf(stderr, "cpgsend: bad arguments or no join\n");
		return s.len ? 1 : 2;
	}
	iov.iov_base = buf;
	iov.iov_len = s.len;
	while ((rc = cpg_mcast_joined(h, CPG_TYPE_AGREED, &iov, 1)) ==
	       CS_ERR_TRY_AGAIN)
		usleep(10000);
	if (rc != CS_OK || wait_for(h, &s.delivered, 10000) < 0) {
		fprintf(stderr, "cpgsend: not delivered: %s\n", cs_strerror(rc));
		return 1;
	}
	printf("sent=%zu kind=%s\n", s.len, argv[2]);
	cpg_leave(h, &g);
	cpg_finalize(h);
	return 0;
}
