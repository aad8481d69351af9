#include "frames.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

const fp_format ft_formats[4] = {FP_FORMAT_G8, FP_FORMAT_GA8, FP_FORMAT_RGB8,
				 FP_FORMAT_RGBA8};
const fp_format ft_formats16[4] = {FP_FORMAT_G16, FP_FORMAT_GA16,
				   FP_FORMAT_RGB16, FP_FORMAT_RGBA16};

fp_frame ft_frame(fp_format format, uint32_t width, uint32_t height,
		  uint32_t pad, const uint8_t *tight)
{
	fp_frame f;
	memset(&f, 0, sizeof f);
	unsigned ch = fp_format_pixel_bytes(format);
	f.format = format;
	f.width = width;
	f.height = height;
	f.stride = width * ch + pad;
	f.capacity = (size_t)f.stride * height;
	f.pixels = malloc(f.capacity ? f.capacity : 1);
	assert_non_null(f.pixels);
	memset(f.pixels, 0xA5, f.capacity);
	for (uint32_t y = 0; y < height; y++) {
		uint8_t *row = f.pixels + (size_t)y * f.stride;
		if (tight != NULL)
			memcpy(row, tight + (size_t)y * width * ch,
			       (size_t)width * ch);
		else
			memset(row, 0, (size_t)width * ch);
	}
	return f;
}

void ft_free(fp_frame *f)
{
	free(f->pixels);
	f->pixels = NULL;
}

static int vstart(fp_harness **hp, const char *stage, va_list ap)
{
	fp_harness *h = fp_harness_new(stage);
	*hp = h;
	if (h == NULL)
		return -1;
	const char *name;
	while ((name = va_arg(ap, const char *)) != NULL) {
		const char *value = va_arg(ap, const char *);
		int rc = fp_harness_set(h, name, value);
		if (rc != 0)
			return rc;
	}
	return fp_harness_start(h, NULL, 0, NULL);
}

int ft_try_harness(fp_harness **h, const char *stage, ...)
{
	va_list ap;
	va_start(ap, stage);
	int rc = vstart(h, stage, ap);
	va_end(ap);
	return rc;
}

fp_harness *ft_harness(const char *stage, ...)
{
	fp_harness *h;
	va_list ap;
	va_start(ap, stage);
	int rc = vstart(&h, stage, ap);
	va_end(ap);
	if (rc != 0)
		fail_msg("%s: %s", stage,
			 h ? fp_harness_error(h) : "not found");
	return h;
}

uint8_t ft_at(const fp_frame *f, uint32_t x, uint32_t y, unsigned c)
{
	return f->pixels[(size_t)y * f->stride +
			 (size_t)x * fp_format_channels(f->format) + c];
}

unsigned ft_sample(const fp_frame *f, uint32_t x, uint32_t y, unsigned c)
{
	if (fp_format_sample_bytes(f->format) == 1)
		return ft_at(f, x, y, c);
	uint16_t v;
	memcpy(&v,
	       f->pixels + (size_t)y * f->stride +
		       ((size_t)x * fp_format_channels(f->format) + c) * 2,
	       2);
	return v;
}

void ft_expect(const fp_frame *f, fp_format format, uint32_t width,
	       uint32_t height, const uint8_t *tight)
{
	if (f->format != format || f->width != width || f->height != height)
		fail_msg("got %ux%u %s, expected %ux%u %s", f->width, f->height,
			 fp_format_name(f->format), width, height,
			 fp_format_name(format));
	unsigned ch = fp_format_channels(format);
	bool wide = fp_format_sample_bytes(format) == 2;
	assert_true(f->stride >= width * fp_format_pixel_bytes(format));
	for (uint32_t y = 0; y < height; y++)
		for (uint32_t x = 0; x < width; x++)
			for (unsigned c = 0; c < ch; c++) {
				unsigned got = ft_sample(f, x, y, c);
				size_t i = ((size_t)y * width + x) * ch + c;
				unsigned want;
				if (wide) {
					uint16_t w;
					memcpy(&w, tight + 2 * i, 2);
					want = w;
				} else {
					want = tight[i];
				}
				if (got != want)
					fail_msg("%s pixel (%u,%u) sample %u: "
						 "got %u, expected %u",
						 fp_format_name(format), x, y,
						 c, got, want);
			}
}
