/* png_codec.h — what the PNG codec's files (png.c, png_read.c, png_write.c,
 * png_meta.c) and its stages (png_decode, png_encode) share: the parameter
 * structs and tables, and the metadata chunks in both directions. The
 * codec itself is fp_codec_png (codec.h).
 */
#ifndef FP_CODEC_PNG_CODEC_H
#define FP_CODEC_PNG_CODEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <png.h>

#include "codec.h"

/* png_decode's `format`, `layout` and `depth` are convert's: a frame
 * format (its index is the fp_format), or the channels and the bits per
 * sample each; keep: the file's. */
#define FP_PNG_FORMATS "keep|g8|ga8|rgb8|rgba8|g16|ga16|rgb16|rgba16"
#define FP_PNG_LAYOUTS "keep|g|ga|rgb|rgba" /* index: channels */

/* `depth` of both stages. */
enum fp_png_depth { FP_PNG_DEPTH_KEEP, FP_PNG_DEPTH_8, FP_PNG_DEPTH_16 };

/* png_encode's `strip`: keep writes every entry; meta only what the
 * pixels need to be read right (ICC profile, gAMA, cHRM, sRGB); all none. */
enum fp_png_strip { FP_PNG_STRIP_KEEP, FP_PNG_STRIP_META, FP_PNG_STRIP_ALL };

struct fp_png_decode_config {
	int format; /* 0 keep, else the fp_format */
	int layout; /* 0 keep, else the channels */
	int depth;  /* enum fp_png_depth */
	int64_t max_width;
	int64_t max_height;
	int64_t max_pixels;
	uint64_t max_metadata;	 /* chunk bytes + inflated bytes per file */
	uint64_t max_extra_idat; /* compressed IDAT bytes past the image */
};

struct fp_png_encode_config {
	int64_t level;
	int filter;   /* index into the filter choices */
	int strategy; /* index into the strategy choices */
	int depth;    /* enum fp_png_depth */
	int strip;    /* enum fp_png_strip */
};

/* Counts are constants so that a stage's descriptor can name them. */
#define FP_PNG_DECODE_PARAMS 8
#define FP_PNG_ENCODE_PARAMS 5
extern const fp_param fp_png_decode_params[FP_PNG_DECODE_PARAMS];
extern const fp_param fp_png_encode_params[FP_PNG_ENCODE_PARAMS];
extern const char fp_png_decode_description[];
extern const char fp_png_encode_description[];

/* Channels (0: the file's) and depth (0: the file's) a config asks for. */
unsigned fp__png_want_channels(const struct fp_png_decode_config *cfg);
unsigned fp__png_want_depth(const struct fp_png_decode_config *cfg);

int fp__png_decode_check(const void *config, char *err, size_t err_size);
/* The formats a config may make (a source's shape). */
int fp__png_decode_shape(const void *config, const fp_shape *in, fp_shape *out,
			 char *err, size_t err_size);
int fp__png_probe(const void *config, const char *path, fp_shape *out,
		  char *err, size_t err_size);
int fp__png_decode(const void *config, fp_frame *out);
int fp__png_encode(const void *config, fp_frame *in);

/* ---- metadata chunks (png_meta.c) ----------------------------------------
 *
 * Reading: every metadata chunk (iCCP, sRGB, gAMA, cHRM, pHYs, eXIf,
 * tEXt, zTXt, iTXt) is handed to libpng as an unknown chunk, so that
 * libpng neither inflates nor interprets it: png_meta.c parses and
 * inflates it itself, within a budget, into the frame's area. */

/* The chunk names, 5 bytes each, for png_set_keep_unknown_chunks. */
extern const png_byte fp__png_meta_chunks[];
extern const int fp__png_meta_chunk_count;
/* True when the 4-byte type is one of them. */
bool fp__png_is_meta_chunk(const uint8_t *type);

struct fp_png_meta_in {
	fp_meta *meta;	 /* where the entries go (not NULL) */
	uint64_t budget; /* bytes left of png_decode.max_metadata */
	uint64_t limit;	 /* max_metadata itself, for the message */
	int code;	 /* on failure: FP_ENOFIT, FP_ELIMIT or -ENOMEM */
	char msg[200];	 /* on failure: one line */
};

/* Parse one chunk's data into entries; 0, or an error with m->code and
 * m->msg. A malformed chunk is skipped (0): it is ancillary, the pixels do
 * not depend on it. */
int fp__png_meta_read(struct fp_png_meta_in *m, const char *type,
		      const uint8_t *data, size_t size);

/* Writing: the chunks for m's entries that strip lets through, written
 * with png_write_chunk between png_write_info_before_PLTE and
 * png_write_info. *scratch (NULL at first) is a buffer the caller frees
 * after the write, whether it returned or long-jumped. png_error on a
 * failure; entries PNG cannot hold (a keyword that is not 1-79 Latin-1
 * characters) are left out. */
void fp__png_meta_write(png_structp png, const fp_meta *m, int strip,
			uint8_t **scratch, size_t *scratch_size);

#endif
