#include "input_decoder.h"

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

/* Exported by the built-in decode (stages/decode.c), not by the stage ABI:
 * the name is reserved to the built-in, so no plugin can stand in for it. */
typedef int input_decoder_fn(const char *path, char *name, size_t name_size,
			     char *err, size_t err_size);

int fp__plugin_input_decoder(const fp_plugin *source, const char *path,
			     char *name, size_t name_size, char *err,
			     size_t err_size)
{
	input_decoder_fn *fn = NULL;
	if (source->handle != NULL && strcmp(source->desc->name, "decode") == 0)
		*(void **)&fn =
			dlsym(source->handle, "framepipe_input_decoder");
	if (fn != NULL)
		return fn(path, name, name_size, err, err_size);
	snprintf(name, name_size, "%s", source->desc->name);
	return 0;
}
