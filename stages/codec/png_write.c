/* Encoding frames as PNG files with libpng, atomically (codec/files.h).
 *
 * Depth: the frame's by default (8-bit formats as 8-bit PNGs, 16-bit ones
 * as 16-bit); depth=8 rounds 16-bit samples ((v * 255 + 32767) / 65535,
 * i.e. round(v / 257)), depth=16 widens 8-bit ones (v * 257). Samples are
 * stored as given: no gamma is applied. The frame's metadata is written
 * as chunks before IDAT (png_meta.c) unless strip says otherwise.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <png.h>
#include <zlib.h>

#include "files.h"
#include "png_codec.h"

#define PNG_MAX_DIM 2147483647u

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

const fp_param fp_png_encode_params[FP_PNG_ENCODE_PARAMS] = {
	FP_PARAM_INT_(
		struct fp_png_encode_config, level, "6", 0, 9,
		"zlib compression level: 0 none, 1 fastest .. 9 smallest"),
	FP_PARAM_CHOICE_(struct fp_png_encode_config, filter, "all",
			 "all|none|sub|up|avg|paeth",
			 "row filter: all lets libpng choose per row"),
	FP_PARAM_CHOICE_(struct fp_png_encode_config, strategy, "rle",
			 "full|long|rle|huffman",
			 "deflate's string matching: full (every match, zlib's "
			 "default strategy), long (only matches over 5 bytes, "
			 "zlib's filtered: libpng's own choice), rle (only "
			 "runs, the default: photos 4-5x faster than long for "
			 "files within 2% of its size; tests/bench/README.md), "
			 "huffman (no matches)"),
	FP_PARAM_CHOICE_(struct fp_png_encode_config, depth, "keep",
			 "keep|8|16",
			 "bits per sample written: the frame's, 8 (16-bit "
			 "rounded) or 16 (8-bit times 257)"),
	FP_PARAM_CHOICE_(struct fp_png_encode_config, strip, "keep",
			 "keep|meta|all",
			 "metadata left out: keep writes all of it, meta keeps "
			 "only the colour chunks (iCCP, gAMA, cHRM, sRGB), all "
			 "writes none"),
};

const char fp_png_encode_description[] =
	"Writes each frame as one PNG file: G, GA, RGB, RGBA at 8 or 16 bits "
	"per sample\n"
	"(depth=keep: the frame's; 8 rounds, 16 widens by 257), through a "
	"temporary name\n"
	"renamed into place once complete. The frame's metadata becomes "
	"chunks: ICC profile ->\n"
	"iCCP, EXIF -> eXIf, XMP -> iTXt XML:com.adobe.xmp, text -> tEXt, "
	"zTXt or iTXt as it\n"
	"was read (UTF-8 text with a language -> iTXt), comment -> tEXt "
	"Comment, resolution ->\n"
	"pHYs (per inch converted to per metre), gamma -> gAMA, chromaticities "
	"-> cHRM,\n"
	"rendering intent -> sRGB. strip=meta keeps only iCCP, gAMA, cHRM and "
	"sRGB (what the\n"
	"pixels need to be shown right), strip=all writes no metadata.";

/* What libpng's callbacks and the error path need; lives in the caller of
 * write_png() so the error path reads nothing local to the function that
 * calls setjmp(). */
struct writer {
	FILE *file;
	fp_frame *in;
	const struct fp_png_encode_config *cfg;
	int code;	  /* error code for the next png_error() */
	uint8_t *row;	  /* a converted row, when the depth changes */
	uint8_t *scratch; /* png_meta.c's buffer */
	size_t scratch_size;
	char msg[256];
};

/* ---- checks -------------------------------------------------------------- */

static int color_type_of(fp_format format)
{
	switch (fp_format_channels(format)) {
	case 1: return PNG_COLOR_TYPE_GRAY;
	case 2: return PNG_COLOR_TYPE_GRAY_ALPHA;
	case 3: return PNG_COLOR_TYPE_RGB;
	case 4: return PNG_COLOR_TYPE_RGB_ALPHA;
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
				     "GA8, RGB8, RGBA8 or their 16-bit forms)",
				     (int)in->format);
	if (in->width == 0 || in->height == 0 || in->width > PNG_MAX_DIM ||
	    in->height > PNG_MAX_DIM)
		return fp_frame_fail(in, FP_EGEOMETRY,
				     "cannot encode a %" PRIu32 "x%" PRIu32
				     " frame (expected 1..2147483647 each way)",
				     in->width, in->height);
	row = (uint64_t)in->width * fp_format_pixel_bytes(in->format);
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

static bool little_endian(void)
{
	const uint16_t one = 1;
	return *(const uint8_t *)&one == 1;
}

/* Samples of one row in the file's depth and byte order (big-endian). */
static void convert_row(const uint8_t *src, uint8_t *dst, size_t samples,
			unsigned from_bytes)
{
	if (from_bytes == 1) { /* 8 -> 16: v * 257 */
		for (size_t i = 0; i < samples; i++)
			dst[2 * i] = dst[2 * i + 1] = src[i];
		return;
	}
	const uint16_t *s = (const uint16_t *)(const void *)src;
	for (size_t i = 0; i < samples; i++) /* 16 -> 8, rounded */
		dst[i] = (uint8_t)(((uint32_t)s[i] * 255 + 32767) / 65535);
}

static void write_rows(png_structp png, png_infop info, struct writer *wr)
{
	fp_frame *in = wr->in;
	const struct fp_png_encode_config *cfg = wr->cfg;
	unsigned from = fp_format_sample_bytes(in->format);
	unsigned to = cfg->depth == FP_PNG_DEPTH_8    ? 1
		      : cfg->depth == FP_PNG_DEPTH_16 ? 2
						      : from;
	size_t samples = (size_t)in->width * fp_format_channels(in->format);

	png_set_IHDR(png, info, in->width, in->height, 8 * to,
		     color_type_of(in->format), PNG_INTERLACE_NONE,
		     PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	png_set_compression_level(png, (int)cfg->level);
	png_set_compression_strategy(png, strategies[cfg->strategy]);
	png_set_filter(png, PNG_FILTER_TYPE_BASE, filter_masks[cfg->filter]);
	png_write_info_before_PLTE(png, info);
	if (in->meta != NULL && cfg->strip != FP_PNG_STRIP_ALL)
		fp__png_meta_write(png, in->meta, cfg->strip, &wr->scratch,
				   &wr->scratch_size);
	png_write_info(png, info);
	if (from != to) {
		wr->row = malloc(samples * to);
		if (wr->row == NULL) {
			wr->code = -ENOMEM;
			png_error(png, "out of memory converting a row");
		}
	} else if (to == 2 && little_endian()) {
		png_set_swap(png);
	}
	for (uint32_t y = 0; y < in->height; y++) {
		const uint8_t *src = in->pixels + (size_t)y * in->stride;
		if (wr->row != NULL) {
			convert_row(src, wr->row, samples, from);
			src = wr->row;
		}
		png_write_row(png, src);
	}
	png_write_end(png, NULL);
}

static int write_png(struct writer *wr)
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
	write_rows(png, info, wr);
	png_destroy_write_struct(&png, &info);
	return 0;
}

int fp__png_encode(const void *config, fp_frame *in)
{
	struct writer wr = {.in = in, .cfg = config, .code = FP_EIO};
	fp_outfile file;

	int ret = check_frame(in);
	if (ret < 0)
		return ret;
	ret = fp__outfile_open(&file, in);
	if (ret < 0)
		return ret;
	wr.file = file.file;
	ret = write_png(&wr);
	free(wr.row);
	free(wr.scratch);
	return fp__outfile_finish(&file, in, ret);
}
