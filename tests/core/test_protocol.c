/* Record framing: whole records out of any cut of the byte stream. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <string.h>

#include "protocol.h"

typedef struct collected {
	fp_msg msgs[64];
	size_t count;
} collected;

static void collect(void *user, const fp_msg *msg)
{
	collected *c = user;
	c->msgs[c->count++] = *msg;
}

static void make_stream(fp_msg *msgs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		msgs[i] = (fp_msg){FP_MSG_DONE, (uint32_t)i, FP_SLOT_NONE,
				   (uint32_t)(i * 1000 + 7)};
}

static void test_every_cut(void **state)
{
	(void)state;
	fp_msg msgs[10];
	make_stream(msgs, 10);
	const unsigned char *bytes = (const unsigned char *)msgs;
	/* Feed the stream in chunks of every size from 1 to 40 bytes. */
	for (size_t chunk = 1; chunk <= 40; chunk++) {
		fp_msg_reader r = {0};
		collected c = {0};
		for (size_t off = 0; off < sizeof msgs; off += chunk) {
			size_t n = sizeof msgs - off < chunk ? sizeof msgs - off
							     : chunk;
			fp__msg_reader_feed(&r, bytes + off, n, collect, &c);
		}
		assert_int_equal(c.count, 10);
		assert_memory_equal(c.msgs, msgs, sizeof msgs);
		assert_int_equal(r.have, 0);
	}
}

static void test_burst_and_partial_tail(void **state)
{
	(void)state;
	fp_msg msgs[33];
	make_stream(msgs, 33);
	fp_msg_reader r = {0};
	collected c = {0};
	/* 32 records and 5 bytes of the 33rd in one read. */
	fp__msg_reader_feed(&r, msgs, 32 * sizeof(fp_msg) + 5, collect, &c);
	assert_int_equal(c.count, 32);
	assert_int_equal(r.have, 5);
	fp__msg_reader_feed(&r, (char *)msgs + 32 * sizeof(fp_msg) + 5, 11,
			    collect, &c);
	assert_int_equal(c.count, 33);
	assert_memory_equal(&c.msgs[32], &msgs[32], sizeof(fp_msg));
}

static void test_types(void **state)
{
	(void)state;
	assert_true(fp__msg_type_is_valid(FP_MSG_HELLO));
	assert_true(fp__msg_type_is_valid(FP_MSG_STOP));
	assert_true(fp__msg_type_is_valid(FP_MSG_LOGGED));
	assert_false(fp__msg_type_is_valid(0));
	assert_false(fp__msg_type_is_valid(FP_MSG_LOGGED + 1));
	/* appended: the values already on the wire stay */
	assert_int_equal(FP_MSG_STOP, 0x46500006u);
	assert_int_equal(FP_MSG_LOGGED, 0x46500007u);
	assert_string_equal(fp__msg_type_name(FP_MSG_LOGGED), "LOGGED");
	assert_string_equal(fp__msg_type_name(FP_MSG_DONE), "DONE");
	assert_string_equal(fp__msg_type_name(12345), "garbage");
}

static void test_outbox_grows_in_order(void **state)
{
	(void)state;
	fp_outbox box = {0};
	for (uint32_t i = 0; i < 1000; i++)
		assert_int_equal(
			fp__outbox_push(&box, (fp_msg){FP_MSG_FRAME, i, 0, 0}),
			0);
	assert_int_equal(box.count, 1000);
	for (uint32_t i = 0; i < 1000; i++)
		assert_int_equal(box.msgs[i].slot, i);
	fp__outbox_release(&box);
	assert_null(box.msgs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_cut),
		cmocka_unit_test(test_burst_and_partial_tail),
		cmocka_unit_test(test_types),
		cmocka_unit_test(test_outbox_grows_in_order),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
