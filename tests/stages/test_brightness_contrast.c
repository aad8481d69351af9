/* brightness_contrast: contrast (v - 128) + 128 + brightness, clamped. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <string.h>

#include "frames.h"

#include "lut_check.h"

static void test_known_values(void **state)
{
	(void)state;
	uint8_t want[256];
	for (int v = 0; v < 256; v++) {
		int o = 2 * (v - 128) + 138;
		want[v] = (uint8_t)(o < 0 ? 0 : o > 255 ? 255 : o);
	}
	assert_int_equal(want[100], 82);
	assert_int_equal(want[128], 138);
	assert_int_equal(want[0], 0);
	assert_int_equal(want[200], 255);
	fp_harness *h = ft_harness("brightness_contrast", "contrast", "2",
				   "brightness", "10", NULL);
	lut_check(h, want);
	fp_harness_free(h);
}

static void test_brightness_only(void **state)
{
	(void)state;
	uint8_t want[256];
	for (int v = 0; v < 256; v++)
		want[v] = (uint8_t)(v < 40 ? 0 : v - 40);
	fp_harness *h =
		ft_harness("brightness_contrast", "brightness", "-40", NULL);
	lut_check(h, want);
	fp_harness_free(h);
}

/* At 16 bits: 2 (v - 32896) + 32896 + 2570 (128 and 10 in 8-bit units). */
static void test_known_values_16(void **state)
{
	(void)state;
	static uint16_t want[65536];
	for (int v = 0; v < 65536; v++) {
		int o = 2 * (v - 32896) + 32896 + 2570;
		want[v] = (uint16_t)(o < 0 ? 0 : o > 65535 ? 65535 : o);
	}
	assert_int_equal(want[32896], 35466);
	assert_int_equal(want[25000], 19674);
	fp_harness *h = ft_harness("brightness_contrast", "contrast", "2",
				   "brightness", "10", NULL);
	lut_check16(h, want);
	fp_harness_free(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_values),
		cmocka_unit_test(test_brightness_only),
		cmocka_unit_test(test_known_values_16),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
