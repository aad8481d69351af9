/* convolve — a user kernel of 1x1, 3x3, 5x5 or 7x7 given in the config
 * row by row, e.g. kernel = 0 -1 0 -1 5 -1 0 -1 0; each output sample is
 * sum(kernel * neighbourhood) / divisor + bias, rounded and clamped.
 * divisor 0 (the default) means the sum of the kernel, or 1 if that is 0.
 * The kernel is applied as written (correlation, as ImageMagick's
 * -morphology Convolve does). Edges clamped; colour only, alpha kept.
 * In place over a ring of edge-padded rows; fixed-point arithmetic
 * (weights in 1/4096), so the inner loops are long and vectorisable.
 * 16-bit frames in double precision (1/4096 would be off by up to 25 levels
 * of 65535 for a 5x5 box); `bias` is in 8-bit units (x 257 at 16 bits). */
#include <framepipe/stage.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include "kit.h"

#define FIX 12

typedef struct convolve_config {
	const char *kernel;
	double divisor;
	double bias;
} convolve_config;

typedef struct convolve_state {
	unsigned size; /* kernel side: 1, 3, 5 or 7 */
	int32_t weights[49];
	int32_t bias; /* in 1/4096, plus the rounding half */
	fp__kit_window window;
	int32_t *acc;
	size_t acc_cap;
	double weights16[49]; /* exact weights for 16 bits */
	double bias16;	      /* bias x 257, plus the rounding half */
	double *acc16;
	size_t acc16_cap;
} convolve_state;

static const fp_param params[] = {
	FP_PARAM_STRING_(convolve_config, kernel, "0 0 0 0 1 0 0 0 0",
			 "1, 9, 25 or 49 numbers, row by row"),
	FP_PARAM_FLOAT_(convolve_config, divisor, "0", -1e6, 1e6,
			"divide the sum by this; 0: by the kernel's sum"),
	FP_PARAM_FLOAT_(convolve_config, bias, "0", -255, 255,
			"added after dividing"),
};

/* The kernel's weights in 1/4096 (divisor applied) into weights, its side
 * into *size; 0 or FP_EPARAM with err. */
static int parse_kernel(const convolve_config *c, int32_t weights[49],
			double weights16[49], unsigned *size, char *err,
			size_t err_size)
{
	double k[49];
	size_t n;
	int rc = fp__kit_parse_numbers(c->kernel, k, 49, &n, "kernel", err,
				       err_size);
	if (rc != 0)
		return rc;
	if (n != 1 && n != 9 && n != 25 && n != 49) {
		snprintf(err, err_size,
			 "kernel: expected 1, 9, 25 or 49 numbers (a square "
			 "of side 1, 3, 5 or 7), got %zu",
			 n);
		return FP_EPARAM;
	}
	double sum = 0;
	for (size_t i = 0; i < n; i++)
		sum += k[i];
	double div = c->divisor != 0 ? c->divisor : sum != 0 ? sum : 1;
	*size = (unsigned)lround(sqrt((double)n));
	for (size_t i = 0; i < n; i++) {
		double w = k[i] / div * (1 << FIX);
		if (!(fabs(w) <= (1 << 20))) {
			snprintf(err, err_size,
				 "kernel: weight %g / %g is too large (at most "
				 "256 after dividing)",
				 k[i], div);
			return FP_EPARAM;
		}
		weights[i] = (int32_t)lround(w);
		weights16[i] = k[i] / div;
	}
	return 0;
}

static int convolve_check(const void *config, char *err, size_t err_size)
{
	int32_t weights[49];
	double weights16[49];
	unsigned size;
	return parse_kernel(config, weights, weights16, &size, err, err_size);
}

static int convolve_init(void **state, const void *config,
			 const fp_stage_env *env, char *err, size_t err_size)
{
	(void)env;
	const convolve_config *c = config;
	convolve_state *s = calloc(1, sizeof *s);
	if (s == NULL) {
		snprintf(err, err_size, "out of memory");
		return -ENOMEM;
	}
	int rc = parse_kernel(c, s->weights, s->weights16, &s->size, err,
			      err_size);
	if (rc != 0) {
		free(s);
		return rc;
	}
	s->bias = (int32_t)lround(c->bias * (1 << FIX)) + (1 << (FIX - 1));
	s->bias16 = c->bias * 257.0 + 0.5;
	*state = s;
	return 0;
}

static void convolve_row(const convolve_state *s, const uint8_t **rows,
			 int32_t *acc, uint8_t *dst, uint32_t width,
			 unsigned ch, bool alpha)
{
	size_t n = (size_t)width * ch;
	for (size_t i = 0; i < n; i++)
		acc[i] = s->bias;
	for (unsigned ky = 0; ky < s->size; ky++)
		for (unsigned kx = 0; kx < s->size; kx++) {
			int32_t w = s->weights[ky * s->size + kx];
			const uint8_t *src = rows[ky] + (size_t)kx * ch;
			if (w == 0)
				continue;
			for (size_t i = 0; i < n; i++)
				acc[i] += w * src[i];
		}
	const uint8_t *centre = rows[s->size / 2] + (size_t)(s->size / 2) * ch;
	for (size_t i = 0; i < n; i++) {
		int32_t v = acc[i];
		dst[i] = v <= 0		   ? 0
			 : v >= 255 << FIX ? 255
					   : (uint8_t)(v >> FIX);
	}
	if (alpha)
		for (size_t i = ch - 1; i < n; i += ch)
			dst[i] = centre[i];
}

/* convolve_row for 16-bit samples (rows of uint16_t). */
static void convolve_row16(const convolve_state *s, const uint8_t **rows,
			   double *acc, uint16_t *dst, uint32_t width,
			   unsigned ch, bool alpha)
{
	size_t n = (size_t)width * ch;
	for (size_t i = 0; i < n; i++)
		acc[i] = s->bias16;
	for (unsigned ky = 0; ky < s->size; ky++)
		for (unsigned kx = 0; kx < s->size; kx++) {
			double w = s->weights16[ky * s->size + kx];
			const uint16_t *src =
				(const uint16_t *)(const void *)rows[ky] +
				(size_t)kx * ch;
			if (w == 0)
				continue;
			for (size_t i = 0; i < n; i++)
				acc[i] += w * src[i];
		}
	const uint16_t *centre =
		(const uint16_t *)(const void *)rows[s->size / 2] +
		(size_t)(s->size / 2) * ch;
	for (size_t i = 0; i < n; i++) {
		double v = acc[i]; /* the half is in the bias */
		dst[i] = v < 1 ? 0 : v >= 65535 ? 65535 : (uint16_t)v;
	}
	if (alpha)
		for (size_t i = ch - 1; i < n; i += ch)
			dst[i] = centre[i];
}

static int convolve_frame16(convolve_state *s, fp_frame *in, unsigned ch)
{
	if (fp__kit_window_begin(&s->window, in, s->size / 2, ch * 2) != 0 ||
	    fp__kit_grow(&s->acc16, &s->acc16_cap, (size_t)in->width * ch,
			 sizeof(double)) != 0)
		return fp_frame_fail(in, -ENOMEM, "out of memory");
	const uint8_t *rows[7];
	for (uint32_t y = 0; y < in->height; y++) {
		fp__kit_window_rows(&s->window, y, rows);
		convolve_row16(s, rows, s->acc16, fp__kit_row16(in, y),
			       in->width, ch, fp__kit_has_alpha(in->format));
	}
	return 0;
}

static int convolve_process(void *state, fp_frame *in, fp_frame *out)
{
	(void)out;
	convolve_state *s = state;
	unsigned ch = fp_format_channels(in->format);
	if (fp__kit_is16(in->format))
		return convolve_frame16(s, in, ch);
	if (fp__kit_window_begin(&s->window, in, s->size / 2, ch) != 0 ||
	    fp__kit_grow(&s->acc, &s->acc_cap, (size_t)in->width * ch,
			 sizeof(int32_t)) != 0)
		return fp_frame_fail(in, -ENOMEM, "out of memory");
	const uint8_t *rows[7];
	for (uint32_t y = 0; y < in->height; y++) {
		fp__kit_window_rows(&s->window, y, rows);
		convolve_row(s, rows, s->acc,
			     in->pixels + (size_t)y * in->stride, in->width, ch,
			     fp__kit_has_alpha(in->format));
	}
	return 0;
}

static void convolve_fini(void *state)
{
	convolve_state *s = state;
	fp__kit_window_release(&s->window);
	free(s->acc);
	free(s->acc16);
	free(s);
}

FP_STAGE_EXPORT = {
	FP_STAGE_HEADER,
	.name = "convolve",
	.summary = "user kernel up to 7x7 with divisor and bias (in place)",
	.kind = FP_STAGE_FILTER,
	.formats = FP_FORMATS_ALL,
	.params = params,
	.param_count = FP_COUNT_OF(params),
	.config_size = sizeof(convolve_config),
	.check = convolve_check,
	.init = convolve_init,
	.process = convolve_process,
	.fini = convolve_fini,
};
