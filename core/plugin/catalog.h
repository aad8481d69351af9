/* catalog — every stage framepipe can find: the built-in folder, then the
 * folders of FRAMEPIPE_PLUGIN_PATH. For `framepipe stages`, and for the
 * "did you mean" of an unknown stage name (from file names alone). */
#ifndef FP_CATALOG_H
#define FP_CATALOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "framepipe/stage.h"

typedef struct fp_catalog_entry {
	char *name; /* the file's stage name (NAME.so) */
	char *path;
	char *summary; /* or, for a file the loader refused, why */
	fp_stage_kind kind;
	bool is_builtin;
	bool is_broken;	  /* the loader refused it */
	bool is_shadowed; /* an earlier folder has a stage of this name */
} fp_catalog_entry;

typedef struct fp_catalog {
	fp_catalog_entry *entries;
	size_t count;
} fp_catalog;

int fp__catalog_load(fp_catalog *catalog);
void fp__catalog_release(fp_catalog *catalog);

/* The stage file name (NAME.so on the built-in folder or
 * FRAMEPIPE_PLUGIN_PATH) closest to name, if close enough to be a typo,
 * into out. Reads folder listings only: no plugin is loaded (a misspelt
 * name must not run every plugin's constructors). */
bool fp__stage_name_suggest(const char *name, char *out, size_t size);

/* Print everything a user needs to write a config section for the stage:
 * kind, summary, formats, and every parameter with its type, default,
 * range or choices, and help (like gst-inspect). */
/* "source", "filter" or "sink" ("?" for a value no kind has). */
const char *fp__stage_kind_name(fp_stage_kind kind);

void fp__stage_describe(FILE *out, const fp_stage_descriptor *desc,
			const char *path);
/* The parameter lines of fp__stage_describe alone. */
void fp__params_describe(FILE *out, const fp_stage_descriptor *desc);

#endif
