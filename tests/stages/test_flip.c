/* flip: horizontal and vertical mirrors in place, every format, odd and
 * even sizes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <string.h>

#include "frames.h"

#include "geometry.h"

static void mirror_x(uint32_t x, uint32_t y, uint32_t *ix, uint32_t *iy)
{
	*ix = 4 - x, *iy = y; /* 5 wide */
}

static void mirror_y(uint32_t x, uint32_t y, uint32_t *ix, uint32_t *iy)
{
	*ix = x, *iy = 2 - y; /* 3 high */
}

static void test_hand_made_g8(void **state)
{
	(void)state;
	static const uint8_t src[] = {1, 2, 3, 4, 5, 6}; /* 3x2 */
	static const uint8_t h_want[] = {3, 2, 1, 6, 5, 4};
	static const uint8_t v_want[] = {4, 5, 6, 1, 2, 3};
	fp_frame f = ft_frame(FP_FORMAT_G8, 3, 2, 1, src), out;
	fp_harness *h = ft_harness("flip", NULL);
	assert_int_equal(fp_harness_filter(h, &f, &out), 0);
	ft_expect(&out, FP_FORMAT_G8, 3, 2, h_want);
	fp_harness_free(h);
	h = ft_harness("flip", "direction", "vertical", NULL);
	assert_int_equal(fp_harness_filter(h, &f, &out), 0);
	ft_expect(&out, FP_FORMAT_G8, 3, 2, v_want);
	fp_harness_free(h);
	ft_free(&f);
}

static void test_every_format(void **state)
{
	(void)state;
	fp_harness *h = ft_harness("flip", "direction", "horizontal", NULL);
	check_mapping(h, 5, 3, 5, 3, mirror_x);
	fp_harness_free(h);
	h = ft_harness("flip", "direction", "vertical", NULL);
	check_mapping(h, 5, 3, 5, 3, mirror_y);
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
