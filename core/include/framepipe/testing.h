/* framepipe/testing.h — run one stage in-process, frames in and frames out,
 * with no supervisor and no processes (like GStreamer's GstHarness). Parameters
 * are set from strings exactly as a config would set them.
 *
 *   fp_harness *h = fp_harness_new("png_decode");
 *   fp_harness_set(h, "format", "rgba");
 *   fp_harness_start(h, inputs, n, NULL);
 *   fp_frame f;
 *   int rc = fp_harness_source(h, 0, &f);   // f.pixels valid until next call
 */
#ifndef FRAMEPIPE_TESTING_H
#define FRAMEPIPE_TESTING_H

#include <stddef.h>
#include <stdint.h>

#include "framepipe/stage.h"

typedef struct fp_harness fp_harness;

/* Load a stage by name (built-in or FRAMEPIPE_PLUGIN_PATH) or by path (any
 * name with a '/'). NULL on failure, with the reason on stderr. */
fp_harness *fp_harness_new(const char *stage);

/* Set a parameter from config text; the error text is in
 * fp_harness_error(). */
int fp_harness_set(fp_harness *h, const char *name, const char *value);

/* Bytes each frame buffer holds, like a pool slot (default 64 MiB). */
void fp_harness_set_capacity(fp_harness *h, size_t bytes);

/* Call the stage's init with this run's inputs and output folder. */
int fp_harness_start(fp_harness *h, const char *const *inputs,
		     size_t input_count, const char *output_dir);

/* Sources: make frame number `sequence` into a harness buffer. */
int fp_harness_source(fp_harness *h, uint64_t sequence, fp_frame *out);

/* Filters: run in on a copy of *in; the result is in *out (for in-place
 * filters a harness buffer holding the copy, else a second buffer). */
int fp_harness_filter(fp_harness *h, const fp_frame *in, fp_frame *out);

/* Sinks: consume in; output_path is what the core would pass. */
int fp_harness_sink(fp_harness *h, const fp_frame *in, const char *output_path);

/* The last frame error or parameter error. */
const char *fp_harness_error(const fp_harness *h);
const fp_stage_descriptor *fp_harness_descriptor(const fp_harness *h);

/* Calls fini (if started) and unloads. */
void fp_harness_free(fp_harness *h);

#endif
