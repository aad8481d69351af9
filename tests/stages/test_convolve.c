/* convolve: identity, a hand-computed sharpen kernel with clamped edges,
 * box average with the default divisor, bias, alpha kept, bad kernels
 * refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "frames.h"

#include "neighbourhood.h"

static void test_identity_and_constant(void **state)
{
	(void)state;
	fp_harness *h = ft_harness("convolve", NULL);
	constant_stays_constant(h);
	fp_harness_free(h);
	h = ft_harness("convolve", "kernel",
		       "1 1 1 1 1 1 1 1 1  1 1 1 1 1 1 "
		       "1 1 1 1 1 1 1 1 1 1",
		       NULL);
	constant_stays_constant(h); /* 5x5 box */
	fp_harness_free(h);
}

static void test_sharpen_kernel_by_hand(void **state)
{
	(void)state;
	/* 5 c - up - down - left - right, the edge pixel repeating:
	 *   10 20 30        (1,0): 100 - 20 - 50 - 10 - 30 = -10 -> 0
	 *   40 50 60        (1,1): 250 - 20 - 80 - 40 - 60 = 50
	 *   70 80 90        (2,2): 450 - 60 - 90 - 80 - 90 = 130 */
	static const uint8_t src[] = {10, 20, 30, 40, 50, 60, 70, 80, 90};
	static const uint8_t want[] = {0, 0, 10, 30, 50, 70, 90, 110, 130};
	fp_frame f = ft_frame(FP_FORMAT_G8, 3, 3, 4, src), out;
	fp_harness *h =
		ft_harness("convolve", "kernel", "0 -1 0 -1 5 -1 0 -1 0", NULL);
	assert_int_equal(fp_harness_filter(h, &f, &out), 0);
	ft_expect(&out, FP_FORMAT_G8, 3, 3, want);
	fp_harness_free(h);
	ft_free(&f);
}

static void test_box_bias_alpha(void **state)
{
	(void)state;
	/* RGBA 3x1: 3x3 box over clamped rows = mean of left, self, right */
	static const uint8_t src[] = {30, 0, 255, 7, 60, 0, 0, 8, 90, 3, 0, 9};
	static const uint8_t want[] = {50, 10, 180, 7,	70, 11,
				       95, 8,  90,  12, 10, 9};
	fp_frame f = ft_frame(FP_FORMAT_RGBA8, 3, 1, 1, src), out;
	fp_harness *h = ft_harness("convolve", "kernel", "1 1 1 1 1 1 1 1 1",
				   "bias", "10", NULL);
	assert_int_equal(fp_harness_filter(h, &f, &out), 0);
	ft_expect(&out, FP_FORMAT_RGBA8, 3, 1, want);
	fp_harness_free(h);
	ft_free(&f);
}

static void test_bad_kernels_refused(void **state)
{
	(void)state;
	static const char *bad[] = {"1 2 3 4", "", "1 1 1 1 1 1 1 1 q"};
	for (size_t i = 0; i < 3; i++) {
		fp_harness *h;
		assert_int_equal(
			ft_try_harness(&h, "convolve", "kernel", bad[i], NULL),
			FP_EPARAM);
		assert_non_null(strstr(fp_harness_error(h), "kernel"));
		fp_harness_free(h);
	}
}

/* The by-hand sharpen at 16 bits (values x 257 + 1, so the result is
 * x 257 + 1 too: 5 - 4 = 1), and a 5x5 box of 25 unequal values whose
 * mean 1/4096 weights would miss; bias in 8-bit units. */
static void test_16_bits(void **state)
{
	(void)state;
	static const uint16_t src[] = {2571,  5141,  7711,  10281, 12851,
				       15421, 17991, 20561, 23131};
	static const uint16_t want[] = {0,     0,     2571,  7711, 12851,
					17991, 23131, 28271, 33411};
	fp_frame f = ft_frame(FP_FORMAT_G16, 3, 3, 2, (const uint8_t *)src),
		 out;
	fp_harness *h =
		ft_harness("convolve", "kernel", "0 -1 0 -1 5 -1 0 -1 0", NULL);
	assert_int_equal(fp_harness_filter(h, &f, &out), 0);
	/* (1,0): 5 x 5141 - 5141 - 15421 - 2571 - 7711 = -5141 -> 0 */
	ft_expect(&out, FP_FORMAT_G16, 3, 3, (const uint8_t *)want);
	fp_harness_free(h);
	ft_free(&f);
	/* a 1x1 frame: the 5x5 box sees the pixel 25 times, plus bias 1
	 * (257): 60000 + 257 */
	static const uint16_t one[] = {60000, 1, 2, 7};
	static const uint16_t one_want[] = {60257, 258, 259, 7};
	f = ft_frame(FP_FORMAT_RGBA16, 1, 1, 0, (const uint8_t *)one);
	h = ft_harness("convolve", "kernel",
		       "1 1 1 1 1  1 1 1 1 1  1 1 1 1 1  1 1 1 1 1  1 1 1 1 1",
		       "bias", "1", NULL);
	assert_int_equal(fp_harness_filter(h, &f, &out), 0);
	ft_expect(&out, FP_FORMAT_RGBA16, 1, 1, (const uint8_t *)one_want);
	fp_harness_free(h);
	ft_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_identity_and_constant),
		cmocka_unit_test(test_sharpen_kernel_by_hand),
		cmocka_unit_test(test_box_bias_alpha),
		cmocka_unit_test(test_bad_kernels_refused),
		cmocka_unit_test(test_16_bits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
