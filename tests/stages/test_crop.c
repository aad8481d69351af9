/* crop: rectangles by position and by gravity, to-the-edge sizes, every
 * format, and a clear failure outside the frame. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <string.h>

#include "frames.h"

#include "geometry.h"

static void inner(uint32_t x, uint32_t y, uint32_t *ix, uint32_t *iy)
{
	*ix = x + 1, *iy = y + 2;
}

static void test_every_format(void **state)
{
	(void)state;
	fp_harness *h = ft_harness("crop", "x", "1", "y", "2", "width", "3",
				   "height", "2", NULL);
	check_mapping(h, 5, 5, 3, 2, inner);
	fp_harness_free(h);
	/* 0 = to the edge: the same rectangle of a 4x4 frame */
	h = ft_harness("crop", "x", "1", "y", "2", NULL);
	check_mapping(h, 4, 4, 3, 2, inner);
	fp_harness_free(h);
	/* centre gravity: (5-3)/2 = 1, (6-2)/2 = 2 */
	h = ft_harness("crop", "gravity", "center", "width", "3", "height", "2",
		       NULL);
	check_mapping(h, 5, 6, 3, 2, inner);
	fp_harness_free(h);
	/* south-east of a 5x5 minus an offset of 1,1 */
	h = ft_harness("crop", "gravity", "southeast", "width", "3", "height",
		       "2", "x", "-1", "y", "-1", NULL);
	check_mapping(h, 5, 5, 3, 2, inner);
	fp_harness_free(h);
}

static void test_outside_fails_naming_frame(void **state)
{
	(void)state;
	fp_frame f = ft_frame(FP_FORMAT_RGB8, 451, 300, 0, NULL), out;
	/* (x = -1 without a gravity is refused before the run: see
	 * test_checks) */
	static const char *cases[][5] = {
		{"400", "0", "100", "100", "none"},   /* past the right edge */
		{"0", "250", "10", "51", "none"},     /* past the bottom */
		{"-1", "0", "10", "10", "northwest"}, /* left of the frame */
		{"451", "0", "0", "0", "none"},	      /* nothing left */
	};
	for (size_t i = 0; i < 4; i++) {
		fp_harness *h =
			ft_harness("crop", "x", cases[i][0], "y", cases[i][1],
				   "width", cases[i][2], "height", cases[i][3],
				   "gravity", cases[i][4], NULL);
		assert_int_equal(fp_harness_filter(h, &f, &out), FP_EPARAM);
		assert_non_null(strstr(fp_harness_error(h), "451x300"));
		fp_harness_free(h);
	}
	ft_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_format),
		cmocka_unit_test(test_outside_fails_naming_frame),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
