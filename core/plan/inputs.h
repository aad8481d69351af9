/* inputs — the list of files a run reads, from command-line arguments. */
#ifndef FP_INPUTS_H
#define FP_INPUTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Files the folders held that are not inputs (their names are not of an
 * image kind framepipe reads): all counted, the first FP_UNREAD_KEPT named,
 * with the image kind their first bytes show (fp__image_kind), or NULL. */
#define FP_UNREAD_KEPT 1000

typedef struct fp_unread_file {
	char *path;	  /* owned */
	const char *kind; /* static, or NULL: not an image known here */
} fp_unread_file;

typedef struct fp_unread {
	fp_unread_file *files; /* the first FP_UNREAD_KEPT */
	size_t kept;
	size_t capacity;
	uint64_t count;	 /* all of them */
	uint64_t images; /* of which with a kind: images not read */
} fp_unread;

/* Sub-folders a recursive walk could not list (unreadable, gone): their
 * images were not read. The first FP_UNREAD_KEPT named, all counted. */
typedef struct fp_unlisted_folder {
	char *path; /* owned */
	int error;  /* errno */
} fp_unlisted_folder;

typedef struct fp_unlisted {
	fp_unlisted_folder *folders;
	size_t kept;
	size_t capacity;
	uint64_t count;
} fp_unlisted;

typedef struct fp_inputs {
	char **paths;	 /* owned */
	size_t *rel;	 /* paths[i] + rel[i]: the path below its input root */
	uint32_t *index; /* NULL, or after fp__inputs_shard: each input's
			    position in the full list; read it with
			    fp__inputs_index */
	size_t count;
	size_t capacity;
	fp_unread unread;     /* what the folders held besides the inputs */
	fp_unlisted unlisted; /* sub-folders that could not be listed */
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
 * descended into: a run's outputs are not read back as inputs. Every other
 * regular file of the folders walked (hidden ones aside) goes to
 * inputs->unread; a sub-folder that cannot be listed goes to
 * inputs->unlisted and the walk goes on (a folder given as an argument
 * that cannot be listed is an error). */
int fp__inputs_expand(fp_inputs *inputs, const char *const *args,
		      size_t arg_count, bool recursive, const char *output_dir,
		      char *err, size_t err_size);

void fp__inputs_release(fp_inputs *inputs);

#endif
