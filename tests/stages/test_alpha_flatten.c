/* alpha_flatten: (c a + bg (255 - a)) / 255 rounded, alpha dropped. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <string.h>

#include "frames.h"

static void test_rgba_on_white(void **state)
{
	(void)state;
	static const uint8_t src[] = {200, 100, 0, 128, 1,  2,	3,  255,
				      9,   9,	9, 0,	50, 60, 70, 255};
	static const uint8_t want[] = {227, 177, 127, 1,  2,  3,
				       255, 255, 255, 50, 60, 70};
	fp_frame f = ft_frame(FP_FORMAT_RGBA8, 2, 2, 3, src), out;
	fp_harness *h = ft_harness("alpha_flatten", NULL);
	assert_int_equal(fp_harness_filter(h, &f, &out), 0);
	ft_expect(&out, FP_FORMAT_RGB8, 2, 2, want);
	assert_int_equal(out.stride, 6);
	fp_harness_free(h);
	ft_free(&f);
}

static void test_ga_on_colour(void **state)
{
	(void)state;
	/* #ff0000 behind gray is its luma, 76 */
	static const uint8_t src[] = {100, 0, 100, 255, 200, 51};
	static const uint8_t want[] = {76, 100,
				       (200 * 51 + 76 * 204 + 127) / 255};
	fp_frame f = ft_frame(FP_FORMAT_GA8, 3, 1, 1, src), out;
	fp_harness *h = ft_harness("alpha_flatten", "color", "#ff0000", NULL);
	assert_int_equal(fp_harness_filter(h, &f, &out), 0);
	ft_expect(&out, FP_FORMAT_G8, 3, 1, want);
	fp_harness_free(h);
	ft_free(&f);
}

static void test_opaque_formats_unchanged(void **state)
{
	(void)state;
	static const uint8_t src[] = {1, 2, 3, 4, 5, 6};
	fp_harness *h = ft_harness("alpha_flatten", "color", "black", NULL);
	for (fp_format fmt = FP_FORMAT_G8; fmt <= FP_FORMAT_RGB8;
	     fmt += FP_FORMAT_RGB8 - FP_FORMAT_G8) {
		uint32_t w = fmt == FP_FORMAT_G8 ? 6 : 2;
		fp_frame f = ft_frame(fmt, w, 1, 2, src), out;
		assert_int_equal(fp_harness_filter(h, &f, &out), 0);
		ft_expect(&out, fmt, w, 1, src);
		ft_free(&f);
	}
	fp_harness_free(h);
}

static void test_colours_parsed(void **state)
{
	(void)state;
	static const char *good[] = {"#fff", "#00ff00", "#11223344", "gray"};
	static const char *bad[] = {"#ff", "#gggggg", "beige", ""};
	for (size_t i = 0; i < 4; i++) {
		fp_harness *h;
		assert_int_equal(ft_try_harness(&h, "alpha_flatten", "color",
						good[i], NULL),
				 0);
		fp_harness_free(h);
		assert_int_equal(ft_try_harness(&h, "alpha_flatten", "color",
						bad[i], NULL),
				 FP_EPARAM);
		assert_non_null(strstr(fp_harness_error(h), "#rrggbb"));
		fp_harness_free(h);
	}
}

/* 16 bits: (c a + bg (65535 - a)) / 65535 rounded; a 16-bit colour. */
static void test_16_bits(void **state)
{
	(void)state;
	static const uint16_t src[] = {40000, 20000, 0, 32768, 1, 2, 3, 65535};
	/* on white: 40000 * 32768 / 65535 + 65535 * 32767 / 65535 */
	static const uint16_t want[] = {52767, 42767, 32767, 1, 2, 3};
	fp_frame f = ft_frame(FP_FORMAT_RGBA16, 2, 1, 2, (const uint8_t *)src),
		 out;
	fp_harness *h = ft_harness("alpha_flatten", NULL);
	assert_int_equal(fp_harness_filter(h, &f, &out), 0);
	ft_expect(&out, FP_FORMAT_RGB16, 2, 1, (const uint8_t *)want);
	assert_int_equal(out.stride, 12);
	fp_harness_free(h);
	ft_free(&f);
	/* gray on #123456789abc: its 16-bit luma, 0.298839 * 0x1234 +
	 * 0.586811 * 0x5678 + 0.114350 * 0x9abc = 18911.8 */
	static const uint16_t ga[] = {100, 0, 50000, 65535};
	static const uint16_t ga_want[] = {18912, 50000};
	f = ft_frame(FP_FORMAT_GA16, 2, 1, 0, (const uint8_t *)ga);
	h = ft_harness("alpha_flatten", "color", "#123456789abc", NULL);
	assert_int_equal(fp_harness_filter(h, &f, &out), 0);
	ft_expect(&out, FP_FORMAT_G16, 2, 1, (const uint8_t *)ga_want);
	fp_harness_free(h);
	ft_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rgba_on_white),
		cmocka_unit_test(test_ga_on_colour),
		cmocka_unit_test(test_opaque_formats_unchanged),
		cmocka_unit_test(test_colours_parsed),
		cmocka_unit_test(test_16_bits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
