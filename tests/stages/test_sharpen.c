/* sharpen: constants stay, edges gain contrast (overshoot on both sides),
 * differences under the threshold are left alone, alpha is kept. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "frames.h"

#include "neighbourhood.h"

static fp_frame step(fp_format fmt)
{
	/* columns 0-7 at 100, 8-15 at 150; alpha (if any) 200 */
	unsigned ch = fp_format_channels(fmt);
	fp_frame f = ft_frame(fmt, 16, 4, 2, NULL);
	for (uint32_t y = 0; y < 4; y++)
		for (uint32_t x = 0; x < 16; x++)
			for (unsigned c = 0; c < ch; c++)
				f.pixels[y * f.stride + x * ch + c] =
					(ch == 2 || ch == 4) && c == ch - 1
						? 200
					: x < 8 ? 100
						: 150;
	return f;
}

static void test_constant(void **state)
{
	(void)state;
	fp_harness *h = ft_harness("sharpen", "amount", "2", NULL);
	constant_stays_constant(h);
	fp_harness_free(h);
}

static void test_edge_overshoot(void **state)
{
	(void)state;
	fp_harness *h =
		ft_harness("sharpen", "sigma", "1", "amount", "1", NULL);
	for (size_t k = 0; k < 4; k++) {
		fp_frame f = step(ft_formats[k]), out;
		unsigned ch = fp_format_channels(ft_formats[k]);
		assert_int_equal(fp_harness_filter(h, &f, &out), 0);
		assert_true(ft_at(&out, 7, 2, 0) < 100);
		assert_true(ft_at(&out, 8, 2, 0) > 150);
		assert_int_equal(ft_at(&out, 0, 2, 0), 100); /* far: as is */
		assert_int_equal(ft_at(&out, 15, 2, 0), 150);
		/* symmetric around the edge */
		assert_int_equal(100 - ft_at(&out, 7, 2, 0),
				 ft_at(&out, 8, 2, 0) - 150);
		if (ch == 2 || ch == 4)
			assert_int_equal(ft_at(&out, 7, 2, ch - 1), 200);
		ft_free(&f);
	}
	fp_harness_free(h);
}

static void test_threshold_keeps_small_differences(void **state)
{
	(void)state;
	fp_frame f = ft_frame(FP_FORMAT_G8, 16, 16, 0, NULL), out;
	for (uint32_t i = 0; i < 256; i++)
		f.pixels[i] = (uint8_t)(120 + (i * 7 % 5)); /* noise 120-124 */
	fp_harness *h =
		ft_harness("sharpen", "amount", "3", "threshold", "5", NULL);
	assert_int_equal(fp_harness_filter(h, &f, &out), 0);
	for (uint32_t i = 0; i < 256; i++)
		assert_int_equal(out.pixels[i], 120 + (i * 7 % 5));
	fp_harness_free(h);
	h = ft_harness("sharpen", "amount", "3", NULL); /* no threshold */
	assert_int_equal(fp_harness_filter(h, &f, &out), 0);
	int changed = 0;
	for (uint32_t i = 0; i < 256; i++)
		changed += out.pixels[i] != 120 + (i * 7 % 5);
	assert_true(changed > 100);
	fp_harness_free(h);
	ft_free(&f);
}

/* 16 bits: the step overshoots symmetrically, alpha kept; the threshold
 * is in 8-bit units (2 is 514 at 16 bits): differences of up to 400
 * stay, and without it they are sharpened. */
static void test_16_bits(void **state)
{
	(void)state;
	static uint16_t src[16 * 4 * 2];
	for (uint32_t i = 0; i < 64; i++) {
		src[2 * i] = i % 16 < 8 ? 25701 : 38551;
		src[2 * i + 1] = 51234;
	}
	fp_frame f = ft_frame(FP_FORMAT_GA16, 16, 4, 2, (const uint8_t *)src),
		 out;
	fp_harness *h =
		ft_harness("sharpen", "sigma", "1", "amount", "1", NULL);
	assert_int_equal(fp_harness_filter(h, &f, &out), 0);
	unsigned lo = ft_sample(&out, 7, 2, 0), hi = ft_sample(&out, 8, 2, 0);
	assert_true(lo < 25701 && hi > 38551);
	assert_true(abs((int)(25701 - lo) - (int)(hi - 38551)) <= 1);
	assert_int_equal(ft_sample(&out, 0, 2, 0), 25701);
	assert_int_equal(ft_sample(&out, 7, 2, 1), 51234);
	fp_harness_free(h);
	ft_free(&f);
	static uint16_t noise[256];
	for (uint32_t i = 0; i < 256; i++)
		noise[i] = (uint16_t)(30000 + (i * 7 % 5) * 100);
	f = ft_frame(FP_FORMAT_G16, 16, 16, 0, (const uint8_t *)noise);
	h = ft_harness("sharpen", "amount", "3", "threshold", "2", NULL);
	assert_int_equal(fp_harness_filter(h, &f, &out), 0);
	ft_expect(&out, FP_FORMAT_G16, 16, 16, (const uint8_t *)noise);
	fp_harness_free(h);
	h = ft_harness("sharpen", "amount", "3", NULL);
	assert_int_equal(fp_harness_filter(h, &f, &out), 0);
	int changed = 0;
	for (uint32_t i = 0; i < 256; i++)
		changed += ft_sample(&out, i % 16, i / 16, 0) != noise[i];
	assert_true(changed > 100);
	fp_harness_free(h);
	ft_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_constant),
		cmocka_unit_test(test_edge_overshoot),
		cmocka_unit_test(test_threshold_keeps_small_differences),
		cmocka_unit_test(test_16_bits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
