/* csv_stats through the harness: a sink is handed frames and writes its
 * file; nothing else of a run is needed. */
#define _POSIX_C_SOURCE 200809L /* mkstemp */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <framepipe/testing.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef STAGE_SO
#error "build with -DSTAGE_SO=\"path/to/csv_stats.so\""
#endif

static void test_writes_one_line_per_frame(void **state)
{
	(void)state;
	char path[] = "/tmp/csv_stats-test-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);

	fp_harness *h = fp_harness_new(STAGE_SO);
	assert_non_null(h);
	assert_int_equal(fp_harness_set(h, "file", path), 0);
	assert_int_equal(fp_harness_start(h, NULL, 0, NULL), 0);

	fp_frame *ga = fp_testing_frame_new(4, 2, FP_FORMAT_GA8);
	const uint8_t px[] = {10, 255};
	fp_testing_frame_fill_pixel(ga, px);
	fp_testing_pixel(ga, 0, 0)[0] = 50; /* mean of channel 0: 15 */
	ga->input_path = "in/a,b.png";
	assert_int_equal(fp_harness_sink(h, ga, NULL), 0);
	fp_frame *rgb = fp_testing_frame_new(1, 1, FP_FORMAT_RGB8);
	rgb->input_index = 3;
	assert_int_equal(fp_harness_sink(h, rgb, NULL), 0);
	fp_harness_free(h); /* fini closes the file */

	char text[512] = "";
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	size_t n = fread(text, 1, sizeof text - 1, f);
	text[n] = '\0';
	fclose(f);
	assert_string_equal(
		text, "input,width,height,format,mean0,mean1,mean2,mean3\n"
		      "\"in/a,b.png\",4,2,GA8,15.000,255.000,,\n"
		      "frame 3,1,1,RGB8,0.000,0.000,0.000,\n");
	fp_testing_frame_free(ga);
	fp_testing_frame_free(rgb);
	unlink(path);
}

static void test_file_is_required(void **state)
{
	(void)state;
	fp_harness *h = fp_harness_new(STAGE_SO);
	assert_int_equal(fp_harness_start(h, NULL, 0, NULL), FP_EPARAM);
	assert_string_equal(fp_harness_error(h), "parameter file is required");
	fp_harness_free(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_writes_one_line_per_frame),
		cmocka_unit_test(test_file_is_required),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
