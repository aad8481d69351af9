/* kit/resample_rows.c — the resampler's passes over the rows, once the
 * tap tables are planned (resample.c): input rows to floats, the vertical
 * pass into a column row, the horizontal pass, the unsharp mask and the
 * conversion back. Every loop here is compiled twice, for the baseline
 * and for AVX2 (kit/simd.c), from the same code: the same floats in the
 * same order both ways. GCC's vector extension (fv4u, fv8u) writes the
 * loops the vectoriser would not find by itself (taps kept in registers,
 * clamps as masks). */
#include "kit.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* FP_KIT_RUNS=0 (a test's switch): no runs, no row groups. */
static bool getenv_groups(void)
{
	const char *v = getenv("FP_KIT_RUNS");
	return !(v != NULL && strcmp(v, "0") == 0);
}

/* load_row for 16-bit samples: alpha/65535. */
FP_KIT_INLINE void load_row16(const fp_frame *in, uint32_t y, unsigned ch,
			      float *dst)
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
FP_KIT_INLINE void load_row(const fp_frame *in, uint32_t y, unsigned ch,
			    float *dst)
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

FP_KIT_INLINE void hpass(const fp__kit_axis *a, const float *src, float *dst,
			 uint32_t out_w, unsigned ch)
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

FP_KIT_INLINE void hpass_any(const fp__kit_axis *a, const float *src,
			     float *dst, uint32_t out_w, unsigned ch)
{
	switch (ch) {
	case 1: hpass(a, src, dst, out_w, 1); break;
	case 2: hpass(a, src, dst, out_w, 2); break;
	case 3: hpass(a, src, dst, out_w, 3); break;
	default: hpass(a, src, dst, out_w, 4); break;
	}
}

/* Vectors of floats: GCC's vector extension, element-wise IEEE
 * operations like the scalar ones; the "u" types are the same at any
 * float's address (unaligned loads and stores). */
typedef float fv4u __attribute__((vector_size(16), aligned(4), may_alias));
typedef float fv8u __attribute__((vector_size(32), aligned(4), may_alias));

/* dst[i] = w[0] src[0][i] + w[1] src[1][i] + ... + w[n-1] src[n-1][i],
 * summed in that order (the order of the plain loops: the same floats),
 * 8 vectors of V at a time in registers (8 accumulators hide the adds'
 * latency). */
#define TAPS_BODY(V, L)                                                      \
	size_t i = 0;                                                        \
	for (; i + 8 * (L) <= len; i += 8 * (L)) {                           \
		V a[8];                                                      \
		const V *s0 = (const V *)(const void *)(src[0] + i);         \
		for (unsigned k = 0; k < 8; k++)                             \
			a[k] = w[0] * s0[k];                                 \
		for (int32_t t = 1; t < n; t++) {                            \
			const V *st = (const V *)(const void *)(src[t] + i); \
			float wt = w[t];                                     \
			for (unsigned k = 0; k < 8; k++)                     \
				a[k] += wt * st[k];                          \
		}                                                            \
		V *d = (V *)(void *)(dst + i);                               \
		for (unsigned k = 0; k < 8; k++)                             \
			d[k] = a[k];                                         \
	}                                                                    \
	for (; i < len; i++) {                                               \
		float acc = w[0] * src[0][i];                                \
		for (int32_t t = 1; t < n; t++)                              \
			acc += w[t] * src[t][i];                             \
		dst[i] = acc;                                                \
	}

FP_KIT_INLINE void taps_body(const float *const *src, const float *w, int32_t n,
			     float *restrict dst, size_t len, unsigned lanes)
{
	if (lanes == 8) {
		TAPS_BODY(fv8u, 8)
	} else {
		TAPS_BODY(fv4u, 4)
	}
}

typedef int32_t iv4u __attribute__((vector_size(16), aligned(4), may_alias));
typedef int32_t iv8u __attribute__((vector_size(32), aligned(4), may_alias));

/* to_u8/to_u16 (below) on L floats at a time: clamp to 0..max by masks,
 * add 0.5, truncate; the same integers as the scalar code. The integers
 * go back over vals (as int32_t), then a plain narrowing loop, which the
 * compiler vectorises well, stores them. */
typedef int32_t i32a __attribute__((may_alias));
#define STORE_BODY(V, IV, L, T, MAX)                           \
	size_t i = 0;                                          \
	for (; i + (L) <= n; i += (L)) {                       \
		V v = *(const V *)(const void *)(vals + i);    \
		IV pos = v > 0.0f;                             \
		V c = (V)((IV)v & pos);                        \
		IV low = c < (MAX);                            \
		V top = (V)((IV)(c - c + (MAX)) & ~low);       \
		c = (V)(((IV)c & low) | (IV)top);              \
		*(IV *)(void *)(vals + i) =                    \
			__builtin_convertvector(c + 0.5f, IV); \
	}                                                      \
	size_t vec = i;                                        \
	for (; i < n; i++)                                     \
		dst[i] = to_##T(vals[i]);                      \
	const i32a *q = (const i32a *)(const void *)vals;      \
	for (size_t j = 0; j < vec; j++)                       \
		dst[j] = (T##_t)q[j];

/* The unsharp mask on L floats at a time (see unsharp()). */
#define UNSHARP_BODY(V, IV, L)                                                \
	size_t i = 0;                                                         \
	for (; i + (L) <= n; i += (L)) {                                      \
		V o = *(const V *)(const void *)(orig + i);                   \
		V d = o - *(const V *)(const void *)(vals + i);               \
		V ad = (V)((IV)d & 0x7fffffff);                               \
		IV m = ad >= level;                                           \
		V sharp = o + amount * d;                                     \
		*(V *)(void *)(vals + i) =                                    \
			(V)(((IV)sharp & m) | ((IV)o & ~m));                  \
	}                                                                     \
	for (; i < n; i++) {                                                  \
		float d = orig[i] - vals[i];                                  \
		vals[i] = fabsf(d) >= level ? orig[i] + amount * d : orig[i]; \
	}

/* FP_KIT_GROUP outputs of the vertical run at once: output j sums taps
 * w[0..n-1] over source rows src[j step ..]; each source vector is loaded
 * once for every output. wz is w with (FP_KIT_GROUP - 1) step zeros on
 * both sides, so every output runs over all the group's rows: the zero
 * products add +0, which leaves every sum as the plain loop's (the
 * samples are finite; only a zero's sign could differ, and no output
 * sees it). dst holds the outputs one after the other, len floats each. */
#define GROUP_BODY(V, L)                                                    \
	enum { G = FP_KIT_GROUP };                                          \
	size_t pad = (G - 1) * step, span = pad + (size_t)n, i = 0;         \
	for (; i + (L) <= len; i += (L)) {                                  \
		V a[G];                                                     \
		memset(a, 0, sizeof a);                                     \
		for (size_t q = 0; q < span; q++) {                         \
			V s0 = *(const V *)(const void *)(src[q] + i);      \
			for (unsigned j = 0; j < G; j++)                    \
				a[j] += wz[pad + q - j * step] * s0;        \
		}                                                           \
		for (unsigned j = 0; j < G; j++)                            \
			*(V *)(void *)(dst + j * len + i) = a[j];           \
	}                                                                   \
	for (unsigned j = 0; j < G; j++)                                    \
		for (size_t k = i; k < len; k++) {                          \
			const float *w = wz + pad;                          \
			float acc = w[0] * src[j * step][k];                \
			for (int32_t t = 1; t < n; t++)                     \
				acc += w[t] * src[j * step + (size_t)t][k]; \
			dst[j * len + k] = acc;                             \
		}

FP_KIT_INLINE void group_body(const float *const *src, const float *wz,
			      int32_t n, size_t step, float *restrict dst,
			      size_t len, unsigned lanes)
{
	if (lanes == 8) {
		GROUP_BODY(fv8u, 8)
	} else {
		GROUP_BODY(fv4u, 4)
	}
}

/* The horizontal pass over the axis's run of equal taps (outputs run_lo
 * to run_hi - 1): with the column's pixels split by index mod step, tap t
 * of consecutive outputs reads consecutive pixels of one phase. */
FP_KIT_INLINE void hpass_run(fp__kit_resampler *r, const float *col, float *dst,
			     size_t in_w, unsigned ch, unsigned lanes)
{
	const fp__kit_axis *a = &r->h;
	size_t step = (size_t)a->run_step;
	size_t per = (in_w + step - 1) / step; /* pixels of a phase */
	const float *phase = col;
	if (step > 1) {
		float *p = r->phase;
		for (size_t f = 0; f < step; f++)
			for (size_t x = f, m = 0; x < in_w; x += step, m++)
				for (unsigned c = 0; c < ch; c++)
					p[(f * per + m) * ch + c] =
						col[x * ch + c];
		phase = p;
	}
	int32_t n = a->count[a->run_lo];
	size_t q0 = (size_t)a->start[a->run_lo];
	for (int32_t t = 0; t < n; t++) {
		size_t q = q0 + (size_t)t;
		r->taps[t] = phase + ((q % step) * per + q / step) * ch;
	}
	taps_body(r->taps, a->weights + (size_t)a->run_lo * a->max_taps, n,
		  dst + (size_t)a->run_lo * ch,
		  (size_t)(a->run_hi - a->run_lo) * ch, lanes);
}

/* Round and clamp: v <= 0 gives 0, v >= 255 gives 255, others v + 0.5
 * truncated; written as clamp-then-round so that it vectorises. */
FP_KIT_INLINE uint8_t to_uint8(float v)
{
	float c = v < 0.0f ? 0.0f : v;
	c = c > 255.0f ? 255.0f : c;
	return (uint8_t)(int32_t)(c + 0.5f);
}

FP_KIT_INLINE uint16_t to_uint16(float v)
{
	float c = v < 0.0f ? 0.0f : v;
	c = c > 65535.0f ? 65535.0f : c;
	return (uint16_t)(int32_t)(c + 0.5f);
}

/* The unsharp mask on vals, from orig, for 16-bit rows (level is in the
 * samples' scale); store_row keeps its own copy of the loop for 8 bits. */
FP_KIT_INLINE void unsharp(const fp__kit_resampler *r, float *vals,
			   const float *orig, size_t n, unsigned ch, bool alpha,
			   float level, unsigned lanes)
{
	float amount = r->amount;
	if (lanes == 8) {
		UNSHARP_BODY(fv8u, iv8u, 8)
	} else {
		UNSHARP_BODY(fv4u, iv4u, 4)
	}
	if (alpha) /* the mask sharpens colour, never alpha */
		for (size_t i = ch - 1; i < n; i += ch)
			vals[i] = orig[i];
}

FP_KIT_INLINE void store_u8(const float *vals, uint8_t *dst, size_t n,
			    unsigned lanes)
{
	if (lanes == 8) {
		STORE_BODY(fv8u, iv8u, 8, uint8, 255.0f)
	} else {
		STORE_BODY(fv4u, iv4u, 4, uint8, 255.0f)
	}
}

FP_KIT_INLINE void store_u16(const float *vals, uint16_t *dst, size_t n,
			     unsigned lanes)
{
	if (lanes == 8) {
		STORE_BODY(fv8u, iv8u, 8, uint16, 65535.0f)
	} else {
		STORE_BODY(fv4u, iv4u, 4, uint16, 65535.0f)
	}
}

/* store_row for 16-bit samples. */
FP_KIT_INLINE void store_row16(const fp__kit_resampler *r, float *vals,
			       const float *orig, uint16_t *dst, uint32_t w,
			       unsigned ch, bool alpha, unsigned lanes)
{
	size_t n = (size_t)w * ch;
	if (orig != NULL) /* the threshold is in 8-bit units */
		unsharp(r, vals, orig, n, ch, alpha, r->level * 257.0f, lanes);
	if (!alpha) {
		store_u16(vals, dst, n, lanes);
		return;
	}
	for (size_t i = 0; i < n; i += ch) {
		float a = vals[i + ch - 1];
		uint16_t a16 = to_uint16(a);
		float f = a16 == 0 ? 0.0f : 65535.0f / a;
		for (unsigned c = 0; c + 1 < ch; c++)
			dst[i + c] = to_uint16(vals[i + c] * f);
		dst[i + ch - 1] = a16;
	}
}

/* One output row: vals (premultiplied) to bytes; orig is the same row of
 * the input (premultiplied) for the unsharp mask, else NULL. */
FP_KIT_INLINE void store_row(const fp__kit_resampler *r, float *vals,
			     const float *orig, uint8_t *dst, uint32_t w,
			     unsigned ch, bool alpha, unsigned lanes)
{
	size_t n = (size_t)w * ch;
	if (orig != NULL)
		unsharp(r, vals, orig, n, ch, alpha, r->level, lanes);
	if (!alpha) {
		store_u8(vals, dst, n, lanes);
		return;
	}
	for (size_t i = 0; i < n; i += ch) {
		float a = vals[i + ch - 1];
		uint8_t a8 = to_uint8(a);
		float f = a8 == 0 ? 0.0f : 255.0f / a;
		for (unsigned c = 0; c + 1 < ch; c++)
			dst[i + c] = to_uint8(vals[i + c] * f);
		dst[i + ch - 1] = a8;
	}
}

/* The horizontal pass: the run of equal taps as one loop per tap, the
 * outputs either side of it (or all, without a run) one by one. */
FP_KIT_INLINE void hpass_row(fp__kit_resampler *r, const float *col, float *dst,
			     uint32_t in_w, uint32_t out_w, unsigned ch,
			     unsigned lanes)
{
	const fp__kit_axis *a = &r->h;
	if (a->run_hi - a->run_lo < 8) {
		hpass_any(a, col, dst, out_w, ch);
		return;
	}
	fp__kit_axis left = *a, right = *a;
	hpass_any(&left, col, dst, a->run_lo, ch);
	hpass_run(r, col, dst, in_w, ch, lanes);
	right.start += a->run_hi;
	right.count += a->run_hi;
	right.weights += (size_t)a->run_hi * a->max_taps;
	hpass_any(&right, col, dst + (size_t)a->run_hi * ch, out_w - a->run_hi,
		  ch);
}

/* Every output row; compiled for the baseline and for AVX2. */
/* Output row y from its vertically resampled row col: the horizontal
 * pass, the unsharp mask, the conversion. */
FP_KIT_INLINE void finish_row(fp__kit_resampler *r, const fp_frame *in,
			      fp_frame *out, uint32_t y, const float *col,
			      unsigned ch, bool alpha, unsigned lanes)
{
	size_t rf = r->row_floats;
	hpass_row(r, col, r->out_row, in->width, out->width, ch, lanes);
	const float *orig = r->mode == FP_KIT_UNSHARP
				    ? r->ring + (size_t)(y % r->ring_rows) * rf
				    : NULL;
	if (fp__kit_is16(out->format))
		store_row16(r, r->out_row, orig, fp__kit_row16(out, y),
			    out->width, ch, alpha, lanes);
	else
		store_row(r, r->out_row, orig,
			  out->pixels + (size_t)y * out->stride, out->width, ch,
			  alpha, lanes);
}

/* Whether rows y .. y + FP_KIT_GROUP - 1 lie in the vertical run. */
static bool group_at(const fp__kit_axis *v, uint32_t y)
{
	return v->run_hi - v->run_lo >= FP_KIT_GROUP && y >= v->run_lo &&
	       y + FP_KIT_GROUP <= v->run_hi;
}

/* Every output row; compiled for the baseline and for AVX2. */
FP_KIT_INLINE void resample_rows(fp__kit_resampler *r, const fp_frame *in,
				 fp_frame *out, unsigned ch, bool alpha,
				 unsigned lanes)
{
	size_t rf = r->row_floats, ring = r->ring_rows;
	int64_t loaded = 0;
	bool groups = getenv_groups();
	for (uint32_t y = 0; y < out->height;) {
		bool group = groups && group_at(&r->v, y);
		unsigned rows = group ? FP_KIT_GROUP : 1;
		size_t step = group ? (size_t)r->v.run_step : 0;
		int32_t start = r->v.start[y], n = r->v.count[y];
		int64_t span = (int64_t)(rows - 1) * (int64_t)step + n;
		for (; loaded < start + span; loaded++)
			load_row(in, (uint32_t)loaded, ch,
				 r->ring +
					 (size_t)(loaded % (int64_t)ring) * rf);
		for (int64_t t = 0; t < span; t++)
			r->taps[t] = r->ring +
				     (size_t)((start + t) % (int64_t)ring) * rf;
		const float *w = r->v.weights + (size_t)y * r->v.max_taps;
		if (group) {
			size_t pad = (FP_KIT_GROUP - 1) * step;
			memset(r->wz, 0, (2 * pad + (size_t)n) * sizeof *r->wz);
			memcpy(r->wz + pad, w, (size_t)n * sizeof *w);
			group_body(r->taps, r->wz, n, step, r->column, rf,
				   lanes);
		} else
			taps_body(r->taps, w, n, r->column, rf, lanes);
		for (unsigned j = 0; j < rows; j++)
			finish_row(r, in, out, y + j, r->column + j * rf, ch,
				   alpha, lanes);
		y += rows;
	}
}

static void rows_generic(fp__kit_resampler *r, const fp_frame *in,
			 fp_frame *out, unsigned ch, bool alpha)
{
	resample_rows(r, in, out, ch, alpha, 4);
}

FP_KIT_AVX2 static void rows_avx2(fp__kit_resampler *r, const fp_frame *in,
				  fp_frame *out, unsigned ch, bool alpha)
{
	resample_rows(r, in, out, ch, alpha, 8);
}

void fp__kit_resample_rows(fp__kit_resampler *r, const fp_frame *in,
			   fp_frame *out, unsigned ch, bool alpha)
{
	if (fp__kit_avx2())
		rows_avx2(r, in, out, ch, alpha);
	else
		rows_generic(r, in, out, ch, alpha);
}
