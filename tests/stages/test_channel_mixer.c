/* channel_mixer: a 3x3 matrix over R, G, B; sepia preset; gray refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <string.h>

#include "frames.h"

static void test_swap_red_blue(void **state)
{
	(void)state;
	static const uint8_t src[] = {1, 2, 3, 40, 4, 5, 6, 50};
	static const uint8_t want[] = {3, 2, 1, 40, 6, 5, 4, 50};
	fp_frame f = ft_frame(FP_FORMAT_RGBA8, 2, 1, 3, src), out;
	fp_harness *h = ft_harness("channel_mixer", "matrix",
				   "0 0 1  0 1 0  1 0 0", NULL);
	assert_int_equal(fp_harness_filter(h, &f, &out), 0);
	ft_expect(&out, FP_FORMAT_RGBA8, 2, 1, want);
	ft_free(&f);
	/* the same on RGB8, rows padded */
	static const uint8_t rgb[] = {1, 2, 3, 4, 5, 6};
	static const uint8_t rgb_want[] = {3, 2, 1, 6, 5, 4};
	f = ft_frame(FP_FORMAT_RGB8, 1, 2, 5, rgb);
	assert_int_equal(fp_harness_filter(h, &f, &out), 0);
	ft_expect(&out, FP_FORMAT_RGB8, 1, 2, rgb_want);
	fp_harness_free(h);
	ft_free(&f);
}

static void test_sepia_and_clamping(void **state)
{
	(void)state;
	/* sepia of (100,150,200) = (192.45, 171.4, 133.5); white clamps */
	static const uint8_t src[] = {100, 150, 200, 255, 255, 255};
	static const uint8_t want[] = {192, 171, 134, 255, 255, 239};
	fp_frame f = ft_frame(FP_FORMAT_RGB8, 2, 1, 0, src), out;
	fp_harness *h = ft_harness("channel_mixer", "preset", "sepia", NULL);
	assert_int_equal(fp_harness_filter(h, &f, &out), 0);
	ft_expect(&out, FP_FORMAT_RGB8, 2, 1, want);
	fp_harness_free(h);
	/* negative coefficients clamp at 0 */
	h = ft_harness("channel_mixer", "matrix", "-1 0 0 0 1 0 0 0 1", NULL);
	assert_int_equal(fp_harness_filter(h, &f, &out), 0);
	assert_int_equal(ft_at(&out, 0, 0, 0), 0);
	fp_harness_free(h);
	ft_free(&f);
}

static void test_gray_fails_naming_format(void **state)
{
	(void)state;
	fp_frame f = ft_frame(FP_FORMAT_GA8, 2, 2, 0, NULL), out;
	fp_harness *h = ft_harness("channel_mixer", NULL);
	assert_int_equal(fp_harness_filter(h, &f, &out), FP_EFORMAT);
	assert_non_null(strstr(fp_harness_error(h), "GA8"));
	assert_non_null(strstr(fp_harness_error(h), "channel_mixer"));
	fp_harness_free(h);
	ft_free(&f);
}

static void test_bad_matrix_refused(void **state)
{
	(void)state;
	static const char *bad[] = {"1 0 0", "1 0 0 0 1 0 0 0 1 0",
				    "1 0 0 0 x 0 0 0 1"};
	for (size_t i = 0; i < 3; i++) {
		fp_harness *h;
		assert_int_equal(ft_try_harness(&h, "channel_mixer", "matrix",
						bad[i], NULL),
				 FP_EPARAM);
		assert_non_null(strstr(fp_harness_error(h), "matrix"));
		fp_harness_free(h);
	}
}

/* 16 bits, with coefficients exact in the fixed point: R' = r/2 + g/4 +
 * b/4, G' = g, B' = 3r/4 + b/2; rounding half up and clamping. */
static void test_16_bits(void **state)
{
	(void)state;
	static const uint16_t src[] = {1000, 2001, 60000, 9,	 3,	0,
				       0,    10,   65535, 65535, 65535, 11};
	static const uint16_t want[] = {16000, 2001, 30750, 9,	   2,	  0,
					2,     10,   65535, 65535, 65535, 11};
	fp_frame f = ft_frame(FP_FORMAT_RGBA16, 3, 1, 2, (const uint8_t *)src),
		 out;
	fp_harness *h = ft_harness("channel_mixer", "matrix",
				   "0.5 0.25 0.25  0 1 0  0.75 0 0.5", NULL);
	assert_int_equal(fp_harness_filter(h, &f, &out), 0);
	ft_expect(&out, FP_FORMAT_RGBA16, 3, 1, (const uint8_t *)want);
	ft_free(&f);
	static const uint16_t rgb[] = {1000, 2001, 60000};
	static const uint16_t rgb_want[] = {16000, 2001, 30750};
	f = ft_frame(FP_FORMAT_RGB16, 1, 1, 2, (const uint8_t *)rgb);
	assert_int_equal(fp_harness_filter(h, &f, &out), 0);
	ft_expect(&out, FP_FORMAT_RGB16, 1, 1, (const uint8_t *)rgb_want);
	fp_harness_free(h);
	ft_free(&f);
	/* gray has no colour: not in the formats */
	h = ft_harness("channel_mixer", NULL);
	uint32_t formats = fp_harness_descriptor(h)->formats;
	assert_false(formats & FP_FORMAT_BIT(FP_FORMAT_G16));
	assert_false(formats & FP_FORMAT_BIT(FP_FORMAT_GA16));
	assert_true(formats & FP_FORMAT_BIT(FP_FORMAT_RGBA16));
	fp_harness_free(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_swap_red_blue),
		cmocka_unit_test(test_sepia_and_clamping),
		cmocka_unit_test(test_gray_fails_naming_format),
		cmocka_unit_test(test_bad_matrix_refused),
		cmocka_unit_test(test_16_bits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
