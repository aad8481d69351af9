/* jpeg_dc.h — a progressive JPEG's DC scans alone (jpeg_dc.c). */
#ifndef FP_CODEC_JPEG_DC_H
#define FP_CODEC_JPEG_DC_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* The whole of file (read from its start) with every scan but the DC ones
 * and the AC ones of the components whose id keep_ac[id] is true left out, as a
 * JPEG stream that decodes at scale 1/8 (block smoothing off) to exactly the
 * file's pixels at 1/8; malloc'd, *size bytes. NULL when the file is not one
 * this holds for, is over max_bytes, or has more than max_scans scans: decode
 * it in full then (file is then where it was). */
uint8_t *fp__jpeg_dc_scans(FILE *file, uint64_t max_bytes, int64_t max_scans,
			   const bool keep_ac[256], size_t *size);

#endif
