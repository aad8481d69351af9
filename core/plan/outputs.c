#include "outputs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "framepipe/error.h"
#include "naming.h"
#include "run_files.h"

typedef struct named {
	char *path;
	uint64_t frame;
} named;

/* mkdir, noting in made the first folder made. */
static int make_one(const char *dir, char *made, size_t size)
{
	if (mkdir(dir, 0777) != 0)
		return errno == EEXIST ? 0 : -errno;
	if (made != NULL && made[0] == '\0')
		snprintf(made, size, "%s", dir);
	return 0;
}

int fp__make_dirs(const char *path, char *made, size_t size)
{
	char buf[4096];
	if (made != NULL && size > 0)
		made[0] = '\0';
	int n = snprintf(buf, sizeof buf, "%s", path);
	if (n < 0 || (size_t)n >= sizeof buf)
		return -ENAMETOOLONG;
	for (char *p = buf + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		int rc = make_one(buf, made, size);
		if (rc != 0)
			return rc;
		*p = '/';
	}
	int rc = make_one(buf, made, size);
	if (rc != 0)
		return rc;
	struct stat st;
	if (stat(buf, &st) != 0)
		return -errno;
	if (!S_ISDIR(st.st_mode))
		return -ENOTDIR;
	return access(buf, W_OK | X_OK) == 0 ? 0 : -errno;
}

static int remove_if_empty(const char *path, const struct stat *st, int type,
			   struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (type == FTW_DP)
		(void)rmdir(path); /* fails, harmlessly, on a folder in use */
	return 0;
}

void fp__remove_empty_tree(const char *top)
{
	if (top != NULL && top[0] != '\0')
		(void)nftw(top, remove_if_empty, 16, FTW_DEPTH | FTW_PHYS);
}

static int by_path(const void *a, const void *b)
{
	const named *x = a, *y = b;
	int c = strcmp(x->path, y->path);
	return c != 0 ? c : (x->frame > y->frame) - (x->frame < y->frame);
}

static const char *input_name(const char *const *inputs, uint64_t frame,
			      char *buf, size_t size)
{
	if (inputs != NULL)
		return inputs[frame];
	snprintf(buf, size, "frame %llu", (unsigned long long)frame);
	return buf;
}

/* Open (and with create, make) the folder rel below root, one component
 * at a time from the root with O_NOFOLLOW: a symbolic link inside the
 * output folder is never followed (it could send writes anywhere). The
 * root itself is the user's choice and may be a link. Returns a folder
 * fd; -ENOENT when a part is missing and !create; -ELOOP for a link. */
int fp__open_below_at(int dir_fd, const char *rel, bool create)
{
	int fd = fcntl(dir_fd, F_DUPFD_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	char part[NAME_MAX + 1];
	for (const char *c = rel; fd >= 0 && *c != '\0';) {
		size_t n = strcspn(c, "/");
		if (n > NAME_MAX) {
			close(fd);
			return -ENAMETOOLONG;
		}
		memcpy(part, c, n);
		part[n] = '\0';
		c += n + (c[n] == '/');
		if (n == 0)
			continue;
		if (strcmp(part, "..") == 0) {
			close(fd);
			return -EINVAL;
		}
		if (create && mkdirat(fd, part, 0777) != 0 && errno != EEXIST) {
			int e = errno;
			close(fd);
			return -e;
		}
		int next =
			openat(fd, part,
			       O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		int e = errno;
		struct stat st;
		bool is_link =
			next < 0 &&
			fstatat(fd, part, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
			S_ISLNK(st.st_mode);
		close(fd);
		if (next < 0)
			return is_link ? -ELOOP : -e;
		fd = next;
	}
	return fd;
}

static int open_below(const char *root, const char *rel, bool create)
{
	int fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	int rc = fp__open_below_at(fd, rel, create);
	close(fd);
	return rc;
}

/* Note folder rel (below the output root) as one the run writes to. */
static int add_folder(fp_output_plan *plan, const char *rel)
{
	if (plan->folder_count % 16 == 0) {
		char **more = realloc(plan->folders,
				      (plan->folder_count + 16) * sizeof *more);
		if (more == NULL)
			return -ENOMEM;
		plan->folders = more;
	}
	plan->folders[plan->folder_count] = strdup(rel);
	if (plan->folders[plan->folder_count] == NULL)
		return -ENOMEM;
	plan->folder_count++;
	return 0;
}

static int by_string(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Each folder once (a folder's outputs need not be next to each other in
 * path order: a/b.png a/c/d.png a/e.png). */
static void sort_unique(fp_output_plan *plan)
{
	if (plan->folder_count < 2)
		return;
	qsort(plan->folders, plan->folder_count, sizeof *plan->folders,
	      by_string);
	size_t kept = 1;
	for (size_t i = 1; i < plan->folder_count; i++) {
		if (strcmp(plan->folders[i], plan->folders[kept - 1]) == 0)
			free(plan->folders[i]);
		else
			plan->folders[kept++] = plan->folders[i];
	}
	plan->folder_count = kept;
}

/* Make the folder of every output; clean each one once. With dry_run
 * (check) nothing is made, but a link on the way is refused the same. */
static int prepare_folders(fp_output_plan *plan, const char *output_dir,
			   named *outs, uint64_t count, bool dry_run, char *err,
			   size_t err_size)
{
	const char *last = NULL;
	size_t last_len = 0;
	for (uint64_t i = 0; i < count; i++) {
		const char *slash = strrchr(outs[i].path, '/');
		size_t len = (size_t)(slash - outs[i].path);
		if (last != NULL && len == last_len &&
		    strncmp(last, outs[i].path, len) == 0)
			continue;
		char dir[4096];
		snprintf(dir, sizeof dir, "%.*s", (int)len, outs[i].path);
		size_t root = strlen(output_dir);
		const char *rel = len > root ? dir + root + 1 : "";
		int rc = dry_run && access(output_dir, F_OK) != 0
				 ? -ENOENT
				 : open_below(output_dir, rel, !dry_run);
		if (rc == -ENOENT && dry_run)
			rc = 0; /* made by the run */
		if (rc == -ELOOP) {
			snprintf(err, err_size,
				 "%s: a symbolic link inside the output folder "
				 "%s (outputs are never written through one)",
				 dir, output_dir);
			return FP_ECONFIG;
		}
		if (rc < 0) {
			snprintf(err, err_size,
				 "%s: cannot use as output folder: %s", dir,
				 strerror(-rc));
			return rc;
		}
		if (rc > 0) {
			if (!dry_run)
				plan->stale_removed +=
					fp__run_stale_remove(rc, NULL);
			close(rc);
			if (!dry_run && (rc = add_folder(plan, rel)) != 0)
				return rc;
		}
		last = outs[i].path;
		last_len = len;
	}
	sort_unique(plan);
	return 0;
}

static int find_collision(const named *outs, uint64_t count,
			  const char *const *inputs, char *err, size_t err_size)
{
	for (uint64_t i = 1; i < count; i++) {
		if (strcmp(outs[i - 1].path, outs[i].path) != 0)
			continue;
		char a[32], b[32];
		snprintf(err, err_size,
			 "%s and %s would both be written to %s (make "
			 "[pipeline] output tell them apart, e.g. with {dir} "
			 "or {index})",
			 input_name(inputs, outs[i - 1].frame, a, sizeof a),
			 input_name(inputs, outs[i].frame, b, sizeof b),
			 outs[i].path);
		return FP_ECONFIG;
	}
	return 0;
}

typedef struct file_id {
	dev_t dev;
	ino_t ino;
	uint64_t input;
} file_id;

static int by_id(const void *a, const void *b)
{
	const file_id *x = a, *y = b;
	if (x->dev != y->dev)
		return x->dev < y->dev ? -1 : 1;
	return (x->ino > y->ino) - (x->ino < y->ino);
}

/* The inputs' files (through links), sorted by device and inode; *n of
 * them. NULL with *n 0 when there are none; -ENOMEM in *rc. */
static file_id *input_ids(const char *const *inputs, uint64_t count, size_t *n,
			  int *rc)
{
	*n = 0;
	if (inputs == NULL || count == 0)
		return NULL;
	file_id *ids = calloc(count, sizeof *ids);
	if (ids == NULL) {
		*rc = -ENOMEM;
		return NULL;
	}
	for (uint64_t i = 0; i < count; i++) {
		struct stat st;
		if (stat(inputs[i], &st) == 0)
			ids[(*n)++] = (file_id){st.st_dev, st.st_ino, i};
	}
	qsort(ids, *n, sizeof *ids, by_id);
	return ids;
}

/* Never destroy an input by accident: an output that is, or resolves to
 * (a link, a hard link, the same path spelt otherwise), one of the run's
 * inputs is refused unless --in-place. *is_input marks them. */
static int check_inputs(const named *outs, uint64_t count,
			const char *const *inputs, fp_existing existing,
			uint8_t *is_input, char *err, size_t err_size)
{
	int rc = 0;
	size_t n;
	file_id *ids = input_ids(inputs, count, &n, &rc);
	uint64_t found = 0;
	const named *first = NULL;
	const char *first_input = NULL;
	for (uint64_t i = 0; rc == 0 && n > 0 && i < count; i++) {
		struct stat st;
		if (stat(outs[i].path, &st) != 0)
			continue;
		file_id key = {st.st_dev, st.st_ino, 0};
		const file_id *hit = bsearch(&key, ids, n, sizeof *ids, by_id);
		if (hit == NULL)
			continue;
		is_input[outs[i].frame] = 1;
		if (found++ == 0) {
			first = &outs[i];
			first_input = inputs[hit->input];
		}
	}
	free(ids);
	if (rc != 0 || found == 0 || (existing & FP_EXISTING_IN_PLACE))
		return rc;
	char more[64] = "";
	if (found > 1)
		snprintf(more, sizeof more, " (and %llu more)",
			 (unsigned long long)found - 1);
	snprintf(err, err_size,
		 "%s would replace the input %s%s: give -o another folder, "
		 "or --in-place to replace the inputs on purpose",
		 first->path, first_input, more);
	return FP_ECONFIG;
}

static int check_existing(fp_output_plan *plan, const named *outs,
			  uint64_t count, fp_existing existing,
			  const uint8_t *is_input, char *err, size_t err_size)
{
	uint64_t found = 0;
	const char *first = NULL;
	for (uint64_t i = 0; i < count; i++) {
		struct stat st;
		/* --in-place: an input is meant to be replaced. */
		if (is_input[outs[i].frame] || lstat(outs[i].path, &st) != 0)
			continue;
		if (found++ == 0)
			first = outs[i].path;
		if ((existing & ~FP_EXISTING_IN_PLACE) == FP_EXISTING_SKIP) {
			plan->skip[outs[i].frame] = 1;
			plan->skipped++;
		}
	}
	if (found == 0 ||
	    (existing & ~FP_EXISTING_IN_PLACE) != FP_EXISTING_REFUSE)
		return 0;
	char more[64] = "";
	if (found > 1)
		snprintf(more, sizeof more, " (and %llu more outputs)",
			 (unsigned long long)found - 1);
	snprintf(err, err_size,
		 "%s already exists%s: --overwrite replaces, --resume skips "
		 "the inputs already done",
		 first, more);
	return FP_ECONFIG;
}

static int plan(fp_output_plan *plan, const char *output_dir,
		const char *template, const fp_inputs *files, uint64_t count,
		fp_existing existing, bool dry_run, char *err, size_t err_size)
{
	const char *const *inputs =
		files != NULL ? (const char *const *)files->paths : NULL;
	memset(plan, 0, sizeof *plan);
	named *outs = calloc(count ? count : 1, sizeof *outs);
	plan->skip = calloc(count ? count : 1, 1);
	uint8_t *is_input = calloc(count ? count : 1, 1);
	int rc = outs == NULL || plan->skip == NULL || is_input == NULL
			 ? -ENOMEM
			 : 0;
	char path[4096];
	uint64_t made = 0;
	for (; rc == 0 && made < count; made++) {
		const char *r = files ? fp__inputs_rel_path(files, made) : NULL;
		uint32_t at =
			files ? fp__inputs_index(files, made) : (uint32_t)made;
		if (fp__output_path(output_dir, template, r, at, path,
				    sizeof path) != 0) {
			char b[32];
			snprintf(
				err, err_size,
				"%s: [pipeline] output '%s' gives no safe file "
				"name for it",
				input_name(inputs, made, b, sizeof b),
				template);
			rc = FP_ECONFIG;
			break;
		}
		outs[made].path = strdup(path);
		outs[made].frame = made;
		if (outs[made].path == NULL)
			rc = -ENOMEM;
	}
	if (rc == 0) {
		qsort(outs, count, sizeof *outs, by_path);
		rc = find_collision(outs, count, inputs, err, err_size);
	}
	if (rc == 0)
		rc = check_inputs(outs, count, inputs, existing, is_input, err,
				  err_size);
	if (rc == 0)
		rc = check_existing(plan, outs, count, existing, is_input, err,
				    err_size);
	if (rc == 0)
		rc = prepare_folders(plan, output_dir, outs, count, dry_run,
				     err, err_size);
	if (rc == -ENOMEM)
		snprintf(err, err_size, "out of memory planning %llu outputs",
			 (unsigned long long)count);
	for (uint64_t i = 0; outs != NULL && i < made; i++)
		free(outs[i].path);
	free(outs);
	free(is_input);
	if (rc != 0)
		fp__outputs_release(plan);
	return rc;
}

int fp__outputs_plan(fp_output_plan *p, const char *output_dir,
		     const char *template, const fp_inputs *inputs,
		     uint64_t count, fp_existing existing, char *err,
		     size_t err_size)
{
	return plan(p, output_dir, template, inputs, count, existing, false,
		    err, err_size);
}

int fp__outputs_check(const char *output_dir, const char *template,
		      const fp_inputs *inputs, uint64_t count,
		      fp_existing existing, char *err, size_t err_size)
{
	fp_output_plan p;
	int rc = plan(&p, output_dir, template, inputs, count, existing, true,
		      err, err_size);
	if (rc == 0)
		fp__outputs_release(&p);
	return rc;
}

int fp__outputs_check_dir(const char *output_dir, char *err, size_t err_size)
{
	char path[4096];
	snprintf(path, sizeof path, "%s", output_dir);
	for (;;) {
		struct stat st;
		if (stat(path, &st) == 0) {
			const char *why = !S_ISDIR(st.st_mode) ? "not a folder"
					  : access(path, W_OK | X_OK) != 0
						  ? "not writable"
						  : NULL;
			if (why == NULL)
				return 0;
			snprintf(err, err_size,
				 "%s: cannot use as output folder: %s%s%s",
				 output_dir,
				 strcmp(path, output_dir) ? path : "",
				 strcmp(path, output_dir) ? " is " : "", why);
			return FP_ECONFIG;
		}
		char *slash = strrchr(path, '/');
		if (slash == NULL) /* relative: its parent is "." */
			snprintf(path, sizeof path, ".");
		else if (slash == path)
			slash[1] = '\0';
		else
			*slash = '\0';
	}
}

void fp__outputs_release(fp_output_plan *plan)
{
	for (size_t i = 0; i < plan->folder_count; i++)
		free(plan->folders[i]);
	free(plan->folders);
	free(plan->skip);
	memset(plan, 0, sizeof *plan);
}
