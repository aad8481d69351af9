#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <ini.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "framepipe/error.h"
#include "suggest.h"

/* The parse in progress: where lines come from and what went wrong. */
typedef struct parse_state {
	fp_config *config;
	FILE *file; /* or text: */
	const char *text;
	int line; /* line of the chunk last handed to inih */
	bool at_line_start;
	char *err;
	size_t err_size;
	bool failed;
	/* The last section header line, as written. */
	char last_header[64];
	bool have_header;
} parse_state;

/* inih's own limits (MAX_SECTION, MAX_NAME in ini.c): longer names are
 * cut short and merged there, so they are refused here. */
#define MAX_NAME_CHARS 49

static void fail(parse_state *st, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void fail(parse_state *st, const char *fmt, ...)
{
	if (st->failed)
		return;
	st->failed = true;
	int n = snprintf(st->err, st->err_size, "%s:%d: ", st->config->path,
			 st->line);
	if (n > 0 && (size_t)n < st->err_size) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(st->err + n, st->err_size - (size_t)n, fmt, ap);
		va_end(ap);
	}
}

/* What inih cannot tell us about a whole line: a section header whose
 * name is too long or was seen before, a key too long. */
static void check_line(parse_state *st, const char *line)
{
	while (*line == ' ' || *line == '\t')
		line++;
	if (*line == '[') {
		const char *close = strchr(line, ']');
		size_t n = close != NULL ? (size_t)(close - line - 1) : 0;
		if (close == NULL)
			return; /* inih reports it */
		if (n > MAX_NAME_CHARS) {
			fail(st,
			     "section name longer than %d characters: "
			     "[%.*s...]",
			     MAX_NAME_CHARS, 20, line + 1);
			return;
		}
		/* inih merges a header repeated right after itself into one
		 * section; a later repeat is caught by section_for(). */
		if (st->have_header && strlen(st->last_header) == n &&
		    strncmp(st->last_header, line + 1, n) == 0) {
			fail(st, "section [%.*s] appears twice", (int)n,
			     line + 1);
			return;
		}
		memcpy(st->last_header, line + 1, n);
		st->last_header[n] = '\0';
		st->have_header = true;
		return;
	}
	if (*line == ';' || *line == '#')
		return;
	size_t key = strcspn(line, "=:");
	if (line[key] == '\0')
		return;
	while (key > 0 && (line[key - 1] == ' ' || line[key - 1] == '\t'))
		key--;
	if (key > MAX_NAME_CHARS)
		fail(st, "key longer than %d characters: '%.20s...'",
		     MAX_NAME_CHARS, line);
}

/* One line (or as much as fits) from the file; a NUL byte is refused
 * rather than letting it end the value silently. */
static char *read_file_line(parse_state *st, char *buf, int size)
{
	int n = 0, c = EOF;
	while (n + 1 < size && (c = getc(st->file)) != EOF) {
		if (c == '\0') {
			if (st->at_line_start)
				st->line++;
			st->at_line_start = false;
			fail(st, "a NUL byte (a config is text)");
			return NULL;
		}
		buf[n++] = (char)c;
		if (c == '\n')
			break;
	}
	buf[n] = '\0';
	return n > 0 ? buf : NULL;
}

/* fgets-like reader over a FILE or a string that counts lines for us:
 * inih's handler does not get line numbers in Debian's build. */
static char *read_chunk(char *buf, int size, void *stream)
{
	parse_state *st = stream;
	char *got;
	if (st->failed)
		return NULL;
	if (st->file != NULL) {
		got = read_file_line(st, buf, size);
	} else {
		if (*st->text == '\0')
			return NULL;
		size_t n = 0;
		while (n + 1 < (size_t)size && st->text[n] != '\0' &&
		       st->text[n] != '\n')
			n++;
		if (st->text[n] == '\n' && n + 1 < (size_t)size)
			n++;
		memcpy(buf, st->text, n);
		buf[n] = '\0';
		st->text += n;
		got = buf;
	}
	if (got == NULL)
		return NULL;
	bool was_line_start = st->at_line_start;
	if (st->at_line_start)
		st->line++;
	size_t len = strlen(buf);
	st->at_line_start = len > 0 && buf[len - 1] == '\n';
	if (!st->at_line_start && len + 1 == (size_t)size)
		fail(st, "line longer than %d characters", size - 3);
	else if (was_line_start)
		check_line(st, buf);
	return got;
}

fp_config_section *fp__config_add_section(fp_config *config, const char *name,
					  int line)
{
	fp_config_section *grown =
		realloc(config->sections, (config->count + 1) * sizeof *grown);
	if (grown == NULL)
		return NULL;
	config->sections = grown;
	fp_config_section *s = &grown[config->count];
	memset(s, 0, sizeof *s);
	s->name = strdup(name);
	if (s->name == NULL)
		return NULL;
	s->line = line;
	config->count++;
	return s;
}

static fp_config_section *section_for(parse_state *st, const char *name)
{
	fp_config *config = st->config;
	if (config->count > 0 &&
	    strcmp(config->sections[config->count - 1].name, name) == 0)
		return &config->sections[config->count - 1];
	if (fp__config_find(config, name) != NULL) {
		fail(st, "section [%s] appears twice", name);
		return NULL;
	}
	return fp__config_add_section(config, name, st->line);
}

static int on_entry(void *user, const char *section, const char *key,
		    const char *value)
{
	parse_state *st = user;
	if (st->failed)
		return 1;
	if (section[0] == '\0') {
		fail(st, "'%s' is outside any [section]", key);
		return 1;
	}
	fp_config_section *s = section_for(st, section);
	if (s == NULL) {
		fail(st, "out of memory");
		return 1;
	}
	for (size_t i = 0; i < s->count; i++) {
		if (strcmp(s->entries[i].key, key) == 0) {
			fail(st, "'%s' is set twice in [%s]", key, section);
			return 1;
		}
	}
	fp_config_entry *grown =
		realloc(s->entries, (s->count + 1) * sizeof *grown);
	if (grown == NULL) {
		fail(st, "out of memory");
		return 1;
	}
	s->entries = grown;
	fp_config_entry *e = &grown[s->count];
	e->key = strdup(key);
	e->value = strdup(value);
	e->line = st->line;
	e->origin = NULL;
	s->count++;
	if (e->key == NULL || e->value == NULL)
		fail(st, "out of memory");
	return 1;
}

static int parse(parse_state *st, const char *name)
{
	fp_config *config = st->config;
	memset(config, 0, sizeof *config);
	config->path = strdup(name);
	if (config->path == NULL)
		return -ENOMEM;
	st->at_line_start = true;
	/* Values span one line; Debian's inih lets us turn continuation
	 * lines off at run time. */
	ini_allow_multiline = false;
	int rc = ini_parse_stream(read_chunk, st, on_entry, st);
	if (rc > 0 && !st->failed) {
		st->line = rc;
		fail(st, "syntax error: expected [section] or key = value");
	}
	if (st->failed || rc != 0) {
		if (!st->failed)
			fail(st, "cannot parse");
		fp__config_release(config);
		return FP_ECONFIG;
	}
	return 0;
}

int fp__config_load(fp_config *config, const char *path, char *err,
		    size_t err_size)
{
	parse_state st = {.config = config, .err = err, .err_size = err_size};
	st.file = fopen(path, "re");
	if (st.file == NULL) {
		int e = errno;
		memset(config, 0, sizeof *config);
		snprintf(err, err_size, "%s: cannot read config: %s", path,
			 strerror(e));
		return -e;
	}
	int rc = parse(&st, path);
	fclose(st.file);
	return rc;
}

int fp__config_parse_string(fp_config *config, const char *name,
			    const char *text, char *err, size_t err_size)
{
	parse_state st = {.config = config,
			  .text = text,
			  .err = err,
			  .err_size = err_size};
	return parse(&st, name);
}

const fp_config_section *fp__config_find(const fp_config *config,
					 const char *name)
{
	for (size_t i = 0; i < config->count; i++)
		if (strcmp(config->sections[i].name, name) == 0)
			return &config->sections[i];
	return NULL;
}

int fp__config_set(fp_config *config, const char *section, const char *key,
		   const char *value, const char *origin, char *err,
		   size_t err_size)
{
	fp_config_section *s = NULL;
	for (size_t i = 0; i < config->count && s == NULL; i++)
		if (strcmp(config->sections[i].name, section) == 0)
			s = &config->sections[i];
	if (s == NULL && strcmp(section, "pipeline") != 0) {
		fp_suggest hint;
		fp__suggest_init(&hint, section);
		for (size_t i = 0; i < config->count; i++)
			fp__suggest_offer(&hint, config->sections[i].name);
		snprintf(err, err_size,
			 "%s: %s.%s: the pipeline has no section "
			 "[%s]%s%s%s",
			 origin, section, key, section,
			 fp__suggest_best(&hint) ? " (did you mean '" : "",
			 fp__suggest_best(&hint) ? fp__suggest_best(&hint) : "",
			 fp__suggest_best(&hint) ? "'?)" : "");
		return FP_ECONFIG;
	}
	if (s == NULL &&
	    (s = fp__config_add_section(config, section, 0)) == NULL)
		goto nomem;
	char *v = strdup(value);
	if (v == NULL)
		goto nomem;
	for (size_t i = 0; i < s->count; i++) {
		if (strcmp(s->entries[i].key, key) == 0) {
			free(s->entries[i].value);
			s->entries[i].value = v;
			s->entries[i].origin = origin;
			return 0;
		}
	}
	fp_config_entry *grown =
		realloc(s->entries, (s->count + 1) * sizeof *grown);
	char *k = strdup(key);
	if (grown != NULL)
		s->entries = grown;
	if (grown == NULL || k == NULL) {
		free(k);
		free(v);
		goto nomem;
	}
	grown[s->count++] = (fp_config_entry){k, v, 0, origin};
	return 0;
nomem:
	snprintf(err, err_size, "%s: out of memory", origin);
	return -ENOMEM;
}

int fp__config_set_text(fp_config *config, const char *text, const char *origin,
			char *err, size_t err_size)
{
	const char *eq = strchr(text, '=');
	const char *dot =
		memchr(text, '.', eq != NULL ? (size_t)(eq - text) : 0);
	const char *key = dot != NULL ? dot + 1 : text;
	if (eq == NULL || eq == key || (dot != NULL && dot == text)) {
		snprintf(err, err_size,
			 "%s: expected KEY=VALUE or SECTION.KEY=VALUE (e.g. "
			 "slot_size=8M, resize.width=300), got '%s'",
			 origin, text);
		return FP_ECONFIG;
	}
	char section[256], name[256];
	snprintf(section, sizeof section, "%.*s",
		 dot != NULL ? (int)(dot - text) : 8,
		 dot != NULL ? text : "pipeline");
	snprintf(name, sizeof name, "%.*s", (int)(eq - key), key);
	return fp__config_set(config, section, name, eq + 1, origin, err,
			      err_size);
}

void fp__config_release(fp_config *config)
{
	for (size_t i = 0; i < config->count; i++) {
		fp_config_section *s = &config->sections[i];
		for (size_t j = 0; j < s->count; j++) {
			free(s->entries[j].key);
			free(s->entries[j].value);
		}
		free(s->entries);
		free(s->name);
	}
	free(config->sections);
	free(config->path);
	memset(config, 0, sizeof *config);
}
