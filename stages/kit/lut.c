/* kit/lut.c — the lookup-table stages (invert, brightness_contrast,
 * gamma, levels; threshold on gray): one table per depth over the colour
 * samples, alpha kept.
 *
 * At 8 bits without alpha, two faster ways give the table's bytes:
 * - a table that is a straight line (invert, brightness_contrast, levels)
 *   is found when it is filled and applied as fixed-point arithmetic,
 *   clamp((a v + b) >> 16), checked against the table for all 256 values
 *   first (else not used); a loop the compiler vectorises;
 * - any other table (gamma, threshold) with AVX2 by 16 shuffles of 16
 *   entries each, selected by the high nibble (vpshufb), 32 samples at a
 *   time.
 * The plain table loop stays for the rest, and for FP_SIMD=generic.
 *
 * The negative (invert) at any depth and format is v ^ 0xff.. on the
 * colour bytes: one pass with a mask that leaves alpha alone, at memory
 * speed (the line's arithmetic widens each byte to 32 bits). */
#include "kit.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#if FP_KIT_HAVE_AVX2
#include <immintrin.h>
#endif

/* clamp((a v + b) >> 16) on n samples in place: the straight-line table. */
FP_KIT_INLINE void line_body(uint8_t *restrict p, size_t n, int32_t a,
			     int32_t b)
{
	for (size_t i = 0; i < n; i++) {
		int32_t t = (a * p[i] + b) >> 16;
		t = t < 0 ? 0 : t;
		p[i] = (uint8_t)(t > 255 ? 255 : t);
	}
}

static void line_generic(uint8_t *p, size_t n, int32_t a, int32_t b)
{
	line_body(p, n, a, b);
}

FP_KIT_AVX2 static void line_avx2(uint8_t *p, size_t n, int32_t a, int32_t b)
{
	line_body(p, n, a, b);
}

/* The negative's mask covers a whole number of pixels of every format
 * (1, 2, 3, 4, 6 or 8 bytes): 96 = 4 x 24, three 32-byte vectors. */
enum { NEGATIVE_SPAN = 96 };

FP_KIT_INLINE void negative_body(uint8_t *restrict p, size_t n,
				 const uint8_t *restrict mask)
{
	size_t i = 0;
	for (; i + NEGATIVE_SPAN <= n; i += NEGATIVE_SPAN)
		for (size_t j = 0; j < NEGATIVE_SPAN; j++)
			p[i + j] ^= mask[j];
	for (size_t j = 0; i + j < n; j++)
		p[i + j] ^= mask[j];
}

static void negative_generic(uint8_t *p, size_t n, const uint8_t *mask)
{
	negative_body(p, n, mask);
}

FP_KIT_AVX2 static void negative_avx2(uint8_t *p, size_t n, const uint8_t *mask)
{
	negative_body(p, n, mask);
}

/* Every colour byte of f flipped, alpha kept: 255 - v and 65535 - v. */
static void apply_negative(fp_frame *f)
{
	size_t sample = fp_format_sample_bytes(f->format);
	size_t pixel = fp_format_pixel_bytes(f->format);
	bool alpha = fp__kit_has_alpha(f->format);
	uint8_t mask[NEGATIVE_SPAN];
	for (size_t j = 0; j < NEGATIVE_SPAN; j++)
		mask[j] = alpha && j % pixel >= pixel - sample ? 0x00 : 0xff;
	bool avx2 = fp__kit_avx2();
	size_t n = (size_t)f->width * pixel;
	for (uint32_t y = 0; y < f->height; y++) {
		uint8_t *row = f->pixels + (size_t)y * f->stride;
		if (avx2)
			negative_avx2(row, n, mask);
		else
			negative_generic(row, n, mask);
	}
}

#if FP_KIT_HAVE_AVX2
/* lut on n samples in place, 32 at a time: the table as 16 rows of 16
 * (both 128-bit lanes of t[k] hold entries 16k .. 16k + 15); each row is
 * looked up by the low nibble and kept where the high nibble is k. */
FP_KIT_AVX2 static void shuffle_avx2(uint8_t *p, size_t n,
				     const uint8_t lut[256])
{
	__m256i t[16];
	for (int k = 0; k < 16; k++)
		t[k] = _mm256_broadcastsi128_si256(
			_mm_loadu_si128((const __m128i *)(lut + 16 * k)));
	const __m256i nibble = _mm256_set1_epi8(0x0f);
	size_t i = 0;
	for (; i + 32 <= n; i += 32) {
		__m256i x = _mm256_loadu_si256((const __m256i *)(p + i));
		__m256i lo = _mm256_and_si256(x, nibble);
		__m256i hi = _mm256_and_si256(_mm256_srli_epi16(x, 4), nibble);
		__m256i r = _mm256_shuffle_epi8(t[0], lo);
		for (int k = 1; k < 16; k++) {
			__m256i m = _mm256_cmpeq_epi8(
				hi, _mm256_set1_epi8((char)k));
			r = _mm256_blendv_epi8(r, _mm256_shuffle_epi8(t[k], lo),
					       m);
		}
		_mm256_storeu_si256((__m256i *)(p + i), r);
	}
	for (; i < n; i++)
		p[i] = lut[p[i]];
}
#endif

static void apply_lut(const fp__kit_lut_stage *s, fp_frame *f)
{
	const uint8_t *lut = s->lut;
	unsigned channels = fp_format_channels(f->format);
	/* The alpha sample is the last one of a pixel. */
	unsigned colours =
		fp__kit_has_alpha(f->format) ? channels - 1 : channels;
	bool avx2 = fp__kit_avx2();
	for (uint32_t y = 0; y < f->height; y++) {
		uint8_t *row = f->pixels + (size_t)y * f->stride;
		if (colours == channels) {
			size_t n = (size_t)f->width * channels;
			if (s->line && avx2)
				line_avx2(row, n, s->line_a, s->line_b);
			else if (s->line)
				line_generic(row, n, s->line_a, s->line_b);
#if FP_KIT_HAVE_AVX2
			else if (avx2)
				shuffle_avx2(row, n, lut);
#endif
			else
				for (size_t i = 0; i < n; i++)
					row[i] = lut[row[i]];
			continue;
		}
		for (uint32_t x = 0; x < f->width; x++, row += channels)
			for (unsigned c = 0; c < colours; c++)
				row[c] = lut[row[c]];
	}
}

static void apply_lut16(fp_frame *f, const uint16_t lut[65536])
{
	unsigned channels = fp_format_channels(f->format);
	unsigned colours =
		fp__kit_has_alpha(f->format) ? channels - 1 : channels;
	for (uint32_t y = 0; y < f->height; y++) {
		uint16_t *row = fp__kit_row16(f, y);
		if (colours == channels) {
			size_t n = (size_t)f->width * channels;
			for (size_t i = 0; i < n; i++)
				row[i] = lut[row[i]];
			continue;
		}
		for (uint32_t x = 0; x < f->width; x++, row += channels)
			for (unsigned c = 0; c < colours; c++)
				row[c] = lut[row[c]];
	}
}

/* Whether lut is clamp((a v + b) >> 16) with a and b from the line through
 * the curve at v0 and v1; the sums must fit 32 bits. */
static bool line_through(fp__kit_lut_stage *s, fp__kit_curve curve,
			 const void *ctx, double v0, double v1)
{
	double c0 = curve(ctx, v0), c1 = curve(ctx, v1);
	double a = (c1 - c0) / (v1 - v0) * 65536;
	double b = (c0 - a / 65536 * v0 + 0.5) * 65536;
	if (!(fabs(a) < 1 << 22 && fabs(b) < 1 << 29))
		return false;
	int32_t ia = (int32_t)lround(a), ib = (int32_t)lround(b);
	for (int32_t v = 0; v < 256; v++) {
		int32_t t = (ia * v + ib) >> 16;
		t = t < 0 ? 0 : t > 255 ? 255 : t;
		if (t != s->lut[v])
			return false;
	}
	s->line_a = ia;
	s->line_b = ib;
	return true;
}

/* Sets s->line: the ends first, then inner points (a curve that clamps
 * itself, as levels does). */
static void find_line(fp__kit_lut_stage *s, fp__kit_curve curve,
		      const void *ctx)
{
	s->line = line_through(s, curve, ctx, 0, 255) ||
		  line_through(s, curve, ctx, 64, 192) ||
		  line_through(s, curve, ctx, 112, 144);
}

void fp__kit_lut_fill(fp__kit_lut_stage *s, fp__kit_curve curve,
		      const void *ctx)
{
	for (unsigned v = 0; v < 256; v++)
		s->lut[v] = fp__kit_clamp_u8(curve(ctx, (double)v));
	for (unsigned v = 0; v < 65536; v++)
		s->lut16[v] = fp__kit_clamp_u16(257.0 * curve(ctx, v / 257.0));
	find_line(s, curve, ctx);
	s->negative = true;
	for (unsigned v = 0; v < 256; v++)
		s->negative = s->negative && s->lut[v] == 255 - v;
	for (unsigned v = 0; v < 65536; v++)
		s->negative = s->negative && s->lut16[v] == 65535 - v;
	const char *v = getenv("FP_KIT_LINES");
	if (v != NULL && strcmp(v, "0") == 0) /* a test's switch */
		s->line = s->negative = false;
}

int fp__kit_lut_new(void **state, const char *stage, char *err, size_t err_size)
{
	fp__kit_lut_stage *s = calloc(1, sizeof *s);
	if (s == NULL) {
		snprintf(err, err_size, "out of memory");
		return -ENOMEM;
	}
	s->stage = stage;
	*state = s;
	return 0;
}

int fp__kit_lut_process(void *state, fp_frame *in, fp_frame *out)
{
	(void)out;
	const fp__kit_lut_stage *s = state;
	if (s->negative)
		apply_negative(in);
	else if (fp__kit_is16(in->format))
		apply_lut16(in, s->lut16);
	else
		apply_lut(s, in);
	return 0;
}
