/* The built-in filters' check() and shape(), called as the core calls them
 * before the run: the stage loaded by the core's loader, its parameters
 * parsed from text by the core's parser, then the descriptor's functions
 * on the parsed struct. check must refuse every invalid structured value
 * and every invalid combination, naming the parameter first ("param:
 * why", the core prefixes file, line and section), and accept the valid
 * ones; shape must give the output the planner sizes slots from.
 * (tests/integration/test_check_table.sh runs the same mistakes through
 * `framepipe check` and `run`.) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "loader.h"
#include "params.h"

typedef struct loaded {
	fp_plugin plugin;
	void *config;
} loaded;

/* Load stage and set the NULL-terminated name, value pairs; every set
 * must be accepted (the table parser is not what is tested here). */
static void load(loaded *l, const char *stage, const char *const *params)
{
	char err[512];
	memset(l, 0, sizeof *l);
	if (fp__plugin_find(&l->plugin, stage, err, sizeof err) != 0)
		fail_msg("%s: %s", stage, err);
	l->config = fp__params_new(l->plugin.desc, err, sizeof err);
	if (l->config == NULL)
		fail_msg("%s: %s", stage, err);
	for (const char *const *p = params; p[0] != NULL; p += 2)
		if (fp__params_set(l->plugin.desc, l->config, p[0], p[1], err,
				   sizeof err) != 0)
			fail_msg("%s.%s = '%s' refused by the table: %s", stage,
				 p[0], p[1], err);
}

static void unload(loaded *l)
{
	fp__params_free(l->plugin.desc, l->config);
	fp__plugin_close(&l->plugin);
}

static const struct {
	const char *stage;
	const char *params[7];
	const char *error; /* the start of check's message; NULL: valid */
} checks[] = {
	/* resize: a size, and scale or width/height, not both */
	{"resize", {NULL}, "width: needs a size"},
	{"resize", {"width", "0", "height", "0", NULL}, "width: needs a size"},
	{"resize", {"scale", "0.5", "width", "100", NULL}, "scale: "},
	{"resize", {"scale", "2", "height", "5", NULL}, "scale: "},
	{"resize", {"width", "100", NULL}, NULL},
	{"resize", {"scale", "0.5", NULL}, NULL},
	{"resize", {"width", "9", "height", "7", "fit", "cover", NULL}, NULL},
	/* pad, alpha_flatten: colours */
	{"pad", {"color", "navy", NULL}, "color: colour 'navy'"},
	{"pad", {"color", "#12345", NULL}, "color: "},
	{"pad", {"color", "", NULL}, "color: "},
	{"pad", {"color", "#11112222333g", NULL}, "color: "},
	{"pad", {"color", "#0000ff", NULL}, NULL},
	{"pad", {"color", "#1111222233334444", NULL}, NULL},
	{"pad", {NULL}, NULL},
	{"alpha_flatten", {"color", "beige", NULL}, "color: "},
	{"alpha_flatten", {"color", "#gggggg", NULL}, "color: "},
	{"alpha_flatten", {"color", "#ff", NULL}, "color: "},
	{"alpha_flatten", {"color", "transparent", NULL}, NULL},
	{"alpha_flatten", {"color", "#abc", NULL}, NULL},
	/* channel_mixer: 9 numbers within -64..64 */
	{"channel_mixer", {"matrix", "1 0 0", NULL}, "matrix: expected 9"},
	{"channel_mixer",
	 {"matrix", "1 0 0 0 1 0 0 0 1 0", NULL},
	 "matrix: more than 9"},
	{"channel_mixer", {"matrix", "1 0 0 0 x 0 0 0 1", NULL}, "matrix: "},
	{"channel_mixer",
	 {"matrix", "100 0 0 0 1 0 0 0 1", NULL},
	 "matrix: coefficient 100"},
	{"channel_mixer", {"matrix", "nan 0 0 0 1 0 0 0 1", NULL}, "matrix: "},
	{"channel_mixer", {"matrix", "", NULL}, "matrix: expected 9"},
	{"channel_mixer", {"matrix", "0,0,1 0,1,0 1,0,0", NULL}, NULL},
	{"channel_mixer", {"preset", "sepia", NULL}, NULL},
	/* convolve: a square kernel whose weights fit */
	{"convolve", {"kernel", "1 2 3 4", NULL}, "kernel: expected 1, 9"},
	{"convolve", {"kernel", "", NULL}, "kernel: expected 1, 9"},
	{"convolve", {"kernel", "1 1 1 1 1 1 1 1 q", NULL}, "kernel: "},
	{"convolve",
	 {"kernel", "300", "divisor", "1", NULL},
	 "kernel: weight 300"},
	{"convolve",
	 {"kernel", "1 1 1 1 1 1 1 1 1", "divisor", "0.001", NULL},
	 "kernel: weight"},
	{"convolve", {"kernel", "0 -1 0 -1 5 -1 0 -1 0", NULL}, NULL},
	{"convolve", {"kernel", "1 -1 0 0 0 0 0 0 0", NULL}, NULL},
	/* levels: a non-empty input range */
	{"levels", {"in_black", "100", "in_white", "100", NULL}, "in_white: "},
	{"levels", {"in_black", "200", "in_white", "100", NULL}, "in_white: "},
	{"levels", {"in_black", "10", "in_white", "11", NULL}, NULL},
	/* crop: without a gravity the corner cannot be negative */
	{"crop", {"x", "-1", NULL}, "x: -1"},
	{"crop", {"x", "3", "y", "-2", NULL}, "y: -2"},
	{"crop", {"gravity", "southeast", "x", "-1", "y", "-1", NULL}, NULL},
	{"crop", {"width", "10", "height", "10", NULL}, NULL},
};

static void test_checks(void **state)
{
	(void)state;
	for (size_t i = 0; i < FP_COUNT_OF(checks); i++) {
		loaded l;
		load(&l, checks[i].stage, checks[i].params);
		const fp_stage_descriptor *d = l.plugin.desc;
		if (d->check == NULL)
			fail_msg("%s has no check", checks[i].stage);
		char err[512] = "";
		int rc = d->check(l.config, err, sizeof err);
		const char *want = checks[i].error;
		if (want == NULL && rc != 0)
			fail_msg("row %zu: %s refused a valid config: %s", i,
				 checks[i].stage, err);
		if (want != NULL && rc != FP_EPARAM)
			fail_msg("row %zu: %s: check gave %d, not FP_EPARAM "
				 "(expected '%s...')",
				 i, checks[i].stage, rc, want);
		if (want != NULL && strncmp(err, want, strlen(want)) != 0)
			fail_msg("row %zu: %s: '%s' does not start with '%s'",
				 i, checks[i].stage, err, want);
		unload(&l);
	}
}

/* init refuses what check refuses (a core or harness that did not call
 * check still never runs an invalid config). */
static void test_init_agrees(void **state)
{
	(void)state;
	for (size_t i = 0; i < FP_COUNT_OF(checks); i++) {
		if (checks[i].error == NULL)
			continue;
		loaded l;
		load(&l, checks[i].stage, checks[i].params);
		const fp_stage_descriptor *d = l.plugin.desc;
		void *st = NULL;
		char err[512] = "";
		fp_stage_env env = {.struct_size = sizeof env, .label = "t"};
		int rc = d->init(&st, l.config, &env, err, sizeof err);
		if (rc == 0) {
			if (d->fini != NULL)
				d->fini(st);
			fail_msg("row %zu: %s: init accepted what check "
				 "refuses",
				 i, checks[i].stage);
		}
		unload(&l);
	}
}

/* A source's check (png_decode: format, or layout and depth, that
 * agree); its init is not asked to agree, the run never gets there. */
static const struct {
	const char *stage;
	const char *params[7];
	const char *error;
} source_checks[] = {
	{"png_decode",
	 {"format", "rgb8", "depth", "16", NULL},
	 "depth: 16 contradicts format = RGB8"},
	{"png_decode",
	 {"format", "rgb8", "layout", "g", NULL},
	 "layout: g contradicts format = RGB8"},
	{"png_decode",
	 {"format", "rgb16", "layout", "rgb", "depth", "16"},
	 NULL},
	{"png_decode", {"layout", "g", "depth", "16", NULL}, NULL},
};

static void test_source_checks(void **state)
{
	(void)state;
	for (size_t i = 0; i < FP_COUNT_OF(source_checks); i++) {
		loaded l;
		char err[512] = "";
		load(&l, source_checks[i].stage, source_checks[i].params);
		int rc = l.plugin.desc->check(l.config, err, sizeof err);
		const char *want = source_checks[i].error;
		if (want == NULL && rc != 0)
			fail_msg("row %zu: refused: %s", i, err);
		if (want != NULL &&
		    (rc != FP_EPARAM || strncmp(err, want, strlen(want)) != 0))
			fail_msg("row %zu: got %d '%s', expected '%s'", i, rc,
				 err, want);
		unload(&l);
	}
}

#define F(fmt) FP_FORMAT_BIT(FP_FORMAT_##fmt)

static const struct {
	const char *stage;
	const char *params[7];
	fp_shape in, out;
} shapes[] = {
	{"resize",
	 {"scale", "0.5", NULL},
	 {640, 480, F(RGB8), 0},
	 {320, 240, F(RGB8), 0}},
	{"resize",
	 {"width", "1200", NULL},
	 {640, 480, F(RGB16), 0},
	 {1200, 900, F(RGB16), 0}},
	{"resize",
	 {"height", "100", NULL},
	 {640, 480, F(G8), 0},
	 {133, 100, F(G8), 0}},
	{"resize",
	 {"width", "1200", "height", "600", "fit", "inside", NULL},
	 {640, 480, F(G8), 0},
	 {800, 600, F(G8), 0}},
	{"resize",
	 {"width", "1200", "height", "600", NULL},
	 {0, 0, F(G8), 0},
	 {1200, 600, F(G8), 0}},
	{"resize", {"scale", "2", NULL}, {0, 0, F(G8), 0}, {0, 0, F(G8), 0}},
	{"pad",
	 {"width", "600", "height", "600", NULL},
	 {300, 200, F(RGBA8) | F(G16), 0},
	 {600, 600, F(RGBA8) | F(G16), 0}},
	{"pad",
	 {"width", "600", NULL},
	 {300, 200, F(G8), 0},
	 {600, 200, F(G8), 0}},
	{"crop",
	 {"width", "30", "height", "12", NULL},
	 {300, 200, F(G8), 0},
	 {30, 12, F(G8), 0}},
	{"crop", {"x", "10", NULL}, {300, 200, F(G8), 0}, {300, 200, F(G8), 0}},
	{"rotate",
	 {"degrees", "90", NULL},
	 {300, 200, F(G8), 0},
	 {200, 300, F(G8), 0}},
	{"rotate",
	 {"degrees", "180", NULL},
	 {300, 200, F(G8), 0},
	 {300, 200, F(G8), 0}},
	{"rotate",
	 {"degrees", "270", NULL},
	 {300, 200, F(G8), 0},
	 {200, 300, F(G8), 0}},
	{"transpose", {NULL}, {300, 200, F(GA16), 0}, {200, 300, F(GA16), 0}},
	{"grayscale",
	 {NULL},
	 {300, 200, F(RGB8) | F(RGBA16) | F(GA8), 0},
	 {300, 200, F(G8) | F(GA16) | F(GA8), 0}},
	{"alpha_flatten",
	 {NULL},
	 {300, 200, F(RGBA8) | F(GA16) | F(RGB16), 0},
	 {300, 200, F(RGB8) | F(G16) | F(RGB16), 0}},
};

static void test_shapes(void **state)
{
	(void)state;
	for (size_t i = 0; i < FP_COUNT_OF(shapes); i++) {
		loaded l;
		load(&l, shapes[i].stage, shapes[i].params);
		const fp_stage_descriptor *d = l.plugin.desc;
		if (d->shape == NULL)
			fail_msg("%s has no shape", shapes[i].stage);
		fp_shape out = {7, 7, 7, 7};
		char err[256] = "";
		assert_int_equal(d->shape(l.config, &shapes[i].in, &out, err,
					  sizeof err),
				 0);
		const fp_shape *w = &shapes[i].out;
		if (out.width != w->width || out.height != w->height ||
		    out.formats != w->formats || out.reserved != 0)
			fail_msg("row %zu: %s: %ux%u formats 0x%x, expected "
				 "%ux%u 0x%x",
				 i, shapes[i].stage, out.width, out.height,
				 out.formats, w->width, w->height, w->formats);
		unload(&l);
	}
}

/* Every filter that changes size or format declares a shape (the others
 * make what they get, which a NULL shape says). */
static void test_who_has_a_shape(void **state)
{
	(void)state;
	static const char *changing[] = {
		"resize",    "crop",	  "pad",	  "rotate",
		"transpose", "grayscale", "alpha_flatten"};
	for (size_t i = 0; i < FP_COUNT_OF(changing); i++) {
		loaded l;
		load(&l, changing[i], (const char *const[]){NULL});
		assert_non_null(l.plugin.desc->shape);
		unload(&l);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_checks),
		cmocka_unit_test(test_init_agrees),
		cmocka_unit_test(test_source_checks),
		cmocka_unit_test(test_shapes),
		cmocka_unit_test(test_who_has_a_shape),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
