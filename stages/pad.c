/* pad — extend the frame to width x height with a colour, placing the
 * image by gravity (centre by default), like ImageMagick's `-background
 * COLOUR -gravity center -extent WxH`. Writes a second, granted slot,
 * tightly packed. 0 keeps that dimension; a size smaller than the frame
 * fails that frame (crop first). Gray frames take the colour's Rec. 601
 * luma; formats without alpha ignore the colour's alpha. Any format; at
 * 16 bits the colour is v * 257, or given with 16 bits a sample
 * (#rrrrggggbbbb[aaaa]). */
#include <framepipe/stage.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kit.h"

typedef struct pad_config {
	int64_t width;
	int64_t height;
	int gravity;
	const char *color;
} pad_config;

typedef struct pad_state {
	const pad_config *config;
	fp__kit_color color;
} pad_state;

static const fp_param params[] = {
	FP_PARAM_INT_(pad_config, width, "0", 0, FP_MAX_DIMENSION,
		      "output width; 0 keeps the frame's"),
	FP_PARAM_INT_(pad_config, height, "0", 0, FP_MAX_DIMENSION,
		      "output height; 0 keeps the frame's"),
	FP_PARAM_CHOICE_(pad_config, gravity, "center", FP_KIT_GRAVITIES,
			 "where the image sits in the padded frame"),
	FP_PARAM_STRING_(
		pad_config, color, "black",
		"colour of the border: #rrggbb[aa], #rrrrggggbbbb[aaaa] "
		"or a name"),
};

static int pad_check(const void *config, char *err, size_t err_size)
{
	const pad_config *c = config;
	fp__kit_color color;
	return fp__kit_parse_color("color", c->color, &color, err, err_size);
}

/* The largest frame it makes: width x height (a larger frame fails),
 * or the frame's side where 0. */
static int pad_shape(const void *config, const fp_shape *in, fp_shape *out,
		     char *err, size_t err_size)
{
	(void)err;
	(void)err_size;
	const pad_config *c = config;
	*out = *in;
	if (c->width)
		out->width = (uint32_t)c->width;
	if (c->height)
		out->height = (uint32_t)c->height;
	return 0;
}

static int pad_init(void **state, const void *config, const fp_stage_env *env,
		    char *err, size_t err_size)
{
	(void)env;
	pad_state *s = malloc(sizeof *s);
	if (s == NULL) {
		snprintf(err, err_size, "out of memory");
		return -ENOMEM;
	}
	s->config = config;
	int rc = fp__kit_parse_color("color", s->config->color, &s->color, err,
				     err_size);
	if (rc != 0) {
		free(s);
		return rc;
	}
	*state = s;
	return 0;
}

static int pad_process(void *state, fp_frame *in, fp_frame *out)
{
	const pad_state *s = state;
	const pad_config *c = s->config;
	unsigned ch = fp_format_pixel_bytes(in->format); /* bytes */
	uint32_t w = c->width ? (uint32_t)c->width : in->width;
	uint32_t h = c->height ? (uint32_t)c->height : in->height;
	if (w < in->width || h < in->height)
		return fp_frame_fail(in, FP_EPARAM,
				     "pad to %ux%u is smaller than the %ux%u "
				     "frame (crop it first)",
				     w, h, in->width, in->height);
	int rc = fp__kit_set_output(out, w, h, in->format);
	if (rc != 0)
		return rc;
	uint8_t px[8];
	fp__kit_color_pixel(&s->color, in->format, px);
	int64_t x0, y0;
	fp__kit_gravity(c->gravity, w, h, in->width, in->height, &x0, &y0);
	/* The border only: output row 0 is filled with the colour once (by
	 * doubling copies), and every border run is copied from it. */
	size_t row = (size_t)w * ch, left = (size_t)x0 * ch;
	size_t body = (size_t)in->width * ch, right = row - left - body;
	uint8_t *fill = out->pixels;
	memcpy(fill, px, ch);
	for (size_t k = ch; k < row; k *= 2)
		memcpy(fill + k, fill, k < row - k ? k : row - k);
	for (uint32_t y = 1; y < h; y++) {
		uint8_t *dst = out->pixels + (size_t)y * out->stride;
		if (y < y0 || y >= y0 + in->height) {
			memcpy(dst, fill, row);
			continue;
		}
		memcpy(dst, fill, left);
		memcpy(dst + left + body, fill, right);
	}
	for (uint32_t y = 0; y < in->height; y++)
		memcpy(out->pixels + (size_t)(y0 + y) * out->stride + left,
		       in->pixels + (size_t)y * in->stride, body);
	return 0;
}

FP_STAGE_EXPORT = {
	FP_STAGE_HEADER,
	.name = "pad",
	.summary = "extend to a size with a border colour, image placed by "
		   "gravity",
	.kind = FP_STAGE_FILTER,
	.flags = FP_STAGE_OUT_OF_PLACE,
	.formats = FP_FORMATS_ALL,
	.params = params,
	.param_count = FP_COUNT_OF(params),
	.config_size = sizeof(pad_config),
	.check = pad_check,
	.shape = pad_shape,
	.init = pad_init,
	.process = pad_process,
	.fini = fp__kit_free_state,
};
