/* grayscale — colour to luma, in place: RGB8 becomes G8 and RGBA8 becomes
 * GA8 (alpha kept); G8 and GA8 pass unchanged. The output is tightly
 * packed (stride = width * channels).
 *
 * weights = bt601 (default): Y = 0.298839 R + 0.586811 G + 0.114350 B;
 * bt709: Y = 0.212656 R + 0.715158 G + 0.072186 B, on the stored (gamma
 * encoded) samples, rounded exactly like ImageMagick: bit-identical to
 * `convert IN -grayscale Rec601Luma OUT` (Rec709Luma) for every colour. */
#include <framepipe/stage.h>
#include <errno.h>
#include <stdlib.h>

#include "kit.h"

typedef struct grayscale_config {
	int weights;
} grayscale_config;

static const fp_param params[] = {
	FP_PARAM_CHOICE_(grayscale_config, weights, "bt601", "bt601|bt709",
			 "luma weights: Rec. 601 (as JPEG, ImageMagick's "
			 "Rec601Luma) or Rec. 709 (HDTV, sRGB primaries)"),
};

static int grayscale_init(void **state, const void *config,
			  const fp_stage_env *env, char *err, size_t err_size)
{
	(void)env;
	const grayscale_config *c = config;
	fp__kit_luma_lut *lut = malloc(sizeof *lut);
	if (lut == NULL) {
		snprintf(err, err_size, "out of memory");
		return -ENOMEM;
	}
	fp__kit_luma_init(lut,
			  c->weights == 0 ? &fp__kit_bt601 : &fp__kit_bt709);
	*state = lut;
	return 0;
}

static int grayscale_process(void *state, fp_frame *in, fp_frame *out)
{
	(void)out;
	const fp__kit_luma_lut *lut = state;
	unsigned ci = fp__kit_channels(in, FP_FORMATS_8BIT, "grayscale");
	if (ci == 0)
		return FP_EFORMAT;
	if (ci < 3)
		return 0;
	unsigned co = ci - 2;
	/* Output pixel x of row y never lies past input pixel x of row y:
	 * reading forwards and writing behind is safe in place. */
	for (uint32_t y = 0; y < in->height; y++) {
		const uint8_t *src = in->pixels + (size_t)y * in->stride;
		uint8_t *dst = in->pixels + (size_t)y * in->width * co;
		for (uint32_t x = 0; x < in->width; x++, src += ci, dst += co) {
			uint8_t alpha = ci == 4 ? src[3] : 255;
			dst[0] = fp__kit_luma_of(lut, src[0], src[1], src[2]);
			if (co == 2)
				dst[1] = alpha;
		}
	}
	in->format = co == 1 ? FP_FORMAT_G8 : FP_FORMAT_GA8;
	in->stride = in->width * co;
	return 0;
}

FP_STAGE_EXPORT = {
	FP_STAGE_HEADER,
	.name = "grayscale",
	.summary = "colour to luma (Rec. 601 or 709): RGB8 to G8, RGBA8 to "
		   "GA8 keeping alpha (in place)",
	.kind = FP_STAGE_FILTER,
	.formats = FP_FORMATS_8BIT,
	.params = params,
	.param_count = FP_COUNT_OF(params),
	.config_size = sizeof(grayscale_config),
	.init = grayscale_init,
	.process = grayscale_process,
	.fini = fp__kit_free_state,
};
