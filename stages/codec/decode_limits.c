#include "decode_limits.h"

#include <inttypes.h>
#include <stdio.h>

#include "files.h"
#include "framepipe/stage.h"

int fp__codec_check_limits(const char *prefix, const fp_codec_limits *limits,
			   uint64_t width, uint64_t height, char *err,
			   size_t err_size)
{
	const char *names[3];
	int64_t values[3];
	int n = 0;
	char list[256] = "";
	size_t used = 0;

	if (width > (uint64_t)limits->max_width) {
		names[n] = "max_width";
		values[n++] = limits->max_width;
	}
	if (height > (uint64_t)limits->max_height) {
		names[n] = "max_height";
		values[n++] = limits->max_height;
	}
	/* width, height < 2^32 here or one of the above fired: a product of
	 * two values below 2^32 cannot overflow 64 bits. */
	if (width > UINT32_MAX || height > UINT32_MAX ||
	    width * height > (uint64_t)limits->max_pixels) {
		names[n] = "max_pixels";
		values[n++] = limits->max_pixels;
	}
	if (n == 0)
		return 0;
	for (int i = 0; i < n && used < sizeof(list); i++) {
		int len = snprintf(list + used, sizeof(list) - used,
				   "%s%s.%s=%" PRId64,
				   i == 0	? ""
				   : i == n - 1 ? " and "
						: ", ",
				   prefix, names[i], values[i]);
		used += len > 0 ? (size_t)len : 0;
	}
	return fp__codec_error(err, err_size, FP_ELIMIT,
			       "%" PRIu64 "x%" PRIu64
			       " exceeds %s (raise %s in the stage's "
			       "parameters)",
			       width, height, list, n == 1 ? "it" : "them");
}

int fp__codec_check_fit(struct fp_frame *out, uint64_t width, uint64_t height,
			unsigned bytes_per_pixel, const char *format_name)
{
	/* Callers checked the limits: width, height < 2^31. */
	uint64_t stride = width * bytes_per_pixel;
	uint64_t need = stride * height;

	if (stride <= UINT32_MAX && need <= out->capacity)
		return 0;
	return fp_frame_fail(
		out, FP_ENOFIT,
		"decoded %" PRIu64 "x%" PRIu64 " %s needs %" PRIu64
		" bytes, pool slot holds %zu (raise [pipeline] slot_size)",
		width, height, format_name, need, out->capacity);
}
