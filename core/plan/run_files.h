/* run_files — the temporary files that belong to a run, and its lock.
 *
 * A run has a random id (FP_RUN_ID_LEN hex digits, framepipe/stage.h); its
 * sinks write ".NAME.fp-tmp-RUNID-XXXXXX" next to each output. While it
 * lives, the run holds a shared flock on "ROOT/.fp-run-RUNID.lock" in its
 * output folder (the supervisor and, each on its own open file, every
 * instance), whose content is the run's output folders below ROOT,
 * NUL-terminated. At its end the run removes its temporary files from
 * those folders, then the lock file. A later run that finds a temporary
 * file or a lock of another run removes them only when it can take that
 * lock exclusively: no process of that run is alive on any host that
 * shares the folder's locks. A temporary file with no lock is never
 * touched, nor is any name that is not exactly of the pattern.
 */
#ifndef FP_RUN_FILES_H
#define FP_RUN_FILES_H

#include <stdbool.h>
#include <stddef.h>

#include "framepipe/stage.h"

typedef struct fp_run_lock {
	char id[FP_RUN_ID_LEN + 1];
	char *path;	/* ROOT/.fp-run-RUNID.lock; NULL when not taken */
	int dir_fd;	/* ROOT, or -1 */
	int fd;		/* the lock, or -1 */
	char **folders; /* below ROOT ("" for ROOT); borrowed */
	size_t folder_count;
} fp_run_lock;

/* A fresh random id into l (and l's fds at -1). 0 or -errno. */
int fp__run_id_make(fp_run_lock *l);

/* Take the run's lock in root: the file is created, locked shared and
 * given the folders (borrowed until fp__run_lock_release). 0, or -errno
 * with one line in err. A folder whose file system has no locks gets the
 * file all the same: the run's files then are never taken for stale. */
int fp__run_lock_take(fp_run_lock *l, const char *root, char **folders,
		      size_t folder_count, char *err, size_t err_size);

/* In a forked instance: the same lock, shared, on a file of its own (not
 * inherited: no plugin can drop the supervisor's). Best effort. */
void fp__run_lock_join(const fp_run_lock *l);

/* At the run's end, once every instance is gone: remove this run's
 * temporary files from its folders, then the lock. Returns how many
 * temporary files were removed. */
size_t fp__run_lock_release(fp_run_lock *l);

/* In folder dir_fd: remove the temporary files of every other run that
 * is provably gone (its lock, here or in a folder above, can be taken),
 * with the rest of its files and its lock. own: this run's id or NULL.
 * Returns the files removed. */
size_t fp__run_stale_remove(int dir_fd, const char *own);

/* The run id in a temporary file's name (".NAME.fp-tmp-RUNID-XXXXXX",
 * exactly) into id; false for any other name. */
bool fp__run_temp_id(const char *name, char id[FP_RUN_ID_LEN + 1]);

#endif
