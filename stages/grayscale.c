/* grayscale — colour to luma, in place: RGB8 becomes G8 and RGBA8 becomes
 * GA8 (alpha kept), RGB16 G16 and RGBA16 GA16; gray frames pass
 * unchanged. The output is tightly packed (stride = width * pixel bytes).
 *
 * luma = bt601 (default): Y = 0.298839 R + 0.586811 G + 0.114350 B;
 * bt709: Y = 0.212656 R + 0.715158 G + 0.072186 B, on the stored (gamma
 * encoded) samples, rounded exactly like ImageMagick: bit-identical to
 * `convert IN -grayscale Rec601Luma OUT` (Rec709Luma) for every colour.
 * 16-bit samples: the weighted sum of the samples rounded to 16 bits, as
 * ImageMagick Q16 does it. */
#include <framepipe/stage.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kit.h"

typedef struct grayscale_config {
	int luma;
} grayscale_config;

static const fp_param params[] = {
	FP_PARAM_CHOICE_(grayscale_config, luma, "bt601", "bt601|bt709",
			 "luma coefficients: Rec. 601 (as JPEG, ImageMagick's "
			 "Rec601Luma) or Rec. 709 (HDTV, sRGB primaries)"),
};

typedef struct grayscale_state {
	const fp__kit_luma *weights;
	const uint32_t *millionths; /* the same, for 8-bit samples */
} grayscale_state;

static int grayscale_init(void **state, const void *config,
			  const fp_stage_env *env, char *err, size_t err_size)
{
	(void)env;
	const grayscale_config *c = config;
	grayscale_state *s = malloc(sizeof *s);
	if (s == NULL) {
		snprintf(err, err_size, "out of memory");
		return -ENOMEM;
	}
	s->weights = c->luma == 0 ? &fp__kit_bt601 : &fp__kit_bt709;
	s->millionths = c->luma == 0 ? fp__kit_bt601_millionths
				     : fp__kit_bt709_millionths;
	*state = s;
	return 0;
}

/* What the format becomes: colour to gray, alpha and depth kept. */
static fp_format gray_of(fp_format f)
{
	unsigned ch = fp_format_channels(f);
	return ch < 3 ? f : fp_format_of(ch - 2, fp_format_sample_bytes(f));
}

static int grayscale_shape(const void *config, const fp_shape *in,
			   fp_shape *out, char *err, size_t err_size)
{
	(void)config;
	(void)err;
	(void)err_size;
	*out = *in;
	out->formats = 0;
	for (unsigned f = FP_FORMAT_FIRST; f <= FP_FORMAT_LAST; f++)
		if (in->formats & FP_FORMAT_BIT(f))
			out->formats |= FP_FORMAT_BIT(gray_of((fp_format)f));
	return 0;
}

static void gray16(const grayscale_state *s, fp_frame *in, unsigned ci)
{
	unsigned co = ci - 2;
	for (uint32_t y = 0; y < in->height; y++) {
		const uint16_t *src = fp__kit_row16(in, y);
		uint16_t *dst =
			(uint16_t *)(void *)(in->pixels +
					     (size_t)y * in->width * co * 2);
		for (uint32_t x = 0; x < in->width; x++, src += ci, dst += co) {
			uint16_t alpha = ci == 4 ? src[3] : 65535;
			dst[0] = fp__kit_luma16(s->weights, src[0], src[1],
						src[2]);
			if (co == 2)
				dst[1] = alpha;
		}
	}
}

/* Luma of n pixels of ci channels into co channels (alpha kept), in
 * integers (fp__kit_luma8: the same bytes as fp__kit_luma_of). */
FP_KIT_INLINE void gray_body(const uint8_t *restrict src, uint8_t *restrict dst,
			     size_t n, unsigned ci, unsigned co,
			     const uint32_t *w)
{
	for (size_t x = 0; x < n; x++) {
		const uint8_t *p = src + x * ci;
		dst[x * co] = fp__kit_luma8(w, p[0], p[1], p[2]);
		if (co == 2)
			dst[x * co + 1] = ci == 4 ? p[3] : 255;
	}
}

/* A row in chunks through a buffer: output pixel x never lies past input
 * pixel x, so each chunk is read before its output overwrites it. */
FP_KIT_INLINE void gray_row(const uint8_t *src, uint8_t *dst, uint32_t width,
			    unsigned ci, unsigned co, const uint32_t *w)
{
	enum { CHUNK = 256 };
	uint8_t buf[CHUNK * 2];
	for (uint32_t x = 0; x < width; x += CHUNK) {
		size_t n = width - x < CHUNK ? width - x : CHUNK;
		if (ci == 3 && co == 1)
			gray_body(src + (size_t)x * 3, buf, n, 3, 1, w);
		else if (ci == 4)
			gray_body(src + (size_t)x * 4, buf, n, 4, 2, w);
		else
			gray_body(src + (size_t)x * ci, buf, n, ci, co, w);
		memcpy(dst + (size_t)x * co, buf, n * co);
	}
}

static void gray_frame_generic(fp_frame *in, unsigned ci, unsigned co,
			       const uint32_t *w)
{
	for (uint32_t y = 0; y < in->height; y++)
		gray_row(in->pixels + (size_t)y * in->stride,
			 in->pixels + (size_t)y * in->width * co, in->width, ci,
			 co, w);
}

FP_KIT_AVX2 static void gray_frame_avx2(fp_frame *in, unsigned ci, unsigned co,
					const uint32_t *w)
{
	for (uint32_t y = 0; y < in->height; y++)
		gray_row(in->pixels + (size_t)y * in->stride,
			 in->pixels + (size_t)y * in->width * co, in->width, ci,
			 co, w);
}

static int grayscale_process(void *state, fp_frame *in, fp_frame *out)
{
	(void)out;
	const grayscale_state *s = state;
	unsigned ci = fp_format_channels(in->format);
	if (ci < 3)
		return 0;
	unsigned co = ci - 2;
	if (fp__kit_is16(in->format)) {
		gray16(s, in, ci);
		in->format = gray_of(in->format);
		in->stride = in->width * co * 2;
		return 0;
	}
	if (fp__kit_avx2())
		gray_frame_avx2(in, ci, co, s->millionths);
	else
		gray_frame_generic(in, ci, co, s->millionths);
	in->format = co == 1 ? FP_FORMAT_G8 : FP_FORMAT_GA8;
	in->stride = in->width * co;
	return 0;
}

FP_STAGE_EXPORT = {
	FP_STAGE_HEADER,
	.name = "grayscale",
	.summary = "colour to luma (Rec. 601 or 709): RGB to G, RGBA to GA "
		   "keeping alpha and depth (in place)",
	.kind = FP_STAGE_FILTER,
	.formats = FP_FORMATS_ALL,
	.params = params,
	.param_count = FP_COUNT_OF(params),
	.config_size = sizeof(grayscale_config),
	.shape = grayscale_shape,
	.init = grayscale_init,
	.process = grayscale_process,
	.fini = fp__kit_free_state,
};
