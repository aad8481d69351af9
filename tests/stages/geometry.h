/* geometry.h — for the geometry stage tests: frames whose every sample
 * says where it came from, and a check of a stage against a mapping of
 * output to input coordinates, at 8 and 16 bits. Included by one test
 * each. */
#ifndef FP_TEST_GEOMETRY_H
#define FP_TEST_GEOMETRY_H

#include <string.h>

#include "frames.h"

/* Sample c of pixel (x, y) of a labelled frame: 8 bits, and 16 bits
 * (both bytes differ from pixel to pixel, so a stage that moved bytes
 * instead of samples would show). */
static unsigned label_of(fp_format fmt, uint32_t x, uint32_t y, unsigned c)
{
	if (fp_format_sample_bytes(fmt) == 2)
		return 0x1234u + 1000u * y + 257u * x + 3u * c;
	return (uint8_t)(40 * y + 8 * x + c + 1);
}

__attribute__((unused)) static uint8_t label(uint32_t x, uint32_t y, unsigned c)
{
	return (uint8_t)label_of(FP_FORMAT_G8, x, y, c);
}

static void put_sample(fp_frame *f, uint32_t x, uint32_t y, unsigned c,
		       unsigned v)
{
	unsigned ch = fp_format_channels(f->format);
	if (fp_format_sample_bytes(f->format) == 2) {
		uint16_t s = (uint16_t)v;
		memcpy(f->pixels + (size_t)y * f->stride +
			       ((size_t)x * ch + c) * 2,
		       &s, 2);
	} else {
		f->pixels[(size_t)y * f->stride + x * ch + c] = (uint8_t)v;
	}
}

static fp_frame labelled(fp_format fmt, uint32_t w, uint32_t h, uint32_t pad)
{
	fp_frame f = ft_frame(fmt, w, h, pad, NULL);
	unsigned ch = fp_format_channels(fmt);
	for (uint32_t y = 0; y < h; y++)
		for (uint32_t x = 0; x < w; x++)
			for (unsigned c = 0; c < ch; c++)
				put_sample(&f, x, y, c, label_of(fmt, x, y, c));
	return f;
}

/* Run h on a w x h labelled frame of every format, 8 and 16 bits; output
 * pixel (x, y) must be input pixel map(x, y) and the output ow x oh. */
typedef void (*map_fn)(uint32_t x, uint32_t y, uint32_t *ix, uint32_t *iy);
static void check_mapping(fp_harness *h, uint32_t w, uint32_t ht, uint32_t ow,
			  uint32_t oh, map_fn map)
{
	for (size_t k = 0; k < 8; k++) {
		fp_format fmt = k < 4 ? ft_formats[k] : ft_formats16[k - 4];
		unsigned ch = fp_format_channels(fmt);
		bool wide = fp_format_sample_bytes(fmt) == 2;
		fp_frame f = labelled(fmt, w, ht, wide ? 6 : 3), out;
		uint8_t want[64 * 4];
		uint16_t want16[64 * 4];
		assert_true(ow * oh <= 64);
		for (uint32_t y = 0; y < oh; y++)
			for (uint32_t x = 0; x < ow; x++) {
				uint32_t ix, iy;
				map(x, y, &ix, &iy);
				for (unsigned c = 0; c < ch; c++) {
					unsigned v = label_of(fmt, ix, iy, c);
					want[(y * ow + x) * ch + c] =
						(uint8_t)v;
					want16[(y * ow + x) * ch + c] =
						(uint16_t)v;
				}
			}
		assert_int_equal(fp_harness_filter(h, &f, &out), 0);
		ft_expect(&out, fmt, ow, oh,
			  wide ? (const uint8_t *)want16 : want);
		ft_free(&f);
	}
}

#endif
