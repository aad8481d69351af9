/* exif.c — find and set the orientation tag of IFD0. */
#include "exif.h"

#include <string.h>

#define TAG_ORIENTATION 0x0112u
#define TYPE_SHORT	3u

static uint32_t load(const uint8_t *p, unsigned bytes, bool big)
{
	uint32_t v = 0;
	for (unsigned i = 0; i < bytes; i++)
		v |= (uint32_t)p[big ? i : bytes - 1 - i]
		     << (8 * (bytes - 1 - i));
	return v;
}

/* Offset of the orientation entry's value, or 0 when there is none. */
static size_t find_value(const uint8_t *t, size_t size, bool *big)
{
	if (size < 8)
		return 0;
	if (memcmp(t, "II*\0", 4) == 0)
		*big = false;
	else if (memcmp(t, "MM\0*", 4) == 0)
		*big = true;
	else
		return 0;
	uint32_t ifd = load(t + 4, 4, *big);
	if (ifd < 8 || ifd > size - 2)
		return 0;
	uint32_t count = load(t + ifd, 2, *big);
	if ((size - ifd - 2) / 12 < count)
		return 0;
	for (uint32_t i = 0; i < count; i++) {
		const uint8_t *e = t + ifd + 2 + (size_t)i * 12;
		if (load(e, 2, *big) != TAG_ORIENTATION)
			continue;
		if (load(e + 2, 2, *big) != TYPE_SHORT ||
		    load(e + 4, 4, *big) != 1)
			return 0;
		return (size_t)(e + 8 - t);
	}
	return 0;
}

int fp__exif_orientation(const uint8_t *tiff, size_t size)
{
	bool big;
	size_t at = find_value(tiff, size, &big);
	return at == 0 ? -1 : (int)load(tiff + at, 2, big);
}

bool fp__exif_set_orientation(uint8_t *tiff, size_t size, uint16_t value)
{
	bool big;
	size_t at = find_value(tiff, size, &big);
	if (at == 0)
		return false;
	tiff[at + (big ? 1 : 0)] = (uint8_t)value;
	tiff[at + (big ? 0 : 1)] = (uint8_t)(value >> 8);
	return true;
}

void fp__exif_minimal(uint8_t out[FP_EXIF_MINIMAL_SIZE], uint16_t orientation)
{
	static const uint8_t head[] = {
		'I',  'I',  42, 0, 8, 0, 0, 0, /* header, IFD0 at 8 */
		1,    0,		       /* one entry */
		0x12, 0x01, 3,	0, 1, 0, 0, 0  /* orientation, SHORT, 1 */
	};
	memcpy(out, head, sizeof head);
	out[18] = (uint8_t)orientation;
	out[19] = (uint8_t)(orientation >> 8);
	memset(out + 20, 0, FP_EXIF_MINIMAL_SIZE - 20); /* pad, next IFD 0 */
}
