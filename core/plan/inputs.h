/* inputs — the list of files a run reads, from command-line arguments. */
#ifndef FP_INPUTS_H
#define FP_INPUTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct fp_inputs {
	char **paths;	 /* owned */
	size_t *rel;	 /* paths[i] + rel[i]: the path below its input root */
	uint32_t *index; /* NULL, or after fp__inputs_shard: each input's
			    position in the full list; read it with
			    fp__inputs_index */
	size_t count;
	size_t capacity;
} fp_inputs;

/* Input i's path below its input root, for {dir} and {name}. */
const char *fp__inputs_rel_path(const fp_inputs *inputs, size_t i);

/* Input i's {index}: its place in the full list, of which a --shard run
 * keeps a part (i itself when nothing was left out). */
uint32_t fp__inputs_index(const fp_inputs *inputs, size_t i);

/* Each argument is a file (kept as given, even if it is not a regular file:
 * the decoder says what is wrong with it) or a folder: its *.png entries,
 * sorted by name, and with recursive, those of every sub-folder too (not
 * following symbolic links to folders). A missing argument, or a folder
 * with no PNG, is an error: FP_ECONFIG or -errno, "ARG: reason" in err.
 * A sub-folder that is output_dir (when given and there) is never
 * descended into: a run's outputs are not read back as inputs. */
int fp__inputs_expand(fp_inputs *inputs, const char *const *args,
		      size_t arg_count, bool recursive, const char *output_dir,
		      char *err, size_t err_size);

void fp__inputs_release(fp_inputs *inputs);

#endif
