/* png_decode against the PngSuite reference decodings, byte for byte, and
 * against broken and hostile files made here. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "framepipe/testing.h"

#define SUITE DATA_DIR "/pngsuite"
#define REFS  DATA_DIR "/pngsuite-ref"

static unsigned char *read_file(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	unsigned char *buf = malloc((size_t)n + 1);
	if (buf != NULL && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	*size = (size_t)n;
	return buf;
}

/* Decode png with format (rgba: the references' 8 bits; rgba16: 16 bits,
 * then each sample must be the reference's, widened (v * 257) for files
 * of 8 bits or fewer and rounded back (round(v / 257)) for 16-bit files:
 * this checks libpng's 16-bit path, the byte order and the widening). */
static int matches_reference(const char *png, const char *pam,
			     const char *format, int source_depth)
{
	fp_harness *h = fp_harness_new("png_decode");
	assert_non_null(h);
	assert_int_equal(fp_harness_set(h, "format", format), 0);
	const char *inputs[] = {png};
	assert_int_equal(fp_harness_start(h, inputs, 1, NULL), 0);
	fp_frame f;
	int rc = fp_harness_source(h, 0, &f);
	if (rc != 0) {
		print_error("%s: %s\n", png, fp_harness_error(h));
		fp_harness_free(h);
		return 0;
	}
	size_t size;
	unsigned char *ref = read_file(pam, &size);
	assert_non_null(ref);
	size_t samples = (size_t)f.width * f.height * 4;
	int ok = size >= samples;
	const unsigned char *body = ref + size - samples;
	if (strcmp(format, "rgba16") != 0) {
		ok = ok && f.format == FP_FORMAT_RGBA8 &&
		     f.stride == f.width * 4 &&
		     memcmp(body, f.pixels, samples) == 0;
	} else {
		ok = ok && f.format == FP_FORMAT_RGBA16 &&
		     f.stride == f.width * 8;
		const uint16_t *v = (const uint16_t *)(const void *)f.pixels;
		for (size_t i = 0; ok && i < samples; i++)
			ok = source_depth == 16
				     ? (v[i] * 255u + 32767) / 65535 == body[i]
				     : v[i] == body[i] * 257u;
	}
	if (!ok)
		print_error("%s (%s): differs from %s\n", png, format, pam);
	free(ref);
	fp_harness_free(h);
	return ok;
}

/* Every file of the manifest through format (see matches_reference). */
static void check_manifest(const char *format)
{
	FILE *manifest = fopen(REFS "/MANIFEST.tsv", "r");
	assert_non_null(manifest);
	char line[512];
	int checked = 0, matched = 0;
	while (fgets(line, sizeof line, manifest) != NULL) {
		char ref[128], source[128], mode[16];
		int bits;
		if (sscanf(line, "%127s %127s %*s %*s %d %15s", ref, source,
			   &bits, mode) != 4 ||
		    strcmp(mode, "scale") != 0)
			continue;
		char png[512], pam[512];
		snprintf(png, sizeof png, SUITE "/%s", source);
		snprintf(pam, sizeof pam, REFS "/%s", ref);
		checked++;
		matched += matches_reference(png, pam, format, bits);
	}
	fclose(manifest);
	assert_int_equal(checked, 161);
	assert_int_equal(matched, checked);
}

static void test_every_pngsuite_reference(void **state)
{
	(void)state;
	check_manifest("rgba8");
}

static void test_every_pngsuite_file_at_16_bits(void **state)
{
	(void)state;
	check_manifest("rgba16");
}

/* Decode one file with format=keep; returns the code, frame in *f. */
static int decode_keep(fp_harness **h, const char *path, fp_frame *f)
{
	*h = fp_harness_new("png_decode");
	assert_non_null(*h);
	const char *inputs[] = {path};
	assert_int_equal(fp_harness_start(*h, inputs, 1, NULL), 0);
	return fp_harness_source(*h, 0, f);
}

static void test_keep_format(void **state)
{
	(void)state;
	static const struct {
		const char *file;
		fp_format format;
	} cases[] = {
		{"basn0g08.png", FP_FORMAT_G8},
		{"basn0g01.png", FP_FORMAT_G8},
		{"basn4a08.png", FP_FORMAT_GA8},
		{"basn2c08.png", FP_FORMAT_RGB8},
		{"basn6a16.png", FP_FORMAT_RGBA16},
		{"basn0g16.png", FP_FORMAT_G16},
		{"basn4a16.png", FP_FORMAT_GA16},
		{"basn2c16.png", FP_FORMAT_RGB16},
		{"tbbn2c16.png", FP_FORMAT_RGBA16},
		{"tbwn0g16.png", FP_FORMAT_GA16},
		{"basn3p08.png", FP_FORMAT_RGB8},
		{"tbbn3p08.png", FP_FORMAT_RGBA8},
		{"tbrn2c08.png", FP_FORMAT_RGBA8},
		{"tbbn0g04.png", FP_FORMAT_GA8},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char path[512];
		snprintf(path, sizeof path, SUITE "/%s", cases[i].file);
		fp_harness *h;
		fp_frame f;
		assert_int_equal(decode_keep(&h, path, &f), 0);
		if (f.format != cases[i].format)
			fail_msg("%s: got %s, expected %s", cases[i].file,
				 fp_format_name(f.format),
				 fp_format_name(cases[i].format));
		assert_int_equal(f.width, 32);
		fp_harness_free(h);
	}
}

/* Decode path with format (a frame format, g8 .. rgba16) or a layout
 * (g, ga, rgb, rgba: the file's depth); the frame in *f, harness in *h. */
static void decode_as(fp_harness **h, const char *path, const char *format,
		      fp_frame *f)
{
	*h = fp_harness_new("png_decode");
	assert_non_null(*h);
	bool layout = strcspn(format, "0123456789") == strlen(format) &&
		      strcmp(format, "keep") != 0;
	assert_int_equal(
		fp_harness_set(*h, layout ? "layout" : "format", format), 0);
	const char *inputs[] = {path};
	assert_int_equal(fp_harness_start(*h, inputs, 1, NULL), 0);
	assert_int_equal(fp_harness_source(*h, 0, f), 0);
}

/* The other layouts and depths against the rgba8 decoding of the same
 * file: ga is Rec. 709 luma of the stored values plus alpha, gray drops
 * the alpha, g16 is the same luma computed on 16 bits, rgb8 drops alpha. */
static void test_layouts(void **state)
{
	(void)state;
	fp_harness *hr, *h;
	fp_frame rgba, f;
	decode_as(&hr, SUITE "/basn6a08.png", "rgba8", &rgba);
	size_t n = (size_t)rgba.width * rgba.height;

	decode_as(&h, SUITE "/basn6a08.png", "ga", &f);
	assert_int_equal(f.format, FP_FORMAT_GA8);
	for (size_t i = 0; i < n; i++) {
		const uint8_t *p = rgba.pixels + 4 * i;
		double y = 0.2126 * p[0] + 0.7152 * p[1] + 0.0722 * p[2];
		if (abs(f.pixels[2 * i] - (int)(y + 0.5)) > 1 ||
		    f.pixels[2 * i + 1] != p[3])
			fail_msg("ga pixel %zu: %u,%u from %u,%u,%u,%u", i,
				 f.pixels[2 * i], f.pixels[2 * i + 1], p[0],
				 p[1], p[2], p[3]);
	}
	fp_harness_free(h);

	decode_as(&h, SUITE "/basn6a08.png", "rgb8", &f);
	assert_int_equal(f.format, FP_FORMAT_RGB8);
	for (size_t i = 0; i < n; i++)
		assert_memory_equal(f.pixels + 3 * i, rgba.pixels + 4 * i, 3);
	fp_harness_free(h);

	/* libpng converts to gray before it widens: g16 is g8 * 257. */
	fp_harness *h8;
	fp_frame g8;
	decode_as(&h8, SUITE "/basn6a08.png", "g", &g8);
	assert_int_equal(g8.format, FP_FORMAT_G8);
	decode_as(&h, SUITE "/basn6a08.png", "g16", &f);
	assert_int_equal(f.format, FP_FORMAT_G16);
	assert_int_equal(f.stride, f.width * 2);
	const uint16_t *g = (const uint16_t *)(const void *)f.pixels;
	for (size_t i = 0; i < n; i++)
		if (g[i] != g8.pixels[i] * 257u)
			fail_msg("g16 pixel %zu: %u, g8 %u", i, g[i],
				 g8.pixels[i]);
	fp_harness_free(h);
	fp_harness_free(h8);

	/* A gray file made RGB+alpha at 16 bits: replicated, opaque. */
	fp_frame gray;
	decode_as(&h, SUITE "/basn0g08.png", "keep", &gray);
	fp_harness *h16;
	decode_as(&h16, SUITE "/basn0g08.png", "rgba16", &f);
	const uint16_t *v = (const uint16_t *)(const void *)f.pixels;
	for (size_t i = 0; i < (size_t)gray.width * gray.height; i++) {
		unsigned e = gray.pixels[i] * 257u;
		if (v[4 * i] != e || v[4 * i + 1] != e || v[4 * i + 2] != e ||
		    v[4 * i + 3] != 65535)
			fail_msg("rgba16 pixel %zu", i);
	}
	fp_harness_free(h16);
	fp_harness_free(h);
	fp_harness_free(hr);
}

static void test_depth_parameter(void **state)
{
	(void)state;
	static const struct {
		const char *file, *depth;
		fp_format format;
	} cases[] = {
		{"basn0g16.png", "keep", FP_FORMAT_G16},
		{"basn0g16.png", "8", FP_FORMAT_G8},
		{"basn0g08.png", "16", FP_FORMAT_G16},
		{"basn0g01.png", "16", FP_FORMAT_G16},
		{"basn3p08.png", "16", FP_FORMAT_RGB16},
		{"basn6a16.png", "8", FP_FORMAT_RGBA8},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char path[512];
		snprintf(path, sizeof path, SUITE "/%s", cases[i].file);
		fp_harness *h = fp_harness_new("png_decode");
		assert_int_equal(fp_harness_set(h, "depth", cases[i].depth), 0);
		const char *inputs[] = {path};
		assert_int_equal(fp_harness_start(h, inputs, 1, NULL), 0);
		fp_frame f;
		assert_int_equal(fp_harness_source(h, 0, &f), 0);
		if (f.format != cases[i].format)
			fail_msg("%s depth=%s: got %s", cases[i].file,
				 cases[i].depth, fp_format_name(f.format));
		fp_harness_free(h);
	}
}

static void test_past_the_end_is_end(void **state)
{
	(void)state;
	fp_harness *h = fp_harness_new("png_decode");
	const char *inputs[] = {SUITE "/basn0g08.png"};
	assert_int_equal(fp_harness_start(h, inputs, 1, NULL), 0);
	fp_frame f;
	assert_int_equal(fp_harness_source(h, 1, &f), FP_EEND);
	fp_harness_free(h);
}

/* Write bytes to a fresh temporary file; returns its path (static). */
static const char *temp_file(const void *bytes, size_t size)
{
	static char path[64];
	snprintf(path, sizeof path, "/tmp/fp_test_decode_XXXXXX");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, bytes, size), (ssize_t)size);
	close(fd);
	return path;
}

/* A PNG signature and an IHDR with a valid CRC for any size. */
static size_t forge_header(unsigned char *buf, uint32_t w, uint32_t h,
			   int depth, int colour)
{
	static const unsigned char sig[8] = {137, 80, 78, 71, 13, 10, 26, 10};
	memcpy(buf, sig, 8);
	unsigned char *c = buf + 8;
	const unsigned char ihdr[] = {0,
				      0,
				      0,
				      13,
				      'I',
				      'H',
				      'D',
				      'R',
				      w >> 24,
				      w >> 16 & 255,
				      w >> 8 & 255,
				      w & 255,
				      h >> 24,
				      h >> 16 & 255,
				      h >> 8 & 255,
				      h & 255,
				      (unsigned char)depth,
				      (unsigned char)colour,
				      0,
				      0,
				      0};
	memcpy(c, ihdr, sizeof ihdr);
	uLong crc = crc32(0, c + 4, 17);
	c[21] = (unsigned char)(crc >> 24);
	c[22] = (unsigned char)(crc >> 16);
	c[23] = (unsigned char)(crc >> 8);
	c[24] = (unsigned char)crc;
	return 33;
}

static void expect_failure(const void *bytes, size_t size, int code,
			   const char *message)
{
	const char *path = temp_file(bytes, size);
	fp_harness *h;
	fp_frame f;
	int rc = decode_keep(&h, path, &f);
	const char *err = fp_harness_error(h);
	if (rc != code || strstr(err, message) == NULL)
		fail_msg("expected %d '%s', got %d '%s'", code, message, rc,
			 err);
	assert_null(strchr(err, '\n')); /* one line */
	fp_harness_free(h);
	unlink(path);
}

static void test_hostile_files(void **state)
{
	(void)state;
	size_t size;
	unsigned char *good = read_file(SUITE "/basn2c08.png", &size);
	assert_non_null(good);
	expect_failure("", 0, FP_ECORRUPT, "empty file");
	expect_failure("GIF89a this is not a png", 24, FP_ECORRUPT,
		       "not a PNG");
	expect_failure(good, size / 2, FP_ECORRUPT, ""); /* truncated in IDAT */
	expect_failure(good, 40, FP_ECORRUPT, "");	 /* cut after IHDR */
	unsigned char *bad_crc = malloc(size);
	memcpy(bad_crc, good, size);
	bad_crc[29] ^= 0xff; /* IHDR's CRC */
	expect_failure(bad_crc, size, FP_ECORRUPT, "");
	free(bad_crc);
	unsigned char huge[64];
	size_t n = forge_header(huge, 100000, 100000, 8, 6);
	expect_failure(huge, n, FP_ELIMIT, "max_");
	/* Valid 1-bit image that would expand to 400 MP of RGBA. */
	n = forge_header(huge, 20000, 20000, 1, 0);
	expect_failure(huge, n, FP_ELIMIT, "max_pixels");
	free(good);
}

/* Append a chunk to buf at *at (buf large enough). */
static void put_chunk(unsigned char *buf, size_t *at, const char *type,
		      const unsigned char *data, size_t n)
{
	unsigned char *c = buf + *at;
	c[0] = (unsigned char)(n >> 24);
	c[1] = (unsigned char)(n >> 16);
	c[2] = (unsigned char)(n >> 8);
	c[3] = (unsigned char)n;
	memcpy(c + 4, type, 4);
	if (n > 0)
		memcpy(c + 8, data, n);
	uLong crc = crc32(0, c + 4, (uInt)n + 4);
	c[8 + n] = (unsigned char)(crc >> 24);
	c[9 + n] = (unsigned char)(crc >> 16);
	c[10 + n] = (unsigned char)(crc >> 8);
	c[11 + n] = (unsigned char)crc;
	*at += 12 + n;
}

/* A 16x16 gray image whose IDAT stream goes on for `extra` zero bytes
 * after the image: a decompression bomb of about extra / 1000 bytes. */
static unsigned char *idat_bomb(size_t extra, size_t *size)
{
	size_t raw = 16 * 17 + extra;
	unsigned char *zeros = calloc(1, raw);
	uLongf zsize = compressBound((uLong)raw);
	unsigned char *z = malloc(zsize);
	assert_int_equal(compress2(z, &zsize, zeros, (uLong)raw, 9), Z_OK);
	free(zeros);
	unsigned char *png = malloc(zsize + 200);
	size_t at = forge_header(png, 16, 16, 8, 0);
	put_chunk(png, &at, "IDAT", z, zsize);
	put_chunk(png, &at, "IEND", NULL, 0);
	free(z);
	*size = at;
	return png;
}

static void test_idat_bomb(void **state)
{
	(void)state;
	size_t size;
	/* 128 MiB of inflated data past a 272-byte image: refused after
	 * 64 KiB (+ a row and one read) of compressed data. */
	unsigned char *bomb = idat_bomb((size_t)128 << 20, &size);
	expect_failure(bomb, size, FP_ELIMIT, "png_decode.max_extra_idat");
	/* Raised, the same file decodes (libpng warns: too much data). */
	const char *path = temp_file(bomb, size);
	fp_harness *h = fp_harness_new("png_decode");
	assert_int_equal(fp_harness_set(h, "max_extra_idat", "1G"), 0);
	const char *inputs[] = {path};
	assert_int_equal(fp_harness_start(h, inputs, 1, NULL), 0);
	fp_frame f;
	assert_int_equal(fp_harness_source(h, 0, &f), 0);
	assert_int_equal(f.width, 16);
	fp_harness_free(h);
	unlink(path);
	free(bomb);
}

/* basn2c08.png with extra chunks (made here) spliced in before its IDAT. */
static unsigned char *with_chunks(const unsigned char *extra, size_t n,
				  size_t *size)
{
	size_t base_size;
	unsigned char *base = read_file(SUITE "/basn2c08.png", &base_size);
	assert_non_null(base);
	unsigned char *png = malloc(base_size + n);
	size_t at = 8; /* find the first IDAT */
	while (memcmp(base + at + 4, "IDAT", 4) != 0)
		at += 12 + ((size_t)base[at] << 24 |
			    (size_t)base[at + 1] << 16 |
			    (size_t)base[at + 2] << 8 | base[at + 3]);
	memcpy(png, base, at);
	memcpy(png + at, extra, n);
	memcpy(png + at + n, base + at, base_size - at);
	*size = base_size + n;
	free(base);
	return png;
}

static void test_metadata_entries(void **state)
{
	(void)state;
	unsigned char extra[4096];
	size_t n = 0;
	static const unsigned char itxt[] = "Title\0\0\0fr\0Titre\0Un chat";
	put_chunk(extra, &n, "iTXt", itxt, sizeof itxt - 1);
	static const char xmp[] = "<x:xmpmeta xmlns:x='adobe:ns:meta/'/>";
	unsigned char xmp_chunk[128];
	memcpy(xmp_chunk, "XML:com.adobe.xmp\0\0\0\0\0", 22);
	memcpy(xmp_chunk + 22, xmp, sizeof xmp - 1);
	put_chunk(extra, &n, "iTXt", xmp_chunk, 22 + sizeof xmp - 1);
	unsigned char ztxt[256] = "Comment\0";
	uLongf zn = sizeof ztxt - 9;
	assert_int_equal(compress(ztxt + 9, &zn, (const Bytef *)"squeezed", 8),
			 Z_OK);
	put_chunk(extra, &n, "zTXt", ztxt, 9 + zn);
	static const unsigned char phys[] = {0, 0,    0x2e, 0x23, 0,
					     0, 0x2e, 0x23, 1};
	put_chunk(extra, &n, "pHYs", phys, 9);
	static const unsigned char srgb[] = {1};
	put_chunk(extra, &n, "sRGB", srgb, 1);
	size_t size;
	unsigned char *png = with_chunks(extra, n, &size);
	const char *path = temp_file(png, size);
	fp_harness *h;
	fp_frame f;
	assert_int_equal(decode_keep(&h, path, &f), 0);
	assert_non_null(f.meta);

	const fp_meta_entry *e = fp_meta_find(f.meta, FP_META_TEXT, "Title");
	assert_non_null(e);
	assert_int_equal(e->flags, FP_META_TEXT_UTF8);
	fp_meta_text t;
	assert_true(fp_meta_text_parts(e, &t));
	assert_string_equal(t.language, "fr");
	assert_string_equal(t.translated_key, "Titre");
	assert_int_equal(t.text_size, 7);
	assert_memory_equal(t.text, "Un chat", 7);

	e = fp_meta_find(f.meta, FP_META_XMP, NULL);
	assert_non_null(e);
	assert_int_equal(e->value_size, sizeof xmp - 1);
	assert_memory_equal(fp_meta_value(e), xmp, sizeof xmp - 1);

	e = fp_meta_find(f.meta, FP_META_TEXT, "Comment");
	assert_non_null(e);
	assert_int_equal(e->flags, FP_META_TEXT_COMPRESSED);
	assert_true(fp_meta_text_parts(e, &t));
	assert_string_equal(t.language, "");
	assert_memory_equal(t.text, "squeezed", 8);

	e = fp_meta_find(f.meta, FP_META_RESOLUTION, NULL);
	assert_non_null(e);
	fp_meta_resolution r;
	memcpy(&r, fp_meta_value(e), sizeof r);
	assert_int_equal(r.x, 11811); /* 300 per inch */
	assert_int_equal(r.unit, FP_RES_PER_METRE);
	assert_int_equal(fp_meta_u32(f.meta, FP_META_SRGB, 9), 1);
	/* basn2c08.png's own gAMA */
	assert_int_equal(fp_meta_u32(f.meta, FP_META_GAMMA, 0), 100000);
	fp_harness_free(h);

	/* An area too small for them: one line naming the setting. */
	h = fp_harness_new("png_decode");
	fp_harness_set_metadata_size(h, 100);
	const char *inputs[] = {path};
	assert_int_equal(fp_harness_start(h, inputs, 1, NULL), 0);
	assert_int_equal(fp_harness_source(h, 0, &f), FP_ENOFIT);
	assert_non_null(strstr(fp_harness_error(h), "metadata area full: "));
	assert_non_null(strstr(fp_harness_error(h),
			       "(raise [pipeline] metadata_size)"));
	fp_harness_free(h);
	unlink(path);
	free(png);
}

static void test_frame_larger_than_slot(void **state)
{
	(void)state;
	fp_harness *h = fp_harness_new("png_decode");
	fp_harness_set_capacity(h, 1000);
	const char *inputs[] = {SUITE "/basn2c08.png"}; /* 32x32 RGB: 3072 B */
	assert_int_equal(fp_harness_start(h, inputs, 1, NULL), 0);
	fp_frame f;
	assert_int_equal(fp_harness_source(h, 0, &f), FP_ENOFIT);
	assert_non_null(strstr(fp_harness_error(h), "1000"));
	fp_harness_free(h);
}

static void test_limits_are_parameters(void **state)
{
	(void)state;
	fp_harness *h = fp_harness_new("png_decode");
	assert_int_equal(fp_harness_set(h, "max_width", "16"), 0);
	const char *inputs[] = {SUITE "/basn2c08.png"};
	assert_int_equal(fp_harness_start(h, inputs, 1, NULL), 0);
	fp_frame f;
	assert_int_equal(fp_harness_source(h, 0, &f), FP_ELIMIT);
	assert_non_null(strstr(fp_harness_error(h), "max_width"));
	fp_harness_free(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_pngsuite_reference),
		cmocka_unit_test(test_every_pngsuite_file_at_16_bits),
		cmocka_unit_test(test_keep_format),
		cmocka_unit_test(test_layouts),
		cmocka_unit_test(test_depth_parameter),
		cmocka_unit_test(test_past_the_end_is_end),
		cmocka_unit_test(test_hostile_files),
		cmocka_unit_test(test_idat_bomb),
		cmocka_unit_test(test_metadata_entries),
		cmocka_unit_test(test_frame_larger_than_slot),
		cmocka_unit_test(test_limits_are_parameters),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
