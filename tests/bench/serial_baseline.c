/* serial_baseline — the serial limit for tests/bench/run.sh: one process,
 * one image at a time, a plain loop over libpng doing exactly the work of
 * the framepipe pipelines it is compared with:
 *
 *   gray:   png_decode ! grayscale ! resize scale=0.5 kernel=box ! png_encode
 *   invert: png_decode ! invert ! png_encode
 *
 * Grayscale is BT.601 rounded as stages/kit/frame.c does it; the box
 * downscale builds the same tap tables as stages/kit/resample.c (so odd
 * sizes match too) and does the same float operations in the same order;
 * the encoder makes the same libpng calls as stages/codec/png_write.c. The
 * outputs are byte-identical to framepipe's at the same settings, which
 * run.sh checks with cmp. 8-bit RGB and gray inputs without alpha only
 * (the bench corpus); anything else is refused.
 *
 *   serial_baseline -j gray|invert -o OUTDIR [-l LEVEL] [-s STRATEGY]
 *                   [-f FILTER] FILE...
 *   STRATEGY: libpng (libpng's own choice: filtered when rows are
 *   filtered), default, filtered, rle, huffman; FILTER: all, none, sub,
 *   up, avg, paeth.
 */
#define _POSIX_C_SOURCE 200809L

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <png.h>
#include <zlib.h>

struct image {
	uint32_t width, height;
	unsigned channels; /* 1 or 3 */
	uint8_t *pixels;   /* tightly packed */
};

struct settings {
	int level;
	int strategy; /* -1: libpng's choice */
	int filters;
};

/* ---- decode -------------------------------------------------------------- */

static int decode(const char *path, struct image *img)
{
	FILE *f = fopen(path, "rb");
	png_structp png;
	png_infop info;
	png_bytep *rows = NULL;

	if (f == NULL) {
		perror(path);
		return -1;
	}
	png = png_create_read_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	info = png_create_info_struct(png);
	img->pixels = NULL;
	if (setjmp(png_jmpbuf(png))) {
		fprintf(stderr, "%s: libpng error\n", path);
		png_destroy_read_struct(&png, &info, NULL);
		free(rows);
		free(img->pixels);
		fclose(f);
		return -1;
	}
	png_init_io(png, f);
	png_read_info(png, info);
	int color = png_get_color_type(png, info);
	if (color != PNG_COLOR_TYPE_RGB && color != PNG_COLOR_TYPE_GRAY) {
		fprintf(stderr, "%s: only RGB and gray without alpha\n", path);
		png_error(png, "colour type");
	}
	png_set_expand_gray_1_2_4_to_8(png);
	png_set_scale_16(png);
	(void)png_set_interlace_handling(png);
	png_read_update_info(png, info);
	img->width = png_get_image_width(png, info);
	img->height = png_get_image_height(png, info);
	img->channels = png_get_channels(png, info);
	size_t row = (size_t)img->width * img->channels;
	img->pixels = malloc(row * img->height);
	rows = malloc(sizeof(*rows) * img->height);
	if (img->pixels == NULL || rows == NULL)
		png_error(png, "out of memory");
	for (uint32_t y = 0; y < img->height; y++)
		rows[y] = img->pixels + row * y;
	png_read_image(png, rows);
	png_read_end(png, NULL);
	png_destroy_read_struct(&png, &info, NULL);
	free(rows);
	fclose(f);
	return 0;
}

/* ---- grayscale: stages/grayscale.c with fp__kit_bt601 -------------------- */

static void grayscale(struct image *img)
{
	static const double wr = 0.298839, wg = 0.586811, wb = 0.114350;
	double lr[256], lg[256], lb[256];

	if (img->channels != 3)
		return;
	for (unsigned v = 0; v < 256; v++) {
		lr[v] = wr * v * 257;
		lg[v] = wg * v * 257;
		lb[v] = wb * v * 257;
	}
	size_t n = (size_t)img->width * img->height;
	const uint8_t *s = img->pixels;
	for (size_t i = 0; i < n; i++, s += 3) {
		double v = lr[s[0]] + lg[s[1]] + lb[s[2]];
		img->pixels[i] = (uint8_t)((uint32_t)(v + 0.5) / 257);
	}
	img->channels = 1;
}

/* ---- invert -------------------------------------------------------------- */

static void invert(struct image *img)
{
	size_t n = (size_t)img->width * img->height * img->channels;
	for (size_t i = 0; i < n; i++)
		img->pixels[i] = (uint8_t)(255 - img->pixels[i]);
}

/* ---- half size with the box kernel: stages/kit/resample.c ---------------- */

struct axis {
	int32_t *start, *count;
	float *weights;
	size_t max_taps;
};

static int32_t clamp_index(int64_t j, uint32_t len)
{
	return (int32_t)(j < 0 ? 0 : j >= (int64_t)len ? (int64_t)len - 1 : j);
}

static double box_at(double x)
{
	double a = fabs(x);
	return a < 0.5 - 1e-9 ? 1.0 : a <= 0.5 + 1e-9 ? 0.5 : 0.0;
}

/* resize.c's scaled(len, 0.5) and resample.c's plan_axis() for the box. */
static int plan_axis(struct axis *a, uint32_t in_len, uint32_t *out_len)
{
	double v = round(in_len * 0.5);
	uint32_t out = v < 1 ? 1 : v > 65535 ? 65535 : (uint32_t)v;
	double scale = (double)out / in_len;
	double stretch = scale < 1.0 ? 1.0 / scale : 1.0;
	double support = 0.5 * stretch;
	size_t max_taps = (size_t)ceil(2.0 * support) + 2;

	a->start = malloc(sizeof(int32_t) * out);
	a->count = malloc(sizeof(int32_t) * out);
	a->weights = calloc((size_t)out * max_taps, sizeof(float));
	if (a->start == NULL || a->count == NULL || a->weights == NULL)
		return -1;
	a->max_taps = max_taps;
	for (uint32_t i = 0; i < out; i++) {
		double centre = (i + 0.5) / scale - 0.5;
		float *w = a->weights + (size_t)i * max_taps;
		int64_t lo = (int64_t)ceil(centre - support - 1e-9);
		int64_t hi = (int64_t)floor(centre + support + 1e-9);
		int32_t first = clamp_index(lo, in_len);
		double sum = 0.0;
		for (int64_t j = lo; j <= hi; j++) {
			double k = box_at((j - centre) / stretch);
			w[clamp_index(j, in_len) - first] += (float)k;
			sum += k;
		}
		a->start[i] = first;
		a->count[i] = clamp_index(hi, in_len) - first + 1;
		if (sum == 0.0) {
			a->start[i] = clamp_index((int64_t)floor(centre + 0.5),
						  in_len);
			a->count[i] = 1;
			w[0] = 1.0f;
			continue;
		}
		for (int32_t t = 0; t < a->count[i]; t++)
			w[t] = (float)(w[t] / sum);
	}
	*out_len = out;
	return 0;
}

static void free_axis(struct axis *a)
{
	free(a->start);
	free(a->count);
	free(a->weights);
}

static uint8_t to_u8(float v)
{
	return v <= 0.0f ? 0 : v >= 255.0f ? 255 : (uint8_t)(v + 0.5f);
}

static int half_box(struct image *img)
{
	struct axis h = {0}, v = {0};
	uint32_t ow, oh;
	unsigned ch = img->channels;
	int ret = -1;

	if (plan_axis(&h, img->width, &ow) != 0 ||
	    plan_axis(&v, img->height, &oh) != 0)
		goto out;
	size_t rf = (size_t)img->width * ch;
	float *col = malloc(sizeof(float) * rf);
	float *row = malloc(sizeof(float) * ow * ch);
	uint8_t *dst = malloc((size_t)ow * oh * ch);
	if (col == NULL || row == NULL || dst == NULL) {
		free(col);
		free(row);
		free(dst);
		goto out;
	}
	for (uint32_t y = 0; y < oh; y++) {
		const float *w = v.weights + (size_t)y * v.max_taps;
		const uint8_t *src = img->pixels + (size_t)v.start[y] * rf;
		for (size_t i = 0; i < rf; i++)
			col[i] = w[0] * (float)src[i];
		for (int32_t t = 1; t < v.count[y]; t++) {
			src = img->pixels + (size_t)(v.start[y] + t) * rf;
			for (size_t i = 0; i < rf; i++)
				col[i] += w[t] * (float)src[i];
		}
		for (uint32_t x = 0; x < ow; x++) {
			const float *hw = h.weights + (size_t)x * h.max_taps;
			const float *s = col + (size_t)h.start[x] * ch;
			float acc[3] = {0, 0, 0};
			for (int32_t t = 0; t < h.count[x]; t++, s += ch)
				for (unsigned c = 0; c < ch; c++)
					acc[c] += hw[t] * s[c];
			for (unsigned c = 0; c < ch; c++)
				row[(size_t)x * ch + c] = acc[c];
		}
		uint8_t *d = dst + (size_t)y * ow * ch;
		for (size_t i = 0; i < (size_t)ow * ch; i++)
			d[i] = to_u8(row[i]);
	}
	free(col);
	free(row);
	free(img->pixels);
	img->pixels = dst;
	img->width = ow;
	img->height = oh;
	ret = 0;
out:
	free_axis(&h);
	free_axis(&v);
	return ret;
}

/* ---- encode: stages/codec/png_write.c's libpng calls ------------------- */

static int encode(const char *path, const struct image *img,
		  const struct settings *s)
{
	FILE *f = fopen(path, "wb");
	png_structp png;
	png_infop info;

	if (f == NULL) {
		perror(path);
		return -1;
	}
	png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	info = png_create_info_struct(png);
	if (setjmp(png_jmpbuf(png))) {
		fprintf(stderr, "%s: libpng error\n", path);
		png_destroy_write_struct(&png, &info);
		fclose(f);
		return -1;
	}
	png_init_io(png, f);
	png_set_IHDR(png, info, img->width, img->height, 8,
		     img->channels == 1 ? PNG_COLOR_TYPE_GRAY
					: PNG_COLOR_TYPE_RGB,
		     PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
		     PNG_FILTER_TYPE_DEFAULT);
	png_set_compression_level(png, s->level);
	if (s->strategy >= 0)
		png_set_compression_strategy(png, s->strategy);
	png_set_filter(png, PNG_FILTER_TYPE_BASE, s->filters);
	png_write_info(png, info);
	size_t row = (size_t)img->width * img->channels;
	for (uint32_t y = 0; y < img->height; y++)
		png_write_row(png, img->pixels + row * y);
	png_write_end(png, NULL);
	png_destroy_write_struct(&png, &info);
	if (fclose(f) != 0) {
		perror(path);
		return -1;
	}
	return 0;
}

/* ---- main ---------------------------------------------------------------- */

static int lookup(const char *name, const char *const *names, int n)
{
	for (int i = 0; i < n; i++)
		if (strcmp(name, names[i]) == 0)
			return i;
	return -1;
}

static int usage(void)
{
	fprintf(stderr, "usage: serial_baseline -j gray|invert -o OUTDIR "
			"[-l 0..9] [-s libpng|default|filtered|rle|huffman] "
			"[-f all|none|sub|up|avg|paeth] FILE...\n");
	return 2;
}

int main(int argc, char **argv)
{
	static const char *const strategy_names[] = {
		"libpng", "default", "filtered", "rle", "huffman"};
	static const int strategy_values[] = {
		-1, Z_DEFAULT_STRATEGY, Z_FILTERED, Z_RLE, Z_HUFFMAN_ONLY};
	static const char *const filter_names[] = {"all", "none", "sub",
						   "up",  "avg",  "paeth"};
	static const int filter_values[] = {PNG_ALL_FILTERS, PNG_FILTER_NONE,
					    PNG_FILTER_SUB,  PNG_FILTER_UP,
					    PNG_FILTER_AVG,  PNG_FILTER_PAETH};
	struct settings s = {6, -1, PNG_ALL_FILTERS};
	const char *outdir = NULL;
	int gray = -1, opt, i, failed = 0;

	while ((opt = getopt(argc, argv, "j:o:l:s:f:")) != -1) {
		switch (opt) {
		case 'j':
			gray = strcmp(optarg, "gray") == 0     ? 1
			       : strcmp(optarg, "invert") == 0 ? 0
							       : -1;
			if (gray < 0)
				return usage();
			break;
		case 'o': outdir = optarg; break;
		case 'l':
			s.level = atoi(optarg);
			if (s.level < 0 || s.level > 9)
				return usage();
			break;
		case 's':
			if ((i = lookup(optarg, strategy_names, 5)) < 0)
				return usage();
			s.strategy = strategy_values[i];
			break;
		case 'f':
			if ((i = lookup(optarg, filter_names, 6)) < 0)
				return usage();
			s.filters = filter_values[i];
			break;
		default: return usage();
		}
	}
	if (gray < 0 || outdir == NULL || optind >= argc)
		return usage();
	for (i = optind; i < argc; i++) {
		const char *slash = strrchr(argv[i], '/');
		char out[4096];
		struct image img;

		(void)snprintf(out, sizeof(out), "%s/%s", outdir,
			       slash != NULL ? slash + 1 : argv[i]);
		if (decode(argv[i], &img) != 0) {
			failed = 1;
			continue;
		}
		if (gray) {
			grayscale(&img);
			if (half_box(&img) != 0) {
				fprintf(stderr, "%s: out of memory\n", argv[i]);
				failed = 1;
			}
		} else {
			invert(&img);
		}
		if (encode(out, &img, &s) != 0)
			failed = 1;
		free(img.pixels);
	}
	return failed;
}
