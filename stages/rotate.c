/* rotate — lossless quarter turns clockwise: degrees = 90, 180 or 270.
 * Writes a second, granted slot (90 and 270 swap width and height); the
 * output is tightly packed. Any format. Matches `convert IN -rotate
 * DEGREES OUT` at 8 and 16 bits. */
#include <framepipe/stage.h>

#include "kit.h"

typedef struct rotate_config {
	int degrees; /* index into "90|180|270" */
} rotate_config;

static const fp_param params[] = {
	FP_PARAM_CHOICE_(rotate_config, degrees, "90", "90|180|270",
			 "clockwise turn"),
};

static int rotate_process(void *state, fp_frame *in, fp_frame *out)
{
	const rotate_config *c = state;
	fp__kit_turn turn = (fp__kit_turn)(FP_KIT_ROTATE_90 + c->degrees);
	bool swap = turn != FP_KIT_ROTATE_180;
	int rc = fp__kit_set_output(out, swap ? in->height : in->width,
				    swap ? in->width : in->height, in->format);
	if (rc != 0)
		return rc;
	fp__kit_turn_frame(in, out, turn);
	return 0;
}

/* 90 and 270 swap the sides; the formats stay. */
static int rotate_shape(const void *config, const fp_shape *in, fp_shape *out,
			char *err, size_t err_size)
{
	(void)err;
	(void)err_size;
	const rotate_config *c = config;
	*out = *in;
	if (c->degrees != 1) {
		out->width = in->height;
		out->height = in->width;
	}
	return 0;
}

FP_STAGE_EXPORT = {
	FP_STAGE_HEADER,
	.name = "rotate",
	.summary = "lossless clockwise turn by 90, 180 or 270 degrees",
	.kind = FP_STAGE_FILTER,
	.flags = FP_STAGE_OUT_OF_PLACE,
	.formats = FP_FORMATS_ALL,
	.params = params,
	.param_count = FP_COUNT_OF(params),
	.config_size = sizeof(rotate_config),
	.shape = rotate_shape,
	.init = fp__kit_config_state,
	.process = rotate_process,
};
