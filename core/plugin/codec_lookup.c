#include "codec_lookup.h"

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

#include "framepipe/error.h"

/* symbol of the built-in `name`: from stage itself when it is that
 * built-in, else from the built-in loaded into own. The names are reserved
 * to the built-ins, so no plugin can stand in for them. */
static void *builtin_symbol(const fp_plugin *stage, const char *name,
			    const char *symbol, fp_plugin *own)
{
	if (stage->handle != NULL && strcmp(stage->desc->name, name) == 0)
		return dlsym(stage->handle, symbol);
	char err[512];
	if (fp__plugin_find(own, name, err, sizeof err) != 0) {
		memset(own, 0, sizeof *own);
		return NULL;
	}
	return dlsym(own->handle, symbol);
}

void fp__codec_lookup_init(fp_codec_lookup *l, const fp_plugin *source,
			   const fp_plugin *sink)
{
	memset(l, 0, sizeof *l);
	l->source = source != NULL ? source->desc->name : NULL;
	l->sink = sink != NULL ? sink->desc->name : NULL;
	/* A stage linked into the program (handle NULL) is no codec's. */
	if (source != NULL && source->handle != NULL)
		*(void **)&l->decoder =
			builtin_symbol(source, "decode",
				       "framepipe_input_decoder", &l->decode);
	if (sink != NULL && sink->handle != NULL)
		*(void **)&l->encoder = builtin_symbol(
			sink, "encode", "framepipe_output_encoder", &l->encode);
}

int fp__codec_lookup_decoder(const fp_codec_lookup *l, const char *path,
			     char *name, size_t name_size, char *err,
			     size_t err_size)
{
	if (l->decoder != NULL)
		return l->decoder(l->source, path, name, name_size, err,
				  err_size);
	snprintf(name, name_size, "%s", l->source);
	return 0;
}

int fp__codec_lookup_writes(const fp_codec_lookup *l, const char *path,
			    char *err, size_t err_size)
{
	if (l->encoder == NULL)
		return 0;
	int rc = l->encoder(l->sink, path, err, err_size);
	return rc == 0 ? 0 : FP_ECONFIG;
}

void fp__codec_lookup_release(fp_codec_lookup *l)
{
	fp__plugin_close(&l->decode);
	fp__plugin_close(&l->encode);
	memset(l, 0, sizeof *l);
}
