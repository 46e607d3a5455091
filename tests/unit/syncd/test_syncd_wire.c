// SPDX-License-Identifier: GPL-2.0
/*
 * test_syncd_wire: the wire format (syncd/wire.c): encoding with exact
 * size accounting, decoding, every validation rule, and forward
 * compatibility (a newer sender's unknown fields and body types).
 */
#include "pcc_test.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tplkey.h"
#include "wire.h"

static struct pccvs_tpl v4tpl(uint32_t client, uint16_t dport)
{
	struct pccvs_tpl t = { .af = AF_INET, .protocol = IPPROTO_TCP,
			       .vport = 80, .dport = dport,
			       .flags = PCCVS_TPL_F_CONFIRMED,
			       .remaining_ms = 300000, .stamp = 7 };

	inet_pton(AF_INET, "192.0.2.10", t.vaddr.b);
	t.caddr.af = t.daddr.af = t.vaddr.af = AF_INET;
	uint32_t c = htonl(0xc6336400u + client);	/* 198.51.100.x */

	memcpy(t.caddr.b, &c, 4);
	inet_pton(AF_INET, "203.0.113.1", t.daddr.b);
	return t;
}

static struct pccvs_tpl v6tpl(void)
{
	struct pccvs_tpl t = { .af = AF_INET6, .protocol = IPPROTO_UDP,
			       .vport = 53, .dport = 5353,
			       .remaining_ms = 1, .stamp = 1ULL << 40 };

	inet_pton(AF_INET6, "2001:db8::10", t.vaddr.b);
	inet_pton(AF_INET6, "2001:db8:1::77", t.caddr.b);
	inet_pton(AF_INET6, "2001:db8:2::1", t.daddr.b);
	return t;
}

/* Pack a batch body + header and unpack it again. */
static Pccvs__Envelope *roundtrip(struct wire_arena *a, struct wire_batch *b,
				  uint8_t *out, size_t *outlen)
{
	struct wire_hdr h = { .sender = 3, .epoch = 9, .seq = 1,
			      .incarnation = 42 };
	uint8_t *body;
	size_t len, hl;

	assert_int_equal(wire_pack_batch_body(b, &body, &len), 0);
	hl = wire_pack_header(&h, out);
	assert_true(hl <= WIRE_HDR_MAX);
	memcpy(out + hl, body, len);
	free(body);
	*outlen = hl + len;
	return wire_unpack(a, out, *outlen);
}

static void test_roundtrip(void **state)
{
	struct wire_arena *a = wire_arena_new();
	struct wire_batch b;
	struct wire_tpls up = { 0 }, del = { 0 };
	uint64_t refused[WR__MAX] = { 0 };
	struct pccvs_tpl t1 = v4tpl(1, 80), t2 = v6tpl(), t3 = v4tpl(2, 0);
	struct pccvs_tpl fw = v4tpl(3, 8080), grp = v4tpl(4, 443);
	static uint8_t buf[70000];
	enum wire_refuse why;
	size_t len;

	fw.fwmark = 17;
	fw.protocol = IPPROTO_TCP;	/* normalised away for a fwmark domain */
	strcpy(grp.pgroup, "web");
	assert_int_equal(wire_batch_init(&b, 60000, 4096), 0);
	b.want_digest = true;
	assert_int_equal(wire_batch_add(&b, &t1, false), 0);
	assert_int_equal(wire_batch_add(&b, &t2, false), 0);
	assert_int_equal(wire_batch_add(&b, &t3, true), 0);
	assert_int_equal(wire_batch_add(&b, &fw, false), 0);
	assert_int_equal(wire_batch_add(&b, &grp, false), 0);
	assert_int_equal(b.n_dom, 4);
	/* the running size is exact */
	b.msg.n_domains = b.n_dom;
	b.msg.domains = b.domp;
	b.msg.n_upserts = b.n_up;
	b.msg.upserts = b.upp;
	b.msg.n_deletes = b.n_del;
	b.msg.deletes = b.delp;
	assert_int_equal(pccvs__template_batch__get_packed_size(&b.msg), b.bytes);

	Pccvs__Envelope *e = roundtrip(a, &b, buf, &len);
	assert_non_null(e);
	assert_int_equal(wire_check_header(e, 3, &why), 0);
	assert_int_equal(e->seq, 1);
	assert_int_equal(e->incarnation, 42);
	assert_int_equal(e->body_case, PCCVS__ENVELOPE__BODY_BATCH);
	assert_int_equal(wire_check_body(e, &why), 0);
	assert_int_equal(wire_batch_decode(e->batch, &up, &del, refused), 0);
	for (int i = 0; i < WR__MAX; i++)
		assert_int_equal(refused[i], 0);
	assert_int_equal(up.n, 4);
	assert_int_equal(del.n, 1);
	tpl_normalize(&t1);
	tpl_normalize(&t2);
	tpl_normalize(&fw);
	assert_true(tpl_key_eq(&up.v[0], &t1));
	assert_memory_equal(up.v[0].daddr.b, t1.daddr.b, 4);
	assert_int_equal(up.v[0].dport, 80);
	assert_int_equal(up.v[0].remaining_ms, 300000);
	assert_int_equal(up.v[0].stamp, 7);
	assert_int_equal(up.v[0].flags, PCCVS_TPL_F_CONFIRMED);
	assert_true(tpl_key_eq(&up.v[1], &t2));
	assert_int_equal(up.v[1].stamp, 1ULL << 40);
	assert_int_equal(up.v[1].dport, 5353);
	assert_int_equal(up.v[2].fwmark, 17);
	assert_int_equal(up.v[2].protocol, 0);
	assert_true(tpl_key_eq(&up.v[2], &fw));
	assert_string_equal(up.v[3].pgroup, "web");
	assert_int_equal(del.v[0].stamp, 7);
	/* the digest the donor computes is the one the joiner recomputes */
	uint64_t d = 0;
	for (size_t i = 0; i < up.n; i++)
		d += tpl_record_hash(&up.v[i]);
	assert_int_equal(d, b.digest);
	wire_tpls_free(&up);
	wire_tpls_free(&del);
	wire_batch_free(&b);
	wire_arena_free(a);
}

static void test_batch_full(void **state)
{
	struct wire_batch b;
	struct pccvs_tpl t;
	uint8_t *body;
	size_t len, n = 0;

	assert_int_equal(wire_batch_init(&b, 4096, 100000), 0);
	for (;; n++) {
		t = v4tpl((uint32_t)n, 80);
		t.stamp = n * 1000003;
		if (wire_batch_add(&b, &t, n % 3 == 0) == -ENOSPC)
			break;
	}
	assert_true(n > 100);	/* compact: well under 40 bytes each */
	assert_true(b.bytes <= 4096);
	assert_int_equal(wire_pack_batch_body(&b, &body, &len), 0);
	assert_true(len <= 4096 + WIRE_BODY_OVERHEAD);
	free(body);
	/* template count limit */
	wire_batch_free(&b);
	assert_int_equal(wire_batch_init(&b, 65536, 2), 0);
	assert_int_equal(wire_batch_add(&b, &t, false), 0);
	assert_int_equal(wire_batch_add(&b, &t, false), 0);
	assert_int_equal(wire_batch_add(&b, &t, false), -ENOSPC);
	t.af = 99;
	wire_batch_reset(&b);
	assert_int_equal(wire_batch_add(&b, &t, false), -EINVAL);
	wire_batch_free(&b);
}

static void test_ipv4_size(void **state)
{
	struct wire_batch b;
	size_t n;

	/* design goal: about 30 bytes per IPv4 template */
	assert_int_equal(wire_batch_init(&b, 65000, 100000), 0);
	for (n = 0;; n++) {
		struct pccvs_tpl t = v4tpl((uint32_t)n, 80);

		t.stamp = 100000 + n;
		if (wire_batch_add(&b, &t, false) < 0)
			break;
	}
	print_message("IPv4 template: %.1f bytes\n", 65000.0 / (double)n);
	assert_true(65000 / n <= 32);
	wire_batch_free(&b);
}

/* ---- validation ---- */

struct vctx {
	struct wire_arena *a;
	Pccvs__Domain dom;
	Pccvs__Domain *domp[1];
	Pccvs__Template tpl;
	Pccvs__Template *tplp[1];
	Pccvs__TemplateBatch batch;
	uint8_t vaddr[4], caddr[4], daddr[4];
};

static void vctx_init(struct vctx *v)
{
	pccvs__domain__init(&v->dom);
	v->dom.has_af = 1;
	v->dom.af = AF_INET;
	v->dom.has_protocol = 1;
	v->dom.protocol = IPPROTO_TCP;
	v->dom.has_vaddr = 1;
	v->dom.vaddr.len = 4;
	v->dom.vaddr.data = v->vaddr;
	v->dom.has_vport = 1;
	v->dom.vport = 80;
	pccvs__template__init(&v->tpl);
	v->tpl.has_caddr = v->tpl.has_daddr = 1;
	v->tpl.caddr.len = v->tpl.daddr.len = 4;
	v->tpl.caddr.data = v->caddr;
	v->tpl.daddr.data = v->daddr;
	v->tpl.has_remaining_ms = 1;
	v->tpl.remaining_ms = 1000;
	v->tpl.has_dport = 1;
	v->tpl.dport = 80;
	pccvs__template_batch__init(&v->batch);
	v->domp[0] = &v->dom;
	v->tplp[0] = &v->tpl;
	v->batch.n_domains = 1;
	v->batch.domains = v->domp;
	v->batch.n_upserts = 1;
	v->batch.upserts = v->tplp;
}

/* Decode v's batch as an upsert (or delete): the refusal reason, or -1. */
static int verdict(struct vctx *v, bool del)
{
	struct wire_tpls up = { 0 }, dl = { 0 };
	uint64_t refused[WR__MAX] = { 0 };
	int r = -1;

	if (del) {
		v->batch.n_deletes = 1;
		v->batch.deletes = v->tplp;
		v->batch.n_upserts = 0;
	}
	int rc = wire_batch_decode(&v->batch, &up, &dl, refused);
	for (int i = 0; i < WR__MAX; i++)
		if (refused[i])
			r = i;
	if (r < 0)
		assert_int_equal(up.n + dl.n, 1);
	if (rc == -EBADMSG)
		r = WR_TOO_MANY;
	wire_tpls_free(&up);
	wire_tpls_free(&dl);
	v->batch.n_upserts = 1;
	v->batch.upserts = v->tplp;
	v->batch.n_deletes = 0;
	return r;
}

#define CHECK(stmt, expect, del)                                               \
	do {                                                                   \
		struct vctx v_;                                                \
		vctx_init(&v_);                                                \
		struct vctx *v = &v_;                                          \
		stmt;                                                          \
		assert_int_equal(verdict(v, del), expect);                     \
	} while (0)

static void test_validate_templates(void **state)
{
	CHECK((void)v, -1, false);
	CHECK((void)v, -1, true);
	/* domains */
	CHECK(v->dom.has_af = 0, WR_DOMAIN, false);
	CHECK(v->dom.af = 3, WR_DOMAIN, false);
	CHECK(v->dom.af = AF_INET6, WR_DOMAIN, false);	/* vaddr 4 bytes */
	CHECK(v->dom.protocol = 1, WR_DOMAIN, false);
	CHECK(v->dom.has_protocol = 0, WR_DOMAIN, false);
	CHECK(v->dom.has_vaddr = 0, WR_DOMAIN, false);
	CHECK(v->dom.vport = 65536, WR_DOMAIN, false);
	CHECK((v->dom.has_fwmark = 1, v->dom.fwmark = 5), WR_DOMAIN, false);
	CHECK((v->dom.has_fwmark = 1, v->dom.fwmark = 5, v->dom.has_protocol = 0,
	       v->dom.has_vaddr = 0, v->dom.has_vport = 0), -1, false);
	CHECK((v->dom.has_protocol = 0, v->dom.pgroup = "web-1.a_b"), -1, false);
	CHECK(v->dom.pgroup = "bad/name", WR_DOMAIN, false);
	CHECK(v->dom.pgroup = "sixteen_chars_xx", WR_DOMAIN, false);
	CHECK((v->dom.has_protocol = 0, v->dom.has_vaddr = 0,
	       v->dom.pgroup = "web"), WR_DOMAIN, false);
	/* templates */
	CHECK((v->tpl.has_domain = 1, v->tpl.domain = 1), WR_DOMAIN_INDEX, false);
	CHECK(v->tpl.has_caddr = 0, WR_ADDR, false);
	CHECK(v->tpl.caddr.len = 16, WR_ADDR, false);
	CHECK(v->tpl.caddr.len = 16, WR_ADDR, true);
	CHECK(v->tpl.has_daddr = 0, WR_ADDR, false);
	CHECK(v->tpl.has_daddr = 0, -1, true);	/* deletes need no server */
	CHECK(v->tpl.daddr.len = 3, WR_ADDR, false);
	CHECK(v->tpl.dport = 65536, WR_PORT, false);
	CHECK(v->tpl.has_remaining_ms = 0, WR_LIFETIME, false);
	CHECK(v->tpl.remaining_ms = 0, WR_LIFETIME, false);
	CHECK(v->tpl.remaining_ms = WIRE_LIFETIME_MAX_MS + 1, WR_LIFETIME, false);
	CHECK(v->tpl.remaining_ms = WIRE_LIFETIME_MAX_MS, -1, false);
	CHECK(v->tpl.has_remaining_ms = 0, -1, true);
	CHECK((v->tpl.has_flags = 1, v->tpl.flags = 0x80), WR_FLAGS, false);
	CHECK((v->tpl.has_flags = 1, v->tpl.flags = PCCVS_TPL_F_ALL), -1, false);
	/* limits */
	CHECK(v->batch.n_domains = WIRE_MAX_DOMAINS + 1, WR_TOO_MANY, false);
}

static void test_replicated_flag_stripped(void **state)
{
	struct vctx v;
	struct wire_tpls up = { 0 };
	uint64_t refused[WR__MAX] = { 0 };

	vctx_init(&v);
	v.tpl.has_flags = 1;
	v.tpl.flags = PCCVS_TPL_F_ALL;
	assert_int_equal(wire_batch_decode(&v.batch, &up, NULL, refused), 0);
	assert_int_equal(up.n, 1);
	assert_int_equal(up.v[0].flags, PCCVS_TPL_F_CONFIRMED);
	/* deletes where none are accepted (snapshots) are refused */
	v.batch.n_deletes = 1;
	v.batch.deletes = v.tplp;
	assert_int_equal(wire_batch_decode(&v.batch, &up, NULL, refused), 0);
	assert_int_equal(refused[WR_FIELD], 1);
	wire_tpls_free(&up);
}

static Pccvs__Envelope *pack_unpack(struct wire_arena *a, Pccvs__Envelope *e,
				    uint8_t *buf, size_t *len)
{
	*len = pccvs__envelope__pack(e, buf);
	return wire_unpack(a, buf, *len);
}

static void test_validate_envelope(void **state)
{
	struct wire_arena *a = wire_arena_new();
	Pccvs__Envelope e = PCCVS__ENVELOPE__INIT, *d;
	Pccvs__SyncRequest sr = PCCVS__SYNC_REQUEST__INIT;
	Pccvs__SnapEnd se = PCCVS__SNAP_END__INIT;
	Pccvs__Status st = PCCVS__STATUS__INIT;
	static uint8_t buf[4096];
	enum wire_refuse why;
	size_t len;

	/* garbage and empty input */
	memset(buf, 0xff, 64);
	assert_null(wire_unpack(a, buf, 64));
	assert_null(wire_unpack(a, buf, 0));
	assert_null(wire_unpack(a, buf, WIRE_MSG_MAX + 1));
	e.has_version = e.has_sender = e.has_seq = e.has_incarnation = 1;
	e.version = 1;
	e.sender = 2;
	e.seq = 5;
	e.incarnation = 6;
	d = pack_unpack(a, &e, buf, &len);
	assert_non_null(d);
	assert_int_equal(wire_check_header(d, 2, &why), 0);
	assert_int_equal(wire_check_header(d, 3, &why), -EBADMSG);
	assert_int_equal(why, WR_SENDER);
	assert_int_equal(wire_check_body(d, &why), -EOPNOTSUPP);
	assert_int_equal(why, WR_UNKNOWN_TYPE);
	e.version = 0;
	d = pack_unpack(a, &e, buf, &len);
	assert_int_equal(wire_check_header(d, 2, &why), -EBADMSG);
	assert_int_equal(why, WR_VERSION);
	e.version = 1;
	e.has_seq = 0;
	d = pack_unpack(a, &e, buf, &len);
	assert_int_equal(wire_check_header(d, 2, &why), -EBADMSG);
	assert_int_equal(why, WR_HEADER);
	/* bodies */
	e.body_case = PCCVS__ENVELOPE__BODY_SYNC_REQUEST;
	e.sync_request = &sr;
	d = pack_unpack(a, &e, buf, &len);
	assert_int_equal(wire_check_body(d, &why), -EBADMSG);
	assert_int_equal(why, WR_FIELD);
	sr.has_xfer_id = 1;
	sr.xfer_id = 9;
	d = pack_unpack(a, &e, buf, &len);
	assert_int_equal(wire_check_body(d, &why), 0);
	e.body_case = PCCVS__ENVELOPE__BODY_SNAP_END;
	e.snap_end = &se;
	se.has_xfer_id = se.has_target = se.has_count = 1;
	se.xfer_id = 9;
	d = pack_unpack(a, &e, buf, &len);
	assert_int_equal(wire_check_body(d, &why), -EBADMSG);	/* no digest */
	se.has_digest = 1;
	d = pack_unpack(a, &e, buf, &len);
	assert_int_equal(wire_check_body(d, &why), 0);
	e.body_case = PCCVS__ENVELOPE__BODY_STATUS;
	e.status = &st;
	st.has_priority = 1;
	st.priority = 256;
	d = pack_unpack(a, &e, buf, &len);
	assert_int_equal(wire_check_body(d, &why), -EBADMSG);
	/* a known field with the wrong wire type is malformed */
	static const uint8_t bad[] = { 0x08 | 2, 1, 0 };	/* version as bytes */
	assert_null(wire_unpack(a, bad, sizeof(bad)));
	wire_arena_free(a);
}

/*
 * Forward compatibility: a version 2 sender adds fields everywhere and a
 * body type we do not know. Its batch is applied with every known value
 * intact; the unknown body is counted and ignored.
 */
static void test_future_version(void **state)
{
	struct wire_arena *a = wire_arena_new();
	static uint8_t val[] = { 0x2a }, str[] = { 2, 'h', 'i' };	/* raw */
	ProtobufCMessageUnknownField uv = { .tag = 42, .wire_type =
		PROTOBUF_C_WIRE_TYPE_VARINT, .len = 1, .data = val };
	ProtobufCMessageUnknownField us = { .tag = 43, .wire_type =
		PROTOBUF_C_WIRE_TYPE_LENGTH_PREFIXED, .len = 3, .data = str };
	struct vctx v;
	Pccvs__Envelope e = PCCVS__ENVELOPE__INIT, *d;
	struct wire_tpls up = { 0 };
	uint64_t refused[WR__MAX] = { 0 };
	static uint8_t buf[4096];
	enum wire_refuse why;
	size_t len;

	vctx_init(&v);
	v.tpl.base.n_unknown_fields = 1;
	v.tpl.base.unknown_fields = &uv;
	v.dom.base.n_unknown_fields = 1;
	v.dom.base.unknown_fields = &us;
	v.batch.base.n_unknown_fields = 1;
	v.batch.base.unknown_fields = &uv;
	e.base.n_unknown_fields = 1;
	e.base.unknown_fields = &us;
	e.has_version = e.has_sender = e.has_seq = e.has_incarnation = 1;
	e.version = 2;
	e.sender = 1;
	e.seq = 1;
	e.incarnation = 1;
	e.body_case = PCCVS__ENVELOPE__BODY_BATCH;
	e.batch = &v.batch;
	d = pack_unpack(a, &e, buf, &len);
	assert_non_null(d);
	assert_int_equal(d->base.n_unknown_fields, 1);
	assert_int_equal(wire_check_header(d, 1, &why), 0);
	assert_int_equal(wire_check_body(d, &why), 0);
	assert_int_equal(wire_batch_decode(d->batch, &up, NULL, refused), 0);
	assert_int_equal(up.n, 1);
	assert_int_equal(up.v[0].remaining_ms, 1000);
	assert_int_equal(up.v[0].dport, 80);
	/* a body type from the future (field 60): known header, no body */
	len = wire_pack_header(&(struct wire_hdr){ .sender = 1, .seq = 2,
						   .incarnation = 1 }, buf);
	buf[len++] = 0x80 | (((60 << 3) | 2) & 0x7f);	/* field 60, length- */
	buf[len++] = ((60 << 3) | 2) >> 7;		/* delimited (varint tag) */
	buf[len++] = 2;
	buf[len++] = 0x08;		/* its field 1 = 1 */
	buf[len++] = 0x01;
	d = wire_unpack(a, buf, len);
	assert_non_null(d);
	assert_int_equal(wire_check_header(d, 1, &why), 0);
	assert_int_equal(wire_check_body(d, &why), -EOPNOTSUPP);
	assert_int_equal(why, WR_UNKNOWN_TYPE);
	wire_tpls_free(&up);
	wire_arena_free(a);
}

static void test_header_concat(void **state)
{
	struct wire_arena *a = wire_arena_new();
	Pccvs__Envelope e = PCCVS__ENVELOPE__INIT, *d;
	Pccvs__SyncRequest sr = PCCVS__SYNC_REQUEST__INIT;
	struct wire_hdr h = { .sender = 0xffffffffu, .epoch = UINT64_MAX,
			      .seq = UINT64_MAX, .incarnation = UINT64_MAX };
	static uint8_t buf[256];
	uint8_t *body;
	size_t len, hl;

	sr.has_xfer_id = 1;
	sr.xfer_id = 77;
	e.body_case = PCCVS__ENVELOPE__BODY_SYNC_REQUEST;
	e.sync_request = &sr;
	assert_int_equal(wire_pack_body(&e, &body, &len), 0);
	hl = wire_pack_header(&h, buf);
	assert_true(hl <= WIRE_HDR_MAX);
	memcpy(buf + hl, body, len);
	free(body);
	d = wire_unpack(a, buf, hl + len);
	assert_non_null(d);
	assert_int_equal(d->seq, UINT64_MAX);
	assert_int_equal(d->sender, 0xffffffffu);
	assert_int_equal(d->sync_request->xfer_id, 77);
	/* the cheap look at our own messages agrees with the full decode */
	uint64_t seq = 0, inc = 0;
	uint32_t field = 0;
	assert_int_equal(wire_peek_header(buf, hl + len, &seq, &inc, &field), 0);
	assert_int_equal(seq, UINT64_MAX);
	assert_int_equal(inc, UINT64_MAX);
	assert_int_equal(field, PCCVS__ENVELOPE__BODY_SYNC_REQUEST);
	assert_int_equal(wire_peek_header(buf + hl, len, &seq, &inc, &field),
			 -EINVAL);	/* no header */
	assert_int_equal(wire_peek_header(buf, hl, &seq, &inc, &field), -EINVAL);
	assert_int_equal(wire_peek_header(buf, 3, &seq, &inc, &field), -EINVAL);
	assert_int_equal(wire_varint_size(0), 1);
	assert_int_equal(wire_varint_size(127), 1);
	assert_int_equal(wire_varint_size(128), 2);
	assert_int_equal(wire_varint_size(UINT64_MAX), 10);
	/* the arena survives many resets and a big message */
	for (int i = 0; i < 1000; i++) {
		wire_arena_reset(a);
		assert_non_null(wire_unpack(a, buf, hl + len));
	}
	wire_arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_batch_full),
		cmocka_unit_test(test_ipv4_size),
		cmocka_unit_test(test_validate_templates),
		cmocka_unit_test(test_replicated_flag_stripped),
		cmocka_unit_test(test_validate_envelope),
		cmocka_unit_test(test_future_version),
		cmocka_unit_test(test_header_concat),
	};
	struct pcc_test_run r = { 0 };

	PCC_TEST_GROUP(&r, "syncd_wire", tests);
	return pcc_test_done(&r);
}
