/* inputs — the list of files a run reads, from command-line arguments. */
#ifndef FP_INPUTS_H
#define FP_INPUTS_H

#include <stddef.h>

typedef struct fp_inputs {
	char **paths; /* owned */
	size_t count;
} fp_inputs;

/* Each argument is a file (kept as given) or a folder (its *.png files,
 * sorted by name, not recursive). A missing argument, or a folder with no
 * PNG, is an error: FP_ECONFIG or -errno, "ARG: reason" in err. */
int fp__inputs_expand(fp_inputs *inputs, const char *const *args,
		      size_t arg_count, char *err, size_t err_size);

void fp__inputs_release(fp_inputs *inputs);

#endif
