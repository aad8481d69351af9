/* The old spellings of the built-in stages' parameters (core/plugin/
 * aliases.c): each still sets what its new spelling sets, through the
 * core's loader and parameter parser as a config would; the strict
 * parser refuses it (so it really is an old spelling, not a second name
 * in the table); its note is one line naming the new spelling, printed
 * once per run. Every row of the core's table has a row here.
 * (tests/integration/test_aliases.sh runs the same through the program.) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aliases.h"
#include "loader.h"
#include "params.h"

static const struct {
	const char *stage;
	const char *param, *value;	   /* as written before */
	const char *new_param, *new_value; /* today's spelling */
} spellings[] = {
	{"alpha_flatten", "background", "#102030", "color", "#102030"},
	{"grayscale", "weights", "bt709", "luma", "bt709"},
	{"y4m_read", "matrix", "bt709", "luma", "bt709"},
	{"y4m_write", "matrix", "bt709", "luma", "bt709"},
	{"png_encode", "strategy", "default", "strategy", "full"},
	{"png_encode", "strategy", "filtered", "strategy", "long"},
	{"png_decode", "format", "rgba", "layout", "rgba"},
	{"png_decode", "format", "rgb", "layout", "rgb"},
	{"png_decode", "format", "gray", "layout", "g"},
	{"png_decode", "format", "ga", "layout", "ga"},
	{"y4m_read", "format", "auto", "format", "keep"},
	{"y4m_read", "format", "rgb", "format", "rgb8"},
	{"y4m_read", "format", "gray", "format", "g8"},
	{"y4m_write", "chroma", "mono", "chroma", "gray"},
	{"decode", "png.format", "gray", "png.layout", "g"},
	/* the generic encoder's png.* are png_encode's */
	{"encode", "png.strategy", "filtered", "png.strategy", "long"},
	{"encode", "png.strategy", "default", "png.strategy", "full"},
};

typedef struct loaded {
	fp_plugin plugin;
	void *config;
} loaded;

static void load(loaded *l, const char *stage)
{
	char err[512];
	memset(l, 0, sizeof *l);
	if (fp__plugin_find(&l->plugin, stage, err, sizeof err) != 0)
		fail_msg("%s: %s", stage, err);
	l->config = fp__params_new(l->plugin.desc, err, sizeof err);
	if (l->config == NULL)
		fail_msg("%s: %s", stage, err);
}

static void unload(loaded *l)
{
	fp__params_free(l->plugin.desc, l->config);
	fp__plugin_close(&l->plugin);
}

/* Set param of l to a value other than value, so that setting value
 * shows (the new value may be the default). */
static void set_other(loaded *l, const char *param, const char *value)
{
	const fp_param *p = fp__params_find(l->plugin.desc, param);
	if (p == NULL)
		fail_msg("%s has no parameter %s", l->plugin.desc->name, param);
	char other[64] = "black";
	if (p->type == FP_PARAM_CHOICE) {
		const char *c = p->choices;
		size_t n = strcspn(c, "|");
		if (strncmp(c, value, n) == 0 && value[n] == '\0') {
			c += n + 1;
			n = strcspn(c, "|");
		}
		snprintf(other, sizeof other, "%.*s", (int)n, c);
	} else if (strcmp(value, "black") == 0) {
		snprintf(other, sizeof other, "white");
	}
	char err[256];
	if (fp__params_set(l->plugin.desc, l->config, param, other, err,
			   sizeof err) != 0)
		fail_msg("%s = %s: %s", param, other, err);
}

/* The value param holds in l, as text, for comparing two configs. */
static void value_of(const loaded *l, const char *param, char *buf, size_t size)
{
	const fp_param *p = fp__params_find(l->plugin.desc, param);
	if (p == NULL)
		fail_msg("%s has no parameter %s", l->plugin.desc->name, param);
	const char *field = (const char *)l->config + p->offset;
	if (p->type == FP_PARAM_STRING)
		snprintf(buf, size, "'%s'", *(const char *const *)field);
	else if (p->type == FP_PARAM_CHOICE)
		snprintf(buf, size, "choice %d", *(const int *)field);
	else
		fail_msg("%s: a type this test does not compare", param);
}

static void test_old_spelling_sets_the_new(void **state)
{
	(void)state;
	for (size_t i = 0; i < FP_COUNT_OF(spellings); i++) {
		char err[512], got[256], want[256], dflt[256];
		loaded old, now;
		load(&old, spellings[i].stage);
		load(&now, spellings[i].stage);
		set_other(&old, spellings[i].new_param, spellings[i].new_value);
		value_of(&old, spellings[i].new_param, dflt, sizeof dflt);
		/* the strict parser does not know it: an old spelling */
		if (fp__params_set(old.plugin.desc, old.config,
				   spellings[i].param, spellings[i].value, err,
				   sizeof err) == 0)
			fail_msg("%s.%s = %s: still in the table",
				 spellings[i].stage, spellings[i].param,
				 spellings[i].value);
		const fp__alias *a = NULL;
		if (fp__params_set_spelled(
			    old.plugin.desc, old.config, spellings[i].param,
			    spellings[i].value, &a, err, sizeof err) != 0 ||
		    a == NULL)
			fail_msg("%s.%s = %s: refused (%s)", spellings[i].stage,
				 spellings[i].param, spellings[i].value,
				 a == NULL ? "no alias" : err);
		if (fp__params_set(
			    now.plugin.desc, now.config, spellings[i].new_param,
			    spellings[i].new_value, err, sizeof err) != 0)
			fail_msg("%s.%s = %s: %s", spellings[i].stage,
				 spellings[i].new_param, spellings[i].new_value,
				 err);
		value_of(&old, spellings[i].new_param, got, sizeof got);
		value_of(&now, spellings[i].new_param, want, sizeof want);
		if (strcmp(got, want) != 0)
			fail_msg("%s.%s = %s set %s %s, expected %s",
				 spellings[i].stage, spellings[i].param,
				 spellings[i].value, spellings[i].new_param,
				 got, want);
		/* the alias changed the value set before it */
		if (strcmp(got, dflt) == 0)
			fail_msg("%s.%s = %s left %s as it was",
				 spellings[i].stage, spellings[i].param,
				 spellings[i].value, spellings[i].new_param);
		/* today's spelling is no alias */
		assert_int_equal(fp__params_set_spelled(now.plugin.desc,
							now.config,
							spellings[i].new_param,
							spellings[i].new_value,
							&a, err, sizeof err),
				 0);
		assert_null(a);
		unload(&old);
		unload(&now);
	}
}

static void test_note_names_the_new_spelling_once(void **state)
{
	(void)state;
	fp__alias_reset_notes();
	for (size_t i = 0; i < FP_COUNT_OF(spellings); i++) {
		const fp__alias *a =
			fp__alias_find(spellings[i].stage, spellings[i].param,
				       spellings[i].value);
		assert_non_null(a);
		FILE *f = tmpfile();
		assert_non_null(f);
		bool first =
			fp__alias_note(a, "x.ini:3", "sec", spellings[i].param,
				       spellings[i].value, f);
		/* `decode`/`encode` png.* share png_*'s rows: noted once */
		bool shared = strcmp(spellings[i].stage, "encode") == 0 ||
			      strcmp(spellings[i].stage, "decode") == 0;
		assert_true(first != shared);
		assert_false(fp__alias_note(a, "x.ini:9", "sec",
					    spellings[i].param,
					    spellings[i].value, f));
		char text[512] = "";
		rewind(f);
		size_t n = fread(text, 1, sizeof text - 1, f);
		fclose(f);
		text[n] = '\0';
		if (shared) {
			assert_int_equal(n, 0);
			continue;
		}
		char old[128], now[128];
		snprintf(old, sizeof old, "sec.%s = %s", spellings[i].param,
			 spellings[i].value);
		snprintf(now, sizeof now, "is now spelled sec.%s = %s",
			 spellings[i].new_param, spellings[i].new_value);
		if (strncmp(text, "framepipe: x.ini:3: note: ", 26) != 0 ||
		    strstr(text, old) == NULL || strstr(text, now) == NULL ||
		    strchr(text, '\n') != text + n - 1)
			fail_msg("note for %s.%s: '%s'", spellings[i].stage,
				 spellings[i].param, text);
	}
}

/* Every alias of the core's table is tested above, and leads to a
 * parameter (and choice) that exists today. */
static void test_every_alias_is_covered(void **state)
{
	(void)state;
	size_t count;
	const fp__alias *table = fp__aliases(&count);
	for (size_t k = 0; k < count; k++) {
		const fp__alias *a = &table[k];
		bool covered = false;
		for (size_t i = 0; i < FP_COUNT_OF(spellings) && !covered; i++)
			covered = strcmp(spellings[i].stage, a->stage) == 0 &&
				  strcmp(spellings[i].param, a->param) == 0 &&
				  (a->value == NULL ||
				   strcmp(spellings[i].value, a->value) == 0);
		if (!covered)
			fail_msg("alias %s.%s = %s has no row in this test",
				 a->stage, a->param, a->value ? a->value : "*");
		loaded l;
		load(&l, a->stage);
		if (fp__params_find(l.plugin.desc, a->new_param) == NULL)
			fail_msg("alias %s.%s leads to %s, which %s lacks",
				 a->stage, a->param, a->new_param, a->stage);
		char err[256];
		if (a->new_value != NULL &&
		    fp__params_set(l.plugin.desc, l.config, a->new_param,
				   a->new_value, err, sizeof err) != 0)
			fail_msg("alias %s.%s = %s: %s", a->stage, a->param,
				 a->value, err);
		unload(&l);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_old_spelling_sets_the_new),
		cmocka_unit_test(test_note_names_the_new_spelling_once),
		cmocka_unit_test(test_every_alias_is_covered),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
