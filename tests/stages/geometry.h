/* geometry.h — for the geometry stage tests: frames whose every sample
 * says where it came from, and a check of a stage against a mapping of
 * output to input coordinates. Included by one test each. */
#ifndef FP_TEST_GEOMETRY_H
#define FP_TEST_GEOMETRY_H

#include "frames.h"

/* Sample c of pixel (x, y) of a labelled frame. */
static uint8_t label(uint32_t x, uint32_t y, unsigned c)
{
	return (uint8_t)(40 * y + 8 * x + c + 1);
}

static fp_frame labelled(fp_format fmt, uint32_t w, uint32_t h, uint32_t pad)
{
	fp_frame f = ft_frame(fmt, w, h, pad, NULL);
	unsigned ch = fp_format_channels(fmt);
	for (uint32_t y = 0; y < h; y++)
		for (uint32_t x = 0; x < w; x++)
			for (unsigned c = 0; c < ch; c++)
				f.pixels[(size_t)y * f.stride + x * ch + c] =
					label(x, y, c);
	return f;
}

/* Run h on a w x h labelled frame of every format; output pixel (x, y)
 * must be input pixel map(x, y) and the output ow x oh. */
typedef void (*map_fn)(uint32_t x, uint32_t y, uint32_t *ix, uint32_t *iy);
static void check_mapping(fp_harness *h, uint32_t w, uint32_t ht, uint32_t ow,
			  uint32_t oh, map_fn map)
{
	for (size_t k = 0; k < 4; k++) {
		fp_format fmt = ft_formats[k];
		unsigned ch = fp_format_channels(fmt);
		fp_frame f = labelled(fmt, w, ht, 3), out;
		uint8_t want[64 * 4];
		assert_true(ow * oh <= 64);
		for (uint32_t y = 0; y < oh; y++)
			for (uint32_t x = 0; x < ow; x++) {
				uint32_t ix, iy;
				map(x, y, &ix, &iy);
				for (unsigned c = 0; c < ch; c++)
					want[(y * ow + x) * ch + c] =
						label(ix, iy, c);
			}
		assert_int_equal(fp_harness_filter(h, &f, &out), 0);
		ft_expect(&out, fmt, ow, oh, want);
		ft_free(&f);
	}
}

#endif
