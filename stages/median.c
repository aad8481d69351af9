/* median — each colour sample becomes the median of its (2 radius + 1)^2
 * neighbourhood (radius 1 to 3), edges clamped; alpha kept. Removes salt
 * and pepper noise while keeping edges. Huang's sliding histogram: per
 * row and channel, moving one pixel right removes one column and adds
 * one, and the median moves by a few bins. In place over a ring of
 * edge-padded rows. 16-bit samples (65536 bins would not slide cheaply):
 * the median of the at most 49 values by selection, per sample. */
#include <framepipe/stage.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kit.h"

typedef struct median_config {
	int64_t radius;
} median_config;

typedef struct median_state {
	const median_config *config;
	fp__kit_window window;
	uint16_t hist[256];
} median_state;

static const fp_param params[] = {
	FP_PARAM_INT_(median_config, radius, "1", 1, 3,
		      "neighbourhood of (2 radius + 1)^2 pixels"),
};

static int median_init(void **state, const void *config,
		       const fp_stage_env *env, char *err, size_t err_size)
{
	(void)env;
	median_state *s = calloc(1, sizeof *s);
	if (s == NULL) {
		snprintf(err, err_size, "out of memory");
		return -ENOMEM;
	}
	s->config = config;
	*state = s;
	return 0;
}

/* One channel of one output row. rows point at pixel -r of each row. */
static void median_row(median_state *s, const uint8_t **rows, uint8_t *dst,
		       uint32_t width, unsigned ch, unsigned c)
{
	unsigned r = (unsigned)s->config->radius, size = 2 * r + 1;
	unsigned half = size * size / 2;
	uint16_t *h = s->hist;
	memset(h, 0, sizeof s->hist);
	for (unsigned k = 0; k < size; k++)
		for (unsigned i = 0; i < size; i++)
			h[rows[k][i * ch + c]]++;
	unsigned m = 0, below = 0; /* below: samples < m */
	while (below + h[m] <= half)
		below += h[m++];
	dst[c] = (uint8_t)m;
	for (uint32_t x = 1; x < width; x++) {
		size_t out = ((size_t)x - 1) * ch + c; /* column x-1-r */
		size_t in = ((size_t)x + 2 * r) * ch + c;
		for (unsigned k = 0; k < size; k++) {
			uint8_t a = rows[k][out], b = rows[k][in];
			h[a]--;
			h[b]++;
			below -= a < m;
			below += b < m;
		}
		while (below > half)
			below -= h[--m];
		while (below + h[m] <= half)
			below += h[m++];
		dst[(size_t)x * ch + c] = (uint8_t)m;
	}
}

/* The k-th smallest of v[0..n-1] (Wirth's selection; reorders v). */
static uint16_t select_kth(uint16_t *v, int n, int k)
{
	int l = 0, r = n - 1;
	while (l < r) {
		uint16_t x = v[k];
		int i = l, j = r;
		do {
			while (v[i] < x)
				i++;
			while (x < v[j])
				j--;
			if (i <= j) {
				uint16_t t = v[i];
				v[i] = v[j];
				v[j] = t;
				i++;
				j--;
			}
		} while (i <= j);
		if (j < k)
			l = i;
		if (k < i)
			r = j;
	}
	return v[k];
}

/* One channel of one output row at 16 bits; rows point at pixel -r. */
static void median_row16(unsigned r, const uint8_t **rows, uint16_t *dst,
			 uint32_t width, unsigned ch, unsigned c)
{
	unsigned size = 2 * r + 1;
	uint16_t v[49];
	for (uint32_t x = 0; x < width; x++) {
		int n = 0;
		for (unsigned k = 0; k < size; k++) {
			const uint16_t *row =
				(const uint16_t *)(const void *)rows[k];
			for (unsigned i = 0; i < size; i++)
				v[n++] = row[((size_t)x + i) * ch + c];
		}
		dst[(size_t)x * ch + c] = select_kth(v, n, n / 2);
	}
}

static int median_frame16(median_state *s, fp_frame *in, unsigned ch,
			  unsigned colours)
{
	unsigned r = (unsigned)s->config->radius;
	if (fp__kit_window_begin(&s->window, in, r, ch * 2) != 0)
		return fp_frame_fail(in, -ENOMEM, "median: out of memory");
	const uint8_t *rows[7];
	for (uint32_t y = 0; y < in->height; y++) {
		fp__kit_window_rows(&s->window, y, rows);
		uint16_t *dst = fp__kit_row16(in, y);
		for (unsigned c = 0; c < colours; c++)
			median_row16(r, rows, dst, in->width, ch, c);
	}
	return 0;
}

static int median_process(void *state, fp_frame *in, fp_frame *out)
{
	(void)out;
	median_state *s = state;
	unsigned ch = fp_format_channels(in->format);
	unsigned colours = fp__kit_has_alpha(in->format) ? ch - 1 : ch;
	if (fp__kit_is16(in->format))
		return median_frame16(s, in, ch, colours);
	if (fp__kit_window_begin(&s->window, in, (unsigned)s->config->radius,
				 ch) != 0)
		return fp_frame_fail(in, -ENOMEM, "median: out of memory");
	const uint8_t *rows[7];
	for (uint32_t y = 0; y < in->height; y++) {
		fp__kit_window_rows(&s->window, y, rows);
		uint8_t *dst = in->pixels + (size_t)y * in->stride;
		for (unsigned c = 0; c < colours; c++)
			median_row(s, rows, dst, in->width, ch, c);
	}
	return 0;
}

static void median_fini(void *state)
{
	median_state *s = state;
	fp__kit_window_release(&s->window);
	free(s);
}

FP_STAGE_EXPORT = {
	FP_STAGE_HEADER,
	.name = "median",
	.summary = "median of a square neighbourhood, radius 1-3 (in place)",
	.kind = FP_STAGE_FILTER,
	.formats = FP_FORMATS_ALL,
	.params = params,
	.param_count = FP_COUNT_OF(params),
	.config_size = sizeof(median_config),
	.init = median_init,
	.process = median_process,
	.fini = median_fini,
};
