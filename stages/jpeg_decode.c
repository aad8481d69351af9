/* jpeg_decode — a source stage that decodes the run's JPEG inputs
 * (libjpeg-turbo) into G8 or RGB8 frames, written straight into the pool
 * slot. The codec is stages/codec/jpeg_read.c, where formats, limits,
 * metadata and shrink-on-load are described. */
#include "framepipe/stage.h"

#include "files.h"
#include "jpeg.h"

static int jpeg_decode_init(void **state, const void *config,
			    const fp_stage_env *env, char *err, size_t err_size)
{
	(void)env;
	(void)err;
	(void)err_size;
	*state = (void *)config;
	return 0;
}

static int jpeg_decode_process(void *state, fp_frame *in, fp_frame *out)
{
	(void)in;
	if (out->input_path == NULL)
		return FP_EEND;
	return fp_codec_jpeg.decode(state, out);
}

static int jpeg_decode_probe(const void *config, const char *input_path,
			     fp_shape *out, char *err, size_t err_size)
{
	if (input_path == NULL)
		return fp__codec_error(err, err_size, FP_ECONFIG,
				       "jpeg_decode needs input files");
	return fp_codec_jpeg.probe(config, input_path, out, err, err_size);
}

static int jpeg_decode_frame_bound(const void *config, const char *input_path,
				   uint64_t *bytes, char *err, size_t err_size)
{
	fp_shape shape;
	int ret = jpeg_decode_probe(config, input_path, &shape, err, err_size);
	if (ret == 0)
		*bytes = (uint64_t)shape.width * shape.height *
			 (shape.formats == FP_FORMAT_BIT(FP_FORMAT_G8) ? 1 : 3);
	return ret;
}

static int64_t jpeg_decode_frame_count(const void *config, size_t input_count)
{
	(void)config;
	return (int64_t)input_count;
}

static int jpeg_decode_shape(const void *config, const fp_shape *in,
			     fp_shape *out, char *err, size_t err_size)
{
	(void)config;
	(void)in;
	(void)err;
	(void)err_size;
	*out = (fp_shape){.formats = FP_JPEG_DECODE_FORMATS};
	return 0;
}

FP_STAGE_EXPORT = {
	FP_STAGE_HEADER,
	.name = "jpeg_decode",
	.summary = "decode JPEG input files (libjpeg-turbo) into G8 or RGB8 "
		   "frames",
	.description =
		"Gray JPEGs give G8, colour ones RGB8 (CMYK and YCCK converted "
		"as djpeg does);\n"
		"pixels are djpeg's, byte for byte (integer DCT, fancy "
		"upsampling).\n"
		"Keeps EXIF, XMP, the ICC profile, comments, the JFIF density "
		"and the EXIF\n"
		"orientation (1..8; other values are ignored) as frame "
		"metadata.\n"
		"Decodes at 1/2, 1/4 or 1/8 scale when the next stages hint "
		"they need no more.\n"
		"Damaged data (a truncated file, bad Huffman codes) fails the "
		"file.",
	.kind = FP_STAGE_SOURCE,
	.flags = FP_STAGE_READS_INPUTS,
	.formats = 0,
	.params = fp_jpeg_decode_params,
	.param_count = FP_JPEG_DECODE_PARAMS,
	.config_size = sizeof(struct fp_jpeg_decode_config),
	.init = jpeg_decode_init,
	.process = jpeg_decode_process,
	.frame_bound = jpeg_decode_frame_bound,
	.frame_count = jpeg_decode_frame_count,
	.shape = jpeg_decode_shape,
	.probe = jpeg_decode_probe,
};
