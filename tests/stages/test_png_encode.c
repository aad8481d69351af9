/* png_encode: the chunks it writes for metadata entries that other codecs
 * make (a resolution per inch, a comment, XMP, a profile without a name),
 * what strip leaves, and the depth it writes. The file is read back by
 * hand here (chunk walking and zlib), not by libpng. */
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

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

struct file {
	unsigned char *data;
	size_t size;
};

static struct file slurp(const char *path)
{
	struct file f = {0};
	FILE *in = fopen(path, "rb");
	assert_non_null(in);
	fseek(in, 0, SEEK_END);
	f.size = (size_t)ftell(in);
	fseek(in, 0, SEEK_SET);
	f.data = malloc(f.size);
	assert_int_equal(fread(f.data, 1, f.size, in), f.size);
	fclose(in);
	return f;
}

/* The nth chunk of type in f (its data and length), or NULL. */
static const unsigned char *find(const struct file *f, const char *type,
				 int nth, uint32_t *len)
{
	size_t at = 8;
	while (at + 12 <= f->size) {
		uint32_t n = be32(f->data + at);
		if (memcmp(f->data + at + 4, type, 4) == 0 && nth-- == 0) {
			*len = n;
			return f->data + at + 8;
		}
		at += 12 + (size_t)n;
	}
	return NULL;
}

static int count_meta_chunks(const struct file *f)
{
	static const char *types[] = {"iCCP", "eXIf", "iTXt", "zTXt", "tEXt",
				      "pHYs", "gAMA", "cHRM", "sRGB"};
	int n = 0;
	uint32_t len;
	for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
		for (int k = 0; find(f, types[i], k, &len) != NULL; k++)
			n++;
	return n;
}

/* Encode frame with the parameters (name, value, ..., NULL) into a new
 * temporary file; returns its contents. */
static struct file encode(const fp_frame *frame, ...)
{
	char path[64];
	snprintf(path, sizeof path, "/tmp/fp_test_encode_%d.png",
		 (int)getpid());
	fp_harness *h = fp_harness_new("png_encode");
	assert_non_null(h);
	va_list ap;
	va_start(ap, frame);
	const char *name;
	while ((name = va_arg(ap, const char *)) != NULL)
		assert_int_equal(fp_harness_set(h, name, va_arg(ap, char *)),
				 0);
	va_end(ap);
	assert_int_equal(fp_harness_start(h, NULL, 0, "/tmp"), 0);
	if (fp_harness_sink(h, frame, path) != 0)
		fail_msg("png_encode: %s", fp_harness_error(h));
	fp_harness_free(h);
	struct file f = slurp(path);
	unlink(path);
	return f;
}

static void test_entries_from_other_codecs(void **state)
{
	(void)state;
	fp_frame *fr = fp_testing_frame_new(4, 3, FP_FORMAT_RGB8);
	assert_non_null(fr);
	fp_testing_frame_fill_pattern(fr, FP_TESTING_GRADIENT, 0);
	unsigned char icc[600];
	for (size_t i = 0; i < sizeof icc; i++)
		icc[i] = (unsigned char)(i * 7);
	assert_int_equal(
		fp_meta_add(fr->meta, FP_META_ICC, 0, "", icc, sizeof icc), 0);
	fp_meta_resolution res = {.x = 300, .y = 72, .unit = FP_RES_PER_INCH};
	assert_int_equal(fp_meta_add(fr->meta, FP_META_RESOLUTION, 0, NULL,
				     &res, sizeof res),
			 0);
	assert_int_equal(
		fp_meta_add(fr->meta, FP_META_COMMENT, 0, NULL, "hello", 5), 0);
	static const char xmp[] = "<x:xmpmeta xmlns:x='adobe:ns:meta/'/>";
	assert_int_equal(fp_meta_add(fr->meta, FP_META_XMP, 0, NULL, xmp,
				     sizeof xmp - 1),
			 0);
	static const char de[] = "de\0Titel\0Katze";
	assert_int_equal(fp_meta_add(fr->meta, FP_META_TEXT, FP_META_TEXT_UTF8,
				     "Title", de, sizeof de - 1),
			 0);
	uint32_t orientation = 6; /* PNG has no chunk for it: left out */
	assert_int_equal(fp_meta_add(fr->meta, FP_META_ORIENTATION, 0, NULL,
				     &orientation, 4),
			 0);
	uint32_t gamma = 45455;
	assert_int_equal(
		fp_meta_add(fr->meta, FP_META_GAMMA, 0, NULL, &gamma, 4), 0);

	struct file f = encode(fr, NULL);
	uint32_t len = 0;
	const unsigned char *c = find(&f, "iCCP", 0, &len);
	assert_non_null(c);
	assert_string_equal((const char *)c, "ICC profile");
	unsigned char back[1000];
	uLongf back_len = sizeof back;
	assert_int_equal(uncompress(back, &back_len, c + 13, len - 13), Z_OK);
	assert_int_equal(back_len, sizeof icc);
	assert_memory_equal(back, icc, sizeof icc);

	c = find(&f, "pHYs", 0, &len);
	assert_non_null(c);
	assert_int_equal(len, 9);
	assert_int_equal(be32(c), 11811);    /* 300 / 0.0254 = 11811.02 */
	assert_int_equal(be32(c + 4), 2835); /* 72 / 0.0254 = 2834.65 */
	assert_int_equal(c[8], 1);

	c = find(&f, "tEXt", 0, &len);
	assert_non_null(c);
	assert_int_equal(len, 13);
	assert_memory_equal(c, "Comment\0hello", 13);

	c = find(&f, "iTXt", 0, &len);
	assert_non_null(c);
	assert_int_equal(len, 22 + sizeof xmp - 1);
	assert_memory_equal(c, "XML:com.adobe.xmp\0\0\0\0\0", 22);
	assert_memory_equal(c + 22, xmp, sizeof xmp - 1);

	c = find(&f, "iTXt", 1, &len);
	assert_non_null(c);
	assert_int_equal(len, 6 + 2 + sizeof de - 1);
	assert_memory_equal(c, "Title\0\0\0de\0Titel\0Katze", len);

	c = find(&f, "gAMA", 0, &len);
	assert_non_null(c);
	assert_int_equal(be32(c), 45455);
	assert_int_equal(count_meta_chunks(&f), 6);
	free(f.data);

	f = encode(fr, "strip", "meta", NULL);
	assert_non_null(find(&f, "iCCP", 0, &len));
	assert_non_null(find(&f, "gAMA", 0, &len));
	assert_int_equal(count_meta_chunks(&f), 2);
	free(f.data);

	f = encode(fr, "strip", "all", NULL);
	assert_int_equal(count_meta_chunks(&f), 0);
	free(f.data);
	fp_testing_frame_free(fr);
}

static void test_depth(void **state)
{
	(void)state;
	fp_frame *fr = fp_testing_frame_new(3, 2, FP_FORMAT_GA16);
	assert_non_null(fr);
	fp_testing_frame_fill_pattern(fr, FP_TESTING_NOISE, 7);
	uint32_t len;
	struct file f = encode(fr, NULL);
	const unsigned char *ihdr = find(&f, "IHDR", 0, &len);
	assert_non_null(ihdr);
	assert_int_equal(ihdr[8], 16); /* bit depth */
	assert_int_equal(ihdr[9], 4);  /* gray + alpha */
	free(f.data);
	f = encode(fr, "depth", "8", NULL);
	ihdr = find(&f, "IHDR", 0, &len);
	assert_int_equal(ihdr[8], 8);
	free(f.data);
	fp_testing_frame_free(fr);

	fr = fp_testing_frame_new(3, 2, FP_FORMAT_RGB8);
	f = encode(fr, "depth", "16", NULL);
	ihdr = find(&f, "IHDR", 0, &len);
	assert_int_equal(ihdr[8], 16);
	assert_int_equal(ihdr[9], 2);
	free(f.data);
	fp_testing_frame_free(fr);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_entries_from_other_codecs),
		cmocka_unit_test(test_depth),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
