/* params — parse and validate stage parameters from their declarative table.
 *
 * The core is the only place that turns config text into typed values; a
 * stage receives a filled struct of desc->config_size bytes.
 */
#ifndef FP_PARAMS_H
#define FP_PARAMS_H

#include <stddef.h>

#include "aliases.h"
#include "framepipe/stage.h"

/* A new config struct for desc with every default applied. Returns NULL on
 * allocation failure or a default that does not parse (a plugin bug), with
 * the reason in err. Free with fp__params_free(). */
void *fp__params_new(const fp_stage_descriptor *desc, char *err,
		     size_t err_size);

/* Check desc's table against its config struct, whatever the plugin's
 * source says: every row has a name and a known type, a CHOICE its
 * choices, and the value the core stores (fp__param_bytes) lies wholly
 * inside config_size. FP_EABI with "stage NAME: parameter P ..." in err.
 * The loader calls it on every descriptor; fp__params_new and
 * fp__params_set refuse a table that fails it, so the core never writes
 * past config_size. */
int fp__params_check_table(const fp_stage_descriptor *desc, char *err,
			   size_t err_size);

/* Bytes the core stores for a parameter of type; 0 for an unknown type. */
size_t fp__param_bytes(fp_param_type type);

/* The range of an INT, FLOAT or SIZE parameter as a person writes it:
 * "1..65535", "0.1..10", "4K..64M", "auto or 1..4096". */
void fp__param_range(const fp_param *param, char *buf, size_t size);

/* "integer", "number", "boolean", "text", "choice", "size"; "?". */
const char *fp__param_type_name(fp_param_type type);

/* Set parameter name from its config text. On error returns FP_EPARAM
 * (-ENOMEM when a string cannot be copied), and err holds
 * "NAME: expected WHAT, got 'VALUE'" (the caller prefixes file:line and the
 * stage label). Strings are copied; the struct owns them. */
int fp__params_set(const fp_stage_descriptor *desc, void *config,
		   const char *name, const char *value, char *err,
		   size_t err_size);

/* fp__params_set, also taking the old spellings of aliases.h: name =
 * value is first mapped to its new spelling. *alias is the alias used, or
 * NULL when name = value is spelled as today; the caller prints the note
 * (fp__alias_note). Config text (INI, -p, --set) and the harness come
 * through here; fp__params_set itself knows only today's spellings. */
int fp__params_set_spelled(const fp_stage_descriptor *desc, void *config,
			   const char *name, const char *value,
			   const fp__alias **alias, char *err, size_t err_size);

/* The table entry for name, or NULL. */
const fp_param *fp__params_find(const fp_stage_descriptor *desc,
				const char *name);

void fp__params_free(const fp_stage_descriptor *desc, void *config);

/* Parse a byte size: digits with an optional K, M or G suffix (powers of
 * 1024, case-insensitive, optional trailing B). 0 on success. */
int fp__parse_size(const char *text, unsigned long long *bytes);

#endif
