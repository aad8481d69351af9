/* png_decode — a source stage that decodes the run's PNG inputs with libpng.
 *
 * One frame per input file, written straight into the pool slot: libpng
 * fills the slot row by row (Adam7 passes are combined in place), there is
 * no intermediate image buffer. The signature and IHDR are read and checked
 * by hand first, so the size limits and the slot size are enforced before
 * libpng allocates anything.
 *
 * Output formats (all 8-bit, tightly packed, stride = width * channels):
 *   keep  gray -> G8, gray+alpha -> GA8, rgb/palette -> RGB8, rgba -> RGBA8;
 *         a tRNS chunk adds an alpha channel (G8 -> GA8, RGB8 -> RGBA8).
 *   rgba  always RGBA8, exactly like the pngsuite-ref references.
 *   rgb   always RGB8: alpha (and tRNS) dropped, gray replicated.
 *   gray  always G8: alpha dropped; colour becomes
 *         Y = 0.2126 R + 0.7152 G + 0.0722 B (Rec. 709 weights) computed on
 *         the stored sample values.
 * In every format 16-bit samples are scaled (round(v / 257), libpng's
 * png_set_scale_16), 1/2/4-bit gray is expanded by bit replication, and
 * gamma, sRGB, iCCP, cHRM, sBIT and bKGD are ignored: samples are taken as
 * stored.
 */
#define _POSIX_C_SOURCE 200809L /* fdopen, O_CLOEXEC */

#include <errno.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <png.h>
#include <zlib.h>

#include "framepipe/stage.h"

#define PNG_MAX_DIM 2147483647u /* the PNG specification's 2^31 - 1 */
#define HEADER_SIZE 33		/* signature + IHDR chunk */

enum out_choice { OUT_KEEP, OUT_RGBA, OUT_RGB, OUT_GRAY };

struct png_decode_config {
	int format; /* enum out_choice */
	int64_t max_width;
	int64_t max_height;
	int64_t max_pixels;
};

/* What the hand-read IHDR says. */
struct png_header {
	uint32_t width;
	uint32_t height;
	unsigned depth;
	unsigned color;
	unsigned interlace;
};

/* Everything libpng's callbacks need; lives in process()'s frame so nothing
 * the error path reads is a local of the function that calls setjmp(). */
struct reader {
	FILE *file;
	fp_frame *out;
	uint8_t head[HEADER_SIZE]; /* bytes already read, replayed to libpng */
	size_t head_len;
	uint64_t offset; /* bytes handed to libpng so far */
	int code;	 /* error code for the next png_error() */
};

static const uint8_t png_signature[8] = {137, 80, 78, 71, 13, 10, 26, 10};

static int set_error(char *err, size_t err_size, int code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int set_error(char *err, size_t err_size, int code, const char *fmt, ...)
{
	if (err != NULL && err_size > 0) {
		va_list ap;
		va_start(ap, fmt);
		(void)vsnprintf(err, err_size, fmt, ap);
		va_end(ap);
	}
	return code;
}

static uint32_t load_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

/* errno after a failed call, never 0 */
static int last_errno(void)
{
	int e = errno;
	return e > 0 ? e : EIO;
}

/* ---- signature and IHDR, by hand ----------------------------------------- */

static const char *file_type(mode_t mode)
{
	return S_ISDIR(mode)	? "a folder"
	       : S_ISFIFO(mode) ? "a FIFO"
	       : S_ISSOCK(mode) ? "a socket"
	       : S_ISCHR(mode)	? "a character device"
	       : S_ISBLK(mode)	? "a block device"
				: "not a regular file";
}

/* Open path for reading; -errno with the reason on failure. Only regular
 * files: O_NONBLOCK so that a FIFO among the inputs cannot block the
 * stage, and fstat to refuse it (and folders, devices) by name. */
static int open_input(const char *path, FILE **file, char *err, size_t err_size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		int e = last_errno();
		if (e == ENOENT && access(path, F_OK) != 0 &&
		    faccessat(AT_FDCWD, path, F_OK, AT_SYMLINK_NOFOLLOW) == 0)
			return set_error(err, err_size, -e,
					 "cannot open: dangling symbolic link");
		return set_error(err, err_size, -e, "cannot open: %s",
				 strerror(e));
	}
	struct stat st;
	if (fstat(fd, &st) != 0) {
		int e = last_errno();
		(void)close(fd);
		return set_error(err, err_size, -e, "cannot stat: %s",
				 strerror(e));
	}
	if (!S_ISREG(st.st_mode)) {
		int e = S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
		(void)close(fd);
		return set_error(err, err_size, -e, "cannot read: is %s",
				 file_type(st.st_mode));
	}
	int flags = fcntl(fd, F_GETFL);
	if (flags >= 0)
		(void)fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
	*file = fdopen(fd, "rb");
	if (*file == NULL) {
		int e = last_errno();
		(void)close(fd);
		return set_error(err, err_size, -e, "cannot open: %s",
				 strerror(e));
	}
	return 0;
}

/* Read up to HEADER_SIZE bytes into buf; sets *len. */
static int read_head(FILE *file, uint8_t *buf, size_t *len, char *err,
		     size_t err_size)
{
	errno = 0;
	*len = fread(buf, 1, HEADER_SIZE, file);
	if (*len < HEADER_SIZE && ferror(file)) {
		int e = last_errno();
		return set_error(err, err_size, -e, "cannot read: %s",
				 strerror(e));
	}
	if (*len == 0)
		return set_error(err, err_size, FP_ECORRUPT, "empty file");
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
		return set_error(err, err_size, FP_ECORRUPT,
				 "IHDR: width %" PRIu32
				 " is invalid (expected 1..2147483647)",
				 h->width);
	if (h->height == 0 || h->height > PNG_MAX_DIM)
		return set_error(err, err_size, FP_ECORRUPT,
				 "IHDR: height %" PRIu32
				 " is invalid (expected 1..2147483647)",
				 h->height);
	if (h->color > 6 || h->color == 1 || h->color == 5)
		return set_error(err, err_size, FP_ECORRUPT,
				 "IHDR: colour type %u is invalid (expected 0, "
				 "2, 3, 4 or 6)",
				 h->color);
	if (!depth_is_valid(h->color, h->depth))
		return set_error(
			err, err_size, FP_ECORRUPT,
			"IHDR: bit depth %u is invalid for colour type %u",
			h->depth, h->color);
	if (d[10] != 0 || d[11] != 0)
		return set_error(err, err_size, FP_ECORRUPT,
				 "IHDR: unknown %s method %u (expected 0)",
				 d[10] != 0 ? "compression" : "filter",
				 d[10] != 0 ? d[10] : d[11]);
	if (h->interlace > 1)
		return set_error(
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
		return set_error(err, err_size, FP_ECORRUPT,
				 "not a PNG file (bad signature)");
	if (len < HEADER_SIZE)
		return set_error(
			err, err_size, FP_ECORRUPT,
			"truncated: file ends after %zu bytes, in the %s", len,
			len < 8 ? "signature" : "IHDR chunk");
	if (load_be32(buf + 8) != 13 || memcmp(buf + 12, "IHDR", 4) != 0)
		return set_error(err, err_size, FP_ECORRUPT,
				 "first chunk is not a 13-byte IHDR");
	if (crc32(0, buf + 12, 17) != load_be32(buf + 29))
		return set_error(err, err_size, FP_ECORRUPT, "IHDR: CRC error");

	h->width = load_be32(buf + 16);
	h->height = load_be32(buf + 20);
	h->depth = buf[24];
	h->color = buf[25];
	h->interlace = buf[28];
	return check_ihdr_fields(h, buf + 16, err, err_size);
}

/* Fail with FP_ELIMIT naming every limit h exceeds, so that one message
 * says everything that needs raising. */
static int check_limits(const struct png_decode_config *cfg,
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
	return set_error(err, err_size, FP_ELIMIT,
			 "%" PRIu32 "x%" PRIu32
			 " exceeds %s (raise %s in the stage's parameters)",
			 h->width, h->height, list, n == 1 ? "it" : "them");
}

/* Open path and check its header and limits; the caller closes *file. */
static int open_checked(const struct png_decode_config *cfg, const char *path,
			FILE **file, struct reader *rd, struct png_header *h,
			char *err, size_t err_size)
{
	int ret = open_input(path, file, err, err_size);
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

/* Channels of the output for this colour type and tRNS presence. */
static unsigned out_channels(int format, unsigned color, bool trns)
{
	switch (format) {
	case OUT_RGBA: return 4;
	case OUT_RGB: return 3;
	case OUT_GRAY: return 1;
	}
	switch (color) {
	case PNG_COLOR_TYPE_GRAY: return trns ? 2 : 1;
	case PNG_COLOR_TYPE_GRAY_ALPHA: return 2;
	case PNG_COLOR_TYPE_RGB:
	case PNG_COLOR_TYPE_PALETTE: return trns ? 4 : 3;
	default: return 4;
	}
}

static fp_format format_of_channels(unsigned channels)
{
	static const fp_format formats[] = {FP_FORMAT_G8, FP_FORMAT_GA8,
					    FP_FORMAT_RGB8, FP_FORMAT_RGBA8};
	return formats[channels - 1];
}

/* Fail with FP_ENOFIT unless a width x height frame of channels fits. */
static int check_fit(fp_frame *out, uint32_t width, uint32_t height,
		     unsigned channels)
{
	uint64_t stride = (uint64_t)width * channels;
	uint64_t need = stride * height; /* < 2^64: both below 2^33, 2^31 */

	if (stride <= UINT32_MAX && need <= out->capacity)
		return 0;
	return fp_frame_fail(out, FP_ENOFIT,
			     "decoded %" PRIu32 "x%" PRIu32 " %s needs %" PRIu64
			     " bytes, pool slot holds %zu (raise it: --set "
			     "slot_size=N or [pipeline] slot_size)",
			     width, height,
			     fp_format_name(format_of_channels(channels)), need,
			     out->capacity);
}

/* Ask libpng for the configured output format; returns its channels. */
static unsigned set_transforms(png_structp png, png_infop info, int format)
{
	unsigned color = png_get_color_type(png, info);
	bool trns = png_get_valid(png, info, PNG_INFO_tRNS) != 0;
	bool keep_alpha = format == OUT_KEEP || format == OUT_RGBA;

	if (color == PNG_COLOR_TYPE_PALETTE)
		png_set_palette_to_rgb(png); /* also expands tRNS to alpha */
	png_set_expand_gray_1_2_4_to_8(png);
	if (trns && keep_alpha)
		png_set_tRNS_to_alpha(png);
	png_set_scale_16(png);
	if (!keep_alpha)
		png_set_strip_alpha(png);
	if (format == OUT_RGBA || format == OUT_RGB)
		png_set_gray_to_rgb(png);
	if (format == OUT_RGBA)
		png_set_add_alpha(png, 0xff, PNG_FILLER_AFTER);
	if (format == OUT_GRAY && (color & PNG_COLOR_MASK_COLOR) != 0) {
		/* Plain weighted sum of the stored values: declaring file and
		 * screen gamma linear keeps libpng from building gamma tables
		 * (it otherwise would for a gAMA chunk), explicit weights keep
		 * it from deriving them from cHRM. */
		png_set_gamma_fixed(png, PNG_FP_1, PNG_FP_1);
		png_set_rgb_to_gray_fixed(png, PNG_ERROR_ACTION_NONE, 21268,
					  71514);
	}
	return out_channels(format, color, trns);
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
	/* Warnings (e.g. "iCCP: known incorrect sRGB profile") do not make
	 * the pixels wrong: ignore them. */
	(void)png;
	(void)msg;
}

static void fail_truncated(png_structp png, struct reader *rd, size_t got)
{
	png_uint_32 type = png_get_io_chunk_type(png);
	unsigned loc = png_get_io_state(png) & PNG_IO_MASK_LOC;
	char name[5] = {(char)(type >> 24), (char)(type >> 16),
			(char)(type >> 8), (char)type, 0};
	char msg[160];

	if (loc == PNG_IO_CHUNK_HDR)
		(void)snprintf(msg, sizeof(msg),
			       "truncated: file ends after %" PRIu64
			       " bytes, after the %s chunk (no IEND)",
			       rd->offset + got, name);
	else
		(void)snprintf(msg, sizeof(msg),
			       "truncated: file ends after %" PRIu64
			       " bytes, in the %s chunk",
			       rd->offset + got, name);
	png_error(png, msg);
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
		int e = last_errno();
		rd->code = -e;
		png_error(png, strerror(e));
	}
	if (got < len)
		fail_truncated(png, rd, got);
	rd->offset += len;
}

/* Set up libpng's transforms, check the result fits, read every row. */
static void read_pixels(png_structp png, png_infop info,
			const struct png_decode_config *cfg, struct reader *rd)
{
	fp_frame *out = rd->out;
	uint32_t w, h;
	unsigned channels;
	size_t stride;
	int passes;

	png_read_info(png, info);
	w = png_get_image_width(png, info);
	h = png_get_image_height(png, info);
	channels = set_transforms(png, info, cfg->format);
	if (check_fit(out, w, h, channels) < 0) {
		rd->code = FP_ENOFIT;
		png_longjmp(png, 1); /* the message is already in out->error */
	}
	passes = png_set_interlace_handling(png);
	png_read_update_info(png, info);
	stride = (size_t)w * channels;
	if (png_get_bit_depth(png, info) != 8 ||
	    png_get_channels(png, info) != channels ||
	    png_get_rowbytes(png, info) != stride) {
		rd->code = FP_EFORMAT;
		png_error(png, "libpng produced an unexpected row layout");
	}
	for (int pass = 0; pass < passes; pass++)
		for (uint32_t y = 0; y < h; y++)
			png_read_row(png, out->pixels + (size_t)y * stride,
				     NULL);
	png_read_end(png, NULL);

	out->width = w;
	out->height = h;
	out->stride = (uint32_t)stride;
	out->format = format_of_channels(channels);
}

static int decode(const struct png_decode_config *cfg, struct reader *rd)
{
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
	png_set_benign_errors(png, 1);
	read_pixels(png, info, cfg, rd);
	png_destroy_read_struct(&png, &info, NULL);
	return 0;
}

/* ---- the stage ----------------------------------------------------------- */

static int png_decode_init(void **state, const void *config,
			   const fp_stage_env *env, char *err, size_t err_size)
{
	(void)env;
	(void)err;
	(void)err_size;
	*state = (void *)config;
	return 0;
}

static int png_decode_process(void *state, fp_frame *in, fp_frame *out)
{
	const struct png_decode_config *cfg = state;
	struct reader rd = {.out = out, .code = FP_ECORRUPT};
	struct png_header h = {0};
	unsigned min_channels;
	int ret;

	(void)in;
	if (out->input_path == NULL)
		return FP_EEND;
	ret = open_checked(cfg, out->input_path, &rd.file, &rd, &h, out->error,
			   out->error_size);
	if (ret < 0)
		return ret;
	/* Before libpng allocates rows: the smallest this image can be. */
	min_channels = out_channels(cfg->format, h.color, false);
	ret = check_fit(out, h.width, h.height, min_channels);
	if (ret == 0)
		ret = decode(cfg, &rd);
	(void)fclose(rd.file); /* read only: nothing to lose */
	return ret;
}

static int png_decode_frame_bound(const void *config, const char *input_path,
				  uint64_t *bytes, char *err, size_t err_size)
{
	const struct png_decode_config *cfg = config;
	struct reader rd = {.code = FP_ECORRUPT};
	struct png_header h = {0};
	uint64_t channels, pixels;
	int ret;

	if (input_path == NULL)
		return set_error(err, err_size, FP_ECONFIG,
				 "png_decode needs input files");
	ret = open_checked(cfg, input_path, &rd.file, &rd, &h, err, err_size);
	if (ret < 0)
		return ret;
	(void)fclose(rd.file); /* read only: nothing to lose */
	/* keep: assume a tRNS chunk adds alpha */
	channels = out_channels(cfg->format, h.color, true);
	pixels = (uint64_t)h.width * h.height;
	if (pixels > UINT64_MAX / channels)
		return set_error(err, err_size, FP_ELIMIT,
				 "%" PRIu32 "x%" PRIu32 " is too large",
				 h.width, h.height);
	*bytes = pixels * channels;
	return 0;
}

static int64_t png_decode_frame_count(const void *config, size_t input_count)
{
	(void)config;
	return (int64_t)input_count;
}

static const fp_param png_decode_params[] = {
	FP_PARAM_CHOICE_(
		struct png_decode_config, format, "keep", "keep|rgba|rgb|gray",
		"output format: keep the file's channels (8-bit), or convert"),
	FP_PARAM_INT_(struct png_decode_config, max_width, "65535", 1,
		      2147483647.0, "refuse images wider than this"),
	FP_PARAM_INT_(struct png_decode_config, max_height, "65535", 1,
		      2147483647.0, "refuse images taller than this"),
	/* the upper bound 2^62 exceeds (2^31 - 1)^2: effectively no limit */
	FP_PARAM_INT_(struct png_decode_config, max_pixels, "100000000", 1,
		      4611686018427387904.0,
		      "refuse images with more pixels than this"),
};

FP_STAGE_EXPORT = {
	FP_STAGE_HEADER,
	.name = "png_decode",
	.summary = "decode PNG input files (libpng) into 8-bit frames",
	.kind = FP_STAGE_SOURCE,
	.flags = FP_STAGE_READS_INPUTS,
	.formats = 0,
	.params = png_decode_params,
	.param_count = FP_COUNT_OF(png_decode_params),
	.config_size = sizeof(struct png_decode_config),
	.init = png_decode_init,
	.process = png_decode_process,
	.frame_bound = png_decode_frame_bound,
	.frame_count = png_decode_frame_count,
};
