/* png_decode — a source stage that decodes the run's PNG inputs (libpng)
 * into frames of the file's layout and depth, or the ones its parameters
 * ask for, with the file's metadata. The codec is stages/codec/png_read.c
 * (decoding, limits) and png_meta.c (metadata chunks). */
#include "framepipe/stage.h"

#include "files.h"
#include "png_codec.h"

static int png_decode_init(void **state, const void *config,
			   const fp_stage_env *env, char *err, size_t err_size)
{
	(void)env;
	(void)err;
	(void)err_size;
	*state = (void *)config;
	return 0;
}

static int png_decode_process(void *state, fp_frame *in, fp_frame *out)
{
	(void)in;
	if (out->input_path == NULL)
		return FP_EEND;
	return fp_codec_png.decode(state, out);
}

static int png_decode_probe(const void *config, const char *input_path,
			    fp_shape *out, char *err, size_t err_size)
{
	if (input_path == NULL)
		return fp__codec_error(err, err_size, FP_ECONFIG,
				       "png_decode needs input files");
	return fp_codec_png.probe(config, input_path, out, err, err_size);
}

static int png_decode_frame_bound(const void *config, const char *input_path,
				  uint64_t *bytes, char *err, size_t err_size)
{
	if (input_path == NULL)
		return fp__codec_error(err, err_size, FP_ECONFIG,
				       "png_decode needs input files");
	return fp__png_frame_bound(config, input_path, bytes, err, err_size);
}

static int64_t png_decode_frame_count(const void *config, size_t input_count)
{
	(void)config;
	return (int64_t)input_count;
}

FP_STAGE_EXPORT = {
	FP_STAGE_HEADER,
	.name = "png_decode",
	.summary = "decode PNG input files (libpng) into 8- or 16-bit frames "
		   "with their metadata",
	.kind = FP_STAGE_SOURCE,
	.flags = FP_STAGE_READS_INPUTS,
	.formats = 0,
	.params = fp_png_decode_params,
	.param_count = FP_PNG_DECODE_PARAMS,
	.config_size = sizeof(struct fp_png_decode_config),
	.init = png_decode_init,
	.process = png_decode_process,
	.frame_bound = png_decode_frame_bound,
	.frame_count = png_decode_frame_count,
	.description = fp_png_decode_description,
	.check = fp__png_decode_check,
	.shape = fp__png_decode_shape,
	.probe = png_decode_probe,
};
