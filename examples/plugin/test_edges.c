/* edges through framepipe's stage harness: the shape it declares, and
 * the Sobel magnitude on frames whose answer is known by hand. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <framepipe/testing.h>
#include <string.h>

#ifndef STAGE_SO
#error "build with -DSTAGE_SO=\"path/to/edges.so\""
#endif

static fp_harness *start(const char *threshold)
{
	fp_harness *h = fp_harness_new(STAGE_SO);
	assert_non_null(h);
	if (threshold != NULL)
		assert_int_equal(fp_harness_set(h, "threshold", threshold), 0);
	assert_int_equal(fp_harness_start(h, NULL, 0, NULL), 0);
	return h;
}

/* Any 8-bit format in, G8 of the same size out, as the planner reads it. */
static void test_shape_is_g8(void **state)
{
	(void)state;
	fp_harness *h = fp_harness_new(STAGE_SO);
	assert_non_null(h);
	const fp_stage_descriptor *d = fp_harness_descriptor(h);
	assert_int_equal(d->formats, FP_FORMATS_8BIT);
	assert_non_null(d->shape);
	fp_shape in = {640, 480, FP_FORMATS_8BIT, 0}, out = {0};
	char err[128];
	assert_int_equal(d->shape(NULL, &in, &out, err, sizeof err), 0);
	assert_int_equal(out.width, 640);
	assert_int_equal(out.height, 480);
	assert_int_equal(out.formats, FP_FORMAT_BIT(FP_FORMAT_G8));
	fp_harness_free(h);
}

/* A flat frame has no edges, whatever its format. */
static void test_flat_is_black(void **state)
{
	(void)state;
	fp_format formats[] = {FP_FORMAT_G8, FP_FORMAT_GA8, FP_FORMAT_RGB8,
			       FP_FORMAT_RGBA8};
	for (size_t i = 0; i < 4; i++) {
		fp_harness *h = start(NULL);
		fp_frame *in = fp_testing_frame_new(9, 7, formats[i]);
		uint8_t px[4] = {90, 140, 200, 17};
		fp_testing_frame_fill_pixel(in, px);
		fp_frame out;
		assert_int_equal(fp_harness_filter(h, in, &out), 0);
		assert_int_equal(out.format, FP_FORMAT_G8);
		assert_int_equal(out.width, 9);
		assert_int_equal(out.height, 7);
		for (uint32_t y = 0; y < 7; y++)
			for (uint32_t x = 0; x < 9; x++)
				assert_int_equal(*fp_testing_pixel(&out, x, y),
						 0);
		fp_testing_frame_free(in);
		fp_harness_free(h);
	}
}

/* A vertical step from 0 to 40 between columns 3 and 4: gx is 4 x 40 =
 * 160 on the two columns beside it, 0 elsewhere; gy is 0. */
static void test_vertical_step(void **state)
{
	(void)state;
	fp_harness *h = start(NULL);
	fp_frame *in = fp_testing_frame_new(8, 5, FP_FORMAT_G8);
	for (uint32_t y = 0; y < 5; y++)
		for (uint32_t x = 0; x < 8; x++)
			*fp_testing_pixel(in, x, y) = x < 4 ? 0 : 40;
	fp_frame out;
	assert_int_equal(fp_harness_filter(h, in, &out), 0);
	for (uint32_t y = 0; y < 5; y++)
		for (uint32_t x = 0; x < 8; x++)
			assert_int_equal(*fp_testing_pixel(&out, x, y),
					 x == 3 || x == 4 ? 160 : 0);
	fp_testing_frame_free(in);
	fp_harness_free(h);
}

/* Colour goes through its gray: a horizontal step of pure green 100 is a
 * gray step of (150 x 100 + 128) / 256 = 59, so gy = 4 x 59 = 236; with
 * threshold = 200 that is 255, with 240 it is 0. */
static void test_colour_and_threshold(void **state)
{
	(void)state;
	const char *thresholds[] = {"0", "200", "240"};
	unsigned expect[] = {236, 255, 0};
	for (size_t t = 0; t < 3; t++) {
		fp_harness *h = start(thresholds[t]);
		fp_frame *in = fp_testing_frame_new(6, 6, FP_FORMAT_RGBA8);
		for (uint32_t y = 0; y < 6; y++)
			for (uint32_t x = 0; x < 6; x++) {
				uint8_t *p = fp_testing_pixel(in, x, y);
				p[0] = p[2] = 0;
				p[1] = y < 3 ? 0 : 100;
				p[3] = (uint8_t)(x * 40); /* alpha: ignored */
			}
		fp_frame out;
		assert_int_equal(fp_harness_filter(h, in, &out), 0);
		for (uint32_t x = 0; x < 6; x++) {
			assert_int_equal(*fp_testing_pixel(&out, x, 2),
					 expect[t]);
			assert_int_equal(*fp_testing_pixel(&out, x, 3),
					 expect[t]);
			assert_int_equal(*fp_testing_pixel(&out, x, 0), 0);
			assert_int_equal(*fp_testing_pixel(&out, x, 5), 0);
		}
		fp_testing_frame_free(in);
		fp_harness_free(h);
	}
}

/* 16-bit frames are refused before process(), as the core would. */
static void test_16bit_refused(void **state)
{
	(void)state;
	fp_harness *h = start(NULL);
	fp_frame *in = fp_testing_frame_new(4, 4, FP_FORMAT_RGB16);
	fp_frame out;
	assert_int_equal(fp_harness_filter(h, in, &out), FP_EFORMAT);
	assert_non_null(strstr(fp_harness_error(h), "not RGB16"));
	fp_testing_frame_free(in);
	fp_harness_free(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shape_is_g8),
		cmocka_unit_test(test_flat_is_black),
		cmocka_unit_test(test_vertical_step),
		cmocka_unit_test(test_colour_and_threshold),
		cmocka_unit_test(test_16bit_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
