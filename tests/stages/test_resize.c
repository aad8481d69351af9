/* resize: sizes (scale, one side, fit inside/cover), and resampling
 * properties with known answers: constants stay constant for every kernel
 * and format, a linear ramp stays linear, nearest duplicates pixels,
 * mirror symmetry is kept, transparent colour does not bleed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "frames.h"

static const char *kernels[] = {"nearest", "box", "bilinear", "bicubic",
				"lanczos3"};

static void test_constant_stays_constant(void **state)
{
	(void)state;
	static const char *sizes[][2] = {{"7", "5"}, {"40", "33"}, {"3", "1"}};
	for (size_t k = 0; k < 5; k++)
		for (size_t s = 0; s < 3; s++)
			for (size_t i = 0; i < 4; i++) {
				fp_format fmt = ft_formats[i];
				unsigned ch = fp_format_channels(fmt);
				fp_frame f = ft_frame(fmt, 13, 11, 2, NULL),
					 out;
				for (uint32_t y = 0; y < 11; y++)
					for (uint32_t x = 0; x < 13 * ch; x++)
						f.pixels[y * f.stride + x] =
							(uint8_t)(60 +
								  50 * (x %
									ch));
				fp_harness *h = ft_harness(
					"resize", "kernel", kernels[k], "width",
					sizes[s][0], "height", sizes[s][1],
					NULL);
				assert_int_equal(fp_harness_filter(h, &f, &out),
						 0);
				uint32_t ow = (uint32_t)atoi(sizes[s][0]);
				uint32_t oh = (uint32_t)atoi(sizes[s][1]);
				assert_int_equal(out.width, ow);
				assert_int_equal(out.height, oh);
				assert_int_equal(out.format, fmt);
				for (uint32_t y = 0; y < oh; y++)
					for (uint32_t x = 0; x < ow; x++)
						for (unsigned c = 0; c < ch;
						     c++)
							assert_int_equal(
								ft_at(&out, x,
								      y, c),
								60 + 50 * c);
				fp_harness_free(h);
				ft_free(&f);
			}
}

static void test_ramp_stays_linear(void **state)
{
	(void)state;
	/* v = 4x: halving with box or bilinear samples the ramp at the
	 * output pixel's centre, 2x + 0.5, i.e. 8x + 2, away from edges */
	fp_frame f = ft_frame(FP_FORMAT_G8, 64, 4, 1, NULL), out;
	for (uint32_t y = 0; y < 4; y++)
		for (uint32_t x = 0; x < 64; x++)
			f.pixels[y * f.stride + x] = (uint8_t)(4 * x);
	for (size_t k = 1; k < 5; k++) {
		fp_harness *h = ft_harness("resize", "kernel", kernels[k],
					   "scale", "0.5", NULL);
		assert_int_equal(fp_harness_filter(h, &f, &out), 0);
		assert_int_equal(out.width, 32);
		assert_int_equal(out.height, 2);
		for (uint32_t x = 3; x < 29; x++)
			if (ft_at(&out, x, 1, 0) != 8 * x + 2)
				fail_msg("%s: x=%u got %u, expected %u",
					 kernels[k], x, ft_at(&out, x, 1, 0),
					 8 * x + 2);
		fp_harness_free(h);
	}
	ft_free(&f);
}

static void test_nearest_duplicates(void **state)
{
	(void)state;
	static const uint8_t src[] = {1, 2, 3, 4, 5, 6};
	static const uint8_t want[] = {1, 1, 2, 2, 3, 3, 1, 1, 2, 2, 3, 3,
				       4, 4, 5, 5, 6, 6, 4, 4, 5, 5, 6, 6};
	fp_frame f = ft_frame(FP_FORMAT_G8, 3, 2, 2, src), out;
	fp_harness *h =
		ft_harness("resize", "kernel", "nearest", "scale", "2", NULL);
	assert_int_equal(fp_harness_filter(h, &f, &out), 0);
	ft_expect(&out, FP_FORMAT_G8, 6, 4, want);
	fp_harness_free(h);
	ft_free(&f);
}

static void test_mirror_symmetry(void **state)
{
	(void)state;
	/* an image symmetric left-right stays so, up and down */
	fp_frame f = ft_frame(FP_FORMAT_RGB8, 31, 9, 0, NULL), out;
	for (uint32_t y = 0; y < 9; y++)
		for (uint32_t x = 0; x < 31; x++)
			for (unsigned c = 0; c < 3; c++) {
				uint32_t m = x < 15 ? x : 30 - x;
				f.pixels[y * f.stride + x * 3 + c] =
					(uint8_t)((m * 37 + y * 11 + c * 50) &
						  255);
			}
	static const char *widths[] = {"12", "13", "77"};
	for (size_t k = 1; k < 5; k++)
		for (size_t w = 0; w < 3; w++) {
			fp_harness *h = ft_harness(
				"resize", "kernel", kernels[k], "width",
				widths[w], "height", "9", NULL);
			assert_int_equal(fp_harness_filter(h, &f, &out), 0);
			for (uint32_t y = 0; y < out.height; y++)
				for (uint32_t x = 0; x < out.width; x++)
					for (unsigned c = 0; c < 3; c++) {
						int a = ft_at(&out, x, y, c);
						int b = ft_at(&out,
							      out.width - 1 - x,
							      y, c);
						if (abs(a - b) > 1)
							fail_msg(
								"%s to %s: "
								"x=%u %d vs %d",
								kernels[k],
								widths[w], x, a,
								b);
					}
			fp_harness_free(h);
		}
	ft_free(&f);
}

static void test_transparent_colour_does_not_bleed(void **state)
{
	(void)state;
	/* left half invisible red, right half opaque blue */
	fp_frame f = ft_frame(FP_FORMAT_RGBA8, 16, 4, 0, NULL), out;
	for (uint32_t y = 0; y < 4; y++)
		for (uint32_t x = 0; x < 16; x++) {
			uint8_t *p = f.pixels + y * f.stride + x * 4;
			p[0] = x < 8 ? 255 : 0;
			p[2] = x < 8 ? 0 : 255;
			p[3] = x < 8 ? 0 : 255;
		}
	for (size_t k = 1; k < 5; k++) {
		fp_harness *h = ft_harness("resize", "kernel", kernels[k],
					   "width", "5", "height", "2", NULL);
		assert_int_equal(fp_harness_filter(h, &f, &out), 0);
		for (uint32_t x = 0; x < 5; x++)
			if (ft_at(&out, x, 0, 3) > 0) {
				assert_int_equal(ft_at(&out, x, 0, 0), 0);
				assert_true(ft_at(&out, x, 0, 2) >= 254);
			}
		/* partly transparent where the halves meet */
		assert_true(ft_at(&out, 2, 0, 3) > 0 &&
			    ft_at(&out, 2, 0, 3) < 255);
		fp_harness_free(h);
	}
	ft_free(&f);
}

static void expect_size(const char *const *params, uint32_t w, uint32_t h,
			uint32_t ow, uint32_t oh)
{
	fp_harness *hr = fp_harness_new("resize");
	for (; params[0] != NULL; params += 2)
		assert_int_equal(fp_harness_set(hr, params[0], params[1]), 0);
	assert_int_equal(fp_harness_start(hr, NULL, 0, NULL), 0);
	fp_frame f = ft_frame(FP_FORMAT_GA8, w, h, 0, NULL), out;
	assert_int_equal(fp_harness_filter(hr, &f, &out), 0);
	if (out.width != ow || out.height != oh)
		fail_msg("%s=%s: %ux%u gave %ux%u, expected %ux%u", params[-2],
			 params[-1], w, h, out.width, out.height, ow, oh);
	fp_harness_free(hr);
	ft_free(&f);
}

static void test_sizes(void **state)
{
	(void)state;
	const char *width_only[] = {"width", "100", NULL};
	expect_size(width_only, 451, 300, 100, 67);
	const char *height_only[] = {"height", "50", NULL};
	expect_size(height_only, 451, 300, 75, 50);
	const char *scale[] = {"scale", "0.25", NULL};
	expect_size(scale, 451, 300, 113, 75);
	const char *inside[] = {"width", "100",	   "height", "100",
				"fit",	 "inside", NULL};
	expect_size(inside, 451, 300, 100, 67);
	expect_size(inside, 300, 451, 67, 100);
	const char *cover[] = {"width", "100",	 "height", "100",
			       "fit",	"cover", NULL};
	expect_size(cover, 451, 300, 100, 100);
	const char *exact[] = {"width", "10", "height", "100", NULL};
	expect_size(exact, 451, 300, 10, 100);
}

static void test_cover_crops_centre(void **state)
{
	(void)state;
	/* 6x2 with a distinct middle: cover to 2x2 at scale 1 keeps the
	 * middle columns 2 and 3 */
	static const uint8_t src[] = {0, 0, 7, 8, 0, 0, 0, 0, 9, 10, 0, 0};
	static const uint8_t want[] = {7, 8, 9, 10};
	fp_frame f = ft_frame(FP_FORMAT_G8, 6, 2, 0, src), out;
	fp_harness *h = ft_harness("resize", "width", "2", "height", "2", "fit",
				   "cover", "kernel", "bilinear", NULL);
	assert_int_equal(fp_harness_filter(h, &f, &out), 0);
	ft_expect(&out, FP_FORMAT_G8, 2, 2, want);
	fp_harness_free(h);
	ft_free(&f);
}

static void test_refusals(void **state)
{
	(void)state;
	fp_harness *h;
	assert_int_equal(ft_try_harness(&h, "resize", NULL), FP_EPARAM);
	assert_non_null(strstr(fp_harness_error(h), "needs a size"));
	fp_harness_free(h);
	assert_int_equal(
		ft_try_harness(&h, "resize", "scale", "2", "width", "4", NULL),
		FP_EPARAM);
	fp_harness_free(h);
	fp_frame f = ft_frame(FP_FORMAT_RGB8, 10, 10, 0, NULL), out;
	h = ft_harness("resize", "scale", "2", NULL);
	fp_harness_set_capacity(h, 300);
	assert_int_equal(fp_harness_filter(h, &f, &out), FP_ENOFIT);
	assert_non_null(strstr(fp_harness_error(h), "slot_size"));
	fp_harness_free(h);
	ft_free(&f);
}

/* 16 bits: a constant stays constant (values 8 bits cannot hold), and the
 * ramp test with v = 1000 x + 7: halving gives 2000 x + 507. */
static void test_16_bits(void **state)
{
	(void)state;
	for (size_t k = 0; k < 5; k++) {
		uint16_t src[13 * 11 * 4];
		for (size_t i = 0; i < 13 * 11 * 4; i++)
			src[i] = (uint16_t)(12345 + 10001 * (i % 4));
		fp_frame f = ft_frame(FP_FORMAT_RGBA16, 13, 11, 4,
				      (const uint8_t *)src),
			 out;
		fp_harness *h = ft_harness("resize", "kernel", kernels[k],
					   "width", "40", "height", "7", NULL);
		assert_int_equal(fp_harness_filter(h, &f, &out), 0);
		assert_int_equal(out.format, FP_FORMAT_RGBA16);
		assert_int_equal(out.stride, 40 * 8);
		for (uint32_t y = 0; y < 7; y++)
			for (uint32_t x = 0; x < 40; x++)
				for (unsigned c = 0; c < 4; c++)
					assert_int_equal(
						ft_sample(&out, x, y, c),
						12345 + 10001 * c);
		fp_harness_free(h);
		ft_free(&f);
	}
	uint16_t ramp[64 * 4];
	for (uint32_t i = 0; i < 64 * 4; i++)
		ramp[i] = (uint16_t)(1000 * (i % 64) + 7);
	fp_frame f = ft_frame(FP_FORMAT_G16, 64, 4, 2, (const uint8_t *)ramp),
		 out;
	for (size_t k = 1; k < 5; k++) {
		fp_harness *h = ft_harness("resize", "kernel", kernels[k],
					   "scale", "0.5", NULL);
		assert_int_equal(fp_harness_filter(h, &f, &out), 0);
		assert_int_equal(out.width, 32);
		for (uint32_t x = 3; x < 29; x++)
			if (ft_sample(&out, x, 1, 0) != 2000 * x + 507)
				fail_msg("%s: x=%u got %u, expected %u",
					 kernels[k], x,
					 ft_sample(&out, x, 1, 0),
					 2000 * x + 507);
		fp_harness_free(h);
	}
	ft_free(&f);
}

/* Nothing goes through 8 bits: a 16-bit gradient of 4000 levels through
 * resize and then blur keeps far more than 256 distinct levels (an 8-bit
 * detour anywhere would leave at most 256). */
static void test_16_bit_gradient_keeps_levels(void **state)
{
	(void)state;
	enum { W = 4000 };
	static uint16_t ramp[W * 2];
	for (uint32_t i = 0; i < W * 2; i++)
		ramp[i] = (uint16_t)((i % W) * 65535u / (W - 1));
	fp_frame f = ft_frame(FP_FORMAT_G16, W, 2, 0, (const uint8_t *)ramp),
		 mid, out;
	fp_harness *rs =
		ft_harness("resize", "width", "1500", "height", "2", NULL);
	fp_harness *bl = ft_harness("blur", "sigma", "1.5", NULL);
	assert_int_equal(fp_harness_filter(rs, &f, &mid), 0);
	assert_int_equal(fp_harness_filter(bl, &mid, &out), 0);
	assert_int_equal(out.format, FP_FORMAT_G16);
	static bool seen[65536];
	memset(seen, 0, sizeof seen);
	unsigned distinct = 0;
	for (uint32_t x = 0; x < out.width; x++) {
		unsigned v = ft_sample(&out, x, 1, 0);
		distinct += !seen[v];
		seen[v] = true;
	}
	if (distinct <= 1400)
		fail_msg("only %u distinct levels out of 1500", distinct);
	fp_harness_free(rs);
	fp_harness_free(bl);
	ft_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_constant_stays_constant),
		cmocka_unit_test(test_ramp_stays_linear),
		cmocka_unit_test(test_nearest_duplicates),
		cmocka_unit_test(test_mirror_symmetry),
		cmocka_unit_test(test_transparent_colour_does_not_bleed),
		cmocka_unit_test(test_sizes),
		cmocka_unit_test(test_cover_crops_centre),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_16_bits),
		cmocka_unit_test(test_16_bit_gradient_keeps_levels),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
