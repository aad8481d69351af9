/* frames.h — small helpers for the filter stage tests: build frames by
 * hand (with padded rows, to prove stages honour the stride), run a stage
 * through framepipe::testing, and compare results pixel for pixel. */
#ifndef FP_TEST_FRAMES_H
#define FP_TEST_FRAMES_H

#include <stddef.h>
#include <stdint.h>

#include "framepipe/testing.h"

/* A frame of format, width x height, whose rows are `pad` bytes longer
 * than the pixels (the padding holds 0xA5). tight holds the pixels packed
 * (NULL: zeros); for 16-bit formats it is the uint16_t samples (cast), and
 * pad must be even. Free with ft_free. */
fp_frame ft_frame(fp_format format, uint32_t width, uint32_t height,
		  uint32_t pad, const uint8_t *tight);
void ft_free(fp_frame *f);

/* A harness for stage with parameters given as NULL-terminated name,
 * value pairs, started. Fails the test if anything is refused. */
fp_harness *ft_harness(const char *stage, ...);

/* Like ft_harness but returns the code of the first refused step
 * (set or start) and the harness in *h (NULL on failure). */
int ft_try_harness(fp_harness **h, const char *stage, ...);

/* Check that f is format, width x height and its pixels equal tight
 * (packed; uint16_t samples for 16-bit formats), whatever f's stride;
 * fails the test naming the first differing sample. */
void ft_expect(const fp_frame *f, fp_format format, uint32_t width,
	       uint32_t height, const uint8_t *tight);

/* Sample c of pixel (x, y), 8-bit frames. */
uint8_t ft_at(const fp_frame *f, uint32_t x, uint32_t y, unsigned c);
/* Sample c of pixel (x, y) at any depth. */
unsigned ft_sample(const fp_frame *f, uint32_t x, uint32_t y, unsigned c);

/* Every 8-bit format, for loops over formats. */
extern const fp_format ft_formats[4];
/* Every 16-bit format, in the same order (G16, GA16, RGB16, RGBA16). */
extern const fp_format ft_formats16[4];

#endif
