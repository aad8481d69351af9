/* jpeg.h — what the JPEG codec's files (jpeg.c, jpeg_read.c,
 * jpeg_write.c) and its stages (jpeg_decode, jpeg_encode) share: the
 * parameter structs and tables, the libjpeg error handler. The codec itself
 * is fp_codec_jpeg (codec.h).
 */
#ifndef FP_CODEC_JPEG_H
#define FP_CODEC_JPEG_H

#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>

#include <jpeglib.h>

#include "codec.h"

struct fp_jpeg_decode_config {
	int64_t max_width;
	int64_t max_height;
	int64_t max_pixels;
	int64_t max_scans;
	uint64_t max_memory; /* libjpeg's own working memory */
	int64_t min_width;   /* shrink-on-load floor, like the core's hint */
	int64_t min_height;
	bool shrink; /* follow the core's hint */
};

enum fp_jpeg_subsampling { FP_JPEG_420, FP_JPEG_422, FP_JPEG_444 };
enum fp_jpeg_strip {
	FP_JPEG_STRIP_KEEP,
	FP_JPEG_STRIP_META,
	FP_JPEG_STRIP_ALL
};

struct fp_jpeg_encode_config {
	int64_t quality;
	bool progressive;
	bool optimize;
	int subsampling; /* enum fp_jpeg_subsampling */
	int64_t restart; /* MCU rows between restart markers, 0: none */
	int strip;	 /* enum fp_jpeg_strip */
};

/* Counts are constants so that a stage's descriptor can name them. */
#define FP_JPEG_DECODE_PARAMS 8
#define FP_JPEG_ENCODE_PARAMS 6
extern const fp_param fp_jpeg_decode_params[FP_JPEG_DECODE_PARAMS];
extern const fp_param fp_jpeg_encode_params[FP_JPEG_ENCODE_PARAMS];

#define FP_JPEG_DECODE_FORMATS \
	(FP_FORMAT_BIT(FP_FORMAT_G8) | FP_FORMAT_BIT(FP_FORMAT_RGB8))
#define FP_JPEG_ENCODE_FORMATS FP_JPEG_DECODE_FORMATS

/* libjpeg's error manager, answering with a longjmp: errors, and warnings
 * of damaged data (libjpeg would go on and make gray blocks). */
struct fp_jpeg_error {
	struct jpeg_error_mgr pub;
	jmp_buf jump;
	int code;	     /* for the frame: FP_ECORRUPT, -errno, FP_ELIMIT */
	int64_t max_scans;   /* decoding: progressive scans allowed, else 0 */
	uint64_t max_memory; /* decoding: libjpeg's memory limit */
	const char *where;   /* decoding: where the reader is, for truncation */
	char msg[JMSG_LENGTH_MAX + 96];
};

/* Install the handler into cinfo (before jpeg_create_*). */
struct jpeg_error_mgr *fp__jpeg_error_init(struct fp_jpeg_error *e);
/* As libjpeg's progress monitor: enforce e->max_scans. */
void fp__jpeg_progress_init(j_decompress_ptr d,
			    struct jpeg_progress_mgr *progress);

int fp__jpeg_probe(const void *config, const char *path, fp_shape *out,
		   char *err, size_t err_size);
int fp__jpeg_decode(const void *config, fp_frame *out);
int fp__jpeg_encode(const void *config, fp_frame *in);

#endif
