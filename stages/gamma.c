/* gamma — v becomes 255 (v / 255)^(1 / gamma) on colour samples, alpha
 * kept: gamma > 1 lightens the midtones, < 1 darkens them (ImageMagick's
 * -gamma convention). In place, through a lookup table; 16-bit frames
 * through a 65536-entry one (65535 (v / 65535)^(1 / gamma)). */
#include <framepipe/stage.h>
#include <math.h>

#include "kit.h"

typedef struct gamma_config {
	double gamma;
} gamma_config;

static const fp_param params[] = {
	FP_PARAM_FLOAT_(gamma_config, gamma, "1.0", 0.01, 100,
			"exponent 1/gamma applied to samples in 0..1"),
};

static double curve(const void *ctx, double v)
{
	const gamma_config *c = ctx;
	return 255.0 * pow(v / 255.0, 1.0 / c->gamma);
}

static int gamma_init(void **state, const void *config, const fp_stage_env *env,
		      char *err, size_t err_size)
{
	(void)env;
	const gamma_config *c = config;
	int rc = fp__kit_lut_new(state, "gamma", err, err_size);
	if (rc != 0)
		return rc;
	fp__kit_lut_fill(*state, curve, c);
	return 0;
}

FP_STAGE_EXPORT = {
	FP_STAGE_HEADER,
	.name = "gamma",
	.summary = "gamma correction of colour samples, alpha kept (in place)",
	.kind = FP_STAGE_FILTER,
	.formats = FP_FORMATS_ALL,
	.params = params,
	.param_count = FP_COUNT_OF(params),
	.config_size = sizeof(gamma_config),
	.init = gamma_init,
	.process = fp__kit_lut_process,
	.fini = fp__kit_free_state,
};
