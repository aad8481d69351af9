/* flip — mirror in place: direction = horizontal (left-right, like
 * ImageMagick's -flop) or vertical (top-bottom, like -flip). Any format:
 * pixels move as units of their bytes. */
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

static inline __attribute__((always_inline)) void mirror_rows_of(fp_frame *f,
								 unsigned ch)
{
	for (uint32_t y = 0; y < f->height; y++) {
		uint8_t *l = f->pixels + (size_t)y * f->stride;
		uint8_t *r = l + ((size_t)f->width - 1) * ch;
		for (; l < r; l += ch, r -= ch) {
			uint8_t t[8];
			memcpy(t, l, ch);
			memcpy(l, r, ch);
			memcpy(r, t, ch);
		}
	}
}

/* ch: bytes per pixel, 1 to 8; a constant in each copy of the loop. */
static void mirror_rows(fp_frame *f, unsigned ch)
{
	switch (ch) {
	case 1: mirror_rows_of(f, 1); break;
	case 2: mirror_rows_of(f, 2); break;
	case 3: mirror_rows_of(f, 3); break;
	case 4: mirror_rows_of(f, 4); break;
	case 6: mirror_rows_of(f, 6); break;
	default: mirror_rows_of(f, 8); break;
	}
}

static int flip_process(void *state, fp_frame *in, fp_frame *out)
{
	(void)out;
	const flip_config *c = state;
	unsigned ch = fp_format_pixel_bytes(in->format);
	if (c->direction == 0) {
		mirror_rows(in, ch);
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
