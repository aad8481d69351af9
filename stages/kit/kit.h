/* kit — code the built-in filter stages share: output frame set-up, lookup
 * tables, colours, gravity, number lists, the separable resampler (resize,
 * blur, sharpen) and the edge-padded row window (convolve, median), at 8
 * and 16 bits a sample.
 *
 * A static PIC library linked into each filter module and built with hidden
 * visibility: nothing here is exported from a stage. It uses only the public
 * SDK (framepipe/stage.h), like any user's plugin could. All functions run
 * in the stage instance's process, on the frames process() is given.
 * Formats are not checked here: the core (and the test harness) hands a
 * stage only the formats its descriptor declares.
 */
#ifndef FRAMEPIPE_STAGES_KIT_H
#define FRAMEPIPE_STAGES_KIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "framepipe/stage.h"

/* ---- instruction sets -------------------------------------------------------
 */

/* FP_KIT_AVX2 marks the AVX2 copy of a hot loop (x86 only; the body is a
 * static inline function that the baseline copy calls too). */
#if defined(__x86_64__) || defined(__i386__)
#define FP_KIT_HAVE_AVX2 1
#define FP_KIT_AVX2	 __attribute__((target("avx2")))
#else
#define FP_KIT_HAVE_AVX2 0
#define FP_KIT_AVX2
#endif
/* Forces a helper into its caller, so that it is compiled for the
 * caller's instruction set. */
#define FP_KIT_INLINE static inline __attribute__((always_inline))

/* Whether to run the AVX2 copies: the CPU has AVX2 and FP_SIMD=generic is
 * not set (the tests run both). Stages ask once a frame. */
bool fp__kit_avx2(void);

/* ---- frames ---------------------------------------------------------------
 */

static inline bool fp__kit_has_alpha(fp_format format)
{
	return fp_format_has_alpha(format);
}

/* 16-bit samples: the frame's pixels as uint16_t. The kit and the filters
 * read 16-bit rows in place, so a 16-bit frame's pixels and stride must be
 * even (pool slots and the harness's buffers are aligned; a stride the
 * stage makes itself always is). */
static inline bool fp__kit_is16(fp_format format)
{
	return fp_format_sample_bytes(format) == 2;
}
static inline uint16_t *fp__kit_row16(const fp_frame *f, uint32_t y)
{
	return (uint16_t *)(void *)(f->pixels + (size_t)y * f->stride);
}

/* Give out the geometry width x height, format, tightly packed. Fails with
 * FP_ENOFIT (saying to raise [pipeline] slot_size) when that does not fit
 * out->capacity. The message does not name the stage: the core puts its
 * label before it. */
int fp__kit_set_output(fp_frame *out, uint32_t width, uint32_t height,
		       fp_format format);

/* State of the stages that are one lookup table over colour samples
 * (invert, gamma, levels...): their init calls fp__kit_lut_new and fills
 * lut and lut16 (fp__kit_lut_fill does both from one curve); process and
 * fini are these. */
typedef struct fp__kit_lut_stage {
	const char *stage;
	uint8_t lut[256];
	uint16_t lut16[65536];
	/* lut is clamp((line_a v + line_b) >> 16) (kit/lut.c); false for a
	 * table filled by hand */
	bool line;
	int32_t line_a, line_b;
	/* both tables are the negative (255 - v, 65535 - v): applied as an
	 * exclusive or at either depth, alpha included in the mask */
	bool negative;
} fp__kit_lut_stage;
int fp__kit_lut_new(void **state, const char *stage, char *err,
		    size_t err_size);
int fp__kit_lut_process(void *state, fp_frame *in, fp_frame *out);
/* A tone curve in 8-bit units: v and the result are on the 0..255 scale
 * (real numbers; a 16-bit sample s is v = s / 257). */
typedef double (*fp__kit_curve)(const void *ctx, double v);
/* lut[v] = round(curve(v)) and lut16[s] = round(257 curve(s / 257)),
 * each clamped; notes whether lut is a straight line or both are the
 * negative (FP_KIT_LINES=0 in the environment: never, for a test that
 * compares both ways). */
void fp__kit_lut_fill(fp__kit_lut_stage *s, fp__kit_curve curve,
		      const void *ctx);

/* State of premultiply and unpremultiply: a table from (alpha, colour)
 * to the new colour for 8 bits, filled by their init after
 * fp__kit_alpha_new; 16-bit samples are computed (divide: unpremultiply). */
typedef struct fp__kit_alpha_stage {
	const char *stage;
	bool divide;
	uint8_t table[256][256]; /* [alpha][colour] */
} fp__kit_alpha_stage;
int fp__kit_alpha_new(void **state, const char *stage, char *err,
		      size_t err_size);
/* Colour samples of frames with alpha through the table (8 bits) or the
 * exact arithmetic (16 bits); others pass unchanged. */
int fp__kit_alpha_process(void *state, fp_frame *in, fp_frame *out);

/* An init that makes the parsed config the state, for stages with nothing
 * else to prepare. */
int fp__kit_config_state(void **state, const void *config,
			 const fp_stage_env *env, char *err, size_t err_size);
/* free(state), for any stage whose state is one heap block. */
void fp__kit_free_state(void *state);

/* Round and clamp to 0..255. */
static inline uint8_t fp__kit_clamp_u8(double v)
{
	return v <= 0 ? 0 : v >= 255 ? 255 : (uint8_t)(v + 0.5);
}

/* Round and clamp to 0..65535. */
static inline uint16_t fp__kit_clamp_u16(double v)
{
	return v <= 0 ? 0 : v >= 65535 ? 65535 : (uint16_t)(v + 0.5);
}

/* Luma weights: Rec. 601 as ImageMagick writes them (0.298839, 0.586811,
 * 0.114350) and Rec. 709 (0.212656, 0.715158, 0.072186). */
typedef struct fp__kit_luma {
	double r, g, b;
} fp__kit_luma;
extern const fp__kit_luma fp__kit_bt601, fp__kit_bt709;

/* Per-weight tables for fp__kit_luma_of, from fp__kit_luma_init. */
typedef struct fp__kit_luma_lut {
	double r[256], g[256], b[256];
} fp__kit_luma_lut;
void fp__kit_luma_init(fp__kit_luma_lut *lut, const fp__kit_luma *w);

/* Luma of an 8-bit RGB triple rounded the way ImageMagick's Q16 build
 * does it: on 16-bit samples (v * 257), rounded to 16 bits, then scaled
 * back to 8 bits by truncation. Bit-exact with `convert -grayscale
 * Rec601Luma` over all 2^24 colours. */
static inline uint8_t fp__kit_luma_of(const fp__kit_luma_lut *lut, unsigned r,
				      unsigned g, unsigned b)
{
	double v = lut->r[r] + lut->g[g] + lut->b[b];
	return (uint8_t)((uint32_t)(v + 0.5) / 257);
}

/* The Rec. 601 and 709 weights in millionths, as they are written. */
extern const uint32_t fp__kit_bt601_millionths[3], fp__kit_bt709_millionths[3];

/* fp__kit_luma_of in integers, for loops that vectorise: it is
 * floor(floor(257 S + 0.5) / 257) with S the weighted sum, which is
 * floor(S + 1/514) = floor((A + 10^6 / 514) / 10^6) with A = 10^6 S an
 * integer (m: the weights in millionths). Exact: (514 A + 10^6) /
 * (514 10^6) is never within 3.9e-9 of an integer (10^6 is not a
 * multiple of 257), far beyond the doubles' rounding, and no integer
 * lies between A + 1945 and A + 1945.53. test_grayscale checks all 2^24
 * colours. */
static inline uint8_t fp__kit_luma8(const uint32_t m[3], uint32_t r, uint32_t g,
				    uint32_t b)
{
	return (uint8_t)((m[0] * r + m[1] * g + m[2] * b + 1000000 / 514) /
			 1000000);
}

/* Luma of a 16-bit RGB triple, rounded to 16 bits: ImageMagick Q16's
 * arithmetic on the samples themselves (weight times sample, summed). */
static inline uint16_t fp__kit_luma16(const fp__kit_luma *w, unsigned r,
				      unsigned g, unsigned b)
{
	return fp__kit_clamp_u16(w->r * r + w->g * g + w->b * b);
}

/* ---- parameters given as text ---------------------------------------------
 */

/* A colour at both depths. */
typedef struct fp__kit_color {
	uint8_t rgba[4];
	uint16_t rgba16[4];
} fp__kit_color;

/* The one colour parser, for every stage's `color`: "#rgb", "#rrggbb",
 * "#rrggbbaa", "#rrrrggggbbbb", "#rrrrggggbbbbaaaa" (16 bits a sample) or
 * a name (black, white, gray/grey, red, green, blue, yellow, cyan,
 * magenta, transparent). The 16-bit values of the 8-bit forms are v * 257;
 * the 8-bit values of the 16-bit forms are those rounded. 0, or FP_EPARAM
 * with "PARAM: colour 'TEXT': expected ..." in err (a check()'s message). */
int fp__kit_parse_color(const char *param, const char *text, fp__kit_color *c,
			char *err, size_t err_size);
/* The colour as one pixel of any format (up to 8 bytes; gray formats take
 * its Rec. 601 luma). */
void fp__kit_color_pixel(const fp__kit_color *c, fp_format format,
			 uint8_t *pixel);

/* Up to max numbers separated by spaces or commas; 0 or FP_EPARAM. */
int fp__kit_parse_numbers(const char *text, double *values, size_t max,
			  size_t *count, const char *what, char *err,
			  size_t err_size);

/* ---- placement -------------------------------------------------------------
 */

#define FP_KIT_GRAVITIES \
	"center|north|south|east|west|northwest|northeast|southwest|southeast"

/* Where an inner box of inner_w x inner_h goes in an outer one for gravity
 * (an index into FP_KIT_GRAVITIES); either size may be the larger. */
void fp__kit_gravity(int gravity, int64_t outer_w, int64_t outer_h,
		     int64_t inner_w, int64_t inner_h, int64_t *x, int64_t *y);

/* ---- lossless orientation ------------------------------------------------ */

typedef enum fp__kit_turn {
	FP_KIT_ROTATE_90, /* clockwise */
	FP_KIT_ROTATE_180,
	FP_KIT_ROTATE_270,
	FP_KIT_TRANSPOSE, /* mirror on the top-left to bottom-right diagonal */
} fp__kit_turn;

/* Write in turned into out (another buffer, geometry already set by the
 * caller: width and height swapped except for 180). Works in tiles so
 * that both the reads and the writes stay in cache. */
void fp__kit_turn_frame(const fp_frame *in, fp_frame *out, fp__kit_turn turn);

/* ---- separable resampling --------------------------------------------------
 */

#define FP_KIT_KERNELS "nearest|box|bilinear|bicubic|lanczos3|gaussian"
typedef enum fp__kit_kernel {
	FP_KIT_NEAREST,
	FP_KIT_BOX,
	FP_KIT_BILINEAR,
	FP_KIT_BICUBIC, /* Catmull-Rom */
	FP_KIT_LANCZOS3,
	FP_KIT_GAUSSIAN, /* parameter: sigma */
} fp__kit_kernel;

/* Taps for one axis: output i reads inputs start[i] .. start[i]+count[i]-1
 * with weights[i * max_taps ...]. Indices past the edges are folded onto
 * the edge sample (edges clamped). Storage grows when needed and is kept
 * for the next frames (no allocation per frame once big enough). */
typedef struct fp__kit_axis {
	int32_t *start;
	int32_t *count;
	float *weights;
	size_t max_taps;
	size_t start_cap, count_cap, tap_cap;
	/* The longest run of outputs [run_lo, run_hi) with the same taps
	 * (count and weights) as run_lo, each starting run_step inputs after
	 * the previous one (1 to FP_KIT_MAX_STEP): the interior of a blur
	 * (step 1) or of a downscale by 2 (step 2). Empty when none. The
	 * horizontal pass runs it as one long vectorisable loop per tap
	 * (FP_KIT_RUNS=0 in the environment turns that off, for a test that
	 * compares both ways). */
	uint32_t run_lo, run_hi;
	int32_t run_step;
} fp__kit_axis;
#define FP_KIT_MAX_STEP 4
/* Output rows the vertical pass makes at once inside the vertical run
 * (each input row read once for all of them). */
#define FP_KIT_GROUP	4

/* How one axis maps: output i is centred on input coordinate
 * (i + offset + 0.5) / scale - 0.5; the kernel widens by 1/scale on
 * downscale (area-correct, like libvips and ImageMagick). */
typedef struct fp__kit_map {
	uint32_t in_len, out_len;
	double scale;  /* out/in */
	double offset; /* in output pixels: a crop of the scaled image */
	fp__kit_kernel kernel;
	double sigma; /* FP_KIT_GAUSSIAN */
} fp__kit_map;

/* What the resampler writes per output sample. */
typedef enum fp__kit_mode {
	FP_KIT_PLAIN,	/* the resampled value */
	FP_KIT_UNSHARP, /* x + amount (x - blur) where |x - blur| >= level */
} fp__kit_mode;

typedef struct fp__kit_resampler {
	fp__kit_axis h, v;
	float *ring;	/* rows of input converted to float */
	float *column;	/* FP_KIT_GROUP vertically resampled rows */
	float *out_row; /* one output row before conversion */
	float *phase;	/* the column's pixels split by index mod run_step */
	const float **taps; /* one source row per tap */
	float *wz;	    /* a row group's weights, zero-padded */
	size_t ring_rows, row_floats, ring_cap, column_cap, out_cap;
	size_t phase_cap, taps_cap, wz_cap;
	fp__kit_mode mode;
	float amount, level; /* FP_KIT_UNSHARP */
} fp__kit_resampler;

/* Resample in into out (which may be the same frame: a same-size pass such
 * as a blur runs in place; the caller has set out's geometry). Colour is
 * premultiplied by alpha while resampling. Returns 0, or -ENOMEM (its
 * scratch memory cannot be had) with nothing written. */
int fp__kit_resample(fp__kit_resampler *r, const fp_frame *in, fp_frame *out,
		     const fp__kit_map *mx, const fp__kit_map *my);
void fp__kit_resampler_release(fp__kit_resampler *r);
/* The passes of fp__kit_resample once its taps and buffers are ready
 * (kit/resample_rows.c). */
void fp__kit_resample_rows(fp__kit_resampler *r, const fp_frame *in,
			   fp_frame *out, unsigned ch, bool alpha);

/* Gaussian blur of f in place (edges clamped); -ENOMEM on failure. */
int fp__kit_blur_frame(fp__kit_resampler *r, fp_frame *f, double sigma);

/* State of the stages built on the resampler (resize, blur, sharpen):
 * their config and the resampler's buffers, kept from frame to frame.
 * The init and fini fit the descriptor. */
typedef struct fp__kit_resample_stage {
	const void *config;
	fp__kit_resampler r;
} fp__kit_resample_stage;
int fp__kit_resample_stage_init(void **state, const void *config,
				const fp_stage_env *env, char *err,
				size_t err_size);
void fp__kit_resample_stage_fini(void *state);

/* ---- edge-padded row windows (convolve, median) ----------------------------
 */

/* A ring of the last 2*radius+1 input rows, each padded by radius pixels
 * on both sides with copies of the edge pixel, so that a filter that
 * writes its output in place still reads the original rows. Pixels are
 * units of `pixel_bytes` (fp_format_pixel_bytes: channels at 8 bits, twice
 * that at 16, where a row is read as uint16_t; the rows are aligned). */
typedef struct fp__kit_window {
	uint8_t *rows;
	size_t cap;
	size_t row_bytes;		 /* (width + 2 radius) * pixel_bytes */
	unsigned radius, channels, size; /* channels: pixel_bytes */
	int64_t loaded;			 /* rows 0..loaded-1 have been read */
	const fp_frame *frame;
} fp__kit_window;

/* Prepare to walk frame f; -ENOMEM on failure. */
int fp__kit_window_begin(fp__kit_window *w, const fp_frame *f, unsigned radius,
			 unsigned pixel_bytes);
/* rows[0..2 radius] = padded rows y-radius..y+radius (clamped); each
 * points at pixel -radius of its row. Call for y = 0, 1, 2, ... in order,
 * and write output row y only after this call. */
void fp__kit_window_rows(fp__kit_window *w, uint32_t y, const uint8_t **rows);
void fp__kit_window_release(fp__kit_window *w);

/* Grow *buf to hold at least n elements of size bytes; keeps it when big
 * enough. 0 or -ENOMEM. */
int fp__kit_grow(void *buf, size_t *cap, size_t n, size_t size);

#endif
