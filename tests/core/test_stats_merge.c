/* stats-merge and its JSON reader: what --stats-json writes is read back
 * and summed; malformed files and different pipelines are refused with
 * the file's name. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "framepipe/error.h"
#include "json.h"
#include "stats_merge.h"

static void test_json_values(void **state)
{
	(void)state;
	const char *text =
		" {\"a\": [1, -2.5e3, true, false, null], \"s\": "
		"\"q\\\"\\\\\\/\\n\\u00e9\\ud83d\\ude00\", \"o\": {}} ";
	char err[128];
	fp_json v;
	assert_int_equal(fp__json_parse(&v, text, strlen(text), err, 128), 0);
	const fp_json *a = fp__json_get(&v, "a");
	assert_non_null(a);
	assert_int_equal(a->count, 5);
	assert_true(a->item[1].number == -2500);
	assert_true(a->item[2].boolean);
	assert_false(a->item[3].boolean);
	assert_int_equal(a->item[4].type, FP_JSON_NULL);
	assert_string_equal(fp__json_get(&v, "s")->string,
			    "q\"\\/\n\xc3\xa9\xf0\x9f\x98\x80");
	assert_int_equal(fp__json_get(&v, "o")->count, 0);
	assert_null(fp__json_get(&v, "missing"));
	fp__json_free(&v);
}

static void test_json_errors(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"",	 "{",	     "[1,]",	    "{\"a\" 1}", "{a:1}",
		"\"abc", "[1] 2",    "tru",	    "\"\\x\"",	 "\"\\u12\"",
		"[01x]", "\"\x01\"", "\"\\u0000\"",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char err[128] = "";
		fp_json v;
		assert_int_equal(
			fp__json_parse(&v, bad[i], strlen(bad[i]), err, 128),
			FP_ECORRUPT);
		assert_non_null(strstr(err, "expected"));
	}
	char deep[200];
	memset(deep, '[', sizeof deep);
	char err[128];
	fp_json v;
	assert_int_equal(fp__json_parse(&v, deep, sizeof deep, err, 128),
			 FP_ECORRUPT);
}

static char dir[] = "/tmp/fp_stats_XXXXXX";

static const char *file_with(const char *name, const char *text)
{
	static char paths[8][256];
	static int next;
	char *p = paths[next++ % 8];
	snprintf(p, 256, "%s/%s", dir, name);
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return p;
}

/* merge into a string (static) or NULL with err. */
static const char *merge(const char *const *paths, size_t n, char *err)
{
	static char out[4096];
	FILE *f = fmemopen(out, sizeof out, "w");
	int rc = fp__stats_merge(paths, n, f, err, 256);
	fclose(f);
	return rc == 0 ? out : NULL;
}

#define SHARD(total, ok, failed, fails, frames, busy, wall)                    \
	"{\"frames\":{\"total\":" #total ",\"ok\":" #ok ",\"failed\":" #failed \
	"},\"failures\":[" fails "],\"stages\":[{\"name\":\"decode\","         \
	"\"stage\":\"png_decode\",\"workers\":1,\"frames\":" #frames           \
	",\"busy_s\":" #busy ",\"pids\":[11]},{\"name\":\"encode\",\"stage\":" \
	"\"png_encode\",\"workers\":2,\"frames\":" #ok                         \
	",\"busy_s\":1.5,\"pids\":[12,13],\"warnings\":3,\"errors\":1,"        \
	"\"warnings_by_instance\":[1,2],\"errors_by_instance\":[1,0]}],"       \
	"\"pool\":{\"slots\":9,"                                               \
	"\"slot_bytes\":4096},\"wall_s\":" #wall "}\n"

static void test_merge(void **state)
{
	(void)state;
	char err[256];
	const char *paths[] = {
		file_with("a.json",
			  SHARD(3, 2, 1,
				"{\"input\":\"in/x \\\"q\\\".png\",\"stage\":"
				"\"decode\",\"reason\":\"bad CRC\"}",
				3, 0.25, 2.0)),
		file_with("b.json", SHARD(4, 4, 0, "", 4, 0.5, 3.5)),
		file_with("empty.json",
			  "{\"frames\":{\"total\":0,\"ok\":0,\"failed\":0},"
			  "\"failures\":[],\"stages\":[{\"name\":\"decode\","
			  "\"stage\":\"png_decode\",\"workers\":0,\"frames\":0,"
			  "\"busy_s\":0.000000,\"pids\":[]},{\"name\":\"x\","
			  "\"stage\":\"y\",\"workers\":0,\"frames\":0,"
			  "\"busy_s\":0,\"pids\":[]}],\"wall_s\":0.000000}"),
	};
	const char *out = merge(paths, 3, err);
	assert_non_null(out);
	assert_string_equal(
		out,
		"{\"shards\":3,\"frames\":{\"total\":7,\"ok\":6,\"failed\":"
		"1},\"failures\":[{\"input\":\"in/x \\\"q\\\".png\","
		"\"stage\":\"decode\",\"reason\":\"bad CRC\"}],\"stages\":"
		"[{\"name\":\"decode\",\"stage\":\"png_decode\","
		"\"workers\":2,\"frames\":7,\"busy_s\":0.750000,"
		"\"mean_ms\":107.143,\"warnings\":0,\"errors\":0},{\"name\":"
		"\"encode\",\"stage\":\"png_encode\",\"workers\":4,"
		"\"frames\":6,\"busy_s\":3.000000,\"mean_ms\":500.000,"
		"\"warnings\":6,\"errors\":2}],"
		"\"pool\":{\"slots\":9,"
		"\"slot_size\":4096,\"slot_bytes\":4096},\"wall_s\":3.500000,"
		"\"frames_per_s\":1.714,\"outcome\":\"some_failed\"}"
		"\n");
}

/* A shard's own outcome, and the files and folders it did not read. */
static void test_merge_outcome_and_not_read(void **state)
{
	(void)state;
	char err[256];
	static const char *const cases[][3] = {
		/* two shards' outcomes and failures, the merged outcome */
		{"ok", "ok", "ok"},
		{"images_not_read", "ok", "images_not_read"},
		{"ok", "interrupted", "interrupted"},
		{"interrupted", "run_failed", "run_failed"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char a[256], b[256], want[64];
		snprintf(a, sizeof a,
			 "{\"frames\":{\"ok\":1,\"failed\":0},\"failures\":"
			 "[],\"stages\":[],\"wall_s\":1,\"outcome\":\"%s\"}",
			 cases[i][0]);
		snprintf(b, sizeof b,
			 "{\"frames\":{\"ok\":1,\"failed\":0},\"failures\":"
			 "[],\"stages\":[],\"wall_s\":1,\"outcome\":\"%s\"}",
			 cases[i][1]);
		const char *paths[] = {file_with("a.json", a),
				       file_with("b.json", b)};
		const char *out = merge(paths, 2, err);
		assert_non_null(out);
		snprintf(want, sizeof want, "\"outcome\":\"%s\"", cases[i][2]);
		if (strstr(out, want) == NULL)
			fail_msg("%s + %s: expected %s in %s", cases[i][0],
				 cases[i][1], want, out);
	}
	/* all failed across shards; some failed when one shard wrote */
	const char *all[] = {
		file_with("f1.json", "{\"frames\":{\"ok\":0,\"failed\":2},"
				     "\"failures\":[],\"stages\":[]}"),
		file_with("f2.json", "{\"frames\":{\"ok\":0,\"failed\":1},"
				     "\"failures\":[],\"stages\":[]}"),
		file_with("f3.json", "{\"frames\":{\"ok\":4,\"failed\":0},"
				     "\"failures\":[],\"stages\":[]}"),
	};
	const char *out = merge(all, 2, err);
	assert_non_null(strstr(out, "\"outcome\":\"all_failed\""));
	out = merge(all, 3, err);
	assert_non_null(strstr(out, "\"outcome\":\"some_failed\""));
	/* not_read and folders_not_read: counts summed, lists joined */
	const char *nr[] = {
		file_with("n1.json",
			  "{\"frames\":{\"ok\":1,\"failed\":0},\"failures\":"
			  "[],\"stages\":[],\"not_read\":{\"count\":2,"
			  "\"images\":1,\"ignored\":false,\"files\":[{\"path\":"
			  "\"a/x.gif\",\"kind\":\"GIF\"},{\"path\":\"a/n.txt\","
			  "\"kind\":null}]},\"folders_not_read\":{\"count\":0,"
			  "\"folders\":[]}}"),
		file_with("n2.json",
			  "{\"frames\":{\"ok\":1,\"failed\":0},\"failures\":"
			  "[],\"stages\":[],\"not_read\":{\"count\":1,"
			  "\"images\":0,\"ignored\":false,\"files\":[{\"path\":"
			  "\"b/r.md\",\"kind\":null}]},\"folders_not_read\":{"
			  "\"count\":1,\"folders\":[{\"path\":\"b/closed\","
			  "\"reason\":\"Permission denied\"}]}}"),
	};
	out = merge(nr, 2, err);
	assert_non_null(out);
	assert_non_null(strstr(
		out, ",\"not_read\":{\"count\":3,\"images\":1,\"ignored\":"
		     "false,\"files\":[{\"path\":\"a/x.gif\",\"kind\":\"GIF\"},"
		     "{\"path\":\"a/n.txt\",\"kind\":null},{\"path\":"
		     "\"b/r.md\",\"kind\":null}]},\"folders_not_read\":{"
		     "\"count\":1,\"folders\":[{\"path\":\"b/closed\","
		     "\"reason\":\"Permission denied\"}]}}"));
}

/* The slot size is "slot_size" (as [pipeline] names it) since 1.3; a file
 * of an older framepipe has only "slot_bytes": both are read, the new
 * name first, and both are written. */
static void test_merge_slot_size_names(void **state)
{
	(void)state;
	char err[256];
	static const char *const pools[][2] = {
		/* pool of the first file, expected slot size of the merge */
		{"{\"slots\":2,\"slot_size\":8192,\"slot_bytes\":8192}",
		 "8192"},
		{"{\"slots\":2,\"slot_size\":8192}", "8192"},
		{"{\"slots\":2,\"slot_bytes\":8192}", "8192"},
		{"{\"slots\":2,\"slot_size\":100,\"slot_bytes\":8192}", "4096"},
	};
	for (size_t i = 0; i < sizeof pools / sizeof pools[0]; i++) {
		char first[512], want[128];
		snprintf(first, sizeof first,
			 "{\"frames\":{\"total\":1,\"ok\":1,\"failed\":0},"
			 "\"failures\":[],\"stages\":[],\"pool\":%s,"
			 "\"wall_s\":1}",
			 pools[i][0]);
		const char *paths[] = {
			file_with("new.json", first),
			file_with("old.json", SHARD(1, 1, 0, "", 1, 0.5, 1)),
		};
		const char *out = merge(paths, 2, err);
		assert_non_null(out);
		snprintf(want, sizeof want,
			 "\"slot_size\":%s,\"slot_bytes\":%s}", pools[i][1],
			 pools[i][1]);
		if (strstr(out, want) == NULL)
			fail_msg("pool %s: expected %s in %s", pools[i][0],
				 want, out);
	}
}

static void test_merge_refuses(void **state)
{
	(void)state;
	char err[256];
	const char *ok = file_with("ok.json", SHARD(1, 1, 0, "", 1, 0.1, 1));
	const char *other = file_with(
		"other.json",
		"{\"frames\":{\"total\":1},\"failures\":[],\"stages\":[{"
		"\"name\":\"decode\",\"stage\":\"png_decode\",\"workers\":1},"
		"{\"name\":\"encode\",\"stage\":\"null_sink\",\"workers\":1}]"
		"}");
	const char *paths[] = {ok, other};
	assert_null(merge(paths, 2, err));
	assert_non_null(strstr(err, "other.json: stage 2 is 'encode' "
				    "(null_sink), in "));
	assert_non_null(strstr(err, "not the same pipeline"));

	paths[1] = file_with("trace.json", "[{\"ph\":\"X\"}]");
	assert_null(merge(paths, 2, err));
	assert_non_null(
		strstr(err, "trace.json: not a framepipe --stats-json"));

	paths[1] = file_with("cut.json", "{\"frames\":{\"total\":1");
	assert_null(merge(paths, 2, err));
	assert_non_null(strstr(err, "cut.json: byte 20: expected"));

	paths[1] = "/nonexistent/x.json";
	assert_null(merge(paths, 2, err));
	assert_string_equal(err,
			    "/nonexistent/x.json: No such file or directory");
}

static int setup(void **state)
{
	(void)state;
	return mkdtemp(dir) == NULL ? -1 : 0;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_values),
		cmocka_unit_test(test_json_errors),
		cmocka_unit_test(test_merge),
		cmocka_unit_test(test_merge_slot_size_names),
		cmocka_unit_test(test_merge_outcome_and_not_read),
		cmocka_unit_test(test_merge_refuses),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
