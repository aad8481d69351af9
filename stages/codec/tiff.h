/* tiff — what the TIFF codec's files (tiff.c: tables and stages,
 * tiff_read.c, tiff_write.c) share. Private to the codec. */
#ifndef FP_CODEC_TIFF_H
#define FP_CODEC_TIFF_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <tiffio.h>

#include "codec.h"

struct tiff_decode_config {
	int64_t max_width;
	int64_t max_height;
	int64_t max_pixels;
	int64_t page;
};

enum tiff_compression { TC_NONE, TC_LZW, TC_DEFLATE, TC_PACKBITS };
enum tiff_predictor { TP_AUTO, TP_NONE, TP_HORIZONTAL };
enum tiff_strip { TS_KEEP, TS_META, TS_ALL };

struct tiff_encode_config {
	int compression; /* enum tiff_compression */
	int predictor;	 /* enum tiff_predictor */
	int strip;	 /* enum tiff_strip */
};

/* A file libtiff reads or writes through us, and what it said: the first
 * error and the first warning, each one line. */
struct tiff_io {
	FILE *file;
	int fd;
	const char *name; /* as given to libtiff: cut from its messages */
	uint64_t size;	  /* reading: the file's size */
	uint64_t pos;
	int errno_seen; /* a read or write that failed: its errno */
	char error[256];
	char warning[256];
};

/* TIFFClientOpenExt on io (opened by the caller), mode "r..." or "w...",
 * with libtiff's messages routed into io and single allocations capped at
 * max_alloc bytes (0: libtiff's default). NULL on failure, the reason in
 * io->error. */
TIFF *fp__tiff_open(struct tiff_io *io, const char *name, const char *mode,
		    uint64_t max_alloc);

/* Read n bytes at io->pos (libtiff's read function); bytes read. */
tmsize_t fp__tiff_read(void *io, void *buf, tmsize_t n);

/* libtiff's message for a failure, or fallback when it said nothing. */
const char *fp__tiff_reason(const struct tiff_io *io, const char *fallback);

int fp__tiff_probe(const void *config, const char *path, fp_shape *out,
		   char *err, size_t err_size);
int fp__tiff_decode(const void *config, fp_frame *out);
int fp__tiff_encode(const void *config, fp_frame *in);

#endif
