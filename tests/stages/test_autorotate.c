/* autorotate (compiled in, called as the stage host calls an in-place
 * filter) on frames with a metadata area: each of the 8 orientations on a
 * 3x2 frame against answers written out by hand, at 8 and 16 bits; the
 * orientation entry and the EXIF tag reset to 1; the resolution swapped;
 * and each orientation of a real photo against ImageMagick's
 * `convert -auto-orient` of the same JPEG. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exif.h"
#include "jpeg.h"

extern const fp_stage_descriptor framepipe_stage;

struct test_frame {
	fp_frame f;
	char error[256];
	fp_meta *meta;
};

static struct test_frame *frame_new(uint32_t w, uint32_t h, fp_format fmt,
				    size_t capacity)
{
	struct test_frame *t = calloc(1, sizeof *t);
	t->f.width = w;
	t->f.height = h;
	t->f.format = fmt;
	t->f.stride = w * fp_format_pixel_bytes(fmt);
	if (capacity == 0)
		capacity = (size_t)t->f.stride * h;
	t->f.pixels = calloc(1, capacity);
	t->f.capacity = capacity;
	t->f.error = t->error;
	t->f.error_size = sizeof t->error;
	t->meta = calloc(1, sizeof(fp_meta) + 65536);
	t->meta->capacity = 65536;
	t->f.meta = t->meta;
	return t;
}

static void frame_free(struct test_frame *t)
{
	free(t->f.pixels);
	free(t->meta);
	free(t);
}

static int run(struct test_frame *t)
{
	void *state = NULL;
	char err[128];
	assert_int_equal(
		framepipe_stage.init(&state, NULL, NULL, err, sizeof err), 0);
	int rc = framepipe_stage.process(state, &t->f, &t->f);
	framepipe_stage.fini(state);
	return rc;
}

/* Input 3x2: value 10 y + x. What each orientation makes, by hand. */
static const struct {
	uint32_t w, h;
	uint8_t px[6];
} answers[9] = {
	[1] = {3, 2, {0, 1, 2, 10, 11, 12}},
	[2] = {3, 2, {2, 1, 0, 12, 11, 10}}, /* mirror left-right */
	[3] = {3, 2, {12, 11, 10, 2, 1, 0}}, /* 180 */
	[4] = {3, 2, {10, 11, 12, 0, 1, 2}}, /* mirror top-bottom */
	[5] = {2, 3, {0, 10, 1, 11, 2, 12}}, /* transpose */
	[6] = {2, 3, {10, 0, 11, 1, 12, 2}}, /* 90 clockwise */
	[7] = {2, 3, {12, 2, 11, 1, 10, 0}}, /* transverse */
	[8] = {2, 3, {2, 12, 1, 11, 0, 10}}, /* 90 counter-clockwise */
};

static void check_orientations(fp_format fmt, bool via_exif)
{
	unsigned ch = fp_format_channels(fmt);
	bool wide = fp_format_sample_bytes(fmt) == 2;
	for (uint32_t o = 1; o <= 8; o++) {
		struct test_frame *t = frame_new(3, 2, fmt, 0);
		for (unsigned i = 0; i < 6; i++)
			for (unsigned c = 0; c < ch; c++) {
				unsigned v = (i / 3) * 10 + i % 3 + 50 * c;
				if (wide)
					((uint16_t *)(void *)
						 t->f.pixels)[i * ch + c] =
						(uint16_t)(v * 257);
				else
					t->f.pixels[i * ch + c] = (uint8_t)v;
			}
		uint8_t exif[FP_EXIF_MINIMAL_SIZE];
		fp__exif_minimal(exif, (uint16_t)o);
		fp_meta_add(t->meta, FP_META_EXIF, 0, NULL, exif, sizeof exif);
		if (!via_exif)
			fp_meta_add(t->meta, FP_META_ORIENTATION, 0, NULL, &o,
				    sizeof o);
		fp_meta_resolution res = {300, 150, FP_RES_PER_INCH, 0};
		fp_meta_add(t->meta, FP_META_RESOLUTION, 0, NULL, &res,
			    sizeof res);
		assert_int_equal(run(t), 0);
		if (t->f.width != answers[o].w || t->f.height != answers[o].h)
			fail_msg("%s orientation %u: %ux%u",
				 fp_format_name(fmt), o, t->f.width,
				 t->f.height);
		assert_int_equal(t->f.stride,
				 t->f.width * fp_format_pixel_bytes(fmt));
		for (unsigned i = 0; i < 6; i++)
			for (unsigned c = 0; c < ch; c++) {
				unsigned want = answers[o].px[i] + 50 * c;
				unsigned got =
					wide ? ((uint16_t *)(void *)
							t->f.pixels)[i * ch + c]
					     : t->f.pixels[i * ch + c];
				if (got != (wide ? want * 257 : want))
					fail_msg("%s orientation %u: sample "
						 "%u.%u is %u, expected %u",
						 fp_format_name(fmt), o, i, c,
						 got, want);
			}
		const fp_meta_entry *e =
			fp_meta_find(t->meta, FP_META_EXIF, NULL);
		assert_int_equal(
			fp__exif_orientation(fp_meta_value(e), e->value_size),
			1);
		if (!via_exif)
			assert_int_equal(
				fp_meta_u32(t->meta, FP_META_ORIENTATION, 0),
				1);
		e = fp_meta_find(t->meta, FP_META_RESOLUTION, NULL);
		memcpy(&res, fp_meta_value(e), sizeof res);
		assert_int_equal(res.x, o >= 5 ? 150 : 300);
		assert_int_equal(res.y, o >= 5 ? 300 : 150);
		frame_free(t);
	}
}

static void test_every_orientation_every_format(void **state)
{
	(void)state;
	for (int fmt = FP_FORMAT_FIRST; fmt <= FP_FORMAT_LAST; fmt++) {
		check_orientations((fp_format)fmt, false);
		check_orientations((fp_format)fmt, true);
	}
}

static void test_upright_and_bare_frames_pass(void **state)
{
	(void)state;
	struct test_frame *t = frame_new(3, 2, FP_FORMAT_G8, 0);
	memcpy(t->f.pixels, answers[1].px, 6);
	assert_int_equal(run(t), 0); /* no metadata entries: upright */
	assert_memory_equal(t->f.pixels, answers[1].px, 6);
	uint32_t nine = 9; /* not an orientation: upright */
	fp_meta_add(t->meta, FP_META_ORIENTATION, 0, NULL, &nine, sizeof nine);
	assert_int_equal(run(t), 0);
	assert_memory_equal(t->f.pixels, answers[1].px, 6);
	assert_int_equal(t->f.width, 3);
	free(t->meta);
	t->meta = NULL;
	t->f.meta = NULL; /* a 1.1 harness: nothing to read */
	assert_int_equal(run(t), 0);
	assert_memory_equal(t->f.pixels, answers[1].px, 6);
	frame_free(t);
}

/* A frame with stride padding comes out packed. */
static void test_padded_stride(void **state)
{
	(void)state;
	struct test_frame *t = frame_new(3, 2, FP_FORMAT_G8, 64);
	t->f.stride = 8;
	memcpy(t->f.pixels, answers[1].px, 3);
	memcpy(t->f.pixels + 8, answers[1].px + 3, 3);
	uint32_t six = 6;
	fp_meta_add(t->meta, FP_META_ORIENTATION, 0, NULL, &six, sizeof six);
	assert_int_equal(run(t), 0);
	assert_int_equal(t->f.stride, 2);
	assert_memory_equal(t->f.pixels, answers[6].px, 6);
	frame_free(t);
}

/* Each orientation of testorig.jpg, written by jpeg_encode with the tag,
 * decoded and turned here, equals `convert -auto-orient` of that file. */
static void test_against_imagemagick(void **state)
{
	(void)state;
	char dir[] = "/tmp/fp_test_autorotate_XXXXXX";
	assert_non_null(mkdtemp(dir));
	struct fp_jpeg_decode_config dec = {.max_width = 65500,
					    .max_height = 65500,
					    .max_pixels = 100000000,
					    .max_scans = 100,
					    .max_memory = 1u << 30};
	struct fp_jpeg_encode_config enc = {
		95, false, false, FP_JPEG_444, 0, FP_JPEG_STRIP_KEEP};
	size_t cap = 227 * 149 * 3;
	uint8_t *ref = malloc(cap);
	for (uint32_t o = 1; o <= 8; o++) {
		struct test_frame *t = frame_new(1, 1, FP_FORMAT_RGB8, cap);
		t->f.input_path = DATA_DIR "/libjpeg-turbo/testorig.jpg";
		assert_int_equal(fp_codec_jpeg.decode(&dec, &t->f), 0);
		char path[128];
		snprintf(path, sizeof path, "%s/o%u.jpg", dir, o);
		fp_meta_clear(t->meta);
		fp_meta_add(t->meta, FP_META_ORIENTATION, 0, NULL, &o,
			    sizeof o);
		t->f.output_path = path;
		assert_int_equal(fp_codec_jpeg.encode(&enc, &t->f), 0);

		t->f.input_path = path;
		assert_int_equal(fp_codec_jpeg.decode(&dec, &t->f), 0);
		/* 1 needs no EXIF: none is written */
		assert_int_equal(fp_meta_u32(t->meta, FP_META_ORIENTATION, 0),
				 o == 1 ? 0 : o);
		assert_int_equal(run(t), 0);

		char cmd[256];
		snprintf(cmd, sizeof cmd,
			 "convert '%s' -auto-orient -depth 8 rgb:-", path);
		FILE *p = popen(cmd, "r");
		assert_non_null(p);
		size_t n = fread(ref, 1, cap, p);
		assert_int_equal(pclose(p), 0);
		assert_int_equal(n, cap);
		if (memcmp(ref, t->f.pixels, cap) != 0)
			fail_msg("orientation %u differs from convert "
				 "-auto-orient",
				 o);
		assert_int_equal(t->f.width, o >= 5 ? 149 : 227);
		unlink(path);
		frame_free(t);
	}
	free(ref);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_orientation_every_format),
		cmocka_unit_test(test_upright_and_bare_frames_pass),
		cmocka_unit_test(test_padded_stride),
		cmocka_unit_test(test_against_imagemagick),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
