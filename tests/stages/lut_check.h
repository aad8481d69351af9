/* lut_check.h — for the per-sample stages: run stage with its parameters
 * on every format with padded rows, and check every colour sample v maps
 * to want[v] while alpha is untouched. Included by one test each. */
#ifndef FP_TEST_LUT_CHECK_H
#define FP_TEST_LUT_CHECK_H

#include "frames.h"

/* A 16x16 frame of format whose colour samples run through all 256
 * values; after `stage` (configured in h), colour v must read want[v]. */
static void lut_check(fp_harness *h, const uint8_t want[256])
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

#endif
