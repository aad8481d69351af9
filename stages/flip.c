/* flip — mirror in place: direction = horizontal (left-right, like
 * ImageMagick's -flop) or vertical (top-bottom, like -flip). Any format:
 * pixels move as units of their bytes (vectorised, AVX2 where the CPU
 * has it). */
#include <framepipe/stage.h>
#include <string.h>

#include "kit.h"

typedef struct flip_config {
	int direction; /* 0 horizontal, 1 vertical */
} flip_config;

static const fp_param params[] = {
	FP_PARAM_CHOICE_(flip_config, direction, "horizontal",
			 "horizontal|vertical",
			 "horizontal: left becomes right; vertical: top "
			 "becomes bottom"),
};

static void swap_bytes(uint8_t *a, uint8_t *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uint8_t t = a[i];
		a[i] = b[i];
		b[i] = t;
	}
}

#if FP_KIT_HAVE_AVX2
#include <immintrin.h>

/* The first pixels of mirror_body for 3-byte pixels, five at a time (one
 * 16-byte shuffle; the 16th byte written is the next block's, so a store
 * never passes the end of dst). Reads up to one byte past src's n
 * pixels. Returns how many pixels it did. */
FP_KIT_AVX2 static size_t mirror3_blocks(const uint8_t *src, uint8_t *dst,
					 size_t n)
{
	const __m128i rev = _mm_setr_epi8(12, 13, 14, 9, 10, 11, 6, 7, 8, 3, 4,
					  5, 0, 1, 2, -1);
	size_t x = 0;
	for (; x + 5 <= n && x * 3 + 16 <= n * 3; x += 5) {
		__m128i v = _mm_loadu_si128(
			(const __m128i *)(const void *)(src + (n - 5 - x) * 3));
		_mm_storeu_si128((__m128i *)(void *)(dst + x * 3),
				 _mm_shuffle_epi8(v, rev));
	}
	return x;
}
#endif

/* dst = src mirrored, n pixels of ch bytes (distinct buffers; src has a
 * byte to spare past its end). */
FP_KIT_INLINE void mirror_body(const uint8_t *restrict src,
			       uint8_t *restrict dst, size_t n, unsigned ch,
			       bool avx2)
{
	size_t x = 0;
#if FP_KIT_HAVE_AVX2
	if (avx2 && ch == 3)
		x = mirror3_blocks(src, dst, n);
#else
	(void)avx2;
#endif
	for (; x < n; x++)
		for (unsigned c = 0; c < ch; c++)
			dst[x * ch + c] = src[(n - 1 - x) * ch + c];
}

/* Each row from both ends a chunk at a time: the two chunks copied out,
 * then each mirrored into the other's place (a loop the compiler
 * vectorises; a swap from both ends does not); what is left in the
 * middle mirrors onto itself. */
FP_KIT_INLINE void mirror_rows_of(fp_frame *f, unsigned ch, bool avx2)
{
	enum { K = 256 }; /* pixels per chunk */
	uint8_t a[2 * K * 8 + 1], b[K * 8 + 1];
	for (uint32_t y = 0; y < f->height; y++) {
		uint8_t *p = f->pixels + (size_t)y * f->stride;
		size_t lo = 0, hi = f->width; /* lo + hi = width */
		for (; hi - lo >= 2 * K; lo += K, hi -= K) {
			memcpy(a, p + lo * ch, K * ch);
			memcpy(b, p + (hi - K) * ch, K * ch);
			mirror_body(b, p + lo * ch, K, ch, avx2);
			mirror_body(a, p + (hi - K) * ch, K, ch, avx2);
		}
		memcpy(a, p + lo * ch, (hi - lo) * ch);
		mirror_body(a, p + lo * ch, hi - lo, ch, avx2);
	}
}

/* The swap from both ends, for 6-byte pixels (RGB16), which the
 * compiler does not reverse well: faster than the chunked copies. */
static void swap_rows6(fp_frame *f)
{
	for (uint32_t y = 0; y < f->height; y++) {
		uint8_t *l = f->pixels + (size_t)y * f->stride;
		uint8_t *r = l + ((size_t)f->width - 1) * 6;
		for (; l < r; l += 6, r -= 6) {
			uint8_t t[6];
			memcpy(t, l, 6);
			memcpy(l, r, 6);
			memcpy(r, t, 6);
		}
	}
}

/* ch: bytes per pixel, 1 to 8; a constant in each copy of the loop. */
FP_KIT_INLINE void mirror_rows_any(fp_frame *f, unsigned ch, bool avx2)
{
	switch (ch) {
	case 1: mirror_rows_of(f, 1, avx2); break;
	case 2: mirror_rows_of(f, 2, avx2); break;
	case 3: mirror_rows_of(f, 3, avx2); break;
	case 4: mirror_rows_of(f, 4, avx2); break;
	case 6: swap_rows6(f); break;
	default: mirror_rows_of(f, 8, avx2); break;
	}
}

static void mirror_generic(fp_frame *f, unsigned ch)
{
	mirror_rows_any(f, ch, false);
}

FP_KIT_AVX2 static void mirror_avx2(fp_frame *f, unsigned ch)
{
	mirror_rows_any(f, ch, true);
}

static int flip_process(void *state, fp_frame *in, fp_frame *out)
{
	(void)out;
	const flip_config *c = state;
	unsigned ch = fp_format_pixel_bytes(in->format);
	if (c->direction == 0) {
		if (fp__kit_avx2())
			mirror_avx2(in, ch);
		else
			mirror_generic(in, ch);
		return 0;
	}
	size_t row = (size_t)in->width * ch;
	for (uint32_t y = 0; y < in->height / 2; y++)
		swap_bytes(in->pixels + (size_t)y * in->stride,
			   in->pixels +
				   (size_t)(in->height - 1 - y) * in->stride,
			   row);
	return 0;
}

FP_STAGE_EXPORT = {
	FP_STAGE_HEADER,
	.name = "flip",
	.summary = "mirror left-right or top-bottom (in place)",
	.kind = FP_STAGE_FILTER,
	.formats = FP_FORMATS_ALL,
	.params = params,
	.param_count = FP_COUNT_OF(params),
	.config_size = sizeof(flip_config),
	.init = fp__kit_config_state,
	.process = flip_process,
};
