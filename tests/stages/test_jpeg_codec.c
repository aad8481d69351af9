/* The JPEG codec (stages/codec/jpeg*.c) called directly, as jpeg_decode,
 * jpeg_encode and the generic stages call it, on frames made here with a
 * metadata area and shrink hints: metadata written and read back (and
 * checked in the file by a marker walker written here, not libjpeg),
 * strip, orientation, limits, slot and metadata overflow, and decoding
 * at 1/2, 1/4, 1/8 scale against `djpeg -scale`. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exif.h"
#include "framepipe/testing.h"
#include "jpeg.h"

#define TESTORIG DATA_DIR "/libjpeg-turbo/testorig.jpg"

static const struct fp_jpeg_decode_config dec_defaults = {
	65500, 65500, 100000000, 100, 1u << 30, 0, 0, true};
static const struct fp_jpeg_encode_config enc_defaults = {
	75, false, false, FP_JPEG_420, 0, FP_JPEG_STRIP_KEEP};

static char dir[64];

struct test_frame {
	fp_frame f;
	char error[256];
	fp_meta *meta;
	char path[128];
};

static struct test_frame *frame_new(size_t capacity, size_t meta_capacity)
{
	struct test_frame *t = calloc(1, sizeof *t);
	assert_non_null(t);
	t->f.pixels = calloc(1, capacity);
	t->f.capacity = capacity;
	t->f.error = t->error;
	t->f.error_size = sizeof t->error;
	if (meta_capacity > 0) {
		t->meta = calloc(1, sizeof(fp_meta) + meta_capacity);
		t->meta->capacity = (uint32_t)meta_capacity;
		t->f.meta = t->meta;
	}
	return t;
}

static void frame_free(struct test_frame *t)
{
	free(t->f.pixels);
	free(t->meta);
	free(t);
}

/* An RGB8 or G8 frame with a pattern, for encoding into dir/name. */
static struct test_frame *pattern_frame(uint32_t w, uint32_t h, fp_format fmt,
					const char *name)
{
	unsigned ch = fp_format_channels(fmt);
	struct test_frame *t = frame_new((size_t)w * h * ch, 1 << 20);
	t->f.width = w;
	t->f.height = h;
	t->f.format = fmt;
	t->f.stride = w * ch;
	for (uint32_t y = 0; y < h; y++)
		for (uint32_t x = 0; x < w * ch; x++)
			t->f.pixels[y * w * ch + x] = (uint8_t)(x * 3 + y * 5);
	snprintf(t->path, sizeof t->path, "%s/%s", dir, name);
	t->f.output_path = t->path;
	return t;
}

static int decode(const char *path, struct test_frame *t,
		  const struct fp_jpeg_decode_config *cfg)
{
	t->f.input_path = path;
	return fp_codec_jpeg.decode(cfg != NULL ? cfg : &dec_defaults, &t->f);
}

static unsigned char *read_all(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	unsigned char *buf = malloc((size_t)n + 1);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*size = (size_t)n;
	return buf;
}

/* ---- an independent marker walker ------------------------------------------
 * The segments before SOS: marker, payload, payload length. */
struct segment {
	int marker;
	const unsigned char *data;
	size_t size;
};

static size_t segments_of(const unsigned char *b, size_t n, struct segment *out,
			  size_t max)
{
	size_t at = 2, count = 0;
	assert_true(n > 4 && b[0] == 0xff && b[1] == 0xd8);
	while (at + 4 <= n && count < max) {
		assert_int_equal(b[at], 0xff);
		int marker = b[at + 1];
		size_t len = (size_t)b[at + 2] << 8 | b[at + 3];
		if (marker == 0xda)
			break;
		out[count++] = (struct segment){marker, b + at + 4, len - 2};
		at += 2 + len;
	}
	return count;
}

static size_t count_app(const struct segment *s, size_t n, int marker,
			const char *id, size_t id_len)
{
	size_t c = 0;
	for (size_t i = 0; i < n; i++)
		if (s[i].marker == marker && s[i].size >= id_len &&
		    memcmp(s[i].data, id, id_len) == 0)
			c++;
	return c;
}

/* ---- metadata ---------------------------------------------------------------
 */

/* A TIFF blob: IFD0 with ImageDescription (ASCII, out of line) and the
 * orientation, big-endian, so that the patch works on both orders. */
static size_t make_exif(uint8_t *b, uint16_t orientation)
{
	static const uint8_t head[] = {
		'M', 'M', 0, 42, 0, 0, 0, 8, 0, 2,
		/* 0x010e ImageDescription, ASCII, 6 bytes at offset 38 */
		0x01, 0x0e, 0, 2, 0, 0, 0, 6, 0, 0, 0, 38,
		/* 0x0112 Orientation, SHORT, 1 */
		0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 0, 0, 0,
		/* next IFD */
		0, 0, 0, 0, 'h', 'e', 'l', 'l', 'o', 0};
	memcpy(b, head, sizeof head);
	b[30] = (uint8_t)(orientation >> 8);
	b[31] = (uint8_t)orientation;
	return sizeof head;
}

static void add_all_meta(fp_meta *m, uint8_t *icc, size_t icc_size)
{
	uint8_t exif[64];
	size_t exif_size = make_exif(exif, 6);
	assert_int_equal(fp__exif_orientation(exif, exif_size), 6);
	assert_int_equal(fp_meta_add(m, FP_META_EXIF, 0, NULL, exif, exif_size),
			 0);
	uint32_t six = 6;
	assert_int_equal(
		fp_meta_add(m, FP_META_ORIENTATION, 0, NULL, &six, sizeof six),
		0);
	static const char xmp[] = "<x:xmpmeta xmlns:x='adobe:ns:meta/'/>";
	assert_int_equal(
		fp_meta_add(m, FP_META_XMP, 0, NULL, xmp, sizeof xmp - 1), 0);
	for (size_t i = 0; i < icc_size; i++)
		icc[i] = (uint8_t)(i * 7 + i / 251);
	assert_int_equal(
		fp_meta_add(m, FP_META_ICC, 0, "ICC profile", icc, icc_size),
		0);
	assert_int_equal(fp_meta_add(m, FP_META_COMMENT, 0, NULL, "first", 5),
			 0);
	assert_int_equal(
		fp_meta_add(m, FP_META_COMMENT, 0, NULL, "second one", 10), 0);
	/* PNG's tEXt Comment becomes a COM too; other keys are dropped */
	assert_int_equal(
		fp_meta_add(m, FP_META_TEXT, 0, "Comment", "\0\0from png", 10),
		0);
	assert_int_equal(
		fp_meta_add(m, FP_META_TEXT, 0, "Author", "\0\0nobody", 8), 0);
	fp_meta_resolution res = {300, 300, FP_RES_PER_INCH, 0};
	assert_int_equal(
		fp_meta_add(m, FP_META_RESOLUTION, 0, NULL, &res, sizeof res),
		0);
}

static const fp_meta_entry *find(const fp_meta *m, fp_meta_kind kind)
{
	const fp_meta_entry *e = fp_meta_find(m, kind, NULL);
	if (e == NULL)
		fail_msg("no entry of kind %d", (int)kind);
	return e;
}

static void test_metadata_round_trip(void **state)
{
	(void)state;
	/* 150000 bytes: three APP2 segments, reassembled in order */
	size_t icc_size = 150000;
	uint8_t *icc = malloc(icc_size);
	struct test_frame *t = pattern_frame(64, 48, FP_FORMAT_RGB8, "m.jpg");
	add_all_meta(t->meta, icc, icc_size);
	assert_int_equal(fp_codec_jpeg.encode(&enc_defaults, &t->f), 0);

	size_t n;
	unsigned char *file = read_all(t->path, &n);
	struct segment s[32];
	size_t count = segments_of(file, n, s, 32);
	assert_int_equal(count_app(s, count, 0xe1, "Exif\0", 6), 1);
	assert_int_equal(
		count_app(s, count, 0xe1, "http://ns.adobe.com/xap/1.0/", 29),
		1);
	assert_int_equal(count_app(s, count, 0xe2, "ICC_PROFILE", 12), 3);
	assert_int_equal(count_app(s, count, 0xfe, "", 0), 3);
	assert_int_equal(count_app(s, count, 0xfe, "from png", 8), 1);
	/* JFIF: version, unit 1 (dpi), 300 x 300 */
	assert_int_equal(s[0].marker, 0xe0);
	assert_memory_equal(s[0].data + 7, "\x01\x01\x2c\x01\x2c", 5);
	free(file);

	struct test_frame *d = frame_new(1 << 20, 1 << 20);
	assert_int_equal(decode(t->path, d, NULL), 0);
	assert_int_equal(d->f.width, 64);
	assert_int_equal(d->f.height, 48);
	const fp_meta_entry *e = find(d->meta, FP_META_ICC);
	assert_int_equal(e->value_size, icc_size);
	assert_memory_equal(fp_meta_value(e), icc, icc_size);
	assert_string_equal(fp_meta_key(e), "ICC profile");
	e = find(d->meta, FP_META_EXIF);
	const fp_meta_entry *orig = fp_meta_find(t->meta, FP_META_EXIF, NULL);
	assert_int_equal(e->value_size, orig->value_size);
	assert_memory_equal(fp_meta_value(e), fp_meta_value(orig),
			    e->value_size);
	assert_int_equal(fp_meta_u32(d->meta, FP_META_ORIENTATION, 0), 6);
	e = find(d->meta, FP_META_XMP);
	orig = fp_meta_find(t->meta, FP_META_XMP, NULL);
	assert_int_equal(e->value_size, orig->value_size);
	assert_memory_equal(fp_meta_value(e), fp_meta_value(orig),
			    e->value_size);
	e = find(d->meta, FP_META_COMMENT);
	assert_int_equal(e->value_size, 5);
	assert_memory_equal(fp_meta_value(e), "first", 5);
	const fp_meta_entry *e2 = fp_meta_next(d->meta, e);
	while (e2 != NULL && e2->kind != FP_META_COMMENT)
		e2 = fp_meta_next(d->meta, e2);
	assert_non_null(e2);
	assert_memory_equal(fp_meta_value(e2), "second one", 10);
	e = find(d->meta, FP_META_RESOLUTION);
	fp_meta_resolution res;
	memcpy(&res, fp_meta_value(e), sizeof res);
	assert_int_equal(res.x, 300);
	assert_int_equal(res.y, 300);
	assert_int_equal(res.unit, FP_RES_PER_INCH);

	/* Without a metadata area the same file decodes, the same pixels */
	struct test_frame *bare = frame_new(1 << 20, 0);
	assert_int_equal(decode(t->path, bare, NULL), 0);
	assert_memory_equal(bare->f.pixels, d->f.pixels, 64 * 48 * 3);
	frame_free(bare);
	frame_free(d);
	frame_free(t);
	free(icc);
}

static void strip_case(int strip, size_t exif, size_t xmp, size_t icc,
		       size_t com)
{
	uint8_t *profile = malloc(1000);
	struct test_frame *t = pattern_frame(16, 16, FP_FORMAT_RGB8, "s.jpg");
	add_all_meta(t->meta, profile, 1000);
	struct fp_jpeg_encode_config cfg = enc_defaults;
	cfg.strip = strip;
	assert_int_equal(fp_codec_jpeg.encode(&cfg, &t->f), 0);
	size_t n;
	unsigned char *file = read_all(t->path, &n);
	struct segment s[32];
	size_t count = segments_of(file, n, s, 32);
	assert_int_equal(count_app(s, count, 0xe1, "Exif\0", 6), exif);
	assert_int_equal(
		count_app(s, count, 0xe1, "http://ns.adobe.com/xap/1.0/", 29),
		xmp);
	assert_int_equal(count_app(s, count, 0xe2, "ICC_PROFILE", 12), icc);
	assert_int_equal(count_app(s, count, 0xfe, "", 0), com);
	/* the density goes with the rest: 1:1, no unit, when stripped */
	assert_memory_equal(s[0].data + 7,
			    strip == FP_JPEG_STRIP_KEEP ? "\x01\x01\x2c"
							: "\x00\x00\x01",
			    3);
	free(file);
	frame_free(t);
	free(profile);
}

static void test_strip(void **state)
{
	(void)state;
	strip_case(FP_JPEG_STRIP_KEEP, 1, 1, 1, 3);
	strip_case(FP_JPEG_STRIP_META, 0, 0, 1, 0);
	strip_case(FP_JPEG_STRIP_ALL, 0, 0, 0, 0);
}

/* The orientation entry is the truth: the EXIF written carries it. */
static void test_orientation_written(void **state)
{
	(void)state;
	struct test_frame *t = pattern_frame(16, 8, FP_FORMAT_G8, "o.jpg");
	uint8_t exif[64];
	size_t exif_size = make_exif(exif, 6);
	fp_meta_add(t->meta, FP_META_EXIF, 0, NULL, exif, exif_size);
	uint32_t one = 1;
	fp_meta_add(t->meta, FP_META_ORIENTATION, 0, NULL, &one, sizeof one);
	assert_int_equal(fp_codec_jpeg.encode(&enc_defaults, &t->f), 0);
	struct test_frame *d = frame_new(1 << 16, 1 << 16);
	assert_int_equal(decode(t->path, d, NULL), 0);
	assert_int_equal(d->f.format, FP_FORMAT_G8);
	const fp_meta_entry *e = find(d->meta, FP_META_EXIF);
	assert_int_equal(fp__exif_orientation(fp_meta_value(e), e->value_size),
			 1);
	assert_int_equal(fp_meta_u32(d->meta, FP_META_ORIENTATION, 0), 1);
	/* the rest of the blob is untouched */
	assert_memory_equal((const uint8_t *)fp_meta_value(e) + 34, exif + 34,
			    exif_size - 34);
	frame_free(d);

	/* No EXIF, orientation 3: a minimal EXIF says it. */
	fp_meta_clear(t->meta);
	uint32_t three = 3;
	fp_meta_add(t->meta, FP_META_ORIENTATION, 0, NULL, &three,
		    sizeof three);
	assert_int_equal(fp_codec_jpeg.encode(&enc_defaults, &t->f), 0);
	d = frame_new(1 << 16, 1 << 16);
	assert_int_equal(decode(t->path, d, NULL), 0);
	assert_int_equal(fp_meta_u32(d->meta, FP_META_ORIENTATION, 0), 3);
	frame_free(d);
	frame_free(t);
}

/* EXIF orientation 9 is no orientation: the file decodes, the EXIF is
 * kept as it is, no FP_META_ORIENTATION is made. */
static void test_orientation_9_ignored(void **state)
{
	(void)state;
	struct test_frame *t = pattern_frame(16, 8, FP_FORMAT_RGB8, "9.jpg");
	uint8_t exif[64];
	size_t exif_size = make_exif(exif, 9);
	fp_meta_add(t->meta, FP_META_EXIF, 0, NULL, exif, exif_size);
	assert_int_equal(fp_codec_jpeg.encode(&enc_defaults, &t->f), 0);
	struct test_frame *d = frame_new(1 << 16, 1 << 16);
	assert_int_equal(decode(t->path, d, NULL), 0);
	assert_null(fp_meta_find(d->meta, FP_META_ORIENTATION, NULL));
	const fp_meta_entry *e = find(d->meta, FP_META_EXIF);
	assert_int_equal(fp__exif_orientation(fp_meta_value(e), e->value_size),
			 9);
	frame_free(d);
	frame_free(t);
}

static void test_metadata_overflow(void **state)
{
	(void)state;
	uint8_t *icc = malloc(150000);
	struct test_frame *t = pattern_frame(16, 16, FP_FORMAT_RGB8, "big.jpg");
	add_all_meta(t->meta, icc, 150000);
	assert_int_equal(fp_codec_jpeg.encode(&enc_defaults, &t->f), 0);
	struct test_frame *d = frame_new(1 << 16, 4096);
	assert_int_equal(decode(t->path, d, NULL), FP_ENOFIT);
	assert_non_null(strstr(d->error, "ICC profile (150000 bytes)"));
	assert_non_null(strstr(d->error, "raise [pipeline] metadata_size"));
	frame_free(d);
	frame_free(t);
	free(icc);
}

/* An EXIF too big for one APP1 fails the frame before any file is made. */
static void test_exif_too_big(void **state)
{
	(void)state;
	struct test_frame *t = pattern_frame(16, 16, FP_FORMAT_RGB8, "x.jpg");
	size_t size = 70000;
	uint8_t *exif = calloc(1, size);
	make_exif(exif, 1);
	fp_meta_add(t->meta, FP_META_EXIF, 0, NULL, exif, size);
	assert_int_equal(fp_codec_jpeg.encode(&enc_defaults, &t->f), FP_ENOFIT);
	assert_non_null(strstr(t->error, "EXIF of 70000 bytes"));
	assert_int_equal(access(t->path, F_OK), -1);
	free(exif);
	frame_free(t);
}

/* ---- limits, slots, formats -------------------------------------------------
 */

static void test_limits(void **state)
{
	(void)state;
	struct fp_jpeg_decode_config cfg = dec_defaults;
	struct test_frame *d = frame_new(1 << 20, 0);
	cfg.max_width = 226;
	assert_int_equal(decode(TESTORIG, d, &cfg), FP_ELIMIT);
	assert_string_equal(d->error,
			    "227x149 exceeds jpeg_decode.max_width=226 "
			    "(raise it in the stage's parameters)");
	cfg = dec_defaults;
	cfg.max_height = 148;
	assert_int_equal(decode(TESTORIG, d, &cfg), FP_ELIMIT);
	assert_non_null(strstr(d->error, "max_height=148"));
	cfg = dec_defaults;
	cfg.max_pixels = 227 * 149 - 1;
	assert_int_equal(decode(TESTORIG, d, &cfg), FP_ELIMIT);
	assert_non_null(strstr(d->error, "max_pixels"));
	cfg.max_pixels = 227 * 149;
	assert_int_equal(decode(TESTORIG, d, &cfg), 0);
	frame_free(d);

	/* The slot: full size does not fit, the hinted 1/2 does */
	d = frame_new(227 * 149 * 3 - 1, 0);
	assert_int_equal(decode(TESTORIG, d, NULL), FP_ENOFIT);
	assert_non_null(strstr(d->error, "raise [pipeline] slot_size"));
	d->f.hint_width = 100;
	assert_int_equal(decode(TESTORIG, d, NULL), 0);
	assert_int_equal(d->f.width, 114);
	frame_free(d);

	/* A progressive file holds every coefficient in libjpeg's memory:
	 * 227x149 at 4:2:0 needs ~100 KB of it. */
	struct test_frame *t = pattern_frame(227, 149, FP_FORMAT_RGB8, "p.jpg");
	struct fp_jpeg_encode_config enc = enc_defaults;
	enc.progressive = true;
	assert_int_equal(fp_codec_jpeg.encode(&enc, &t->f), 0);
	d = frame_new(1 << 20, 0);
	cfg = dec_defaults;
	cfg.max_memory = 64 << 10;
	assert_int_equal(decode(t->path, d, &cfg), FP_ELIMIT);
	assert_string_equal(d->error, "decoding needs more than "
				      "jpeg_decode.max_memory=65536 bytes "
				      "(raise it)");
	cfg.max_memory = 1 << 20;
	assert_int_equal(decode(t->path, d, &cfg), 0);
	frame_free(d);
	frame_free(t);

	fp_shape shape;
	char err[256];
	assert_int_equal(fp_codec_jpeg.probe(&dec_defaults, TESTORIG, &shape,
					     err, sizeof err),
			 0);
	assert_int_equal(shape.width, 227);
	assert_int_equal(shape.height, 149);
	assert_int_equal(shape.formats, FP_FORMAT_BIT(FP_FORMAT_RGB8));
	assert_int_equal(fp_codec_jpeg.probe(&dec_defaults, DATA_DIR "/nowhere",
					     &shape, err, sizeof err),
			 -2);
	assert_true(
		fp_codec_jpeg.sniff((const uint8_t *)"\xff\xd8\xff\xe0", 4));
	assert_false(fp_codec_jpeg.sniff((const uint8_t *)"\x89PNG", 4));
}

static void test_refused_formats(void **state)
{
	(void)state;
	static const struct {
		fp_format format;
		const char *why;
	} cases[] = {
		{FP_FORMAT_RGBA8, "cannot encode RGBA8 (JPEG has no alpha"},
		{FP_FORMAT_GA8, "cannot encode GA8 (JPEG has no alpha"},
		{FP_FORMAT_RGB16, "cannot encode RGB16 (JPEG is 8-bit"},
		{FP_FORMAT_G16, "cannot encode G16 (JPEG is 8-bit"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct test_frame *t =
			pattern_frame(8, 8, FP_FORMAT_RGBA8, "r.jpg");
		t->f.format = cases[i].format;
		assert_int_equal(fp_codec_jpeg.encode(&enc_defaults, &t->f),
				 FP_EFORMAT);
		assert_non_null(strstr(t->error, cases[i].why));
		assert_int_equal(access(t->path, F_OK), -1);
		frame_free(t);
	}
}

/* ---- shrink-on-load
 * -----------------------------------------------------------
 */

/* djpeg -scale 1/denom of path, its PNM body into *body. */
static size_t djpeg_scaled(const char *path, unsigned denom,
			   unsigned char *body, size_t max, unsigned *w,
			   unsigned *h)
{
	char cmd[512];
	snprintf(cmd, sizeof cmd, "djpeg -pnm -scale 1/%u '%s'", denom, path);
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	char magic[3] = {0};
	unsigned maxval;
	assert_int_equal(fscanf(p, "%2s %u %u %u", magic, w, h, &maxval), 4);
	fgetc(p);
	size_t n = fread(body, 1, max, p);
	assert_int_equal(pclose(p), 0);
	return n;
}

static void test_shrink_on_load(void **state)
{
	(void)state;
	static const struct {
		uint32_t hint_w, hint_h;
		unsigned denom;
	} cases[] = {
		{0, 0, 1},    {227, 0, 1}, {200, 0, 1}, {114, 0, 2},
		{100, 0, 2},  {57, 0, 4},  {30, 0, 4},	{29, 0, 8},
		{0, 19, 8},   {0, 20, 4},  {50, 40, 2}, {29, 19, 8},
		{1000, 1, 1},
	};
	unsigned char *ref = malloc(1 << 20);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct test_frame *d = frame_new(1 << 20, 0);
		d->f.hint_width = cases[i].hint_w;
		d->f.hint_height = cases[i].hint_h;
		assert_int_equal(decode(TESTORIG, d, NULL), 0);
		unsigned w, h;
		size_t n = djpeg_scaled(TESTORIG, cases[i].denom, ref, 1 << 20,
					&w, &h);
		if (d->f.width != w || d->f.height != h)
			fail_msg("hint %ux%u: got %ux%u, djpeg -scale 1/%u "
				 "%ux%u",
				 cases[i].hint_w, cases[i].hint_h, d->f.width,
				 d->f.height, cases[i].denom, w, h);
		assert_int_equal(n, (size_t)w * h * 3);
		assert_memory_equal(d->f.pixels, ref, n);
		/* the same floor from the parameters instead of the core */
		struct fp_jpeg_decode_config cfg = dec_defaults;
		cfg.min_width = cases[i].hint_w;
		cfg.min_height = cases[i].hint_h;
		d->f.hint_width = d->f.hint_height = 0;
		assert_int_equal(decode(TESTORIG, d, &cfg), 0);
		assert_int_equal(d->f.width, w);
		assert_int_equal(d->f.height, h);
		/* shrink=false: the core's hint is not followed */
		cfg = dec_defaults;
		cfg.shrink = false;
		d->f.hint_width = cases[i].hint_w;
		d->f.hint_height = cases[i].hint_h;
		assert_int_equal(decode(TESTORIG, d, &cfg), 0);
		assert_int_equal(d->f.width, 227);
		cfg.shrink = true;
		cfg.min_width = cases[i].hint_w;
		cfg.min_height = cases[i].hint_h;
		/* both: the larger floor wins */
		d->f.hint_width = 200;
		assert_int_equal(decode(TESTORIG, d, &cfg), 0);
		assert_int_equal(d->f.width, 227);
		frame_free(d);
	}
	free(ref);
}

/* The jpeg_decode stage itself, through the harness as the core runs it:
 * the core's hint shrinks the decode, the frame's metadata area is
 * filled; jpeg_encode writes it back. */
static void test_stages_through_the_harness(void **state)
{
	(void)state;
	uint8_t icc[3000];
	struct test_frame *t =
		pattern_frame(227, 149, FP_FORMAT_RGB8, "h_in.jpg");
	add_all_meta(t->meta, icc, sizeof icc);
	assert_int_equal(fp_codec_jpeg.encode(&enc_defaults, &t->f), 0);

	fp_harness *h = fp_harness_new("jpeg_decode");
	assert_non_null(h);
	fp_harness_set_hint(h, 30, 0);
	const char *inputs[] = {t->path};
	assert_int_equal(fp_harness_start(h, inputs, 1, NULL), 0);
	fp_frame f;
	assert_int_equal(fp_harness_source(h, 0, &f), 0);
	assert_int_equal(f.width, 57); /* 1/4: 1/8 would be 29 < 30 */
	assert_int_equal(f.height, 38);
	assert_non_null(f.meta);
	assert_int_equal(fp_meta_u32(f.meta, FP_META_ORIENTATION, 0), 6);
	const fp_meta_entry *e = fp_meta_find(f.meta, FP_META_ICC, NULL);
	assert_non_null(e);
	assert_memory_equal(fp_meta_value(e), icc, sizeof icc);
	assert_int_equal(fp_harness_source(h, 1, &f), FP_EEND);

	fp_harness *enc = fp_harness_new("jpeg_encode");
	assert_non_null(enc);
	assert_int_equal(fp_harness_set(enc, "quality", "90"), 0);
	assert_int_equal(fp_harness_start(enc, NULL, 0, dir), 0);
	char out[128];
	snprintf(out, sizeof out, "%s/h_out.jpg", dir);
	assert_int_equal(fp_harness_source(h, 0, &f), 0);
	assert_int_equal(fp_harness_sink(enc, &f, out), 0);
	struct test_frame *d = frame_new(1 << 20, 1 << 20);
	assert_int_equal(decode(out, d, NULL), 0);
	assert_int_equal(d->f.width, 57);
	e = fp_meta_find(d->meta, FP_META_ICC, NULL);
	assert_non_null(e);
	assert_int_equal(e->value_size, sizeof icc);
	frame_free(d);
	fp_harness_free(enc);
	fp_harness_free(h);
	frame_free(t);
}

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "/tmp/fp_test_jpeg_XXXXXX");
	return mkdtemp(dir) == NULL ? -1 : 0;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_metadata_round_trip),
		cmocka_unit_test(test_strip),
		cmocka_unit_test(test_orientation_written),
		cmocka_unit_test(test_orientation_9_ignored),
		cmocka_unit_test(test_metadata_overflow),
		cmocka_unit_test(test_exif_too_big),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_refused_formats),
		cmocka_unit_test(test_shrink_on_load),
		cmocka_unit_test(test_stages_through_the_harness),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
