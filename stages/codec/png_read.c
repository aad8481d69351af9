/* Decoding PNG files with libpng straight into the pool slot.
 *
 * libpng fills the slot row by row (Adam7 passes are combined in place):
 * there is no intermediate image buffer. The signature and IHDR are read
 * and checked by hand first, so that the size limits and the slot size are
 * enforced before libpng allocates anything; the same header answers the
 * planner's probe.
 *
 * Layouts and depths: see fp_png_decode_description (png.c). 16-bit
 * samples are native-endian in the slot (png_set_swap on little-endian
 * machines), 1/2/4-bit gray is expanded by bit replication, 8 -> 16 is
 * v * 257 (png_set_expand_16), 16 -> 8 is round(v / 257)
 * (png_set_scale_16). Gamma, sRGB, iCCP, cHRM, sBIT and bKGD are not
 * applied: samples are taken as stored.
 *
 * Work per file is bounded by what its header declares: IDAT inflates to
 * the image and no further than max_extra_idat compressed bytes past it
 * (libpng would otherwise inflate the rest of the stream, however long, to
 * find its end); metadata chunks are refused at their header once they
 * would exceed max_metadata, and inflated by png_meta.c within what is
 * left of it.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <png.h>
#include <zlib.h>

#include "files.h"
#include "png_codec.h"

#define PNG_MAX_DIM 2147483647u /* the PNG specification's 2^31 - 1 */
#define HEADER_SIZE 33		/* signature + IHDR chunk */
#define CHUNK_IDAT  0x49444154u /* "IDAT" as libpng names chunks */

/* What the hand-read IHDR says. */
struct png_header {
	uint32_t width;
	uint32_t height;
	unsigned depth;
	unsigned color;
	unsigned interlace;
};

/* Everything libpng's callbacks need; lives in the caller of decode() so
 * nothing the error path reads is a local of the function that calls
 * setjmp(). */
struct reader {
	FILE *file;
	fp_frame *out;
	const struct fp_png_decode_config *cfg;
	uint8_t head[HEADER_SIZE]; /* bytes already read, replayed to libpng */
	size_t head_len;
	uint64_t offset;      /* bytes handed to libpng so far */
	int code;	      /* error code for the next png_error() */
	bool last_row;	      /* reading the last row: libpng then inflates
			       * what is left of the stream */
	uint64_t extra_idat;  /* compressed IDAT bytes read since */
	uint64_t extra_limit; /* max_extra_idat + what the last row needs */
	struct fp_png_meta_in meta; /* meta.meta NULL: metadata skipped */
	char msg[256];
};

static const uint8_t png_signature[8] = {137, 80, 78, 71, 13, 10, 26, 10};

static uint32_t load_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

/* ---- signature and IHDR, by hand ----------------------------------------- */

/* Read up to HEADER_SIZE bytes into buf; sets *len. */
static int read_head(FILE *file, uint8_t *buf, size_t *len, char *err,
		     size_t err_size)
{
	errno = 0;
	*len = fread(buf, 1, HEADER_SIZE, file);
	if (*len < HEADER_SIZE && ferror(file)) {
		int e = fp__codec_errno();
		return fp__codec_error(err, err_size, -e, "cannot read: %s",
				       strerror(e));
	}
	if (*len == 0)
		return fp__codec_error(err, err_size, FP_ECORRUPT,
				       "empty file");
	return 0;
}

static bool depth_is_valid(unsigned color, unsigned depth)
{
	switch (color) {
	case 0:
		return depth == 1 || depth == 2 || depth == 4 || depth == 8 ||
		       depth == 16;
	case 3: return depth == 1 || depth == 2 || depth == 4 || depth == 8;
	case 2:
	case 4:
	case 6: return depth == 8 || depth == 16;
	}
	return false;
}

static int check_ihdr_fields(const struct png_header *h, const uint8_t *d,
			     char *err, size_t err_size)
{
	if (h->width == 0 || h->width > PNG_MAX_DIM)
		return fp__codec_error(err, err_size, FP_ECORRUPT,
				       "IHDR: width %" PRIu32
				       " is invalid (expected 1..2147483647)",
				       h->width);
	if (h->height == 0 || h->height > PNG_MAX_DIM)
		return fp__codec_error(err, err_size, FP_ECORRUPT,
				       "IHDR: height %" PRIu32
				       " is invalid (expected 1..2147483647)",
				       h->height);
	if (h->color > 6 || h->color == 1 || h->color == 5)
		return fp__codec_error(
			err, err_size, FP_ECORRUPT,
			"IHDR: colour type %u is invalid (expected 0, "
			"2, 3, 4 or 6)",
			h->color);
	if (!depth_is_valid(h->color, h->depth))
		return fp__codec_error(
			err, err_size, FP_ECORRUPT,
			"IHDR: bit depth %u is invalid for colour type %u",
			h->depth, h->color);
	if (d[10] != 0 || d[11] != 0)
		return fp__codec_error(
			err, err_size, FP_ECORRUPT,
			"IHDR: unknown %s method %u (expected 0)",
			d[10] != 0 ? "compression" : "filter",
			d[10] != 0 ? d[10] : d[11]);
	if (h->interlace > 1)
		return fp__codec_error(
			err, err_size, FP_ECORRUPT,
			"IHDR: unknown interlace method %u (expected 0 or 1)",
			h->interlace);
	return 0;
}

/* Check the signature and IHDR in buf (len bytes read from the start). */
static int parse_header(const uint8_t *buf, size_t len, struct png_header *h,
			char *err, size_t err_size)
{
	size_t sig_len = len < 8 ? len : 8;

	if (memcmp(buf, png_signature, sig_len) != 0)
		return fp__codec_error(err, err_size, FP_ECORRUPT,
				       "not a PNG file (bad signature)");
	if (len < HEADER_SIZE)
		return fp__codec_error(
			err, err_size, FP_ECORRUPT,
			"truncated: file ends after %zu bytes, in the %s", len,
			len < 8 ? "signature" : "IHDR chunk");
	if (load_be32(buf + 8) != 13 || memcmp(buf + 12, "IHDR", 4) != 0)
		return fp__codec_error(err, err_size, FP_ECORRUPT,
				       "first chunk is not a 13-byte IHDR");
	if (crc32(0, buf + 12, 17) != load_be32(buf + 29))
		return fp__codec_error(err, err_size, FP_ECORRUPT,
				       "IHDR: CRC error");

	h->width = load_be32(buf + 16);
	h->height = load_be32(buf + 20);
	h->depth = buf[24];
	h->color = buf[25];
	h->interlace = buf[28];
	return check_ihdr_fields(h, buf + 16, err, err_size);
}

/* Fail with FP_ELIMIT naming every limit h exceeds, so that one message
 * says everything that needs raising. */
static int check_limits(const struct fp_png_decode_config *cfg,
			const struct png_header *h, char *err, size_t err_size)
{
	const char *names[3];
	int64_t limits[3];
	int n = 0;
	char list[160] = "";
	size_t used = 0;

	if ((int64_t)h->width > cfg->max_width) {
		names[n] = "max_width";
		limits[n++] = cfg->max_width;
	}
	if ((int64_t)h->height > cfg->max_height) {
		names[n] = "max_height";
		limits[n++] = cfg->max_height;
	}
	if ((int64_t)h->width * h->height > cfg->max_pixels) {
		names[n] = "max_pixels";
		limits[n++] = cfg->max_pixels;
	}
	if (n == 0)
		return 0;
	for (int i = 0; i < n && used < sizeof(list); i++) {
		int len = snprintf(list + used, sizeof(list) - used,
				   "%spng_decode.%s=%" PRId64,
				   i == 0	? ""
				   : i == n - 1 ? " and "
						: ", ",
				   names[i], limits[i]);
		used += len > 0 ? (size_t)len : 0;
	}
	return fp__codec_error(
		err, err_size, FP_ELIMIT,
		"%" PRIu32 "x%" PRIu32 " exceeds %s (raise %s in the stage's "
		"parameters)",
		h->width, h->height, list, n == 1 ? "it" : "them");
}

/* Open path and check its header and limits; the caller closes *file. */
static int open_checked(const struct fp_png_decode_config *cfg,
			const char *path, FILE **file, struct reader *rd,
			struct png_header *h, char *err, size_t err_size)
{
	int ret = fp__codec_open_input(path, file, err, err_size);
	if (ret < 0)
		return ret;
	ret = read_head(*file, rd->head, &rd->head_len, err, err_size);
	if (ret < 0)
		goto err_close;
	ret = parse_header(rd->head, rd->head_len, h, err, err_size);
	if (ret < 0)
		goto err_close;
	ret = check_limits(cfg, h, err, err_size);
	if (ret < 0)
		goto err_close;
	return 0;

err_close:
	(void)fclose(*file);
	*file = NULL;
	return ret;
}

/* ---- output format ------------------------------------------------------- */

/* Channels of the file's own layout, with or without a tRNS chunk. */
static unsigned file_channels(unsigned color, bool trns)
{
	switch (color) {
	case PNG_COLOR_TYPE_GRAY: return trns ? 2 : 1;
	case PNG_COLOR_TYPE_GRAY_ALPHA: return 2;
	case PNG_COLOR_TYPE_RGB:
	case PNG_COLOR_TYPE_PALETTE: return trns ? 4 : 3;
	default: return 4;
	}
}

static unsigned out_channels(const struct fp_png_decode_config *cfg,
			     unsigned color, bool trns)
{
	unsigned want = fp__png_want_channels(cfg);
	return want != 0 ? want : file_channels(color, trns);
}

/* Bytes per output sample. */
static unsigned out_bytes(const struct fp_png_decode_config *cfg,
			  unsigned file_depth)
{
	unsigned want = fp__png_want_depth(cfg);
	return (want != 0 ? want : file_depth == 16 ? 16 : 8) / 8;
}

/* Every format this file may give (keep: with and without a tRNS). */
static uint32_t formats_of(const struct fp_png_decode_config *cfg,
			   const struct png_header *h)
{
	unsigned b = out_bytes(cfg, h->depth);
	return FP_FORMAT_BIT(
		       fp_format_of(out_channels(cfg, h->color, false), b)) |
	       FP_FORMAT_BIT(
		       fp_format_of(out_channels(cfg, h->color, true), b));
}

/* Fail with FP_ENOFIT unless a width x height frame of format fits. */
static int check_fit(fp_frame *out, uint32_t width, uint32_t height,
		     fp_format format)
{
	uint64_t stride = (uint64_t)width * fp_format_pixel_bytes(format);
	uint64_t need = stride * height; /* < 2^64: both below 2^34, 2^31 */

	if (stride <= UINT32_MAX && need <= out->capacity)
		return 0;
	return fp_frame_fail(out, FP_ENOFIT,
			     "decoded %" PRIu32 "x%" PRIu32 " %s needs %" PRIu64
			     " bytes, pool slot holds %zu (raise it: --set "
			     "slot_size=N or [pipeline] slot_size)",
			     width, height, fp_format_name(format), need,
			     out->capacity);
}

static bool little_endian(void)
{
	const uint16_t one = 1;
	return *(const uint8_t *)&one == 1;
}

/* Ask libpng for the configured output format; returns it. */
static fp_format set_transforms(png_structp png, png_infop info,
				const struct fp_png_decode_config *cfg)
{
	unsigned color = png_get_color_type(png, info);
	unsigned file_depth = png_get_bit_depth(png, info);
	bool trns = png_get_valid(png, info, PNG_INFO_tRNS) != 0;
	unsigned ch = out_channels(cfg, color, trns);
	unsigned bytes = out_bytes(cfg, file_depth);
	bool alpha = ch == 2 || ch == 4;

	if (color == PNG_COLOR_TYPE_PALETTE)
		png_set_palette_to_rgb(png); /* also expands tRNS to alpha */
	png_set_expand_gray_1_2_4_to_8(png);
	if (trns && alpha)
		png_set_tRNS_to_alpha(png);
	if (bytes == 1)
		png_set_scale_16(png);
	else if (file_depth < 16)
		png_set_expand_16(png); /* also tRNS: stripped below */
	if (!alpha)
		png_set_strip_alpha(png);
	if (ch >= 3)
		png_set_gray_to_rgb(png);
	if (alpha)
		png_set_add_alpha(png, 0xffff, PNG_FILLER_AFTER);
	if (ch <= 2 && (color & PNG_COLOR_MASK_COLOR) != 0) {
		/* Plain weighted sum of the stored values: declaring file and
		 * screen gamma linear keeps libpng from building gamma tables,
		 * explicit weights keep it from deriving them from cHRM. */
		png_set_gamma_fixed(png, PNG_FP_1, PNG_FP_1);
		png_set_rgb_to_gray_fixed(png, PNG_ERROR_ACTION_NONE, 21268,
					  71514);
	}
	if (bytes == 2 && little_endian())
		png_set_swap(png);
	return fp_format_of(ch, bytes);
}

/* ---- decoding with libpng ------------------------------------------------ */

static void on_png_error(png_structp png, png_const_charp msg)
{
	struct reader *rd = png_get_error_ptr(png);

	fp_frame_fail(rd->out, rd->code, "%s", msg);
	png_longjmp(png, 1);
}

static void on_png_warning(png_structp png, png_const_charp msg)
{
	/* Warnings (a benign error in an ancillary chunk) do not make the
	 * pixels wrong: ignore them. */
	(void)png;
	(void)msg;
}

static void fail_truncated(png_structp png, struct reader *rd, size_t got)
{
	png_uint_32 type = png_get_io_chunk_type(png);
	unsigned loc = png_get_io_state(png) & PNG_IO_MASK_LOC;
	char name[5] = {(char)(type >> 24), (char)(type >> 16),
			(char)(type >> 8), (char)type, 0};

	if (loc == PNG_IO_CHUNK_HDR)
		(void)snprintf(rd->msg, sizeof(rd->msg),
			       "truncated: file ends after %" PRIu64
			       " bytes, after the %s chunk (no IEND)",
			       rd->offset + got, name);
	else
		(void)snprintf(rd->msg, sizeof(rd->msg),
			       "truncated: file ends after %" PRIu64
			       " bytes, in the %s chunk",
			       rd->offset + got, name);
	png_error(png, rd->msg);
}

/* The limits that need the chunk stream: a metadata chunk larger than what
 * is left of max_metadata is refused at its header, before libpng
 * allocates it; IDAT data past the last row is counted. */
static void watch_chunks(png_structp png, struct reader *rd,
			 const uint8_t *data, size_t len)
{
	unsigned loc = png_get_io_state(png) & PNG_IO_MASK_LOC;

	if (loc == PNG_IO_CHUNK_HDR && len == 8) {
		uint32_t length = load_be32(data);
		if (rd->meta.meta != NULL && fp__png_is_meta_chunk(data + 4) &&
		    length > rd->meta.budget) {
			rd->code = FP_ELIMIT;
			(void)snprintf(rd->msg, sizeof(rd->msg),
				       "%.4s: a %" PRIu32
				       "-byte chunk exceeds png_decode."
				       "max_metadata=%" PRIu64
				       " with the chunks before it (raise it)",
				       (const char *)data + 4, length,
				       rd->meta.limit);
			png_error(png, rd->msg);
		}
	} else if (loc == PNG_IO_CHUNK_DATA && rd->last_row &&
		   png_get_io_chunk_type(png) == CHUNK_IDAT) {
		rd->extra_idat += len;
		if (rd->extra_idat > rd->extra_limit) {
			rd->code = FP_ELIMIT;
			(void)snprintf(rd->msg, sizeof(rd->msg),
				       "IDAT: compressed data goes on past the "
				       "image's last row for more than "
				       "png_decode.max_extra_idat=%" PRIu64
				       " bytes (a decompression bomb? raise "
				       "it to accept the file)",
				       (uint64_t)rd->cfg->max_extra_idat);
			png_error(png, rd->msg);
		}
	}
}

static void on_png_read(png_structp png, png_bytep data, size_t len)
{
	struct reader *rd = png_get_io_ptr(png);
	size_t got = 0;

	if (rd->offset < rd->head_len) {
		got = rd->head_len - (size_t)rd->offset;
		if (got > len)
			got = len;
		memcpy(data, rd->head + rd->offset, got);
	}
	if (got < len) {
		errno = 0;
		got += fread(data + got, 1, len - got, rd->file);
	}
	if (got < len && ferror(rd->file)) {
		int e = fp__codec_errno();
		rd->code = -e;
		png_error(png, strerror(e));
	}
	if (got < len)
		fail_truncated(png, rd, got);
	rd->offset += len;
	watch_chunks(png, rd, data, len);
}

/* Every chunk in fp__png_meta_chunks comes here (libpng treats them as
 * unknown), and every truly unknown one. */
static int on_png_chunk(png_structp png, png_unknown_chunkp chunk)
{
	struct reader *rd = png_get_user_chunk_ptr(png);

	if ((chunk->name[0] & 0x20) == 0)
		return 0; /* unknown critical chunk: libpng fails the file */
	if (rd->meta.meta == NULL || !fp__png_is_meta_chunk(chunk->name))
		return 1; /* read and dropped */
	if (fp__png_meta_read(&rd->meta, (const char *)chunk->name, chunk->data,
			      chunk->size) != 0) {
		rd->code = rd->meta.code;
		png_error(png, rd->meta.msg);
	}
	return 1;
}

/* Set up libpng's transforms, check the result fits, read every row. */
static void read_pixels(png_structp png, png_infop info, struct reader *rd)
{
	fp_frame *out = rd->out;
	uint32_t w, h;
	fp_format format;
	size_t stride;
	int passes;

	png_read_info(png, info);
	w = png_get_image_width(png, info);
	h = png_get_image_height(png, info);
	format = set_transforms(png, info, rd->cfg);
	if (check_fit(out, w, h, format) < 0) {
		rd->code = FP_ENOFIT;
		png_longjmp(png, 1); /* the message is already in out->error */
	}
	passes = png_set_interlace_handling(png);
	png_read_update_info(png, info);
	stride = (size_t)w * fp_format_pixel_bytes(format);
	if (png_get_bit_depth(png, info) !=
		    8 * fp_format_sample_bytes(format) ||
	    png_get_channels(png, info) != fp_format_channels(format) ||
	    png_get_rowbytes(png, info) != stride) {
		rd->code = FP_EFORMAT;
		png_error(png, "libpng produced an unexpected row layout");
	}
	/* The last row may need a row's worth of compressed data (deflate
	 * expands stored data by 5 bytes in 64 KiB), plus one of libpng's
	 * 8 KiB reads; past that, max_extra_idat. */
	rd->extra_limit =
		rd->cfg->max_extra_idat + stride + stride / 64 + 32768;
	for (int pass = 0; pass < passes; pass++)
		for (uint32_t y = 0; y < h; y++) {
			rd->last_row = pass == passes - 1 && y == h - 1;
			png_read_row(png, out->pixels + (size_t)y * stride,
				     NULL);
		}
	png_read_end(png, info);

	out->width = w;
	out->height = h;
	out->stride = (uint32_t)stride;
	out->format = format;
}

static int decode(struct reader *rd)
{
	const struct fp_png_decode_config *cfg = rd->cfg;
	png_structp png;
	png_infop info;

	png = png_create_read_struct(PNG_LIBPNG_VER_STRING, rd, on_png_error,
				     on_png_warning);
	if (png == NULL)
		return fp_frame_fail(rd->out, -ENOMEM,
				     "out of memory creating the PNG reader");
	info = png_create_info_struct(png);
	if (info == NULL) {
		png_destroy_read_struct(&png, NULL, NULL);
		return fp_frame_fail(rd->out, -ENOMEM,
				     "out of memory creating the PNG reader");
	}
	if (setjmp(png_jmpbuf(png))) {
		png_destroy_read_struct(&png, &info, NULL);
		return rd->code;
	}
	png_set_read_fn(png, rd, on_png_read);
	png_set_user_limits(png, (png_uint_32)cfg->max_width,
			    (png_uint_32)cfg->max_height);
	png_set_chunk_malloc_max(png, (png_alloc_size_t)cfg->max_metadata);
	png_set_benign_errors(png, 1);
	png_set_keep_unknown_chunks(png, PNG_HANDLE_CHUNK_ALWAYS,
				    fp__png_meta_chunks,
				    fp__png_meta_chunk_count);
	png_set_read_user_chunk_fn(png, rd, on_png_chunk);
	read_pixels(png, info, rd);
	png_destroy_read_struct(&png, &info, NULL);
	return 0;
}

/* ---- the codec's entry points -------------------------------------------- */

int fp__png_decode(const void *config, fp_frame *out)
{
	const struct fp_png_decode_config *cfg = config;
	struct reader rd = {.out = out, .cfg = cfg, .code = FP_ECORRUPT};
	struct png_header h = {0};
	int ret;

	ret = open_checked(cfg, out->input_path, &rd.file, &rd, &h, out->error,
			   out->error_size);
	if (ret < 0)
		return ret;
	/* Before libpng allocates rows: the smallest this image can be. */
	ret = check_fit(out, h.width, h.height,
			fp_format_of(out_channels(cfg, h.color, false),
				     out_bytes(cfg, h.depth)));
	if (ret == 0) {
		if (out->meta != NULL) {
			fp_meta_clear(out->meta);
			rd.meta.meta = out->meta;
			rd.meta.budget = cfg->max_metadata;
			rd.meta.limit = cfg->max_metadata;
		}
		ret = decode(&rd);
		if (ret < 0)
			fp_meta_clear(out->meta);
	}
	(void)fclose(rd.file); /* read only: nothing to lose */
	return ret;
}

int fp__png_probe(const void *config, const char *path, fp_shape *out,
		  char *err, size_t err_size)
{
	const struct fp_png_decode_config *cfg = config;
	struct reader rd = {.code = FP_ECORRUPT};
	struct png_header h = {0};

	int ret = open_checked(cfg, path, &rd.file, &rd, &h, err, err_size);
	if (ret < 0)
		return ret;
	(void)fclose(rd.file); /* read only: nothing to lose */
	*out = (fp_shape){.width = h.width,
			  .height = h.height,
			  .formats = formats_of(cfg, &h)};
	return 0;
}
