/* json — a small JSON reader, for reading back what framepipe writes
 * (--stats-json files, for stats-merge). Whole documents in memory; depth
 * limited; strings are UTF-8 with \uXXXX decoded (surrogate pairs too). */
#ifndef FP_JSON_H
#define FP_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef enum fp_json_type {
	FP_JSON_NULL,
	FP_JSON_BOOL,
	FP_JSON_NUMBER,
	FP_JSON_STRING,
	FP_JSON_ARRAY,
	FP_JSON_OBJECT,
} fp_json_type;

typedef struct fp_json {
	fp_json_type type;
	bool boolean;
	double number;
	char *string;	      /* STRING: owned, NUL-terminated */
	size_t count;	      /* ARRAY, OBJECT: members */
	struct fp_json *item; /* ARRAY, OBJECT: count values */
	char **key;	      /* OBJECT: count keys */
} fp_json;

/* Parse text (len bytes) into *value (free with fp__json_free). On error
 * returns FP_ECORRUPT with "byte N: what was expected" in err, or
 * -ENOMEM. */
int fp__json_parse(fp_json *value, const char *text, size_t len, char *err,
		   size_t err_size);

void fp__json_free(fp_json *value);

/* Write s as a JSON string literal (quotes, backslashes and control
 * characters escaped). */
void fp__json_write_string(FILE *f, const char *s);

/* The member key of an object, or NULL (also when value is no object). */
const fp_json *fp__json_get(const fp_json *value, const char *key);

#endif
