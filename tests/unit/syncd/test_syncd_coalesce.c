// SPDX-License-Identifier: GPL-2.0
/*
 * test_syncd_coalesce: one pending slot per template key, latest upsert
 * or delete wins, FIFO order kept, correct after growth and removals.
 */
#include "pcc_test.h"

#include <arpa/inet.h>
#include <string.h>

#include "coalesce.h"
#include "tplkey.h"

static struct pccvs_tpl key(uint32_t client, uint16_t vport)
{
	struct pccvs_tpl t = { .af = AF_INET, .protocol = IPPROTO_TCP,
			       .vport = vport, .remaining_ms = 1000 };
	uint32_t c = htonl(client);

	inet_pton(AF_INET, "192.0.2.10", t.vaddr.b);
	memcpy(t.caddr.b, &c, 4);
	return t;
}

static void test_latest_wins(void **state)
{
	struct coal c;
	struct pccvs_tpl a = key(1, 80), b = key(2, 80), a2 = key(1, 80);

	assert_int_equal(coal_init(&c), 0);
	assert_int_equal(coal_put(&c, &a, false), 0);
	assert_int_equal(coal_put(&c, &b, false), 0);
	a2.dport = 99;
	a2.stamp = 5;
	assert_int_equal(coal_put(&c, &a2, false), 1);	/* folded */
	assert_int_equal(coal_len(&c), 2);
	/* a keeps its place (first), with the latest content */
	assert_int_equal(coal_head(&c)->t.dport, 99);
	assert_false(coal_head(&c)->del);
	assert_int_equal(coal_put(&c, &a, true), 1);	/* delete wins */
	assert_true(coal_head(&c)->del);
	coal_pop(&c);
	assert_true(tpl_key_eq(&coal_head(&c)->t, &b));
	coal_pop(&c);
	assert_null(coal_head(&c));
	assert_int_equal(coal_len(&c), 0);
	/* different vport = different key */
	struct pccvs_tpl other = key(1, 443);
	assert_int_equal(coal_put(&c, &a, false), 0);
	assert_int_equal(coal_put(&c, &other, false), 0);
	assert_int_equal(c.merged, 2);
	coal_free(&c);
}

static void test_many(void **state)
{
	struct coal c;
	const uint32_t n = 100000;

	assert_int_equal(coal_init(&c), 0);
	for (uint32_t i = 0; i < n; i++) {
		struct pccvs_tpl t = key(i, 80);

		assert_int_equal(coal_put(&c, &t, false), 0);
	}
	/* every key is found again (probe chains intact after growth) */
	for (uint32_t i = 0; i < n; i += 7) {
		struct pccvs_tpl t = key(i, 80);

		t.stamp = i;
		assert_int_equal(coal_put(&c, &t, false), 1);
	}
	assert_int_equal(coal_len(&c), n);
	/* pop half, in FIFO order; then the rest are still reachable */
	for (uint32_t i = 0; i < n / 2; i++) {
		struct pccvs_tpl t = key(i, 80);

		assert_true(tpl_key_eq(&coal_head(&c)->t, &t));
		assert_int_equal(coal_head(&c)->t.stamp, i % 7 ? 0 : i);
		coal_pop(&c);
	}
	for (uint32_t i = n / 2; i < n; i++) {
		struct pccvs_tpl t = key(i, 80);

		assert_int_equal(coal_put(&c, &t, true), 1);
	}
	/* re-adding popped keys appends them at the tail */
	for (uint32_t i = 0; i < 10; i++) {
		struct pccvs_tpl t = key(i, 80);

		assert_int_equal(coal_put(&c, &t, false), 0);
	}
	assert_int_equal(coal_len(&c), n / 2 + 10);
	for (uint32_t i = 0; i < n / 2; i++) {
		assert_true(coal_head(&c)->del);
		coal_pop(&c);
	}
	for (uint32_t i = 0; i < 10; i++) {
		struct pccvs_tpl t = key(i, 80);

		assert_true(tpl_key_eq(&coal_head(&c)->t, &t));
		coal_pop(&c);
	}
	assert_int_equal(coal_len(&c), 0);
	coal_clear(&c);
	coal_free(&c);
}

static void test_key_hash(void **state)
{
	struct pccvs_tpl a = key(1, 80), b = key(1, 80);

	/* the key ignores server, stamp, lifetime and junk past the address */
	b.dport = 7;
	b.stamp = 9;
	b.remaining_ms = 1;
	b.caddr.b[10] = 0x55;
	assert_int_equal(tpl_key_hash(&a), tpl_key_hash(&b));
	assert_true(tpl_key_eq(&a, &b));
	/* the record hash does not ignore the server and stamp */
	tpl_normalize(&b);
	assert_int_not_equal(tpl_record_hash(&a), tpl_record_hash(&b));
	b = a;
	strcpy(b.pgroup, "g");
	assert_false(tpl_key_eq(&a, &b));
	assert_int_not_equal(tpl_key_hash(&a), tpl_key_hash(&b));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_latest_wins),
		cmocka_unit_test(test_many),
		cmocka_unit_test(test_key_hash),
	};
	struct pcc_test_run r = { 0 };

	PCC_TEST_GROUP(&r, "syncd_coalesce", tests);
	return pcc_test_done(&r);
}
