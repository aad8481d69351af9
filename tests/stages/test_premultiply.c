/* premultiply and unpremultiply: exact rounding, both alpha formats,
 * opaque formats untouched; a round trip is exact where alpha is 255. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <string.h>

#include "frames.h"

static void test_premultiply(void **state)
{
	(void)state;
	static const uint8_t src[] = {200, 100, 50, 128, 9, 9,
				      9,   0,	1,  2,	 3, 255};
	static const uint8_t want[] = {100, 50, 25, 128, 0, 0,
				       0,   0,	1,  2,	 3, 255};
	fp_frame f = ft_frame(FP_FORMAT_RGBA8, 3, 1, 2, src), out;
	fp_harness *h = ft_harness("premultiply", NULL);
	assert_int_equal(fp_harness_filter(h, &f, &out), 0);
	ft_expect(&out, FP_FORMAT_RGBA8, 3, 1, want);
	ft_free(&f);
	static const uint8_t ga[] = {200, 128, 77, 0};
	static const uint8_t ga_want[] = {100, 128, 0, 0};
	f = ft_frame(FP_FORMAT_GA8, 1, 2, 1, ga);
	assert_int_equal(fp_harness_filter(h, &f, &out), 0);
	ft_expect(&out, FP_FORMAT_GA8, 1, 2, ga_want);
	ft_free(&f);
	static const uint8_t rgb[] = {7, 8, 9};
	f = ft_frame(FP_FORMAT_RGB8, 1, 1, 0, rgb);
	assert_int_equal(fp_harness_filter(h, &f, &out), 0);
	ft_expect(&out, FP_FORMAT_RGB8, 1, 1, rgb);
	fp_harness_free(h);
	ft_free(&f);
}

static void test_unpremultiply(void **state)
{
	(void)state;
	static const uint8_t src[] = {100, 50, 25, 128, 9,   9, 9, 0,
				      1,   2,  3,  255, 200, 0, 0, 100};
	static const uint8_t want[] = {199, 100, 50, 128, 0,   0, 0, 0,
				       1,   2,	 3,  255, 255, 0, 0, 100};
	fp_frame f = ft_frame(FP_FORMAT_RGBA8, 2, 2, 2, src), out;
	fp_harness *h = ft_harness("unpremultiply", NULL);
	assert_int_equal(fp_harness_filter(h, &f, &out), 0);
	ft_expect(&out, FP_FORMAT_RGBA8, 2, 2, want);
	ft_free(&f);
	static const uint8_t g[] = {7, 8};
	f = ft_frame(FP_FORMAT_G8, 2, 1, 0, g);
	assert_int_equal(fp_harness_filter(h, &f, &out), 0);
	ft_expect(&out, FP_FORMAT_G8, 2, 1, g);
	fp_harness_free(h);
	ft_free(&f);
}

static void test_round_trip(void **state)
{
	(void)state;
	/* premultiplied values of every c at alpha a come back within
	 * 255 / (2 a) + 1/2 of c */
	uint8_t src[256 * 2 * 4];
	for (unsigned c = 0; c < 256; c++)
		for (unsigned k = 0; k < 4; k++) {
			uint8_t *p = src + (c * 4 + k) * 2;
			p[0] = (uint8_t)c;
			p[1] = (uint8_t)(k == 3 ? 255 : 64 * (k + 1) - 1);
		}
	fp_frame f = ft_frame(FP_FORMAT_GA8, 32, 32, 0, src), a, b;
	fp_harness *pre = ft_harness("premultiply", NULL);
	fp_harness *un = ft_harness("unpremultiply", NULL);
	assert_int_equal(fp_harness_filter(pre, &f, &a), 0);
	assert_int_equal(fp_harness_filter(un, &a, &b), 0);
	for (unsigned i = 0; i < 1024; i++) {
		int c = src[2 * i], alpha = src[2 * i + 1];
		int got = ft_at(&b, i % 32, i / 32, 0);
		int diff = got > c ? got - c : c - got;
		assert_true(diff * 2 * alpha <= 255 + alpha);
		if (alpha == 255)
			assert_int_equal(got, c);
	}
	fp_harness_free(pre);
	fp_harness_free(un);
	ft_free(&f);
}

/* 16 bits: c a / 65535 and c 65535 / a, rounded (no 8-bit table). */
static void test_16_bits(void **state)
{
	(void)state;
	static const uint16_t src[] = {65535, 40000, 1,	  32768, 12345, 0,
				       65535, 0,     300, 301,	 2,	65535};
	/* 65535 * 32768 / 65535 = 32768; 40000 * 32768 / 65535 = 20000.3;
	 * 1 * 32768 / 65535 = 0.50001 */
	static const uint16_t pre[] = {32768, 20000, 1,	  32768, 0, 0,
				       0,     0,     300, 301,	 2, 65535};
	fp_frame f = ft_frame(FP_FORMAT_RGBA16, 3, 1, 2, (const uint8_t *)src),
		 out;
	fp_harness *h = ft_harness("premultiply", NULL);
	assert_int_equal(fp_harness_filter(h, &f, &out), 0);
	ft_expect(&out, FP_FORMAT_RGBA16, 3, 1, (const uint8_t *)pre);
	fp_harness_free(h);
	ft_free(&f);
	/* 20000 * 65535 / 32768 = 39999.4; 40000 at alpha 30000 caps */
	static const uint16_t ga[] = {20000, 32768, 40000, 30000, 5, 0};
	static const uint16_t un[] = {39999, 32768, 65535, 30000, 0, 0};
	f = ft_frame(FP_FORMAT_GA16, 3, 1, 2, (const uint8_t *)ga);
	h = ft_harness("unpremultiply", NULL);
	assert_int_equal(fp_harness_filter(h, &f, &out), 0);
	ft_expect(&out, FP_FORMAT_GA16, 3, 1, (const uint8_t *)un);
	ft_free(&f);
	static const uint16_t rgb[] = {7, 8, 9};
	f = ft_frame(FP_FORMAT_RGB16, 1, 1, 0, (const uint8_t *)rgb);
	assert_int_equal(fp_harness_filter(h, &f, &out), 0);
	ft_expect(&out, FP_FORMAT_RGB16, 1, 1, (const uint8_t *)rgb);
	fp_harness_free(h);
	ft_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_premultiply),
		cmocka_unit_test(test_unpremultiply),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_16_bits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
