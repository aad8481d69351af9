/* frame_check — the rule a frame made by a stage must meet before anyone
 * else reads it: a known format and a geometry inside its buffer. The stage
 * host and the test harness apply the same rule. */
#ifndef FP_FRAME_CHECK_H
#define FP_FRAME_CHECK_H

#include <stddef.h>

#include "framepipe/stage.h"

/* 0, or FP_EGEOMETRY with "produced ..." in err. */
int fp__frame_check(const fp_frame *frame, char *err, size_t err_size);

#endif
