/* neighbourhood.h — shared checks for blur, sharpen, convolve and median:
 * a constant frame stays constant in every format. Included by one test
 * each. */
#ifndef FP_TEST_NEIGHBOURHOOD_H
#define FP_TEST_NEIGHBOURHOOD_H

#include "frames.h"

static void constant_stays_constant(fp_harness *h)
{
	for (size_t k = 0; k < 4; k++) {
		fp_format fmt = ft_formats[k];
		unsigned ch = fp_format_channels(fmt);
		fp_frame f = ft_frame(fmt, 19, 7, 5, NULL), out;
		for (uint32_t y = 0; y < 7; y++)
			for (uint32_t x = 0; x < 19 * ch; x++)
				f.pixels[y * f.stride + x] =
					(uint8_t)(90 + 40 * (x % ch));
		assert_int_equal(fp_harness_filter(h, &f, &out), 0);
		for (uint32_t y = 0; y < 7; y++)
			for (uint32_t x = 0; x < 19; x++)
				for (unsigned c = 0; c < ch; c++)
					assert_int_equal(ft_at(&out, x, y, c),
							 90 + 40 * c);
		/* row padding untouched */
		assert_int_equal(out.pixels[19 * ch], 0xA5);
		ft_free(&f);
	}
}

#endif
