/* convert: known answers for hand-picked pixels, then every one of the 64
 * (from, to) pairs on noise, padded rows, checked against the rules
 * written out independently here: 8 -> 16 is v * 257, 16 -> 8 is
 * round(v / 257), gray -> RGB replicates, RGB -> gray is luma rounded once
 * in the output depth, alpha is added opaque or dropped. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frames.h"

/* A frame of format whose rows are pad bytes longer than the pixels,
 * filled from samples (packed, as uint32 whatever the depth). */
static fp_frame make(fp_format format, uint32_t w, uint32_t h, uint32_t pad,
		     const uint32_t *samples)
{
	fp_frame f;
	memset(&f, 0, sizeof f);
	unsigned ch = fp_format_channels(format);
	unsigned b = fp_format_sample_bytes(format);
	f.format = format;
	f.width = w;
	f.height = h;
	f.stride = w * ch * b + pad;
	f.capacity = (size_t)f.stride * h;
	f.pixels = malloc(f.capacity);
	assert_non_null(f.pixels);
	memset(f.pixels, 0xA5, f.capacity);
	for (uint32_t y = 0; y < h; y++)
		for (uint32_t i = 0; i < w * ch; i++) {
			uint32_t v = samples[y * w * ch + i];
			uint8_t *p = f.pixels + (size_t)y * f.stride + i * b;
			if (b == 1) {
				*p = (uint8_t)v;
			} else {
				uint16_t s = (uint16_t)v;
				memcpy(p, &s, 2);
			}
		}
	return f;
}

/* Sample i (of the packed samples) of f. */
static uint32_t sample(const fp_frame *f, uint32_t i)
{
	unsigned ch = fp_format_channels(f->format);
	unsigned b = fp_format_sample_bytes(f->format);
	uint32_t x = i / ch % f->width, y = i / ch / f->width, c = i % ch;
	const uint8_t *p = f->pixels + (size_t)y * f->stride + (x * ch + c) * b;
	if (b == 1)
		return *p;
	uint16_t s;
	memcpy(&s, p, 2);
	return s;
}

static void expect(const fp_frame *f, fp_format format, const uint32_t *want,
		   uint32_t n)
{
	if (f->format != format)
		fail_msg("format %s, expected %s", fp_format_name(f->format),
			 fp_format_name(format));
	for (uint32_t i = 0; i < n; i++)
		if (sample(f, i) != want[i])
			fail_msg("%s: sample %u is %u, expected %u",
				 fp_format_name(format), i, sample(f, i),
				 want[i]);
}

/* Convert one pixel of from to `to` (by name) and check it. */
static void one(fp_format from, const uint32_t *px, const char *to,
		fp_format to_format, const uint32_t *want, const char *luma)
{
	fp_frame f = make(from, 1, 1, 3, px), out;
	fp_harness *h = ft_harness("convert", "format", to, "luma",
				   luma ? luma : "bt709", NULL);
	assert_int_equal(fp_harness_filter(h, &f, &out), 0);
	expect(&out, to_format, want, fp_format_channels(to_format));
	fp_harness_free(h);
	ft_free(&f);
}

static void test_known_answers(void **state)
{
	(void)state;
	/* 0.212656 * 255 + 0.072186 * 8 = 54.80; times 257: 14084.8 */
	const uint32_t red[] = {255, 0, 8};
	one(FP_FORMAT_RGB8, red, "g8", FP_FORMAT_G8, (uint32_t[]){55}, 0);
	one(FP_FORMAT_RGB8, red, "g16", FP_FORMAT_G16, (uint32_t[]){14085}, 0);
	/* 0.212656 * 65535 + 0.715158 * 32768 = 37370.7 (145.41 at 8) */
	const uint32_t rg16[] = {65535, 32768, 0};
	one(FP_FORMAT_RGB16, rg16, "g16", FP_FORMAT_G16, (uint32_t[]){37371},
	    0);
	one(FP_FORMAT_RGB16, rg16, "g8", FP_FORMAT_G8, (uint32_t[]){145}, 0);
	/* luma 1859.53 (7.24 at 8 bits); 1000/257 = 3.89, 2000/257 =
	 * 7.78, 3000/257 = 11.67, 32896/257 = 128 */
	const uint32_t rgba16[] = {1000, 2000, 3000, 32896};
	one(FP_FORMAT_RGBA16, rgba16, "ga8", FP_FORMAT_GA8,
	    (uint32_t[]){7, 128}, 0);
	one(FP_FORMAT_RGBA16, rgba16, "ga16", FP_FORMAT_GA16,
	    (uint32_t[]){1860, 32896}, 0);
	one(FP_FORMAT_RGBA16, rgba16, "rgb8", FP_FORMAT_RGB8,
	    (uint32_t[]){4, 8, 12}, 0);
	one(FP_FORMAT_RGBA16, rgba16, "rgba8", FP_FORMAT_RGBA8,
	    (uint32_t[]){4, 8, 12, 128}, 0);
	/* bt709: 142.98 (36744.96 at 16 bits); bt601: 140.78 */
	const uint32_t c[] = {100, 150, 200};
	one(FP_FORMAT_RGB8, c, "g8", FP_FORMAT_G8, (uint32_t[]){143}, 0);
	one(FP_FORMAT_RGB8, c, "g16", FP_FORMAT_G16, (uint32_t[]){36745}, 0);
	one(FP_FORMAT_RGB8, c, "g8", FP_FORMAT_G8, (uint32_t[]){141}, "bt601");
	const uint32_t g[] = {200};
	one(FP_FORMAT_G8, g, "rgb8", FP_FORMAT_RGB8,
	    (uint32_t[]){200, 200, 200}, 0);
	one(FP_FORMAT_G8, g, "rgba16", FP_FORMAT_RGBA16,
	    (uint32_t[]){51400, 51400, 51400, 65535}, 0);
	one(FP_FORMAT_G8, g, "ga8", FP_FORMAT_GA8, (uint32_t[]){200, 255}, 0);
	one(FP_FORMAT_G8, g, "g16", FP_FORMAT_G16, (uint32_t[]){51400}, 0);
	const uint32_t ga[] = {10, 20};
	one(FP_FORMAT_GA8, ga, "rgb16", FP_FORMAT_RGB16,
	    (uint32_t[]){2570, 2570, 2570}, 0);
	one(FP_FORMAT_GA8, ga, "g8", FP_FORMAT_G8, (uint32_t[]){10}, 0);
	const uint32_t ga16[] = {1000, 129};
	one(FP_FORMAT_GA16, ga16, "rgba8", FP_FORMAT_RGBA8,
	    (uint32_t[]){4, 4, 4, 1}, 0);
}

/* 16 -> 8 rounds half up at the exact boundaries of round(v / 257). */
static void test_rounding_boundaries(void **state)
{
	(void)state;
	const uint32_t in[] = {0, 128, 129, 32767, 32768, 65535, 385, 386};
	const uint32_t want[] = {0, 0, 1, 127, 128, 255, 1, 2};
	fp_frame f = make(FP_FORMAT_G16, 8, 1, 0, in), out;
	fp_harness *h = ft_harness("convert", "depth", "8", NULL);
	assert_int_equal(fp_harness_filter(h, &f, &out), 0);
	expect(&out, FP_FORMAT_G8, want, 8);
	assert_int_equal(out.stride, 8);
	fp_harness_free(h);
	ft_free(&f);
}

/* The rules, independently: sample c of pixel i of `to` made from px. */
static uint32_t rule(fp_format from, fp_format to, const uint32_t *px,
		     unsigned c, double wr, double wg, double wb)
{
	unsigned ci = fp_format_channels(from), co = fp_format_channels(to);
	double in_max = fp_format_sample_bytes(from) == 2 ? 65535 : 255;
	double out_max = fp_format_sample_bytes(to) == 2 ? 65535 : 255;
	bool alpha_out = co == 2 || co == 4;
	if (alpha_out && c == co - 1) {
		if (ci != 2 && ci != 4)
			return (uint32_t)out_max;
		return (uint32_t)floor(px[ci - 1] * out_max / in_max + 0.5);
	}
	double v;
	if (co >= 3)
		v = px[ci >= 3 ? c : 0];
	else if (ci >= 3)
		v = wr * px[0] + wg * px[1] + wb * px[2];
	else
		v = px[0];
	return (uint32_t)floor(v * out_max / in_max + 0.5);
}

static void test_every_pair(void **state)
{
	(void)state;
	static const char *names[] = {"",    "g8",   "ga8",   "rgb8",  "rgba8",
				      "g16", "ga16", "rgb16", "rgba16"};
	const uint32_t w = 5, h = 3;
	uint32_t seed = 12345;
	for (int from = FP_FORMAT_FIRST; from <= FP_FORMAT_LAST; from++) {
		unsigned ci = fp_format_channels((fp_format)from);
		uint32_t max = fp_format_sample_bytes((fp_format)from) == 2
				       ? 65535
				       : 255;
		uint32_t px[5 * 3 * 4];
		for (uint32_t i = 0; i < w * h * ci; i++) {
			seed ^= seed << 13, seed ^= seed >> 17,
				seed ^= seed << 5;
			px[i] = seed % (max + 1);
		}
		px[0] = 0; /* and the extremes */
		px[1] = max;
		for (int to = FP_FORMAT_FIRST; to <= FP_FORMAT_LAST; to++) {
			/* an odd padding: rows grow into it or shrink */
			fp_frame f = make((fp_format)from, w, h, 5, px), out;
			fp_harness *hs = ft_harness("convert", "format",
						    names[to], NULL);
			assert_int_equal(fp_harness_filter(hs, &f, &out), 0);
			unsigned co = fp_format_channels((fp_format)to);
			uint32_t want[5 * 3 * 4];
			for (uint32_t p = 0; p < w * h; p++)
				for (unsigned c = 0; c < co; c++)
					want[p * co + c] = rule(
						(fp_format)from, (fp_format)to,
						px + p * ci, c, 0.212656,
						0.715158, 0.072186);
			if (from == to)
				assert_int_equal(out.stride, f.stride);
			else
				assert_true(out.stride >=
					    w * fp_format_pixel_bytes(
							(fp_format)to));
			expect(&out, (fp_format)to, want, w * h * co);
			fp_harness_free(hs);
			ft_free(&f);
		}
	}
}

static void test_layout_and_depth(void **state)
{
	(void)state;
	const uint32_t px[] = {10, 20, 30, 40};
	fp_frame f = make(FP_FORMAT_RGBA8, 1, 1, 0, px), out;
	fp_harness *h = ft_harness("convert", "layout", "rgb", NULL);
	assert_int_equal(fp_harness_filter(h, &f, &out), 0);
	expect(&out, FP_FORMAT_RGB8, (uint32_t[]){10, 20, 30}, 3);
	fp_harness_free(h);
	h = ft_harness("convert", "depth", "16", NULL);
	assert_int_equal(fp_harness_filter(h, &f, &out), 0);
	expect(&out, FP_FORMAT_RGBA16, (uint32_t[]){2570, 5140, 7710, 10280},
	       4);
	fp_harness_free(h);
	h = ft_harness("convert", "layout", "ga", "depth", "16", NULL);
	assert_int_equal(fp_harness_filter(h, &f, &out), 0);
	/* 0.212656 * 10 + 0.715158 * 20 + 0.072186 * 30 = 18.595, x 257 */
	expect(&out, FP_FORMAT_GA16, (uint32_t[]){4779, 10280}, 2);
	fp_harness_free(h);
	ft_free(&f);
}

static void test_slot_too_small(void **state)
{
	(void)state;
	uint32_t px[16] = {0};
	fp_frame f = make(FP_FORMAT_G8, 4, 4, 0, px), out;
	fp_harness *h = fp_harness_new("convert");
	assert_non_null(h);
	fp_harness_set_capacity(h, 100); /* RGBA16 needs 128 */
	assert_int_equal(fp_harness_set(h, "format", "rgba16"), 0);
	assert_int_equal(fp_harness_start(h, NULL, 0, NULL), 0);
	assert_int_equal(fp_harness_filter(h, &f, &out), FP_ENOFIT);
	assert_non_null(strstr(fp_harness_error(h), "slot_size"));
	fp_harness_free(h);
	ft_free(&f);
}

static void test_format_with_depth_refused(void **state)
{
	(void)state;
	fp_harness *h = fp_harness_new("convert");
	assert_non_null(h);
	const fp_stage_descriptor *d = fp_harness_descriptor(h);
	assert_non_null(d->check);
	/* format = g8 (index 1), layout keep, depth = 16 (index 2) */
	int cfg[4] = {1, 0, 2, 0};
	char err[200];
	assert_int_equal(d->check(cfg, err, sizeof err), FP_EPARAM);
	assert_non_null(strstr(err, "not both"));
	cfg[2] = 0;
	assert_int_equal(d->check(cfg, err, sizeof err), 0);
	/* the planner's view: RGB8 or G16 in, format=g8 -> G8 out */
	fp_shape in = {.width = 7,
		       .height = 5,
		       .formats = FP_FORMAT_BIT(FP_FORMAT_RGB8) |
				  FP_FORMAT_BIT(FP_FORMAT_G16)},
		 out;
	assert_int_equal(d->shape(cfg, &in, &out, err, sizeof err), 0);
	assert_int_equal(out.formats, FP_FORMAT_BIT(FP_FORMAT_G8));
	assert_int_equal(out.width, 7);
	fp_harness_free(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_answers),
		cmocka_unit_test(test_rounding_boundaries),
		cmocka_unit_test(test_every_pair),
		cmocka_unit_test(test_layout_and_depth),
		cmocka_unit_test(test_slot_too_small),
		cmocka_unit_test(test_format_with_depth_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
