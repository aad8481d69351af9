/* jpeg_many_scans — write a valid progressive JPEG of W x H noise with
 * about 2100 scans (every AC coefficient of every component alone, sent
 * bit by bit with successive approximation), what no camera or jpegtran
 * (100 scans at most) makes: each scan is a pass over the whole image, so
 * a decoder without a scan limit spends thousands of passes on it.
 *
 *   jpeg_many_scans OUT.jpg [W H]        (default 64 x 64)
 */
#include <stdio.h>
#include <stdlib.h>

#include <jpeglib.h>

#define AL_MAX 10 /* libjpeg's largest Al for 8-bit samples */

int main(int argc, char **argv)
{
	if (argc != 2 && argc != 4) {
		fprintf(stderr, "usage: jpeg_many_scans OUT.jpg [W H]\n");
		return 2;
	}
	unsigned w = argc == 4 ? (unsigned)atoi(argv[2]) : 64;
	unsigned h = argc == 4 ? (unsigned)atoi(argv[3]) : 64;
	FILE *f = fopen(argv[1], "wb");
	size_t max_scans = 2 + 3 * 63 * (AL_MAX + 1);
	jpeg_scan_info *scans = calloc(max_scans, sizeof *scans);
	unsigned char *row = malloc((size_t)w * 3);
	if (f == NULL || scans == NULL || row == NULL || w == 0 || h == 0) {
		perror(argv[1]);
		return 2;
	}
	size_t n = 0;
	scans[n++] = (jpeg_scan_info){3, {0, 1, 2}, 0, 0, 0, 1};
	scans[n++] = (jpeg_scan_info){3, {0, 1, 2}, 0, 0, 1, 0};
	for (int c = 0; c < 3; c++)
		for (int k = 1; k < 64; k++) {
			scans[n++] = (jpeg_scan_info){1, {c}, k, k, 0, AL_MAX};
			for (int al = AL_MAX - 1; al >= 0; al--)
				scans[n++] = (jpeg_scan_info){1, {c},	 k,
							      k, al + 1, al};
		}

	struct jpeg_compress_struct cinfo;
	struct jpeg_error_mgr jerr;
	cinfo.err = jpeg_std_error(&jerr);
	jpeg_create_compress(&cinfo);
	jpeg_stdio_dest(&cinfo, f);
	cinfo.image_width = w;
	cinfo.image_height = h;
	cinfo.input_components = 3;
	cinfo.in_color_space = JCS_RGB;
	jpeg_set_defaults(&cinfo);
	cinfo.scan_info = scans;
	cinfo.num_scans = (int)n;
	jpeg_start_compress(&cinfo, TRUE);
	unsigned seed = 12345;
	while (cinfo.next_scanline < h) {
		for (unsigned i = 0; i < w * 3; i++) {
			seed = seed * 1103515245u + 12345u;
			row[i] = (unsigned char)(seed >> 16);
		}
		JSAMPROW p = row;
		jpeg_write_scanlines(&cinfo, &p, 1);
	}
	jpeg_finish_compress(&cinfo);
	jpeg_destroy_compress(&cinfo);
	free(scans);
	free(row);
	if (fclose(f) != 0) {
		perror(argv[1]);
		return 2;
	}
	printf("%zu\n", n);
	return 0;
}
