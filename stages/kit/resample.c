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

static bool same_taps(const fp__kit_axis *a, uint32_t i, uint32_t j)
{
	return a->count[i] == a->count[j] &&
	       memcmp(a->weights + (size_t)i * a->max_taps,
		      a->weights + (size_t)j * a->max_taps,
		      (size_t)a->count[i] * sizeof(float)) == 0;
}

static void keep_longer(fp__kit_axis *a, uint32_t lo, uint32_t hi, int32_t step)
{
	if (hi - lo >= 2 && hi - lo > a->run_hi - a->run_lo) {
		a->run_lo = lo;
		a->run_hi = hi;
		a->run_step = step;
	}
}

/* The axis's longest run of equal taps at a constant step (see kit.h). */
static void find_run(fp__kit_axis *a, uint32_t out_len)
{
	a->run_lo = a->run_hi = 0;
	a->run_step = 0;
	uint32_t lo = 0;
	int32_t step = 0;
	for (uint32_t i = 1; i < out_len; i++) {
		int32_t d = a->start[i] - a->start[i - 1];
		bool ok = same_taps(a, lo, i) &&
			  (i == lo + 1 ? d >= 1 && d <= FP_KIT_MAX_STEP
				       : d == step);
		if (ok) {
			step = d;
			continue;
		}
		keep_longer(a, lo, i, step);
		lo = i;
	}
	keep_longer(a, lo, out_len, step);
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
	find_run(a, m->out_len);
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
	free(r->phase);
	free(r->taps);
	free(r->wz);
	r->ring = r->column = r->out_row = r->phase = r->wz = NULL;
	r->taps = NULL;
	r->ring_cap = r->column_cap = r->out_cap = 0;
	r->phase_cap = r->taps_cap = r->wz_cap = 0;
}

static int reserve_buffers(fp__kit_resampler *r, const fp_frame *in,
			   const fp_frame *out, unsigned ch)
{
	size_t in_row = (size_t)in->width * ch;
	/* room for a group of rows (kit/resample_rows.c) */
	size_t rows = r->v.max_taps + (FP_KIT_GROUP - 1) * FP_KIT_MAX_STEP;
	if (rows > in->height)
		rows = in->height;
	r->ring_rows = rows;
	r->row_floats = in_row;
	if (fp__kit_grow(&r->ring, &r->ring_cap, rows * in_row,
			 sizeof(float)) ||
	    fp__kit_grow(&r->column, &r->column_cap, in_row * FP_KIT_GROUP,
			 sizeof(float)) ||
	    fp__kit_grow(&r->out_row, &r->out_cap, (size_t)out->width * ch,
			 sizeof(float)) ||
	    fp__kit_grow(&r->phase, &r->phase_cap,
			 in_row + (size_t)FP_KIT_MAX_STEP * ch,
			 sizeof(float)) ||
	    fp__kit_grow(&r->taps, &r->taps_cap, rows + r->h.max_taps,
			 sizeof(float *)) ||
	    fp__kit_grow(&r->wz, &r->wz_cap,
			 r->v.max_taps +
				 2 * (FP_KIT_GROUP - 1) * FP_KIT_MAX_STEP,
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
	const char *runs = getenv("FP_KIT_RUNS");
	if (runs != NULL && strcmp(runs, "0") == 0)
		r->h.run_hi = r->h.run_lo;
	fp__kit_resample_rows(r, in, out, ch, alpha);
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
