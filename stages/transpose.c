/* transpose — mirror on the top-left to bottom-right diagonal: output
 * pixel (x, y) is input pixel (y, x), so width and height swap. Writes a
 * second, granted slot, tightly packed. Matches `convert IN -transpose
 * OUT`. */
#include <framepipe/stage.h>

#include "kit.h"

static int transpose_process(void *state, fp_frame *in, fp_frame *out)
{
	(void)state;
	if (fp__kit_channels(in, FP_FORMATS_8BIT, "transpose") == 0)
		return FP_EFORMAT;
	int rc = fp__kit_set_output(out, "transpose", in->height, in->width,
				    in->format);
	if (rc != 0)
		return rc;
	fp__kit_turn_frame(in, out, FP_KIT_TRANSPOSE);
	return 0;
}

FP_STAGE_EXPORT = {
	FP_STAGE_HEADER,
	.name = "transpose",
	.summary = "swap rows and columns (mirror on the main diagonal)",
	.kind = FP_STAGE_FILTER,
	.flags = FP_STAGE_OUT_OF_PLACE,
	.formats = FP_FORMATS_8BIT,
	.process = transpose_process,
};
