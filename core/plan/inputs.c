#include "inputs.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "framepipe/error.h"
#include "image_kind.h"

static int push(fp_inputs *inputs, char *path, size_t rel)
{
	if (path == NULL)
		return -ENOMEM;
	if (inputs->count == inputs->capacity) {
		size_t grown = inputs->capacity ? inputs->capacity * 2 : 64;
		char **paths = realloc(inputs->paths, grown * sizeof *paths);
		if (paths != NULL)
			inputs->paths = paths;
		size_t *rels = realloc(inputs->rel, grown * sizeof *rels);
		if (rels != NULL)
			inputs->rel = rels;
		if (paths == NULL || rels == NULL) {
			free(path);
			return -ENOMEM;
		}
		inputs->capacity = grown;
	}
	inputs->paths[inputs->count] = path;
	inputs->rel[inputs->count] = rel;
	inputs->count++;
	return 0;
}

/* The extensions of every format framepipe reads (stages/codec), any case.
 * A file's codec is chosen from its bytes; this only says which files of a
 * folder are inputs. */
static const char *const image_extensions[] = {
	"png", "jpg", "jpeg", "jpe", "jfif", "webp", "tif", "tiff",
};

static bool has_image_suffix(const char *name)
{
	const char *dot = strrchr(name, '.');
	if (dot == NULL || dot == name)
		return false;
	for (size_t i = 0;
	     i < sizeof image_extensions / sizeof image_extensions[0]; i++)
		if (strcasecmp(dot + 1, image_extensions[i]) == 0)
			return true;
	return false;
}

/* A regular file of a folder that is not an input: counted, and among
 * the first FP_UNREAD_KEPT named with what its bytes say it is. */
static int note_unread(fp_unread *u, char *path)
{
	struct stat st;
	if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
		free(path);
		return 0;
	}
	const char *kind = fp__image_kind_of_file(path);
	u->count++;
	u->images += kind != NULL;
	if (u->kept == FP_UNREAD_KEPT) {
		free(path);
		return 0;
	}
	if (u->kept == u->capacity) {
		size_t grown = u->capacity ? u->capacity * 2 : 8;
		fp_unread_file *f = realloc(u->files, grown * sizeof *f);
		if (f == NULL) {
			free(path);
			return -ENOMEM;
		}
		u->files = f;
		u->capacity = grown;
	}
	u->files[u->kept++] = (fp_unread_file){path, kind};
	return 0;
}

/* A sub-folder that could not be listed: kept with why, the walk goes on. */
static int note_unlisted(fp_unlisted *u, const char *path, int error)
{
	u->count++;
	if (u->kept == FP_UNREAD_KEPT)
		return 0;
	if (u->kept == u->capacity) {
		size_t grown = u->capacity ? u->capacity * 2 : 4;
		fp_unlisted_folder *f = realloc(u->folders, grown * sizeof *f);
		if (f == NULL)
			return -ENOMEM;
		u->folders = f;
		u->capacity = grown;
	}
	char *copy = strdup(path);
	if (copy == NULL)
		return -ENOMEM;
	u->folders[u->kept++] = (fp_unlisted_folder){copy, error};
	return 0;
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The sorted names in dir (no hidden ones); NULL-terminated, owned. */
static char **list_folder(const char *dir, int *error)
{
	DIR *d = opendir(dir);
	if (d == NULL) {
		*error = -errno;
		return NULL;
	}
	size_t n = 0, cap = 16;
	char **names = malloc(cap * sizeof *names);
	for (struct dirent *de; names != NULL && (de = readdir(d)) != NULL;) {
		if (de->d_name[0] == '.')
			continue;
		if (n + 1 == cap) {
			char **grown = realloc(names, 2 * cap * sizeof *names);
			if (grown == NULL)
				break;
			names = grown;
			cap *= 2;
		}
		names[n] = strdup(de->d_name);
		if (names[n] != NULL)
			n++;
	}
	closedir(d);
	if (names == NULL) {
		*error = -ENOMEM;
		return NULL;
	}
	names[n] = NULL;
	qsort(names, n, sizeof *names, compare_names);
	return names;
}

/* The walk in progress: what to skip. */
typedef struct walk {
	bool recursive;
	bool has_output; /* the output folder exists: out_dev, out_ino */
	dev_t out_dev;
	ino_t out_ino;
} walk;

static int add_folder(fp_inputs *inputs, const char *dir, size_t root_len,
		      const walk *w, bool is_argument, char *err,
		      size_t err_size);

/* One entry of a folder: a sub-folder to descend into, a .png input, or
 * nothing. A symbolic link to a folder is not followed (no cycles); a link
 * to a file, or a dangling one, is an input the decoder will judge. */
static int add_entry(fp_inputs *inputs, const char *dir, size_t dir_len,
		     const char *name, size_t root_len, const walk *w,
		     char *err, size_t err_size)
{
	size_t len = dir_len + 1 + strlen(name) + 1;
	char *path = malloc(len);
	if (path == NULL)
		return -ENOMEM;
	snprintf(path, len, "%.*s/%s", (int)dir_len, dir, name);
	struct stat st;
	if (w->recursive && lstat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		bool is_output = w->has_output && st.st_dev == w->out_dev &&
				 st.st_ino == w->out_ino;
		int rc = is_output ? 0
				   : add_folder(inputs, path, root_len, w,
						false, err, err_size);
		free(path);
		return rc;
	}
	if (!has_image_suffix(name))
		return note_unread(&inputs->unread, path);
	return push(inputs, path, root_len + 1);
}

static int add_folder(fp_inputs *inputs, const char *dir, size_t root_len,
		      const walk *w, bool is_argument, char *err,
		      size_t err_size)
{
	int rc = 0;
	char **names = list_folder(dir, &rc);
	if (names == NULL && !is_argument && rc != -ENOMEM)
		rc = note_unlisted(&inputs->unlisted, dir, -rc);
	else if (names == NULL)
		snprintf(err, err_size, "%s: cannot list folder: %s", dir,
			 strerror(-rc));
	if (names == NULL)
		return rc;
	size_t dir_len = strlen(dir);
	while (dir_len > 1 && dir[dir_len - 1] == '/')
		dir_len--;
	for (size_t i = 0; names[i] != NULL; i++) {
		if (rc == 0)
			rc = add_entry(inputs, dir, dir_len, names[i], root_len,
				       w, err, err_size);
		free(names[i]);
	}
	free(names);
	if (rc == -ENOMEM)
		snprintf(err, err_size, "%s: out of memory", dir);
	return rc;
}

int fp__inputs_expand(fp_inputs *inputs, const char *const *args,
		      size_t arg_count, bool recursive, const char *output_dir,
		      char *err, size_t err_size)
{
	memset(inputs, 0, sizeof *inputs);
	walk w = {.recursive = recursive};
	struct stat out;
	if (output_dir != NULL && stat(output_dir, &out) == 0 &&
	    S_ISDIR(out.st_mode)) {
		w.has_output = true;
		w.out_dev = out.st_dev;
		w.out_ino = out.st_ino;
	}
	for (size_t i = 0; i < arg_count; i++) {
		struct stat st;
		int rc;
		if (stat(args[i], &st) != 0) {
			int e = errno;
			snprintf(err, err_size, "%s: %s", args[i], strerror(e));
			fp__inputs_release(inputs);
			return -e;
		}
		if (S_ISDIR(st.st_mode)) {
			size_t first = inputs->count;
			size_t root_len = strlen(args[i]);
			while (root_len > 1 && args[i][root_len - 1] == '/')
				root_len--;
			uint64_t unlisted = inputs->unlisted.count;
			rc = add_folder(inputs, args[i], root_len, &w, true,
					err, err_size);
			if (rc == 0 && inputs->count == first &&
			    inputs->unlisted.count > unlisted) {
				const fp_unlisted_folder *f =
					&inputs->unlisted.folders
						 [inputs->unlisted.kept - 1];
				snprintf(err, err_size,
					 "%s: no image file could be read "
					 "(%s: cannot list folder: %s)",
					 args[i], f->path, strerror(f->error));
				rc = FP_ECONFIG;
			} else if (rc == 0 && inputs->count == first) {
				snprintf(err, err_size,
					 "%s: folder has no image files (png, "
					 "jpg, "
					 "webp, tif)%s",
					 args[i],
					 recursive ? ""
						   : " (-r to look in "
						     "sub-folders)");
				rc = FP_ECONFIG;
			}
		} else {
			const char *slash = strrchr(args[i], '/');
			rc = push(inputs, strdup(args[i]),
				  slash ? (size_t)(slash - args[i]) + 1 : 0);
		}
		if (rc != 0) {
			if (rc == -ENOMEM)
				snprintf(err, err_size, "out of memory");
			fp__inputs_release(inputs);
			return rc;
		}
	}
	return 0;
}

const char *fp__inputs_rel_path(const fp_inputs *inputs, size_t i)
{
	return inputs->paths[i] + inputs->rel[i];
}

uint32_t fp__inputs_index(const fp_inputs *inputs, size_t i)
{
	return inputs->index != NULL ? inputs->index[i] : (uint32_t)i;
}

void fp__inputs_release(fp_inputs *inputs)
{
	for (size_t i = 0; i < inputs->count; i++)
		free(inputs->paths[i]);
	free(inputs->paths);
	free(inputs->rel);
	free(inputs->index);
	for (size_t i = 0; i < inputs->unread.kept; i++)
		free(inputs->unread.files[i].path);
	free(inputs->unread.files);
	for (size_t i = 0; i < inputs->unlisted.kept; i++)
		free(inputs->unlisted.folders[i].path);
	free(inputs->unlisted.folders);
	memset(inputs, 0, sizeof *inputs);
}
