/* invert: 255 - v on colour samples, alpha kept, every format, padded
 * rows. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <string.h>

#include "lut_check.h"

static void test_every_format(void **state)
{
	(void)state;
	/* 2x2 pixels, up to 4 samples each: the first `ch` of each row of
	 * these are used. */
	static const uint8_t in[4][4] = {{0, 1, 2, 3},
					 {128, 127, 255, 254},
					 {10, 20, 30, 0},
					 {200, 100, 50, 255}};
	for (size_t k = 0; k < 4; k++) {
		fp_format fmt = ft_formats[k];
		unsigned ch = fp_format_channels(fmt);
		uint8_t src[16], want[16];
		for (unsigned p = 0; p < 4; p++)
			for (unsigned c = 0; c < ch; c++) {
				bool alpha =
					(ch == 2 || ch == 4) && c == ch - 1;
				src[p * ch + c] = in[p][c];
				want[p * ch + c] =
					alpha ? in[p][c] : 255 - in[p][c];
			}
		fp_frame f = ft_frame(fmt, 2, 2, 5, src), out;
		fp_harness *h = ft_harness("invert", NULL);
		assert_int_equal(fp_harness_filter(h, &f, &out), 0);
		ft_expect(&out, fmt, 2, 2, want);
		/* the padding is nobody's pixels */
		assert_int_equal(out.pixels[2 * ch], 0xA5);
		fp_harness_free(h);
		ft_free(&f);
	}
}

static void test_twice_is_identity(void **state)
{
	(void)state;
	uint8_t src[256 * 3];
	for (unsigned i = 0; i < sizeof src; i++)
		src[i] = (uint8_t)(i * 7);
	fp_frame f = ft_frame(FP_FORMAT_RGB8, 16, 16, 1, src), a, b;
	fp_harness *h1 = ft_harness("invert", NULL);
	fp_harness *h2 = ft_harness("invert", NULL);
	assert_int_equal(fp_harness_filter(h1, &f, &a), 0);
	assert_int_equal(fp_harness_filter(h2, &a, &b), 0);
	ft_expect(&b, FP_FORMAT_RGB8, 16, 16, src);
	fp_harness_free(h1);
	fp_harness_free(h2);
	ft_free(&f);
}

static void test_unknown_format_fails(void **state)
{
	(void)state;
	fp_frame f = ft_frame(FP_FORMAT_RGB8, 2, 2, 0, NULL), out;
	f.format = (fp_format)9;
	fp_harness *h = ft_harness("invert", NULL);
	assert_int_equal(fp_harness_filter(h, &f, &out), FP_EFORMAT);
	assert_non_null(strstr(fp_harness_error(h), "invert"));
	fp_harness_free(h);
	ft_free(&f);
}

/* 65535 - v on colour samples of every 16-bit format. */
static void test_every_format_16(void **state)
{
	(void)state;
	static uint16_t want[65536];
	for (unsigned v = 0; v < 65536; v++)
		want[v] = (uint16_t)(65535 - v);
	fp_harness *h = ft_harness("invert", NULL);
	lut_check16(h, want);
	fp_harness_free(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_format),
		cmocka_unit_test(test_twice_is_identity),
		cmocka_unit_test(test_unknown_format_fails),
		cmocka_unit_test(test_every_format_16),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
