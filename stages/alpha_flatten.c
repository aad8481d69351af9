/* alpha_flatten — composite onto an opaque background colour and drop
 * alpha: RGBA8 becomes RGB8, GA8 becomes G8 (the background's Rec. 601
 * luma); c becomes round((c a + bg (255 - a)) / 255). RGBA16 and GA16 the
 * same at 16 bits (65535 for 255; the background may be given with 16 bits
 * a sample, #rrrrggggbbbb). Frames without alpha pass unchanged. In place,
 * output tightly packed. Like ImageMagick's `-background COLOUR -alpha
 * remove -alpha off`. */
#include <framepipe/stage.h>
#include <errno.h>
#include <stdlib.h>

#include "kit.h"

typedef struct flatten_config {
	const char *color;
} flatten_config;

typedef struct flatten_state {
	fp__kit_color color;
} flatten_state;

static const fp_param params[] = {
	FP_PARAM_STRING_(flatten_config, color, "white",
			 "colour behind transparent parts: #rrggbb, "
			 "#rrrrggggbbbb or a name (the old name background "
			 "works too)"),
};

static int flatten_check(const void *config, char *err, size_t err_size)
{
	const flatten_config *c = config;
	fp__kit_color color;
	return fp__kit_parse_color("color", c->color, &color, err, err_size);
}

/* Frames with alpha lose it; the others pass as they are. */
static int flatten_shape(const void *config, const fp_shape *in, fp_shape *out,
			 char *err, size_t err_size)
{
	(void)config;
	(void)err;
	(void)err_size;
	*out = *in;
	out->formats = 0;
	for (unsigned f = FP_FORMAT_FIRST; f <= FP_FORMAT_LAST; f++) {
		if (!(in->formats & FP_FORMAT_BIT(f)))
			continue;
		fp_format o = (fp_format)f;
		if (fp_format_has_alpha(o))
			o = fp_format_of(fp_format_channels(o) - 1,
					 fp_format_sample_bytes(o));
		out->formats |= FP_FORMAT_BIT(o);
	}
	return 0;
}

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
	int rc = fp__kit_parse_color("color", c->color, &s->color, err,
				     err_size);
	if (rc != 0) {
		free(s);
		return rc;
	}
	*state = s;
	return 0;
}

static void flatten16(const flatten_state *s, fp_frame *in, unsigned ci,
		      fp_format format)
{
	unsigned co = ci - 1;
	uint16_t bg[3];
	fp__kit_color_pixel(&s->color, format, (uint8_t *)bg);
	for (uint32_t y = 0; y < in->height; y++) {
		const uint16_t *src = fp__kit_row16(in, y);
		uint16_t *dst =
			(uint16_t *)(void *)(in->pixels +
					     (size_t)y * in->width * co * 2);
		for (uint32_t x = 0; x < in->width; x++, src += ci, dst += co) {
			uint32_t a = src[co];
			for (unsigned c = 0; c < co; c++) {
				/* up to 65535 * 65535 + 32767: fits */
				uint32_t v = (uint32_t)src[c] * a +
					     (uint32_t)bg[c] * (65535u - a) +
					     32767u;
				dst[c] = (uint16_t)(v / 65535u);
			}
		}
	}
}

static int flatten_process(void *state, fp_frame *in, fp_frame *out)
{
	(void)out;
	const flatten_state *s = state;
	unsigned ci = fp_format_channels(in->format);
	if (!fp__kit_has_alpha(in->format))
		return 0;
	unsigned co = ci - 1;
	unsigned bytes = fp_format_sample_bytes(in->format);
	fp_format format = fp_format_of(co, bytes);
	if (bytes == 2) {
		flatten16(s, in, ci, format);
		in->format = format;
		in->stride = in->width * co * 2;
		return 0;
	}
	uint8_t bg[3];
	fp__kit_color_pixel(&s->color, format, bg);
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
		   "(RGBA to RGB, GA to G, depth kept; in place)",
	.kind = FP_STAGE_FILTER,
	.formats = FP_FORMATS_ALL,
	.params = params,
	.param_count = FP_COUNT_OF(params),
	.config_size = sizeof(flatten_config),
	.check = flatten_check,
	.shape = flatten_shape,
	.init = flatten_init,
	.process = flatten_process,
	.fini = fp__kit_free_state,
};
