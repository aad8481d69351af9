/* One-line pipelines: the same config an INI file gives, quoting, and
 * errors that point at the column. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oneline.h"

static const char *value(const fp_config_section *s, const char *key)
{
	for (size_t i = 0; i < s->count; i++)
		if (strcmp(s->entries[i].key, key) == 0)
			return s->entries[i].value;
	return NULL;
}

static void test_stages_and_settings(void **state)
{
	(void)state;
	fp_config c;
	char err[256];
	assert_int_equal(fp__oneline_parse(&c,
					   "png_decode ! resize width=256 "
					   "kernel=lanczos3 workers=2 !"
					   "png_encode level=6",
					   err, sizeof err),
			 0);
	assert_string_equal(c.path, "-p");
	assert_int_equal(c.count, 3);
	assert_string_equal(c.sections[0].name, "png_decode");
	assert_string_equal(value(&c.sections[0], "stage"), "png_decode");
	assert_string_equal(value(&c.sections[1], "width"), "256");
	assert_string_equal(value(&c.sections[1], "workers"), "2");
	assert_string_equal(value(&c.sections[2], "level"), "6");
	/* Entries remember their column. */
	assert_int_equal(c.sections[1].entries[1].line, 21);
	fp__config_release(&c);
}

static void test_quotes_and_repeats(void **state)
{
	(void)state;
	fp_config c;
	char err[256];
	assert_int_equal(fp__oneline_parse(&c,
					   "testsrc ! convolve kernel='0 -1 0"
					   " -1 5 -1 0 -1 0' ! convolve "
					   "kernel=\"1 ! 1\" ! ./my/x.so a=b ! "
					   "null_sink",
					   err, sizeof err),
			 0);
	assert_int_equal(c.count, 5);
	assert_string_equal(c.sections[1].name, "convolve");
	assert_string_equal(value(&c.sections[1], "kernel"),
			    "0 -1 0 -1 5 -1 0 -1 0");
	assert_string_equal(c.sections[2].name, "convolve_2");
	assert_string_equal(value(&c.sections[2], "kernel"), "1 ! 1");
	assert_string_equal(c.sections[3].name, "x");
	assert_string_equal(value(&c.sections[3], "plugin"), "./my/x.so");
	fp__config_release(&c);
}

static void expect_error(const char *line, const char *message)
{
	fp_config c;
	char err[256] = "";
	assert_int_not_equal(fp__oneline_parse(&c, line, err, sizeof err), 0);
	assert_string_equal(err, message);
}

static void test_errors_point_at_the_column(void **state)
{
	(void)state;
	expect_error("png_decode ! resize width=\"256 ! png_encode",
		     "-p:27: unterminated quote");
	expect_error("png_decode ! resize 256 ! png_encode",
		     "-p:21: expected key=value, got '256'");
	expect_error("png_decode ! ! png_encode",
		     "-p:14: expected a stage name, got '!'");
	expect_error("png_decode ! resize =3",
		     "-p:21: expected key=value, got ''");
	expect_error("png_decode ! resize a=1 a=2", "-p:25: set twice: a");
	expect_error("png_decode !", "-p:13: expected a stage name at the end");
	expect_error("", "-p:1: expected a stage name at the end");
}

static void test_ini_round_trip(void **state)
{
	(void)state;
	fp_config c, back;
	char err[256];
	assert_int_equal(fp__oneline_parse(&c,
					   "testsrc count=3 ! convolve "
					   "kernel='1 2 1' ! null_sink",
					   err, sizeof err),
			 0);
	char *text = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&text, &size);
	assert_int_equal(fp__config_write_ini(&c, f), 0);
	fclose(f);
	assert_int_equal(
		fp__config_parse_string(&back, "x.ini", text, err, sizeof err),
		0);
	assert_int_equal(back.count, c.count);
	for (size_t i = 0; i < c.count; i++) {
		assert_string_equal(back.sections[i].name, c.sections[i].name);
		assert_int_equal(back.sections[i].count, c.sections[i].count);
		for (size_t j = 0; j < c.sections[i].count; j++)
			assert_string_equal(back.sections[i].entries[j].value,
					    c.sections[i].entries[j].value);
	}
	free(text);
	fp__config_release(&back);
	fp__config_release(&c);
	/* A value INI cannot hold is refused, not mangled. */
	assert_int_equal(fp__oneline_parse(&c, "testsrc a='x ; y' ! null_sink",
					   err, sizeof err),
			 0);
	f = fopen("/dev/null", "w");
	assert_int_not_equal(fp__config_write_ini(&c, f), 0);
	fclose(f);
	fp__config_release(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stages_and_settings),
		cmocka_unit_test(test_quotes_and_repeats),
		cmocka_unit_test(test_errors_point_at_the_column),
		cmocka_unit_test(test_ini_round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
