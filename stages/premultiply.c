/* premultiply — colour samples times alpha: c becomes round(c * a / 255).
 * GA8 and RGBA8; frames without alpha pass unchanged. In place. The
 * inverse is unpremultiply. */
#include <framepipe/stage.h>

#include "kit.h"

static int premultiply_process(void *state, fp_frame *in, fp_frame *out)
{
	(void)state;
	(void)out;
	unsigned ch = fp__kit_channels(in, FP_FORMATS_8BIT, "premultiply");
	if (ch == 0)
		return FP_EFORMAT;
	if (!fp__kit_has_alpha(in->format))
		return 0;
	for (uint32_t y = 0; y < in->height; y++) {
		uint8_t *p = in->pixels + (size_t)y * in->stride;
		for (uint32_t x = 0; x < in->width; x++, p += ch) {
			unsigned a = p[ch - 1];
			for (unsigned c = 0; c + 1 < ch; c++)
				p[c] = (uint8_t)((p[c] * a + 127) / 255);
		}
	}
	return 0;
}

FP_STAGE_EXPORT = {
	FP_STAGE_HEADER,
	.name = "premultiply",
	.summary = "multiply colour by alpha (GA8, RGBA8; in place)",
	.kind = FP_STAGE_FILTER,
	.formats = FP_FORMATS_8BIT,
	.process = premultiply_process,
};
