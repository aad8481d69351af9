/* null_sink — accepts every frame and does nothing with it. */
#include <framepipe/stage.h>

static int null_sink_process(void *state, fp_frame *in, fp_frame *out)
{
	(void)state;
	(void)in;
	(void)out;
	return 0;
}

FP_STAGE_EXPORT = {
	FP_STAGE_HEADER,
	.name = "null_sink",
	.summary = "discard frames (for measuring everything before it)",
	.kind = FP_STAGE_SINK,
	.formats = FP_FORMATS_ALL,
	.process = null_sink_process,
};
