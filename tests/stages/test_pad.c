/* pad: a border colour around the image placed by gravity; too small a
 * size and too small a slot fail clearly. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <string.h>

#include "frames.h"

static void test_g8_centre_white(void **state)
{
	(void)state;
	static const uint8_t src[] = {1, 2};
	static const uint8_t want[] = {255, 255, 255, 255, 255, 1,
				       2,   255, 255, 255, 255, 255};
	fp_frame f = ft_frame(FP_FORMAT_G8, 2, 1, 3, src), out;
	fp_harness *h = ft_harness("pad", "width", "4", "height", "3", "color",
				   "white", NULL);
	assert_int_equal(fp_harness_filter(h, &f, &out), 0);
	ft_expect(&out, FP_FORMAT_G8, 4, 3, want);
	fp_harness_free(h);
	ft_free(&f);
}

static void test_rgba_and_ga_northwest(void **state)
{
	(void)state;
	static const uint8_t src[] = {1, 2, 3, 4};
	static const uint8_t want[] = {1, 2, 3, 4, 0x11, 0x22, 0x33, 0x44};
	fp_frame f = ft_frame(FP_FORMAT_RGBA8, 1, 1, 0, src), out;
	fp_harness *h = ft_harness("pad", "width", "2", "gravity", "northwest",
				   "color", "#11223344", NULL);
	assert_int_equal(fp_harness_filter(h, &f, &out), 0);
	ft_expect(&out, FP_FORMAT_RGBA8, 2, 1, want);
	ft_free(&f);
	/* gray takes the colour's luma: #ff0000 is 76 */
	fp_harness_free(h);
	h = ft_harness("pad", "height", "2", "gravity", "south", "color",
		       "#ff0000", NULL);
	static const uint8_t ga[] = {9, 8};
	static const uint8_t ga_want[] = {76, 255, 9, 8};
	f = ft_frame(FP_FORMAT_GA8, 1, 1, 1, ga);
	assert_int_equal(fp_harness_filter(h, &f, &out), 0);
	ft_expect(&out, FP_FORMAT_GA8, 1, 2, ga_want);
	static const uint8_t rgb[] = {9, 8, 7};
	static const uint8_t rgb_want[] = {255, 0, 0, 9, 8, 7};
	ft_free(&f);
	f = ft_frame(FP_FORMAT_RGB8, 1, 1, 1, rgb);
	assert_int_equal(fp_harness_filter(h, &f, &out), 0);
	ft_expect(&out, FP_FORMAT_RGB8, 1, 2, rgb_want);
	fp_harness_free(h);
	ft_free(&f);
}

static void test_failures(void **state)
{
	(void)state;
	fp_frame f = ft_frame(FP_FORMAT_RGB8, 10, 10, 0, NULL), out;
	fp_harness *h = ft_harness("pad", "width", "8", NULL);
	assert_int_equal(fp_harness_filter(h, &f, &out), FP_EPARAM);
	assert_non_null(strstr(fp_harness_error(h), "10x10"));
	fp_harness_free(h);
	h = ft_harness("pad", "width", "20", "height", "20", NULL);
	fp_harness_set_capacity(h, 300); /* the input fits, 20x20 does not */
	assert_int_equal(fp_harness_filter(h, &f, &out), FP_ENOFIT);
	assert_non_null(strstr(fp_harness_error(h), "slot_size"));
	fp_harness_free(h);
	fp_harness *bad;
	assert_int_equal(ft_try_harness(&bad, "pad", "color", "nope", NULL),
			 FP_EPARAM);
	fp_harness_free(bad);
	ft_free(&f);
}

/* 16 bits: a colour with 16 bits a sample, exactly; gray takes its
 * 16-bit luma (#ffff00000000: 0.298839 x 65535 = 19584.4). */
static void test_16_bits(void **state)
{
	(void)state;
	static const uint16_t src[] = {1, 2, 3, 4};
	static const uint16_t want[] = {1,	2,	3,	4,
					0x1111, 0x2222, 0x3333, 0x4444};
	fp_frame f = ft_frame(FP_FORMAT_RGBA16, 1, 1, 0, (const uint8_t *)src),
		 out;
	fp_harness *h = ft_harness("pad", "width", "2", "gravity", "northwest",
				   "color", "#1111222233334444", NULL);
	assert_int_equal(fp_harness_filter(h, &f, &out), 0);
	ft_expect(&out, FP_FORMAT_RGBA16, 2, 1, (const uint8_t *)want);
	assert_int_equal(out.stride, 16);
	fp_harness_free(h);
	ft_free(&f);
	h = ft_harness("pad", "height", "2", "gravity", "south", "color",
		       "#ffff00000000", NULL);
	static const uint16_t ga[] = {9, 8};
	static const uint16_t ga_want[] = {19584, 65535, 9, 8};
	f = ft_frame(FP_FORMAT_GA16, 1, 1, 2, (const uint8_t *)ga);
	assert_int_equal(fp_harness_filter(h, &f, &out), 0);
	ft_expect(&out, FP_FORMAT_GA16, 1, 2, (const uint8_t *)ga_want);
	ft_free(&f);
	/* an 8-bit colour at 16 bits is v x 257 */
	fp_harness_free(h);
	h = ft_harness("pad", "width", "2", "gravity", "east", "color",
		       "#0180ff", NULL);
	static const uint16_t rgb[] = {7, 8, 9};
	static const uint16_t rgb_want[] = {257, 32896, 65535, 7, 8, 9};
	f = ft_frame(FP_FORMAT_RGB16, 1, 1, 2, (const uint8_t *)rgb);
	assert_int_equal(fp_harness_filter(h, &f, &out), 0);
	ft_expect(&out, FP_FORMAT_RGB16, 2, 1, (const uint8_t *)rgb_want);
	fp_harness_free(h);
	ft_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_g8_centre_white),
		cmocka_unit_test(test_rgba_and_ga_northwest),
		cmocka_unit_test(test_failures),
		cmocka_unit_test(test_16_bits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
