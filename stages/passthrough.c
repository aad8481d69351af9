/* passthrough — hands every frame on untouched, in place. */
#include <framepipe/stage.h>

static int passthrough_process(void *state, fp_frame *in, fp_frame *out)
{
	(void)state;
	(void)in;
	(void)out;
	return 0;
}

FP_STAGE_EXPORT = {
	FP_STAGE_HEADER,
	.name = "passthrough",
	.summary = "pass frames on unchanged (in place, no copy)",
	.kind = FP_STAGE_FILTER,
	.formats = FP_FORMATS_ALL,
	.process = passthrough_process,
};
