/* params — parse and validate stage parameters from their declarative table.
 *
 * The core is the only place that turns config text into typed values; a
 * stage receives a filled struct of desc->config_size bytes.
 */
#ifndef FP_PARAMS_H
#define FP_PARAMS_H

#include <stddef.h>

#include "framepipe/stage.h"

/* A new config struct for desc with every default applied. Returns NULL on
 * allocation failure or a default that does not parse (a plugin bug), with
 * the reason in err. Free with fp__params_free(). */
void *fp__params_new(const fp_stage_descriptor *desc, char *err,
		     size_t err_size);

/* Set parameter name from its config text. On error returns FP_EPARAM (or
 * FP_ENOSTAGE-like codes never), and err holds
 * "NAME: expected WHAT, got 'VALUE'" (the caller prefixes file:line and the
 * stage label). Strings are copied; the struct owns them. */
int fp__params_set(const fp_stage_descriptor *desc, void *config,
		   const char *name, const char *value, char *err,
		   size_t err_size);

/* The table entry for name, or NULL. */
const fp_param *fp__params_find(const fp_stage_descriptor *desc,
				const char *name);

void fp__params_free(const fp_stage_descriptor *desc, void *config);

/* Parse a byte size: digits with an optional K, M or G suffix (powers of
 * 1024, case-insensitive, optional trailing B). 0 on success. */
int fp__parse_size(const char *text, unsigned long long *bytes);

#endif
