/* codec — one image file format, shared by its own stages (jpeg_decode,
 * jpeg_encode, ...) and by the generic `decode` and `encode` stages, which
 * pick a codec per file (decode: from the file's first bytes; encode: from
 * the output name's extension).
 *
 * A codec module (codec/jpeg.c, ...) defines one fp_codec and the parameter
 * tables of its decoder and encoder, each over its own config struct
 * exactly as a stage's. Its stages are thin: the descriptor points at the
 * codec's table and functions. The generic stages hold every codec's
 * config side by side and show each codec's parameters prefixed by its
 * name: `encode jpeg.quality=80 webp.quality=75`.
 *
 * Every decoder: checks limits from the header before allocating anything,
 * fails a corrupt or truncated file with one line (fp_frame_fail), fills
 * the frame's metadata area (fp_frame.meta, may be NULL), honours
 * out->hint_width/hint_height when it can decode smaller for free. Every
 * encoder: writes through fp__outfile_open/finish (codec/files.h), writes
 * the frame's metadata unless its `strip` says otherwise.
 */
#ifndef FP_CODEC_H
#define FP_CODEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "framepipe/stage.h"

/* decode reads this many bytes of each file to choose its codec. */
#define FP_CODEC_SNIFF_BYTES 64

typedef struct fp_codec_side {
	const fp_param *params;
	size_t param_count;
	size_t config_size;
	uint32_t formats; /* decoder: formats it makes; encoder: accepts */
	/* Optional: parameter checks across fields (descriptor.check). */
	int (*check)(const void *config, char *err, size_t err_size);
	/* Optional, decoder: the formats this config may make (a source's
	 * descriptor.shape); NULL: `formats`. */
	int (*shape)(const void *config, const fp_shape *in, fp_shape *out,
		     char *err, size_t err_size);
} fp_codec_side;

typedef struct fp_codec {
	const char *name;  /* "jpeg": lower case, the parameter prefix */
	const char *label; /* "JPEG": the format as messages name it */
	/* Lower-case extensions without the dot, '|'-separated; the first is
	 * the one encode's default output name uses: "jpg|jpeg|jpe". */
	const char *extensions;
	/* True when head (the first FP_CODEC_SNIFF_BYTES bytes, fewer for a
	 * short file) starts a file of this format. */
	bool (*sniff)(const uint8_t *head, size_t size);

	fp_codec_side decoder; /* params == NULL && decode == NULL: none */
	/* Size and format of path's frame, from its header only. */
	int (*probe)(const void *config, const char *path, fp_shape *out,
		     char *err, size_t err_size);
	/* Decode out->input_path into out (a source's process()). */
	int (*decode)(const void *config, fp_frame *out);

	fp_codec_side encoder; /* encode == NULL: none */
	/* Write in to in->output_path (a sink's process()). */
	int (*encode)(const void *config, fp_frame *in);
} fp_codec;

/* The codecs, in the order decode tries their sniff functions. */
extern const fp_codec fp_codec_png;
extern const fp_codec fp_codec_jpeg; /* codec/jpeg.c */
extern const fp_codec fp_codec_webp; /* codec/webp.c */
extern const fp_codec fp_codec_tiff; /* codec/tiff.c */

#endif
