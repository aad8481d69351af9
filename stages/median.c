/* median — each colour sample becomes the median of its (2 radius + 1)^2
 * neighbourhood (radius 1 to 3), edges clamped; alpha kept. Removes salt
 * and pepper noise while keeping edges. Huang's sliding histogram: per
 * row and channel, moving one pixel right removes one column and adds
 * one, and the median moves by a few bins. In place over a ring of
 * edge-padded rows. 16-bit samples (65536 bins would not slide cheaply):
 * the median of the at most 49 values by selection, per sample. Radius 1
 * at either depth: a min/max network over the 3x3 values instead, every
 * sample of a row at once (vectorised; AVX2 where the CPU has it). */
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

/* Median of 3x3 by the classic network: sort each column of three, then
 * the median is the median of (largest low, median of the middles,
 * smallest high). Exact, so the same values as the histogram. rK point at
 * pixel -1 of the rows above, at and below; sample j of the output reads
 * rK[j], rK[j + ch], rK[j + 2 ch]. */
#define MEDIAN3_BODY(T)                                                 \
	for (size_t j = 0; j < n; j++) {                                \
		T lo[3], mid[3], hi[3];                                 \
		for (unsigned i = 0; i < 3; i++) {                      \
			T a = r0[j + i * ch], b = r1[j + i * ch],       \
			  c = r2[j + i * ch];                           \
			T l = MIN_(a, b), h = MAX_(a, b);               \
			lo[i] = MIN_(l, c);                             \
			T m = MAX_(l, c);                               \
			mid[i] = MIN_(h, m);                            \
			hi[i] = MAX_(h, m);                             \
		}                                                       \
		T a = MAX_(MAX_(lo[0], lo[1]), lo[2]);                  \
		T c = MIN_(MIN_(hi[0], hi[1]), hi[2]);                  \
		T ml = MIN_(mid[0], mid[1]), mh = MAX_(mid[0], mid[1]); \
		T b = MAX_(ml, MIN_(mh, mid[2]));                       \
		T l = MIN_(a, b), h = MAX_(a, b);                       \
		dst[j] = MAX_(l, MIN_(h, c));                           \
	}
#define MIN_(a, b) ((a) < (b) ? (a) : (b))
#define MAX_(a, b) ((a) < (b) ? (b) : (a))

FP_KIT_INLINE void
median3_body(const uint8_t *restrict r0, const uint8_t *restrict r1,
	     const uint8_t *restrict r2, uint8_t *restrict dst, size_t n,
	     size_t ch){MEDIAN3_BODY(uint8_t)}

FP_KIT_INLINE void median3_body16(const uint16_t *restrict r0,
				  const uint16_t *restrict r1,
				  const uint16_t *restrict r2,
				  uint16_t *restrict dst, size_t n, size_t ch)
{
	MEDIAN3_BODY(uint16_t)
}

static void median3_generic(const uint8_t **rows, uint8_t *dst, size_t n,
			    size_t ch, bool wide)
{
	if (wide)
		median3_body16((const uint16_t *)(const void *)rows[0],
			       (const uint16_t *)(const void *)rows[1],
			       (const uint16_t *)(const void *)rows[2],
			       (uint16_t *)(void *)dst, n, ch);
	else
		median3_body(rows[0], rows[1], rows[2], dst, n, ch);
}

FP_KIT_AVX2 static void median3_avx2(const uint8_t **rows, uint8_t *dst,
				     size_t n, size_t ch, bool wide)
{
	if (wide)
		median3_body16((const uint16_t *)(const void *)rows[0],
			       (const uint16_t *)(const void *)rows[1],
			       (const uint16_t *)(const void *)rows[2],
			       (uint16_t *)(void *)dst, n, ch);
	else
		median3_body(rows[0], rows[1], rows[2], dst, n, ch);
}

/* Radius 1, any depth, in place: colour and alpha samples through the
 * network, then alpha put back from the window's copy of the row. */
static int median3_frame(median_state *s, fp_frame *in, unsigned ch,
			 unsigned colours)
{
	unsigned bytes = fp__kit_is16(in->format) ? 2 : 1;
	if (fp__kit_window_begin(&s->window, in, 1, ch * bytes) != 0)
		return fp_frame_fail(in, -ENOMEM, "out of memory");
	void (*row)(const uint8_t **, uint8_t *, size_t, size_t, bool) =
		fp__kit_avx2() ? median3_avx2 : median3_generic;
	const uint8_t *rows[3];
	size_t n = (size_t)in->width * ch;
	for (uint32_t y = 0; y < in->height; y++) {
		fp__kit_window_rows(&s->window, y, rows);
		uint8_t *dst = in->pixels + (size_t)y * in->stride;
		row(rows, dst, n, ch, bytes == 2);
		if (colours == ch)
			continue;
		const uint8_t *mid = rows[1] + (size_t)ch * bytes;
		for (size_t j = colours * bytes; j < n * bytes;
		     j += (size_t)ch * bytes)
			memcpy(dst + j, mid + j, bytes);
	}
	return 0;
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
		return fp_frame_fail(in, -ENOMEM, "out of memory");
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
	if (s->config->radius == 1)
		return median3_frame(s, in, ch, colours);
	if (fp__kit_is16(in->format))
		return median_frame16(s, in, ch, colours);
	if (fp__kit_window_begin(&s->window, in, (unsigned)s->config->radius,
				 ch) != 0)
		return fp_frame_fail(in, -ENOMEM, "out of memory");
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
