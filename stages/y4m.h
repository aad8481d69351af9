/* y4m.h — what y4m_read and y4m_write share: YUV4MPEG2 chroma layouts and
 * the Y'CbCr <-> R'G'B' conversion (BT.601 or BT.709 matrix, limited or
 * full range) in 16.16 fixed point. Header-only: each stage stays one
 * module that exports only its descriptor. */
#ifndef FP_STAGES_Y4M_H
#define FP_STAGES_Y4M_H

#include <stdbool.h>
#include <stdint.h>

/* Chroma layouts, as a parameter's choices index them. */
enum y4m_chroma { Y4M_420, Y4M_422, Y4M_444, Y4M_MONO };

/* Width and height of one chroma plane (0 for mono). */
static inline void y4m_chroma_size(int chroma, uint32_t w, uint32_t h,
				   uint32_t *cw, uint32_t *ch)
{
	*cw = chroma == Y4M_444 ? w : (w + 1) / 2;
	*ch = chroma == Y4M_420 ? (h + 1) / 2 : h;
	if (chroma == Y4M_MONO)
		*cw = *ch = 0;
}

/* Bytes of one frame's planes (Y, then Cb and Cr). w, h <= 65535. */
static inline uint64_t y4m_frame_bytes(int chroma, uint32_t w, uint32_t h)
{
	uint32_t cw, ch;
	y4m_chroma_size(chroma, w, h, &cw, &ch);
	return (uint64_t)w * h + 2 * (uint64_t)cw * ch;
}

static inline int32_t y4m_fix(double x)
{
	x *= 65536.0;
	return x >= 0 ? (int32_t)(x + 0.5) : -(int32_t)(-x + 0.5);
}

static inline uint8_t y4m_clamp16(int32_t v)
{
	v >>= 16;
	return (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v);
}

/* Luma weights of the matrix: BT.601 (SD) or BT.709 (HD). */
static inline void y4m_weights(bool bt709, double *kr, double *kb)
{
	*kr = bt709 ? 0.2126 : 0.299;
	*kb = bt709 ? 0.0722 : 0.114;
}

/* Y'CbCr -> R'G'B': R = y[Y] + rv[Cr] ... each >> 16, clamped. */
typedef struct y4m_decoder {
	int32_t y[256], rv[256], gu[256], gv[256], bu[256];
} y4m_decoder;

static inline void y4m_decoder_init(y4m_decoder *d, bool bt709, bool full)
{
	double kr, kb, kg;
	y4m_weights(bt709, &kr, &kb);
	kg = 1 - kr - kb;
	double ys = full ? 1.0 : 255.0 / 219, cs = full ? 1.0 : 255.0 / 224;
	int yoff = full ? 0 : 16;
	for (int i = 0; i < 256; i++) {
		double c = (i - 128) * cs;
		d->y[i] = y4m_fix((i - yoff) * ys) + 32768; /* rounds */
		d->rv[i] = y4m_fix(2 * (1 - kr) * c);
		d->bu[i] = y4m_fix(2 * (1 - kb) * c);
		d->gu[i] = y4m_fix(2 * kb * (1 - kb) / kg * c);
		d->gv[i] = y4m_fix(2 * kr * (1 - kr) / kg * c);
	}
}

/* R'G'B' -> Y'CbCr: Y = (yr R + yg G + yb B + yoff) >> 16, chroma the
 * same around 128. The weights of each row add up exactly (to the luma
 * scale, or to 0 for chroma), so grey stays grey with no chroma. */
typedef struct y4m_encoder {
	int32_t yr, yg, yb, ur, ug, ub, vr, vg, vb;
	int32_t yoff; /* 16.16, rounding included */
} y4m_encoder;

static inline void y4m_encoder_init(y4m_encoder *e, bool bt709, bool full)
{
	double kr, kb;
	y4m_weights(bt709, &kr, &kb);
	double ys = full ? 1.0 : 219.0 / 255, cs = full ? 1.0 : 224.0 / 255;
	e->yr = y4m_fix(kr * ys);
	e->yb = y4m_fix(kb * ys);
	e->yg = y4m_fix(ys) - e->yr - e->yb;
	e->ur = y4m_fix(-kr / (2 * (1 - kb)) * cs);
	e->ub = y4m_fix(0.5 * cs);
	e->ug = -e->ur - e->ub;
	e->vr = y4m_fix(0.5 * cs);
	e->vb = y4m_fix(-kb / (2 * (1 - kr)) * cs);
	e->vg = -e->vr - e->vb;
	e->yoff = ((full ? 0 : 16) << 16) + 32768;
}

#endif
