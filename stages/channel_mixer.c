/* channel_mixer — a 3x3 colour matrix: each output colour sample is a
 * weighted sum of the pixel's R, G and B,
 *   R' = m0 R + m1 G + m2 B,  G' = m3 R + m4 G + m5 B,  B' = m6 R + ...
 * rounded and clamped; alpha kept. `preset = sepia` uses the classic
 * sepia tone matrix instead of `matrix`. In place. RGB and RGBA, 8 or 16
 * bits: a gray frame has no colour to mix (the formats say so, and the
 * core refuses it before the run). */
#include <framepipe/stage.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "kit.h"

#if FP_KIT_HAVE_AVX2
#include <immintrin.h>
#endif

#define FIX 12 /* fixed-point fraction bits of the coefficients */

typedef struct mixer_config {
	int preset;
	const char *matrix;
} mixer_config;

typedef struct mixer_state {
	int32_t m[9];
} mixer_state;

static const fp_param params[] = {
	FP_PARAM_CHOICE_(mixer_config, preset, "custom", "custom|sepia",
			 "custom: use matrix; sepia: the classic sepia tone"),
	FP_PARAM_STRING_(mixer_config, matrix, "1 0 0 0 1 0 0 0 1",
			 "9 numbers, row by row: R' G' B' from R G B"),
};

static const double sepia[9] = {0.393, 0.769, 0.189, 0.349, 0.686,
				0.168, 0.272, 0.534, 0.131};

/* The matrix the parameters give, in m; 0 or FP_EPARAM with err. */
static int parse_matrix(const mixer_config *c, double m[9], char *err,
			size_t err_size)
{
	size_t n = 9;
	if (c->preset == 1) {
		for (size_t i = 0; i < 9; i++)
			m[i] = sepia[i];
	} else {
		int rc = fp__kit_parse_numbers(c->matrix, m, 9, &n, "matrix",
					       err, err_size);
		if (rc != 0)
			return rc;
	}
	if (n != 9) {
		snprintf(err, err_size, "matrix: expected 9 numbers, got %zu",
			 n);
		return FP_EPARAM;
	}
	for (size_t i = 0; i < 9; i++)
		if (!(fabs(m[i]) <= 64)) {
			snprintf(err, err_size,
				 "matrix: coefficient %g is outside -64..64",
				 m[i]);
			return FP_EPARAM;
		}
	return 0;
}

static int mixer_check(const void *config, char *err, size_t err_size)
{
	double m[9];
	return parse_matrix(config, m, err, err_size);
}

static int mixer_init(void **state, const void *config, const fp_stage_env *env,
		      char *err, size_t err_size)
{
	(void)env;
	double m[9];
	int rc = parse_matrix(config, m, err, err_size);
	if (rc != 0)
		return rc;
	mixer_state *s = malloc(sizeof *s);
	if (s == NULL) {
		snprintf(err, err_size, "out of memory");
		return -ENOMEM;
	}
	for (size_t i = 0; i < 9; i++)
		s->m[i] = (int32_t)lround(m[i] * (1 << FIX));
	*state = s;
	return 0;
}

FP_KIT_INLINE uint8_t mix(const int32_t *row, int32_t r, int32_t g, int32_t b)
{
	int32_t v = row[0] * r + row[1] * g + row[2] * b + (1 << (FIX - 1));
	return v <= 0 ? 0 : v >= 255 << FIX ? 255 : (uint8_t)(v >> FIX);
}

/* The same at 16 bits: the sums need 64 bits (64 x 4096 x 65535 x 3). */
static uint16_t mix16(const int32_t *row, int64_t r, int64_t g, int64_t b)
{
	int64_t v = row[0] * r + row[1] * g + row[2] * b + (1 << (FIX - 1));
	return v <= 0 ? 0 : v >= 65535LL << FIX ? 65535 : (uint16_t)(v >> FIX);
}

#define MIXER_FORMATS                                                     \
	(FP_FORMAT_BIT(FP_FORMAT_RGB8) | FP_FORMAT_BIT(FP_FORMAT_RGBA8) | \
	 FP_FORMAT_BIT(FP_FORMAT_RGB16) | FP_FORMAT_BIT(FP_FORMAT_RGBA16))

/* n pixels of ch channels (3 or 4; alpha copied) from src to dst. */
FP_KIT_INLINE void mix_body(const uint8_t *restrict src, uint8_t *restrict dst,
			    size_t n, unsigned ch, const int32_t *m)
{
	for (size_t x = 0; x < n; x++) {
		const uint8_t *p = src + x * ch;
		uint8_t *q = dst + x * ch;
		int32_t r = p[0], g = p[1], b = p[2];
		q[0] = mix(m, r, g, b);
		q[1] = mix(m + 3, r, g, b);
		q[2] = mix(m + 6, r, g, b);
		if (ch == 4)
			q[3] = p[3];
	}
}

/* In place in chunks through a buffer, so the loop can vectorise. */
FP_KIT_INLINE void mix_frame(fp_frame *in, unsigned ch, const int32_t *m)
{
	enum { CHUNK = 256 };
	uint8_t buf[CHUNK * 4];
	for (uint32_t y = 0; y < in->height; y++) {
		uint8_t *row = in->pixels + (size_t)y * in->stride;
		for (uint32_t x = 0; x < in->width; x += CHUNK) {
			size_t n =
				in->width - x < CHUNK ? in->width - x : CHUNK;
			uint8_t *p = row + (size_t)x * ch;
			if (ch == 3)
				mix_body(p, buf, n, 3, m);
			else
				mix_body(p, buf, n, 4, m);
			memcpy(p, buf, n * ch);
		}
	}
}

static void mix_generic(fp_frame *in, unsigned ch, const int32_t *m)
{
	mix_frame(in, ch, m);
}

#if FP_KIT_HAVE_AVX2
/* Whether every coefficient (and the rounding term) fits a 16-bit lane,
 * so that _mm256_madd_epi16 forms mix()'s sums exactly: pairs of 16-bit
 * products added in 32 bits, as mix() adds them (|m| < 8, which every
 * preset and most matrices are; larger ones take the loop above). */
static bool fits_madd(const int32_t *m)
{
	for (size_t i = 0; i < 9; i++)
		if (m[i] < INT16_MIN || m[i] > INT16_MAX)
			return false;
	return true;
}

/* One output channel of 8 pixels: (r g) and (b 1) word pairs times the
 * row's (m0 m1) and (m2 round), added, then mix()'s clamp: an arithmetic
 * shift, then saturation to 0..255 by the packs that follow. */
FP_KIT_AVX2 static inline __m256i mix8(__m256i rg, __m256i b1, __m256i c01,
				       __m256i c2r)
{
	__m256i v = _mm256_add_epi32(_mm256_madd_epi16(rg, c01),
				     _mm256_madd_epi16(b1, c2r));
	return _mm256_srai_epi32(v, FIX);
}

/* pshufb masks, per 128-bit lane of 4 pixels: the (r g) and (b 1) words
 * of each pixel (-1 makes a zero byte; the 1s are or'ed in), and the
 * packed R0-3 G0-3 B0-3 bytes back to pixel order. */
#define LANE2(...) _mm256_setr_epi8(__VA_ARGS__, __VA_ARGS__)
#define Z	   (-1)

FP_KIT_AVX2 static inline void store12(uint8_t *p, __m128i v)
{
	_mm_storel_epi64((__m128i *)(void *)p, v);
	uint32_t last = (uint32_t)_mm_extract_epi32(v, 2);
	memcpy(p + 8, &last, 4);
}

/* A row of n pixels of ch channels (3 or 4) in place; alpha kept. */
FP_KIT_AVX2 static void mix_row_madd(uint8_t *row, uint32_t n, unsigned ch,
				     const int32_t *m)
{
	__m256i c01[3], c2r[3];
	for (int k = 0; k < 3; k++) {
		const int32_t *r = m + 3 * k;
		c01[k] = _mm256_set1_epi32(
			(int32_t)((uint32_t)(uint16_t)r[1] << 16 |
				  (uint16_t)r[0]));
		c2r[k] = _mm256_set1_epi32(
			(int32_t)((uint32_t)(1 << (FIX - 1)) << 16 |
				  (uint16_t)r[2]));
	}
	const __m256i ones = _mm256_set1_epi32(1 << 16);
	const __m256i
		rg3 = LANE2(0, Z, 1, Z, 3, Z, 4, Z, 6, Z, 7, Z, 9, Z, 10, Z),
		b3 = LANE2(2, Z, Z, Z, 5, Z, Z, Z, 8, Z, Z, Z, 11, Z, Z, Z),
		out3 = LANE2(0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11, Z, Z, Z, Z),
		rg4 = LANE2(0, Z, 1, Z, 4, Z, 5, Z, 8, Z, 9, Z, 12, Z, 13, Z),
		b4 = LANE2(2, Z, Z, Z, 6, Z, Z, Z, 10, Z, Z, Z, 14, Z, Z, Z),
		out4 = LANE2(0, 4, 8, Z, 1, 5, 9, Z, 2, 6, 10, Z, 3, 7, 11, Z),
		alpha = _mm256_set1_epi32((int32_t)0xff000000u);
	uint32_t x = 0;
	/* RGB reads 16 bytes at pixel 4 of the 8, 4 bytes past the 24 it
	 * writes: 10 pixels must be left in the row */
	for (; x + 8 <= n && (ch == 4 || x + 10 <= n); x += 8) {
		uint8_t *p = row + (size_t)x * ch;
		__m256i px =
			ch == 4 ? _mm256_loadu_si256((const __m256i *)p)
				: _mm256_inserti128_si256(
					  _mm256_castsi128_si256(
						  _mm_loadu_si128(
							  (const __m128i *)p)),
					  _mm_loadu_si128(
						  (const __m128i *)(p + 12)),
					  1);
		__m256i rg = _mm256_shuffle_epi8(px, ch == 4 ? rg4 : rg3);
		__m256i b1 = _mm256_or_si256(
			_mm256_shuffle_epi8(px, ch == 4 ? b4 : b3), ones);
		__m256i r = mix8(rg, b1, c01[0], c2r[0]);
		__m256i g = mix8(rg, b1, c01[1], c2r[1]);
		__m256i b = mix8(rg, b1, c01[2], c2r[2]);
		/* per lane: R0-3 G0-3 B0-3 B0-3 as bytes */
		__m256i packed = _mm256_packus_epi16(_mm256_packs_epi32(r, g),
						     _mm256_packs_epi32(b, b));
		if (ch == 4) {
			__m256i o = _mm256_or_si256(
				_mm256_shuffle_epi8(packed, out4),
				_mm256_and_si256(px, alpha));
			_mm256_storeu_si256((__m256i *)p, o);
		} else {
			/* 12 bytes a lane, as 8 + 4: a wider store would
			 * reach the next pixels, which the next load then
			 * reads back half from a store (a forwarding stall) */
			__m256i o = _mm256_shuffle_epi8(packed, out3);
			store12(p, _mm256_castsi256_si128(o));
			store12(p + 12, _mm256_extracti128_si256(o, 1));
		}
	}
	for (; x < n; x++) {
		uint8_t *p = row + (size_t)x * ch;
		int32_t r = p[0], g = p[1], b = p[2];
		p[0] = mix(m, r, g, b);
		p[1] = mix(m + 3, r, g, b);
		p[2] = mix(m + 6, r, g, b);
	}
}
#undef Z
#undef LANE2

FP_KIT_AVX2 static void mix_avx2(fp_frame *in, unsigned ch, const int32_t *m)
{
	if (!fits_madd(m)) {
		mix_frame(in, ch, m);
		return;
	}
	for (uint32_t y = 0; y < in->height; y++)
		mix_row_madd(in->pixels + (size_t)y * in->stride, in->width, ch,
			     m);
}
#endif

static int mixer_process(void *state, fp_frame *in, fp_frame *out)
{
	(void)out;
	const mixer_state *s = state;
	unsigned ch = fp_format_channels(in->format);
	if (fp__kit_is16(in->format)) {
		for (uint32_t y = 0; y < in->height; y++) {
			uint16_t *p = fp__kit_row16(in, y);
			for (uint32_t x = 0; x < in->width; x++, p += ch) {
				int64_t r = p[0], g = p[1], b = p[2];
				p[0] = mix16(s->m, r, g, b);
				p[1] = mix16(s->m + 3, r, g, b);
				p[2] = mix16(s->m + 6, r, g, b);
			}
		}
		return 0;
	}
#if FP_KIT_HAVE_AVX2
	if (fp__kit_avx2()) {
		mix_avx2(in, ch, s->m);
		return 0;
	}
#endif
	mix_generic(in, ch, s->m);
	return 0;
}

FP_STAGE_EXPORT = {
	FP_STAGE_HEADER,
	.name = "channel_mixer",
	.summary = "3x3 colour matrix (or the sepia preset); alpha kept "
		   "(in place)",
	.kind = FP_STAGE_FILTER,
	.formats = MIXER_FORMATS,
	.params = params,
	.param_count = FP_COUNT_OF(params),
	.config_size = sizeof(mixer_config),
	.check = mixer_check,
	.init = mixer_init,
	.process = mixer_process,
	.fini = fp__kit_free_state,
};
