/* transpose — mirror on the top-left to bottom-right diagonal: output
 * pixel (x, y) is input pixel (y, x), so width and height swap. Writes a
 * second, granted slot, tightly packed. Any format. Matches `convert IN
 * -transpose OUT` at 8 and 16 bits. */
#include <framepipe/stage.h>

#include "kit.h"

static int transpose_process(void *state, fp_frame *in, fp_frame *out)
{
	(void)state;
	int rc = fp__kit_set_output(out, in->height, in->width, in->format);
	if (rc != 0)
		return rc;
	fp__kit_turn_frame(in, out, FP_KIT_TRANSPOSE);
	return 0;
}

static int transpose_shape(const void *config, const fp_shape *in,
			   fp_shape *out, char *err, size_t err_size)
{
	(void)config;
	(void)err;
	(void)err_size;
	*out = *in;
	out->width = in->height;
	out->height = in->width;
	return 0;
}

FP_STAGE_EXPORT = {
	FP_STAGE_HEADER,
	.name = "transpose",
	.summary = "swap rows and columns (mirror on the main diagonal)",
	.kind = FP_STAGE_FILTER,
	.flags = FP_STAGE_OUT_OF_PLACE,
	.formats = FP_FORMATS_ALL,
	.shape = transpose_shape,
	.process = transpose_process,
};
