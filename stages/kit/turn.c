/* kit/turn.c — lossless quarter turns and transposition, tiled. Pixels
 * are moved as whole units of 1 to 8 bytes, so every depth is the same
 * code with a different constant size. */
#include "kit.h"

#include <string.h>

#define TILE 32

/* out(ox, oy) = *(base + ox * dx + oy * dy) */
static inline __attribute__((always_inline)) void
copy_tile(const uint8_t *base, ptrdiff_t dx, ptrdiff_t dy, fp_frame *out,
	  uint32_t x0, uint32_t y0, uint32_t x1, uint32_t y1, unsigned ch)
{
	for (uint32_t oy = y0; oy < y1; oy++) {
		uint8_t *dst = out->pixels + (size_t)oy * out->stride +
			       (size_t)x0 * ch;
		const uint8_t *src =
			base + (ptrdiff_t)x0 * dx + (ptrdiff_t)oy * dy;
		for (uint32_t ox = x0; ox < x1; ox++, dst += ch, src += dx)
			memcpy(dst, src, ch);
	}
}

static void copy_all(const uint8_t *base, ptrdiff_t dx, ptrdiff_t dy,
		     fp_frame *out, unsigned ch)
{
	for (uint32_t ty = 0; ty < out->height; ty += TILE)
		for (uint32_t tx = 0; tx < out->width; tx += TILE) {
			uint32_t x1 =
				tx + TILE < out->width ? tx + TILE : out->width;
			uint32_t y1 = ty + TILE < out->height ? ty + TILE
							      : out->height;
			switch (ch) {
			case 1:
				copy_tile(base, dx, dy, out, tx, ty, x1, y1, 1);
				break;
			case 2:
				copy_tile(base, dx, dy, out, tx, ty, x1, y1, 2);
				break;
			case 3:
				copy_tile(base, dx, dy, out, tx, ty, x1, y1, 3);
				break;
			case 4:
				copy_tile(base, dx, dy, out, tx, ty, x1, y1, 4);
				break;
			case 6:
				copy_tile(base, dx, dy, out, tx, ty, x1, y1, 6);
				break;
			default:
				copy_tile(base, dx, dy, out, tx, ty, x1, y1, 8);
				break;
			}
		}
}

void fp__kit_turn_frame(const fp_frame *in, fp_frame *out, fp__kit_turn turn)
{
	ptrdiff_t ch = fp_format_pixel_bytes(in->format); /* bytes */
	ptrdiff_t stride = in->stride;
	ptrdiff_t last_row = ((ptrdiff_t)in->height - 1) * stride;
	ptrdiff_t last_col = ((ptrdiff_t)in->width - 1) * ch;
	const uint8_t *p = in->pixels;
	switch (turn) {
	case FP_KIT_ROTATE_90: /* out(x, y) = in(y, H-1-x) */
		copy_all(p + last_row, -stride, ch, out, (unsigned)ch);
		break;
	case FP_KIT_ROTATE_180: /* out(x, y) = in(W-1-x, H-1-y) */
		copy_all(p + last_row + last_col, -ch, -stride, out,
			 (unsigned)ch);
		break;
	case FP_KIT_ROTATE_270: /* out(x, y) = in(W-1-y, x) */
		copy_all(p + last_col, stride, -ch, out, (unsigned)ch);
		break;
	case FP_KIT_TRANSPOSE: /* out(x, y) = in(y, x) */
		copy_all(p, stride, ch, out, (unsigned)ch);
		break;
	}
}
