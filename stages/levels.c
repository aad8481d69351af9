/* levels — stretch input levels in_black..in_white to out_black..out_white
 * (samples outside the input range are clamped first), with an optional
 * midtone gamma, like ImageMagick's -level / GIMP's Levels. Colour samples
 * only, alpha kept. In place, through a lookup table. */
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

static int levels_init(void **state, const void *config,
		       const fp_stage_env *env, char *err, size_t err_size)
{
	(void)env;
	const levels_config *c = config;
	if (c->in_white <= c->in_black) {
		snprintf(err, err_size,
			 "in_white (%lld) must be above in_black (%lld)",
			 (long long)c->in_white, (long long)c->in_black);
		return FP_EPARAM;
	}
	int rc = fp__kit_lut_new(state, "levels", err, err_size);
	if (rc != 0)
		return rc;
	fp__kit_lut_stage *s = *state;
	double span = (double)(c->in_white - c->in_black);
	for (int v = 0; v < 256; v++) {
		double t = (v - c->in_black) / span;
		t = t < 0 ? 0 : t > 1 ? 1 : t;
		t = pow(t, 1.0 / c->gamma);
		s->lut[v] = fp__kit_clamp_u8(
			c->out_black +
			t * (double)(c->out_white - c->out_black));
	}
	return 0;
}

FP_STAGE_EXPORT = {
	FP_STAGE_HEADER,
	.name = "levels",
	.summary = "map input black/white points to an output range, with "
		   "midtone gamma; alpha kept (in place)",
	.kind = FP_STAGE_FILTER,
	.formats = FP_FORMATS_8BIT,
	.params = params,
	.param_count = FP_COUNT_OF(params),
	.config_size = sizeof(levels_config),
	.init = levels_init,
	.process = fp__kit_lut_process,
	.fini = fp__kit_free_state,
};
