/* framepipe/testing.h — test one stage in-process, frames in and frames out,
 * with no supervisor, no pool and no processes (like GStreamer's GstHarness).
 * Link framepipe::testing (CMake) or `pkg-config --libs framepipe-testing`;
 * it works with any test framework (our tests use cmocka).
 *
 *   fp_harness *h = fp_harness_new("build/vignette.so");
 *   fp_harness_set(h, "strength", "0.8");      // config text, checked as a
 *   fp_harness_start(h, NULL, 0, NULL);        // config's would be
 *   fp_frame *in = fp_testing_frame_new(64, 48, FP_FORMAT_RGB8);
 *   fp_testing_frame_fill_pattern(in, FP_TESTING_GRADIENT, 0);
 *   fp_frame out;
 *   int rc = fp_harness_filter(h, in, &out);  // out valid until next call
 *   ... fp_testing_frame_max_diff(&out, expected) ...
 *   fp_testing_frame_free(in);
 *   fp_harness_free(h);
 *
 * What the harness does as the core would: it loads the stage through the
 * same loader (same ABI checks and messages), parses parameters from text
 * with the same parser and bounds, calls init with a run environment, hands
 * process() a frame whose pixel buffer has the capacity of a pool slot
 * (fp_harness_set_capacity), runs in-place filters in place and gives
 * out-of-place ones a second buffer, carries the frame's metadata as the core
 * does, refuses a frame of a format the stage does not declare (FP_EFORMAT,
 * "NAME takes ... frames, not ..."), and fails an output whose geometry does
 * not fit its buffer (FP_EGEOMETRY), as the stage host would. What it does
 * not: processes, pipes, restarts, workers, or the order of a real run.
 *
 * Everything here runs in the calling thread. Functions returning int return
 * 0 or a negative framepipe/errno code, with a message in fp_harness_error().
 */
#ifndef FRAMEPIPE_TESTING_H
#define FRAMEPIPE_TESTING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "framepipe/stage.h"

typedef struct fp_harness fp_harness;

/* Load a stage by name or by path and make its parameter struct with every
 * default applied. A name with a '/' is a path to a .so; any other name is
 * looked up as the program would: in the built-in folder next to the test
 * executable (<exe dir>/../lib/framepipe/stages, so only in framepipe's own
 * build tree), then in the folders of FRAMEPIPE_PLUGIN_PATH. Out of tree,
 * put the installed built-ins on FRAMEPIPE_PLUGIN_PATH to use them
 * (framepipe_STAGE_DIR in CMake, `pkg-config --variable=stagedir
 * framepipe`). New harness, free with fp_harness_free(); NULL on failure,
 * with the loader's message on stderr. */
fp_harness *fp_harness_new(const char *stage);

/* The same for a stage linked into the test program itself (its .c compiled
 * into the test): pass its descriptor, e.g.
 *   extern const fp_stage_descriptor framepipe_stage;
 *   fp_harness *h = fp_harness_new_linked(&framepipe_stage);
 * The descriptor is checked like a loaded one (borrowed: it must outlive the
 * harness). Handy for a debugger or coverage run on one binary. */
fp_harness *fp_harness_new_linked(const fp_stage_descriptor *desc);

/* Set parameter name from config text, before fp_harness_start(). Returns
 * FP_EPARAM with "NAME: expected WHAT, got 'VALUE'" in fp_harness_error(),
 * the message `framepipe check` would print after "file:line: label.". */
int fp_harness_set(fp_harness *h, const char *name, const char *value);

/* Bytes each frame buffer holds, like a pool slot (default 64 MiB). */
void fp_harness_set_capacity(fp_harness *h, size_t bytes);

/* Bytes of each frame buffer's metadata area, like [pipeline]
 * metadata_size (default 1 MiB). Frames handed to a stage carry a copy of
 * the input frame's metadata (fp_frame.meta); a source's frames start with
 * an empty area. */
void fp_harness_set_metadata_size(fp_harness *h, size_t bytes);

/* Sources: the shrink hint (fp_frame.hint_width, hint_height) the core's
 * planner would give every frame; 0, 0 (the default) for none. */
void fp_harness_set_hint(fp_harness *h, uint32_t width, uint32_t height);

/* Call the stage's init with this run's inputs and output folder (both
 * borrowed: keep them valid until fp_harness_free). The environment's label
 * is the stage's name and its instance 0. */
int fp_harness_start(fp_harness *h, const char *const *inputs,
		     size_t input_count, const char *output_dir);

/* Sources: make frame number sequence (input_index = sequence, input_path
 * = inputs[sequence] when there is one) into a harness buffer. *out is a
 * view of that buffer, valid until the next harness call. FP_EEND when the
 * source has no more frames. */
int fp_harness_source(fp_harness *h, uint64_t sequence, fp_frame *out);

/* Filters: run a copy of *in (borrowed, unchanged; its stride is kept)
 * through the stage. *out is a view of a harness buffer holding the result,
 * valid until the next harness call: for in-place filters the buffer that
 * held the copy, for FP_STAGE_OUT_OF_PLACE ones a second buffer. */
int fp_harness_filter(fp_harness *h, const fp_frame *in, fp_frame *out);

/* Sinks: consume *in (borrowed); output_path is what the core would pass
 * (the output folder joined with the expanded name template), or NULL. */
int fp_harness_sink(fp_harness *h, const fp_frame *in, const char *output_path);

/* The last frame error (what the stage passed to fp_frame_fail) or
 * parameter error; "" when there is none. Valid until the next call. */
const char *fp_harness_error(const fp_harness *h);

/* The stage's descriptor as the core sees it: every field of this ABI,
 * fields the plugin was built without read as NULL/0. */
const fp_stage_descriptor *fp_harness_descriptor(const fp_harness *h);

/* Calls fini (if started) and unloads. NULL is allowed. */
void fp_harness_free(fp_harness *h);

/* ---- frames for tests ----------------------------------------------------
 *
 * Frames a test makes, to push into a stage or to compare with what came
 * out. Rows are packed (stride = width * bytes per pixel); pixels start
 * zeroed, the frame has a metadata area of its own (fp_frame.meta, 64 KiB,
 * empty) and
 * the frame has its own error buffer, so a stage may fp_frame_fail() it. */

/* A new width x height frame of format. Free with fp_testing_frame_free().
 * NULL when the format is unknown, a side is 0 or the size overflows. */
fp_frame *fp_testing_frame_new(uint32_t width, uint32_t height,
			       fp_format format);
void fp_testing_frame_free(fp_frame *frame);

/* Fill from bytes: height rows of width * bytes-per-pixel bytes each,
 * packed, in the frame's channel order (R, G, B, A; G, A); 16-bit samples
 * as native uint16_t. */
void fp_testing_frame_fill(fp_frame *frame, const uint8_t *bytes);

/* Every pixel set to the fp_format_pixel_bytes() bytes at pixel. */
void fp_testing_frame_fill_pixel(fp_frame *frame, const uint8_t *pixel);

typedef enum fp_testing_pattern {
	/* channel c of (x, y) = ((x + y) * 255 / max(1, w + h - 2) + 64 * c)
	 * mod 256: a diagonal ramp, shifted per channel. In 16-bit frames
	 * every pattern's sample is the 8-bit value times 257. */
	FP_TESTING_GRADIENT = 1,
	/* reproducible noise from seed (xorshift32): every byte */
	FP_TESTING_NOISE = 2,
	/* 8x8 squares of 0 and 255 on every channel */
	FP_TESTING_CHECKER = 3,
} fp_testing_pattern;

/* Fill with a deterministic pattern; seed matters for FP_TESTING_NOISE. */
void fp_testing_frame_fill_pattern(fp_frame *frame, fp_testing_pattern pattern,
				   uint32_t seed);

/* A new frame with the same geometry, format and pixels as frame (any
 * stride; the copy's rows are packed). NULL on allocation failure. */
fp_frame *fp_testing_frame_copy(const fp_frame *frame);

/* The bytes of pixel (x, y), for reading or writing; no bounds check. */
static inline uint8_t *fp_testing_pixel(const fp_frame *frame, uint32_t x,
					uint32_t y)
{
	return frame->pixels + (size_t)y * frame->stride +
	       (size_t)x * fp_format_pixel_bytes(frame->format);
}

/* Sample c of pixel (x, y) of a 16-bit frame (native uint16_t). */
static inline uint16_t *fp_testing_pixel16(const fp_frame *frame, uint32_t x,
					   uint32_t y)
{
	return (uint16_t *)(void *)fp_testing_pixel(frame, x, y);
}

/* Compare a with b, row bytes only (stride padding ignored). Returns the
 * largest absolute difference of any sample (0 when equal; in sample
 * units: up to 65535 for 16-bit frames), or -1 when
 * width, height or format differ. why (may be NULL) gets one line for a
 * test failure message: "2x2 RGB8 vs 2x2 RGBA8", or the first pixel with
 * the largest difference, "max diff 40 at (3, 1) channel 2: 200 vs 160". */
int fp_testing_frame_compare(const fp_frame *a, const fp_frame *b, char *why,
			     size_t why_size);

/* Same geometry and format, and equal pixels. */
bool fp_testing_frame_equal(const fp_frame *a, const fp_frame *b);

/* fp_testing_frame_compare() without the text. */
int fp_testing_frame_max_diff(const fp_frame *a, const fp_frame *b);

#endif
