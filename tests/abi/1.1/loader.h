/* loader — find stage plugins, dlopen them and check their descriptor. */
#ifndef FP_LOADER_H
#define FP_LOADER_H

#include <stddef.h>

#include "framepipe/stage.h"

typedef struct fp_plugin {
	/* A full-size copy of the plugin's descriptor (owned, on the heap so
	 * the pointer survives copies of this struct): every field past the
	 * plugin's struct_size is zero, so code may read any field of the
	 * current ABI without checking struct_size. Its function and string
	 * pointers point into the loaded object: valid until close. */
	const fp_stage_descriptor *desc;
	void *handle; /* dlopen handle */
	char *path;   /* the file it came from (owned) */
} fp_plugin;

/* Load the plugin file at path and validate its descriptor. On error returns
 * a negative code and err holds "PATH: reason", the exact messages listed in
 * the ABI policy of framepipe/stage.h (wrong ABI, short struct, no
 * descriptor, missing process, the name of a built-in stage...). */
int fp__plugin_open(fp_plugin *plugin, const char *path, char *err,
		    size_t err_size);

/* Find stage name in the built-in stage folder, then in the folders of
 * FRAMEPIPE_PLUGIN_PATH (colon-separated), and open it. FP_ENOSTAGE when
 * it is nowhere. A built-in's name is reserved: when another file of that
 * name sits on FRAMEPIPE_PLUGIN_PATH the lookup fails (FP_EABI) naming both
 * files, rather than silently picking one. */
int fp__plugin_find(fp_plugin *plugin, const char *name, char *err,
		    size_t err_size);

/* Check and adopt a descriptor linked into this program (no dlopen, handle
 * stays NULL; desc is borrowed and must outlive the plugin). origin names it
 * in messages. Same checks as fp__plugin_open but the built-in name one. */
int fp__plugin_wrap(fp_plugin *plugin, const fp_stage_descriptor *desc,
		    const char *origin, char *err, size_t err_size);

void fp__plugin_close(fp_plugin *plugin);

/* The folder of built-in stages: <dir of this
 * executable>/FP_STAGE_DIR_FROM_BIN. Returns a static string. */
const char *fp__builtin_stage_dir(void);

#endif
