/* levels: in_black..in_white stretched to out_black..out_white. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <string.h>

#include "frames.h"

#include "lut_check.h"

static void test_stretch(void **state)
{
	(void)state;
	uint8_t want[256];
	for (int v = 0; v < 256; v++) {
		int t = v < 50 ? 0 : v > 200 ? 150 : v - 50;
		want[v] = (uint8_t)((t * 255 * 2 + 150) / 300); /* round */
	}
	assert_int_equal(want[125], 128); /* 127.5 rounds up */
	assert_int_equal(want[10], 0);
	assert_int_equal(want[250], 255);
	fp_harness *h =
		ft_harness("levels", "in_black", "50", "in_white", "200", NULL);
	lut_check(h, want);
	fp_harness_free(h);
}

/* The levels are 8-bit units: 50..201 is 12850..51657 at 16 bits, which
 * stretch to 0..65535 in 38807 steps (an odd span: no exact halves, whose
 * rounding would depend on the last bit of a double). */
static void test_stretch_16(void **state)
{
	(void)state;
	static uint16_t want[65536];
	for (int64_t v = 0; v < 65536; v++) {
		int64_t t = v < 12850 ? 0 : v > 51657 ? 38807 : v - 12850;
		want[v] = (uint16_t)((t * 65535 * 2 + 38807) / 77614);
	}
	assert_int_equal(want[12851], 2);     /* 1.69: a level 8 bits lack */
	assert_int_equal(want[32254], 32768); /* 32768.34 */
	fp_harness *h =
		ft_harness("levels", "in_black", "50", "in_white", "201", NULL);
	lut_check16(h, want);
	fp_harness_free(h);
}

static void test_reversed_output_inverts(void **state)
{
	(void)state;
	uint8_t want[256];
	for (int v = 0; v < 256; v++)
		want[v] = (uint8_t)(255 - v);
	fp_harness *h = ft_harness("levels", "out_black", "255", "out_white",
				   "0", NULL);
	lut_check(h, want);
	fp_harness_free(h);
}

static void test_empty_input_range_refused(void **state)
{
	(void)state;
	fp_harness *h;
	assert_int_equal(ft_try_harness(&h, "levels", "in_black", "100",
					"in_white", "100", NULL),
			 FP_EPARAM);
	assert_non_null(strstr(fp_harness_error(h), "in_white"));
	fp_harness_free(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stretch),
		cmocka_unit_test(test_reversed_output_inverts),
		cmocka_unit_test(test_stretch_16),
		cmocka_unit_test(test_empty_input_range_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
