/* lut_check.h — for the per-sample stages: run stage with its parameters
 * on every format with padded rows, and check every colour sample v maps
 * to want[v] while alpha is untouched. Included by one test each. */
#ifndef FP_TEST_LUT_CHECK_H
#define FP_TEST_LUT_CHECK_H

#include "frames.h"

/* A 16x16 frame of format whose colour samples run through all 256
 * values; after `stage` (configured in h), colour v must read want[v]. */
__attribute__((unused)) static void lut_check(fp_harness *h,
					      const uint8_t want[256])
{
	for (size_t k = 0; k < 4; k++) {
		fp_format fmt = ft_formats[k];
		unsigned ch = fp_format_channels(fmt);
		uint8_t src[256 * 4], exp[256 * 4];
		for (unsigned p = 0; p < 256; p++)
			for (unsigned c = 0; c < ch; c++) {
				bool alpha =
					(ch == 2 || ch == 4) && c == ch - 1;
				uint8_t v = (uint8_t)(p + 85 * c);
				src[p * ch + c] = alpha ? (uint8_t)(p * 3) : v;
				exp[p * ch + c] =
					alpha ? (uint8_t)(p * 3) : want[v];
			}
		fp_frame f = ft_frame(fmt, 16, 16, 3, src), out;
		assert_int_equal(fp_harness_filter(h, &f, &out), 0);
		ft_expect(&out, fmt, 16, 16, exp);
		ft_free(&f);
	}
}

/* The same at 16 bits: a 256x256 frame of each 16-bit format whose colour
 * samples run through all 65536 values; colour v must read want[v]. A
 * table that still went through 8 bits would fail it at once. */
__attribute__((unused)) static void lut_check16(fp_harness *h,
						const uint16_t *want)
{
	static uint16_t src[65536 * 4], exp[65536 * 4];
	for (size_t k = 0; k < 4; k++) {
		fp_format fmt = ft_formats16[k];
		unsigned ch = fp_format_channels(fmt);
		for (unsigned p = 0; p < 65536; p++)
			for (unsigned c = 0; c < ch; c++) {
				bool alpha =
					(ch == 2 || ch == 4) && c == ch - 1;
				uint16_t v = (uint16_t)(p + 21845 * c);
				uint16_t a = (uint16_t)(p * 3 + 1);
				src[p * ch + c] = alpha ? a : v;
				exp[p * ch + c] = alpha ? a : want[v];
			}
		fp_frame f = ft_frame(fmt, 256, 256, 6, (const uint8_t *)src),
			 out;
		assert_int_equal(fp_harness_filter(h, &f, &out), 0);
		ft_expect(&out, fmt, 256, 256, (const uint8_t *)exp);
		ft_free(&f);
	}
}

#endif
