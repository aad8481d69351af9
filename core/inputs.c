#include "inputs.h"

#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "framepipe/error.h"

static int push(fp_inputs *inputs, size_t *capacity, char *path)
{
	if (path == NULL)
		return -ENOMEM;
	if (inputs->count == *capacity) {
		size_t grown = *capacity ? *capacity * 2 : 64;
		char **paths = realloc(inputs->paths, grown * sizeof *paths);
		if (paths == NULL) {
			free(path);
			return -ENOMEM;
		}
		inputs->paths = paths;
		*capacity = grown;
	}
	inputs->paths[inputs->count++] = path;
	return 0;
}

static bool has_png_suffix(const char *name)
{
	size_t n = strlen(name);
	return n > 4 && strcasecmp(name + n - 4, ".png") == 0;
}

static int compare_paths(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int add_folder(fp_inputs *inputs, size_t *capacity, const char *dir,
		      char *err, size_t err_size)
{
	DIR *d = opendir(dir);
	if (d == NULL) {
		int e = errno;
		snprintf(err, err_size, "%s: cannot list folder: %s", dir,
			 strerror(e));
		return -e;
	}
	size_t first = inputs->count;
	size_t dir_len = strlen(dir);
	while (dir_len > 1 && dir[dir_len - 1] == '/')
		dir_len--;
	int rc = 0;
	for (struct dirent *de; rc == 0 && (de = readdir(d)) != NULL;) {
		if (de->d_name[0] == '.' || !has_png_suffix(de->d_name))
			continue;
		size_t len = dir_len + 1 + strlen(de->d_name) + 1;
		char *path = malloc(len);
		if (path != NULL)
			snprintf(path, len, "%.*s/%s", (int)dir_len, dir,
				 de->d_name);
		rc = push(inputs, capacity, path);
	}
	closedir(d);
	if (rc != 0) {
		snprintf(err, err_size, "%s: out of memory", dir);
		return rc;
	}
	if (inputs->count == first) {
		snprintf(err, err_size, "%s: folder has no .png files", dir);
		return FP_ECONFIG;
	}
	qsort(inputs->paths + first, inputs->count - first,
	      sizeof *inputs->paths, compare_paths);
	return 0;
}

int fp__inputs_expand(fp_inputs *inputs, const char *const *args,
		      size_t arg_count, char *err, size_t err_size)
{
	memset(inputs, 0, sizeof *inputs);
	size_t capacity = 0;
	for (size_t i = 0; i < arg_count; i++) {
		struct stat st;
		int rc;
		if (stat(args[i], &st) != 0) {
			int e = errno;
			snprintf(err, err_size, "%s: %s", args[i], strerror(e));
			fp__inputs_release(inputs);
			return -e;
		}
		if (S_ISDIR(st.st_mode))
			rc = add_folder(inputs, &capacity, args[i], err,
					err_size);
		else
			rc = push(inputs, &capacity, strdup(args[i]));
		if (rc != 0) {
			if (rc == -ENOMEM)
				snprintf(err, err_size, "out of memory");
			fp__inputs_release(inputs);
			return rc;
		}
	}
	return 0;
}

void fp__inputs_release(fp_inputs *inputs)
{
	for (size_t i = 0; i < inputs->count; i++)
		free(inputs->paths[i]);
	free(inputs->paths);
	memset(inputs, 0, sizeof *inputs);
}
