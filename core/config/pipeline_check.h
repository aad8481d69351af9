/* pipeline_check — what the core can know of a pipeline before anything is
 * forked: every stage's own check() of its parameters, and the pixel
 * formats that can flow from each stage to the next (each stage's
 * `formats` and `shape`). `check` and `run` both refuse here, with
 * "FILE:LINE: section.param: ..." or "FILE:LINE: section: ...". */
#ifndef FP_PIPELINE_CHECK_H
#define FP_PIPELINE_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "framepipe/stage.h"
#include "pipeline.h"

/* 0, or FP_EPARAM / FP_EFORMAT (or another code from a stage's check) with
 * the message in err. */
int fp__pipeline_check(const fp_pipeline *p, const fp_config *config, char *err,
		       size_t err_size);

/* The shape of the frames after each stage, from a first shape (the
 * source's, or what a probe said of one input). shapes[i] is what stage i
 * makes; shapes[0] = *first. 0, or an error from a stage's shape with the
 * stage's label in err. */
int fp__pipeline_shapes(const fp_pipeline *p, const fp_shape *first,
			fp_shape *shapes, char *err, size_t err_size);

/* The largest bytes any of shapes[0..count-1] can take in a slot: width x
 * height x the widest pixel of its formats; 0 when a size is unknown.
 * *at (when not NULL) is set to the index of that shape. */
uint64_t fp__shapes_bound(const fp_shape *shapes, size_t count, size_t *at);

/* The slot bytes the frames of one input need at every stage (input_path
 * NULL for a source that reads no files): the source's probe (or its
 * shape) carried through every stage's shape, and its frame_bound; 0 when
 * nothing is known. An error of probe or frame_bound says the input is
 * unusable: its decode will fail with its own message, so it counts 0. */
uint64_t fp__pipeline_slot_bound(const fp_pipeline *p, const char *input_path);

/* The same, saying why an input is unusable: 0 with *bytes (0 when
 * nothing is known) and *stage (when not NULL), the index of the stage
 * whose frames need them; or the error of the source's probe or
 * frame_bound with its text in err (the input then fails before the
 * run). */
int fp__pipeline_input_bound(const fp_pipeline *p, const char *input_path,
			     uint64_t *bytes, size_t *stage, char *err,
			     size_t err_size);

/* Whether the source tells each input's frames before the run (it reads
 * files and has a probe or a frame_bound): a header read per input. */
bool fp__pipeline_probes_inputs(const fp_pipeline *p);

/* fp__pipeline_input_bound, and whether the frames fit a hand-set
 * [pipeline] slot_size: FP_ENOFIT with "needs N-byte slots after LABEL
 * (slot_size is M): set slot_size = 46M or auto" in err when they cannot
 * (no frame of this input would). Under slot_size = auto every bound
 * fits. */
int fp__pipeline_input_fits(const fp_pipeline *p, const char *input_path,
			    uint64_t *bytes, char *err, size_t err_size);

/* The shrink hint for the source's frame of input_path (fp_frame.hint_width,
 * hint_height): when the stages after the source change nothing of the size
 * until one that resamples (FP_STAGE_RESAMPLES) makes it smaller, the
 * largest side that stage makes, for both sides (a stage between them may
 * turn the frame: the side that ends up as the width is not known). 0, 0
 * when there is no such stage or nothing is known. */
void fp__pipeline_hint(const fp_pipeline *p, const char *input_path,
		       uint32_t *width, uint32_t *height);

#endif
