/* threshold: gray samples per value, colour by Rec. 601 luma. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <string.h>

#include "frames.h"

static void test_gray_formats(void **state)
{
	(void)state;
	uint8_t want[256];
	for (int v = 0; v < 256; v++)
		want[v] = v >= 128 ? 255 : 0;
	fp_harness *h = ft_harness("threshold", NULL);
	/* lut_check also runs RGB frames: only gray ones are per sample,
	 * so check those two formats by hand here. */
	for (fp_format fmt = FP_FORMAT_G8; fmt <= FP_FORMAT_GA8; fmt++) {
		static const uint8_t src[] = {127, 9, 128, 10, 0, 11, 255, 12};
		uint8_t exp[8];
		unsigned ch = fp_format_channels(fmt);
		for (unsigned i = 0; i < 8; i++)
			exp[i] = ch == 2 && i % 2 ? src[i] : want[src[i]];
		fp_frame f = ft_frame(fmt, 8 / ch, 1, 2, src), out;
		assert_int_equal(fp_harness_filter(h, &f, &out), 0);
		ft_expect(&out, fmt, 8 / ch, 1, exp);
		ft_free(&f);
	}
	fp_harness_free(h);
}

static void test_colour_by_luma(void **state)
{
	(void)state;
	/* luma 76, 149, 140 (see test_grayscale) */
	static const uint8_t src[] = {255, 0, 0,   7,	0,   255,
				      0,   8, 100, 150, 200, 9};
	static const uint8_t want[] = {0,   0, 0,   7,	 255, 255,
				       255, 8, 255, 255, 255, 9};
	fp_frame f = ft_frame(FP_FORMAT_RGBA8, 3, 1, 4, src), out;
	fp_harness *h = ft_harness("threshold", "level", "141", NULL);
	assert_int_equal(fp_harness_filter(h, &f, &out), 0);
	static const uint8_t want141[] = {0,   0, 0, 7, 255, 255,
					  255, 8, 0, 0, 0,   9};
	ft_expect(&out, FP_FORMAT_RGBA8, 3, 1, want141);
	fp_harness_free(h);
	h = ft_harness("threshold", "level", "140", NULL);
	assert_int_equal(fp_harness_filter(h, &f, &out), 0);
	ft_expect(&out, FP_FORMAT_RGBA8, 3, 1, want);
	fp_harness_free(h);
	ft_free(&f);
}

/* 16 bits: level 128 is 32896; gray per sample, colour by its 16-bit luma
 * (red 65535 has luma 19584: white at level 76 = 19532, black at 77). */
static void test_16_bits(void **state)
{
	(void)state;
	static uint16_t want[65536];
	for (unsigned v = 0; v < 65536; v++)
		want[v] = v >= 32896 ? 65535 : 0;
	fp_harness *h = ft_harness("threshold", NULL);
	static const uint16_t g[] = {32895, 9, 32896, 10, 0, 11, 65535, 12};
	for (size_t k = 0; k < 2; k++) {
		fp_format fmt = ft_formats16[k];
		unsigned ch = fp_format_channels(fmt);
		uint16_t exp[8];
		for (unsigned i = 0; i < 8; i++)
			exp[i] = ch == 2 && i % 2 ? g[i] : want[g[i]];
		fp_frame f = ft_frame(fmt, 8 / ch, 1, 2, (const uint8_t *)g),
			 out;
		assert_int_equal(fp_harness_filter(h, &f, &out), 0);
		ft_expect(&out, fmt, 8 / ch, 1, (const uint8_t *)exp);
		ft_free(&f);
	}
	fp_harness_free(h);
	static const uint16_t red[] = {65535, 0, 0, 7, 0, 0, 1, 8};
	static const uint16_t w76[] = {65535, 65535, 65535, 7, 0, 0, 0, 8};
	static const uint16_t w77[] = {0, 0, 0, 7, 0, 0, 0, 8};
	fp_frame f = ft_frame(FP_FORMAT_RGBA16, 2, 1, 4, (const uint8_t *)red),
		 out;
	h = ft_harness("threshold", "level", "76", NULL);
	assert_int_equal(fp_harness_filter(h, &f, &out), 0);
	ft_expect(&out, FP_FORMAT_RGBA16, 2, 1, (const uint8_t *)w76);
	fp_harness_free(h);
	h = ft_harness("threshold", "level", "77", NULL);
	assert_int_equal(fp_harness_filter(h, &f, &out), 0);
	ft_expect(&out, FP_FORMAT_RGBA16, 2, 1, (const uint8_t *)w77);
	fp_harness_free(h);
	ft_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gray_formats),
		cmocka_unit_test(test_colour_by_luma),
		cmocka_unit_test(test_16_bits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
