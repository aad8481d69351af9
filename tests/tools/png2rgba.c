/* png2rgba — decode a PNG to raw 8-bit RGBA the way tests/data/pngsuite-ref
 * was made (16-bit scaled, gray replicated, tRNS to alpha, no gamma), for
 * tests that check pixels independently of framepipe.
 *
 *   png2rgba FILE.png                 raw RGBA bytes on stdout
 *   png2rgba --compare FILE.png REF.pam
 *                                     exit 0 if size and pixels equal,
 *                                     else one line on stdout and exit 1
 * Exit 2 on usage or read errors.
 */
#include <inttypes.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <png.h>

struct image {
	uint32_t width;
	uint32_t height;
	uint8_t *rgba; /* width * height * 4 bytes */
};

static void on_png_error(png_structp png, png_const_charp msg)
{
	(void)fprintf(stderr, "%s: %s\n", (const char *)png_get_error_ptr(png),
		      msg);
	png_longjmp(png, 1);
}

static void on_png_warning(png_structp png, png_const_charp msg)
{
	(void)png;
	(void)msg;
}

static void set_transforms(png_structp png)
{
	png_set_palette_to_rgb(png);
	png_set_expand_gray_1_2_4_to_8(png);
	png_set_tRNS_to_alpha(png);
	png_set_scale_16(png);
	png_set_gray_to_rgb(png);
	png_set_add_alpha(png, 0xff, PNG_FILLER_AFTER);
	png_set_interlace_handling(png);
}

/* Read file into img (rgba allocated); 0 or -1 with a message on stderr. */
static int decode_file(FILE *file, const char *path, struct image *img)
{
	png_structp png;
	png_infop info;
	png_bytep *volatile rows = NULL;
	volatile int ret = -1;

	png = png_create_read_struct(PNG_LIBPNG_VER_STRING, (png_voidp)path,
				     on_png_error, on_png_warning);
	info = png != NULL ? png_create_info_struct(png) : NULL;
	if (info == NULL) {
		(void)fprintf(stderr, "%s: out of memory\n", path);
		png_destroy_read_struct(&png, NULL, NULL);
		return -1;
	}
	if (setjmp(png_jmpbuf(png))) /* on_png_error printed the reason */
		goto out;
	png_init_io(png, file);
	png_set_user_limits(png, 0x7fffffff, 0x7fffffff);
	png_read_info(png, info);
	set_transforms(png);
	png_read_update_info(png, info);
	img->width = png_get_image_width(png, info);
	img->height = png_get_image_height(png, info);
	img->rgba = malloc((size_t)img->width * img->height * 4);
	rows = malloc(img->height * sizeof(*rows));
	if (img->rgba == NULL || rows == NULL) {
		(void)fprintf(stderr, "%s: out of memory\n", path);
		goto out;
	}
	for (uint32_t y = 0; y < img->height; y++)
		rows[y] = img->rgba + (size_t)y * img->width * 4;
	png_read_image(png, rows);
	png_read_end(png, NULL);
	ret = 0;
out:
	free(rows);
	png_destroy_read_struct(&png, &info, NULL);
	return ret;
}

static int read_png(const char *path, struct image *img)
{
	FILE *file = fopen(path, "rbe");
	int ret;

	img->rgba = NULL;
	if (file == NULL) {
		perror(path);
		return -1;
	}
	ret = decode_file(file, path, img);
	(void)fclose(file);
	if (ret < 0) {
		free(img->rgba);
		img->rgba = NULL;
	}
	return ret;
}

/* Read an 8-bit RGBA PAM (P7, DEPTH 4, MAXVAL 255). */
static int read_pam(const char *path, struct image *img)
{
	FILE *file = fopen(path, "rbe");
	char line[128];
	unsigned long w = 0, h = 0, depth = 0, maxval = 0;
	int ret = -1;

	img->rgba = NULL;
	if (file == NULL) {
		perror(path);
		return -1;
	}
	if (fgets(line, sizeof(line), file) == NULL ||
	    strcmp(line, "P7\n") != 0)
		goto bad;
	while (fgets(line, sizeof(line), file) != NULL &&
	       strcmp(line, "ENDHDR\n") != 0) {
		(void)sscanf(line, "WIDTH %lu", &w);
		(void)sscanf(line, "HEIGHT %lu", &h);
		(void)sscanf(line, "DEPTH %lu", &depth);
		(void)sscanf(line, "MAXVAL %lu", &maxval);
	}
	if (w == 0 || h == 0 || w > 0x7fffffff || h > 0x7fffffff ||
	    depth != 4 || maxval != 255)
		goto bad;
	img->width = (uint32_t)w;
	img->height = (uint32_t)h;
	img->rgba = malloc((size_t)w * h * 4);
	if (img->rgba == NULL ||
	    fread(img->rgba, 1, (size_t)w * h * 4, file) != (size_t)w * h * 4)
		goto bad;
	ret = 0;
	goto out;
bad:
	(void)fprintf(stderr, "%s: not an 8-bit RGBA PAM (or truncated)\n",
		      path);
	free(img->rgba);
	img->rgba = NULL;
out:
	(void)fclose(file);
	return ret;
}

/* 0 if equal, else print the first difference and return 1. */
static int compare(const struct image *got, const struct image *ref,
		   const char *path)
{
	size_t n = (size_t)got->width * got->height * 4, ndiff = 0, first = 0;

	if (got->width != ref->width || got->height != ref->height) {
		printf("%s: size %" PRIu32 "x%" PRIu32 ", reference %" PRIu32
		       "x%" PRIu32 "\n",
		       path, got->width, got->height, ref->width, ref->height);
		return 1;
	}
	for (size_t i = n; i-- > 0;) {
		if (got->rgba[i] != ref->rgba[i]) {
			ndiff++;
			first = i;
		}
	}
	if (ndiff == 0)
		return 0;
	printf("%s: %zu of %zu bytes differ; first at x=%zu y=%zu channel %c: "
	       "%u, reference %u\n",
	       path, ndiff, n, first / 4 % got->width, first / 4 / got->width,
	       "RGBA"[first % 4], got -> rgba[first], ref -> rgba[first]);
	return 1;
}

static int usage(void)
{
	(void)fprintf(stderr, "usage: png2rgba FILE.png > FILE.rgba\n"
			      "       png2rgba --compare FILE.png REF.pam\n");
	return 2;
}

int main(int argc, char **argv)
{
	struct image got, ref;
	int ret;

	if (argc == 2 && argv[1][0] != '-') {
		if (read_png(argv[1], &got) < 0)
			return 2;
		ret = fwrite(got.rgba, 4, (size_t)got.width * got.height,
			     stdout) == (size_t)got.width * got.height &&
				      fflush(stdout) == 0
			      ? 0
			      : 2;
		if (ret != 0)
			perror("png2rgba: writing stdout");
		free(got.rgba);
		return ret;
	}
	if (argc != 4 || strcmp(argv[1], "--compare") != 0)
		return usage();
	if (read_png(argv[2], &got) < 0)
		return 2;
	if (read_pam(argv[3], &ref) < 0) {
		free(got.rgba);
		return 2;
	}
	ret = compare(&got, &ref, argv[2]);
	free(got.rgba);
	free(ref.rgba);
	return ret;
}
