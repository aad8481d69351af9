/* alpha_flatten — composite onto an opaque background colour and drop
 * alpha: RGBA8 becomes RGB8, GA8 becomes G8 (the background's Rec. 601
 * luma); c becomes round((c a + bg (255 - a)) / 255). Frames without alpha
 * pass unchanged. In place, output tightly packed. Like ImageMagick's
 * `-background COLOUR -alpha remove -alpha off`. */
#include <framepipe/stage.h>
#include <errno.h>
#include <stdlib.h>

#include "kit.h"

typedef struct flatten_config {
	const char *background;
} flatten_config;

typedef struct flatten_state {
	uint8_t rgba[4];
} flatten_state;

static const fp_param params[] = {
	FP_PARAM_STRING_(flatten_config, background, "white",
			 "colour behind transparent parts: #rrggbb or a name"),
};

static int flatten_init(void **state, const void *config,
			const fp_stage_env *env, char *err, size_t err_size)
{
	(void)env;
	const flatten_config *c = config;
	flatten_state *s = malloc(sizeof *s);
	if (s == NULL) {
		snprintf(err, err_size, "out of memory");
		return -ENOMEM;
	}
	int rc = fp__kit_parse_color(c->background, s->rgba, err, err_size);
	if (rc != 0) {
		free(s);
		return rc;
	}
	*state = s;
	return 0;
}

static int flatten_process(void *state, fp_frame *in, fp_frame *out)
{
	(void)out;
	const flatten_state *s = state;
	unsigned ci = fp__kit_channels(in, FP_FORMATS_8BIT, "alpha_flatten");
	if (ci == 0)
		return FP_EFORMAT;
	if (!fp__kit_has_alpha(in->format))
		return 0;
	unsigned co = ci - 1;
	fp_format format = co == 1 ? FP_FORMAT_G8 : FP_FORMAT_RGB8;
	uint8_t bg[3];
	fp__kit_color_pixel(s->rgba, format, bg);
	/* Output pixel x of row y never lies past input pixel x of row y. */
	for (uint32_t y = 0; y < in->height; y++) {
		const uint8_t *src = in->pixels + (size_t)y * in->stride;
		uint8_t *dst = in->pixels + (size_t)y * in->width * co;
		for (uint32_t x = 0; x < in->width; x++, src += ci, dst += co) {
			unsigned a = src[co];
			for (unsigned c = 0; c < co; c++)
				dst[c] = (uint8_t)((src[c] * a +
						    bg[c] * (255 - a) + 127) /
						   255);
		}
	}
	in->format = format;
	in->stride = in->width * co;
	return 0;
}

FP_STAGE_EXPORT = {
	FP_STAGE_HEADER,
	.name = "alpha_flatten",
	.summary = "composite onto a background colour and drop alpha "
		   "(RGBA8 to RGB8, GA8 to G8; in place)",
	.kind = FP_STAGE_FILTER,
	.formats = FP_FORMATS_8BIT,
	.params = params,
	.param_count = FP_COUNT_OF(params),
	.config_size = sizeof(flatten_config),
	.init = flatten_init,
	.process = flatten_process,
	.fini = fp__kit_free_state,
};
