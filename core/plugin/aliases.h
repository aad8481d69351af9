/* aliases — the old spellings of built-in stages' parameters and values.
 *
 * framepipe 1.x renamed some parameters and choices so that one thing has
 * one name everywhere (docs/writing-a-stage.md, "Naming guide"). The old
 * spellings keep working until 2.0: the config layer maps each to its new
 * spelling before the parameter table sees it, and prints one note per old
 * spelling per run, naming the new one. The table lives here, not in the
 * stages' fp_param rows, which are frozen ABI.
 */
#ifndef FP_ALIASES_H
#define FP_ALIASES_H

#include <stdbool.h>
#include <stdio.h>

typedef struct fp__alias {
	const char *stage;     /* the descriptor's name */
	const char *param;     /* the old parameter name */
	const char *value;     /* the old value; NULL: any (a renamed param) */
	const char *new_param; /* the parameter now */
	const char *new_value; /* the value now; NULL: the value as written */
} fp__alias;

/* The alias for stage's param = value, or NULL when that is no old
 * spelling. A parameter of the generic `decode`/`encode` prefixed with a
 * codec ("png.strategy") is looked up as that codec's stage's
 * (png_encode.strategy). Static storage. */
const fp__alias *fp__alias_find(const char *stage, const char *param,
				const char *value);

/* The new spelling of param = value under a (a from fp__alias_find for
 * them): the parameter into name (with the codec prefix param had), the
 * value as *value (static or value itself). */
void fp__alias_apply(const fp__alias *a, const char *param, const char *value,
		     char *name, size_t name_size, const char **new_value);

/* Print on out, unless this alias was noted before in this process:
 * "framepipe: WHERE: note: LABEL.PARAM = VALUE is now spelled
 * LABEL.NEW = NEW_VALUE (the old spelling works in every 1.x)". where is
 * "FILE:LINE" or "--set"; label the section. Returns whether it printed. */
bool fp__alias_note(const fp__alias *a, const char *where, const char *label,
		    const char *param, const char *value, FILE *out);

/* Forget which notes were printed (for tests). */
void fp__alias_reset_notes(void);

/* The table, for `framepipe stages` and the tests. */
const fp__alias *fp__aliases(size_t *count);

#endif
