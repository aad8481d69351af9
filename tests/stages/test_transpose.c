/* transpose: out(x, y) = in(y, x), every format. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <string.h>

#include "frames.h"

#include "geometry.h"

static void swap_xy(uint32_t x, uint32_t y, uint32_t *ix, uint32_t *iy)
{
	*ix = y, *iy = x;
}

static void test_hand_made_g8(void **state)
{
	(void)state;
	static const uint8_t src[] = {1, 2, 3, 4, 5, 6}; /* 3x2 */
	static const uint8_t want[] = {1, 4, 2, 5, 3, 6};
	fp_frame f = ft_frame(FP_FORMAT_G8, 3, 2, 1, src), out;
	fp_harness *h = ft_harness("transpose", NULL);
	assert_int_equal(fp_harness_filter(h, &f, &out), 0);
	ft_expect(&out, FP_FORMAT_G8, 2, 3, want);
	fp_harness_free(h);
	ft_free(&f);
}

static void test_every_format(void **state)
{
	(void)state;
	fp_harness *h = ft_harness("transpose", NULL);
	check_mapping(h, 5, 3, 3, 5, swap_xy);
	fp_harness_free(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hand_made_g8),
		cmocka_unit_test(test_every_format),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
