#include "oneline.h"

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "aliases.h"
#include "framepipe/error.h"
#include "loader.h"
#include "params.h"
#include "pipeline.h"
#include "text.h"

typedef struct cursor {
	const char *line;
	const char *p;
	char *err;
	size_t err_size;
} cursor;

static int column(const cursor *c, const char *at)
{
	return (int)(at - c->line) + 1;
}

static int fail_at(cursor *c, const char *at, const char *what,
		   const char *detail)
{
	snprintf(c->err, c->err_size, "-p:%d: %s%s", column(c, at), what,
		 detail);
	return FP_ECONFIG;
}

static void skip_space(cursor *c)
{
	while (isspace((unsigned char)*c->p))
		c->p++;
}

/* A bare or quoted word ending at space, '!' (or '=' when stop_at_equals);
 * the unquoted text goes to a new string in *word. */
static bool ends_word(const char *p, bool stop_at_equals)
{
	return *p == '\0' || isspace((unsigned char)*p) || *p == '!' ||
	       (stop_at_equals && *p == '=');
}

/* Bytes the unquoted word at p takes (quotes dropped); the scan stops at
 * an unterminated quote, which read_word reports. Keeps the parse linear:
 * each word allocates its own length, not the rest of the line. */
static size_t word_length(const char *p, bool stop_at_equals)
{
	size_t n = 0;
	while (!ends_word(p, stop_at_equals)) {
		if (*p != '\'' && *p != '"') {
			n++;
			p++;
			continue;
		}
		char quote = *p++;
		while (*p != '\0' && *p != quote) {
			n++;
			p++;
		}
		if (*p == '\0')
			break;
		p++;
	}
	return n;
}

static int read_word(cursor *c, bool stop_at_equals, char **word)
{
	size_t n = 0;
	char *out = malloc(word_length(c->p, stop_at_equals) + 1);
	if (out == NULL)
		return -ENOMEM;
	while (*c->p != '\0' && !isspace((unsigned char)*c->p) &&
	       *c->p != '!' && !(stop_at_equals && *c->p == '=')) {
		if (*c->p != '\'' && *c->p != '"') {
			out[n++] = *c->p++;
			continue;
		}
		const char *open = c->p;
		char quote = *c->p++;
		while (*c->p != '\0' && *c->p != quote)
			out[n++] = *c->p++;
		if (*c->p != quote) {
			free(out);
			return fail_at(c, open, "unterminated quote", "");
		}
		c->p++;
	}
	out[n] = '\0';
	*word = out;
	return 0;
}

static int add_section(fp_config *config, const char *label, int col)
{
	return fp__config_add_section(config, label, col) != NULL ? 0 : -ENOMEM;
}

static int add_entry(fp_config_section *s, const char *key, char *value,
		     int col)
{
	for (size_t i = 0; i < s->count; i++)
		if (strcmp(s->entries[i].key, key) == 0)
			return FP_ECONFIG;
	fp_config_entry *grown =
		realloc(s->entries, (s->count + 1) * sizeof *grown);
	if (grown == NULL)
		return -ENOMEM;
	s->entries = grown;
	grown[s->count] = (fp_config_entry){strdup(key), value, col, NULL};
	if (grown[s->count].key == NULL)
		return -ENOMEM;
	s->count++;
	return 0;
}

/* A label for the stage no earlier section has: NAME, NAME_2, ... The
 * count of earlier uses of the name gives the first number to try, so a
 * name used a thousand times costs one look-up per use, not a thousand. */
static void unique_label(const fp_config *config, const char *stage,
			 char *label, size_t size)
{
	const char *slash = strrchr(stage, '/');
	const char *base = slash != NULL ? slash + 1 : stage;
	size_t len = strcspn(base, ".");
	int uses = 0;
	for (size_t i = 0; i < config->count; i++) {
		const char *name = config->sections[i].name;
		if (strncmp(name, base, len) == 0 &&
		    (name[len] == '\0' ||
		     (name[len] == '_' &&
		      strspn(name + len + 1, "0123456789") ==
			      strlen(name + len + 1))))
			uses++;
	}
	for (int n = uses + 1;; n++) {
		if (n == 1)
			snprintf(label, size, "%.*s", (int)len, base);
		else
			snprintf(label, size, "%.*s_%d", (int)len, base, n);
		if (fp__config_find(config, label) == NULL &&
		    strcmp(label, "pipeline") != 0)
			return;
	}
}

/* A key=value where a stage name belongs (at: its start; key: read up to
 * the '='): refused, with where such a setting goes. */
static int setting_as_stage(cursor *c, const char *at, const char *key)
{
	char *value = NULL;
	c->p++; /* the '=' */
	int rc = read_word(c, false, &value);
	if (rc != 0)
		return rc;
	bool is_pipeline = fp__params_find(fp__pipeline_descriptor(), key);
	snprintf(
		c->err, c->err_size,
		"-p:%d: '%s=%s' is a setting, not a stage: %s%s%s",
		column(c, at), key, value, is_pipeline ? "use --set " : "",
		is_pipeline
			? key
			: "a stage's settings follow its name (NAME key=value)",
		is_pipeline ? "=... for [pipeline] settings" : "");
	free(value);
	return FP_ECONFIG;
}

static int parse_stage(cursor *c, fp_config *config)
{
	skip_space(c);
	const char *at = c->p;
	char *stage = NULL;
	int rc = read_word(c, true, &stage);
	if (rc == 0 && *c->p == '=')
		rc = setting_as_stage(c, at, stage);
	if (rc != 0) {
		free(stage);
		return rc;
	}
	if (stage[0] == '\0') {
		free(stage);
		return fail_at(c, at, "expected a stage name",
			       *at ? ", got '!'" : " at the end");
	}
	char label[256];
	unique_label(config, stage, label, sizeof label);
	rc = add_section(config, label, column(c, at));
	fp_config_section *s = &config->sections[config->count - 1];
	bool is_path = strchr(stage, '/') != NULL;
	if (rc == 0)
		rc = add_entry(s, is_path ? "plugin" : "stage", stage,
			       column(c, at));
	else
		free(stage);
	while (rc == 0) {
		skip_space(c);
		if (*c->p == '\0' || *c->p == '!')
			break;
		at = c->p;
		char *key = NULL, *value = NULL;
		rc = read_word(c, true, &key);
		if (rc != 0)
			break;
		if (*c->p != '=' || key[0] == '\0') {
			rc = fail_at(c, at, "expected key=value, got '", key);
			snprintf(c->err + strlen(c->err),
				 c->err_size - strlen(c->err), "'");
			free(key);
			break;
		}
		c->p++;
		rc = read_word(c, false, &value);
		if (rc == 0) {
			rc = add_entry(s, key, value, column(c, at));
			if (rc == FP_ECONFIG) {
				rc = fail_at(c, at, "set twice: ", key);
				free(value);
			}
		}
		free(key);
	}
	return rc;
}

int fp__oneline_parse(fp_config *config, const char *line, char *err,
		      size_t err_size)
{
	memset(config, 0, sizeof *config);
	cursor c = {.line = line, .p = line, .err = err, .err_size = err_size};
	config->path = strdup("-p");
	int rc = config->path == NULL ? -ENOMEM : 0;
	while (rc == 0) {
		rc = parse_stage(&c, config);
		skip_space(&c);
		if (rc != 0 || *c.p == '\0')
			break;
		c.p++; /* the '!' */
	}
	if (rc == -ENOMEM)
		snprintf(err, err_size, "-p: out of memory");
	if (rc != 0)
		fp__config_release(config);
	return rc;
}

/* True when section s names a stage that loads and is a filter; a stage
 * that does not load is left for fp__pipeline_from_config to report. */
static bool is_filter(const fp_config_section *s)
{
	const char *stage = NULL, *plugin = NULL;
	for (size_t i = 0; i < s->count; i++) {
		if (strcmp(s->entries[i].key, "stage") == 0)
			stage = s->entries[i].value;
		else if (strcmp(s->entries[i].key, "plugin") == 0)
			plugin = s->entries[i].value;
	}
	char why[512];
	fp_plugin p;
	if ((stage == NULL) == (plugin == NULL) ||
	    (stage ? fp__plugin_find(&p, stage, why, sizeof why)
		   : fp__plugin_open(&p, plugin, why, sizeof why)) != 0)
		return false;
	bool filter = p.desc->kind == FP_STAGE_FILTER;
	fp__plugin_close(&p);
	return filter;
}

/* Put [name] with stage = name at index at, at line (column) 1. */
static int insert_stage(fp_config *config, size_t at, const char *name)
{
	fp_config_entry *e = malloc(sizeof *e);
	char *key = strdup("stage"), *value = strdup(name);
	fp_config_section *s = e && key && value
				       ? fp__config_add_section(config, name, 1)
				       : NULL;
	if (s == NULL) {
		free(e);
		free(key);
		free(value);
		return -ENOMEM;
	}
	*e = (fp_config_entry){key, value, 1, NULL};
	s->entries = e;
	s->count = 1;
	fp_config_section added = *s;
	memmove(&config->sections[at + 1], &config->sections[at],
		(config->count - 1 - at) * sizeof added);
	config->sections[at] = added;
	return 0;
}

int fp__oneline_complete(fp_config *config, char *err, size_t err_size)
{
	size_t first = config->count, last = config->count;
	for (size_t i = 0; i < config->count; i++) {
		if (strcmp(config->sections[i].name, "pipeline") == 0)
			continue;
		first = first < config->count ? first : i;
		last = i;
	}
	if (first == config->count)
		return 0;
	/* a section of that label already: the order check says what is
	 * wrong, not a second [decode] */
	bool decode = is_filter(&config->sections[first]) &&
		      fp__config_find(config, "decode") == NULL;
	bool encode = is_filter(&config->sections[last]) &&
		      fp__config_find(config, "encode") == NULL;
	int rc = encode ? insert_stage(config, last + 1, "encode") : 0;
	if (rc == 0 && decode)
		rc = insert_stage(config, first, "decode");
	if (rc != 0)
		snprintf(err, err_size, "%s: out of memory", config->path);
	return rc;
}

/* INI values are trimmed and ';' starts a comment: such values cannot be
 * written back faithfully. */
static bool ini_safe(const char *v)
{
	size_t n = strlen(v);
	return strpbrk(v, ";\n\r") == NULL &&
	       (n == 0 || (!isspace((unsigned char)v[0]) &&
			   !isspace((unsigned char)v[n - 1])));
}

/* The name aliases are looked up under for section s: "pipeline", or
 * the built-in stage it names (a plugin has no old spellings). */
static const char *alias_scope(const fp_config_section *s)
{
	if (strcmp(s->name, "pipeline") == 0)
		return "pipeline";
	for (size_t j = 0; j < s->count; j++)
		if (strcmp(s->entries[j].key, "stage") == 0)
			return s->entries[j].value;
	return NULL;
}

int fp__config_write_ini(const fp_config *config, FILE *out)
{
	for (size_t i = 0; i < config->count; i++) {
		const fp_config_section *s = &config->sections[i];
		const char *scope = alias_scope(s);
		fprintf(out, "%s[%s]\n", i ? "\n" : "", s->name);
		for (size_t j = 0; j < s->count; j++) {
			const char *key = s->entries[j].key;
			const char *value = s->entries[j].value;
			/* old spellings are written as they are spelled now */
			const fp__alias *a =
				scope ? fp__alias_find(scope, key, value)
				      : NULL;
			char name[128];
			if (a != NULL) {
				fp__alias_apply(a, key, value, name,
						sizeof name, &value);
				key = name;
			}
			if (!ini_safe(value))
				return FP_ECONFIG;
			fprintf(out, "%s = %s\n", key, value);
		}
	}
	return 0;
}

/* The shown line: at most this many columns after the indent. */
#define SHOW_COLUMNS 76

/* Columns the bytes [from, to) of line take once escaped: a control
 * byte is 2 or 4, a UTF-8 character 1. */
static size_t shown_width(const char *from, const char *to)
{
	size_t w = 0;
	for (const unsigned char *p = (const unsigned char *)from;
	     p < (const unsigned char *)to; p++)
		w += *p == '\n' || *p == '\t'  ? 2
		     : *p < 0x20 || *p == 0x7f ? 4
		     : (*p & 0xc0) == 0x80     ? 0
					       : 1;
	return w;
}

/* The first byte at or after p that starts a character. */
static const char *char_start(const char *p)
{
	while ((*(const unsigned char *)p & 0xc0) == 0x80)
		p++;
	return p;
}

void fp__oneline_show_column(FILE *f, const char *line, const char *err)
{
	char *end;
	if (line == NULL || strncmp(err, "-p:", 3) != 0)
		return;
	long col = strtol(err + 3, &end, 10);
	size_t len = strlen(line);
	if (end == err + 3 || *end != ':' || col < 1 || (size_t)col > len + 1)
		return;
	const char *at = line + col - 1, *from = line, *to = line + len;
	/* A long line: a window around the column, "..." where cut. */
	while (shown_width(from, at) > SHOW_COLUMNS / 2 &&
	       shown_width(from, to) > SHOW_COLUMNS - 6)
		from = char_start(from + 1);
	while (shown_width(from, to) > SHOW_COLUMNS - 6 && to > at + 1)
		to--;
	char *text = strndup(from, (size_t)(to - from));
	if (text == NULL)
		return;
	bool cut_head = from > line, cut_tail = to < line + len;
	fputs(cut_head ? "  ..." : "  ", f);
	fp__put_escaped(f, text);
	fputs(cut_tail ? "...\n" : "\n", f);
	fprintf(f, "  %*s^\n",
		(int)(shown_width(from, at) + (cut_head ? 3 : 0)), "");
	free(text);
}
