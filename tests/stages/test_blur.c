/* blur: constants stay, an impulse spreads into a symmetric Gaussian that
 * keeps its mass, alpha is premultiplied. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "frames.h"

#include <math.h>

#include "neighbourhood.h"

static void test_constant(void **state)
{
	(void)state;
	fp_harness *h = ft_harness("blur", "sigma", "1.5", NULL);
	constant_stays_constant(h);
	fp_harness_free(h);
}

static void test_impulse(void **state)
{
	(void)state;
	/* 200 in the middle of 21x21 zeros, sigma 1: pixel (dx, dy) from the
	 * centre is 200 g(dx) g(dy) with g the normalised Gaussian */
	fp_frame f = ft_frame(FP_FORMAT_G8, 21, 21, 3, NULL), out;
	f.pixels[10 * f.stride + 10] = 200;
	fp_harness *h = ft_harness("blur", NULL);
	assert_int_equal(fp_harness_filter(h, &f, &out), 0);
	double g[5], sum = 0;
	for (int i = -4; i <= 4; i++)
		sum += exp(-i * i / 2.0);
	for (int i = 0; i < 5; i++)
		g[i] = exp(-i * i / 2.0) / sum;
	int total = 0;
	for (int y = 0; y < 21; y++)
		for (int x = 0; x < 21; x++) {
			int dx = abs(x - 10), dy = abs(y - 10);
			int got = ft_at(&out, (uint32_t)x, (uint32_t)y, 0);
			int want = dx > 4 || dy > 4
					   ? 0
					   : (int)lround(200 * g[dx] * g[dy]);
			total += got;
			if (got != want)
				fail_msg("(%d,%d): got %d, expected %d", x, y,
					 got, want);
		}
	assert_true(abs(total - 200) <= 6);
	assert_int_equal(ft_at(&out, 10, 10, 0), 32); /* 200 * 0.3990^2 */
	fp_harness_free(h);
	ft_free(&f);
}

static void test_alpha_premultiplied(void **state)
{
	(void)state;
	/* invisible white next to opaque black: the colour of every pixel
	 * with any alpha stays black */
	fp_frame f = ft_frame(FP_FORMAT_GA8, 12, 3, 0, NULL), out;
	for (uint32_t y = 0; y < 3; y++)
		for (uint32_t x = 0; x < 12; x++) {
			f.pixels[y * f.stride + 2 * x] = x < 6 ? 255 : 0;
			f.pixels[y * f.stride + 2 * x + 1] = x < 6 ? 0 : 255;
		}
	fp_harness *h = ft_harness("blur", "sigma", "2", NULL);
	assert_int_equal(fp_harness_filter(h, &f, &out), 0);
	for (uint32_t x = 0; x < 12; x++)
		if (ft_at(&out, x, 1, 1) > 0)
			assert_int_equal(ft_at(&out, x, 1, 0), 0);
	assert_true(ft_at(&out, 5, 1, 1) > 0 && ft_at(&out, 6, 1, 1) < 255);
	fp_harness_free(h);
	ft_free(&f);
}

/* The impulse at 16 bits: 60000 in the middle of zeros. The passes are
 * float (24-bit mantissa), so a sample may land one level from the exact
 * rounding; 8 bits could not come within 100 levels of these values. */
static void test_impulse_16(void **state)
{
	(void)state;
	static uint16_t src[21 * 21];
	src[10 * 21 + 10] = 60000;
	fp_frame f = ft_frame(FP_FORMAT_G16, 21, 21, 2, (const uint8_t *)src),
		 out;
	fp_harness *h = ft_harness("blur", NULL);
	assert_int_equal(fp_harness_filter(h, &f, &out), 0);
	assert_int_equal(out.format, FP_FORMAT_G16);
	double g[5], sum = 0;
	for (int i = -4; i <= 4; i++)
		sum += exp(-i * i / 2.0);
	for (int i = 0; i < 5; i++)
		g[i] = exp(-i * i / 2.0) / sum;
	long total = 0;
	for (int y = 0; y < 21; y++)
		for (int x = 0; x < 21; x++) {
			int dx = abs(x - 10), dy = abs(y - 10);
			long got = (long)ft_sample(&out, (uint32_t)x,
						   (uint32_t)y, 0);
			long want = dx > 4 || dy > 4
					    ? 0
					    : lround(60000 * g[dx] * g[dy]);
			total += got;
			if (labs(got - want) > 1)
				fail_msg("(%d,%d): got %ld, expected %ld", x, y,
					 got, want);
		}
	assert_true(labs(total - 60000) <= 40);
	fp_harness_free(h);
	ft_free(&f);
	/* premultiplied: invisible white beside opaque black stays black */
	static uint16_t ga[12 * 3 * 2];
	for (uint32_t i = 0; i < 36; i++) {
		ga[2 * i] = i % 12 < 6 ? 65535 : 0;
		ga[2 * i + 1] = i % 12 < 6 ? 0 : 65535;
	}
	f = ft_frame(FP_FORMAT_GA16, 12, 3, 0, (const uint8_t *)ga);
	h = ft_harness("blur", "sigma", "2", NULL);
	assert_int_equal(fp_harness_filter(h, &f, &out), 0);
	for (uint32_t x = 0; x < 12; x++)
		if (ft_sample(&out, x, 1, 1) > 0)
			assert_int_equal(ft_sample(&out, x, 1, 0), 0);
	assert_true(ft_sample(&out, 5, 1, 1) > 0 &&
		    ft_sample(&out, 6, 1, 1) < 65535);
	fp_harness_free(h);
	ft_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_constant),
		cmocka_unit_test(test_impulse),
		cmocka_unit_test(test_alpha_premultiplied),
		cmocka_unit_test(test_impulse_16),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
