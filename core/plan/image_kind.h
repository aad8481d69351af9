/* image_kind — what kind of image a file's first bytes say it is, for
 * files a folder holds that are not inputs (their names say nothing of
 * an image framepipe reads): an image there is one the user may have
 * meant to process. */
#ifndef FP_IMAGE_KIND_H
#define FP_IMAGE_KIND_H

#include <stddef.h>

/* Bytes enough for every signature fp__image_kind knows. */
#define FP_IMAGE_KIND_HEAD 32

/* "GIF", "BMP", "HEIF", "AVIF", "JPEG XL", "JPEG 2000", "PSD", "PNM",
 * "QOI", "OpenEXR", or one framepipe reads under another name ("PNG",
 * "JPEG", "WebP", "TIFF"); NULL when the n bytes at head are no image
 * signature known here. */
const char *fp__image_kind(const unsigned char *head, size_t n);

/* The same for the file at path (NULL when it cannot be read). */
const char *fp__image_kind_of_file(const char *path);

#endif
