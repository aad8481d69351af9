/* levels — stretch input levels in_black..in_white to out_black..out_white
 * (samples outside the input range are clamped first), with an optional
 * midtone gamma, like ImageMagick's -level / GIMP's Levels. Colour samples
 * only, alpha kept. In place, through a lookup table. The levels are in
 * 8-bit units at every depth: at 16 bits in_black = 10 is 2570. */
#include <framepipe/stage.h>
#include <math.h>

#include "kit.h"

typedef struct levels_config {
	int64_t in_black;
	int64_t in_white;
	int64_t out_black;
	int64_t out_white;
	double gamma;
} levels_config;

static const fp_param params[] = {
	FP_PARAM_INT_(levels_config, in_black, "0", 0, 255,
		      "input level that becomes out_black"),
	FP_PARAM_INT_(levels_config, in_white, "255", 0, 255,
		      "input level that becomes out_white"),
	FP_PARAM_INT_(levels_config, out_black, "0", 0, 255,
		      "darkest output level"),
	FP_PARAM_INT_(levels_config, out_white, "255", 0, 255,
		      "lightest output level (may be below out_black: "
		      "inverts)"),
	FP_PARAM_FLOAT_(levels_config, gamma, "1.0", 0.01, 100,
			"midtone gamma, > 1 lightens"),
};

static int levels_check(const void *config, char *err, size_t err_size)
{
	const levels_config *c = config;
	if (c->in_white <= c->in_black) {
		snprintf(err, err_size,
			 "in_white: %lld must be above in_black (%lld)",
			 (long long)c->in_white, (long long)c->in_black);
		return FP_EPARAM;
	}
	return 0;
}

static double curve(const void *ctx, double v)
{
	const levels_config *c = ctx;
	double span = (double)(c->in_white - c->in_black);
	double t = (v - c->in_black) / span;
	t = t < 0 ? 0 : t > 1 ? 1 : t;
	t = pow(t, 1.0 / c->gamma);
	return c->out_black + t * (double)(c->out_white - c->out_black);
}

static int levels_init(void **state, const void *config,
		       const fp_stage_env *env, char *err, size_t err_size)
{
	(void)env;
	int rc = levels_check(config, err, err_size);
	if (rc == 0)
		rc = fp__kit_lut_new(state, "levels", err, err_size);
	if (rc != 0)
		return rc;
	fp__kit_lut_fill(*state, curve, config);
	return 0;
}

FP_STAGE_EXPORT = {
	FP_STAGE_HEADER,
	.name = "levels",
	.summary = "map input black/white points to an output range, with "
		   "midtone gamma; alpha kept (in place)",
	.kind = FP_STAGE_FILTER,
	.formats = FP_FORMATS_ALL,
	.params = params,
	.param_count = FP_COUNT_OF(params),
	.config_size = sizeof(levels_config),
	.check = levels_check,
	.init = levels_init,
	.process = fp__kit_lut_process,
	.fini = fp__kit_free_state,
};
