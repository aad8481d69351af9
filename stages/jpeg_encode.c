/* jpeg_encode — a sink stage that writes each G8 or RGB8 frame as a JPEG
 * file (libjpeg-turbo), atomically. The codec is
 * stages/codec/jpeg_write.c, where settings and metadata are described. */
#include "framepipe/stage.h"

#include "jpeg.h"

static int jpeg_encode_init(void **state, const void *config,
			    const fp_stage_env *env, char *err, size_t err_size)
{
	(void)env;
	(void)err;
	(void)err_size;
	*state = (void *)config;
	return 0;
}

static int jpeg_encode_process(void *state, fp_frame *in, fp_frame *out)
{
	(void)out;
	return fp_codec_jpeg.encode(state, in);
}

FP_STAGE_EXPORT = {
	FP_STAGE_HEADER,
	.name = "jpeg_encode",
	.summary = "write G8 and RGB8 frames as JPEG files (libjpeg-turbo), "
		   "atomically",
	.description =
		"Settings and defaults are cjpeg's: a frame without metadata "
		"gives cjpeg's bytes.\n"
		"Frames with alpha are refused (put alpha_flatten before), "
		"16-bit ones too.\n"
		"Writes the frame's EXIF, XMP, ICC profile, comments and "
		"resolution; strip=meta\n"
		"keeps only the ICC profile, strip=all writes none.",
	.kind = FP_STAGE_SINK,
	.flags = FP_STAGE_WRITES_OUTPUTS,
	.formats = FP_JPEG_ENCODE_FORMATS,
	.params = fp_jpeg_encode_params,
	.param_count = FP_JPEG_ENCODE_PARAMS,
	.config_size = sizeof(struct fp_jpeg_encode_config),
	.init = jpeg_encode_init,
	.process = jpeg_encode_process,
	.output_extension = ".jpg",
};
