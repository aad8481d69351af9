/* premultiply — colour samples times alpha: c becomes round(c * a / 255).
 * GA and RGBA (at 16 bits: 65535 for 255); frames without alpha pass unchanged.
 * In place, through a table. The inverse is unpremultiply. */
#include <framepipe/stage.h>

#include "kit.h"

static int premultiply_init(void **state, const void *config,
			    const fp_stage_env *env, char *err, size_t err_size)
{
	(void)config;
	(void)env;
	int rc = fp__kit_alpha_new(state, "premultiply", err, err_size);
	if (rc != 0)
		return rc;
	fp__kit_alpha_stage *s = *state;
	for (unsigned a = 0; a < 256; a++)
		for (unsigned c = 0; c < 256; c++)
			s->table[a][c] = (uint8_t)((c * a + 127) / 255);
	return 0;
}

FP_STAGE_EXPORT = {
	FP_STAGE_HEADER,
	.name = "premultiply",
	.summary =
		"multiply colour by alpha (GA, RGBA, 8 or 16 bits; in place)",
	.kind = FP_STAGE_FILTER,
	.formats = FP_FORMATS_ALL,
	.init = premultiply_init,
	.process = fp__kit_alpha_process,
	.fini = fp__kit_free_state,
};
