/* Output names from templates: every placeholder, and no way out of the
 * output folder whatever the template or the input's name. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "naming.h"

static const char *name_of(const char *template, const char *rel,
			   uint32_t index)
{
	static char buf[512];
	if (fp__output_path("out", template, rel, index, buf, sizeof buf) != 0)
		return NULL;
	return buf;
}

static void test_placeholders(void **state)
{
	(void)state;
	assert_string_equal(name_of("{stem}.png", "a.b.png", 3), "out/a.b.png");
	assert_string_equal(name_of("{stem}_{index}.{ext}", "photo.PNG", 12),
			    "out/photo_12.PNG");
	assert_string_equal(name_of("{name}", ".hidden", 0), "out/.hidden");
	assert_string_equal(name_of("{stem}_thumb.png", "x", 0),
			    "out/x_thumb.png");
	assert_string_equal(name_of("{stem}.png", NULL, 7),
			    "out/frame_000007.png");
}

static void test_dir_mirrors_the_input_tree(void **state)
{
	(void)state;
	assert_string_equal(name_of(FP_DEFAULT_OUTPUT, "2024/may/a.png", 0),
			    "out/2024/may/a.png");
	/* An empty {dir} takes its '/' with it. */
	assert_string_equal(name_of(FP_DEFAULT_OUTPUT, "a.png", 0),
			    "out/a.png");
	assert_string_equal(name_of("{dir}/small/{stem}.png", "a.png", 0),
			    "out/small/a.png");
	assert_string_equal(name_of("thumbs/{dir}/{stem}.png", "x/a.png", 0),
			    "out/thumbs/x/a.png");
}

static void test_nothing_escapes(void **state)
{
	(void)state;
	/* Inputs whose names would climb out, or make no name at all. */
	assert_null(name_of("{ext}", "x/..", 0));
	assert_null(name_of("{stem}", "..", 0));
	assert_null(name_of("{ext}", "noext", 0));
	assert_null(name_of("{stem}/{ext}", ".png", 0));
	/* Templates that would. */
	char err[256];
	static const char *const bad[] = {"../{stem}.png",
					  "/etc/{stem}",
					  "a/../../{stem}",
					  "./{stem}",
					  "a//b/{stem}",
					  "{stem}/",
					  "",
					  ".."};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (fp__output_template_check(bad[i], err, sizeof err) == 0)
			fail_msg("template '%s' was accepted", bad[i]);
		assert_non_null(strstr(err, "relative name inside the output"));
	}
	assert_int_equal(
		fp__output_template_check("{stem}.png", err, sizeof err), 0);
	assert_int_equal(
		fp__output_template_check("{dir}/{stem}.png", err, sizeof err),
		0);
}

static void test_unknown_placeholder(void **state)
{
	(void)state;
	char err[256];
	assert_int_not_equal(
		fp__output_template_check("{colour}.png", err, sizeof err), 0);
	assert_string_equal(err, "expected placeholders {stem}, {name}, {ext}, "
				 "{index}, {index:0N} or {dir}, got "
				 "'{colour}.png'");
	assert_int_not_equal(
		fp__output_template_check("{index:6}.png", err, sizeof err), 0);
	assert_int_not_equal(
		fp__output_template_check("{index:00}.png", err, sizeof err),
		0);
	assert_int_not_equal(
		fp__output_template_check("{stem.png", err, sizeof err), 0);
}

static void test_zero_padded_index(void **state)
{
	(void)state;
	assert_string_equal(name_of("frame_{index:06}.png", NULL, 42),
			    "out/frame_000042.png");
	assert_string_equal(name_of("{index:03}_{stem}.png", "a.png", 1234),
			    "out/1234_a.png");
	assert_string_equal(name_of("{index:01}.png", "a.png", 0), "out/0.png");
}

/* A {dir} deeper than 1023 bytes is kept whole (it was cut short). */
static void test_deep_dir_is_not_cut(void **state)
{
	(void)state;
	char rel[3000] = "", want[3100], out[4096];
	for (int i = 0; i < 200; i++)
		strcat(rel, "folder_xyz/"); /* 11 bytes a level: 2200 */
	strcat(rel, "a.png");
	snprintf(want, sizeof want, "out/%s", rel);
	assert_int_equal(fp__output_path("out", FP_DEFAULT_OUTPUT, rel, 0, out,
					 sizeof out),
			 0);
	assert_string_equal(out, want);
	/* Too long for the buffer: refused, not cut. */
	assert_int_not_equal(
		fp__output_path("out", FP_DEFAULT_OUTPUT, rel, 0, out, 1000),
		0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_placeholders),
		cmocka_unit_test(test_dir_mirrors_the_input_tree),
		cmocka_unit_test(test_nothing_escapes),
		cmocka_unit_test(test_unknown_placeholder),
		cmocka_unit_test(test_zero_padded_index),
		cmocka_unit_test(test_deep_dir_is_not_cut),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
