/* y4m_write — a sink that writes frames as a YUV4MPEG2 stream (what
 * `ffmpeg -f yuv4mpegpipe -i -` reads), to a file or standard output.
 *
 * Frames arrive in sequence order whatever the workers before it
 * (FP_STAGE_ORDERED). The stream header comes from the first frame; every
 * frame must have its size. RGB8/RGBA8 and G8/GA8 (alpha is dropped) are
 * converted with the BT.601 or BT.709 matrix to limited or full range,
 * chroma averaged over each 2x2 (4:2:0) or 2x1 (4:2:2) block.
 *
 * The header's frame rate is the first frame's FP_META_FRAME_RATE (what
 * y4m_read puts there), unless fps_num is set; 25:1 when neither says.
 * A YUV4MPEG2 frame's time is its place in the stream: a frame whose
 * FP_META_TIMESTAMP is past the next place (the frames between failed
 * upstream) is preceded by repeats of the frame before it, so the stream
 * keeps its length and every frame its time.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "framepipe/stage.h"
#include "y4m.h"

typedef struct y4m_write_config {
	const char *file;
	int chroma; /* enum y4m_chroma */
	int luma;   /* 0 bt601, 1 bt709 */
	int range;  /* 0 limited, 1 full */
	int64_t fps_num;
	int64_t fps_den;
} y4m_write_config;

typedef struct writer {
	const y4m_write_config *cfg;
	FILE *file;
	const char *name;
	y4m_encoder enc;
	uint32_t width, height; /* of the stream, from its first frame */
	uint64_t frame_bytes;
	uint8_t *planes;
	int32_t *sums;	  /* R, G, B sums of one band's chroma blocks */
	bool is_broken;	  /* a write failed: the stream is unusable */
	bool is_timed;	  /* the first frame had a timestamp */
	int64_t first;	  /* its timestamp */
	uint64_t written; /* frames in the stream, repeats included */
} writer;

/* The longest gap filled with repeats: a timestamp further ahead is
 * damaged metadata, not frames that failed. */
#define MAX_REPEATS 100000

static const char *const chroma_tags[] = {"420jpeg", "422", "444", "mono"};

/* ---- conversion ---------------------------------------------------------- */

/* Y of every pixel, and each chroma sample from the mean of the block of
 * pixels it covers (sx by sy, smaller at an odd edge), in one pass over
 * each band of sy rows. c is the frame's channel count (a constant in
 * each caller, so the compiler makes one loop per format); grey formats
 * read R = G = B. sums holds 3 * cw ints. */
static inline void convert(const writer *wr, const fp_frame *in, unsigned c,
			   int32_t *sums)
{
	const y4m_encoder *e = &wr->enc;
	int chroma = wr->cfg->chroma;
	unsigned sx = chroma == Y4M_444 ? 1 : 2;
	unsigned sy = chroma == Y4M_420 ? 2 : 1;
	uint32_t w = in->width, h = in->height, cw, ch;
	y4m_chroma_size(chroma, w, h, &cw, &ch);
	uint8_t *luma = wr->planes;
	uint8_t *cb = luma + (size_t)w * h, *cr = cb + (size_t)cw * ch;
	for (uint32_t y0 = 0; y0 < h; y0 += sy) {
		uint32_t rows = y0 + sy <= h ? sy : h - y0;
		if (chroma != Y4M_MONO)
			memset(sums, 0, 3 * sizeof *sums * cw);
		for (uint32_t y = y0; y < y0 + rows; y++) {
			const uint8_t *p = in->pixels + (size_t)y * in->stride;
			uint8_t *dst = luma + (size_t)y * w;
			for (uint32_t x = 0; x < w; x++, p += c) {
				int32_t r = p[0];
				int32_t g = c >= 3 ? p[1] : r;
				int32_t b = c >= 3 ? p[2] : r;
				dst[x] = y4m_clamp16(e->yr * r + e->yg * g +
						     e->yb * b + e->yoff);
				if (chroma == Y4M_MONO)
					continue;
				int32_t *s = sums + 3 * (x / sx);
				s[0] += r;
				s[1] += g;
				s[2] += b;
			}
		}
		if (chroma == Y4M_MONO)
			continue;
		uint8_t *u = cb + (size_t)(y0 / sy) * cw;
		uint8_t *v = cr + (size_t)(y0 / sy) * cw;
		for (uint32_t i = 0; i < cw; i++) {
			const int32_t *s = sums + 3 * i;
			/* n = 1, 2 or 4 pixels: divide by shifting. Each sum
			 * is at most 4 * 255, so products fit 32 bits. */
			unsigned shift =
				(rows == 2) + (i * sx + 1 < w && sx == 2);
			int32_t add =
				(128 << (16 + shift)) + (1 << (15 + shift));
			int32_t su = e->ur * s[0] + e->ug * s[1] + e->ub * s[2];
			int32_t sv = e->vr * s[0] + e->vg * s[1] + e->vb * s[2];
			u[i] = y4m_clamp16((su + add) >> shift);
			v[i] = y4m_clamp16((sv + add) >> shift);
		}
	}
}

static void convert_frame(const writer *wr, const fp_frame *in)
{
	switch (fp_format_channels(in->format)) {
	case 1: convert(wr, in, 1, wr->sums); break;
	case 2: convert(wr, in, 2, wr->sums); break;
	case 3: convert(wr, in, 3, wr->sums); break;
	default: convert(wr, in, 4, wr->sums); break;
	}
}

/* ---- the stream ---------------------------------------------------------- */

/* The value of the first entry of kind, when it has exactly size bytes. */
static bool meta_value(const fp_meta *m, fp_meta_kind kind, void *value,
		       size_t size)
{
	const fp_meta_entry *e = fp_meta_find(m, kind, NULL);
	if (e == NULL || e->value_size != size)
		return false;
	memcpy(value, fp_meta_value(e), size);
	return true;
}

/* "FRAME\n" and the planes; 0, or the frame failed with errno's reason. */
static int write_planes(writer *wr, fp_frame *in)
{
	if (fputs("FRAME\n", wr->file) < 0 ||
	    fwrite(wr->planes, 1, wr->frame_bytes, wr->file) !=
		    wr->frame_bytes) {
		int e = errno;
		wr->is_broken = true;
		return fp_frame_fail(in, e > 0 ? -e : FP_EIO,
				     "cannot write %s: %s", wr->name,
				     strerror(e));
	}
	wr->written++;
	return 0;
}

/* Before a timed frame: repeats of the last frame written up to the
 * frame's place (0 when it is the next one). A frame that is not after
 * the last place, or too far after it, fails. */
static int fill_to(writer *wr, fp_frame *in)
{
	int64_t t;
	if (!meta_value(in->meta, FP_META_TIMESTAMP, &t, sizeof t))
		return 0;
	if (wr->written == 0) {
		wr->is_timed = true;
		wr->first = t;
		return 0;
	}
	if (!wr->is_timed)
		return 0;
	int64_t next = wr->first + (int64_t)wr->written;
	if (t < next)
		return fp_frame_fail(in, FP_ECORRUPT,
				     "timestamp %" PRId64
				     " is not after the last frame written "
				     "(%" PRId64
				     "): a YUV4MPEG2 stream has one "
				     "frame per period",
				     t, next - 1);
	if (t - next > MAX_REPEATS)
		return fp_frame_fail(in, FP_ECORRUPT,
				     "timestamp %" PRId64 " is %" PRId64
				     " frames past the last written (at most "
				     "%d are filled with repeats)",
				     t, t - next + 1, MAX_REPEATS);
	for (; next < t; next++) {
		int rc = write_planes(wr, in);
		if (rc != 0)
			return rc;
	}
	return 0;
}

static int start_stream(writer *wr, fp_frame *in)
{
	const y4m_write_config *c = wr->cfg;
	if (in->width > FP_MAX_DIMENSION || in->height > FP_MAX_DIMENSION)
		return fp_frame_fail(in, FP_ELIMIT,
				     "%" PRIu32 "x%" PRIu32
				     " is larger than a stream this writer "
				     "makes (%ux%u)",
				     in->width, in->height, FP_MAX_DIMENSION,
				     FP_MAX_DIMENSION);
	wr->width = in->width;
	wr->height = in->height;
	wr->frame_bytes = y4m_frame_bytes(c->chroma, in->width, in->height);
	wr->planes = malloc(wr->frame_bytes);
	wr->sums = calloc(3 * ((size_t)in->width + 1), sizeof *wr->sums);
	if (wr->planes == NULL || wr->sums == NULL) {
		free(wr->planes);
		wr->planes = NULL;
		return fp_frame_fail(in, -ENOMEM, "out of memory");
	}
	uint64_t rate[2] = {25, 1};
	uint32_t carried[2];
	if (c->fps_num > 0) {
		rate[0] = (uint64_t)c->fps_num;
		rate[1] = (uint64_t)c->fps_den;
	} else if (meta_value(in->meta, FP_META_FRAME_RATE, carried,
			      sizeof carried) &&
		   carried[0] > 0 && carried[1] > 0) {
		rate[0] = carried[0];
		rate[1] = carried[1];
	}
	if (fprintf(wr->file,
		    "YUV4MPEG2 W%" PRIu32 " H%" PRIu32 " F%" PRIu64 ":%" PRIu64
		    " Ip A1:1 C%s XCOLORRANGE=%s\n",
		    in->width, in->height, rate[0], rate[1],
		    chroma_tags[c->chroma],
		    c->range == 1 ? "FULL" : "LIMITED") < 0) {
		wr->is_broken = true;
		return fp_frame_fail(in, FP_EIO, "cannot write %s: %s",
				     wr->name, strerror(errno));
	}
	return 0;
}

static int y4m_write_init(void **state, const void *config,
			  const fp_stage_env *env, char *err, size_t err_size)
{
	(void)env;
	const y4m_write_config *c = config;
	writer *wr = calloc(1, sizeof *wr);
	if (wr == NULL)
		return -ENOMEM;
	wr->cfg = c;
	bool to_stdout = strcmp(c->file, "-") == 0;
	wr->name = to_stdout ? "standard output" : c->file;
	wr->file = to_stdout ? stdout : fopen(c->file, "wbe");
	if (wr->file == NULL) {
		int e = errno;
		snprintf(err, err_size, "%s: %s", c->file, strerror(e));
		free(wr);
		return -e;
	}
	y4m_encoder_init(&wr->enc, c->luma == 1, c->range == 1);
	*state = wr;
	return 0;
}

static void y4m_write_fini(void *state)
{
	writer *wr = state;
	if (wr->file != stdout)
		fclose(wr->file);
	else
		fflush(stdout);
	free(wr->planes);
	free(wr->sums);
	free(wr);
}

static int y4m_write_process(void *state, fp_frame *in, fp_frame *out)
{
	(void)out;
	writer *wr = state;
	if (wr->is_broken)
		return fp_frame_fail(
			in, FP_EIO, "%s: not written (an earlier write failed)",
			wr->name);
	if (wr->planes == NULL) {
		int rc = start_stream(wr, in);
		if (rc != 0)
			return rc;
	}
	if (in->width != wr->width || in->height != wr->height)
		return fp_frame_fail(
			in, FP_EGEOMETRY,
			"frame is %" PRIu32 "x%" PRIu32 ", the stream %" PRIu32
			"x%" PRIu32 " (a YUV4MPEG2 stream has one size)",
			in->width, in->height, wr->width, wr->height);
	int rc = fill_to(wr, in);
	if (rc != 0)
		return rc;
	convert_frame(wr, in);
	rc = write_planes(wr, in);
	if (rc != 0)
		return rc;
	if (fflush(wr->file) != 0) {
		int e = errno;
		wr->is_broken = true;
		return fp_frame_fail(in, e > 0 ? -e : FP_EIO,
				     "cannot write %s: %s", wr->name,
				     strerror(e));
	}
	return 0;
}

static const fp_param params[] = {
	FP_PARAM_STRING_(y4m_write_config, file, "-",
			 "where to write; - is standard output"),
	FP_PARAM_CHOICE_(y4m_write_config, chroma, "420", "420|422|444|gray",
			 "chroma layout of the stream (420 is C420jpeg, gray "
			 "is Cmono: Y alone)"),
	FP_PARAM_CHOICE_(
		y4m_write_config, luma, "bt601", "bt601|bt709",
		"luma coefficients of the RGB to Y'CbCr matrix (BT.601 "
		"SD, BT.709 HD)"),
	FP_PARAM_CHOICE_(y4m_write_config, range, "limited", "limited|full",
			 "written as XCOLORRANGE in the header"),
	FP_PARAM_INT_(y4m_write_config, fps_num, "0", 0, 1e9,
		      "frame rate numerator (the header's F); 0: the "
		      "frames' own rate (y4m_read's), 25 when they carry "
		      "none"),
	FP_PARAM_INT_(y4m_write_config, fps_den, "1", 1, 1e9,
		      "frame rate denominator, with fps_num"),
};

FP_STAGE_EXPORT = {
	FP_STAGE_HEADER,
	.name = "y4m_write",
	.summary = "write frames as a YUV4MPEG2 stream (file or standard "
		   "output), in order",
	.description =
		"Writes the frames, in sequence order, as one 8-bit\n"
		"YUV4MPEG2 stream that ffmpeg -f yuv4mpegpipe -i - reads.\n"
		"The header is taken from the first frame; every frame must\n"
		"have its size. Alpha is dropped. The frame rate is the\n"
		"frames' own (y4m_read carries the input's), 25:1 when they\n"
		"have none, or fps_num:fps_den when fps_num is set. Frames\n"
		"keep their timestamps: a frame that failed before this\n"
		"stage is replaced by a repeat of the one before it, so the\n"
		"stream keeps its length (a frame with no timestamp is\n"
		"appended).",
	.kind = FP_STAGE_SINK,
	.flags = FP_STAGE_ORDERED | FP_STAGE_SINGLE_INSTANCE |
		 FP_STAGE_WRITES_STDOUT,
	.formats = FP_FORMATS_8BIT,
	.params = params,
	.param_count = FP_COUNT_OF(params),
	.config_size = sizeof(y4m_write_config),
	.init = y4m_write_init,
	.process = y4m_write_process,
	.fini = y4m_write_fini,
};
