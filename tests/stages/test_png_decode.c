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

/* Decode path with format=rgba and compare with the PAM's body. */
static int matches_reference(const char *png, const char *pam)
{
	fp_harness *h = fp_harness_new("png_decode");
	assert_non_null(h);
	assert_int_equal(fp_harness_set(h, "format", "rgba"), 0);
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
	size_t body = (size_t)f.width * f.height * 4;
	int ok = f.format == FP_FORMAT_RGBA8 && f.stride == f.width * 4 &&
		 size >= body && memcmp(ref + size - body, f.pixels, body) == 0;
	if (!ok)
		print_error("%s: differs from %s\n", png, pam);
	free(ref);
	fp_harness_free(h);
	return ok;
}

static void test_every_pngsuite_reference(void **state)
{
	(void)state;
	FILE *manifest = fopen(REFS "/MANIFEST.tsv", "r");
	assert_non_null(manifest);
	char line[512];
	int checked = 0, matched = 0;
	while (fgets(line, sizeof line, manifest) != NULL) {
		char ref[128], source[128], mode[16];
		if (sscanf(line, "%127s %127s %*s %*s %*s %15s", ref, source,
			   mode) != 3 ||
		    strcmp(mode, "scale") != 0)
			continue;
		char png[512], pam[512];
		snprintf(png, sizeof png, SUITE "/%s", source);
		snprintf(pam, sizeof pam, REFS "/%s", ref);
		checked++;
		matched += matches_reference(png, pam);
	}
	fclose(manifest);
	assert_int_equal(checked, 161);
	assert_int_equal(matched, checked);
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
		{"basn6a16.png", FP_FORMAT_RGBA8},
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
		cmocka_unit_test(test_keep_format),
		cmocka_unit_test(test_past_the_end_is_end),
		cmocka_unit_test(test_hostile_files),
		cmocka_unit_test(test_frame_larger_than_slot),
		cmocka_unit_test(test_limits_are_parameters),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
