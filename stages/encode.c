/* encode — the generic sink: writes each frame with the codec its output
 * name's extension names (.png, .jpg, .webp), so the default output name
 * keeps each input's format and `--set output={dir}/{stem}.webp` converts.
 * Each codec's encoder parameters are here prefixed by its name
 * (jpeg.quality=80 webp.quality=75); their meaning is the codec's own
 * stage's (framepipe stages jpeg_encode). */
#include <stdio.h>
#include <string.h>

#include "any.h"
#include "files.h"

static fp_any_table table;

static int encode_init(void **state, const void *config,
		       const fp_stage_env *env, char *err, size_t err_size)
{
	(void)env;
	(void)err;
	(void)err_size;
	*state = (void *)config;
	return 0;
}

/* The codec encode writes path with, or NULL with the reason in err. */
static const fp_codec *codec_for(const char *path, size_t *index, char *err,
				 size_t err_size)
{
	const fp_codec *codec = fp__any_by_extension(path, index);
	if (codec != NULL)
		return codec;
	char names[96];
	const char *slash = strrchr(path, '/');
	const char *dot = strrchr(slash ? slash + 1 : path, '.');
	fp__codec_error(err, err_size, FP_ECONFIG,
			"cannot write '%s' files (encode writes %s: name the "
			"output with one of these extensions)",
			dot ? dot : "(no extension)",
			fp__any_names(0, names, sizeof names));
	return NULL;
}

/* Not part of the stage ABI: `framepipe check` and `run` look this symbol
 * up in the built-in encode (core/plugin/codec_lookup.c) before the run,
 * to refuse an output name the sink writer would write wrongly: encode
 * one with no codec for its extension, a codec's own encoder
 * ("png_encode") one with another codec's extension (it would write PNG
 * into a .jpg; a name with no extension or an unknown one is the user's). Any
 * other writer is not ours to judge. 0, or FP_ECONFIG with the reason in err.
 */
__attribute__((visibility("default"))) int
framepipe_output_encoder(const char *writer, const char *path, char *err,
			 size_t err_size);
int framepipe_output_encoder(const char *writer, const char *path, char *err,
			     size_t err_size)
{
	const fp_codec *own = fp__any_by_stage(writer, "_encode");
	if (own == NULL && strcmp(writer, "encode") != 0)
		return 0;
	size_t i;
	const fp_codec *codec = codec_for(path, &i, err, err_size);
	if (own == NULL)
		return codec != NULL ? 0 : FP_ECONFIG;
	/* A codec's own encoder names no format by the name: no extension,
	 * or one no codec has (".tmp"), is the user's choice; only another
	 * codec's extension is a mistake. */
	if (codec == NULL || codec == own) {
		err[0] = '\0';
		return 0;
	}
	return fp__codec_error(
		err, err_size, FP_ECONFIG,
		"%s writes %s (.%.*s) files: name the output "
		".%.*s, or end the pipeline with `encode`, "
		"which picks the format from the name",
		writer, own->label, (int)strcspn(own->extensions, "|"),
		own->extensions, (int)strcspn(own->extensions, "|"),
		own->extensions);
}

static int encode_process(void *state, fp_frame *in, fp_frame *out)
{
	(void)out;
	if (in->output_path == NULL || in->output_path[0] == '\0')
		return fp_frame_fail(in, FP_ECONFIG,
				     "no output path (encode writes files: "
				     "give the run an output folder with -o)");
	size_t i;
	const fp_codec *codec =
		codec_for(in->output_path, &i, in->error, in->error_size);
	if (codec == NULL)
		return FP_ECONFIG;
	return codec->encode(fp__any_block(&table, state, i), in);
}

static int encode_check(const void *config, char *err, size_t err_size)
{
	return fp__any_check(&table, 0, config, err, err_size);
}

__attribute__((visibility("default"))) fp_stage_descriptor FP_STAGE_SYMBOL = {
	FP_STAGE_HEADER,
	.name = "encode",
	.summary = "write each frame with the codec its output name's "
		   "extension names (PNG, JPEG, WebP, TIFF)",
	.description =
		"The default output name keeps each input's name and format "
		"({dir}/{stem}.{ext});\n"
		"`--set output={dir}/{stem}.webp` (or [pipeline] output) "
		"converts. Each codec's\n"
		"parameters are prefixed by its name (png.level, "
		"jpeg.quality, webp.lossless)\n"
		"and mean what they mean for that codec's own stage. A frame "
		"the chosen codec\n"
		"cannot write (alpha into JPEG, 16-bit into WebP) fails with "
		"that codec's line.",
	.kind = FP_STAGE_SINK,
	.flags = FP_STAGE_WRITES_OUTPUTS,
	.formats = FP_FORMATS_ALL,
	.params = table.params,
	.config_size = sizeof(fp_any_config),
	.init = encode_init,
	.process = encode_process,
	.check = encode_check,
	.output_extension = ".{ext}",
};

__attribute__((constructor)) static void build_table(void)
{
	if (fp__any_table_build(&table, 0) != 0) {
		FP_STAGE_SYMBOL.process = NULL;
		return;
	}
	FP_STAGE_SYMBOL.param_count = table.count;
}
