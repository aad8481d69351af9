/* jpeg_dc.c — a progressive JPEG's DC scans alone, for decodes at 1/8.
 *
 * At scale 1/8 libjpeg's IDCT (jpeg_idct_1x1) reads only each block's DC
 * coefficient. A progressive file sends the DC coefficients in scans of
 * their own (spectral start 0) and the AC ones in others, which are most
 * of the file: the stream with the AC scans left out gives the same
 * pixels at 1/8 for a fraction of the entropy decoding. Finding a scan's
 * end is a search for its next marker, not a decode. Components libjpeg
 * scales with a larger IDCT instead of upsampling them (the chroma of a
 * 4:2:0 file: 2x2 at 1/8) keep their AC scans.
 *
 * Exact only for files libjpeg decodes without block smoothing: every AC
 * coefficient of every component refined to the last bit (Al = 0) by the
 * end, as every encoder does; the shortened stream is then decoded with
 * do_block_smoothing off (with AC scans missing libjpeg would otherwise
 * estimate them, and, in libjpeg-turbo 2.1, change the DC). Anything else
 * (no progressive SOF2, a marker out of place, a truncated file, more
 * scans than max_scans, bytes between markers, DNL) is left to the full
 * decode, which reports it as it always has: the shortcut never accepts a
 * file the full decode refuses, except for damage inside the AC scans'
 * data, which it does not read.
 */
#define _POSIX_C_SOURCE 200809L /* fileno */
#include "jpeg_dc.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_COMPONENTS 4

struct frame_state {
	int ids[MAX_COMPONENTS];
	int count;
	const bool *keep_ac; /* [id]: that component keeps its AC scans */
	signed char bits[MAX_COMPONENTS][64]; /* Al of the last scan; -1 */
};

static int component_index(const struct frame_state *f, int id)
{
	for (int i = 0; i < f->count; i++)
		if (f->ids[i] == id)
			return i;
	return -1;
}

/* The end of the entropy-coded data starting at p: the next marker that
 * is neither a stuffed 0xFF00 nor a restart marker; 0 when the data runs
 * to the end of the buffer (truncated). */
static size_t scan_end(const uint8_t *b, size_t p, size_t n)
{
	while (p + 1 < n) {
		const uint8_t *ff = memchr(b + p, 0xFF, n - p - 1);
		if (ff == NULL)
			return 0;
		p = (size_t)(ff - b);
		uint8_t next = b[p + 1];
		if (next == 0x00 || (next >= 0xD0 && next <= 0xD7))
			p += 2;
		else if (next == 0xFF)
			p += 1; /* fill byte before a marker */
		else
			return p;
	}
	return 0;
}

static bool read_sof(struct frame_state *f, const uint8_t *s, size_t len)
{
	/* P, Y, X, Nf, then Nf x (id, sampling, table) */
	if (len < 6)
		return false;
	f->count = s[5];
	if (f->count < 1 || f->count > MAX_COMPONENTS ||
	    len < 6 + 3 * (size_t)f->count)
		return false;
	for (int i = 0; i < f->count; i++)
		f->ids[i] = s[6 + 3 * i];
	memset(f->bits, -1, sizeof f->bits);
	return true;
}

/* One SOS header: record which coefficients it brings to which bits; true
 * with *keep when the scan is needed: a DC scan, or an AC scan of a
 * component in keep_ac. */
static bool read_sos(struct frame_state *f, const uint8_t *s, size_t len,
		     bool *keep)
{
	if (f->count == 0 || len < 1)
		return false;
	size_t ns = s[0];
	if (ns < 1 || ns > (size_t)f->count || len != 1 + 2 * ns + 3)
		return false;
	unsigned ss = s[1 + 2 * ns], se = s[2 + 2 * ns];
	unsigned al = s[3 + 2 * ns] & 15;
	if (ss > se || se > 63 || (ss == 0 && se != 0))
		return false;
	*keep = ss == 0;
	for (size_t i = 0; i < ns; i++) {
		int c = component_index(f, s[1 + 2 * i]);
		if (c < 0)
			return false;
		for (unsigned k = ss; k <= se; k++)
			f->bits[c][k] = (signed char)al;
		if (f->keep_ac[s[1 + 2 * i]])
			*keep = true;
	}
	return true;
}

/* Shorten b (n bytes, a whole file) in place; its new length, or 0 when it
 * is not a file this can shorten exactly. */
static size_t keep_dc_scans(uint8_t *b, size_t n, int64_t max_scans,
			    const bool keep_ac[256])
{
	struct frame_state f = {.count = 0, .keep_ac = keep_ac};
	int64_t scans = 0;
	if (n < 4 || b[0] != 0xFF || b[1] != 0xD8)
		return 0;
	size_t p = 2, w = 2;
	bool progressive = false;
	for (;;) {
		if (p + 1 >= n || b[p] != 0xFF)
			return 0;
		while (p + 1 < n && b[p + 1] == 0xFF)
			p++; /* fill bytes */
		if (p + 1 >= n)
			return 0;
		uint8_t m = b[p + 1];
		if (m == 0xD9) { /* EOI */
			b[w++] = 0xFF;
			b[w++] = 0xD9;
			break;
		}
		if (m == 0x00 || m == 0x01 || (m >= 0xD0 && m <= 0xD8) ||
		    m == 0xDC || p + 4 > n)
			return 0;
		size_t len = ((size_t)b[p + 2] << 8) | b[p + 3];
		if (len < 2 || p + 2 + len > n)
			return 0;
		size_t end = p + 2 + len;
		bool keep = true;
		if (m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 &&
		    m != 0xCC) {
			if (m != 0xC2 || progressive ||
			    !read_sof(&f, b + p + 4, len - 2))
				return 0;
			progressive = true;
		} else if (m == 0xDA) {
			if (!progressive || ++scans > max_scans ||
			    !read_sos(&f, b + p + 4, len - 2, &keep))
				return 0;
			end = scan_end(b, end, n);
			if (end == 0)
				return 0;
		}
		if (keep) {
			memmove(b + w, b + p, end - p);
			w += end - p;
		}
		p = end;
	}
	for (int c = 0; c < f.count; c++)
		for (int k = 0; k < 64; k++)
			if (f.bits[c][k] != 0)
				return 0;
	return progressive ? w : 0;
}

uint8_t *fp__jpeg_dc_scans(FILE *file, uint64_t max_bytes, int64_t max_scans,
			   const bool keep_ac[256], size_t *size)
{
	struct stat st;
	long at = ftell(file);
	if (at < 0 || fstat(fileno(file), &st) != 0 || !S_ISREG(st.st_mode) ||
	    st.st_size < 4 || (uint64_t)st.st_size > max_bytes)
		return NULL;
	size_t n = (size_t)st.st_size;
	uint8_t *b = malloc(n);
	if (b != NULL && fseek(file, 0, SEEK_SET) == 0 &&
	    fread(b, 1, n, file) == n &&
	    (*size = keep_dc_scans(b, n, max_scans, keep_ac)) > 0)
		return b;
	free(b);
	/* where the caller's reader left it: it goes on with the file */
	(void)fseek(file, at, SEEK_SET);
	return NULL;
}
