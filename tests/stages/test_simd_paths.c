/* The filters' fast paths give the same bytes as their plain ones: each
 * stage runs on frames large enough for every vector loop and its tail
 * (odd widths, several formats), with the AVX2 copies and the baseline
 * ones (FP_SIMD=generic), for the resampler with and without the
 * horizontal run of equal taps (FP_KIT_RUNS=0: every output through its
 * own tap loop, the code before the runs), and for the lookup tables with
 * and without the straight-line arithmetic (FP_KIT_LINES=0: the table).
 * All outputs must be equal. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frames.h"

/* Gradient plus noise, alpha included, at any depth. */
static fp_frame noisy(fp_format fmt, uint32_t w, uint32_t h)
{
	unsigned ch = fp_format_channels(fmt);
	bool wide = fp_format_sample_bytes(fmt) == 2;
	size_t n = (size_t)w * h * ch;
	uint16_t *v = malloc(n * sizeof *v);
	uint8_t *b = malloc(n);
	assert_non_null(v);
	assert_non_null(b);
	uint32_t s = 7;
	for (size_t i = 0; i < n; i++) {
		s = s * 1103515245u + 12345u;
		unsigned x = (unsigned)(i / ch % w), y = (unsigned)(i / ch / w);
		unsigned g = (x * 5 + y * 3) % 256 + (s >> 27);
		g = g > 255 ? 255 : g;
		if (i % 97 == 0) /* salt and pepper, and out-of-range peaks */
			g = s >> 31 ? 255 : 0;
		v[i] = (uint16_t)(g * 257u ^ (s >> 16 & 0xff));
		b[i] = (uint8_t)g;
	}
	fp_frame f = ft_frame(fmt, w, h, wide ? 6 : 3,
			      wide ? (const uint8_t *)v : b);
	free(v);
	free(b);
	return f;
}

static size_t frame_bytes(const fp_frame *f)
{
	return (size_t)f->width * f->height * fp_format_pixel_bytes(f->format);
}

/* Output of stage (params: name, value pairs) on in, packed, malloc'd. */
static uint8_t *run(const char *stage, const char *const *params,
		    const fp_frame *in, size_t *size)
{
	fp_harness *h = fp_harness_new(stage);
	assert_non_null(h);
	for (const char *const *p = params; *p; p += 2)
		assert_int_equal(fp_harness_set(h, p[0], p[1]), 0);
	assert_int_equal(fp_harness_start(h, NULL, 0, NULL), 0);
	fp_frame out;
	assert_int_equal(fp_harness_filter(h, in, &out), 0);
	*size = frame_bytes(&out);
	uint8_t *copy = malloc(*size);
	assert_non_null(copy);
	size_t row = (size_t)out.width * fp_format_pixel_bytes(out.format);
	for (uint32_t y = 0; y < out.height; y++)
		memcpy(copy + y * row, out.pixels + (size_t)y * out.stride,
		       row);
	fp_harness_free(h);
	return copy;
}

struct check {
	const char *stage;
	const char *params[7];
};

static const struct check checks[] = {
	{"blur", {"sigma", "2", NULL}},
	{"blur", {"sigma", "0.7", NULL}},
	{"sharpen", {"sigma", "1", NULL}},
	{"sharpen", {"sigma", "1.5", "amount", "2", "threshold", "3", NULL}},
	{"resize", {"scale", "0.5", "kernel", "lanczos3", NULL}},
	{"resize", {"scale", "0.5", "kernel", "bilinear", NULL}},
	{"resize", {"scale", "0.25", "kernel", "bicubic", NULL}},
	{"resize", {"scale", "0.34", "kernel", "lanczos3", NULL}},
	{"resize", {"scale", "2", "kernel", "lanczos3", NULL}},
	{"median", {"radius", "1", NULL}},
	{"invert", {NULL, ""}}, /* params[1] is printed */
	{"brightness_contrast", {"brightness", "-7", "contrast", "1.3", NULL}},
	{"brightness_contrast", {"brightness", "20.25", NULL}},
	{"gamma", {"gamma", "2.2", NULL}},
	{"levels", {"in_black", "10", "in_white", "240", NULL}},
	{"levels", {"in_black", "3", "out_white", "200", "gamma", "0.8", NULL}},
	{"threshold", {"level", "100", NULL}},
	{"grayscale", {"luma", "bt601", NULL}},
	{"grayscale", {"luma", "bt709", NULL}},
	{"channel_mixer", {"preset", "sepia", NULL}},
	{"channel_mixer", {"matrix", "1.1 -0.2 0.3 0 1 0 -1 2 0.5", NULL}},
	/* the 16-bit lanes' bounds (-8 and 7.99 of 4096ths), saturating
	 * both ways, and a coefficient past them (the 32-bit loop) */
	{"channel_mixer", {"matrix", "7.99 -8 0.5 -3 2 1 0.25 0 -7.5", NULL}},
	{"channel_mixer", {"matrix", "10 0 0 0 1 0 0 0 -9", NULL}},
	{"flip", {"direction", "horizontal", NULL}},
	{"flip", {"direction", "vertical", NULL}},
};

static const fp_format formats[] = {
	FP_FORMAT_G8,	FP_FORMAT_RGB8,	 FP_FORMAT_RGBA8,
	FP_FORMAT_GA16, FP_FORMAT_RGB16, FP_FORMAT_RGBA16,
};

static void test_same_bytes(void **state)
{
	(void)state;
	/* generic/runs, AVX2/runs, generic/no runs, AVX2/no runs */
	static const char *const simd[] = {"generic", "", "generic", ""};
	static const char *const runs[] = {"1", "1", "0", "0"};
	/* 204 (and the height, 40) halves exactly (a run at step 2); 211
	 * leaves odd tails; 1031 is more than a row chunk (flip) */
	static const uint32_t widths[] = {204, 211, 1031};
	enum { NW = FP_COUNT_OF(widths) };
	for (size_t c = 0; c < FP_COUNT_OF(checks); c++)
		for (size_t f = 0; f < NW * FP_COUNT_OF(formats); f++) {
			fp_format fmt = formats[f / NW];
			/* channel_mixer refuses gray formats */
			if (strcmp(checks[c].stage, "channel_mixer") == 0 &&
			    fp_format_channels(fmt) < 3)
				continue;
			fp_frame in = noisy(fmt, widths[f % NW], 40);
			uint8_t *ref = NULL;
			size_t ref_size = 0;
			for (size_t k = 0; k < 4; k++) {
				setenv("FP_SIMD", simd[k], 1);
				setenv("FP_KIT_RUNS", runs[k], 1);
				setenv("FP_KIT_LINES", runs[k], 1);
				size_t size;
				uint8_t *o = run(checks[c].stage,
						 checks[c].params, &in, &size);
				if (ref == NULL) {
					ref = o;
					ref_size = size;
					continue;
				}
				assert_int_equal(size, ref_size);
				if (memcmp(o, ref, size) != 0)
					fail_msg("%s %s=%s, %s: way %zu "
						 "differs",
						 checks[c].stage,
						 checks[c].params[0]
							 ? checks[c].params[0]
							 : "",
						 checks[c].params[1],
						 fp_format_name(fmt), k);
				free(o);
			}
			free(ref);
			ft_free(&in);
		}
	unsetenv("FP_SIMD");
	unsetenv("FP_KIT_RUNS");
	unsetenv("FP_KIT_LINES");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_bytes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
