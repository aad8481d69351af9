/* vignette — darken a frame towards its corners, like an old lens.
 *
 * An example of an in-place filter plugin, built out of framepipe's tree
 * against the installed SDK only (see docs/writing-a-stage.md):
 *   strength  how dark the corners get: 0 = unchanged, 1 = black
 *   start     where darkening starts, as a fraction of the distance from
 *             the centre to a corner: 0 = at the centre, 1 = nowhere
 *   curve     linear or smooth (smoothstep) from start to the corners
 * Colour channels are scaled; alpha is kept. Every 8-bit format works. */
#include <framepipe/stage.h>

typedef struct vignette_config {
	double strength;
	double start;
	int curve; /* index into "smooth|linear" */
} vignette_config;

enum { CURVE_SMOOTH, CURVE_LINEAR };

/* The core parses and checks every value (type, range, choices) before
 * init; the stage only reads the filled struct. */
static const fp_param params[] = {
	FP_PARAM_FLOAT_(vignette_config, strength, "0.5", 0, 1,
			"darkening at the corners: 0 none, 1 black"),
	FP_PARAM_FLOAT_(vignette_config, start, "0.3", 0, 1,
			"where darkening starts, fraction of centre-to-corner"),
	FP_PARAM_CHOICE_(vignette_config, curve, "smooth", "smooth|linear",
			 "shape of the falloff from start to the corners"),
};

static int vignette_init(void **state, const void *config,
			 const fp_stage_env *env, char *err, size_t err_size)
{
	(void)env;
	(void)err;
	(void)err_size;
	*state = (void *)config; /* borrowed, valid until fini: enough here */
	return 0;
}

/* Brightness factor at squared normalised distance r2 (0 centre, 1 corner). */
static float factor(const vignette_config *c, float start2, float r2)
{
	if (r2 <= start2)
		return 1.0f;
	float t = start2 < 1.0f ? (r2 - start2) / (1.0f - start2) : 0.0f;
	if (t > 1.0f)
		t = 1.0f;
	if (c->curve == CURVE_SMOOTH)
		t = t * t * (3.0f - 2.0f * t);
	return 1.0f - (float)c->strength * t;
}

static int vignette_process(void *state, fp_frame *in, fp_frame *out)
{
	(void)out; /* in place: out == in */
	const vignette_config *c = state;
	unsigned channels = fp_format_channels(in->format);
	unsigned colours =
		channels == 2 || channels == 4 ? channels - 1 : channels;
	if (channels == 0)
		return fp_frame_fail(in, FP_EFORMAT, "cannot handle format %d",
				     (int)in->format);
	float start2 = (float)(c->start * c->start);
	float half_w = in->width / 2.0f, half_h = in->height / 2.0f;
	for (uint32_t y = 0; y < in->height; y++) {
		uint8_t *row = in->pixels + (size_t)y * in->stride;
		float dy = (y + 0.5f - half_h) / half_h;
		for (uint32_t x = 0; x < in->width; x++) {
			float dx = (x + 0.5f - half_w) / half_w;
			float f = factor(c, start2, (dx * dx + dy * dy) / 2);
			uint8_t *px = row + (size_t)x * channels;
			for (unsigned k = 0; k < colours; k++)
				px[k] = (uint8_t)(px[k] * f + 0.5f);
		}
	}
	return 0;
}

FP_STAGE_EXPORT = {
	FP_STAGE_HEADER,
	.name = "vignette",
	.summary = "darken towards the corners (example plugin)",
	.description =
		"Scales the colour channels by a factor that falls from 1 at\n"
		"`start` (a fraction of the centre-to-corner distance) to\n"
		"1 - strength at the corners; alpha is kept. In place.",
	.kind = FP_STAGE_FILTER,
	.formats = FP_FORMATS_8BIT,
	.params = params,
	.param_count = FP_COUNT_OF(params),
	.config_size = sizeof(vignette_config),
	.init = vignette_init,
	.process = vignette_process,
};
