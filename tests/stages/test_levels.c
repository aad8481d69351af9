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
		cmocka_unit_test(test_empty_input_range_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
