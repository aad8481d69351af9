/* config — read a pipeline INI file (with inih) into sections of key/value
 * entries that remember their line, in file order. No meaning is given to
 * keys here: pipeline.c interprets them. */
#ifndef FP_CONFIG_H
#define FP_CONFIG_H

#include <stddef.h>

typedef struct fp_config_entry {
	char *key;
	char *value;
	int line;
	const char *origin; /* static; set when it did not come from the
			     * file ("--set"): messages name it, not a line */
} fp_config_entry;

typedef struct fp_config_section {
	char *name;
	int line; /* line of its first key */
	fp_config_entry *entries;
	size_t count;
} fp_config_section;

typedef struct fp_config {
	char *path; /* as given, for messages */
	fp_config_section *sections;
	size_t count;
} fp_config;

/* Parse the file at path. On error returns FP_ECONFIG (or -errno when the
 * file cannot be read) with "PATH:LINE: what is wrong" in err. */
int fp__config_load(fp_config *config, const char *path, char *err,
		    size_t err_size);

/* Parse text as if it were a file called name. */
int fp__config_parse_string(fp_config *config, const char *name,
			    const char *text, char *err, size_t err_size);

const fp_config_section *fp__config_find(const fp_config *config,
					 const char *name);

/* Set section.key = value as if the file said so last, from origin (a
 * static string such as "--set", for messages): replaces the entry of
 * that key or appends one. The section [pipeline] is created when
 * missing; another missing section is refused (FP_ECONFIG, err says so,
 * with the nearest section name). */
int fp__config_set(fp_config *config, const char *section, const char *key,
		   const char *value, const char *origin, char *err,
		   size_t err_size);

/* Apply one "KEY=VALUE" or "SECTION.KEY=VALUE" (a bare KEY is a [pipeline]
 * setting), as given to --set. */
int fp__config_set_text(fp_config *config, const char *text, const char *origin,
			char *err, size_t err_size);

/* Append an empty section (name copied) at line; NULL when out of memory. */
fp_config_section *fp__config_add_section(fp_config *config, const char *name,
					  int line);

void fp__config_release(fp_config *config);

#endif
