/* Config files: sections in order, lines remembered, clear errors; and
 * the pipeline built from them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdlib.h>
#include <errno.h>
#include <sched.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "task_limits.h"
#include "pipeline.h"

static void test_sections_in_file_order(void **state)
{
	(void)state;
	fp_config c;
	char err[512];
	const char *text = "; a comment\n"
			   "[pipeline]\n"
			   "slots = 8\n"
			   "\n"
			   "[decode]\n"
			   "stage = png_decode\n"
			   "[blur]\n"
			   "stage = passthrough ; inline comment\n"
			   "workers = 2\n";
	assert_int_equal(
		fp__config_parse_string(&c, "t.ini", text, err, sizeof err), 0);
	assert_int_equal(c.count, 3);
	assert_string_equal(c.sections[0].name, "pipeline");
	assert_string_equal(c.sections[1].name, "decode");
	assert_string_equal(c.sections[2].name, "blur");
	assert_int_equal(c.sections[2].count, 2);
	assert_string_equal(c.sections[2].entries[0].value, "passthrough");
	assert_int_equal(c.sections[2].entries[1].line, 9);
	assert_int_equal(c.sections[0].entries[0].line, 3);
	fp__config_release(&c);
}

static void expect_parse_error(const char *text, const char *message)
{
	fp_config c;
	char err[512] = "";
	assert_int_not_equal(
		fp__config_parse_string(&c, "bad.ini", text, err, sizeof err),
		0);
	assert_string_equal(err, message);
}

static void test_syntax_errors_name_the_line(void **state)
{
	(void)state;
	expect_parse_error(
		"[a]\nstage = x\nno equals sign here\n",
		"bad.ini:3: syntax error: expected [section] or key = value");
	expect_parse_error("[a]\nstage = x\nstage = y\n",
			   "bad.ini:3: 'stage' is set twice in [a]");
	expect_parse_error("x = 1\n",
			   "bad.ini:1: 'x' is outside any [section]");
	expect_parse_error("[a]\nk=1\n[b]\nk=2\n[a]\nj=3\n",
			   "bad.ini:6: section [a] appears twice");
	char long_line[400];
	memset(long_line, 'x', sizeof long_line);
	memcpy(long_line, "[a]\nk=", 6);
	long_line[sizeof long_line - 1] = '\0';
	expect_parse_error(long_line,
			   "bad.ini:2: line longer than 197 characters");
}

/* inih's limits and blind spots (issue 14.11): refused, never truncated
 * or merged. */
static void test_config_edges(void **state)
{
	(void)state;
	char text[512];
	/* A 60-character section name: inih would cut it to 49 and merge
	 * two such sections that differ only after that. */
	snprintf(
		text, sizeof text, "[%s]\nstage = testsrc\n",
		"s23456789012345678901234567890123456789012345678901234567890");
	expect_parse_error(text, "bad.ini:1: section name longer than 49 "
				 "characters: [s2345678901234567890...]");
	snprintf(
		text, sizeof text, "[a]\n%s = 1\n",
		"k23456789012345678901234567890123456789012345678901234567890");
	expect_parse_error(text, "bad.ini:2: key longer than 49 characters: "
				 "'k2345678901234567890...'");
	/* The same section twice in a row: inih merges it into one. */
	expect_parse_error("[a]\nk=1\n[a]\nj=2\n",
			   "bad.ini:3: section [a] appears twice");
	expect_parse_error("[a]\n[a]\nk=1\n",
			   "bad.ini:2: section [a] appears twice");
	/* 49 characters is fine. */
	snprintf(text, sizeof text, "[%s]\nk = 1\n",
		 "s234567890123456789012345678901234567890123456789");
	fp_config c;
	char err[512] = "";
	assert_int_equal(
		fp__config_parse_string(&c, "ok.ini", text, err, sizeof err),
		0);
	assert_int_equal(strlen(c.sections[0].name), 49);
	fp__config_release(&c);
	/* A NUL byte in a file: refused, not a value cut short. */
	char path[] = "/tmp/fp_nul_XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	static const char nul[] = "[a]\nk = ab\0cd\n";
	assert_int_equal(write(fd, nul, sizeof nul - 1), sizeof nul - 1);
	close(fd);
	assert_int_not_equal(fp__config_load(&c, path, err, sizeof err), 0);
	char want[600];
	snprintf(want, sizeof want, "%s:2: a NUL byte (a config is text)",
		 path);
	assert_string_equal(err, want);
	unlink(path);
}

static void test_missing_file(void **state)
{
	(void)state;
	fp_config c;
	char err[512];
	assert_int_equal(
		fp__config_load(&c, "/nonexistent/x.ini", err, sizeof err),
		-ENOENT);
	assert_string_equal(err, "/nonexistent/x.ini: cannot read config: No "
				 "such file or directory");
}

static void expect_pipeline_error(const char *text, const char *message)
{
	fp_config c;
	fp_pipeline p;
	char err[1024] = "";
	assert_int_equal(
		fp__config_parse_string(&c, "p.ini", text, err, sizeof err), 0);
	assert_int_not_equal(fp__pipeline_from_config(&p, &c, err, sizeof err),
			     0);
	if (strstr(err, message) == NULL)
		fail_msg("expected '%s' in '%s'", message, err);
	fp__config_release(&c);
}

static void test_pipeline_errors(void **state)
{
	(void)state;
	expect_pipeline_error(
		"[s]\nstage = testsrc\ncount = -1\n[k]\nstage = null_sink\n",
		"p.ini:3: s.count: expected 0..1000000000000, got '-1'");
	expect_pipeline_error(
		"[s]\nstage = testsrc\ncolour = red\n[k]\nstage = null_sink\n",
		"p.ini:3: s.colour: no such parameter of stage testsrc");
	expect_pipeline_error("[s]\nstage = tstsrc\n[k]\nstage = null_sink\n",
			      "p.ini:2: s: no stage named 'tstsrc'");
	expect_pipeline_error(
		"[s]\nstage = testsrc\n[k]\nstage = passthrough\n",
		"p.ini:4: k: stage passthrough is a filter, but a pipeline "
		"ends with a sink");
	expect_pipeline_error(
		"[s]\nstage = testsrc\nworkers = 65\n[k]\nstage = null_sink\n",
		"p.ini:3: s.workers: expected auto or 0..64, got '65'");
	expect_pipeline_error(
		"[pipeline]\nslot_size = lots\n[s]\nstage = "
		"testsrc\n[k]\nstage = null_sink\n",
		"p.ini:2: pipeline.slot_size: expected auto or a "
		"size in bytes (e.g. 4096, 64K, 16M), got 'lots'");
	expect_pipeline_error(
		"[pipeline]\noutput = ../{stem}.png\n[s]\nstage = "
		"testsrc\n[k]\nstage = null_sink\n",
		"p.ini:2: pipeline.output: expected a relative name inside the "
		"output folder (no leading '/', no '.' or '..' parts), got "
		"'../{stem}.png'");
	expect_pipeline_error("[pipeline]\nthreads = 4\n[s]\nstage = "
			      "testsrc\n[k]\nstage = null_sink\n",
			      "p.ini:2: pipeline.threads: unknown setting");
	expect_pipeline_error("[s]\nstage = testsrc\n",
			      "a pipeline needs a source and a sink");
	expect_pipeline_error("[s]\nworkers = 2\n[k]\nstage = null_sink\n",
			      "p.ini:2: [s]: expected exactly one of 'stage = "
			      "NAME' or 'plugin = PATH'");
}

static void test_pipeline_ok(void **state)
{
	(void)state;
	fp_config c;
	fp_pipeline p;
	char err[1024] = "";
	const char *text = "[pipeline]\nslots = 6\nslot_size = 64K\ndepth = 3\n"
			   "output = {stem}_x.png\n"
			   "[s]\nstage = testsrc\ncount = 5\n"
			   "[f]\nstage = passthrough\nworkers = 3\n"
			   "[k]\nstage = null_sink\n";
	assert_int_equal(
		fp__config_parse_string(&c, "p.ini", text, err, sizeof err), 0);
	assert_int_equal(fp__pipeline_from_config(&p, &c, err, sizeof err), 0);
	assert_int_equal(p.stage_count, 3);
	assert_int_equal(p.slots, 6);
	assert_int_equal(p.slot_size, 65536);
	assert_int_equal(p.depth, 3);
	assert_int_equal(p.stages[1].workers, 3);
	/* No workers given: auto, one per CPU this process may use (never
	 * more than its affinity mask; test_task_limits checks every source).
	 */
	cpu_set_t set;
	assert_int_equal(sched_getaffinity(0, sizeof set, &set), 0);
	assert_int_equal(p.stages[0].workers, fp__cpus()->cpus);
	assert_true(p.stages[0].workers <= (unsigned)CPU_COUNT(&set));
	assert_string_equal(p.stages[0].plugin.desc->name, "testsrc");
	assert_string_equal(p.output_template, "{stem}_x.png");
	fp__pipeline_release(&p);
	fp__config_release(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sections_in_file_order),
		cmocka_unit_test(test_syntax_errors_name_the_line),
		cmocka_unit_test(test_config_edges),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_pipeline_errors),
		cmocka_unit_test(test_pipeline_ok),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
