/* PNG metadata chunks <-> the frame's metadata area.
 *
 * Read as entries:
 *   iCCP  FP_META_ICC, key the profile name, value the inflated profile
 *   eXIf  FP_META_EXIF, as stored (TIFF structure)
 *   iTXt  keyword XML:com.adobe.xmp: FP_META_XMP (flag COMPRESSED kept)
 *   tEXt  FP_META_TEXT, flags 0
 *   zTXt  FP_META_TEXT, COMPRESSED, inflated
 *   iTXt  FP_META_TEXT, UTF8 (+ COMPRESSED), language and translated key
 *   pHYs  FP_META_RESOLUTION (unit 1: per metre; 0: aspect ratio only)
 *   gAMA, cHRM, sRGB  FP_META_GAMMA, FP_META_CHROMA, FP_META_SRGB
 * and written back as the same chunk types, so that a round trip keeps
 * every chunk's content; entries from other codecs map onto them
 * (FP_META_COMMENT -> tEXt Comment, resolution per inch -> pixels per
 * metre, rounded).
 *
 * Inflating is bounded twice: by what is left of png_decode.max_metadata
 * (a bomb is refused after that many bytes, never allocated whole) and by
 * the free space of the area (a value that cannot fit is not inflated
 * further).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "png_codec.h"

const png_byte fp__png_meta_chunks[] =
	"iCCP\0sRGB\0gAMA\0cHRM\0pHYs\0eXIf\0tEXt\0zTXt\0iTXt";
const int fp__png_meta_chunk_count = 9;

#define XMP_KEYWORD "XML:com.adobe.xmp"

bool fp__png_is_meta_chunk(const uint8_t *type)
{
	for (int i = 0; i < fp__png_meta_chunk_count; i++)
		if (memcmp(type, fp__png_meta_chunks + 5 * i, 4) == 0)
			return true;
	return false;
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* ---- reading --------------------------------------------------------------
 */

static int fail(struct fp_png_meta_in *m, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int fail(struct fp_png_meta_in *m, int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	(void)vsnprintf(m->msg, sizeof(m->msg), fmt, ap);
	va_end(ap);
	m->code = code;
	return code;
}

static size_t area_free(const fp_meta *meta)
{
	return meta->used < meta->capacity ? meta->capacity - meta->used : 0;
}

static int area_full(struct fp_png_meta_in *m, const char *type,
		     const char *key, size_t need)
{
	return fail(m, FP_ENOFIT,
		    "metadata area full: %.4s '%.40s' needs %zu bytes, %zu of "
		    "%" PRIu32 " are free (raise [pipeline] metadata_size)",
		    type, key, need, area_free(m->meta), m->meta->capacity);
}

static int add(struct fp_png_meta_in *m, const char *type, fp_meta_kind kind,
	       uint32_t flags, const char *key, const void *value, size_t size)
{
	if (fp_meta_add(m->meta, kind, flags, key, value, size) == 0)
		return 0;
	size_t key_size = key != NULL ? strlen(key) + 1 : 1;
	return area_full(m, type, key != NULL ? key : "",
			 (sizeof(fp_meta_entry) + key_size + size + 7) &
				 ~(size_t)7);
}

/* A growing byte buffer for one value. */
struct buf {
	uint8_t *p;
	size_t len, cap;
};

static int buf_reserve(struct buf *b, size_t more)
{
	if (b->cap - b->len >= more)
		return 0;
	size_t cap = b->cap > 0 ? b->cap : 256;
	while (cap - b->len < more)
		cap *= 2;
	uint8_t *p = realloc(b->p, cap);
	if (p == NULL)
		return -ENOMEM;
	b->p = p;
	b->cap = cap;
	return 0;
}

static int buf_append(struct buf *b, const void *data, size_t n)
{
	if (buf_reserve(b, n + 1) < 0)
		return -ENOMEM;
	memcpy(b->p + b->len, data, n);
	b->len += n;
	return 0;
}

/* Inflate the zlib stream src onto b, at most `limit` bytes of output.
 * 0; 1 when the stream is damaged (the chunk is skipped); 2 when it
 * inflates past limit; -ENOMEM. */
static int inflate_onto(struct buf *b, const uint8_t *src, size_t n,
			size_t limit)
{
	z_stream z = {0};
	if (inflateInit(&z) != Z_OK)
		return -ENOMEM;
	z.next_in = (Bytef *)(uintptr_t)src;
	z.avail_in = (uInt)n;
	size_t start = b->len;
	int ret;
	for (;;) {
		size_t room = n * 4 + 1024; /* grows with the buffer */
		if (room < b->len - start)
			room = b->len - start;
		if (room > limit - (b->len - start) + 1)
			room = limit - (b->len - start) + 1;
		if (room > UINT32_MAX)
			room = UINT32_MAX;
		if (buf_reserve(b, room) < 0) {
			ret = -ENOMEM;
			break;
		}
		z.next_out = b->p + b->len;
		z.avail_out = (uInt)room;
		int zr = inflate(&z, Z_NO_FLUSH);
		b->len += room - z.avail_out;
		if (b->len - start > limit) {
			ret = 2;
			break;
		}
		if (zr == Z_STREAM_END) {
			ret = 0;
			break;
		}
		if (zr != Z_OK && !(zr == Z_BUF_ERROR && z.avail_out == 0)) {
			ret = 1; /* damaged, or ends early */
			break;
		}
	}
	inflateEnd(&z);
	return ret;
}

/* Inflate a chunk's compressed part onto b within the budget and the
 * area's free space; 0, 1 (skip the chunk), or an error in m. */
static int inflate_value(struct fp_png_meta_in *m, struct buf *b,
			 const char *type, const char *key, const uint8_t *src,
			 size_t n)
{
	size_t space = area_free(m->meta);
	uint64_t limit = m->budget < space ? m->budget : space;
	size_t before = b->len;
	int r = inflate_onto(b, src, n, (size_t)limit);
	if (r == -ENOMEM)
		return fail(m, -ENOMEM, "out of memory inflating %.4s", type);
	if (r == 2 && m->budget < space)
		return fail(m, FP_ELIMIT,
			    "%.4s '%.40s' inflates past png_decode.max_metadata"
			    "=%" PRIu64 " with the chunks before it (a "
			    "decompression bomb? raise it to accept the file)",
			    type, key, m->limit);
	if (r == 2)
		return fail(m, FP_ENOFIT,
			    "metadata area full: %.4s '%.40s' inflates to more "
			    "than the %zu bytes free of %" PRIu32
			    " (raise [pipeline] metadata_size)",
			    type, key, space, m->meta->capacity);
	m->budget -= b->len - before;
	return r;
}

/* A keyword of 1..79 bytes ending in a NUL inside data; its length, or 0. */
static size_t keyword(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, 0, size < 80 ? size : 80);
	return nul != NULL && nul != data ? (size_t)(nul - data) : 0;
}

/* tEXt, zTXt, iTXt. */
static int read_text(struct fp_png_meta_in *m, const char *type,
		     const uint8_t *d, size_t size, struct buf *b)
{
	size_t k = keyword(d, size);
	if (k == 0)
		return 0;
	const char *key = (const char *)d;
	const uint8_t *p = d + k + 1, *end = d + size;
	uint32_t flags = 0;
	bool compressed = type[0] == 'z';
	bool xmp = false;
	int r = 0;

	if (type[0] == 'i') {
		if (end - p < 2 || p[0] > 1 || p[1] != 0)
			return 0;
		compressed = p[0] == 1;
		p += 2;
		const uint8_t *lang_end = memchr(p, 0, (size_t)(end - p));
		if (lang_end == NULL)
			return 0;
		const uint8_t *trans_end =
			memchr(lang_end + 1, 0, (size_t)(end - lang_end - 1));
		if (trans_end == NULL)
			return 0;
		flags = FP_META_TEXT_UTF8;
		xmp = strcmp(key, XMP_KEYWORD) == 0;
		if (!xmp && buf_append(b, p, (size_t)(trans_end + 1 - p)) < 0)
			return fail(m, -ENOMEM, "out of memory");
		p = trans_end + 1;
	} else {
		if (type[0] == 'z') {
			if (p == end || *p != 0)
				return 0;
			p++;
		}
		if (buf_append(b, "\0", 2) < 0)
			return fail(m, -ENOMEM, "out of memory");
	}
	if (compressed)
		r = inflate_value(m, b, type, key, p, (size_t)(end - p));
	else if (buf_append(b, p, (size_t)(end - p)) < 0)
		r = fail(m, -ENOMEM, "out of memory");
	if (r != 0)
		return r < 0 ? r : 0;
	if (compressed)
		flags |= FP_META_TEXT_COMPRESSED;
	if (xmp)
		return add(m, type, FP_META_XMP,
			   flags & FP_META_TEXT_COMPRESSED, NULL, b->p, b->len);
	return add(m, type, FP_META_TEXT, flags, key, b->p, b->len);
}

static int read_iccp(struct fp_png_meta_in *m, const uint8_t *d, size_t size,
		     struct buf *b)
{
	size_t k = keyword(d, size);
	if (k == 0 || k + 2 > size || d[k + 1] != 0)
		return 0;
	if (fp_meta_find(m->meta, FP_META_ICC, NULL) != NULL)
		return 0; /* one profile: the first */
	int r = inflate_value(m, b, "iCCP", (const char *)d, d + k + 2,
			      size - k - 2);
	if (r != 0)
		return r < 0 ? r : 0;
	return add(m, "iCCP", FP_META_ICC, 0, (const char *)d, b->p, b->len);
}

static int read_fixed(struct fp_png_meta_in *m, const char *type,
		      const uint8_t *d, size_t size)
{
	uint32_t v[8];

	if (memcmp(type, "pHYs", 4) == 0) {
		if (size != 9 || d[8] > 1)
			return 0;
		fp_meta_resolution res = {.x = be32(d),
					  .y = be32(d + 4),
					  .unit = d[8] == 1 ? FP_RES_PER_METRE
							    : FP_RES_UNKNOWN};
		return add(m, type, FP_META_RESOLUTION, 0, NULL, &res,
			   sizeof res);
	}
	if (memcmp(type, "gAMA", 4) == 0 && size == 4) {
		v[0] = be32(d);
		return add(m, type, FP_META_GAMMA, 0, NULL, v, 4);
	}
	if (memcmp(type, "cHRM", 4) == 0 && size == 32) {
		for (int i = 0; i < 8; i++)
			v[i] = be32(d + 4 * i);
		return add(m, type, FP_META_CHROMA, 0, NULL, v, 32);
	}
	if (memcmp(type, "sRGB", 4) == 0 && size == 1 && d[0] <= 3) {
		v[0] = d[0];
		return add(m, type, FP_META_SRGB, 0, NULL, v, 4);
	}
	if (memcmp(type, "eXIf", 4) == 0 && size >= 8)
		return add(m, type, FP_META_EXIF, 0, NULL, d, size);
	return 0;
}

int fp__png_meta_read(struct fp_png_meta_in *m, const char *type,
		      const uint8_t *data, size_t size)
{
	struct buf b = {0};
	int r;

	m->budget -= size < m->budget ? size : m->budget;
	if (memcmp(type, "tEXt", 4) == 0 || memcmp(type, "zTXt", 4) == 0 ||
	    memcmp(type, "iTXt", 4) == 0)
		r = read_text(m, type, data, size, &b);
	else if (memcmp(type, "iCCP", 4) == 0)
		r = read_iccp(m, data, size, &b);
	else
		r = read_fixed(m, type, data, size);
	free(b.p);
	return r;
}

/* ---- writing --------------------------------------------------------------
 */

static uint8_t *scratch_for(png_structp png, uint8_t **scratch,
			    size_t *scratch_size, size_t n)
{
	if (*scratch_size < n) {
		uint8_t *p = realloc(*scratch, n);
		if (p == NULL)
			png_error(png, "out of memory writing metadata");
		*scratch = p;
		*scratch_size = n;
	}
	return *scratch;
}

/* True when key can be a PNG keyword: 1..79 printable Latin-1
 * characters, no leading or trailing space. */
static bool keyword_ok(const char *key)
{
	size_t n = strlen(key);
	if (n == 0 || n > 79 || key[0] == ' ' || key[n - 1] == ' ')
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)key[i];
		if (c < 32 || (c > 126 && c < 161))
			return false;
	}
	return true;
}

/* Write a chunk: its head (keyword and fields, head_size bytes) is at
 * the start of *scratch already; then body, deflated when compress. */
static void write_chunk(png_structp png, const char *type, size_t head_size,
			const void *body, size_t body_size, bool compress,
			uint8_t **scratch, size_t *scratch_size)
{
	uLong bound = compress ? compressBound((uLong)body_size) : body_size;
	if (body_size > PNG_UINT_31_MAX || bound > PNG_UINT_31_MAX - head_size)
		png_error(png, "a metadata entry is too large for a PNG chunk");
	uint8_t *p = scratch_for(png, scratch, scratch_size, head_size + bound);
	uLongf out = bound;
	if (!compress)
		memcpy(p + head_size, body, body_size);
	else if (compress2(p + head_size, &out, body, (uLong)body_size,
			   Z_DEFAULT_COMPRESSION) != Z_OK)
		png_error(png, "cannot compress a metadata chunk");
	png_write_chunk(png, (png_const_bytep)type, p, head_size + out);
}

/* Append n bytes to the head being built at the start of *scratch. */
static void head_put(png_structp png, uint8_t **scratch, size_t *scratch_size,
		     size_t *at, const void *data, size_t n)
{
	uint8_t *p = scratch_for(png, scratch, scratch_size, *at + n);
	memcpy(p + *at, data, n);
	*at += n;
}

static void write_text(png_structp png, const fp_meta_entry *e,
		       uint8_t **scratch, size_t *scratch_size)
{
	fp_meta_text t;
	const char *key = e->kind == FP_META_COMMENT ? "Comment"
			  : e->kind == FP_META_XMP   ? XMP_KEYWORD
						     : fp_meta_key(e);
	bool compressed = (e->flags & FP_META_TEXT_COMPRESSED) != 0;
	size_t hs = 0;

	if (!keyword_ok(key))
		return;
	if (e->kind != FP_META_TEXT) {
		t = (fp_meta_text){.language = "",
				   .translated_key = "",
				   .text = fp_meta_value(e),
				   .text_size = e->value_size};
	} else if (!fp_meta_text_parts(e, &t)) {
		return;
	}
	bool itxt = e->kind == FP_META_XMP ||
		    (e->kind == FP_META_TEXT &&
		     ((e->flags & FP_META_TEXT_UTF8) != 0 ||
		      t.language[0] != '\0' || t.translated_key[0] != '\0'));
	head_put(png, scratch, scratch_size, &hs, key, strlen(key) + 1);
	if (!itxt) {
		if (compressed) /* compression method 0 */
			head_put(png, scratch, scratch_size, &hs, "", 1);
		write_chunk(png, compressed ? "zTXt" : "tEXt", hs, t.text,
			    t.text_size, compressed, scratch, scratch_size);
		return;
	}
	/* iTXt: flag, method, language, translated keyword, text */
	uint8_t flag_method[2] = {compressed ? 1 : 0, 0};
	head_put(png, scratch, scratch_size, &hs, flag_method, 2);
	head_put(png, scratch, scratch_size, &hs, t.language,
		 strlen(t.language) + 1);
	head_put(png, scratch, scratch_size, &hs, t.translated_key,
		 strlen(t.translated_key) + 1);
	write_chunk(png, "iTXt", hs, t.text, t.text_size, compressed, scratch,
		    scratch_size);
}

static void write_iccp(png_structp png, const fp_meta_entry *e,
		       uint8_t **scratch, size_t *scratch_size)
{
	const char *name = fp_meta_key(e);
	size_t hs = 0;
	if (!keyword_ok(name))
		name = "ICC profile";
	head_put(png, scratch, scratch_size, &hs, name, strlen(name) + 1);
	head_put(png, scratch, scratch_size, &hs, "", 1); /* method 0 */
	write_chunk(png, "iCCP", hs, fp_meta_value(e), e->value_size, true,
		    scratch, scratch_size);
}

static void write_fixed(png_structp png, const char *type,
			const fp_meta_entry *e, size_t n)
{
	uint8_t d[32];
	uint32_t v[8];
	if (e->value_size != 4 * n)
		return;
	memcpy(v, fp_meta_value(e), 4 * n);
	if (memcmp(type, "sRGB", 4) == 0) {
		if (v[0] > 3)
			return;
		d[0] = (uint8_t)v[0];
		png_write_chunk(png, (png_const_bytep)type, d, 1);
		return;
	}
	for (size_t i = 0; i < n; i++)
		put_be32(d + 4 * i, v[i]);
	png_write_chunk(png, (png_const_bytep)type, d, 4 * n);
}

static void write_phys(png_structp png, const fp_meta_entry *e)
{
	fp_meta_resolution r;
	uint8_t d[9];
	if (e->value_size != sizeof r)
		return;
	memcpy(&r, fp_meta_value(e), sizeof r);
	if (r.unit == FP_RES_PER_INCH) { /* 1 inch = 0.0254 m, rounded */
		r.x = (uint32_t)(((uint64_t)r.x * 10000 + 127) / 254);
		r.y = (uint32_t)(((uint64_t)r.y * 10000 + 127) / 254);
	}
	if (r.x == 0 || r.y == 0 || r.x > PNG_UINT_31_MAX ||
	    r.y > PNG_UINT_31_MAX)
		return;
	put_be32(d, r.x);
	put_be32(d + 4, r.y);
	d[8] = r.unit == FP_RES_UNKNOWN ? 0 : 1;
	png_write_chunk(png, (png_const_bytep) "pHYs", d, 9);
}

void fp__png_meta_write(png_structp png, const fp_meta *m, int strip,
			uint8_t **scratch, size_t *scratch_size)
{
	/* Chunks PNG allows once: only the first entry of each kind. */
	bool done[FP_META_COMMENT + 1] = {false};

	for (const fp_meta_entry *e = fp_meta_next(m, NULL); e != NULL;
	     e = fp_meta_next(m, e)) {
		bool colour =
			e->kind == FP_META_ICC || e->kind == FP_META_GAMMA ||
			e->kind == FP_META_CHROMA || e->kind == FP_META_SRGB;
		if (strip == FP_PNG_STRIP_ALL ||
		    (strip == FP_PNG_STRIP_META && !colour))
			continue;
		bool once = e->kind == FP_META_ICC || e->kind == FP_META_EXIF ||
			    e->kind == FP_META_RESOLUTION || colour;
		if (once && done[e->kind])
			continue;
		switch (e->kind) {
		case FP_META_ICC:
			write_iccp(png, e, scratch, scratch_size);
			break;
		case FP_META_EXIF:
			if (e->value_size <= PNG_UINT_31_MAX)
				png_write_chunk(png, (png_const_bytep) "eXIf",
						fp_meta_value(e),
						e->value_size);
			break;
		case FP_META_XMP:
		case FP_META_TEXT:
		case FP_META_COMMENT:
			write_text(png, e, scratch, scratch_size);
			break;
		case FP_META_RESOLUTION: write_phys(png, e); break;
		case FP_META_GAMMA: write_fixed(png, "gAMA", e, 1); break;
		case FP_META_CHROMA: write_fixed(png, "cHRM", e, 8); break;
		case FP_META_SRGB: write_fixed(png, "sRGB", e, 1); break;
		default: break; /* orientation, frame rate, others' own */
		}
		if (e->kind <= FP_META_COMMENT)
			done[e->kind] = true;
	}
}
