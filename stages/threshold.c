/* threshold — to pure black and white: a sample at or above `level`
 * becomes 255, below it 0. Gray frames threshold the gray sample; colour
 * frames threshold the Rec. 601 luma and write it to all three colour
 * samples (the frame stays RGB8/RGBA8, now black and white). Alpha kept.
 * In place. 16-bit frames the same, with `level` in 8-bit units (a sample
 * s counts as s / 257: at or above level * 257 becomes 65535). */
#include <framepipe/stage.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kit.h"

typedef struct threshold_config {
	int64_t level;
} threshold_config;

typedef struct threshold_state {
	fp__kit_lut_stage table; /* per gray sample */
	int64_t level;
} threshold_state;

static const fp_param params[] = {
	FP_PARAM_INT_(threshold_config, level, "128", 0, 256,
		      "samples (or luma) at or above this become white"),
};

static int threshold_init(void **state, const void *config,
			  const fp_stage_env *env, char *err, size_t err_size)
{
	(void)env;
	const threshold_config *c = config;
	threshold_state *s = malloc(sizeof *s);
	if (s == NULL) {
		snprintf(err, err_size, "out of memory");
		return -ENOMEM;
	}
	s->table.stage = "threshold";
	s->table.line = false;
	for (int v = 0; v < 256; v++)
		s->table.lut[v] = v >= c->level ? 255 : 0;
	for (int64_t v = 0; v < 65536; v++)
		s->table.lut16[v] = v >= c->level * 257 ? 65535 : 0;
	s->level = c->level;
	*state = s;
	return 0;
}

/* n colour pixels of ch channels by their luma (fp__kit_luma8, the
 * integer form of the tables' rounding), src to dst, alpha copied. */
FP_KIT_INLINE void threshold_body(const uint8_t *restrict src,
				  uint8_t *restrict dst, size_t n, unsigned ch,
				  const uint32_t *m, uint32_t level)
{
	for (size_t x = 0; x < n; x++) {
		const uint8_t *p = src + x * ch;
		uint8_t v =
			fp__kit_luma8(m, p[0], p[1], p[2]) >= level ? 255 : 0;
		dst[x * ch] = dst[x * ch + 1] = dst[x * ch + 2] = v;
		if (ch == 4)
			dst[x * ch + 3] = p[3];
	}
}

/* In place in chunks through a buffer, so that the loop vectorises. */
FP_KIT_INLINE void threshold_rows(const threshold_state *s, fp_frame *in,
				  unsigned ch)
{
	enum { CHUNK = 256 };
	uint8_t buf[CHUNK * 4];
	uint32_t level = (uint32_t)s->level;
	const uint32_t *m = fp__kit_bt601_millionths;
	for (uint32_t y = 0; y < in->height; y++) {
		uint8_t *row = in->pixels + (size_t)y * in->stride;
		for (uint32_t x = 0; x < in->width; x += CHUNK) {
			size_t n =
				in->width - x < CHUNK ? in->width - x : CHUNK;
			uint8_t *p = row + (size_t)x * ch;
			threshold_body(p, buf, n, ch, m, level);
			memcpy(p, buf, n * ch);
		}
	}
}

static void threshold_generic(const threshold_state *s, fp_frame *in,
			      unsigned ch)
{
	if (ch == 3)
		threshold_rows(s, in, 3);
	else
		threshold_rows(s, in, 4);
}

FP_KIT_AVX2 static void threshold_avx2(const threshold_state *s, fp_frame *in,
				       unsigned ch)
{
	if (ch == 3)
		threshold_rows(s, in, 3);
	else
		threshold_rows(s, in, 4);
}

static int threshold_process(void *state, fp_frame *in, fp_frame *out)
{
	threshold_state *s = state;
	unsigned ch = fp_format_channels(in->format);
	if (ch < 3)
		return fp__kit_lut_process(&s->table, in, out);
	if (fp__kit_is16(in->format)) {
		for (uint32_t y = 0; y < in->height; y++) {
			uint16_t *p = fp__kit_row16(in, y);
			for (uint32_t x = 0; x < in->width; x++, p += ch) {
				uint16_t v = s->table.lut16[fp__kit_luma16(
					&fp__kit_bt601, p[0], p[1], p[2])];
				p[0] = p[1] = p[2] = v;
			}
		}
		return 0;
	}
	if (fp__kit_avx2())
		threshold_avx2(s, in, ch);
	else
		threshold_generic(s, in, ch);
	return 0;
}

FP_STAGE_EXPORT = {
	FP_STAGE_HEADER,
	.name = "threshold",
	.summary = "to black and white at a level (colour by its luma); "
		   "alpha kept (in place)",
	.kind = FP_STAGE_FILTER,
	.formats = FP_FORMATS_ALL,
	.params = params,
	.param_count = FP_COUNT_OF(params),
	.config_size = sizeof(threshold_config),
	.init = threshold_init,
	.process = threshold_process,
	.fini = fp__kit_free_state,
};
