/* grayscale: exact ImageMagick-compatible luma (Rec. 601 / 709 with its
 * rounding), alpha kept, output packed; gray frames pass unchanged. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "frames.h"

/* Expected values are ImageMagick 6.9 Q16's `-grayscale Rec601Luma`
 * (Rec709Luma) on these colours: note 149 for pure green, where rounding
 * the exact 149.64 would say 150. */
static const uint8_t rgb[] = {255, 0,	0,   0,	  255, 0,   0, 0, 255,
			      100, 150, 200, 255, 255, 255, 0, 0, 0};
static const uint8_t bt601[] = {76, 149, 29, 140, 255, 0};
static const uint8_t bt709[] = {54, 182, 18, 142, 255, 0};

static void test_rgb(void **state)
{
	(void)state;
	fp_frame f = ft_frame(FP_FORMAT_RGB8, 3, 2, 7, rgb), out;
	fp_harness *h = ft_harness("grayscale", NULL);
	assert_int_equal(fp_harness_filter(h, &f, &out), 0);
	ft_expect(&out, FP_FORMAT_G8, 3, 2, bt601);
	assert_int_equal(out.stride, 3);
	fp_harness_free(h);
	h = ft_harness("grayscale", "luma", "bt709", NULL);
	assert_int_equal(fp_harness_filter(h, &f, &out), 0);
	ft_expect(&out, FP_FORMAT_G8, 3, 2, bt709);
	fp_harness_free(h);
	ft_free(&f);
}

static void test_rgba_keeps_alpha(void **state)
{
	(void)state;
	uint8_t rgba[24], want[12];
	for (unsigned p = 0; p < 6; p++) {
		memcpy(rgba + 4 * p, rgb + 3 * p, 3);
		rgba[4 * p + 3] = (uint8_t)(p * 50);
		want[2 * p] = bt601[p];
		want[2 * p + 1] = (uint8_t)(p * 50);
	}
	fp_frame f = ft_frame(FP_FORMAT_RGBA8, 2, 3, 1, rgba), out;
	fp_harness *h = ft_harness("grayscale", NULL);
	assert_int_equal(fp_harness_filter(h, &f, &out), 0);
	ft_expect(&out, FP_FORMAT_GA8, 2, 3, want);
	fp_harness_free(h);
	ft_free(&f);
}

static void test_gray_unchanged(void **state)
{
	(void)state;
	static const uint8_t g[] = {1, 2, 3, 4, 5, 6, 7, 8};
	for (fp_format fmt = FP_FORMAT_G8; fmt <= FP_FORMAT_GA8; fmt++) {
		uint32_t w = fmt == FP_FORMAT_G8 ? 4 : 2;
		fp_frame f = ft_frame(fmt, w, 2, 3, g), out;
		fp_harness *h = ft_harness("grayscale", NULL);
		assert_int_equal(fp_harness_filter(h, &f, &out), 0);
		ft_expect(&out, fmt, w, 2, g);
		fp_harness_free(h);
		ft_free(&f);
	}
}

static void test_bad_choice_refused(void **state)
{
	(void)state;
	fp_harness *h;
	assert_int_not_equal(
		ft_try_harness(&h, "grayscale", "luma", "bt2020", NULL), 0);
	fp_harness_free(h);
}

/* 16 bits: ImageMagick 6.9 Q16's `-grayscale Rec601Luma` (Rec709Luma) of
 * these 16-bit colours (convert -depth 16 rgb: ... gray:). */
static const uint16_t rgb16[] = {65535, 0, 0,	  0,	 65535, 0,
				 0,	0, 65535, 25703, 38627, 51528,
				 1,	2, 3,	  40000, 12345, 54321};
static const uint16_t bt601_16[] = {19584, 38457, 7494, 36240, 2, 25409};
static const uint16_t bt709_16[] = {13936, 46868, 4731, 36810, 2, 21256};

static void test_16_bits(void **state)
{
	(void)state;
	fp_frame f = ft_frame(FP_FORMAT_RGB16, 3, 2, 4, (const uint8_t *)rgb16),
		 out;
	fp_harness *h = ft_harness("grayscale", NULL);
	assert_int_equal(fp_harness_filter(h, &f, &out), 0);
	ft_expect(&out, FP_FORMAT_G16, 3, 2, (const uint8_t *)bt601_16);
	assert_int_equal(out.stride, 6);
	fp_harness_free(h);
	h = ft_harness("grayscale", "luma", "bt709", NULL);
	assert_int_equal(fp_harness_filter(h, &f, &out), 0);
	ft_expect(&out, FP_FORMAT_G16, 3, 2, (const uint8_t *)bt709_16);
	fp_harness_free(h);
	ft_free(&f);
	uint16_t rgba[24], want[12];
	for (unsigned p = 0; p < 6; p++) {
		memcpy(rgba + 4 * p, rgb16 + 3 * p, 6);
		rgba[4 * p + 3] = (uint16_t)(p * 12345);
		want[2 * p] = bt601_16[p];
		want[2 * p + 1] = (uint16_t)(p * 12345);
	}
	f = ft_frame(FP_FORMAT_RGBA16, 2, 3, 2, (const uint8_t *)rgba);
	h = ft_harness("grayscale", NULL);
	assert_int_equal(fp_harness_filter(h, &f, &out), 0);
	ft_expect(&out, FP_FORMAT_GA16, 2, 3, (const uint8_t *)want);
	ft_free(&f);
	static const uint16_t g[] = {1, 2, 3, 40000, 5, 6, 7, 65535};
	for (size_t k = 0; k < 2; k++) {
		uint32_t w = k == 0 ? 4 : 2;
		f = ft_frame(ft_formats16[k], w, 2, 2, (const uint8_t *)g);
		assert_int_equal(fp_harness_filter(h, &f, &out), 0);
		ft_expect(&out, ft_formats16[k], w, 2, (const uint8_t *)g);
		ft_free(&f);
	}
	fp_harness_free(h);
}

/* The shape: colour formats become gray, gray ones stay, depth kept. */
/* ImageMagick Q16's rounding as the kit wrote it with tables: the 8-bit
 * luma of every one of the 2^24 colours, RGB and RGBA, both weights. */
static void test_every_colour(void **state)
{
	(void)state;
	static const double w[2][3] = {{0.298839, 0.586811, 0.114350},
				       {0.212656, 0.715158, 0.072186}};
	static const char *const names[2] = {"bt601", "bt709"};
	for (unsigned ch = 3; ch <= 4; ch++) {
		fp_format fmt = ch == 3 ? FP_FORMAT_RGB8 : FP_FORMAT_RGBA8;
		size_t n = (size_t)1 << 24;
		uint8_t *px = malloc(n * ch);
		assert_non_null(px);
		for (size_t i = 0; i < n; i++) {
			px[i * ch] = (uint8_t)i;
			px[i * ch + 1] = (uint8_t)(i >> 8);
			px[i * ch + 2] = (uint8_t)(i >> 16);
			if (ch == 4)
				px[i * ch + 3] = (uint8_t)(i * 7);
		}
		for (unsigned k = 0; k < 2; k++) {
			fp_frame f = ft_frame(fmt, 4096, 4096, 0, px), out;
			fp_harness *h =
				ft_harness("grayscale", "luma", names[k], NULL);
			assert_int_equal(fp_harness_filter(h, &f, &out), 0);
			for (size_t i = 0; i < n; i++) {
				double r = w[k][0] * px[i * ch] * 257,
				       g = w[k][1] * px[i * ch + 1] * 257,
				       b = w[k][2] * px[i * ch + 2] * 257;
				uint8_t want =
					(uint8_t)((uint32_t)(r + g + b + 0.5) /
						  257);
				uint8_t got = out.pixels[i * (ch - 2)];
				if (got != want)
					fail_msg("%s: colour %06zx: %u, "
						 "expected %u",
						 names[k], i, got, want);
				if (ch == 4)
					assert_int_equal(out.pixels[i * 2 + 1],
							 px[i * 4 + 3]);
			}
			fp_harness_free(h);
			ft_free(&f);
		}
		free(px);
	}
}

static void test_shape(void **state)
{
	(void)state;
	fp_harness *h = ft_harness("grayscale", NULL);
	const fp_stage_descriptor *d = fp_harness_descriptor(h);
	assert_non_null(d->shape);
	fp_shape in = {640, 480,
		       FP_FORMAT_BIT(FP_FORMAT_RGB8) |
			       FP_FORMAT_BIT(FP_FORMAT_RGBA16) |
			       FP_FORMAT_BIT(FP_FORMAT_G16),
		       0},
		 out;
	char err[128];
	assert_int_equal(d->shape(NULL, &in, &out, err, sizeof err), 0);
	assert_int_equal(out.width, 640);
	assert_int_equal(out.height, 480);
	assert_int_equal(out.formats, FP_FORMAT_BIT(FP_FORMAT_G8) |
					      FP_FORMAT_BIT(FP_FORMAT_GA16) |
					      FP_FORMAT_BIT(FP_FORMAT_G16));
	fp_harness_free(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rgb),
		cmocka_unit_test(test_rgba_keeps_alpha),
		cmocka_unit_test(test_gray_unchanged),
		cmocka_unit_test(test_bad_choice_refused),
		cmocka_unit_test(test_16_bits),
		cmocka_unit_test(test_shape),
		cmocka_unit_test(test_every_colour),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
