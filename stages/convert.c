/* convert — change a frame's layout and depth, between any two of the
 * eight formats, in place.
 *
 * The rules, each rounding once:
 *   depth    8 -> 16: v * 257 (exact: 255 -> 65535);
 *            16 -> 8: round(v / 257) = (v * 255 + 32767) / 65535
 *   gray -> RGB: the gray sample in R, G and B
 *   RGB -> gray: Y = wr R + wg G + wb B on the stored values (no gamma),
 *            luma=bt709 (default, the weights grayscale uses: 0.212656,
 *            0.715158, 0.072186) or bt601 (0.298839, 0.586811, 0.114350),
 *            rounded in the output depth: round(Y * out_max / in_max)
 *   add alpha: opaque (255 or 65535); drop alpha: dropped as it is (to
 *            composite onto a background, use alpha_flatten first)
 * Growing frames are converted from the last pixel back, shrinking ones
 * from the first, so input and output share the slot: the output's rows
 * are packed, or keep the input's stride when a row grows into it. The
 * slot must hold the output (FP_ENOFIT names [pipeline] slot_size).
 */
#include <inttypes.h>
#include <stdbool.h>
#include <string.h>

#include "framepipe/stage.h"

enum { LUMA_BT709, LUMA_BT601 };

struct convert_config {
	int format; /* 0 keep, else the fp_format */
	int layout; /* 0 keep, else the channels */
	int depth;  /* 0 keep, 1: 8 bits, 2: 16 bits */
	int luma;
};

/* What one frame's conversion does per pixel. */
struct plan {
	unsigned ci, co;  /* channels in, out */
	bool in16, out16; /* sample sizes */
	bool in_alpha, out_alpha;
	bool in_colour, out_colour;
	uint32_t out_max;  /* opaque alpha */
	double wr, wg, wb; /* luma weights times out_max / in_max */
};

static fp_format target(const struct convert_config *c, fp_format in)
{
	if (c->format != 0)
		return (fp_format)c->format;
	unsigned ch =
		c->layout != 0 ? (unsigned)c->layout : fp_format_channels(in);
	unsigned b =
		c->depth != 0 ? (unsigned)c->depth : fp_format_sample_bytes(in);
	return fp_format_of(ch, b);
}

static uint32_t load(const uint8_t *p, unsigned i, bool b16)
{
	if (!b16)
		return p[i];
	uint16_t v;
	memcpy(&v, p + 2 * i, 2);
	return v;
}

static void store(uint8_t *p, unsigned i, bool b16, uint32_t v)
{
	if (!b16) {
		p[i] = (uint8_t)v;
		return;
	}
	uint16_t s = (uint16_t)v;
	memcpy(p + 2 * i, &s, 2);
}

/* One sample from the input depth to the output depth. */
static inline uint32_t rescale(const struct plan *p, uint32_t v)
{
	if (p->in16 == p->out16)
		return v;
	return p->out16 ? v * 257u : (v * 255u + 32767u) / 65535u;
}

/* src and dst may overlap: the whole pixel is read first. */
static void convert_pixel(const struct plan *p, const uint8_t *src,
			  uint8_t *dst)
{
	uint32_t c[4], o[4];
	for (unsigned i = 0; i < p->ci; i++)
		c[i] = load(src, i, p->in16);
	uint32_t alpha = p->in_alpha ? rescale(p, c[p->ci - 1]) : p->out_max;
	if (p->out_colour) {
		for (unsigned i = 0; i < 3; i++)
			o[i] = rescale(p, c[p->in_colour ? i : 0]);
	} else if (p->in_colour) {
		double y = p->wr * c[0] + p->wg * c[1] + p->wb * c[2] + 0.5;
		o[0] = y >= p->out_max ? p->out_max : (uint32_t)y;
	} else {
		o[0] = rescale(p, c[0]);
	}
	if (p->out_alpha)
		o[p->co - 1] = alpha;
	for (unsigned i = 0; i < p->co; i++)
		store(dst, i, p->out16, o[i]);
}

static void make_plan(struct plan *p, fp_format from, fp_format to, int luma)
{
	static const double weights[2][3] = {
		{0.212656, 0.715158, 0.072186},
		{0.298839, 0.586811, 0.114350},
	};
	p->ci = fp_format_channels(from);
	p->co = fp_format_channels(to);
	p->in16 = fp_format_sample_bytes(from) == 2;
	p->out16 = fp_format_sample_bytes(to) == 2;
	p->in_alpha = fp_format_has_alpha(from);
	p->out_alpha = fp_format_has_alpha(to);
	p->in_colour = p->ci >= 3;
	p->out_colour = p->co >= 3;
	p->out_max = p->out16 ? 65535 : 255;
	double scale = (double)p->out_max / (p->in16 ? 65535 : 255);
	p->wr = weights[luma][0] * scale;
	p->wg = weights[luma][1] * scale;
	p->wb = weights[luma][2] * scale;
}

static int convert_process(void *state, fp_frame *in, fp_frame *out)
{
	const struct convert_config *cfg = state;
	fp_frame *f = in;
	(void)out; /* in place: out == in */

	if (fp_format_channels(f->format) == 0)
		return fp_frame_fail(f, FP_EFORMAT, "cannot handle format %d",
				     (int)f->format);
	fp_format to = target(cfg, f->format);
	if (to == f->format)
		return 0;
	size_t ib = fp_format_pixel_bytes(f->format);
	size_t ob = fp_format_pixel_bytes(to);
	uint64_t row = (uint64_t)f->width * ob;
	uint64_t stride = ob > ib && f->stride > row ? f->stride : row;
	if (stride > UINT32_MAX || stride * f->height > f->capacity)
		return fp_frame_fail(
			f, FP_ENOFIT,
			"%" PRIu32 "x%" PRIu32 " %s needs %" PRIu64
			" bytes, the slot holds %zu (raise [pipeline] "
			"slot_size)",
			f->width, f->height, fp_format_name(to),
			stride * f->height, f->capacity);

	struct plan p;
	make_plan(&p, f->format, to, cfg->luma);
	size_t si = f->stride, so = (size_t)stride;
	if (ob > ib) { /* grows: from the end, the output never overtakes */
		for (size_t y = f->height; y-- > 0;)
			for (size_t x = f->width; x-- > 0;)
				convert_pixel(&p, f->pixels + y * si + x * ib,
					      f->pixels + y * so + x * ob);
	} else {
		for (size_t y = 0; y < f->height; y++)
			for (size_t x = 0; x < f->width; x++)
				convert_pixel(&p, f->pixels + y * si + x * ib,
					      f->pixels + y * so + x * ob);
	}
	f->format = to;
	f->stride = (uint32_t)stride;
	return 0;
}

static int convert_init(void **state, const void *config,
			const fp_stage_env *env, char *err, size_t err_size)
{
	(void)env;
	(void)err;
	(void)err_size;
	*state = (void *)config;
	return 0;
}

static int convert_check(const void *config, char *err, size_t err_size)
{
	const struct convert_config *c = config;
	if (c->format != 0 && (c->layout != 0 || c->depth != 0)) {
		(void)snprintf(err, err_size,
			       "format: give format, or layout and depth, not "
			       "both");
		return FP_EPARAM;
	}
	return 0;
}

static int convert_shape(const void *config, const fp_shape *in, fp_shape *out,
			 char *err, size_t err_size)
{
	(void)err;
	(void)err_size;
	*out = *in;
	out->formats = 0;
	for (int f = FP_FORMAT_FIRST; f <= FP_FORMAT_LAST; f++)
		if ((in->formats & FP_FORMAT_BIT(f)) != 0)
			out->formats |=
				FP_FORMAT_BIT(target(config, (fp_format)f));
	return 0;
}

static const fp_param convert_params[] = {
	FP_PARAM_CHOICE_(struct convert_config, format, "keep",
			 "keep|g8|ga8|rgb8|rgba8|g16|ga16|rgb16|rgba16",
			 "the output format (keep: as layout and depth say)"),
	FP_PARAM_CHOICE_(struct convert_config, layout, "keep",
			 "keep|g|ga|rgb|rgba",
			 "the output channels, keeping the depth"),
	FP_PARAM_CHOICE_(struct convert_config, depth, "keep", "keep|8|16",
			 "the output bits per sample, keeping the channels"),
	FP_PARAM_CHOICE_(struct convert_config, luma, "bt709", "bt709|bt601",
			 "weights of colour to gray: Rec. 709 or Rec. 601"),
};

FP_STAGE_EXPORT = {
	FP_STAGE_HEADER,
	.name = "convert",
	.summary = "convert frames between formats: gray/RGB, alpha, 8/16 bits",
	.kind = FP_STAGE_FILTER,
	.formats = FP_FORMATS_ALL,
	.params = convert_params,
	.param_count = FP_COUNT_OF(convert_params),
	.config_size = sizeof(struct convert_config),
	.init = convert_init,
	.process = convert_process,
	.description =
		"format = g8 .. rgba16 sets both; or layout (g, ga, rgb, "
		"rgba) and depth (8, 16) each.\n"
		"8 -> 16 is v * 257, 16 -> 8 rounds (round(v / 257)); gray -> "
		"RGB replicates; RGB -> gray\n"
		"is Rec. 709 (luma=bt709: 0.212656 R + 0.715158 G + 0.072186 "
		"B) or Rec. 601 luma of the\n"
		"stored values, rounded once in the output depth; alpha is "
		"added opaque or dropped\n"
		"as it is (alpha_flatten composites). In place: the slot must "
		"hold the output.",
	.check = convert_check,
	.shape = convert_shape,
};
