/* The plugin loader refuses every broken descriptor with a message that
 * names the file, loads plugins built against an older minor, keeps
 * built-in names reserved, and finds built-in stages by name. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "loader.h"

static void expect_refused(const char *file, const char *message)
{
	char path[1024], err[1024] = "";
	snprintf(path, sizeof path, "%s/%s", FIXTURE_DIR, file);
	fp_plugin plugin;
	assert_int_not_equal(fp__plugin_open(&plugin, path, err, sizeof err),
			     0);
	if (strncmp(err, path, strlen(path)) != 0 ||
	    strstr(err, message) == NULL)
		fail_msg("expected '%s: ...%s...', got '%s'", path, message,
			 err);
	assert_null(plugin.handle);
}

static void test_refuses_broken_plugins(void **state)
{
	(void)state;
	expect_refused("fixture_major.so",
		       "built for framepipe ABI 2.0, this framepipe loads ABI "
		       "1.x (rebuild the plugin)");
	expect_refused("fixture_minor.so",
		       "built for framepipe ABI 1.3, newer than this "
		       "framepipe's 1.2 (upgrade framepipe)");
	expect_refused("fixture_short.so",
		       "descriptor is 24 bytes, ABI 1.2 needs at least");
	expect_refused("fixture_truncated.so",
		       "descriptor is 16 bytes, ABI 1.2 needs at least ");
	expect_refused("fixture_collision.so",
		       "stage 'passthrough' has the name of the built-in "
		       "stage ");
	expect_refused("fixture_noprocess.so",
		       "descriptor has no process function");
	expect_refused("fixture_nodescriptor.so",
		       "not a framepipe stage (no 'framepipe_stage' symbol");
	expect_refused("fixture_overflow.so",
		       "stage fixture_overflow: parameter width (integer, 8 "
		       "bytes at offset 8) lies outside its 12-byte config "
		       "struct");
	expect_refused("no_such_file.so", "cannot load");
}

static void test_opens_a_good_plugin(void **state)
{
	(void)state;
	char path[1024], err[1024] = "";
	snprintf(path, sizeof path, "%s/misbehaving_filter.so", FIXTURE_DIR);
	fp_plugin plugin;
	assert_int_equal(fp__plugin_open(&plugin, path, err, sizeof err), 0);
	assert_string_equal(plugin.desc->name, "misbehaving_filter");
	assert_int_equal(plugin.desc->kind, FP_STAGE_FILTER);
	assert_string_equal(plugin.path, path);
	fp__plugin_close(&plugin);
}

/* A plugin built against ABI 1.0 loads; the 1.1 fields it does not have
 * read as absent, and nothing past its struct_size is read (its object
 * ends there). */
static void test_loads_an_older_minor(void **state)
{
	(void)state;
	char path[1024], err[1024] = "";
	snprintf(path, sizeof path, "%s/fixture_oldminor.so", FIXTURE_DIR);
	fp_plugin plugin;
	assert_int_equal(fp__plugin_open(&plugin, path, err, sizeof err), 0);
	assert_int_equal(plugin.desc->abi_minor, 0);
	assert_int_equal(plugin.desc->struct_size,
			 offsetof(fp_stage_descriptor, description));
	assert_string_equal(plugin.desc->name, "fixture_oldminor");
	assert_non_null(plugin.desc->process);
	assert_null(plugin.desc->description);
	fp__plugin_close(&plugin);
}

/* A file on FRAMEPIPE_PLUGIN_PATH with a built-in's name is refused, not
 * silently shadowed by the built-in. */
static void test_refuses_a_shadowing_plugin(void **state)
{
	(void)state;
	char dir[] = "/tmp/fp-test-loader-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char link[1200], target[1024], err[1024] = "";
	snprintf(link, sizeof link, "%s/passthrough.so", dir);
	snprintf(target, sizeof target, "%s/fixture_collision.so", FIXTURE_DIR);
	assert_int_equal(symlink(target, link), 0);
	const char *saved = getenv("FRAMEPIPE_PLUGIN_PATH");
	char *old = saved != NULL ? strdup(saved) : NULL;
	char path[2048];
	snprintf(path, sizeof path, "%s:%s", old ? old : "", dir);
	setenv("FRAMEPIPE_PLUGIN_PATH", path, 1);

	fp_plugin plugin;
	assert_int_equal(
		fp__plugin_find(&plugin, "passthrough", err, sizeof err),
		FP_EABI);
	if (strncmp(err, link, strlen(link)) != 0 ||
	    strstr(err, "stage 'passthrough' has the name of the built-in "
			"stage ") == NULL)
		fail_msg("unexpected message '%s'", err);
	assert_null(plugin.handle);

	if (old != NULL)
		setenv("FRAMEPIPE_PLUGIN_PATH", old, 1);
	else
		unsetenv("FRAMEPIPE_PLUGIN_PATH");
	free(old);
	unlink(link);
	rmdir(dir);
}

static void test_finds_by_name(void **state)
{
	(void)state;
	char err[1024] = "";
	fp_plugin plugin;
	/* ctest puts the build's stage folder on FRAMEPIPE_PLUGIN_PATH. */
	assert_int_equal(
		fp__plugin_find(&plugin, "passthrough", err, sizeof err), 0);
	assert_string_equal(plugin.desc->name, "passthrough");
	fp__plugin_close(&plugin);
	assert_int_equal(
		fp__plugin_find(&plugin, "no_such_stage", err, sizeof err),
		FP_ENOSTAGE);
	assert_non_null(strstr(err, "no stage named 'no_such_stage'"));
	assert_int_equal(
		fp__plugin_find(&plugin, "../passthrough", err, sizeof err),
		FP_ENOSTAGE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_refuses_broken_plugins),
		cmocka_unit_test(test_opens_a_good_plugin),
		cmocka_unit_test(test_loads_an_older_minor),
		cmocka_unit_test(test_refuses_a_shadowing_plugin),
		cmocka_unit_test(test_finds_by_name),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
