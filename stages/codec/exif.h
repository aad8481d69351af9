/* exif — the one EXIF fact framepipe reads and writes itself: the
 * orientation tag (0x0112) of IFD0, in a TIFF-structured EXIF blob
 * ("II*\0" or "MM\0*" then the IFDs, as FP_META_EXIF holds it). Used by
 * the JPEG codec (orientation into FP_META_ORIENTATION) and by autorotate
 * (which resets the tag so that viewers do not turn the image twice).
 * Every offset is checked against the blob's size: a blob from a file is
 * untrusted.
 */
#ifndef FP_CODEC_EXIF_H
#define FP_CODEC_EXIF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Bytes of the blob fp__exif_minimal writes. */
#define FP_EXIF_MINIMAL_SIZE 26

/* The orientation tag's value (0..65535, not checked to be 1..8), or -1
 * when the blob has none or is malformed. */
int fp__exif_orientation(const uint8_t *tiff, size_t size);

/* Set the orientation tag in place; false when the blob has none (it
 * cannot grow here). */
bool fp__exif_set_orientation(uint8_t *tiff, size_t size, uint16_t value);

/* A little-endian TIFF blob with one IFD holding only the orientation. */
void fp__exif_minimal(uint8_t out[FP_EXIF_MINIMAL_SIZE], uint16_t orientation);

#endif
