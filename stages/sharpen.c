/* sharpen — unsharp mask: x + amount (x - blur(x)) where the difference
 * is at least `threshold` (so flat areas and fine noise stay as they
 * are), with a Gaussian blur of `sigma`. Colour only (premultiplied);
 * alpha kept. In place, like blur. Close to `convert IN -unsharp
 * 0xSIGMA+AMOUNT+0 OUT` (figures in
 * tests/integration/test_filters_vs_imagemagick.sh). 16-bit frames too,
 * with `threshold` in 8-bit units (x 257). */
#include <framepipe/stage.h>
#include <errno.h>

#include "kit.h"

typedef struct sharpen_config {
	double sigma;
	double amount;
	int64_t threshold;
} sharpen_config;

static const fp_param params[] = {
	FP_PARAM_FLOAT_(sharpen_config, sigma, "1.0", 0.1, 50,
			"standard deviation of the blur, in pixels"),
	FP_PARAM_FLOAT_(sharpen_config, amount, "1.0", 0, 20,
			"how much of the difference to add back"),
	FP_PARAM_INT_(sharpen_config, threshold, "0", 0, 255,
		      "leave samples that differ from the blur by less"),
};

static int sharpen_process(void *state, fp_frame *in, fp_frame *out)
{
	(void)out;
	fp__kit_resample_stage *s = state;
	const sharpen_config *c = s->config;
	s->r.mode = FP_KIT_UNSHARP;
	s->r.amount = (float)c->amount;
	s->r.level = (float)c->threshold;
	if (fp__kit_blur_frame(&s->r, in, c->sigma) != 0)
		return fp_frame_fail(in, -ENOMEM, "out of memory");
	return 0;
}

FP_STAGE_EXPORT = {
	FP_STAGE_HEADER,
	.name = "sharpen",
	.summary = "unsharp mask (sigma, amount, threshold; in place)",
	.kind = FP_STAGE_FILTER,
	.formats = FP_FORMATS_ALL,
	.params = params,
	.param_count = FP_COUNT_OF(params),
	.config_size = sizeof(sharpen_config),
	.init = fp__kit_resample_stage_init,
	.process = sharpen_process,
	.fini = fp__kit_resample_stage_fini,
};
