/* frame_check — the rule a frame made by a stage must meet before anyone
 * else reads it: a known format and a geometry inside its buffer. The stage
 * host and the test harness apply the same rule. */
#ifndef FP_FRAME_CHECK_H
#define FP_FRAME_CHECK_H

#include <stddef.h>
#include <stdint.h>

#include "framepipe/stage.h"

/* 0, or FP_EGEOMETRY with "produced ..." in err. */
int fp__frame_check(const fp_frame *frame, char *err, size_t err_size);

/* The formats a descriptor accepts: its `formats`, or every 8-bit format
 * for a stage that declares none. */
uint32_t fp__stage_formats(const fp_stage_descriptor *desc);

/* "G8, RGB8 or RGBA8" for a set of FP_FORMAT_BIT()s, into buf. */
const char *fp__format_list(uint32_t formats, char *buf, size_t size);

/* The `convert` parameter to advise, as a config spells it, into buf: for
 * a stage that takes the formats accepted and gets frames of the formats
 * arriving (FP_FORMAT_BIT()s), the nearest layout to the first arriving
 * one (gray -> rgb, rgb -> rgba, ...) that the stage takes at every depth
 * that arrives: "layout=rgb" when both depths arrive (the depth is kept),
 * else "format=rgb8"; failing that the nearest layout at another depth,
 * else the richest format the stage takes. */
const char *fp__convert_advice(uint32_t accepted, uint32_t arriving, char *buf,
			       size_t size);

/* 0 when the stage takes frames of format; otherwise FP_EFORMAT with
 * "takes G8 or RGB8 frames, not RGB16 (put `convert format=rgb8` before
 * it)" in err: the stage's name is the caller's to add. */
int fp__frame_accepted(const fp_stage_descriptor *desc, fp_format format,
		       char *err, size_t err_size);

/* Copy src's entries into dst (an area of another slot or buffer): as many
 * whole, well-formed entries as fit. 0, or FP_ENOFIT when some did not. A
 * NULL src empties dst; a NULL dst is left alone. */
int fp__meta_copy(fp_meta *dst, const fp_meta *src);

#endif
