/* resize — scale with a separable resampling kernel into a second,
 * granted slot (tightly packed).
 *
 * Size: `scale` (a factor, for batches of mixed sizes), or `width` and/or
 * `height` (0 keeps the aspect ratio from the other). With both given,
 * `fit` says how: exact (stretch), inside (the largest size that fits in
 * the box, aspect kept), cover (fill the box, aspect kept, the overflow
 * cropped equally on both sides).
 *
 * Kernels: nearest, box, bilinear (triangle), bicubic (Catmull-Rom),
 * lanczos3. On downscale the kernel is stretched by the factor so that
 * every input pixel counts (as libvips and ImageMagick do, unlike point
 * sampling); edges are clamped. Colour is premultiplied by alpha while
 * filtering, so transparent pixels do not bleed their colour. Close to
 * `convert IN -filter Triangle|Lanczos -resize WxH! OUT` (see
 * tests/integration/test_filters_vs_imagemagick.sh for the figures).
 * Any format: 16-bit frames keep their 16 bits through the float passes. */
#include <framepipe/stage.h>
#include <errno.h>
#include <math.h>

#include "kit.h"

enum { FIT_EXACT, FIT_INSIDE, FIT_COVER };

typedef struct resize_config {
	int64_t width;
	int64_t height;
	double scale;
	int fit;
	int kernel; /* FP_KIT_KERNELS without gaussian */
} resize_config;

static const fp_param params[] = {
	FP_PARAM_INT_(resize_config, width, "0", 0, FP_MAX_DIMENSION,
		      "output width; 0 keeps the aspect ratio from height"),
	FP_PARAM_INT_(resize_config, height, "0", 0, FP_MAX_DIMENSION,
		      "output height; 0 keeps the aspect ratio from width"),
	FP_PARAM_FLOAT_(resize_config, scale, "0", 0, 64,
			"scale factor instead of a size (0: use width, "
			"height)"),
	FP_PARAM_CHOICE_(resize_config, fit, "exact", "exact|inside|cover",
			 "with width and height: stretch to exactly that, fit "
			 "inside the box, or cover it and crop the overflow"),
	FP_PARAM_CHOICE_(resize_config, kernel, "lanczos3",
			 "nearest|box|bilinear|bicubic|lanczos3",
			 "resampling kernel (bicubic is Catmull-Rom)"),
};

static int resize_check(const void *config, char *err, size_t err_size)
{
	const resize_config *c = config;
	if (c->scale > 0 && (c->width || c->height)) {
		snprintf(err, err_size,
			 "scale: give either scale or width/height, not both");
		return FP_EPARAM;
	}
	if (c->scale == 0 && c->width == 0 && c->height == 0) {
		snprintf(err, err_size,
			 "width: needs a size: width, height (or both), or "
			 "scale");
		return FP_EPARAM;
	}
	return 0;
}

static int resize_init(void **state, const void *config,
		       const fp_stage_env *env, char *err, size_t err_size)
{
	int rc = resize_check(config, err, err_size);
	if (rc != 0)
		return rc;
	return fp__kit_resample_stage_init(state, config, env, err, err_size);
}

static uint32_t scaled(uint32_t len, double factor)
{
	double v = round(len * factor);
	return v < 1		      ? 1
	       : v > FP_MAX_DIMENSION ? FP_MAX_DIMENSION
				      : (uint32_t)v;
}

/* Output size and the two axis maps for an input of in_w x in_h. */
static void plan(const resize_config *c, uint32_t in_w, uint32_t in_h,
		 fp__kit_map *mx, fp__kit_map *my)
{
	double sx = 0, sy = 0;
	uint32_t ow, oh;
	double ox = 0, oy = 0;
	if (c->scale > 0) {
		ow = scaled(in_w, c->scale);
		oh = scaled(in_h, c->scale);
	} else if (c->width == 0 || c->height == 0) {
		double f = c->width ? (double)c->width / in_w
				    : (double)c->height / in_h;
		ow = c->width ? (uint32_t)c->width : scaled(in_w, f);
		oh = c->height ? (uint32_t)c->height : scaled(in_h, f);
	} else if (c->fit == FIT_EXACT) {
		ow = (uint32_t)c->width;
		oh = (uint32_t)c->height;
	} else {
		double fw = (double)c->width / in_w,
		       fh = (double)c->height / in_h;
		double f = c->fit == FIT_INSIDE ? fmin(fw, fh) : fmax(fw, fh);
		ow = c->fit == FIT_INSIDE ? scaled(in_w, f)
					  : (uint32_t)c->width;
		oh = c->fit == FIT_INSIDE ? scaled(in_h, f)
					  : (uint32_t)c->height;
		if (c->fit == FIT_COVER) { /* crop the overflow, centred */
			sx = sy = f;
			ox = (in_w * f - ow) / 2;
			oy = (in_h * f - oh) / 2;
		}
	}
	if (sx == 0) {
		sx = (double)ow / in_w;
		sy = (double)oh / in_h;
	}
	*mx = (fp__kit_map){.in_len = in_w,
			    .out_len = ow,
			    .scale = sx,
			    .offset = ox,
			    .kernel = (fp__kit_kernel)c->kernel};
	*my = (fp__kit_map){.in_len = in_h,
			    .out_len = oh,
			    .scale = sy,
			    .offset = oy,
			    .kernel = (fp__kit_kernel)c->kernel};
}

/* The output of the largest frame when its size is known; else what the
 * parameters alone say (width x height with both given: fit inside makes
 * at most that), 0 for a side that depends on the frame. */
static int resize_shape(const void *config, const fp_shape *in, fp_shape *out,
			char *err, size_t err_size)
{
	(void)err;
	(void)err_size;
	const resize_config *c = config;
	*out = *in;
	if (in->width && in->height) {
		fp__kit_map mx, my;
		plan(c, in->width, in->height, &mx, &my);
		out->width = mx.out_len;
		out->height = my.out_len;
		return 0;
	}
	bool both = c->scale == 0 && c->width && c->height;
	out->width = both ? (uint32_t)c->width : 0;
	out->height = both ? (uint32_t)c->height : 0;
	return 0;
}

static int resize_process(void *state, fp_frame *in, fp_frame *out)
{
	fp__kit_resample_stage *s = state;
	fp__kit_map mx, my;
	plan((const resize_config *)s->config, in->width, in->height, &mx, &my);
	int rc = fp__kit_set_output(out, mx.out_len, my.out_len, in->format);
	if (rc != 0)
		return rc;
	if (fp__kit_resample(&s->r, in, out, &mx, &my) != 0)
		return fp_frame_fail(in, -ENOMEM, "out of memory");
	return 0;
}

FP_STAGE_EXPORT = {
	FP_STAGE_HEADER,
	.name = "resize",
	.summary = "scale to a size, box or factor with a resampling kernel "
		   "(lanczos3, bicubic, bilinear, box, nearest)",
	.kind = FP_STAGE_FILTER,
	.flags = FP_STAGE_OUT_OF_PLACE | FP_STAGE_RESAMPLES,
	.formats = FP_FORMATS_ALL,
	.params = params,
	.param_count = FP_COUNT_OF(params),
	.config_size = sizeof(resize_config),
	.check = resize_check,
	.shape = resize_shape,
	.init = resize_init,
	.process = resize_process,
	.fini = fp__kit_resample_stage_fini,
};
