/* tiff — TIFF files with libtiff: the tiff_decode and tiff_encode stages,
 * and the codec the generic decode and encode stages use.
 *
 * Decode (tiff_read.c): 1, 2, 4, 8 and 16 bits; gray, gray+alpha, RGB,
 * RGBA (16 bits give G16/GA16/RGB16/RGBA16, native-endian); palette files
 * give RGB8 when their colormap holds 8-bit colours (every entry a
 * multiple of 257, or all <= 255 as old writers stored them) and RGB16
 * otherwise; strips or tiles, contiguous or separate planes; any
 * compression libtiff reads (none, LZW, Deflate, PackBits, JPEG, CCITT,
 * ...). Other colour spaces (YCbCr without JPEG, CMYK, CIE L*a*b*) go
 * through libtiff's RGBA reader and give RGB8 or RGBA8. Libtiff reads
 * through our own I/O functions (TIFFClientOpenExt), so the limits are
 * checked from the directory before any pixel buffer exists, libtiff's
 * own allocations are capped, and its errors and warnings come back to
 * us (TIFFOpenOptionsSetErrorHandlerExtR, libtiff 4.5) instead of stderr.
 * `page` picks the directory, counted from 0 as vips and ImageMagick's
 * x.tif[0] count. Metadata: ICC profile, XMP packet, resolution and
 * orientation.
 *
 * Encode (tiff_write.c): all eight formats, compression none, LZW,
 * Deflate or PackBits, with the horizontal predictor for LZW and Deflate
 * by default; the frame's ICC profile, XMP, resolution and orientation
 * unless `strip` says otherwise. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* pread, pwrite */
#endif

#include "tiff.h"

#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

#include "decode_limits.h"
#include "files.h"

/* ---- libtiff's I/O and messages, through us ------------------------------ */

tmsize_t fp__tiff_read(void *h, void *buf, tmsize_t size)
{
	struct tiff_io *io = h;
	size_t done = 0;
	while (done < (size_t)size) {
		ssize_t n = pread(io->fd, (uint8_t *)buf + done,
				  (size_t)size - done, (off_t)(io->pos + done));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			io->errno_seen = fp__codec_errno();
		if (n <= 0)
			break;
		done += (size_t)n;
	}
	io->pos += done;
	return (tmsize_t)done;
}

static tmsize_t io_write(thandle_t h, void *buf, tmsize_t size)
{
	struct tiff_io *io = h;
	size_t done = 0;
	while (done < (size_t)size) {
		ssize_t n =
			pwrite(io->fd, (const uint8_t *)buf + done,
			       (size_t)size - done, (off_t)(io->pos + done));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			io->errno_seen = fp__codec_errno();
			break;
		}
		done += (size_t)n;
	}
	io->pos += done;
	if (io->pos > io->size)
		io->size = io->pos;
	return done == (size_t)size ? size : -1;
}

static toff_t io_seek(thandle_t h, toff_t off, int whence)
{
	struct tiff_io *io = h;
	uint64_t base = whence == SEEK_CUR   ? io->pos
			: whence == SEEK_END ? io->size
					     : 0;
	io->pos = base + off;
	return io->pos;
}

static int io_close(thandle_t h)
{
	(void)h; /* the caller owns the file */
	return 0;
}

static toff_t io_size(thandle_t h)
{
	return ((struct tiff_io *)h)->size;
}

static int io_map(thandle_t h, void **base, toff_t *size)
{
	(void)h;
	(void)base;
	(void)size;
	return 0; /* no mapping: every read goes through io_read */
}

static void io_unmap(thandle_t h, void *base, toff_t size)
{
	(void)h;
	(void)base;
	(void)size;
}

/* One line: module and message, newlines folded, "NAME: " (the file's
 * name, which the caller's own prefix already gives) cut out. */
static void keep_message(char *dst, size_t size, const char *name,
			 const char *module, const char *fmt, va_list ap)
{
	if (dst[0] != '\0')
		return; /* the first one explains; the rest follow from it */
	int n = 0;
	if (module != NULL && module[0] != '\0')
		n = snprintf(dst, size, "%s: ", module);
	if (n < 0 || (size_t)n >= size)
		n = 0;
	(void)vsnprintf(dst + n, size - (size_t)n, fmt, ap);
	for (char *p = dst; *p != '\0'; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	size_t len = name != NULL ? strlen(name) : 0;
	char *at = len > 0 ? strstr(dst, name) : NULL;
	if (at != NULL && at[len] == ':' && at[len + 1] == ' ')
		memmove(at, at + len + 2, strlen(at + len + 2) + 1);
}

static int on_error(TIFF *tif, void *user, const char *module, const char *fmt,
		    va_list ap)
{
	struct tiff_io *io = user;
	(void)tif;
	keep_message(io->error, sizeof io->error, io->name, module, fmt, ap);
	return 1; /* handled: not to stderr */
}

static int on_warning(TIFF *tif, void *user, const char *module,
		      const char *fmt, va_list ap)
{
	struct tiff_io *io = user;
	(void)tif;
	keep_message(io->warning, sizeof io->warning, io->name, module, fmt,
		     ap);
	return 1;
}

TIFF *fp__tiff_open(struct tiff_io *io, const char *name, const char *mode,
		    uint64_t max_alloc)
{
	TIFFOpenOptions *opts = TIFFOpenOptionsAlloc();
	if (opts == NULL) {
		snprintf(io->error, sizeof io->error, "out of memory");
		return NULL;
	}
	TIFFOpenOptionsSetErrorHandlerExtR(opts, on_error, io);
	TIFFOpenOptionsSetWarningHandlerExtR(opts, on_warning, io);
	if (max_alloc > 0)
		TIFFOpenOptionsSetMaxSingleMemAlloc(opts, (tmsize_t)max_alloc);
	io->name = name;
	TIFF *tif = TIFFClientOpenExt(name, mode, io, fp__tiff_read, io_write,
				      io_seek, io_close, io_size, io_map,
				      io_unmap, opts);
	TIFFOpenOptionsFree(opts);
	return tif;
}

const char *fp__tiff_reason(const struct tiff_io *io, const char *fallback)
{
	if (io->errno_seen != 0)
		return strerror(io->errno_seen);
	if (io->error[0] != '\0')
		return io->error;
	if (io->warning[0] != '\0')
		return io->warning;
	return fallback;
}

/* ---- the codec ----------------------------------------------------------- */

static bool tiff_sniff(const uint8_t *head, size_t size)
{
	if (size < 4)
		return false;
	bool ii = head[0] == 'I' && head[1] == 'I';
	bool mm = head[0] == 'M' && head[1] == 'M';
	unsigned magic = ii ? (unsigned)(head[2] | head[3] << 8)
			    : (unsigned)(head[2] << 8 | head[3]);
	return (ii || mm) && (magic == 42 || magic == 43); /* 43: BigTIFF */
}

static const fp_param tiff_decode_params[] = {
	FP_CODEC_LIMIT_PARAMS(struct tiff_decode_config),
	FP_PARAM_INT_(struct tiff_decode_config, page, "0", 0, 65535,
		      "the page (directory) to decode, 0 is the first"),
};

static const fp_param tiff_encode_params[] = {
	FP_PARAM_CHOICE_(struct tiff_encode_config, compression, "lzw",
			 "none|lzw|deflate|packbits",
			 "lossless compression: lzw (read everywhere), deflate "
			 "(smaller), packbits (fast), none"),
	FP_PARAM_CHOICE_(struct tiff_encode_config, predictor, "auto",
			 "auto|none|horizontal",
			 "horizontal differencing before lzw/deflate; auto: "
			 "horizontal with lzw and deflate"),
	FP_PARAM_CHOICE_(struct tiff_encode_config, strip, "keep",
			 "keep|meta|all",
			 "keep: write ICC, XMP, resolution and orientation; "
			 "meta: only the ICC profile; all: none"),
};

const fp_codec fp_codec_tiff = {
	.name = "tiff",
	.label = "TIFF",
	.extensions = "tif|tiff",
	.sniff = tiff_sniff,
	.decoder =
		{
			.params = tiff_decode_params,
			.param_count = FP_COUNT_OF(tiff_decode_params),
			.config_size = sizeof(struct tiff_decode_config),
			.formats = FP_FORMATS_ALL,
		},
	.probe = fp__tiff_probe,
	.decode = fp__tiff_decode,
	.encoder =
		{
			.params = tiff_encode_params,
			.param_count = FP_COUNT_OF(tiff_encode_params),
			.config_size = sizeof(struct tiff_encode_config),
			.formats = FP_FORMATS_ALL,
		},
	.encode = fp__tiff_encode,
};

#if defined(FP_CODEC_STAGE_DECODE)
#include "stage.h"
FP_CODEC_DECODE_STAGE(
	fp_codec_tiff, "tiff_decode",
	"decode TIFF files (libtiff): 8/16-bit gray, RGB, alpha, palette; "
	"strips, tiles; one page",
	tiff_decode_params, struct tiff_decode_config,
	"G8/GA8/RGB8/RGBA8, or the 16-bit formats for 16-bit files.\n"
	"Palette files give RGB8 (RGB16 when the colormap needs 16 bits).\n"
	"Bilevel and 2/4-bit gray are scaled to 8 bits; min-is-white is\n"
	"inverted; CMYK, L*a*b* and raw YCbCr go through libtiff's RGBA "
	"reader.\n"
	"page picks the directory, from 0. ICC, XMP, resolution and\n"
	"orientation become the frame's metadata.");
#elif defined(FP_CODEC_STAGE_ENCODE)
#include "stage.h"
FP_CODEC_ENCODE_STAGE(
	fp_codec_tiff, "tiff_encode", ".tif",
	"write frames as TIFF files (libtiff), atomically", tiff_encode_params,
	struct tiff_encode_config, FP_FORMATS_ALL,
	"Every format, 8 or 16 bits, alpha as unassociated extra sample.\n"
	"compression=lzw by default (with the horizontal predictor).\n"
	"The frame's ICC profile, XMP, resolution and orientation are\n"
	"written unless strip says otherwise.");
#endif
