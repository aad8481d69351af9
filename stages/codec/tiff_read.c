/* tiff_read — tiff_decode: one page of a TIFF file into a frame (see
 * tiff.c for what it reads and gives). Strips and tiles are decoded one at
 * a time into a buffer of their own size and converted row by row into the
 * slot; nothing is allocated before the limits and the slot are checked. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include "tiff.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "decode_limits.h"
#include "files.h"

/* libtiff may allocate this much at once (strip arrays, compressed data);
 * our own strip or tile buffer is sized from the checked dimensions. */
#define MAX_LIBTIFF_ALLOC ((uint64_t)256 << 20)

/* How the page's samples become the frame's. */
struct layout {
	uint32_t width, height;
	uint16_t bps, spp, photometric, planar;
	bool tiled;
	uint32_t tile_w, tile_h, rows_per_strip;
	int alpha;	/* sample index of the alpha channel, -1: none */
	bool assoc;	/* that alpha is premultiplied */
	bool invert;	/* min-is-white */
	bool rgba_path; /* through TIFFReadRGBAImage */
	const uint16_t *cmap[3];
	int cmap_shift; /* palette to 8 bits: 0 (old-style), 8 (v / 257) */
	unsigned out_ch;
	bool out16;
	fp_format format;
};

/* An open page: its file, libtiff's handle, and its layout. */
struct page {
	struct tiff_io io;
	TIFF *tif;
	struct layout L;
};

static int fail_with(char *err, size_t err_size, struct page *p, int code,
		     const char *what)
{
	return fp__codec_error(err, err_size, code, "%s",
			       fp__tiff_reason(&p->io, what));
}

static void page_close(struct page *p)
{
	if (p->tif != NULL)
		TIFFClose(p->tif);
	p->tif = NULL;
	if (p->io.file != NULL)
		(void)fclose(p->io.file); /* read only: nothing to lose */
	p->io.file = NULL;
}

/* ---- the chain of directories, by hand ----------------------------------
 *
 * Before libtiff reads anything: every directory's offset is followed
 * (an IFD loop or an offset past the end of the file fails the file,
 * whatever the page), the pages are counted, and the chosen page's width
 * and height are read, so that the limits are checked before libtiff
 * allocates anything for it. */

#define MAX_PAGES  65536
#define SEEN_SLOTS (2 * MAX_PAGES) /* open addressing, a power of two */

struct chain {
	bool big, le;
	uint32_t pages;
	uint64_t width, height; /* of the chosen page; 0 when absent */
	uint64_t *seen;		/* SEEN_SLOTS offsets, 0 = empty */
};

static uint64_t load(const uint8_t *p, unsigned n, bool le)
{
	uint64_t v = 0;
	for (unsigned i = 0; i < n; i++)
		v |= (uint64_t)p[le ? i : n - 1 - i] << (8 * i);
	return v;
}

static bool read_at(struct tiff_io *io, uint64_t off, void *buf, size_t n)
{
	if (off > io->size || n > io->size - off)
		return false;
	io->pos = off;
	return (size_t)fp__tiff_read(io, buf, n) == n;
}

/* false when off was already seen (a loop). */
static bool remember(struct chain *c, uint64_t off)
{
	uint64_t h = (off * 0x9e3779b97f4a7c15ull) >> 47; /* 17 bits */
	for (;; h = (h + 1) & (SEEN_SLOTS - 1)) {
		if (c->seen[h] == off)
			return false;
		if (c->seen[h] == 0) {
			c->seen[h] = off;
			return true;
		}
	}
}

/* The entries of the directory at off: its size tags when it is the
 * page wanted; the next directory's offset in *next. */
static int read_ifd(struct tiff_io *io, struct chain *c, uint64_t off,
		    bool wanted, uint64_t *next, char *err, size_t err_size)
{
	unsigned count_size = c->big ? 8 : 2, entry = c->big ? 20 : 12;
	unsigned off_size = c->big ? 8 : 4;
	uint8_t b[20];
	if (!read_at(io, off, b, count_size))
		return fp__codec_error(err, err_size, FP_ECORRUPT,
				       "directory %u at offset %" PRIu64
				       " is past the end of the file",
				       c->pages, off);
	uint64_t n = load(b, count_size, c->le);
	uint64_t first = off + count_size;
	if (n > (io->size - first) / entry)
		return fp__codec_error(err, err_size, FP_ECORRUPT,
				       "directory %u: %" PRIu64
				       " entries run past the end of the file",
				       c->pages, n);
	for (uint64_t i = 0; wanted && i < n; i++) {
		if (!read_at(io, first + i * entry, b, entry))
			break;
		unsigned tag = (unsigned)load(b, 2, c->le);
		unsigned type = (unsigned)load(b + 2, 2, c->le);
		const uint8_t *v = b + (c->big ? 12 : 8);
		uint64_t value = type == 3		? load(v, 2, c->le)
				 : type == 4		? load(v, 4, c->le)
				 : type == 16 && c->big ? load(v, 8, c->le)
							: 0;
		if (tag == TIFFTAG_IMAGEWIDTH)
			c->width = value;
		else if (tag == TIFFTAG_IMAGELENGTH)
			c->height = value;
	}
	if (!read_at(io, first + n * entry, b, off_size))
		return fp__codec_error(err, err_size, FP_ECORRUPT,
				       "directory %u is cut short by the end "
				       "of the file",
				       c->pages);
	*next = load(b, off_size, c->le);
	return 0;
}

static int walk_chain(struct tiff_io *io, int64_t page, struct chain *c,
		      char *err, size_t err_size)
{
	uint8_t h[16];
	if (!read_at(io, 0, h, io->size < 16 ? (size_t)io->size : 16) ||
	    io->size < 8)
		return fp__codec_error(err, err_size, FP_ECORRUPT,
				       "not a TIFF file (%" PRIu64 " bytes)",
				       io->size);
	c->le = h[0] == 'I';
	unsigned magic = (unsigned)load(h + 2, 2, c->le);
	if ((memcmp(h, "II", 2) != 0 && memcmp(h, "MM", 2) != 0) ||
	    (magic != 42 && magic != 43))
		return fp__codec_error(err, err_size, FP_ECORRUPT,
				       "not a TIFF file (no II*/MM* header)");
	c->big = magic == 43;
	if (c->big && io->size < 16)
		return fp__codec_error(err, err_size, FP_ECORRUPT,
				       "truncated BigTIFF header");
	uint64_t off = c->big ? load(h + 8, 8, c->le) : load(h + 4, 4, c->le);
	if (off == 0)
		return fp__codec_error(err, err_size, FP_ECORRUPT,
				       "no directory (first IFD offset 0)");
	c->seen = calloc(SEEN_SLOTS, sizeof *c->seen);
	if (c->seen == NULL)
		return fp__codec_error(err, err_size, -ENOMEM, "out of memory");
	int ret = 0;
	while (off != 0 && c->pages < MAX_PAGES && ret == 0) {
		if (!remember(c, off)) {
			ret = fp__codec_error(err, err_size, FP_ECORRUPT,
					      "IFD loop: directory %u points "
					      "back to offset %" PRIu64,
					      c->pages, off);
			break;
		}
		ret = read_ifd(io, c, off, (int64_t)c->pages == page, &off, err,
			       err_size);
		c->pages++;
	}
	free(c->seen);
	c->seen = NULL;
	return ret;
}

static bool colormap_is(const struct layout *L, int shift)
{
	size_t n = (size_t)1 << L->bps;
	for (int c = 0; c < 3; c++)
		for (size_t i = 0; i < n; i++) {
			unsigned v = L->cmap[c][i];
			if (shift == 0 ? v > 255 : v % 257 != 0)
				return false;
		}
	return true;
}

/* Channels of the frame, and where each comes from. */
static int plan_channels(struct page *p, char *err, size_t err_size)
{
	struct layout *L = &p->L;
	uint16_t extras = 0, *kinds = NULL;
	TIFFGetFieldDefaulted(p->tif, TIFFTAG_EXTRASAMPLES, &extras, &kinds);
	unsigned colour = L->photometric == PHOTOMETRIC_RGB ? 3 : 1;
	L->alpha = -1;
	if (extras > 0 && L->spp > colour && kinds != NULL &&
	    L->photometric != PHOTOMETRIC_PALETTE) {
		/* the first extra sample; "unspecified" is taken as alpha,
		 * as ImageMagick does */
		L->alpha = (int)colour;
		L->assoc = kinds[0] == EXTRASAMPLE_ASSOCALPHA;
	}
	if (L->spp < colour)
		return fp__codec_error(err, err_size, FP_ECORRUPT,
				       "%u samples per pixel are too few for "
				       "photometric %u",
				       L->spp, L->photometric);
	if (L->photometric == PHOTOMETRIC_PALETTE) {
		uint16_t *r, *g, *b;
		if (L->bps > 8 || L->spp != 1 ||
		    !TIFFGetField(p->tif, TIFFTAG_COLORMAP, &r, &g, &b))
			return fp__codec_error(
				err, err_size, FP_ECORRUPT,
				"palette image without a usable colormap");
		L->cmap[0] = r;
		L->cmap[1] = g;
		L->cmap[2] = b;
		L->out_ch = 3;
		L->out16 = true;
		if (colormap_is(L, 8)) {
			L->out16 = false;
			L->cmap_shift = 8;
		} else if (colormap_is(L, 0)) {
			L->out16 = false;
			L->cmap_shift = 0;
		}
	} else {
		L->out_ch = colour + (L->alpha >= 0 ? 1 : 0);
		L->out16 = L->bps == 16;
	}
	L->format = fp_format_of(L->out_ch, L->out16 ? 2 : 1);
	return 0;
}

/* What libtiff can give us directly, and what goes through its RGBA
 * reader (8-bit RGB(A) out). */
static int plan_layout(struct page *p, char *err, size_t err_size)
{
	struct layout *L = &p->L;
	uint16_t compression = COMPRESSION_NONE, format = SAMPLEFORMAT_UINT;
	TIFFGetFieldDefaulted(p->tif, TIFFTAG_BITSPERSAMPLE, &L->bps);
	TIFFGetFieldDefaulted(p->tif, TIFFTAG_SAMPLESPERPIXEL, &L->spp);
	TIFFGetFieldDefaulted(p->tif, TIFFTAG_PLANARCONFIG, &L->planar);
	TIFFGetFieldDefaulted(p->tif, TIFFTAG_COMPRESSION, &compression);
	TIFFGetFieldDefaulted(p->tif, TIFFTAG_SAMPLEFORMAT, &format);
	if (!TIFFGetField(p->tif, TIFFTAG_PHOTOMETRIC, &L->photometric))
		L->photometric =
			L->spp >= 3 ? PHOTOMETRIC_RGB : PHOTOMETRIC_MINISBLACK;
	if (L->photometric == PHOTOMETRIC_YCBCR &&
	    compression == COMPRESSION_JPEG) {
		/* libjpeg converts to RGB: no subsampled planes for us */
		TIFFSetField(p->tif, TIFFTAG_JPEGCOLORMODE, JPEGCOLORMODE_RGB);
		L->photometric = PHOTOMETRIC_RGB;
	}
	if (format != SAMPLEFORMAT_UINT && format != SAMPLEFORMAT_VOID)
		return fp__codec_error(
			err, err_size, FP_EFORMAT,
			"%s samples are not supported (unsigned "
			"integers only)",
			format == SAMPLEFORMAT_IEEEFP ? "floating"
			: format == SAMPLEFORMAT_INT  ? "signed"
						      : "complex");
	if (L->bps != 1 && L->bps != 2 && L->bps != 4 && L->bps != 8 &&
	    L->bps != 16)
		return fp__codec_error(err, err_size, FP_EFORMAT,
				       "%u bits per sample are not supported "
				       "(1, 2, 4, 8 or 16)",
				       L->bps);
	if (L->spp == 0)
		return fp__codec_error(err, err_size, FP_ECORRUPT,
				       "0 samples per pixel");
	L->invert = L->photometric == PHOTOMETRIC_MINISWHITE;
	/* Gray, palette and RGB of 8 or 16 bits are ours; the rest (packed
	 * RGB, YCbCr, CMYK, L*a*b*, ...) libtiff's RGBA reader converts. */
	bool ours = L->photometric == PHOTOMETRIC_MINISBLACK ||
		    L->photometric == PHOTOMETRIC_MINISWHITE ||
		    L->photometric == PHOTOMETRIC_PALETTE ||
		    (L->photometric == PHOTOMETRIC_RGB && L->bps >= 8);
	if (!ours && L->bps == 16)
		return fp__codec_error(err, err_size, FP_EFORMAT,
				       "16-bit photometric %u is not supported",
				       L->photometric);
	L->rgba_path = !ours;
	if (L->rgba_path) {
		char why[1024];
		if (!TIFFRGBAImageOK(p->tif, why))
			return fp__codec_error(err, err_size, FP_EFORMAT,
					       "not supported: %s", why);
		uint16_t extras = 0, *kinds = NULL;
		TIFFGetFieldDefaulted(p->tif, TIFFTAG_EXTRASAMPLES, &extras,
				      &kinds);
		L->out_ch = extras > 0 ? 4 : 3;
		L->format = L->out_ch == 4 ? FP_FORMAT_RGBA8 : FP_FORMAT_RGB8;
		return 0;
	}
	L->tiled = TIFFIsTiled(p->tif) != 0;
	if (L->tiled) {
		TIFFGetField(p->tif, TIFFTAG_TILEWIDTH, &L->tile_w);
		TIFFGetField(p->tif, TIFFTAG_TILELENGTH, &L->tile_h);
		if (L->tile_w == 0 || L->tile_h == 0)
			return fp__codec_error(err, err_size, FP_ECORRUPT,
					       "tile size %" PRIu32 "x%" PRIu32,
					       L->tile_w, L->tile_h);
	} else {
		TIFFGetFieldDefaulted(p->tif, TIFFTAG_ROWSPERSTRIP,
				      &L->rows_per_strip);
		if (L->rows_per_strip == 0 || L->rows_per_strip > L->height)
			L->rows_per_strip = L->height;
	}
	return plan_channels(p, err, err_size);
}

/* Open path at the configured page; check the limits and read its layout.
 * The caller page_close()s. */
static int page_open(const struct tiff_decode_config *cfg, const char *path,
		     struct page *p, char *err, size_t err_size)
{
	struct stat st;
	memset(p, 0, sizeof *p);
	int ret = fp__codec_open_input(path, &p->io.file, err, err_size);
	if (ret < 0)
		return ret;
	p->io.fd = fileno(p->io.file);
	if (fstat(p->io.fd, &st) != 0) {
		int e = fp__codec_errno();
		return fp__codec_error(err, err_size, -e, "cannot stat: %s",
				       strerror(e));
	}
	p->io.size = (uint64_t)st.st_size;
	if (p->io.size == 0)
		return fp__codec_error(err, err_size, FP_ECORRUPT,
				       "empty file");
	struct chain chain = {0};
	ret = walk_chain(&p->io, cfg->page, &chain, err, err_size);
	if (ret < 0)
		return ret;
	if (cfg->page >= (int64_t)chain.pages)
		return fp__codec_error(
			err, err_size, FP_ECONFIG,
			"page %" PRId64 " does not exist: the file "
			"has %u page%s (tiff_decode.page counts "
			"from 0)",
			cfg->page, chain.pages, chain.pages == 1 ? "" : "s");
	fp_codec_limits limits = {cfg->max_width, cfg->max_height,
				  cfg->max_pixels};
	ret = fp__codec_check_limits("tiff_decode", &limits, chain.width,
				     chain.height, err, err_size);
	if (ret < 0)
		return ret;
	/* m: no mapping (our reads), O: strip offsets read on demand */
	p->io.pos = 0; /* libtiff reads its header without seeking */
	p->tif = fp__tiff_open(&p->io, path, "rmO", MAX_LIBTIFF_ALLOC);
	if (p->tif == NULL)
		return fail_with(err, err_size, p, FP_ECORRUPT,
				 "not a TIFF file");
	if (cfg->page > 0 && !TIFFSetDirectory(p->tif, (tdir_t)cfg->page))
		return fail_with(err, err_size, p, FP_ECORRUPT,
				 "cannot read the page's directory");
	if (!TIFFGetField(p->tif, TIFFTAG_IMAGEWIDTH, &p->L.width) ||
	    !TIFFGetField(p->tif, TIFFTAG_IMAGELENGTH, &p->L.height) ||
	    p->L.width == 0 || p->L.height == 0)
		return fp__codec_error(err, err_size, FP_ECORRUPT,
				       "no image size in the directory");
	ret = fp__codec_check_limits("tiff_decode", &limits, p->L.width,
				     p->L.height, err, err_size);
	if (ret < 0)
		return ret;
	return plan_layout(p, err, err_size);
}

int fp__tiff_probe(const void *config, const char *path, fp_shape *out,
		   char *err, size_t err_size)
{
	struct page p;
	int ret = page_open(config, path, &p, err, err_size);
	if (ret == 0) {
		out->width = p.L.width;
		out->height = p.L.height;
		out->formats = FP_FORMAT_BIT(p.L.format);
		out->reserved = 0;
	}
	page_close(&p);
	return ret;
}

/* ---- samples to pixels --------------------------------------------------- */

/* Sample i of a row of bps-bit samples. */
static unsigned sample_at(const uint8_t *row, size_t i, unsigned bps)
{
	switch (bps) {
	case 8: return row[i];
	case 16: {
		uint16_t v;
		memcpy(&v, row + 2 * i, 2); /* native order: libtiff swabs */
		return v;
	}
	default: {
		size_t bit = i * bps;
		unsigned shift = 8 - bps - (unsigned)(bit % 8);
		return (row[bit / 8] >> shift) & ((1u << bps) - 1);
	}
	}
}

static void put(uint8_t *px, unsigned c, bool out16, unsigned v)
{
	if (out16) {
		uint16_t s = (uint16_t)v;
		memcpy(px + 2 * c, &s, 2);
	} else {
		px[c] = (uint8_t)v;
	}
}

/* The value of sample s of pixel x scaled to the output depth. */
static unsigned value_of(const struct layout *L, const uint8_t *row, size_t i)
{
	unsigned v = sample_at(row, i, L->bps);
	if (L->bps < 8)
		v = v * 255 / ((1u << L->bps) - 1);
	return v;
}

static void unpremultiply(uint8_t *px, const struct layout *L)
{
	unsigned max = L->out16 ? 65535 : 255;
	unsigned colour = L->out_ch - 1, a;
	if (L->out16) {
		uint16_t s;
		memcpy(&s, px + 2 * colour, 2);
		a = s;
	} else {
		a = px[colour];
	}
	for (unsigned c = 0; c < colour; c++) {
		unsigned v;
		if (L->out16) {
			uint16_t s;
			memcpy(&s, px + 2 * c, 2);
			v = s;
		} else {
			v = px[c];
		}
		v = a == 0 ? 0 : (v * max + a / 2) / a;
		put(px, c, L->out16, v > max ? max : v);
	}
}

/* Convert n pixels of a decoded row (of a strip or tile) into dst. plane
 * is -1 for contiguous samples, else the one sample this row holds. */
static void convert_row(const struct layout *L, const uint8_t *row, uint32_t n,
			int plane, uint8_t *dst)
{
	unsigned px_bytes = fp_format_pixel_bytes(L->format);
	unsigned max = L->out16 ? 65535 : 255;
	for (uint32_t x = 0; x < n; x++, dst += px_bytes) {
		if (L->photometric == PHOTOMETRIC_PALETTE) {
			unsigned idx = sample_at(row, x, L->bps);
			for (unsigned c = 0; c < 3; c++)
				put(dst, c, L->out16,
				    L->cmap[c][idx] >>
					    (L->out16 ? 0 : L->cmap_shift));
			continue;
		}
		for (unsigned c = 0; c < L->out_ch; c++) {
			unsigned s = c < L->out_ch - (L->alpha >= 0)
					     ? c
					     : (unsigned)L->alpha;
			if (plane >= 0 && (unsigned)plane != s)
				continue;
			size_t i = plane >= 0 ? x : (size_t)x * L->spp + s;
			unsigned v = value_of(L, row, i);
			if (L->invert && (int)s != L->alpha)
				v = max - v;
			put(dst, c, L->out16, v);
		}
		if (L->assoc && (plane < 0 || plane == L->alpha))
			unpremultiply(dst, L);
	}
}

/* The planes to read: one for contiguous samples, one per used sample
 * for separate planes (-1 means "contiguous"). */
static int planes_of(const struct layout *L, int *planes)
{
	if (L->planar != PLANARCONFIG_SEPARATE || L->spp == 1) {
		planes[0] = -1;
		return 1;
	}
	unsigned colour = L->photometric == PHOTOMETRIC_RGB ? 3 : 1;
	int n = 0;
	for (unsigned s = 0; s < colour; s++)
		planes[n++] = (int)s;
	if (L->alpha >= 0)
		planes[n++] = L->alpha;
	return n;
}

static int read_strips(struct page *p, fp_frame *out, uint8_t *buf)
{
	const struct layout *L = &p->L;
	int planes[5], np = planes_of(L, planes);
	uint32_t per_plane = TIFFNumberOfStrips(p->tif) /
			     (np > 1 || planes[0] >= 0 ? L->spp : 1);
	tmsize_t row_bytes = TIFFScanlineSize(p->tif);
	for (int k = 0; k < np; k++)
		for (uint32_t y = 0; y < L->height; y += L->rows_per_strip) {
			uint32_t strip = y / L->rows_per_strip;
			if (planes[k] >= 0)
				strip += (uint32_t)planes[k] * per_plane;
			if (TIFFReadEncodedStrip(p->tif, strip, buf,
						 (tmsize_t)-1) < 0)
				return fp_frame_fail(
					out, FP_ECORRUPT,
					"strip %" PRIu32 ": %s", strip,
					fp__tiff_reason(&p->io,
							"cannot be decoded"));
			uint32_t rows = L->height - y < L->rows_per_strip
						? L->height - y
						: L->rows_per_strip;
			for (uint32_t r = 0; r < rows; r++)
				convert_row(L, buf + (size_t)r * row_bytes,
					    L->width, planes[k],
					    out->pixels + (size_t)(y + r) *
								  out->stride);
		}
	return 0;
}

static int read_tiles(struct page *p, fp_frame *out, uint8_t *buf)
{
	const struct layout *L = &p->L;
	int planes[5], np = planes_of(L, planes);
	tmsize_t row_bytes = TIFFTileRowSize(p->tif);
	unsigned px_bytes = fp_format_pixel_bytes(L->format);
	for (int k = 0; k < np; k++)
		for (uint32_t y = 0; y < L->height; y += L->tile_h)
			for (uint32_t x = 0; x < L->width; x += L->tile_w) {
				uint16_t plane =
					(uint16_t)(planes[k] < 0 ? 0
								 : planes[k]);
				uint32_t tile =
					TIFFComputeTile(p->tif, x, y, 0, plane);
				if (TIFFReadEncodedTile(p->tif, tile, buf,
							(tmsize_t)-1) < 0)
					return fp_frame_fail(
						out, FP_ECORRUPT,
						"tile %" PRIu32 ": %s", tile,
						fp__tiff_reason(
							&p->io,
							"cannot be decoded"));
				uint32_t w = L->width - x < L->tile_w
						     ? L->width - x
						     : L->tile_w;
				uint32_t h = L->height - y < L->tile_h
						     ? L->height - y
						     : L->tile_h;
				for (uint32_t r = 0; r < h; r++)
					convert_row(
						L, buf + (size_t)r * row_bytes,
						w, planes[k],
						out->pixels +
							(size_t)(y + r) *
								out->stride +
							(size_t)x * px_bytes);
			}
	return 0;
}

/* libtiff's RGBA reader straight into the slot (needs 4 bytes a pixel),
 * then packed to RGB8 in place when there is no alpha. */
static int read_rgba(struct page *p, fp_frame *out)
{
	const struct layout *L = &p->L;
	int ret = fp__codec_check_fit(out, L->width, L->height, 4,
				      "RGBA8 (libtiff's RGBA reader)");
	if (ret < 0)
		return ret;
	if (!TIFFReadRGBAImageOriented(p->tif, L->width, L->height,
				       (uint32_t *)(void *)out->pixels,
				       ORIENTATION_TOPLEFT, 1))
		return fp_frame_fail(
			out, FP_ECORRUPT, "%s",
			fp__tiff_reason(&p->io, "cannot be decoded"));
	/* ABGR in a native uint32: R, G, B, A in memory on little-endian */
	size_t n = (size_t)L->width * L->height;
	uint32_t *px = (uint32_t *)(void *)out->pixels;
	for (size_t i = 0; i < n; i++) {
		uint32_t v = px[i];
		uint8_t rgba[4] = {(uint8_t)TIFFGetR(v), (uint8_t)TIFFGetG(v),
				   (uint8_t)TIFFGetB(v), (uint8_t)TIFFGetA(v)};
		memcpy(out->pixels + i * L->out_ch, rgba, L->out_ch);
	}
	return 0;
}

static int read_pixels(struct page *p, fp_frame *out)
{
	const struct layout *L = &p->L;
	if (L->rgba_path)
		return read_rgba(p, out);
	tmsize_t size = L->tiled ? TIFFTileSize(p->tif) : TIFFStripSize(p->tif);
	if (size <= 0)
		return fp_frame_fail(
			out, FP_ECORRUPT, "%s",
			fp__tiff_reason(&p->io, "bad strip or tile size"));
	/* The strip or tile holds every sample the file declares, and
	 * SamplesPerPixel (up to 65535) is not in the pixel limits: bound the
	 * buffer by the image it becomes, so a file that declares thousands of
	 * samples we would drop cannot make us allocate gigabytes. */
	uint64_t image =
		(uint64_t)L->width * L->height * L->out_ch * (L->out16 ? 2 : 1);
	uint64_t most =
		2 * image > MAX_LIBTIFF_ALLOC ? 2 * image : MAX_LIBTIFF_ALLOC;
	if ((uint64_t)size > most)
		return fp_frame_fail(
			out, FP_EFORMAT,
			"a %s of %" PRIu64
			" bytes (%u samples per pixel) for a "
			"%" PRIu32 "x%" PRIu32 " image: over twice the decoded "
			"image and over %" PRIu64 " MiB, refused",
			L->tiled ? "tile" : "strip", (uint64_t)size, L->spp,
			L->width, L->height, MAX_LIBTIFF_ALLOC >> 20);
	uint8_t *buf = malloc((size_t)size);
	if (buf == NULL)
		return fp_frame_fail(out, -ENOMEM,
				     "out of memory for a %s of %zu bytes",
				     L->tiled ? "tile" : "strip", (size_t)size);
	int ret = L->tiled ? read_tiles(p, out, buf) : read_strips(p, out, buf);
	free(buf);
	return ret;
}

/* ---- metadata ------------------------------------------------------------ */

static int meta_add(fp_frame *out, fp_meta_kind kind, const void *value,
		    size_t size, const char *what)
{
	if (fp_meta_add(out->meta, kind, 0, NULL, value, size) == 0)
		return 0;
	return fp_frame_fail(out, FP_ENOFIT,
			     "%s of %zu bytes does not fit the frame's "
			     "metadata area of %" PRIu32
			     " bytes (raise [pipeline] metadata_size)",
			     what, size, out->meta->capacity);
}

static uint32_t per_unit(float v, double scale)
{
	double x = (double)v * scale + 0.5;
	return x < 1 ? 0 : x > 4294967295.0 ? UINT32_MAX : (uint32_t)x;
}

static int read_metadata(struct page *p, fp_frame *out)
{
	uint32_t size;
	void *data;
	int ret = 0;
	if (out->meta == NULL)
		return 0;
	if (TIFFGetField(p->tif, TIFFTAG_ICCPROFILE, &size, &data) && size > 0)
		ret = meta_add(out, FP_META_ICC, data, size, "ICC profile");
	if (ret == 0 && TIFFGetField(p->tif, TIFFTAG_XMLPACKET, &size, &data) &&
	    size > 0)
		ret = meta_add(out, FP_META_XMP, data, size, "XMP packet");
	float xr, yr;
	uint16_t unit = RESUNIT_INCH;
	if (ret == 0 && TIFFGetField(p->tif, TIFFTAG_XRESOLUTION, &xr) &&
	    TIFFGetField(p->tif, TIFFTAG_YRESOLUTION, &yr) && xr > 0 &&
	    yr > 0) {
		TIFFGetFieldDefaulted(p->tif, TIFFTAG_RESOLUTIONUNIT, &unit);
		double scale = unit == RESUNIT_CENTIMETER ? 100 : 1;
		fp_meta_resolution res = {
			.x = per_unit(xr, scale),
			.y = per_unit(yr, scale),
			.unit = unit == RESUNIT_INCH	     ? FP_RES_PER_INCH
				: unit == RESUNIT_CENTIMETER ? FP_RES_PER_METRE
							     : FP_RES_UNKNOWN,
		};
		ret = meta_add(out, FP_META_RESOLUTION, &res, sizeof res,
			       "resolution");
	}
	uint16_t orientation;
	if (ret == 0 && !p->L.rgba_path &&
	    TIFFGetField(p->tif, TIFFTAG_ORIENTATION, &orientation) &&
	    orientation >= 2 && orientation <= 8) {
		uint32_t o = orientation;
		ret = meta_add(out, FP_META_ORIENTATION, &o, sizeof o,
			       "orientation");
	}
	return ret;
}

int fp__tiff_decode(const void *config, fp_frame *out)
{
	struct page p;
	int ret = page_open(config, out->input_path, &p, out->error,
			    out->error_size);
	if (ret < 0)
		goto out_close;
	const struct layout *L = &p.L;
	ret = fp__codec_check_fit(out, L->width, L->height,
				  fp_format_pixel_bytes(L->format),
				  fp_format_name(L->format));
	if (ret < 0)
		goto out_close;
	out->width = L->width;
	out->height = L->height;
	out->stride = L->width * fp_format_pixel_bytes(L->format);
	out->format = L->format;
	fp_meta_clear(out->meta);
	ret = read_pixels(&p, out);
	if (ret == 0)
		ret = read_metadata(&p, out);
out_close:
	page_close(&p);
	return ret;
}
