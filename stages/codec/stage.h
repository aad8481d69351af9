/* stage — the descriptors of a codec's own stages (webp_decode,
 * webp_encode, ...), thin wrappers over its fp_codec.
 *
 * A descriptor is a constant: it cannot read the table pointers out of the
 * fp_codec object, so it is written in the codec's own file, after its
 * tables, and compiled in only for that stage's module:
 *
 *   #ifdef FP_CODEC_STAGE_DECODE       (CMake: fp_add_codec)
 *   FP_CODEC_DECODE_STAGE(fp_codec_webp, "webp_decode", "summary",
 *                         webp_decode_params, struct webp_decode_config,
 *                         description);
 *   #endif
 *
 * The decoder stage makes one frame per input file (FP_EEND after the
 * last), probes with the codec's probe() (refusing to run without input
 * files), sizes slots from it, and gives the formats of the codec's
 * decoder.shape (for this config) or else decoder.formats as its shape;
 * the encoder stage writes every frame it gets. Both check a config with
 * the codec side's check, when it has one.
 */
#ifndef FP_CODEC_STAGE_H
#define FP_CODEC_STAGE_H

#include "codec.h"
#include "files.h"

static inline int fp__codec_stage_init(void **state, const void *config,
				       const fp_stage_env *env, char *err,
				       size_t err_size)
{
	(void)env;
	(void)err;
	(void)err_size;
	*state = (void *)config;
	return 0;
}

static inline int fp__codec_stage_decode(const fp_codec *codec, void *state,
					 fp_frame *out)
{
	if (out->input_path == NULL)
		return FP_EEND;
	return codec->decode(state, out);
}

/* The codec's probe(), for a stage named name that reads input files. */
static inline int fp__codec_stage_probe(const fp_codec *codec, const char *name,
					const void *config, const char *path,
					fp_shape *out, char *err,
					size_t err_size)
{
	if (path == NULL)
		return fp__codec_error(err, err_size, FP_ECONFIG,
				       "%s needs input files", name);
	return codec->probe(config, path, out, err, err_size);
}

/* Bytes of the largest frame probe() says path gives. */
static inline int fp__codec_stage_bound(const fp_codec *codec, const char *name,
					const void *config, const char *path,
					uint64_t *bytes, char *err,
					size_t err_size)
{
	fp_shape shape = {0};
	int ret = fp__codec_stage_probe(codec, name, config, path, &shape, err,
					err_size);
	if (ret < 0)
		return ret;
	*bytes = fp_shape_max_bytes(&shape);
	return 0;
}

static inline int fp__codec_stage_shape(const fp_codec *codec,
					const void *config, const fp_shape *in,
					fp_shape *out, char *err,
					size_t err_size)
{
	if (codec->decoder.shape != NULL)
		return codec->decoder.shape(config, in, out, err, err_size);
	out->width = 0;
	out->height = 0;
	out->formats = codec->decoder.formats;
	out->reserved = 0;
	return 0;
}

static inline int fp__codec_stage_check(const fp_codec_side *side,
					const void *config, char *err,
					size_t err_size)
{
	return side->check != NULL ? side->check(config, err, err_size) : 0;
}

static inline int64_t fp__codec_stage_count(const void *config,
					    size_t input_count)
{
	(void)config;
	return (int64_t)input_count;
}

#define FP_CODEC_DECODE_STAGE(codec_, name_, summary_, params_, config_,     \
			      description_)                                  \
	static int codec_stage_process(void *state, fp_frame *in,            \
				       fp_frame *out)                        \
	{                                                                    \
		(void)in;                                                    \
		return fp__codec_stage_decode(&codec_, state, out);          \
	}                                                                    \
	static int codec_stage_probe(const void *config, const char *path,   \
				     fp_shape *out, char *err,               \
				     size_t err_size)                        \
	{                                                                    \
		return fp__codec_stage_probe(&codec_, name_, config, path,   \
					     out, err, err_size);            \
	}                                                                    \
	static int codec_stage_bound(const void *config, const char *path,   \
				     uint64_t *bytes, char *err,             \
				     size_t err_size)                        \
	{                                                                    \
		return fp__codec_stage_bound(&codec_, name_, config, path,   \
					     bytes, err, err_size);          \
	}                                                                    \
	static int codec_stage_shape(const void *config, const fp_shape *in, \
				     fp_shape *out, char *err,               \
				     size_t err_size)                        \
	{                                                                    \
		return fp__codec_stage_shape(&codec_, config, in, out, err,  \
					     err_size);                      \
	}                                                                    \
	static int codec_stage_check(const void *config, char *err,          \
				     size_t err_size)                        \
	{                                                                    \
		return fp__codec_stage_check(&codec_.decoder, config, err,   \
					     err_size);                      \
	}                                                                    \
	FP_STAGE_EXPORT = {                                                  \
		FP_STAGE_HEADER,                                             \
		.name = name_,                                               \
		.summary = summary_,                                         \
		.kind = FP_STAGE_SOURCE,                                     \
		.flags = FP_STAGE_READS_INPUTS,                              \
		.params = params_,                                           \
		.param_count = FP_COUNT_OF(params_),                         \
		.config_size = sizeof(config_),                              \
		.init = fp__codec_stage_init,                                \
		.process = codec_stage_process,                              \
		.frame_bound = codec_stage_bound,                            \
		.frame_count = fp__codec_stage_count,                        \
		.description = description_,                                 \
		.check = codec_stage_check,                                  \
		.shape = codec_stage_shape,                                  \
		.probe = codec_stage_probe,                                  \
	}

/* ext_: the extension of the files it writes (".webp"), for the default
 * output name; formats_: the codec's encoder.formats, as a constant. */
#define FP_CODEC_ENCODE_STAGE(codec_, name_, ext_, summary_, params_, config_, \
			      formats_, description_)                          \
	static int codec_stage_process(void *state, fp_frame *in,              \
				       fp_frame *out)                          \
	{                                                                      \
		(void)out;                                                     \
		return codec_.encode(state, in);                               \
	}                                                                      \
	static int codec_stage_check(const void *config, char *err,            \
				     size_t err_size)                          \
	{                                                                      \
		return fp__codec_stage_check(&codec_.encoder, config, err,     \
					     err_size);                        \
	}                                                                      \
	FP_STAGE_EXPORT = {                                                    \
		FP_STAGE_HEADER,                                               \
		.name = name_,                                                 \
		.summary = summary_,                                           \
		.kind = FP_STAGE_SINK,                                         \
		.flags = FP_STAGE_WRITES_OUTPUTS,                              \
		.formats = formats_,                                           \
		.params = params_,                                             \
		.param_count = FP_COUNT_OF(params_),                           \
		.config_size = sizeof(config_),                                \
		.init = fp__codec_stage_init,                                  \
		.process = codec_stage_process,                                \
		.description = description_,                                   \
		.check = codec_stage_check,                                    \
		.output_extension = ext_,                                      \
	}

#endif
