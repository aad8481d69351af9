/* --shard K/N: parsing, a split that depends on each name only, that
 * covers every input exactly once, and is balanced. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shard.h"

static void test_parse(void **state)
{
	(void)state;
	fp_shard s;
	assert_int_equal(fp__shard_parse(&s, "0/4"), 0);
	assert_int_equal(s.k, 0);
	assert_int_equal(s.n, 4);
	assert_int_equal(fp__shard_parse(&s, "9/10"), 0);
	assert_int_equal(s.k, 9);
	assert_int_equal(fp__shard_parse(&s, "0/1"), 0);
	static const char *const bad[] = {
		"4/4",	     "1/0",
		"0/0",	     "-1/4",
		"1",	     "1/",
		"/4",	     "a/b",
		"1/4x",	     "1 /4",
		"1/ 4",	     "",
		"0/1000001", "01234567/99999999",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_not_equal(fp__shard_parse(&s, bad[i]), 0);
}

/* The published function: FNV-1a 64 then fmix64. Pinned, so that a
 * change (which would move inputs between shards of a running batch) is
 * a deliberate one. */
static void test_hash_is_stable(void **state)
{
	(void)state;
	assert_true(fp__shard_hash("") == 0xefd01f60ba992926ull);
	assert_true(fp__shard_hash("photos/a.png") == 0x88968616eaac107full);
	uint64_t a = fp__shard_hash("photos/a.png");
	assert_true(a == fp__shard_hash("photos/a.png"));
	assert_true(a != fp__shard_hash("photos/b.png"));
}

static void check_balance(unsigned n, unsigned count)
{
	unsigned *per = calloc(n, sizeof *per);
	assert_non_null(per);
	for (unsigned i = 0; i < count; i++) {
		char name[64];
		snprintf(name, sizeof name, "2024/roll%02u/IMG_%05u.png",
			 i % 37, i);
		unsigned owners = 0;
		for (unsigned k = 0; k < n; k++) {
			fp_shard s = {k, n};
			if (fp__shard_has(&s, name)) {
				owners++;
				per[k]++;
			}
		}
		assert_int_equal(owners, 1);
	}
	/* Within 5%: at least 5000 inputs a shard makes that 3.5 standard
	 * deviations of a fair split. */
	double mean = (double)count / n;
	for (unsigned k = 0; k < n; k++) {
		double off = (per[k] - mean) / mean;
		if (off < -0.05 || off > 0.05)
			fail_msg("shard %u/%u has %u of %u inputs (%.1f%% off)",
				 k, n, per[k], count, off * 100);
	}
	free(per);
}

static void test_balanced(void **state)
{
	(void)state;
	check_balance(2, 20000);
	check_balance(3, 20000);
	check_balance(4, 20000);
	check_balance(7, 20000);
	check_balance(16, 80000);
}

static fp_inputs make_inputs(const char *const *names, size_t n)
{
	fp_inputs in;
	memset(&in, 0, sizeof in);
	in.paths = calloc(n, sizeof *in.paths);
	in.rel = calloc(n, sizeof *in.rel);
	assert_non_null(in.paths);
	assert_non_null(in.rel);
	for (size_t i = 0; i < n; i++) {
		in.paths[i] = strdup(names[i]);
		in.rel[i] = strlen("root/");
	}
	in.count = in.capacity = n;
	return in;
}

/* Each shard keeps its inputs in list order with their full-list index;
 * the shards together are the list; reordering the list does not move an
 * input to another shard; the root folder does not matter. */
static void test_filter(void **state)
{
	(void)state;
	static const char *const names[] = {
		"root/a.png", "root/b.png", "root/c.png", "root/d/e.png",
		"root/f.png", "root/g.png", "root/h.png", "root/i.png",
		"root/j.png", "root/k.png", "root/l.png", "root/m.png",
	};
	size_t n = sizeof names / sizeof names[0], seen = 0;
	for (uint32_t k = 0; k < 3; k++) {
		fp_inputs in = make_inputs(names, n);
		fp_shard s = {k, 3};
		assert_int_equal(fp__inputs_shard(&in, &s), 0);
		for (size_t i = 0; i < in.count; i++) {
			assert_string_equal(in.paths[i], names[in.index[i]]);
			assert_true(i == 0 || in.index[i] > in.index[i - 1]);
			assert_true(fp__shard_has(&s, in.paths[i] + 5));
			/* Same name under another root: same shard. */
			char other[64];
			snprintf(other, sizeof other, "/mnt/x/%s",
				 in.paths[i] + 5);
			assert_true(fp__shard_has(&s, other + 7));
		}
		seen += in.count;
		fp__inputs_release(&in);
	}
	assert_int_equal(seen, n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_hash_is_stable),
		cmocka_unit_test(test_balanced),
		cmocka_unit_test(test_filter),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
