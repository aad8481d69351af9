/* kit/frame.c — output set-up, alpha tables, luma, colours, number lists
 * and gravity for the filter stages. */
#include "kit.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

const fp__kit_luma fp__kit_bt601 = {0.298839, 0.586811, 0.114350};
const fp__kit_luma fp__kit_bt709 = {0.212656, 0.715158, 0.072186};
const uint32_t fp__kit_bt601_millionths[3] = {298839, 586811, 114350};
const uint32_t fp__kit_bt709_millionths[3] = {212656, 715158, 72186};

int fp__kit_set_output(fp_frame *out, uint32_t width, uint32_t height,
		       fp_format format)
{
	uint64_t bytes = (uint64_t)width * fp_format_pixel_bytes(format) *
			 (uint64_t)height;
	if (width == 0 || height == 0)
		return fp_frame_fail(out, FP_EPARAM,
				     "would make an empty %ux%u frame", width,
				     height);
	if (bytes > out->capacity)
		return fp_frame_fail(out, FP_ENOFIT,
				     "a %ux%u %s output needs %llu bytes, "
				     "the pool slot holds %zu (raise "
				     "it: --set slot_size=N or [pipeline] "
				     "slot_size)",
				     width, height, fp_format_name(format),
				     (unsigned long long)bytes, out->capacity);
	out->width = width;
	out->height = height;
	out->format = format;
	out->stride = width * fp_format_pixel_bytes(format);
	return 0;
}

int fp__kit_alpha_new(void **state, const char *stage, char *err,
		      size_t err_size)
{
	fp__kit_alpha_stage *s = malloc(sizeof *s);
	if (s == NULL) {
		snprintf(err, err_size, "out of memory");
		return -ENOMEM;
	}
	s->stage = stage;
	s->divide = false;
	*state = s;
	return 0;
}

/* c * a / 65535 rounded, or c * 65535 / a rounded and capped (0 when a is
 * 0): the 8-bit tables' formulas at 16 bits. */
static void alpha_rows16(const fp__kit_alpha_stage *s, fp_frame *f, unsigned ch)
{
	for (uint32_t y = 0; y < f->height; y++) {
		uint16_t *p = fp__kit_row16(f, y);
		for (uint32_t x = 0; x < f->width; x++, p += ch) {
			uint32_t a = p[ch - 1];
			for (unsigned c = 0; c + 1 < ch; c++) {
				uint32_t v = p[c];
				if (!s->divide)
					v = (v * a + 32767u) / 65535u;
				else if (a == 0)
					v = 0;
				else {
					v = (v * 65535u + a / 2) / a;
					v = v > 65535u ? 65535u : v;
				}
				p[c] = (uint16_t)v;
			}
		}
	}
}

int fp__kit_alpha_process(void *state, fp_frame *in, fp_frame *out)
{
	(void)out;
	const fp__kit_alpha_stage *s = state;
	unsigned ch = fp_format_channels(in->format);
	if (!fp__kit_has_alpha(in->format))
		return 0;
	if (fp__kit_is16(in->format)) {
		alpha_rows16(s, in, ch);
		return 0;
	}
	for (uint32_t y = 0; y < in->height; y++) {
		uint8_t *p = in->pixels + (size_t)y * in->stride;
		for (uint32_t x = 0; x < in->width; x++, p += ch) {
			const uint8_t *t = s->table[p[ch - 1]];
			for (unsigned c = 0; c + 1 < ch; c++)
				p[c] = t[p[c]];
		}
	}
	return 0;
}

int fp__kit_config_state(void **state, const void *config,
			 const fp_stage_env *env, char *err, size_t err_size)
{
	(void)env;
	(void)err;
	(void)err_size;
	*state = (void *)config;
	return 0;
}

void fp__kit_free_state(void *state)
{
	free(state);
}

void fp__kit_luma_init(fp__kit_luma_lut *lut, const fp__kit_luma *w)
{
	/* Same operations in the same order as ImageMagick: weight times
	 * the 16-bit sample. */
	for (unsigned v = 0; v < 256; v++) {
		lut->r[v] = w->r * v * 257;
		lut->g[v] = w->g * v * 257;
		lut->b[v] = w->b * v * 257;
	}
}

/* ---- colours ------------------------------------------------------------- */

static const struct {
	const char *name;
	uint8_t rgba[4];
} named_colors[] = {
	{"black", {0, 0, 0, 255}},	{"white", {255, 255, 255, 255}},
	{"gray", {128, 128, 128, 255}}, {"grey", {128, 128, 128, 255}},
	{"red", {255, 0, 0, 255}},	{"green", {0, 128, 0, 255}},
	{"blue", {0, 0, 255, 255}},	{"yellow", {255, 255, 0, 255}},
	{"cyan", {0, 255, 255, 255}},	{"magenta", {255, 0, 255, 255}},
	{"transparent", {0, 0, 0, 0}},
};

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* The 8-bit forms: a name, #rgb, #rrggbb, #rrggbbaa. */
static int parse_color8(const char *text, uint8_t rgba[4])
{
	for (size_t i = 0; i < FP_COUNT_OF(named_colors); i++)
		if (strcmp(text, named_colors[i].name) == 0) {
			memcpy(rgba, named_colors[i].rgba, 4);
			return 0;
		}
	size_t n = text[0] == '#' ? strlen(text + 1) : 0;
	int d[8];
	bool ok = n == 3 || n == 6 || n == 8;
	for (size_t i = 0; ok && i < n; i++)
		ok = (d[i] = hex_digit(text[1 + i])) >= 0;
	if (!ok)
		return FP_EPARAM;
	rgba[3] = 255;
	for (size_t c = 0; c < (n == 3 ? 3 : n / 2); c++)
		rgba[c] = (uint8_t)(n == 3 ? d[c] * 17
					   : d[2 * c] * 16 + d[2 * c + 1]);
	return 0;
}

/* The 16-bit forms: #rrrrggggbbbb, #rrrrggggbbbbaaaa. */
static int parse_color16(const char *text, uint16_t rgba16[4])
{
	size_t n = text[0] == '#' ? strlen(text + 1) : 0;
	if (n != 12 && n != 16)
		return FP_EPARAM;
	rgba16[3] = 65535;
	for (size_t i = 0; i < n / 4; i++) {
		unsigned v = 0;
		for (size_t j = 0; j < 4; j++) {
			int d = hex_digit(text[1 + 4 * i + j]);
			if (d < 0)
				return FP_EPARAM;
			v = v * 16 + (unsigned)d;
		}
		rgba16[i] = (uint16_t)v;
	}
	return 0;
}

int fp__kit_parse_color(const char *param, const char *text, fp__kit_color *c,
			char *err, size_t err_size)
{
	if (parse_color8(text, c->rgba) == 0) {
		for (unsigned i = 0; i < 4; i++)
			c->rgba16[i] = (uint16_t)(c->rgba[i] * 257u);
		return 0;
	}
	if (parse_color16(text, c->rgba16) == 0) {
		for (unsigned i = 0; i < 4; i++)
			c->rgba[i] = (uint8_t)((c->rgba16[i] + 128u) / 257u);
		return 0;
	}
	snprintf(err, err_size,
		 "%s: colour '%s': expected #rgb, #rrggbb, #rrggbbaa, "
		 "#rrrrggggbbbb[aaaa] or a name (black, white, gray, red, "
		 "green, blue, yellow, cyan, magenta, transparent)",
		 param, text);
	return FP_EPARAM;
}

static void color_pixel8(const uint8_t rgba[4], fp_format format,
			 uint8_t *pixel)
{
	fp__kit_luma_lut lut;
	uint8_t gray = 0;
	if (format == FP_FORMAT_G8 || format == FP_FORMAT_GA8) {
		fp__kit_luma_init(&lut, &fp__kit_bt601);
		gray = fp__kit_luma_of(&lut, rgba[0], rgba[1], rgba[2]);
	}
	switch (format) {
	case FP_FORMAT_G8: pixel[0] = gray; break;
	case FP_FORMAT_GA8:
		pixel[0] = gray;
		pixel[1] = rgba[3];
		break;
	case FP_FORMAT_RGB8: memcpy(pixel, rgba, 3); break;
	case FP_FORMAT_RGBA8: memcpy(pixel, rgba, 4); break;
	default: break;
	}
}

void fp__kit_color_pixel(const fp__kit_color *c, fp_format format,
			 uint8_t *pixel)
{
	if (!fp__kit_is16(format)) {
		color_pixel8(c->rgba, format, pixel);
		return;
	}
	const uint16_t *v = c->rgba16;
	uint16_t px[4];
	unsigned ch = fp_format_channels(format);
	if (ch < 3) {
		px[0] = fp__kit_luma16(&fp__kit_bt601, v[0], v[1], v[2]);
		px[1] = v[3];
	} else {
		memcpy(px, v, sizeof px);
	}
	memcpy(pixel, px, ch * sizeof px[0]);
}

int fp__kit_parse_numbers(const char *text, double *values, size_t max,
			  size_t *count, const char *what, char *err,
			  size_t err_size)
{
	size_t n = 0;
	const char *p = text;
	for (;;) {
		while (*p == ' ' || *p == ',' || *p == '\t')
			p++;
		if (*p == '\0')
			break;
		char *end;
		errno = 0;
		double v = strtod(p, &end);
		if (end == p || errno != 0 || n == max) {
			snprintf(err, err_size,
				 n == max ? "%s: more than %zu numbers"
					  : "%s: expected up to %zu numbers "
					    "separated by spaces, got '%s'",
				 what, max, text);
			return FP_EPARAM;
		}
		values[n++] = v;
		p = end;
	}
	*count = n;
	return 0;
}

/* ---- placement ----------------------------------------------------------- */

void fp__kit_gravity(int gravity, int64_t outer_w, int64_t outer_h,
		     int64_t inner_w, int64_t inner_h, int64_t *x, int64_t *y)
{
	/* Per gravity in FP_KIT_GRAVITIES order: 0 left/top, 1 centre,
	 * 2 right/bottom. */
	static const uint8_t gx[] = {1, 1, 1, 2, 0, 0, 2, 0, 2};
	static const uint8_t gy[] = {1, 0, 2, 1, 1, 0, 0, 2, 2};
	if (gravity < 0 || gravity >= (int)sizeof gx)
		gravity = 0;
	*x = gx[gravity] * (outer_w - inner_w) / 2;
	*y = gy[gravity] * (outer_h - inner_h) / 2;
	if (gx[gravity] == 2)
		*x = outer_w - inner_w;
	if (gy[gravity] == 2)
		*y = outer_h - inner_h;
}

int fp__kit_grow(void *buf, size_t *cap, size_t n, size_t size)
{
	if (n <= *cap)
		return 0;
	if (size != 0 && n > SIZE_MAX / size)
		return -ENOMEM;
	void *p = realloc(*(void **)buf, n * size);
	if (p == NULL)
		return -ENOMEM;
	*(void **)buf = p;
	*cap = n;
	return 0;
}
