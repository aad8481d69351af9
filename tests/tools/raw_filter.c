/* raw_filter — run one filter stage in-process (framepipe::testing) on a
 * raw 16-bit RGBA image, for cross-checks against ImageMagick's raw
 * output (`convert IN -depth 16 -endian LSB rgba:FILE`):
 *
 *   raw_filter STAGE FORMAT WIDTH HEIGHT IN.rgba OUT.rgba [NAME=VALUE...]
 *
 * IN holds WIDTH x HEIGHT pixels of 4 little-endian 16-bit samples. The
 * frame handed to the stage is FORMAT (g16, ga16, rgb16, rgba16): gray
 * formats take the red sample, formats without alpha drop it. OUT gets
 * the stage's output expanded back to little-endian RGBA16 (gray to
 * R = G = B, no alpha to 65535), and stdout one line "WIDTH HEIGHT". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "framepipe/testing.h"

static uint16_t le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

int main(int argc, char **argv)
{
	if (argc < 7) {
		fprintf(stderr, "usage: raw_filter STAGE FORMAT WIDTH HEIGHT "
				"IN OUT [NAME=VALUE...]\n");
		return 2;
	}
	static const char *names[] = {"g16", "ga16", "rgb16", "rgba16"};
	fp_format format = (fp_format)0;
	for (unsigned i = 0; i < 4; i++)
		if (strcmp(argv[2], names[i]) == 0)
			format = fp_format_of(i + 1, 2);
	uint32_t w = (uint32_t)atol(argv[3]), h = (uint32_t)atol(argv[4]);
	if (format == 0 || w == 0 || h == 0 || w > 65535 || h > 65535) {
		fprintf(stderr, "raw_filter: bad format or size\n");
		return 2;
	}
	size_t n = (size_t)w * h;
	uint8_t *raw = malloc(n * 8);
	FILE *f = fopen(argv[5], "rb");
	if (raw == NULL || f == NULL || fread(raw, 8, n, f) != n) {
		fprintf(stderr, "raw_filter: cannot read %s\n", argv[5]);
		return 1;
	}
	fclose(f);
	fp_harness *hs = fp_harness_new(argv[1]);
	if (hs == NULL)
		return 1;
	for (int i = 7; i < argc; i++) {
		char *eq = strchr(argv[i], '=');
		if (eq == NULL) {
			fprintf(stderr, "raw_filter: %s: not NAME=VALUE\n",
				argv[i]);
			return 2;
		}
		*eq = '\0';
		if (fp_harness_set(hs, argv[i], eq + 1) != 0) {
			fprintf(stderr, "raw_filter: %s\n",
				fp_harness_error(hs));
			return 2;
		}
	}
	if (fp_harness_start(hs, NULL, 0, NULL) != 0) {
		fprintf(stderr, "raw_filter: %s\n", fp_harness_error(hs));
		return 1;
	}
	fp_frame *in = fp_testing_frame_new(w, h, format);
	if (in == NULL)
		return 1;
	unsigned ch = fp_format_channels(format);
	uint16_t *px = (uint16_t *)(void *)in->pixels;
	for (size_t i = 0; i < n; i++) {
		const uint8_t *s = raw + i * 8;
		uint16_t *d = px + i * ch;
		if (ch >= 3)
			for (unsigned c = 0; c < 3; c++)
				d[c] = le16(s + 2 * c);
		else
			d[0] = le16(s);
		if (ch == 2 || ch == 4)
			d[ch - 1] = le16(s + 6);
	}
	fp_frame out;
	if (fp_harness_filter(hs, in, &out) != 0) {
		fprintf(stderr, "raw_filter: %s\n", fp_harness_error(hs));
		return 1;
	}
	unsigned och = fp_format_channels(out.format);
	if (fp_format_sample_bytes(out.format) != 2) {
		fprintf(stderr, "raw_filter: %s made %s\n", argv[1],
			fp_format_name(out.format));
		return 1;
	}
	f = fopen(argv[6], "wb");
	if (f == NULL)
		return 1;
	for (uint32_t y = 0; y < out.height; y++) {
		const uint16_t *row =
			(const uint16_t *)(const void *)(out.pixels +
							 (size_t)y *
								 out.stride);
		for (uint32_t x = 0; x < out.width; x++, row += och) {
			uint16_t v[4] = {row[0], row[0], row[0], 65535};
			if (och >= 3)
				v[1] = row[1], v[2] = row[2];
			if (och == 2 || och == 4)
				v[3] = row[och - 1];
			uint8_t b[8];
			for (unsigned c = 0; c < 4; c++) {
				b[2 * c] = (uint8_t)v[c];
				b[2 * c + 1] = (uint8_t)(v[c] >> 8);
			}
			fwrite(b, 1, 8, f);
		}
	}
	if (fclose(f) != 0)
		return 1;
	printf("%u %u\n", out.width, out.height);
	fp_harness_free(hs);
	fp_testing_frame_free(in);
	free(raw);
	return 0;
}
