/* crop — keep a rectangle, in place (rows move towards the start of the
 * slot; the output is tightly packed).
 *
 * The rectangle is width x height at x, y from the top-left corner, or,
 * with a gravity, placed by the gravity and then moved by x, y (like
 * ImageMagick's -gravity G -crop WxH+X+Y). width or height 0 means "to
 * the frame's edge". A rectangle that does not lie inside the frame fails
 * that frame, naming both. Any format. Matches `convert IN -crop
 * WxH+X+Y +repage OUT` at 8 and 16 bits. */
#include <framepipe/stage.h>
#include <string.h>

#include "kit.h"

typedef struct crop_config {
	int64_t x;
	int64_t y;
	int64_t width;
	int64_t height;
	int gravity; /* 0 none, else 1 + index into FP_KIT_GRAVITIES */
} crop_config;

static const fp_param params[] = {
	FP_PARAM_INT_(crop_config, x, "0", -FP_MAX_DIMENSION, FP_MAX_DIMENSION,
		      "left edge (from the gravity's anchor when given)"),
	FP_PARAM_INT_(crop_config, y, "0", -FP_MAX_DIMENSION, FP_MAX_DIMENSION,
		      "top edge (from the gravity's anchor when given)"),
	FP_PARAM_INT_(crop_config, width, "0", 0, FP_MAX_DIMENSION,
		      "width to keep; 0: up to the right edge"),
	FP_PARAM_INT_(crop_config, height, "0", 0, FP_MAX_DIMENSION,
		      "height to keep; 0: down to the bottom edge"),
	FP_PARAM_CHOICE_(crop_config, gravity, "none", "none|" FP_KIT_GRAVITIES,
			 "none: x, y from the top-left corner; else where "
			 "the rectangle sits before x, y move it"),
};

/* Without a gravity x and y count from the top-left corner: below 0 no
 * frame can hold the rectangle. */
static int crop_check(const void *config, char *err, size_t err_size)
{
	const crop_config *c = config;
	if (c->gravity == 0 && (c->x < 0 || c->y < 0)) {
		snprintf(err, err_size,
			 "%s: %lld is outside every frame (without a gravity "
			 "x and y count from the top-left corner; give "
			 "gravity = southeast to count from the other one)",
			 c->x < 0 ? "x" : "y",
			 (long long)(c->x < 0 ? c->x : c->y));
		return FP_EPARAM;
	}
	return 0;
}

static int crop_init(void **state, const void *config, const fp_stage_env *env,
		     char *err, size_t err_size)
{
	int rc = crop_check(config, err, err_size);
	if (rc != 0)
		return rc;
	return fp__kit_config_state(state, config, env, err, err_size);
}

/* The largest frame it makes: width x height when given, else at most
 * the frame's side. */
static int crop_shape(const void *config, const fp_shape *in, fp_shape *out,
		      char *err, size_t err_size)
{
	(void)err;
	(void)err_size;
	const crop_config *c = config;
	*out = *in;
	if (c->width)
		out->width = (uint32_t)c->width;
	if (c->height)
		out->height = (uint32_t)c->height;
	return 0;
}

static int crop_process(void *state, fp_frame *in, fp_frame *out)
{
	(void)out;
	const crop_config *c = state;
	unsigned ch = fp_format_pixel_bytes(in->format); /* bytes */
	int64_t w = c->width, h = c->height, x = c->x, y = c->y;
	if (c->gravity > 0) {
		int64_t gx, gy;
		fp__kit_gravity(c->gravity - 1, in->width, in->height,
				w ? w : in->width, h ? h : in->height, &gx,
				&gy);
		x += gx;
		y += gy;
	}
	if (w == 0)
		w = (int64_t)in->width - x;
	if (h == 0)
		h = (int64_t)in->height - y;
	if (x < 0 || y < 0 || w <= 0 || h <= 0 || x + w > in->width ||
	    y + h > in->height)
		return fp_frame_fail(
			in, FP_EPARAM,
			"crop %lldx%lld at %lld,%lld is not inside "
			"the %ux%u frame",
			(long long)w, (long long)h, (long long)x, (long long)y,
			in->width, in->height);
	size_t row = (size_t)w * ch;
	for (int64_t r = 0; r < h; r++)
		memmove(in->pixels + (size_t)r * row,
			in->pixels + (size_t)(y + r) * in->stride +
				(size_t)x * ch,
			row);
	in->width = (uint32_t)w;
	in->height = (uint32_t)h;
	in->stride = (uint32_t)row;
	return 0;
}

FP_STAGE_EXPORT = {
	FP_STAGE_HEADER,
	.name = "crop",
	.summary = "keep a rectangle (position or gravity + size; in place)",
	.kind = FP_STAGE_FILTER,
	.formats = FP_FORMATS_ALL,
	.params = params,
	.param_count = FP_COUNT_OF(params),
	.config_size = sizeof(crop_config),
	.check = crop_check,
	.shape = crop_shape,
	.init = crop_init,
	.process = crop_process,
};
