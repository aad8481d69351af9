/* crop — keep a rectangle, in place (rows move towards the start of the
 * slot; the output is tightly packed).
 *
 * The rectangle is width x height at x, y from the top-left corner, or,
 * with a gravity, placed by the gravity and then moved by x, y (like
 * ImageMagick's -gravity G -crop WxH+X+Y). width or height 0 means "to
 * the frame's edge". A rectangle that does not lie inside the frame fails
 * that frame, naming both. Matches `convert IN -crop WxH+X+Y +repage
 * OUT`. */
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
	FP_PARAM_INT_(crop_config, x, "0", -65535, 65535,
		      "left edge (from the gravity's anchor when given)"),
	FP_PARAM_INT_(crop_config, y, "0", -65535, 65535,
		      "top edge (from the gravity's anchor when given)"),
	FP_PARAM_INT_(crop_config, width, "0", 0, 65535,
		      "width to keep; 0: up to the right edge"),
	FP_PARAM_INT_(crop_config, height, "0", 0, 65535,
		      "height to keep; 0: down to the bottom edge"),
	FP_PARAM_CHOICE_(crop_config, gravity, "none", "none|" FP_KIT_GRAVITIES,
			 "none: x, y from the top-left corner; else where "
			 "the rectangle sits before x, y move it"),
};

static int crop_process(void *state, fp_frame *in, fp_frame *out)
{
	(void)out;
	const crop_config *c = state;
	unsigned ch = fp__kit_channels(in, FP_FORMATS_8BIT, "crop");
	if (ch == 0)
		return FP_EFORMAT;
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
	.formats = FP_FORMATS_8BIT,
	.params = params,
	.param_count = FP_COUNT_OF(params),
	.config_size = sizeof(crop_config),
	.init = fp__kit_config_state,
	.process = crop_process,
};
