/* blur — Gaussian blur of standard deviation `sigma` pixels: separable (a
 * vertical then a horizontal pass over a ring of rows), the kernel spans
 * 4 sigma each side, edges clamped (the edge pixel repeats), colour
 * premultiplied by alpha. In place: the ring keeps the input rows each
 * output row still needs; it grows to the largest frame once, never per
 * frame. Close to `convert IN -blur 0xSIGMA OUT` (figures in
 * tests/integration/test_filters_vs_imagemagick.sh). Any format: 16-bit
 * frames keep their 16 bits through the float passes. */
#include <framepipe/stage.h>
#include <errno.h>

#include "kit.h"

typedef struct blur_config {
	double sigma;
} blur_config;

static const fp_param params[] = {
	FP_PARAM_FLOAT_(blur_config, sigma, "1.0", 0.1, 50,
			"standard deviation in pixels"),
};

static int blur_process(void *state, fp_frame *in, fp_frame *out)
{
	(void)out;
	fp__kit_resample_stage *s = state;
	const blur_config *c = s->config;
	s->r.mode = FP_KIT_PLAIN;
	if (fp__kit_blur_frame(&s->r, in, c->sigma) != 0)
		return fp_frame_fail(in, -ENOMEM, "out of memory");
	return 0;
}

FP_STAGE_EXPORT = {
	FP_STAGE_HEADER,
	.name = "blur",
	.summary = "Gaussian blur (separable, edges clamped; in place)",
	.kind = FP_STAGE_FILTER,
	.formats = FP_FORMATS_ALL,
	.params = params,
	.param_count = FP_COUNT_OF(params),
	.config_size = sizeof(blur_config),
	.init = fp__kit_resample_stage_init,
	.process = blur_process,
	.fini = fp__kit_resample_stage_fini,
};
