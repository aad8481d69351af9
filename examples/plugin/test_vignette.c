/* vignette through framepipe's stage harness: loaded from its .so as the
 * program would load it, parameters set from text as a config would set
 * them, frames in and frames out, in this process. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <framepipe/testing.h>
#include <string.h>

#ifndef STAGE_SO
#error "build with -DSTAGE_SO=\"path/to/vignette.so\""
#endif

static fp_harness *start(const char *strength, const char *curve)
{
	fp_harness *h = fp_harness_new(STAGE_SO);
	assert_non_null(h);
	if (strength != NULL)
		assert_int_equal(fp_harness_set(h, "strength", strength), 0);
	if (curve != NULL)
		assert_int_equal(fp_harness_set(h, "curve", curve), 0);
	assert_int_equal(fp_harness_start(h, NULL, 0, NULL), 0);
	return h;
}

static void test_descriptor(void **state)
{
	(void)state;
	fp_harness *h = fp_harness_new(STAGE_SO);
	assert_non_null(h);
	const fp_stage_descriptor *d = fp_harness_descriptor(h);
	assert_string_equal(d->name, "vignette");
	assert_int_equal(d->kind, FP_STAGE_FILTER);
	assert_non_null(d->description); /* an ABI 1.1 field */
	fp_harness_free(h);
}

/* Bad values are refused by the core's parser, with the message a config
 * would get. */
static void test_parameters_are_checked(void **state)
{
	(void)state;
	fp_harness *h = fp_harness_new(STAGE_SO);
	assert_int_equal(fp_harness_set(h, "strength", "2"), FP_EPARAM);
	assert_string_equal(fp_harness_error(h),
			    "strength: expected 0..1, got '2'");
	assert_int_equal(fp_harness_set(h, "curve", "cubic"), FP_EPARAM);
	assert_string_equal(
		fp_harness_error(h),
		"curve: expected one of smooth|linear, got 'cubic'");
	fp_harness_free(h);
}

static void test_strength_zero_changes_nothing(void **state)
{
	(void)state;
	fp_harness *h = start("0", NULL);
	fp_frame *in = fp_testing_frame_new(40, 30, FP_FORMAT_RGB8);
	fp_testing_frame_fill_pattern(in, FP_TESTING_NOISE, 42);
	fp_frame out;
	assert_int_equal(fp_harness_filter(h, in, &out), 0);
	char why[128];
	if (fp_testing_frame_compare(in, &out, why, sizeof why) != 0)
		fail_msg("changed the frame: %s", why);
	fp_testing_frame_free(in);
	fp_harness_free(h);
}

/* On a flat RGBA frame: the centre keeps its value, the corners are the
 * darkest and equal (symmetry), alpha is untouched everywhere. */
static void test_darkens_corners_keeps_alpha(void **state)
{
	(void)state;
	fp_harness *h = start("1", "linear");
	fp_frame *in = fp_testing_frame_new(21, 21, FP_FORMAT_RGBA8);
	const uint8_t grey[] = {200, 200, 200, 77};
	fp_testing_frame_fill_pixel(in, grey);
	fp_frame out;
	assert_int_equal(fp_harness_filter(h, in, &out), 0);
	const uint8_t *centre = fp_testing_pixel(&out, 10, 10);
	const uint8_t *corner = fp_testing_pixel(&out, 0, 0);
	assert_int_equal(centre[0], 200);
	assert_true(corner[0] < 200 / 4);
	assert_memory_equal(corner, fp_testing_pixel(&out, 20, 20), 4);
	assert_memory_equal(corner, fp_testing_pixel(&out, 20, 0), 4);
	for (uint32_t y = 0; y < out.height; y++)
		for (uint32_t x = 0; x < out.width; x++)
			assert_int_equal(fp_testing_pixel(&out, x, y)[3], 77);
	/* Darker, never brighter, along the diagonal. */
	for (uint32_t i = 1; i <= 10; i++)
		assert_true(fp_testing_pixel(&out, 10 - i, 10 - i)[0] <=
			    fp_testing_pixel(&out, 11 - i, 11 - i)[0]);
	fp_testing_frame_free(in);
	fp_harness_free(h);
}

/* Every 8-bit format: a gray frame and its RGB twin give the same values. */
static void test_gray_matches_rgb(void **state)
{
	(void)state;
	fp_harness *h = start("0.7", NULL);
	fp_frame *g = fp_testing_frame_new(16, 9, FP_FORMAT_G8);
	fp_frame *rgb = fp_testing_frame_new(16, 9, FP_FORMAT_RGB8);
	const uint8_t v = 180, px[] = {180, 180, 180};
	fp_testing_frame_fill_pixel(g, &v);
	fp_testing_frame_fill_pixel(rgb, px);
	fp_frame out;
	assert_int_equal(fp_harness_filter(h, g, &out), 0);
	fp_frame *g_out = fp_testing_frame_copy(&out);
	assert_int_equal(fp_harness_filter(h, rgb, &out), 0);
	for (uint32_t y = 0; y < 9; y++)
		for (uint32_t x = 0; x < 16; x++)
			assert_int_equal(fp_testing_pixel(g_out, x, y)[0],
					 fp_testing_pixel(&out, x, y)[1]);
	fp_testing_frame_free(g_out);
	fp_testing_frame_free(g);
	fp_testing_frame_free(rgb);
	fp_harness_free(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_descriptor),
		cmocka_unit_test(test_parameters_are_checked),
		cmocka_unit_test(test_strength_zero_changes_nothing),
		cmocka_unit_test(test_darkens_corners_keeps_alpha),
		cmocka_unit_test(test_gray_matches_rgb),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
