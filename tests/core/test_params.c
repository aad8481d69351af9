/* Parameters: typed parsing, ranges, choices, defaults, messages. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "params.h"

typedef struct demo_config {
	int64_t width;
	double sigma;
	bool fast;
	const char *label;
	int mode;
	uint64_t budget;
} demo_config;

static const fp_param demo_params[] = {
	FP_PARAM_INT_(demo_config, width, "256", 1, 65535, "width"),
	FP_PARAM_FLOAT_(demo_config, sigma, "1.5", 0.1, 100, "sigma"),
	FP_PARAM_BOOL_(demo_config, fast, "no", "fast"),
	FP_PARAM_STRING_(demo_config, label, "none", "label"),
	FP_PARAM_CHOICE_(demo_config, mode, "keep", "keep|rgba|rgb|gray", "m"),
	FP_PARAM_SIZE_(demo_config, budget, "1M", 1, 1e12, "bytes"),
};

static int dummy_process(void *s, fp_frame *in, fp_frame *out)
{
	(void)s;
	(void)in;
	(void)out;
	return 0;
}

static const fp_stage_descriptor demo = {
	FP_STAGE_HEADER,
	.name = "demo",
	.kind = FP_STAGE_FILTER,
	.params = demo_params,
	.param_count = FP_COUNT_OF(demo_params),
	.config_size = sizeof(demo_config),
	.process = dummy_process,
};

static void test_defaults(void **state)
{
	(void)state;
	char err[256];
	demo_config *c = fp__params_new(&demo, err, sizeof err);
	assert_non_null(c);
	assert_int_equal(c->width, 256);
	assert_true(c->sigma == 1.5);
	assert_false(c->fast);
	assert_string_equal(c->label, "none");
	assert_int_equal(c->mode, 0);
	assert_int_equal(c->budget, 1 << 20);
	fp__params_free(&demo, c);
}

static void test_valid_values(void **state)
{
	(void)state;
	char err[256];
	demo_config *c = fp__params_new(&demo, err, sizeof err);
	assert_int_equal(
		fp__params_set(&demo, c, "width", "65535", err, sizeof err), 0);
	assert_int_equal(
		fp__params_set(&demo, c, "sigma", "0.25", err, sizeof err), 0);
	assert_int_equal(
		fp__params_set(&demo, c, "fast", "ON", err, sizeof err), 0);
	assert_int_equal(
		fp__params_set(&demo, c, "label", "a b c", err, sizeof err), 0);
	assert_int_equal(
		fp__params_set(&demo, c, "mode", "gray", err, sizeof err), 0);
	assert_int_equal(
		fp__params_set(&demo, c, "budget", "64k", err, sizeof err), 0);
	assert_int_equal(c->width, 65535);
	assert_true(c->sigma == 0.25);
	assert_true(c->fast);
	assert_string_equal(c->label, "a b c");
	assert_int_equal(c->mode, 3);
	assert_int_equal(c->budget, 65536);
	fp__params_free(&demo, c);
}

static void expect_error(const char *name, const char *value,
			 const char *message)
{
	char err[256] = "";
	demo_config *c = fp__params_new(&demo, err, sizeof err);
	demo_config before = *c;
	assert_int_equal(fp__params_set(&demo, c, name, value, err, sizeof err),
			 FP_EPARAM);
	assert_string_equal(err, message);
	assert_int_equal(c->width, before.width); /* unchanged */
	assert_int_equal(c->mode, before.mode);
	fp__params_free(&demo, c);
}

static void test_errors_say_what_was_expected(void **state)
{
	(void)state;
	expect_error("width", "0", "width: expected 1..65535, got '0'");
	expect_error("width", "12px", "width: expected an integer, got '12px'");
	expect_error("width", "", "width: expected an integer, got ''");
	expect_error("width", "99999999999999999999",
		     "width: expected an integer, got '99999999999999999999'");
	expect_error("sigma", "nan", "sigma: expected a number, got 'nan'");
	expect_error("sigma", "500", "sigma: expected 0.1..100, got '500'");
	expect_error("fast", "maybe",
		     "fast: expected true or false, got 'maybe'");
	expect_error("mode", "cmyk",
		     "mode: expected one of keep|rgba|rgb|gray, got 'cmyk'");
	expect_error("mode", "rgb ",
		     "mode: expected one of keep|rgba|rgb|gray, got 'rgb '");
	expect_error("budget", "12Q",
		     "budget: expected a size in bytes (e.g. 4096, 64K, 16M), "
		     "got '12Q'");
	expect_error("colour", "red",
		     "colour: no such parameter of stage demo");
}

static void test_sizes(void **state)
{
	(void)state;
	unsigned long long b;
	assert_int_equal(fp__parse_size("4096", &b), 0);
	assert_int_equal(b, 4096);
	assert_int_equal(fp__parse_size("16M", &b), 0);
	assert_int_equal(b, 16u << 20);
	assert_int_equal(fp__parse_size("2gb", &b), 0);
	assert_int_equal(b, 2ull << 30);
	assert_int_not_equal(fp__parse_size("-1", &b), 0);
	assert_int_not_equal(fp__parse_size("1T", &b), 0);
	assert_int_not_equal(fp__parse_size("99999999999999999999G", &b), 0);
}

/* A table written by hand (the FP_PARAM_*_ macros would refuse it at
 * compile time) that stores an int64_t over a trailing int: the core
 * refuses it instead of writing 4 bytes past the 12-byte struct. */
typedef struct int_config {
	int a, b;
	int width;
} int_config;

static const fp_param int_params[] = {
	{"width", FP_PARAM_INT, offsetof(int_config, width), "7", 0, 100, NULL,
	 "an int where the core stores an int64_t"},
};

static const fp_stage_descriptor int_stage = {
	FP_STAGE_HEADER,	  .name = "ints",
	.kind = FP_STAGE_FILTER,  .params = int_params,
	.param_count = 1,	  .config_size = sizeof(int_config),
	.process = dummy_process,
};

static void test_never_writes_past_config_size(void **state)
{
	(void)state;
	char err[512] = "";
	assert_int_equal(fp__params_check_table(&int_stage, err, sizeof err),
			 FP_EABI);
	assert_non_null(strstr(err, "stage ints: parameter width (integer, 8 "
				    "bytes at offset 8) lies outside its "
				    "12-byte config struct"));
	assert_null(fp__params_new(&int_stage, err, sizeof err));
	/* Even handed a struct directly, set refuses to write. */
	int_config *c = calloc(1, sizeof *c);
	assert_non_null(c);
	assert_int_not_equal(
		fp__params_set(&int_stage, c, "width", "5", err, sizeof err),
		0);
	assert_int_equal(c->width, 0);
	free(c);
	/* The right tables pass. */
	assert_int_equal(fp__params_check_table(&demo, err, sizeof err), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_valid_values),
		cmocka_unit_test(test_errors_say_what_was_expected),
		cmocka_unit_test(test_sizes),
		cmocka_unit_test(test_never_writes_past_config_size),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
