/* gamma: 255 (v/255)^(1/gamma), alpha kept, every format. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <string.h>

#include "frames.h"
#include <math.h>

#include "lut_check.h"

static void test_known_values(void **state)
{
	(void)state;
	uint8_t want[256];
	for (int v = 0; v < 256; v++)
		want[v] = (uint8_t)lround(255.0 * sqrt(v / 255.0));
	assert_int_equal(want[64], 128); /* 255 * sqrt(64/255) = 127.75 */
	assert_int_equal(want[255], 255);
	fp_harness *h = ft_harness("gamma", "gamma", "2", NULL);
	lut_check(h, want);
	fp_harness_free(h);
}

static void test_one_is_identity(void **state)
{
	(void)state;
	uint8_t want[256];
	for (int v = 0; v < 256; v++)
		want[v] = (uint8_t)v;
	fp_harness *h = ft_harness("gamma", NULL);
	lut_check(h, want);
	fp_harness_free(h);
}

/* 65535 sqrt(v / 65535), computed here, for every 16-bit value. */
static void test_known_values_16(void **state)
{
	(void)state;
	static uint16_t want[65536];
	for (int v = 0; v < 65536; v++)
		want[v] = (uint16_t)lround(65535.0 * sqrt(v / 65535.0));
	assert_int_equal(want[16384], 32768); /* 32767.75 */
	assert_int_equal(want[1], 256);	      /* 255.998: below 8-bit's 16 */
	fp_harness *h = ft_harness("gamma", "gamma", "2", NULL);
	lut_check16(h, want);
	fp_harness_free(h);
}

static void test_one_is_identity_16(void **state)
{
	(void)state;
	static uint16_t want[65536];
	for (int v = 0; v < 65536; v++)
		want[v] = (uint16_t)v;
	fp_harness *h = ft_harness("gamma", NULL);
	lut_check16(h, want);
	fp_harness_free(h);
}

static void test_range_checked(void **state)
{
	(void)state;
	fp_harness *h;
	assert_int_not_equal(ft_try_harness(&h, "gamma", "gamma", "0", NULL),
			     0);
	fp_harness_free(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_values),
		cmocka_unit_test(test_one_is_identity),
		cmocka_unit_test(test_range_checked),
		cmocka_unit_test(test_known_values_16),
		cmocka_unit_test(test_one_is_identity_16),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
