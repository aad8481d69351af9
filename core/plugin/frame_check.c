#include "frame_check.h"

#include <stdint.h>
#include <stdio.h>

int fp__frame_check(const fp_frame *f, char *err, size_t err_size)
{
	unsigned channels = fp_format_channels(f->format);
	if (channels == 0) {
		snprintf(err, err_size, "produced unknown pixel format %d",
			 (int)f->format);
		return FP_EGEOMETRY;
	}
	if (f->width == 0 || f->height == 0 ||
	    (uint64_t)f->width * channels > f->stride ||
	    (uint64_t)f->stride * f->height > f->capacity) {
		snprintf(err, err_size,
			 "produced %ux%u %s with stride %u, which does not "
			 "fit its %zu-byte slot",
			 f->width, f->height, fp_format_name(f->format),
			 f->stride, f->capacity);
		return FP_EGEOMETRY;
	}
	return 0;
}
