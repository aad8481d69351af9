/* neighbourhood.h — shared checks for blur, sharpen, convolve and median:
 * a constant frame stays constant in every format, 8 and 16 bits.
 * Included by one test each. */
#ifndef FP_TEST_NEIGHBOURHOOD_H
#define FP_TEST_NEIGHBOURHOOD_H

#include <string.h>

#include "frames.h"

static void constant_stays_constant(fp_harness *h)
{
	for (size_t k = 0; k < 8; k++) {
		fp_format fmt = k < 4 ? ft_formats[k] : ft_formats16[k - 4];
		unsigned ch = fp_format_channels(fmt);
		bool wide = fp_format_sample_bytes(fmt) == 2;
		/* 16 bits: values no 8-bit path could keep */
		unsigned base = wide ? 90 * 257 + 77 : 90;
		unsigned step = wide ? 40 * 257 + 3 : 40;
		fp_frame f = ft_frame(fmt, 19, 7, wide ? 6 : 5, NULL), out;
		for (uint32_t y = 0; y < 7; y++)
			for (uint32_t x = 0; x < 19 * ch; x++) {
				unsigned v = base + step * (x % ch);
				uint8_t *p = f.pixels + y * f.stride;
				if (wide) {
					uint16_t s = (uint16_t)v;
					memcpy(p + 2 * x, &s, 2);
				} else {
					p[x] = (uint8_t)v;
				}
			}
		assert_int_equal(fp_harness_filter(h, &f, &out), 0);
		for (uint32_t y = 0; y < 7; y++)
			for (uint32_t x = 0; x < 19; x++)
				for (unsigned c = 0; c < ch; c++)
					assert_int_equal(
						ft_sample(&out, x, y, c),
						base + step * c);
		/* row padding untouched */
		assert_int_equal(out.pixels[19 * fp_format_pixel_bytes(fmt)],
				 0xA5);
		ft_free(&f);
	}
}

#endif
