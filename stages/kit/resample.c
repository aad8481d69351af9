/* kit/resample.c — separable resampling with tap tables, for resize, blur
 * and sharpen.
 *
 * Each axis gets a table of taps once per frame geometry: output sample i
 * reads a run of input samples with precomputed weights (normalised to 1;
 * taps past an edge fold onto the edge sample). On downscale the kernel is
 * stretched by 1/scale, so every input pixel contributes (like libvips'
 * reduce and ImageMagick's -resize, not point sampling).
 *
 * The passes go vertical first: input rows are converted to float
 * (colour premultiplied by alpha) into a ring of as many rows as the
 * vertical kernel spans; each output row is one vertical pass over the
 * ring (a long, vectorisable loop) and one horizontal pass over that row.
 * Rows are read in order and output row y is written only after every
 * input row it needs was read, so a same-size pass (blur) works in place.
 * 16-bit frames take the same float path: only the conversions at both
 * ends differ (the samples' scale is 65535 instead of 255).
 */
#include "kit.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define PI 3.14159265358979323846

static double sinc(double x)
{
	if (x == 0.0)
		return 1.0;
	x *= PI;
	return sin(x) / x;
}

/* Kernel value at x (in input pixels of the unstretched kernel). */
static double kernel_at(fp__kit_kernel k, double sigma, double x)
{
	double a = fabs(x);
	switch (k) {
	case FP_KIT_NEAREST:
	case FP_KIT_BOX: /* half weight on the edge keeps it symmetric */
		return a < 0.5 - 1e-9 ? 1.0 : a <= 0.5 + 1e-9 ? 0.5 : 0.0;
	case FP_KIT_BILINEAR: return a < 1.0 ? 1.0 - a : 0.0;
	case FP_KIT_BICUBIC: /* Catmull-Rom, a = -0.5 */
		if (a < 1.0)
			return (1.5 * a - 2.5) * a * a + 1.0;
		if (a < 2.0)
			return ((-0.5 * a + 2.5) * a - 4.0) * a + 2.0;
		return 0.0;
	case FP_KIT_LANCZOS3: return a < 3.0 ? sinc(x) * sinc(x / 3.0) : 0.0;
	case FP_KIT_GAUSSIAN: return exp(-x * x / (2.0 * sigma * sigma));
	}
	return 0.0;
}

static double kernel_support(fp__kit_kernel k, double sigma)
{
	switch (k) {
	case FP_KIT_NEAREST:
	case FP_KIT_BOX: return 0.5;
	case FP_KIT_BILINEAR: return 1.0;
	case FP_KIT_BICUBIC: return 2.0;
	case FP_KIT_LANCZOS3: return 3.0;
	case FP_KIT_GAUSSIAN: return ceil(4.0 * sigma);
	}
	return 1.0;
}

static int32_t clamp_index(int64_t j, uint32_t len)
{
	return (int32_t)(j < 0 ? 0 : j >= (int64_t)len ? (int64_t)len - 1 : j);
}

/* Fill the tap table of one axis. */
static int plan_axis(fp__kit_axis *a, const fp__kit_map *m)
{
	double stretch = m->scale < 1.0 ? 1.0 / m->scale : 1.0;
	double support = kernel_support(m->kernel, m->sigma) * stretch;
	if (m->kernel == FP_KIT_NEAREST)
		support = 0.5;
	size_t max_taps = (size_t)ceil(2.0 * support) + 2;
	if (fp__kit_grow(&a->start, &a->start_cap, m->out_len,
			 sizeof(int32_t)) ||
	    fp__kit_grow(&a->count, &a->count_cap, m->out_len,
			 sizeof(int32_t)) ||
	    fp__kit_grow(&a->weights, &a->tap_cap,
			 (size_t)m->out_len * max_taps, sizeof(float)))
		return -ENOMEM;
	a->max_taps = max_taps;
	for (uint32_t i = 0; i < m->out_len; i++) {
		double centre = (i + m->offset + 0.5) / m->scale - 0.5;
		float *w = a->weights + (size_t)i * max_taps;
		memset(w, 0, max_taps * sizeof *w);
		if (m->kernel == FP_KIT_NEAREST) {
			a->start[i] = clamp_index((int64_t)floor(centre + 0.5),
						  m->in_len);
			a->count[i] = 1;
			w[0] = 1.0f;
			continue;
		}
		int64_t lo = (int64_t)ceil(centre - support - 1e-9);
		int64_t hi = (int64_t)floor(centre + support + 1e-9);
		int32_t first = clamp_index(lo, m->in_len);
		double sum = 0.0;
		for (int64_t j = lo; j <= hi; j++) {
			double k = kernel_at(m->kernel, m->sigma,
					     (j - centre) / stretch);
			w[clamp_index(j, m->in_len) - first] += (float)k;
			sum += k;
		}
		int32_t last = clamp_index(hi, m->in_len);
		a->start[i] = first;
		a->count[i] = last - first + 1;
		if (sum == 0.0) { /* a box narrower than a pixel: nearest */
			a->start[i] = clamp_index((int64_t)floor(centre + 0.5),
						  m->in_len);
			a->count[i] = 1;
			w[0] = 1.0f;
			continue;
		}
		for (int32_t t = 0; t < a->count[i]; t++)
			w[t] = (float)(w[t] / sum);
	}
	return 0;
}

static void release_axis(fp__kit_axis *a)
{
	free(a->start);
	free(a->count);
	free(a->weights);
	memset(a, 0, sizeof *a);
}

void fp__kit_resampler_release(fp__kit_resampler *r)
{
	release_axis(&r->h);
	release_axis(&r->v);
	free(r->ring);
	free(r->column);
	free(r->out_row);
	r->ring = r->column = r->out_row = NULL;
	r->ring_cap = r->column_cap = r->out_cap = 0;
}

/* load_row for 16-bit samples: alpha/65535. */
static void load_row16(const fp_frame *in, uint32_t y, unsigned ch, float *dst)
{
	const uint16_t *src = fp__kit_row16(in, y);
	size_t n = (size_t)in->width * ch;
	if (!fp__kit_has_alpha(in->format)) {
		for (size_t i = 0; i < n; i++)
			dst[i] = src[i];
		return;
	}
	for (size_t i = 0; i < n; i += ch) {
		float a = src[i + ch - 1];
		float f = a * (1.0f / 65535.0f);
		for (unsigned c = 0; c + 1 < ch; c++)
			dst[i + c] = src[i + c] * f;
		dst[i + ch - 1] = a;
	}
}

/* Input row y as floats, colour premultiplied by alpha/255. */
static void load_row(const fp_frame *in, uint32_t y, unsigned ch, float *dst)
{
	if (fp__kit_is16(in->format)) {
		load_row16(in, y, ch, dst);
		return;
	}
	const uint8_t *src = in->pixels + (size_t)y * in->stride;
	size_t n = (size_t)in->width * ch;
	if (!fp__kit_has_alpha(in->format)) {
		for (size_t i = 0; i < n; i++)
			dst[i] = src[i];
		return;
	}
	for (size_t i = 0; i < n; i += ch) {
		float a = src[i + ch - 1];
		float f = a * (1.0f / 255.0f);
		for (unsigned c = 0; c + 1 < ch; c++)
			dst[i + c] = src[i + c] * f;
		dst[i + ch - 1] = a;
	}
}

static inline __attribute__((always_inline)) void
hpass(const fp__kit_axis *a, const float *src, float *dst, uint32_t out_w,
      unsigned ch)
{
	for (uint32_t x = 0; x < out_w; x++) {
		const float *w = a->weights + (size_t)x * a->max_taps;
		const float *s = src + (size_t)a->start[x] * ch;
		int32_t n = a->count[x];
		float acc[4] = {0, 0, 0, 0};
		for (int32_t t = 0; t < n; t++, s += ch)
			for (unsigned c = 0; c < ch; c++)
				acc[c] += w[t] * s[c];
		for (unsigned c = 0; c < ch; c++)
			dst[(size_t)x * ch + c] = acc[c];
	}
}

static void hpass_any(const fp__kit_axis *a, const float *src, float *dst,
		      uint32_t out_w, unsigned ch)
{
	switch (ch) {
	case 1: hpass(a, src, dst, out_w, 1); break;
	case 2: hpass(a, src, dst, out_w, 2); break;
	case 3: hpass(a, src, dst, out_w, 3); break;
	default: hpass(a, src, dst, out_w, 4); break;
	}
}

static uint8_t to_u8(float v)
{
	return v <= 0.0f ? 0 : v >= 255.0f ? 255 : (uint8_t)(v + 0.5f);
}

static uint16_t to_u16(float v)
{
	return v <= 0.0f ? 0 : v >= 65535.0f ? 65535 : (uint16_t)(v + 0.5f);
}

/* The unsharp mask on vals, from orig, for 16-bit rows (level is in the
 * samples' scale); store_row keeps its own copy of the loop for 8 bits. */
static void unsharp(const fp__kit_resampler *r, float *vals, const float *orig,
		    size_t n, unsigned ch, bool alpha, float level)
{
	for (size_t i = 0; i < n; i++) {
		float d = orig[i] - vals[i];
		vals[i] = fabsf(d) >= level ? orig[i] + r->amount * d : orig[i];
	}
	if (alpha) /* the mask sharpens colour, never alpha */
		for (size_t i = ch - 1; i < n; i += ch)
			vals[i] = orig[i];
}

/* store_row for 16-bit samples. */
static void store_row16(const fp__kit_resampler *r, float *vals,
			const float *orig, uint16_t *dst, uint32_t w,
			unsigned ch, bool alpha)
{
	size_t n = (size_t)w * ch;
	if (orig != NULL) /* the threshold is in 8-bit units */
		unsharp(r, vals, orig, n, ch, alpha, r->level * 257.0f);
	if (!alpha) {
		for (size_t i = 0; i < n; i++)
			dst[i] = to_u16(vals[i]);
		return;
	}
	for (size_t i = 0; i < n; i += ch) {
		float a = vals[i + ch - 1];
		uint16_t a16 = to_u16(a);
		float f = a16 == 0 ? 0.0f : 65535.0f / a;
		for (unsigned c = 0; c + 1 < ch; c++)
			dst[i + c] = to_u16(vals[i + c] * f);
		dst[i + ch - 1] = a16;
	}
}

/* One output row: vals (premultiplied) to bytes; orig is the same row of
 * the input (premultiplied) for the unsharp mask, else NULL. */
static void store_row(const fp__kit_resampler *r, float *vals,
		      const float *orig, uint8_t *dst, uint32_t w, unsigned ch,
		      bool alpha)
{
	size_t n = (size_t)w * ch;
	if (orig != NULL) {
		for (size_t i = 0; i < n; i++) {
			float d = orig[i] - vals[i];
			vals[i] = fabsf(d) >= r->level ? orig[i] + r->amount * d
						       : orig[i];
		}
		if (alpha) /* the mask sharpens colour, never alpha */
			for (size_t i = ch - 1; i < n; i += ch)
				vals[i] = orig[i];
	}
	if (!alpha) {
		for (size_t i = 0; i < n; i++)
			dst[i] = to_u8(vals[i]);
		return;
	}
	for (size_t i = 0; i < n; i += ch) {
		float a = vals[i + ch - 1];
		uint8_t a8 = to_u8(a);
		float f = a8 == 0 ? 0.0f : 255.0f / a;
		for (unsigned c = 0; c + 1 < ch; c++)
			dst[i + c] = to_u8(vals[i + c] * f);
		dst[i + ch - 1] = a8;
	}
}

static int reserve_buffers(fp__kit_resampler *r, const fp_frame *in,
			   const fp_frame *out, unsigned ch)
{
	size_t in_row = (size_t)in->width * ch;
	size_t rows = r->v.max_taps;
	if (rows > in->height)
		rows = in->height;
	r->ring_rows = rows;
	r->row_floats = in_row;
	if (fp__kit_grow(&r->ring, &r->ring_cap, rows * in_row,
			 sizeof(float)) ||
	    fp__kit_grow(&r->column, &r->column_cap, in_row, sizeof(float)) ||
	    fp__kit_grow(&r->out_row, &r->out_cap, (size_t)out->width * ch,
			 sizeof(float)))
		return -ENOMEM;
	return 0;
}

int fp__kit_resample(fp__kit_resampler *r, const fp_frame *in, fp_frame *out,
		     const fp__kit_map *mx, const fp__kit_map *my)
{
	unsigned ch = fp_format_channels(in->format);
	bool alpha = fp__kit_has_alpha(in->format);
	if (plan_axis(&r->h, mx) != 0 || plan_axis(&r->v, my) != 0 ||
	    reserve_buffers(r, in, out, ch) != 0)
		return -ENOMEM;
	size_t rf = r->row_floats;
	int64_t loaded = 0;
	for (uint32_t y = 0; y < out->height; y++) {
		int32_t start = r->v.start[y], n = r->v.count[y];
		for (; loaded < start + n; loaded++)
			load_row(in, (uint32_t)loaded, ch,
				 r->ring +
					 (size_t)(loaded % r->ring_rows) * rf);
		const float *w = r->v.weights + (size_t)y * r->v.max_taps;
		float *col = r->column;
		const float *src =
			r->ring + (size_t)(start % r->ring_rows) * rf;
		for (size_t i = 0; i < rf; i++)
			col[i] = w[0] * src[i];
		for (int32_t t = 1; t < n; t++) {
			src = r->ring +
			      (size_t)((start + t) % (int64_t)r->ring_rows) *
				      rf;
			float wt = w[t];
			for (size_t i = 0; i < rf; i++)
				col[i] += wt * src[i];
		}
		hpass_any(&r->h, col, r->out_row, out->width, ch);
		const float *orig =
			r->mode == FP_KIT_UNSHARP
				? r->ring + (size_t)(y % r->ring_rows) * rf
				: NULL;
		if (fp__kit_is16(out->format))
			store_row16(r, r->out_row, orig, fp__kit_row16(out, y),
				    out->width, ch, alpha);
		else
			store_row(r, r->out_row, orig,
				  out->pixels + (size_t)y * out->stride,
				  out->width, ch, alpha);
	}
	return 0;
}

int fp__kit_blur_frame(fp__kit_resampler *r, fp_frame *f, double sigma)
{
	fp__kit_map mx = {.in_len = f->width,
			  .out_len = f->width,
			  .scale = 1.0,
			  .kernel = FP_KIT_GAUSSIAN,
			  .sigma = sigma};
	fp__kit_map my = mx;
	my.in_len = my.out_len = f->height;
	return fp__kit_resample(r, f, f, &mx, &my);
}

int fp__kit_resample_stage_init(void **state, const void *config,
				const fp_stage_env *env, char *err,
				size_t err_size)
{
	(void)env;
	fp__kit_resample_stage *s = calloc(1, sizeof *s);
	if (s == NULL) {
		snprintf(err, err_size, "out of memory");
		return -ENOMEM;
	}
	s->config = config;
	*state = s;
	return 0;
}

void fp__kit_resample_stage_fini(void *state)
{
	fp__kit_resample_stage *s = state;
	fp__kit_resampler_release(&s->r);
	free(s);
}
