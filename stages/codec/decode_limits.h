/* decode_limits — the size limits every decoder checks from the header, before
 * it allocates anything: width, height and pixels, each a parameter of the
 * decoder (max_width, max_height, max_pixels). */
#ifndef FP_CODEC_DECODE_LIMITS_H
#define FP_CODEC_DECODE_LIMITS_H

#include <stddef.h>
#include <stdint.h>

/* The three limit parameters of a decoder's table, over its config struct
 * (fields max_width, max_height, max_pixels, all int64_t), with the same
 * defaults as png_decode. */
#define FP_CODEC_LIMIT_PARAMS(cfg)                                        \
	FP_PARAM_INT_(cfg, max_width, FP_MAX_DIMENSION_TEXT, 1,           \
		      FP_MAX_DIMENSION, "refuse images wider than this"), \
		FP_PARAM_INT_(cfg, max_height, FP_MAX_DIMENSION_TEXT, 1,  \
			      FP_MAX_DIMENSION,                           \
			      "refuse images taller than this"),          \
		FP_PARAM_INT_(cfg, max_pixels, "100000000", 1,            \
			      4611686018427387904.0,                      \
			      "refuse images with more pixels than this")

typedef struct fp_codec_limits {
	int64_t max_width;
	int64_t max_height;
	int64_t max_pixels;
} fp_codec_limits;

/* 0, or FP_ELIMIT with one line in err naming every limit width x height
 * exceeds, each as PREFIX.max_width=N ("raise them in the stage's
 * parameters"). prefix is the stage's name ("webp_decode"). */
int fp__codec_check_limits(const char *prefix, const fp_codec_limits *limits,
			   uint64_t width, uint64_t height, char *err,
			   size_t err_size);

/* 0, or FP_ENOFIT after fp_frame_fail() unless a width x height frame of
 * bytes_per_pixel fits the frame's slot. */
struct fp_frame;
int fp__codec_check_fit(struct fp_frame *out, uint64_t width, uint64_t height,
			unsigned bytes_per_pixel, const char *format_name);

#endif
