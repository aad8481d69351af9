/* unpremultiply — colour samples divided by alpha: c becomes
 * min(255, round(c * 255 / a)), and 0 where a = 0. GA and RGBA (at 16
 * bits the same with 65535 for 255); frames without alpha pass unchanged.
 * In place, through a table (computed at 16 bits). The inverse of
 * premultiply (up to the rounding the depth allows). */
#include <framepipe/stage.h>

#include "kit.h"

static int unpremultiply_init(void **state, const void *config,
			      const fp_stage_env *env, char *err,
			      size_t err_size)
{
	(void)config;
	(void)env;
	int rc = fp__kit_alpha_new(state, "unpremultiply", err, err_size);
	if (rc != 0)
		return rc;
	fp__kit_alpha_stage *s = *state;
	s->divide = true;
	for (unsigned a = 0; a < 256; a++)
		for (unsigned c = 0; c < 256; c++) {
			unsigned v = a ? (c * 255 + a / 2) / a : 0;
			s->table[a][c] = (uint8_t)(v > 255 ? 255 : v);
		}
	return 0;
}

FP_STAGE_EXPORT = {
	FP_STAGE_HEADER,
	.name = "unpremultiply",
	.summary = "divide colour by alpha (GA, RGBA, 8 or 16 bits; in place)",
	.kind = FP_STAGE_FILTER,
	.formats = FP_FORMATS_ALL,
	.init = unpremultiply_init,
	.process = fp__kit_alpha_process,
	.fini = fp__kit_free_state,
};
