/* json_sidecar through framepipe's stage harness: the file it writes for
 * a frame, its declared extension, and a frame with no output path. */
#define _POSIX_C_SOURCE 200809L
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
#error "build with -DSTAGE_SO=\"path/to/json_sidecar.so\""
#endif

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	static char buf[4096];
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	return buf;
}

static void test_descriptor(void **state)
{
	(void)state;
	fp_harness *h = fp_harness_new(STAGE_SO);
	assert_non_null(h);
	const fp_stage_descriptor *d = fp_harness_descriptor(h);
	assert_int_equal(d->kind, FP_STAGE_SINK);
	assert_true(d->flags & FP_STAGE_WRITES_OUTPUTS);
	assert_string_equal(d->output_extension, ".json");
	fp_harness_free(h);
}

/* A 2x1 RGB frame: red 10 and 30, green 0 and 255, blue 7 and 7. */
static void test_writes_the_statistics(void **state)
{
	(void)state;
	char dir[] = "/tmp/json_sidecar.XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[256];
	snprintf(path, sizeof path, "%s/a.json", dir);
	fp_harness *h = fp_harness_new(STAGE_SO);
	assert_int_equal(fp_harness_start(h, NULL, 0, NULL), 0);
	fp_frame *in = fp_testing_frame_new(2, 1, FP_FORMAT_RGB8);
	const uint8_t px[] = {10, 0, 7, 30, 255, 7};
	fp_testing_frame_fill(in, px);
	in->input_path = "photos/a \"b\".png";
	assert_int_equal(fp_harness_sink(h, in, path), 0);
	assert_string_equal(
		slurp(path),
		"{\"input\": \"photos/a \\\"b\\\".png\", \"width\": 2, "
		"\"height\": 1, \"format\": \"RGB8\", \"channels\": "
		"[{\"min\": 10, \"max\": 30, \"mean\": 20.000}, {\"min\": 0, "
		"\"max\": 255, \"mean\": 127.500}, {\"min\": 7, \"max\": 7, "
		"\"mean\": 7.000}]}\n");
	/* Nothing but the file: the temporary one was renamed. */
	char cmd[300];
	snprintf(cmd, sizeof cmd, "test \"$(ls -A %s)\" = a.json", dir);
	assert_int_equal(system(cmd), 0);
	unlink(path);
	rmdir(dir);
	fp_testing_frame_free(in);
	fp_harness_free(h);
}

static void test_needs_an_output_path(void **state)
{
	(void)state;
	fp_harness *h = fp_harness_new(STAGE_SO);
	assert_int_equal(fp_harness_start(h, NULL, 0, NULL), 0);
	fp_frame *in = fp_testing_frame_new(2, 2, FP_FORMAT_G8);
	assert_int_equal(fp_harness_sink(h, in, NULL), FP_ECONFIG);
	assert_non_null(strstr(fp_harness_error(h), "needs -o"));
	fp_testing_frame_free(in);
	fp_harness_free(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_descriptor),
		cmocka_unit_test(test_writes_the_statistics),
		cmocka_unit_test(test_needs_an_output_path),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
