#include "image_kind.h"

#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

static bool starts(const unsigned char *head, size_t n, const void *sig,
		   size_t len)
{
	return n >= len && memcmp(head, sig, len) == 0;
}

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

/* An ISO base media file (ftyp box at 4): HEIF or AVIF by its brand. */
static const char *iso_brand(const unsigned char *head, size_t n)
{
	if (n < 12 || memcmp(head + 4, "ftyp", 4) != 0)
		return NULL;
	static const char *const heif[] = {"heic", "heix", "hevc", "heim",
					   "heis", "hevx", "mif1", "msf1"};
	if (memcmp(head + 8, "avif", 4) == 0 ||
	    memcmp(head + 8, "avis", 4) == 0)
		return "AVIF";
	for (size_t i = 0; i < sizeof heif / sizeof heif[0]; i++)
		if (memcmp(head + 8, heif[i], 4) == 0)
			return "HEIF";
	return NULL;
}

/* "BM", then a header size one of the BMP versions uses. */
static bool is_bmp(const unsigned char *head, size_t n)
{
	if (n < 18 || head[0] != 'B' || head[1] != 'M')
		return false;
	uint32_t dib = le32(head + 14);
	return dib == 12 || dib == 40 || dib == 52 || dib == 56 || dib == 64 ||
	       dib == 108 || dib == 124;
}

/* "P1" .. "P7" and white space: a Netpbm file. */
static bool is_pnm(const unsigned char *head, size_t n)
{
	return n >= 3 && head[0] == 'P' && head[1] >= '1' && head[1] <= '7' &&
	       (head[2] == '\n' || head[2] == ' ' || head[2] == '\r' ||
		head[2] == '\t');
}

const char *fp__image_kind(const unsigned char *head, size_t n)
{
	static const unsigned char png[] = {0x89, 'P', 'N', 'G', '\r', '\n'};
	static const unsigned char jpeg[] = {0xff, 0xd8, 0xff};
	static const unsigned char jxl[] = {0xff, 0x0a};
	static const unsigned char jxl_box[] = {0,   0,	  0,   12,   'J',
						'X', 'L', ' ', '\r', '\n'};
	static const unsigned char jp2[] = {0,	 0,   0,   12,	 'j',
					    'P', ' ', ' ', '\r', '\n'};
	static const unsigned char j2k[] = {0xff, 0x4f, 0xff, 0x51};
	static const unsigned char exr[] = {0x76, 0x2f, 0x31, 0x01};
	static const unsigned char tiff_le[] = {'I', 'I', 42, 0};
	static const unsigned char tiff_be[] = {'M', 'M', 0, 42};
	const char *iso = iso_brand(head, n);
	if (iso != NULL)
		return iso;
	return starts(head, n, png, sizeof png)	    ? "PNG"
	       : starts(head, n, jpeg, sizeof jpeg) ? "JPEG"
	       : n >= 12 && starts(head, n, "RIFF", 4) &&
			       memcmp(head + 8, "WEBP", 4) == 0
		       ? "WebP"
	       : starts(head, n, tiff_le, 4) || starts(head, n, tiff_be, 4)
		       ? "TIFF"
	       : starts(head, n, "GIF87a", 6) || starts(head, n, "GIF89a", 6)
		       ? "GIF"
	       : is_bmp(head, n) ? "BMP"
	       : starts(head, n, jxl, sizeof jxl) ||
			       starts(head, n, jxl_box, sizeof jxl_box)
		       ? "JPEG XL"
	       : starts(head, n, jp2, sizeof jp2) ||
			       starts(head, n, j2k, sizeof j2k)
		       ? "JPEG 2000"
	       : starts(head, n, "8BPS", 4)	  ? "PSD"
	       : starts(head, n, "qoif", 4)	  ? "QOI"
	       : starts(head, n, exr, sizeof exr) ? "OpenEXR"
	       : is_pnm(head, n)		  ? "PNM"
						  : NULL;
}

const char *fp__image_kind_of_file(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0)
		return NULL;
	unsigned char head[FP_IMAGE_KIND_HEAD];
	ssize_t n = read(fd, head, sizeof head);
	close(fd);
	return n > 0 ? fp__image_kind(head, (size_t)n) : NULL;
}
