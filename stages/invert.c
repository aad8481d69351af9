/* invert — the negative: every colour sample v becomes 255 - v (65535 - v
 * at 16 bits); alpha is kept. In place. Matches ImageMagick's `convert IN
 * -negate OUT` at both depths. */
#include <framepipe/stage.h>

#include "kit.h"

static double negative(const void *ctx, double v)
{
	(void)ctx;
	return 255.0 - v;
}

static int invert_init(void **state, const void *config,
		       const fp_stage_env *env, char *err, size_t err_size)
{
	(void)config;
	(void)env;
	int rc = fp__kit_lut_new(state, "invert", err, err_size);
	if (rc != 0)
		return rc;
	fp__kit_lut_fill(*state, negative, NULL);
	return 0;
}

FP_STAGE_EXPORT = {
	FP_STAGE_HEADER,
	.name = "invert",
	.summary = "negative image: colour v becomes 255 - v, alpha kept "
		   "(in place)",
	.kind = FP_STAGE_FILTER,
	.formats = FP_FORMATS_ALL,
	.init = invert_init,
	.process = fp__kit_lut_process,
	.fini = fp__kit_free_state,
};
