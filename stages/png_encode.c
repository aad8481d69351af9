/* png_encode — a sink stage that writes each frame as a PNG file (libpng).
 *
 * The file is written atomically through a temporary name (codec/files.h).
 * No gamma,
 * sRGB or other colour chunks are written: samples are stored as given.
 */
#define _GNU_SOURCE /* mkostemp */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <png.h>
#include <zlib.h>

#include "files.h"
#include "framepipe/stage.h"

#define PNG_MAX_DIM 2147483647u

struct png_encode_config {
	int64_t level;
	int filter;   /* index into filter_masks */
	int strategy; /* index into strategies */
};

static const int filter_masks[] = {
	PNG_ALL_FILTERS, PNG_FILTER_NONE, PNG_FILTER_SUB,
	PNG_FILTER_UP,	 PNG_FILTER_AVG,  PNG_FILTER_PAETH,
};

static const int strategies[] = {
	Z_DEFAULT_STRATEGY,
	Z_FILTERED,
	Z_RLE,
	Z_HUFFMAN_ONLY,
};

/* The instance's state: its parameters. */
struct encoder {
	const struct png_encode_config *cfg;
};

/* What libpng's callbacks need; lives in the caller of write_png() so the
 * error path reads nothing local to the function that calls setjmp(). */
struct writer {
	FILE *file;
	fp_frame *in;
	int code; /* error code for the next png_error() */
	char msg[256];
};

/* ---- checks -------------------------------------------------------------- */

static int color_type_of(fp_format format)
{
	switch (format) {
	case FP_FORMAT_G8: return PNG_COLOR_TYPE_GRAY;
	case FP_FORMAT_GA8: return PNG_COLOR_TYPE_GRAY_ALPHA;
	case FP_FORMAT_RGB8: return PNG_COLOR_TYPE_RGB;
	case FP_FORMAT_RGBA8: return PNG_COLOR_TYPE_RGB_ALPHA;
	default: return -1;
	}
}

static int check_frame(fp_frame *in)
{
	uint64_t row, need;

	if (in->output_path == NULL || in->output_path[0] == '\0')
		return fp_frame_fail(in, FP_ECONFIG,
				     "no output path (png_encode writes files: "
				     "give the run an output folder)");
	if (color_type_of(in->format) < 0)
		return fp_frame_fail(in, FP_EFORMAT,
				     "cannot encode format %d (expected G8, "
				     "GA8, RGB8 or RGBA8)",
				     (int)in->format);
	if (in->width == 0 || in->height == 0 || in->width > PNG_MAX_DIM ||
	    in->height > PNG_MAX_DIM)
		return fp_frame_fail(in, FP_EGEOMETRY,
				     "cannot encode a %" PRIu32 "x%" PRIu32
				     " frame (expected 1..2147483647 each way)",
				     in->width, in->height);
	row = (uint64_t)in->width * fp_format_channels(in->format);
	if (in->stride < row)
		return fp_frame_fail(
			in, FP_EGEOMETRY,
			"stride %" PRIu32 " is shorter than a row of %" PRIu32
			" %s pixels (%" PRIu64 " bytes)",
			in->stride, in->width, fp_format_name(in->format), row);
	need = (uint64_t)in->stride * (in->height - 1) + row;
	if (in->pixels == NULL || need > in->capacity)
		return fp_frame_fail(
			in, FP_EGEOMETRY,
			"%" PRIu32 "x%" PRIu32 " %s frame with stride %" PRIu32
			" needs %" PRIu64 " bytes, its slot holds %zu",
			in->width, in->height, fp_format_name(in->format),
			in->stride, need, in->capacity);
	return 0;
}

/* ---- writing with libpng ------------------------------------------------- */

static void on_png_error(png_structp png, png_const_charp msg)
{
	struct writer *wr = png_get_error_ptr(png);

	fp_frame_fail(wr->in, wr->code, "%s", msg);
	png_longjmp(png, 1);
}

static void on_png_warning(png_structp png, png_const_charp msg)
{
	(void)png;
	(void)msg;
}

static void on_png_write(png_structp png, png_bytep data, size_t len)
{
	struct writer *wr = png_get_io_ptr(png);

	errno = 0;
	if (fwrite(data, 1, len, wr->file) != len) {
		int e = fp__codec_errno();
		wr->code = -e;
		(void)snprintf(wr->msg, sizeof(wr->msg), "cannot write %s: %s",
			       wr->in->output_path, strerror(e));
		png_error(png, wr->msg);
	}
}

static void on_png_flush(png_structp png)
{
	(void)png; /* fclose() flushes; its result is checked */
}

static void write_rows(png_structp png, png_infop info,
		       const struct png_encode_config *cfg, fp_frame *in)
{
	png_set_IHDR(png, info, in->width, in->height, 8,
		     color_type_of(in->format), PNG_INTERLACE_NONE,
		     PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	png_set_compression_level(png, (int)cfg->level);
	png_set_compression_strategy(png, strategies[cfg->strategy]);
	png_set_filter(png, PNG_FILTER_TYPE_BASE, filter_masks[cfg->filter]);
	png_write_info(png, info);
	for (uint32_t y = 0; y < in->height; y++)
		png_write_row(png, in->pixels + (size_t)y * in->stride);
	png_write_end(png, NULL);
}

static int write_png(const struct png_encode_config *cfg, struct writer *wr)
{
	png_structp png;
	png_infop info;

	png = png_create_write_struct(PNG_LIBPNG_VER_STRING, wr, on_png_error,
				      on_png_warning);
	if (png == NULL)
		return fp_frame_fail(wr->in, -ENOMEM,
				     "out of memory creating the PNG writer");
	info = png_create_info_struct(png);
	if (info == NULL) {
		png_destroy_write_struct(&png, NULL);
		return fp_frame_fail(wr->in, -ENOMEM,
				     "out of memory creating the PNG writer");
	}
	if (setjmp(png_jmpbuf(png))) {
		png_destroy_write_struct(&png, &info);
		return wr->code;
	}
	png_set_write_fn(png, wr, on_png_write, on_png_flush);
	write_rows(png, info, cfg, wr->in);
	png_destroy_write_struct(&png, &info);
	return 0;
}

/* ---- the stage ----------------------------------------------------------- */

static int png_encode_init(void **state, const void *config,
			   const fp_stage_env *env, char *err, size_t err_size)
{
	struct encoder *enc;

	(void)env;
	enc = malloc(sizeof(*enc));
	if (enc == NULL) {
		(void)snprintf(err, err_size, "out of memory");
		return -ENOMEM;
	}
	enc->cfg = config;
	*state = enc;
	return 0;
}

static void png_encode_fini(void *state)
{
	free(state);
}

static int png_encode_process(void *state, fp_frame *in, fp_frame *out)
{
	const struct encoder *enc = state;
	struct writer wr = {.in = in, .code = FP_EIO};
	fp_outfile file;

	(void)out;
	int ret = check_frame(in);
	if (ret < 0)
		return ret;
	ret = fp__outfile_open(&file, in);
	if (ret < 0)
		return ret;
	wr.file = file.file;
	ret = write_png(enc->cfg, &wr);
	return fp__outfile_finish(&file, in, ret);
}

static const fp_param png_encode_params[] = {
	FP_PARAM_INT_(
		struct png_encode_config, level, "6", 0, 9,
		"zlib compression level: 0 none, 1 fastest .. 9 smallest"),
	FP_PARAM_CHOICE_(struct png_encode_config, filter, "all",
			 "all|none|sub|up|avg|paeth",
			 "row filter: all lets libpng choose per row"),
	FP_PARAM_CHOICE_(struct png_encode_config, strategy, "rle",
			 "default|filtered|rle|huffman",
			 "zlib strategy: rle (default) encodes photos 4-5x "
			 "faster than filtered (libpng's own choice) for files "
			 "within 2% of its size; tests/bench/README.md"),
};

FP_STAGE_EXPORT = {
	FP_STAGE_HEADER,
	.name = "png_encode",
	.summary = "write frames as PNG files (libpng), atomically",
	.kind = FP_STAGE_SINK,
	.flags = FP_STAGE_WRITES_OUTPUTS,
	.formats = FP_FORMATS_8BIT,
	.params = png_encode_params,
	.param_count = FP_COUNT_OF(png_encode_params),
	.config_size = sizeof(struct png_encode_config),
	.init = png_encode_init,
	.process = png_encode_process,
	.fini = png_encode_fini,
};
