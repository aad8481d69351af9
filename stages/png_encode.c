/* png_encode — a sink stage that writes each frame as a PNG file (libpng),
 * atomically, at the frame's depth or the one asked for, with the frame's
 * metadata unless `strip` says otherwise. The codec is
 * stages/codec/png_write.c and png_meta.c. */
#include "framepipe/stage.h"

#include "png_codec.h"

static int png_encode_init(void **state, const void *config,
			   const fp_stage_env *env, char *err, size_t err_size)
{
	(void)env;
	(void)err;
	(void)err_size;
	*state = (void *)config;
	return 0;
}

static int png_encode_process(void *state, fp_frame *in, fp_frame *out)
{
	(void)out;
	return fp_codec_png.encode(state, in);
}

FP_STAGE_EXPORT = {
	FP_STAGE_HEADER,
	.name = "png_encode",
	.summary = "write frames as PNG files (libpng), 8 or 16 bits, with "
		   "their metadata, atomically",
	.kind = FP_STAGE_SINK,
	.flags = FP_STAGE_WRITES_OUTPUTS,
	.formats = FP_FORMATS_ALL,
	.params = fp_png_encode_params,
	.param_count = FP_PNG_ENCODE_PARAMS,
	.config_size = sizeof(struct fp_png_encode_config),
	.init = png_encode_init,
	.process = png_encode_process,
	.description = fp_png_encode_description,
};
