// SPDX-License-Identifier: GPL-2.0
/*
 * syncd_recv_fuzz: the receive path of pccvs-syncd on arbitrary bytes from
 * the CPG group: unpack, header and body checks, batch/chunk validation
 * and conversion, and the snapshot bookkeeping the records feed.
 */
#include <stddef.h>
#include <stdint.h>

#include "wire.h"
#include "xfer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct wire_arena *a;
	static struct wire_tpls up, del;
	uint64_t refused[WR__MAX] = { 0 };
	const Pccvs__TemplateBatch *b = NULL;
	enum wire_refuse why;
	Pccvs__Envelope *e;

	uint64_t seq, inc;
	uint32_t field;

	if (!a)
		a = wire_arena_new();
	wire_peek_header(data, size, &seq, &inc, &field);
	e = wire_unpack(a, data, size);
	if (!e)
		goto out;
	if (wire_check_header(e, e->has_sender ? e->sender : 0, &why) < 0 ||
	    wire_check_body(e, &why) < 0)
		goto out;
	if (e->body_case == PCCVS__ENVELOPE__BODY_BATCH)
		b = e->batch;
	else if (e->body_case == PCCVS__ENVELOPE__BODY_SNAP_CHUNK)
		b = e->snap_chunk->batch;
	if (b) {
		struct xfer_rx x = { 0 };

		up.n = del.n = 0;
		wire_batch_decode(b, &up, &del, refused);
		if (xfer_rx_start(&x, 1, true) == 0) {
			for (size_t i = 0; i < del.n; i++)
				xfer_rx_live(&x, &del.v[i], true);
			for (size_t i = 0; i < up.n; i++)
				xfer_rx_record(&x, &up.v[i]);
			xfer_rx_stop(&x);
		}
	}
out:
	wire_arena_reset(a);
	return 0;
}
