/* unpremultiply — colour samples divided by alpha: c becomes
 * min(255, round(c * 255 / a)), and 0 where a = 0. GA8 and RGBA8; frames
 * without alpha pass unchanged. In place. The inverse of premultiply
 * (up to the rounding 8 bits allow). */
#include <framepipe/stage.h>

#include "kit.h"

static int unpremultiply_process(void *state, fp_frame *in, fp_frame *out)
{
	(void)state;
	(void)out;
	unsigned ch = fp__kit_channels(in, FP_FORMATS_8BIT, "unpremultiply");
	if (ch == 0)
		return FP_EFORMAT;
	if (!fp__kit_has_alpha(in->format))
		return 0;
	for (uint32_t y = 0; y < in->height; y++) {
		uint8_t *p = in->pixels + (size_t)y * in->stride;
		for (uint32_t x = 0; x < in->width; x++, p += ch) {
			unsigned a = p[ch - 1];
			for (unsigned c = 0; c + 1 < ch; c++) {
				unsigned v = a ? (p[c] * 255u + a / 2) / a : 0;
				p[c] = (uint8_t)(v > 255 ? 255 : v);
			}
		}
	}
	return 0;
}

FP_STAGE_EXPORT = {
	FP_STAGE_HEADER,
	.name = "unpremultiply",
	.summary = "divide colour by alpha (GA8, RGBA8; in place)",
	.kind = FP_STAGE_FILTER,
	.formats = FP_FORMATS_8BIT,
	.process = unpremultiply_process,
};
