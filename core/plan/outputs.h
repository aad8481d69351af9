/* outputs — before a run that writes files: the name of every output,
 * checked for collisions and for files already there, sub-folders made,
 * and the temporary files of earlier runs that are provably gone removed
 * (run_files.h). */
#ifndef FP_OUTPUTS_H
#define FP_OUTPUTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "inputs.h"

typedef enum fp_existing {
	FP_EXISTING_REFUSE = 0, /* an existing output is an error */
	FP_EXISTING_OVERWRITE,	/* replace it */
	FP_EXISTING_SKIP,	/* --resume: the input is already done */
	/* A flag or'ed with the above (--in-place): an output may be one of
	 * the run's inputs, and replaces it. Without it, an output that is,
	 * or resolves to, an input is refused whatever the mode says. */
	FP_EXISTING_IN_PLACE = 0x100,
} fp_existing;

typedef struct fp_output_plan {
	uint8_t *skip; /* per frame: 1 when its output exists (resume) */
	uint64_t skipped;
	size_t stale_removed; /* temporary files of dead runs removed */
	/* The folders outputs go to, below the output folder ("" for it),
	 * each once: where the run's temporary files may be. */
	char **folders;
	size_t folder_count;
} fp_output_plan;

/* Plan count frames: frame i reads input i of inputs (borrowed; count of
 * them), or is synthetic when inputs is NULL. On error returns FP_ECONFIG
 * (or -errno) with one line in err naming the inputs or files. */
int fp__outputs_plan(fp_output_plan *plan, const char *output_dir,
		     const char *template, const fp_inputs *inputs,
		     uint64_t count, fp_existing existing, char *err,
		     size_t err_size);

/* The folder rel below dir_fd, opened one component at a time with
 * O_NOFOLLOW (and with create, made): a symbolic link on the way is never
 * followed (-ELOOP), nor is "..". A folder fd, or -errno. */
int fp__open_below_at(int dir_fd, const char *rel, bool create);

/* The same checks without touching the disk (framepipe check): nothing is
 * created or removed. */
int fp__outputs_check(const char *output_dir, const char *template,
		      const fp_inputs *inputs, uint64_t count,
		      fp_existing existing, char *err, size_t err_size);

/* Could output_dir be used: an existing writable folder, or one that can
 * be created (its nearest existing parent is a writable folder)? */
int fp__outputs_check_dir(const char *output_dir, char *err, size_t err_size);

void fp__outputs_release(fp_output_plan *plan);

/* mkdir -p. 0 or -errno. With made (size bytes), the outermost folder
 * it created goes there ("" when path was there already), for
 * fp__remove_empty_tree. */
int fp__make_dirs(const char *path, char *made, size_t size);

/* Remove top and the folders below it when none holds a file: what
 * fp__make_dirs made for a run that wrote nothing. A folder with anything
 * in it stays, with its parents. */
void fp__remove_empty_tree(const char *top);

#endif
