/* decode — the generic source: reads each input with the codec its first
 * bytes name (never its file name), so one run takes a folder of PNG, JPEG
 * and WebP files. Each codec's decoder parameters are here prefixed by its
 * name (png.depth=8, jpeg.max_scans=100); their meaning is the codec's own
 * stage's (framepipe stages png_decode). */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "any.h"
#include "files.h"

static fp_any_table table;

static int decode_init(void **state, const void *config,
		       const fp_stage_env *env, char *err, size_t err_size)
{
	(void)env;
	(void)err;
	(void)err_size;
	*state = (void *)config;
	return 0;
}

/* The codec for path, from its first bytes; with the reason in err when
 * there is none. With hand_on, the codec is about to read path: the open
 * stream is handed on to it (codec/files.h) rather than closed. */
static const fp_codec *codec_of(const char *path, bool hand_on, size_t *index,
				int *code, char *err, size_t err_size)
{
	FILE *file;
	*code = fp__codec_open_input(path, &file, err, err_size);
	if (*code != 0)
		return NULL;
	unsigned char head[FP_CODEC_SNIFF_BYTES];
	size_t got = fread(head, 1, sizeof head, file);
	const fp_codec *codec =
		got > 0 ? fp__any_sniff(head, got, index) : NULL;
	if (codec != NULL && hand_on)
		fp__codec_input_hand_on(path, file);
	else
		(void)fclose(file); /* read only: nothing to lose */
	if (got == 0) {
		*code = fp__codec_error(err, err_size, FP_ECORRUPT,
					"empty file");
		return NULL;
	}
	if (codec == NULL) {
		char names[96], bytes[16] = "";
		size_t shown = got < 4 ? got : 4;
		for (size_t i = 0, at = 0; i < shown; i++)
			at += (size_t)snprintf(bytes + at, sizeof bytes - at,
					       i == 0 ? "%02x" : " %02x",
					       head[i]);
		*code = fp__codec_error(
			err, err_size, FP_EFORMAT,
			"not a file framepipe reads (%s); %s %s",
			fp__any_names(1, names, sizeof names),
			got < 4 ? "its only bytes are" : "it starts with",
			bytes);
	}
	return codec;
}

/* Not part of the stage ABI: `framepipe check` looks this symbol up in
 * the built-in decode (core/plugin/codec_lookup.c) to name the decoder
 * each input will get, by the very sniffing decode_process does. reader
 * is the pipeline's source: "decode", or a codec's own decoder
 * ("png_decode"), which reads its format only; any other source is not
 * ours to judge (0, its own name). 0 and the decoder ("jpeg_decode") in
 * name, or an error with the reason in err. */
__attribute__((visibility("default"))) int
framepipe_input_decoder(const char *reader, const char *path, char *name,
			size_t name_size, char *err, size_t err_size);
int framepipe_input_decoder(const char *reader, const char *path, char *name,
			    size_t name_size, char *err, size_t err_size)
{
	const fp_codec *own = fp__any_by_stage(reader, "_decode");
	if (own == NULL && strcmp(reader, "decode") != 0) {
		snprintf(name, name_size, "%s", reader);
		return 0;
	}
	size_t i;
	int code;
	const fp_codec *codec = codec_of(path, false, &i, &code, err, err_size);
	if (codec == NULL)
		return code;
	if (own != NULL && codec != own)
		return fp__codec_error(err, err_size, FP_EFORMAT,
				       "a %s file; %s reads %s files (the "
				       "source 'decode' reads every format)",
				       codec->label, reader, own->label);
	snprintf(name, name_size, "%s_decode", codec->name);
	return 0;
}

static int decode_process(void *state, fp_frame *in, fp_frame *out)
{
	(void)in;
	if (out->input_path == NULL)
		return FP_EEND;
	size_t i;
	int code;
	const fp_codec *codec = codec_of(out->input_path, true, &i, &code,
					 out->error, out->error_size);
	if (codec == NULL)
		return code;
	return codec->decode(fp__any_block(&table, state, i), out);
}

static int decode_probe(const void *config, const char *path, fp_shape *out,
			char *err, size_t err_size)
{
	size_t i;
	int code;
	if (path == NULL)
		return fp__codec_error(err, err_size, FP_ECONFIG,
				       "needs input files (-i)");
	const fp_codec *codec = codec_of(path, true, &i, &code, err, err_size);
	if (codec == NULL)
		return code;
	return codec->probe(fp__any_block(&table, config, i), path, out, err,
			    err_size);
}

static int decode_bound(const void *config, const char *path, uint64_t *bytes,
			char *err, size_t err_size)
{
	fp_shape shape = {0};
	int rc = decode_probe(config, path, &shape, err, err_size);
	if (rc != 0)
		return rc;
	*bytes = fp_shape_max_bytes(&shape);
	return 0;
}

static int64_t decode_count(const void *config, size_t input_count)
{
	(void)config;
	return (int64_t)input_count;
}

static int decode_check(const void *config, char *err, size_t err_size)
{
	return fp__any_check(&table, 1, config, err, err_size);
}

static int decode_shape(const void *config, const fp_shape *in, fp_shape *out,
			char *err, size_t err_size)
{
	(void)config;
	(void)in;
	(void)err;
	(void)err_size;
	*out = (fp_shape){0};
	for (size_t i = 0; i < fp_codec_count; i++)
		if (fp_codecs[i]->decode != NULL)
			out->formats |= fp_codecs[i]->decoder.formats;
	return 0;
}

/* Built when the module is loaded: the descriptor cannot be a constant,
 * its parameter count is known only then. */
__attribute__((visibility("default"))) fp_stage_descriptor FP_STAGE_SYMBOL = {
	FP_STAGE_HEADER,
	.name = "decode",
	.summary = "decode every input with the codec its first bytes name "
		   "(PNG, JPEG, WebP, TIFF)",
	.description =
		"The codec is chosen from each file's first bytes, never its "
		"name; a file no codec\n"
		"reads fails with one line. Each codec's parameters are "
		"prefixed by its name\n"
		"(png.depth, jpeg.max_scans, webp.max_pixels) and mean what "
		"they mean for that\n"
		"codec's own stage (png_decode, jpeg_decode, webp_decode). "
		"Metadata and the\n"
		"shrink hint are the codecs' own.",
	.kind = FP_STAGE_SOURCE,
	.flags = FP_STAGE_READS_INPUTS,
	.params = table.params,
	.config_size = sizeof(fp_any_config),
	.init = decode_init,
	.process = decode_process,
	.frame_bound = decode_bound,
	.frame_count = decode_count,
	.shape = decode_shape,
	.check = decode_check,
	.probe = decode_probe,
};

__attribute__((constructor)) static void build_table(void)
{
	if (fp__any_table_build(&table, 1) != 0) {
		/* A build mistake: the loader refuses a stage with no
		 * process function, naming this file. */
		FP_STAGE_SYMBOL.process = NULL;
		return;
	}
	FP_STAGE_SYMBOL.param_count = table.count;
}
