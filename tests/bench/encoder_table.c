/* encoder_table — png_encode's settings side by side, for tests/bench/run.sh:
 * zlib level 1/3/6/9 x strategy full/long/rle/huffman x row filter
 * none/sub/up/paeth/all, each encoding the same decoded images (in memory,
 * with the libpng calls stages/codec/png_write.c makes) to memory. Prints the
 * encode speed (MB/s of raw pixel bytes and ns per pixel, from the
 * process's CPU time so that other load on a shared machine counts less)
 * and the output size, both against libpng's default (level 6, all
 * filters, which makes libpng pick zlib's filtered strategy).
 *
 *   encoder_table FILE...      (8-bit RGB or gray PNGs)
 */
#define _POSIX_C_SOURCE 200809L

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <png.h>
#include <zlib.h>

struct image {
	uint32_t width, height;
	int channels;
	uint8_t *pixels;
};

struct result {
	double cpu_s;
	uint64_t bytes;
};

static int decode(const char *path, struct image *img)
{
	png_image pi;

	memset(&pi, 0, sizeof(pi));
	pi.version = PNG_IMAGE_VERSION;
	if (!png_image_begin_read_from_file(&pi, path))
		goto err;
	img->channels = (pi.format & PNG_FORMAT_FLAG_COLOR) ? 3 : 1;
	pi.format = img->channels == 3 ? PNG_FORMAT_RGB : PNG_FORMAT_GRAY;
	img->width = pi.width;
	img->height = pi.height;
	img->pixels = malloc(PNG_IMAGE_SIZE(pi));
	if (img->pixels == NULL ||
	    !png_image_finish_read(&pi, NULL, img->pixels, 0, NULL))
		goto err;
	return 0;
err:
	fprintf(stderr, "%s: %s\n", path, pi.message);
	png_image_free(&pi);
	return -1;
}

static void count_bytes(png_structp png, png_bytep data, size_t len)
{
	(void)data;
	*(uint64_t *)png_get_io_ptr(png) += len;
}

static void no_flush(png_structp png)
{
	(void)png;
}

/* Encode img with the settings; strategy < 0 leaves libpng's choice. */
static uint64_t encode(const struct image *img, int level, int strategy,
		       int filters)
{
	png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL,
						  NULL, NULL);
	png_infop info = png_create_info_struct(png);
	uint64_t bytes = 0;

	if (setjmp(png_jmpbuf(png))) {
		png_destroy_write_struct(&png, &info);
		return 0;
	}
	png_set_write_fn(png, &bytes, count_bytes, no_flush);
	png_set_IHDR(png, info, img->width, img->height, 8,
		     img->channels == 1 ? PNG_COLOR_TYPE_GRAY
					: PNG_COLOR_TYPE_RGB,
		     PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
		     PNG_FILTER_TYPE_DEFAULT);
	png_set_compression_level(png, level);
	if (strategy >= 0)
		png_set_compression_strategy(png, strategy);
	png_set_filter(png, PNG_FILTER_TYPE_BASE, filters);
	png_write_info(png, info);
	size_t row = (size_t)img->width * (size_t)img->channels;
	for (uint32_t y = 0; y < img->height; y++)
		png_write_row(png, img->pixels + row * y);
	png_write_end(png, NULL);
	png_destroy_write_struct(&png, &info);
	return bytes;
}

static double cpu_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static struct result run(const struct image *imgs, int n, int level,
			 int strategy, int filters)
{
	struct result r = {0, 0};
	double t0 = cpu_now();

	for (int i = 0; i < n; i++)
		r.bytes += encode(&imgs[i], level, strategy, filters);
	r.cpu_s = cpu_now() - t0;
	return r;
}

int main(int argc, char **argv)
{
	static const int levels[] = {1, 3, 6, 9};
	static const char *const strategy_names[] = {"full", "long", "rle",
						     "huffman"};
	static const int strategies[] = {Z_DEFAULT_STRATEGY, Z_FILTERED, Z_RLE,
					 Z_HUFFMAN_ONLY};
	static const char *const filter_names[] = {"none", "sub", "up", "paeth",
						   "all"};
	static const int filters[] = {PNG_FILTER_NONE, PNG_FILTER_SUB,
				      PNG_FILTER_UP, PNG_FILTER_PAETH,
				      PNG_ALL_FILTERS};
	int n = argc - 1;
	struct image *imgs;
	double pixels = 0, raw = 0;

	if (n < 1) {
		fprintf(stderr, "usage: encoder_table FILE...\n");
		return 2;
	}
	imgs = calloc((size_t)n, sizeof(*imgs));
	if (imgs == NULL)
		return 1;
	for (int i = 0; i < n; i++) {
		if (decode(argv[i + 1], &imgs[i]) != 0)
			return 1;
		pixels += (double)imgs[i].width * imgs[i].height;
		raw += (double)imgs[i].width * imgs[i].height *
		       imgs[i].channels;
	}
	struct result ref = run(imgs, n, 6, -1, PNG_ALL_FILTERS);
	printf("  %d images, %.1f MP, %.1f MB of pixels; reference: libpng's "
	       "default (level 6, all filters, strategy filtered): %.0f ns/px, "
	       "%.0f bytes\n",
	       n, pixels / 1e6, raw / 1e6, ref.cpu_s * 1e9 / pixels,
	       (double)ref.bytes);
	printf("  %5s %-8s %-6s %8s %7s %12s %7s %7s\n", "level", "strategy",
	       "filter", "MB/s", "ns/px", "bytes", "size", "speed");
	for (size_t l = 0; l < sizeof(levels) / sizeof(levels[0]); l++)
		for (size_t s = 0; s < 4; s++)
			for (size_t f = 0; f < 5; f++) {
				struct result r =
					run(imgs, n, levels[l], strategies[s],
					    filters[f]);
				printf("  %5d %-8s %-6s %8.1f %7.0f %12.0f "
				       "%6.3fx %6.2fx\n",
				       levels[l], strategy_names[s],
				       filter_names[f], raw / 1e6 / r.cpu_s,
				       r.cpu_s * 1e9 / pixels, (double)r.bytes,
				       (double)r.bytes / (double)ref.bytes,
				       ref.cpu_s / r.cpu_s);
				fflush(stdout);
			}
	for (int i = 0; i < n; i++)
		free(imgs[i].pixels);
	free(imgs);
	return 0;
}
