#include "params.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const fp_param *fp__params_find(const fp_stage_descriptor *desc,
				const char *name)
{
	for (size_t i = 0; i < desc->param_count; i++)
		if (strcmp(desc->params[i].name, name) == 0)
			return &desc->params[i];
	return NULL;
}

size_t fp__param_bytes(fp_param_type type)
{
	switch (type) {
	case FP_PARAM_INT: return sizeof(int64_t);
	case FP_PARAM_FLOAT: return sizeof(double);
	case FP_PARAM_BOOL: return sizeof(bool);
	case FP_PARAM_STRING: return sizeof(char *);
	case FP_PARAM_CHOICE: return sizeof(int);
	case FP_PARAM_SIZE: return sizeof(uint64_t);
	}
	return 0;
}

const char *fp__param_type_name(fp_param_type type)
{
	switch (type) {
	case FP_PARAM_INT: return "integer";
	case FP_PARAM_FLOAT: return "number";
	case FP_PARAM_BOOL: return "boolean";
	case FP_PARAM_STRING: return "text";
	case FP_PARAM_CHOICE: return "choice";
	case FP_PARAM_SIZE: return "size";
	}
	return "?";
}

static int check_row(const fp_stage_descriptor *desc, const fp_param *p,
		     char *err, size_t err_size)
{
	size_t bytes = fp__param_bytes(p->type);
	if (p->name == NULL || p->name[0] == '\0') {
		snprintf(err, err_size, "stage %s: parameter %zu has no name",
			 desc->name, (size_t)(p - desc->params));
		return FP_EABI;
	}
	if (bytes == 0) {
		snprintf(err, err_size,
			 "stage %s: parameter %s has unknown type %d",
			 desc->name, p->name, (int)p->type);
		return FP_EABI;
	}
	if (p->offset > desc->config_size ||
	    bytes > desc->config_size - p->offset) {
		snprintf(err, err_size,
			 "stage %s: parameter %s (%s, %zu bytes at offset %zu) "
			 "lies outside its %zu-byte config struct (declare "
			 "the field with the type of FP_PARAM_*_ in "
			 "framepipe/stage.h)",
			 desc->name, p->name, fp__param_type_name(p->type),
			 bytes, p->offset, desc->config_size);
		return FP_EABI;
	}
	if (p->type == FP_PARAM_CHOICE && p->choices == NULL) {
		snprintf(err, err_size,
			 "stage %s: choice parameter %s has no choices",
			 desc->name, p->name);
		return FP_EABI;
	}
	return 0;
}

int fp__params_check_table(const fp_stage_descriptor *desc, char *err,
			   size_t err_size)
{
	for (size_t i = 0; i < desc->param_count; i++) {
		int rc = check_row(desc, &desc->params[i], err, err_size);
		if (rc != 0)
			return rc;
	}
	return 0;
}

int fp__parse_size(const char *text, unsigned long long *bytes)
{
	if (!isdigit((unsigned char)text[0]))
		return FP_EPARAM;
	errno = 0;
	char *end;
	unsigned long long value = strtoull(text, &end, 10);
	if (errno != 0)
		return FP_EPARAM;
	unsigned shift = 0;
	switch (toupper((unsigned char)*end)) {
	case 'K':
		shift = 10;
		end++;
		break;
	case 'M':
		shift = 20;
		end++;
		break;
	case 'G':
		shift = 30;
		end++;
		break;
	default: break;
	}
	if (toupper((unsigned char)*end) == 'B')
		end++;
	if (*end != '\0' || value > (ULLONG_MAX >> shift))
		return FP_EPARAM;
	*bytes = value << shift;
	return 0;
}

static bool parse_bool(const char *text, bool *out)
{
	static const char *const yes[] = {"true", "yes", "on", "1"};
	static const char *const no[] = {"false", "no", "off", "0"};
	for (size_t i = 0; i < FP_COUNT_OF(yes); i++) {
		if (strcasecmp(text, yes[i]) == 0) {
			*out = true;
			return true;
		}
		if (strcasecmp(text, no[i]) == 0) {
			*out = false;
			return true;
		}
	}
	return false;
}

/* Index of text in "a|b|c", or -1. */
static int choice_index(const char *choices, const char *text)
{
	size_t len = strlen(text);
	int index = 0;
	for (const char *p = choices; p != NULL; index++) {
		const char *bar = strchr(p, '|');
		size_t n = bar != NULL ? (size_t)(bar - p) : strlen(p);
		if (n == len && strncmp(p, text, n) == 0)
			return index;
		p = bar != NULL ? bar + 1 : NULL;
	}
	return -1;
}

/* A bound as a person writes it: 4096, 0.1, 1000000, 64M; an integer
 * parameter's every digit (2^62: 4611686018427387904, not 4.6e+18). */
static void format_bound(char *buf, size_t size, double v, fp_param_type type)
{
	static const char suffix[] = "KMG";
	bool is_integer = type == FP_PARAM_INT || type == FP_PARAM_SIZE;
	if (type == FP_PARAM_SIZE && v >= 1024 && v < 1.8e19 && v == floor(v)) {
		uint64_t u = (uint64_t)v;
		int k = -1;
		while (k < 2 && u % 1024 == 0) {
			u /= 1024;
			k++;
		}
		if (k >= 0) {
			snprintf(buf, size, "%" PRIu64 "%c", u, suffix[k]);
			return;
		}
	}
	if (v == floor(v) && (is_integer || fabs(v) < 1e16))
		snprintf(buf, size, "%.0f", v);
	else
		snprintf(buf, size, "%.15g", v);
}

static bool takes_auto(const fp_param *p)
{
	return (p->type == FP_PARAM_INT || p->type == FP_PARAM_SIZE) &&
	       p->default_value != NULL &&
	       strcmp(p->default_value, "auto") == 0;
}

void fp__param_range(const fp_param *p, char *buf, size_t size)
{
	char lo[32], hi[32];
	format_bound(lo, sizeof lo, p->min, p->type);
	format_bound(hi, sizeof hi, p->max, p->type);
	snprintf(buf, size, "%s%s..%s", takes_auto(p) ? "auto or " : "", lo,
		 hi);
}

static int out_of_range(const fp_param *param, const char *value, char *err,
			size_t err_size)
{
	char range[80];
	fp__param_range(param, range, sizeof range);
	snprintf(err, err_size, "%s: expected %s, got '%s'", param->name, range,
		 value);
	return FP_EPARAM;
}

static int set_number(const fp_param *param, void *field, const char *value,
		      char *err, size_t err_size)
{
	char *end = NULL;
	errno = 0;
	if (takes_auto(param) && strcmp(value, "auto") == 0) {
		if (param->type == FP_PARAM_INT)
			*(int64_t *)field = 0;
		else
			*(uint64_t *)field = 0;
		return 0;
	}
	if (param->type == FP_PARAM_INT) {
		long long v = strtoll(value, &end, 10);
		if (end == value || *end != '\0' || errno != 0) {
			if (takes_auto(param))
				return out_of_range(param, value, err,
						    err_size);
			snprintf(err, err_size,
				 "%s: expected an integer, got '%s'",
				 param->name, value);
			return FP_EPARAM;
		}
		if ((double)v < param->min || (double)v > param->max)
			return out_of_range(param, value, err, err_size);
		*(int64_t *)field = v;
		return 0;
	}
	if (param->type == FP_PARAM_FLOAT) {
		double v = strtod(value, &end);
		if (end == value || *end != '\0' || errno != 0 ||
		    !isfinite(v)) {
			snprintf(err, err_size,
				 "%s: expected a number, got '%s'", param->name,
				 value);
			return FP_EPARAM;
		}
		if (v < param->min || v > param->max)
			return out_of_range(param, value, err, err_size);
		*(double *)field = v;
		return 0;
	}
	unsigned long long bytes;
	if (fp__parse_size(value, &bytes) != 0) {
		snprintf(
			err, err_size,
			"%s: expected %sa size in bytes (e.g. 4096, 64K, 16M), "
			"got '%s'",
			param->name, takes_auto(param) ? "auto or " : "",
			value);
		return FP_EPARAM;
	}
	if ((double)bytes < param->min || (double)bytes > param->max)
		return out_of_range(param, value, err, err_size);
	*(uint64_t *)field = bytes;
	return 0;
}

static int set_param(const fp_param *param, void *config, const char *value,
		     char *err, size_t err_size)
{
	void *field = (char *)config + param->offset;
	switch (param->type) {
	case FP_PARAM_INT:
	case FP_PARAM_FLOAT:
	case FP_PARAM_SIZE:
		return set_number(param, field, value, err, err_size);
	case FP_PARAM_BOOL:
		if (!parse_bool(value, (bool *)field)) {
			snprintf(err, err_size,
				 "%s: expected true or false, got '%s'",
				 param->name, value);
			return FP_EPARAM;
		}
		return 0;
	case FP_PARAM_CHOICE: {
		int index = choice_index(param->choices, value);
		if (index < 0) {
			snprintf(err, err_size,
				 "%s: expected one of %s, got '%s'",
				 param->name, param->choices, value);
			return FP_EPARAM;
		}
		*(int *)field = index;
		return 0;
	}
	case FP_PARAM_STRING: {
		char *copy = strdup(value);
		if (copy == NULL)
			return -ENOMEM;
		free(*(char **)field);
		*(char **)field = copy;
		return 0;
	}
	}
	snprintf(err, err_size, "%s: unknown parameter type %d", param->name,
		 (int)param->type);
	return FP_EPARAM;
}

int fp__params_set(const fp_stage_descriptor *desc, void *config,
		   const char *name, const char *value, char *err,
		   size_t err_size)
{
	const fp_param *param = fp__params_find(desc, name);
	if (param == NULL) {
		snprintf(err, err_size, "%s: no such parameter of stage %s",
			 name, desc->name);
		return FP_EPARAM;
	}
	if (check_row(desc, param, err, err_size) != 0)
		return FP_EABI;
	return set_param(param, config, value, err, err_size);
}

int fp__params_set_spelled(const fp_stage_descriptor *desc, void *config,
			   const char *name, const char *value,
			   const fp__alias **alias, char *err, size_t err_size)
{
	*alias = fp__alias_find(desc->name, name, value);
	if (*alias == NULL)
		return fp__params_set(desc, config, name, value, err, err_size);
	char new_name[128];
	const char *new_value;
	fp__alias_apply(*alias, name, value, new_name, sizeof new_name,
			&new_value);
	return fp__params_set(desc, config, new_name, new_value, err, err_size);
}

void *fp__params_new(const fp_stage_descriptor *desc, char *err,
		     size_t err_size)
{
	void *config = calloc(1, desc->config_size > 0 ? desc->config_size : 1);
	if (config == NULL) {
		snprintf(err, err_size, "out of memory");
		return NULL;
	}
	if (fp__params_check_table(desc, err, err_size) != 0) {
		free(config);
		return NULL;
	}
	for (size_t i = 0; i < desc->param_count; i++) {
		const fp_param *param = &desc->params[i];
		if (param->default_value == NULL)
			continue;
		char why[256];
		if (set_param(param, config, param->default_value, why,
			      sizeof why) != 0) {
			snprintf(err, err_size, "stage %s: bad default: %s",
				 desc->name, why);
			fp__params_free(desc, config);
			return NULL;
		}
	}
	return config;
}

void fp__params_free(const fp_stage_descriptor *desc, void *config)
{
	if (config == NULL)
		return;
	for (size_t i = 0; i < desc->param_count; i++) {
		const fp_param *param = &desc->params[i];
		if (param->type == FP_PARAM_STRING &&
		    param->offset <= desc->config_size &&
		    sizeof(char *) <= desc->config_size - param->offset)
			free(*(char **)((char *)config + param->offset));
	}
	free(config);
}
