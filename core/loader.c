#include "loader.h"

#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef FP_STAGE_DIR_FROM_BIN
#define FP_STAGE_DIR_FROM_BIN "../lib/framepipe/stages"
#endif

/* The descriptor size of ABI 1.0: every field up to frame_count. Plugins
 * built against a later minor have a larger struct_size. */
#define DESCRIPTOR_SIZE_1_0                           \
	(offsetof(fp_stage_descriptor, frame_count) + \
	 sizeof(((fp_stage_descriptor *)0)->frame_count))

static int check_descriptor(const fp_stage_descriptor *d, const char *path,
			    char *err, size_t err_size)
{
	if (d->abi_major != FP_ABI_MAJOR) {
		snprintf(err, err_size,
			 "%s: built for framepipe ABI %u.%u, this framepipe "
			 "loads ABI %d.x (rebuild the plugin)",
			 path, d->abi_major, d->abi_minor, FP_ABI_MAJOR);
		return FP_EABI;
	}
	if (d->abi_minor > FP_ABI_MINOR) {
		snprintf(err, err_size,
			 "%s: built for framepipe ABI %u.%u, newer than this "
			 "framepipe's %d.%d (upgrade framepipe)",
			 path, d->abi_major, d->abi_minor, FP_ABI_MAJOR,
			 FP_ABI_MINOR);
		return FP_EABI;
	}
	if (d->struct_size < DESCRIPTOR_SIZE_1_0) {
		snprintf(err, err_size,
			 "%s: descriptor is %u bytes, ABI %d.%d needs at least "
			 "%zu (truncated descriptor)",
			 path, d->struct_size, FP_ABI_MAJOR, d->abi_minor,
			 (size_t)DESCRIPTOR_SIZE_1_0);
		return FP_EABI;
	}
	if (d->name == NULL || d->name[0] == '\0' || d->process == NULL) {
		snprintf(err, err_size, "%s: descriptor has no %s", path,
			 d->process == NULL ? "process function" : "name");
		return FP_EABI;
	}
	if (d->kind < FP_STAGE_SOURCE || d->kind > FP_STAGE_SINK) {
		snprintf(err, err_size, "%s: stage %s has unknown kind %d",
			 path, d->name, (int)d->kind);
		return FP_EABI;
	}
	if (d->param_count > 0 && d->params == NULL) {
		snprintf(err, err_size,
			 "%s: stage %s declares %zu parameters "
			 "but no table",
			 path, d->name, d->param_count);
		return FP_EABI;
	}
	return 0;
}

int fp__plugin_open(fp_plugin *plugin, const char *path, char *err,
		    size_t err_size)
{
	memset(plugin, 0, sizeof *plugin);
	void *handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (handle == NULL) {
		snprintf(err, err_size, "%s: cannot load: %s", path, dlerror());
		return FP_ENOSTAGE;
	}
	const fp_stage_descriptor *desc = dlsym(handle, FP_STAGE_SYMBOL_NAME);
	if (desc == NULL) {
		snprintf(err, err_size,
			 "%s: not a framepipe stage (no '%s' symbol; export "
			 "one with FP_STAGE_EXPORT)",
			 path, FP_STAGE_SYMBOL_NAME);
		dlclose(handle);
		return FP_EABI;
	}
	int rc = check_descriptor(desc, path, err, err_size);
	if (rc != 0) {
		dlclose(handle);
		return rc;
	}
	plugin->path = strdup(path);
	if (plugin->path == NULL) {
		dlclose(handle);
		return -ENOMEM;
	}
	plugin->desc = desc;
	plugin->handle = handle;
	return 0;
}

const char *fp__builtin_stage_dir(void)
{
	static char dir[PATH_MAX];
	if (dir[0] != '\0')
		return dir;
	char exe[PATH_MAX - 64];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n <= 0)
		return FP_STAGE_DIR_FROM_BIN;
	exe[n] = '\0';
	char *slash = strrchr(exe, '/');
	if (slash != NULL)
		*slash = '\0';
	snprintf(dir, sizeof dir, "%s/%s", exe, FP_STAGE_DIR_FROM_BIN);
	return dir;
}

/* Try DIR/NAME.so; 1 if it exists (opened or failed), 0 if absent. */
static int try_dir(fp_plugin *plugin, const char *dir, size_t dir_len,
		   const char *name, int *rc, char *err, size_t err_size)
{
	char path[PATH_MAX + 64];
	int n = snprintf(path, sizeof path, "%.*s/%s.so", (int)dir_len, dir,
			 name);
	if (n < 0 || (size_t)n >= sizeof path || access(path, F_OK) != 0)
		return 0;
	*rc = fp__plugin_open(plugin, path, err, err_size);
	if (*rc == 0 && strcmp(plugin->desc->name, name) != 0) {
		snprintf(err, err_size,
			 "%s: file is named %s but its stage "
			 "is %s",
			 path, name, plugin->desc->name);
		fp__plugin_close(plugin);
		*rc = FP_EABI;
	}
	return 1;
}

int fp__plugin_find(fp_plugin *plugin, const char *name, char *err,
		    size_t err_size)
{
	int rc = FP_ENOSTAGE;
	if (strchr(name, '/') != NULL || name[0] == '.' || name[0] == '\0') {
		snprintf(err, err_size, "'%s' is not a stage name", name);
		return FP_ENOSTAGE;
	}
	/* Built-ins first: a plugin on FRAMEPIPE_PLUGIN_PATH cannot shadow
	 * a built-in stage of the same name. */
	const char *builtin = fp__builtin_stage_dir();
	if (try_dir(plugin, builtin, strlen(builtin), name, &rc, err, err_size))
		return rc;
	const char *path = getenv("FRAMEPIPE_PLUGIN_PATH");
	while (path != NULL && *path != '\0') {
		const char *colon = strchr(path, ':');
		size_t len =
			colon != NULL ? (size_t)(colon - path) : strlen(path);
		if (len > 0 &&
		    try_dir(plugin, path, len, name, &rc, err, err_size))
			return rc;
		path = colon != NULL ? colon + 1 : NULL;
	}
	snprintf(err, err_size, "no stage named '%s' (looked in %s%s%s)", name,
		 builtin, getenv("FRAMEPIPE_PLUGIN_PATH") ? " and " : "",
		 getenv("FRAMEPIPE_PLUGIN_PATH") ? "FRAMEPIPE_PLUGIN_PATH"
						 : "");
	return FP_ENOSTAGE;
}

void fp__plugin_close(fp_plugin *plugin)
{
	if (plugin->handle != NULL)
		dlclose(plugin->handle);
	free(plugin->path);
	memset(plugin, 0, sizeof *plugin);
}
