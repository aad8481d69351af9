/* The plugin loader of framepipe 1.1, as it was at the last 1.1 commit
 * (git show 03b3ecc^:core/plugin/loader.c), kept unchanged beside the 1.1
 * headers: tests/abi/load_with_abi11.c loads plugins with it, so that a
 * plugin built for 1.1 with today's headers (FP_ABI_TARGET_MINOR=1) is
 * shown to load in a 1.1 framepipe, and one built for 1.2 to be refused
 * there. Not built into framepipe. */
#include "loader.h"

#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef FP_STAGE_DIR_FROM_BIN
#define FP_STAGE_DIR_FROM_BIN "../lib/framepipe/stages"
#endif

/* Bytes of fp_stage_descriptor up to and including field. */
#define END_OF(field)                           \
	(offsetof(fp_stage_descriptor, field) + \
	 sizeof(((fp_stage_descriptor *)0)->field))

/* abi_major, abi_minor and struct_size: every version starts with them. */
#define HEADER_SIZE END_OF(struct_size)

/* The smallest descriptor a plugin built against ABI 1.<minor> has: every
 * field that minor defines. One line per minor, appended with the field. */
static const size_t descriptor_size[FP_ABI_MINOR + 1] = {
	[0] = END_OF(frame_count),
	[1] = END_OF(description),
};
_Static_assert(END_OF(description) == sizeof(fp_stage_descriptor),
	       "a field was appended: add its minor to descriptor_size[]");

/* The size of the object at addr in its library's symbol table, 0 when
 * unknown; dli_fname (the loaded file) in *file. */
static size_t symbol_size(const void *addr, const char **file)
{
	Dl_info info;
	const ElfW(Sym) *sym = NULL;
	*file = NULL;
	if (dladdr1(addr, &info, (void **)&sym, RTLD_DL_SYMENT) == 0)
		return 0;
	*file = info.dli_fname;
	return sym != NULL && info.dli_saddr == addr ? (size_t)sym->st_size : 0;
}

static bool is_valid_name(const char *name)
{
	if (name == NULL || name[0] == '\0')
		return false;
	for (const char *c = name; *c != '\0'; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		      (*c >= '0' && *c <= '9') || *c == '_' || *c == '-'))
			return false;
	return true;
}

/* The ABI header: major, minor, and a struct_size that covers the minor's
 * fields and stays inside the object the plugin exports (have bytes, 0 when
 * unknown). Nothing past the header is read before this passes. */
static int check_abi(const fp_stage_descriptor *d, size_t have,
		     const char *path, char *err, size_t err_size)
{
	if (have != 0 && have < HEADER_SIZE) {
		snprintf(err, err_size,
			 "%s: '%s' is a %zu-byte object, not a stage "
			 "descriptor (truncated descriptor)",
			 path, FP_STAGE_SYMBOL_NAME, have);
		return FP_EABI;
	}
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
	size_t need = descriptor_size[d->abi_minor];
	if (d->struct_size < need || (have != 0 && have < need)) {
		snprintf(err, err_size,
			 "%s: descriptor is %zu bytes, ABI %d.%u needs at "
			 "least %zu (truncated descriptor)",
			 path,
			 have != 0 && have < d->struct_size
				 ? have
				 : (size_t)d->struct_size,
			 FP_ABI_MAJOR, d->abi_minor, need);
		return FP_EABI;
	}
	return 0;
}

/* The fields every version has, once the ABI header is known good. */
static int check_fields(const fp_stage_descriptor *d, const char *path,
			char *err, size_t err_size)
{
	if (d->name == NULL || d->name[0] == '\0' || d->process == NULL) {
		snprintf(err, err_size, "%s: descriptor has no %s", path,
			 d->process == NULL ? "process function" : "name");
		return FP_EABI;
	}
	if (!is_valid_name(d->name)) {
		snprintf(err, err_size,
			 "%s: stage name '%s' is not a name (letters, digits, "
			 "'_' and '-')",
			 path, d->name);
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

static bool same_file(const char *a, const char *b)
{
	struct stat sa, sb;
	return a != NULL && b != NULL && stat(a, &sa) == 0 &&
	       stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
	       sa.st_ino == sb.st_ino;
}

/* A built-in's name is reserved: refuse file (shown as path) when it
 * declares one and is not that built-in itself. */
static int check_reserved_name(const char *name, const char *file,
			       const char *path, char *err, size_t err_size)
{
	char builtin[PATH_MAX + 64];
	int n = snprintf(builtin, sizeof builtin, "%s/%s.so",
			 fp__builtin_stage_dir(), name);
	if (n < 0 || (size_t)n >= sizeof builtin ||
	    access(builtin, F_OK) != 0 || same_file(file, builtin))
		return 0;
	snprintf(err, err_size,
		 "%s: stage '%s' has the name of the built-in stage %s "
		 "(rename the plugin's stage)",
		 path, name, builtin);
	return FP_EABI;
}

/* A full-size copy of d with every field past its struct_size (and past
 * the have bytes of its object, when known) zero. */
static fp_stage_descriptor *copy_descriptor(const fp_stage_descriptor *d,
					    size_t have)
{
	size_t size = d->struct_size;
	if (have != 0 && have < size)
		size = have;
	if (size > sizeof(fp_stage_descriptor))
		size = sizeof(fp_stage_descriptor);
	fp_stage_descriptor *copy = calloc(1, sizeof *copy);
	if (copy != NULL)
		memcpy(copy, d, size);
	return copy;
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
	const char *file;
	size_t have = symbol_size(desc, &file);
	int rc = check_abi(desc, have, path, err, err_size);
	if (rc == 0)
		rc = check_fields(desc, path, err, err_size);
	if (rc == 0)
		rc = check_reserved_name(desc->name, file ? file : path, path,
					 err, err_size);
	if (rc != 0)
		goto err_close;
	rc = -ENOMEM;
	plugin->path = strdup(path);
	plugin->desc = copy_descriptor(desc, have);
	if (plugin->path == NULL || plugin->desc == NULL)
		goto err_free;
	plugin->handle = handle;
	return 0;

err_free:
	free(plugin->path);
	free((fp_stage_descriptor *)plugin->desc);
	memset(plugin, 0, sizeof *plugin);
err_close:
	dlclose(handle);
	return rc;
}

int fp__plugin_wrap(fp_plugin *plugin, const fp_stage_descriptor *desc,
		    const char *origin, char *err, size_t err_size)
{
	memset(plugin, 0, sizeof *plugin);
	int rc = check_abi(desc, 0, origin, err, err_size);
	if (rc == 0)
		rc = check_fields(desc, origin, err, err_size);
	if (rc != 0)
		return rc;
	plugin->path = strdup(origin);
	plugin->desc = copy_descriptor(desc, 0);
	if (plugin->path == NULL || plugin->desc == NULL) {
		fp__plugin_close(plugin);
		return -ENOMEM;
	}
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
	/* bin/../lib/... reads better in messages as lib/... */
	char real[PATH_MAX];
	if (realpath(dir, real) != NULL)
		snprintf(dir, sizeof dir, "%s", real);
	return dir;
}

/* DIR/NAME.so in path; false if it does not fit. */
static bool stage_file(char *path, size_t size, const char *dir, size_t dir_len,
		       const char *name)
{
	int n = snprintf(path, size, "%.*s/%s.so", (int)dir_len, dir, name);
	return n >= 0 && (size_t)n < size;
}

/* Try DIR/NAME.so; 1 if it exists (opened or failed), 0 if absent. */
static int try_dir(fp_plugin *plugin, const char *dir, size_t dir_len,
		   const char *name, int *rc, char *err, size_t err_size)
{
	char path[PATH_MAX + 64];
	if (!stage_file(path, sizeof path, dir, dir_len, name) ||
	    access(path, F_OK) != 0)
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

/* The next folder of a colon-separated list: its start and length in *len,
 * advancing *cursor; NULL at the end. Empty entries are skipped. */
static const char *next_dir(const char **cursor, size_t *len)
{
	while (*cursor != NULL && **cursor != '\0') {
		const char *dir = *cursor;
		const char *colon = strchr(dir, ':');
		*len = colon != NULL ? (size_t)(colon - dir) : strlen(dir);
		*cursor = colon != NULL ? colon + 1 : NULL;
		if (*len > 0)
			return dir;
	}
	return NULL;
}

/* The built-in name was found in the built-in folder: refuse another file
 * of that name on FRAMEPIPE_PLUGIN_PATH rather than shadow it silently. */
static int check_shadow(const fp_plugin *builtin, const char *name, char *err,
			size_t err_size)
{
	const char *cursor = getenv("FRAMEPIPE_PLUGIN_PATH");
	const char *dir;
	size_t len;
	while ((dir = next_dir(&cursor, &len)) != NULL) {
		char path[PATH_MAX + 64];
		if (stage_file(path, sizeof path, dir, len, name) &&
		    access(path, F_OK) == 0 &&
		    !same_file(path, builtin->path)) {
			snprintf(err, err_size,
				 "%s: stage '%s' has the name of the built-in "
				 "stage %s (rename the plugin's stage)",
				 path, name, builtin->path);
			return FP_EABI;
		}
	}
	return 0;
}

int fp__plugin_find(fp_plugin *plugin, const char *name, char *err,
		    size_t err_size)
{
	int rc = FP_ENOSTAGE;
	if (strchr(name, '/') != NULL || name[0] == '.' || name[0] == '\0') {
		snprintf(err, err_size, "'%s' is not a stage name", name);
		return FP_ENOSTAGE;
	}
	const char *builtin = fp__builtin_stage_dir();
	if (try_dir(plugin, builtin, strlen(builtin), name, &rc, err,
		    err_size)) {
		if (rc == 0 &&
		    (rc = check_shadow(plugin, name, err, err_size)) != 0)
			fp__plugin_close(plugin);
		return rc;
	}
	const char *cursor = getenv("FRAMEPIPE_PLUGIN_PATH");
	const char *dir;
	size_t len;
	while ((dir = next_dir(&cursor, &len)) != NULL)
		if (try_dir(plugin, dir, len, name, &rc, err, err_size))
			return rc;
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
	free((fp_stage_descriptor *)plugin->desc);
	free(plugin->path);
	memset(plugin, 0, sizeof *plugin);
}
