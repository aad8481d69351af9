/* Percentiles from the fixed-memory histogram: nearest rank, within the
 * bucket precision (3%). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "histogram.h"

static void test_small_counts(void **state)
{
	(void)state;
	fp_histogram h = {0};
	assert_int_equal(fp__histogram_quantile(&h, 0.95), 0);
	uint64_t v[] = {3, 9, 1, 12, 7};
	for (int i = 0; i < 5; i++)
		fp__histogram_add(&h, v[i]);
	/* p95 of five samples is the largest; the median the middle one. */
	assert_int_equal(fp__histogram_quantile(&h, 0.95), 12);
	assert_int_equal(fp__histogram_quantile(&h, 0.5), 7);
	assert_int_equal(fp__histogram_quantile(&h, 0.0), 1);
}

static void test_large_values_within_precision(void **state)
{
	(void)state;
	fp_histogram h = {0};
	for (uint64_t i = 1; i <= 1000; i++)
		fp__histogram_add(&h, i * 1000); /* 1 ms .. 1 s in µs */
	uint64_t p95 = fp__histogram_quantile(&h, 0.95);
	assert_true(p95 >= 950000 * 97 / 100 && p95 <= 950000 * 103 / 100);
	uint64_t p50 = fp__histogram_quantile(&h, 0.5);
	assert_true(p50 >= 500000 * 97 / 100 && p50 <= 500000 * 103 / 100);
}

/* One sample, or all equal: every quantile is that value exactly, not
 * the middle of its bucket (a single frame's p95 was below its mean). */
static void test_one_sample_exact(void **state)
{
	(void)state;
	fp_histogram h = {0};
	fp__histogram_add(&h, 40123);
	assert_int_equal(fp__histogram_quantile(&h, 0.95), 40123);
	assert_int_equal(fp__histogram_quantile(&h, 0.5), 40123);
	fp__histogram_add(&h, 40123);
	fp__histogram_add(&h, 40123);
	assert_int_equal(fp__histogram_quantile(&h, 0.95), 40123);
	fp_histogram g = {0};
	fp__histogram_add(&g, 1000);
	fp__histogram_add(&g, 40999); /* bucket middle 41984: above max */
	assert_int_equal(fp__histogram_quantile(&g, 0.95), 40999);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_small_counts),
		cmocka_unit_test(test_large_values_within_precision),
		cmocka_unit_test(test_one_sample_exact),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
