/* brightness_contrast — v becomes contrast * (v - 128) + 128 + brightness,
 * rounded and clamped to 0..255, on colour samples; alpha kept. That is
 * a * v + b with a = contrast and b = brightness + 128 (1 - contrast):
 * contrast pivots on mid-grey so it does not also shift brightness.
 * In place, through a lookup table. At 16 bits the same curve in the
 * same (8-bit) units: sample s is v = s / 257, the result times 257. */
#include <framepipe/stage.h>

#include "kit.h"

typedef struct bc_config {
	double brightness;
	double contrast;
} bc_config;

static const fp_param params[] = {
	FP_PARAM_FLOAT_(bc_config, brightness, "0", -255, 255,
			"added to every colour sample"),
	FP_PARAM_FLOAT_(bc_config, contrast, "1.0", 0, 100,
			"gain around mid-grey (128); 1 leaves contrast as is"),
};

static double curve(const void *ctx, double v)
{
	const bc_config *c = ctx;
	return c->contrast * (v - 128) + 128 + c->brightness;
}

static int bc_init(void **state, const void *config, const fp_stage_env *env,
		   char *err, size_t err_size)
{
	(void)env;
	const bc_config *c = config;
	int rc = fp__kit_lut_new(state, "brightness_contrast", err, err_size);
	if (rc != 0)
		return rc;
	fp__kit_lut_fill(*state, curve, c);
	return 0;
}

FP_STAGE_EXPORT = {
	FP_STAGE_HEADER,
	.name = "brightness_contrast",
	.summary = "a*v + b on colour samples, clamped; alpha kept (in place)",
	.kind = FP_STAGE_FILTER,
	.formats = FP_FORMATS_ALL,
	.params = params,
	.param_count = FP_COUNT_OF(params),
	.config_size = sizeof(bc_config),
	.init = bc_init,
	.process = fp__kit_lut_process,
	.fini = fp__kit_free_state,
};
