/* framepipe::testing itself: the frame helpers, a stage linked into the
 * test, the geometry check the stage host also makes, and a plugin built
 * against ABI 1.0 running through the harness. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "framepipe/testing.h"

/* A stage compiled into this test: inverts colour channels, or with
 * lie = true claims a geometry that does not fit its buffer. */
typedef struct invert_config {
	bool lie;
	int64_t width; /* make a width x 1 frame instead */
} invert_config;

static const fp_param invert_params[] = {
	FP_PARAM_BOOL_(invert_config, lie, "false", "report a bad geometry"),
	FP_PARAM_INT_(invert_config, width, "0", 0, 1e6,
		      "make a frame this wide and 1 tall"),
};

static int invert_init(void **state, const void *config,
		       const fp_stage_env *env, char *err, size_t err_size)
{
	(void)env;
	(void)err;
	(void)err_size;
	*state = (void *)config;
	return 0;
}

static int invert_process(void *state, fp_frame *in, fp_frame *out)
{
	const invert_config *c = state;
	if (in->format != FP_FORMAT_RGB8)
		return fp_frame_fail(in, FP_EFORMAT, "cannot handle %s",
				     fp_format_name(in->format));
	for (uint32_t y = 0; y < in->height; y++)
		for (size_t i = 0; i < (size_t)in->width * 3; i++)
			in->pixels[(size_t)y * in->stride + i] ^= 0xff;
	if (c->lie)
		out->height = (uint32_t)(out->capacity / out->stride) + 1;
	if (c->width > 0) {
		out->width = (uint32_t)c->width;
		out->height = 1;
		out->stride = out->width * 3;
		memset(out->pixels, 0, out->stride);
	}
	return 0;
}

static const fp_stage_descriptor linked_invert = {
	FP_STAGE_HEADER,
	.name = "linked_invert",
	.summary = "invert RGB8 in place",
	.description = "Inverts every colour channel.\nOnly RGB8.",
	.kind = FP_STAGE_FILTER,
	.formats = FP_FORMAT_BIT(FP_FORMAT_RGB8),
	.params = invert_params,
	.param_count = FP_COUNT_OF(invert_params),
	.config_size = sizeof(invert_config),
	.init = invert_init,
	.process = invert_process,
};

static void test_frame_helpers(void **state)
{
	(void)state;
	assert_null(fp_testing_frame_new(0, 4, FP_FORMAT_RGB8));
	assert_null(fp_testing_frame_new(4, 4, (fp_format)9));
	assert_null(
		fp_testing_frame_new(UINT32_MAX, UINT32_MAX, FP_FORMAT_RGBA8));

	const uint8_t bytes[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
	fp_frame *a = fp_testing_frame_new(2, 2, FP_FORMAT_RGB8);
	assert_non_null(a);
	assert_int_equal(a->stride, 6);
	assert_int_equal(a->capacity, 12);
	fp_testing_frame_fill(a, bytes);
	assert_int_equal(fp_testing_pixel(a, 1, 1)[2], 12);

	fp_frame *b = fp_testing_frame_copy(a);
	assert_true(fp_testing_frame_equal(a, b));
	fp_testing_pixel(b, 1, 0)[1] = 45; /* was 5 */
	char why[128];
	assert_int_equal(fp_testing_frame_compare(a, b, why, sizeof why), 40);
	assert_string_equal(why, "max diff 40 at (1, 0) channel 1: 5 vs 45");
	assert_int_equal(fp_testing_frame_max_diff(a, b), 40);
	assert_false(fp_testing_frame_equal(a, b));

	fp_frame *c = fp_testing_frame_new(2, 2, FP_FORMAT_RGBA8);
	assert_int_equal(fp_testing_frame_compare(a, c, why, sizeof why), -1);
	assert_string_equal(why, "2x2 RGB8 vs 2x2 RGBA8");

	/* Padding past the row bytes is not compared. */
	fp_frame padded = *a;
	uint8_t wide[2 * 8] = {1, 2, 3, 4,  5,	6,  99, 99,
			       7, 8, 9, 10, 11, 12, 99, 99};
	padded.pixels = wide;
	padded.stride = 8;
	assert_true(fp_testing_frame_equal(a, &padded));

	const uint8_t grey[] = {200, 100, 50, 255};
	fp_testing_frame_fill_pixel(c, grey);
	assert_memory_equal(fp_testing_pixel(c, 1, 1), grey, 4);

	fp_testing_frame_free(a);
	fp_testing_frame_free(b);
	fp_testing_frame_free(c);
	fp_testing_frame_free(NULL);
}

static void test_patterns_are_reproducible(void **state)
{
	(void)state;
	fp_frame *a = fp_testing_frame_new(33, 17, FP_FORMAT_GA8);
	fp_frame *b = fp_testing_frame_new(33, 17, FP_FORMAT_GA8);
	fp_testing_frame_fill_pattern(a, FP_TESTING_NOISE, 7);
	fp_testing_frame_fill_pattern(b, FP_TESTING_NOISE, 7);
	assert_true(fp_testing_frame_equal(a, b));
	fp_testing_frame_fill_pattern(b, FP_TESTING_NOISE, 8);
	assert_false(fp_testing_frame_equal(a, b));

	fp_testing_frame_fill_pattern(a, FP_TESTING_GRADIENT, 0);
	assert_int_equal(fp_testing_pixel(a, 0, 0)[0], 0);
	assert_int_equal(fp_testing_pixel(a, 0, 0)[1], 64);
	assert_int_equal(fp_testing_pixel(a, 32, 16)[0], 255);
	fp_testing_frame_fill_pattern(a, FP_TESTING_CHECKER, 0);
	assert_int_equal(fp_testing_pixel(a, 7, 0)[0], 0);
	assert_int_equal(fp_testing_pixel(a, 8, 0)[0], 255);
	assert_int_equal(fp_testing_pixel(a, 8, 8)[1], 0);
	fp_testing_frame_free(a);
	fp_testing_frame_free(b);
}

static void test_linked_stage(void **state)
{
	(void)state;
	fp_harness *h = fp_harness_new_linked(&linked_invert);
	assert_non_null(h);
	assert_string_equal(fp_harness_descriptor(h)->description,
			    "Inverts every colour channel.\nOnly RGB8.");
	assert_int_equal(fp_harness_set(h, "lie", "maybe"), FP_EPARAM);
	assert_non_null(strstr(fp_harness_error(h), "lie: expected"));
	assert_int_equal(fp_harness_start(h, NULL, 0, NULL), 0);

	fp_frame *in = fp_testing_frame_new(5, 3, FP_FORMAT_RGB8);
	fp_testing_frame_fill_pattern(in, FP_TESTING_GRADIENT, 0);
	fp_frame out;
	assert_int_equal(fp_harness_filter(h, in, &out), 0);
	assert_int_equal(fp_testing_pixel(&out, 0, 0)[0], 255);
	assert_int_equal(fp_testing_frame_max_diff(in, &out), 255);
	/* Twice inverted is the input again. */
	fp_frame *once = fp_testing_frame_copy(&out);
	assert_int_equal(fp_harness_filter(h, once, &out), 0);
	assert_true(fp_testing_frame_equal(in, &out));

	fp_frame *gray = fp_testing_frame_new(2, 2, FP_FORMAT_G8);
	assert_int_equal(fp_harness_filter(h, gray, &out), FP_EFORMAT);
	/* The harness, like the host, refuses a format the stage does not
	 * declare, before process(): the stage's own check never runs. */
	assert_string_equal(fp_harness_error(h),
			    "linked_invert takes RGB8 frames, not G8 (put "
			    "`convert format=rgb8` before it)");

	fp_testing_frame_free(gray);
	fp_testing_frame_free(once);
	fp_testing_frame_free(in);
	fp_harness_free(h);
}

static void test_bad_geometry_fails_like_the_host(void **state)
{
	(void)state;
	fp_harness *h = fp_harness_new_linked(&linked_invert);
	assert_int_equal(fp_harness_set(h, "lie", "yes"), 0);
	assert_int_equal(fp_harness_start(h, NULL, 0, NULL), 0);
	fp_harness_set_capacity(h, 4096);
	fp_frame *in = fp_testing_frame_new(4, 4, FP_FORMAT_RGB8);
	fp_frame out;
	assert_int_equal(fp_harness_filter(h, in, &out), FP_EGEOMETRY);
	assert_non_null(strstr(fp_harness_error(h),
			       "which does not fit its 4096-byte slot"));
	fp_testing_frame_free(in);
	fp_harness_free(h);
}

/* FP_MAX_DIMENSION holds for every stage: the frame check (the host's
 * and the harness's) fails a frame wider, whatever its slot holds. */
static void test_frame_past_the_limit_fails(void **state)
{
	(void)state;
	static const struct {
		const char *width;
		int rc;
	} rows[] = {{"65535", 0},
		    {"65536", FP_EGEOMETRY},
		    {"100000", FP_EGEOMETRY}};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		fp_harness *h = fp_harness_new_linked(&linked_invert);
		assert_int_equal(fp_harness_set(h, "width", rows[i].width), 0);
		assert_int_equal(fp_harness_start(h, NULL, 0, NULL), 0);
		fp_frame *in = fp_testing_frame_new(4, 4, FP_FORMAT_RGB8);
		fp_frame out;
		assert_int_equal(fp_harness_filter(h, in, &out), rows[i].rc);
		if (rows[i].rc != 0 &&
		    strstr(fp_harness_error(h),
			   "larger than framepipe's 65535 pixels a side") ==
			    NULL)
			fail_msg("width %s: '%s'", rows[i].width,
				 fp_harness_error(h));
		fp_testing_frame_free(in);
		fp_harness_free(h);
	}
}

static void test_refuses_a_broken_linked_stage(void **state)
{
	(void)state;
	fp_stage_descriptor broken = linked_invert;
	broken.abi_major = 2;
	assert_null(fp_harness_new_linked(&broken));
	broken = linked_invert;
	broken.process = NULL;
	assert_null(fp_harness_new_linked(&broken));
}

/* A plugin built against ABI 1.0 still runs, and has no description. */
static void test_runs_an_older_minor(void **state)
{
	(void)state;
	fp_harness *h = fp_harness_new(FIXTURE_DIR "/fixture_oldminor.so");
	assert_non_null(h);
	assert_null(fp_harness_descriptor(h)->description);
	assert_int_equal(fp_harness_start(h, NULL, 0, NULL), 0);
	fp_frame *in = fp_testing_frame_new(3, 3, FP_FORMAT_RGBA8);
	fp_testing_frame_fill_pattern(in, FP_TESTING_NOISE, 1);
	fp_frame out;
	assert_int_equal(fp_harness_filter(h, in, &out), 0);
	assert_true(fp_testing_frame_equal(in, &out));
	fp_testing_frame_free(in);
	fp_harness_free(h);
}

/* The metadata area: add, find, replace, remove, and what a damaged area
 * reads as. */
static void test_metadata_area(void **state)
{
	(void)state;
	fp_frame *f = fp_testing_frame_new(2, 2, FP_FORMAT_RGB16);
	assert_non_null(f->meta);
	assert_int_equal(f->stride, 12);
	fp_meta *m = f->meta;
	const uint8_t icc[5] = {1, 2, 3, 4, 5};
	assert_int_equal(fp_meta_add(m, FP_META_ICC, 0, "sRGB", icc, 5), 0);
	uint32_t six = 6;
	assert_int_equal(
		fp_meta_set(m, FP_META_ORIENTATION, 0, NULL, &six, sizeof six),
		0);
	const char text[] = "en\0Titel\0hello";
	assert_int_equal(fp_meta_add(m, FP_META_TEXT, FP_META_TEXT_UTF8,
				     "Title", text, sizeof text - 1),
			 0);
	assert_int_equal(fp_meta_u32(m, FP_META_ORIENTATION, 1), 6);
	const fp_meta_entry *e = fp_meta_find(m, FP_META_ICC, NULL);
	assert_non_null(e);
	assert_string_equal(fp_meta_key(e), "sRGB");
	assert_memory_equal(fp_meta_value(e), icc, 5);
	fp_meta_text t;
	e = fp_meta_find(m, FP_META_TEXT, "Title");
	assert_true(fp_meta_text_parts(e, &t));
	assert_string_equal(t.language, "en");
	assert_string_equal(t.translated_key, "Titel");
	assert_int_equal(t.text_size, 5);
	assert_memory_equal(t.text, "hello", 5);
	/* Replace keeps one entry; remove takes it away, others stay. */
	uint32_t one = 1;
	fp_meta_set(m, FP_META_ORIENTATION, 0, NULL, &one, sizeof one);
	int n = 0;
	for (e = fp_meta_next(m, NULL); e != NULL; e = fp_meta_next(m, e))
		n++;
	assert_int_equal(n, 3);
	assert_int_equal(fp_meta_u32(m, FP_META_ORIENTATION, 9), 1);
	assert_int_equal(fp_meta_remove(m, FP_META_ICC, NULL), 1);
	assert_null(fp_meta_find(m, FP_META_ICC, NULL));
	assert_non_null(fp_meta_find(m, FP_META_TEXT, "Title"));
	/* Full: nothing changes. */
	static uint8_t big[70000];
	uint32_t used = m->used;
	assert_int_equal(fp_meta_add(m, FP_META_XMP, 0, NULL, big, sizeof big),
			 FP_ENOFIT);
	assert_int_equal(m->used, used);
	/* A damaged entry (a length past the area) ends the list there. */
	fp_meta_entry *last = (fp_meta_entry *)(void *)(m->data + used);
	assert_int_equal(fp_meta_add(m, FP_META_USER, 0, "x", "y", 1), 0);
	last->value_size = 0xfffffff0u;
	n = 0;
	for (e = fp_meta_next(m, NULL); e != NULL; e = fp_meta_next(m, e))
		n++;
	assert_int_equal(n, 2);
	/* and a later add drops the damaged tail instead of keeping it */
	assert_int_equal(fp_meta_add(m, FP_META_USER, 0, "z", "w", 1), 0);
	assert_non_null(fp_meta_find(m, FP_META_USER, "z"));
	fp_testing_frame_free(f);
}

/* A filter's output carries its input's metadata: in place, and copied by
 * the core into the second buffer of an out-of-place filter. */
static void test_metadata_travels(void **state)
{
	(void)state;
	const char *stages[] = {"passthrough", "rotate"};
	for (int i = 0; i < 2; i++) {
		fp_harness *h = fp_harness_new(stages[i]);
		assert_non_null(h);
		assert_int_equal(fp_harness_start(h, NULL, 0, NULL), 0);
		fp_frame *in = fp_testing_frame_new(3, 2, FP_FORMAT_RGB8);
		uint32_t res[4] = {300, 300, FP_RES_PER_INCH, 0};
		assert_int_equal(fp_meta_add(in->meta, FP_META_RESOLUTION, 0,
					     NULL, res, sizeof res),
				 0);
		fp_frame out;
		assert_int_equal(fp_harness_filter(h, in, &out), 0);
		const fp_meta_entry *e =
			fp_meta_find(out.meta, FP_META_RESOLUTION, NULL);
		assert_non_null(e);
		assert_memory_equal(fp_meta_value(e), res, sizeof res);
		fp_testing_frame_free(in);
		fp_harness_free(h);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_frame_helpers),
		cmocka_unit_test(test_patterns_are_reproducible),
		cmocka_unit_test(test_linked_stage),
		cmocka_unit_test(test_metadata_area),
		cmocka_unit_test(test_metadata_travels),
		cmocka_unit_test(test_bad_geometry_fails_like_the_host),
		cmocka_unit_test(test_frame_past_the_limit_fails),
		cmocka_unit_test(test_refuses_a_broken_linked_stage),
		cmocka_unit_test(test_runs_an_older_minor),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
