/* edges — a Sobel edge detector: any 8-bit frame in, a G8 frame out.
 *
 * An example of a filter that changes the format (ABI 1.2): it declares
 * with `shape` that whatever 8-bit format arrives, G8 of the same size
 * leaves, so the planner sizes slots for it and `framepipe check` refuses
 * a stage after it that cannot take gray. It writes a second, granted
 * slot (FP_STAGE_OUT_OF_PLACE): each output pixel needs its neighbours in
 * the input, which an in-place rewrite would already have overwritten.
 *   threshold  0: the gradient's magnitude, 0..255 (clamped); 1..255:
 *              255 where the magnitude reaches it, else 0
 * The gray of a pixel is (77 R + 150 G + 29 B + 128) / 256 (BT.601 in
 * eighths of a percent); gray formats are used as they are; alpha is
 * ignored. Borders repeat the edge pixels. */
#include <framepipe/stage.h>
#include <math.h>
#include <stdlib.h>

typedef struct edges_config {
	int64_t threshold;
} edges_config;

static const fp_param params[] = {
	FP_PARAM_INT_(edges_config, threshold, "0", 0, 255,
		      "0: gradient magnitude; 1..255: 255 at or above, else 0"),
};

/* What it makes: G8, the size it gets. */
static int edges_shape(const void *config, const fp_shape *in, fp_shape *out,
		       char *err, size_t err_size)
{
	(void)config;
	(void)err;
	(void)err_size;
	out->width = in->width;
	out->height = in->height;
	out->formats = FP_FORMAT_BIT(FP_FORMAT_G8);
	return 0;
}

static int edges_init(void **state, const void *config, const fp_stage_env *env,
		      char *err, size_t err_size)
{
	(void)env;
	(void)err;
	(void)err_size;
	*state = (void *)config; /* borrowed, valid until fini */
	return 0;
}

static uint8_t gray_at(const fp_frame *f, unsigned channels, int64_t x,
		       int64_t y)
{
	x = x < 0 ? 0 : x >= f->width ? (int64_t)f->width - 1 : x;
	y = y < 0 ? 0 : y >= f->height ? (int64_t)f->height - 1 : y;
	const uint8_t *p =
		f->pixels + (size_t)y * f->stride + (size_t)x * channels;
	if (channels < 3)
		return p[0];
	return (uint8_t)((77u * p[0] + 150u * p[1] + 29u * p[2] + 128u) >> 8);
}

static int edges_process(void *state, fp_frame *in, fp_frame *out)
{
	const edges_config *c = state;
	unsigned channels = fp_format_channels(in->format);
	/* A G8 frame the size of the input fits: the core's slots are sized
	 * for the largest frame of the run, and G8 is the smallest format. */
	out->width = in->width;
	out->height = in->height;
	out->stride = in->width;
	out->format = FP_FORMAT_G8;
	for (uint32_t y = 0; y < in->height; y++) {
		uint8_t *row = out->pixels + (size_t)y * out->stride;
		for (uint32_t x = 0; x < in->width; x++) {
			int g[3][3];
			for (int dy = -1; dy <= 1; dy++)
				for (int dx = -1; dx <= 1; dx++)
					g[dy + 1][dx + 1] = gray_at(
						in, channels, (int64_t)x + dx,
						(int64_t)y + dy);
			int gx = (g[0][2] + 2 * g[1][2] + g[2][2]) -
				 (g[0][0] + 2 * g[1][0] + g[2][0]);
			int gy = (g[2][0] + 2 * g[2][1] + g[2][2]) -
				 (g[0][0] + 2 * g[0][1] + g[0][2]);
			double m = sqrt((double)gx * gx + (double)gy * gy);
			unsigned v = m >= 255.0 ? 255u : (unsigned)(m + 0.5);
			if (c->threshold > 0)
				v = v >= c->threshold ? 255u : 0u;
			row[x] = (uint8_t)v;
		}
	}
	return 0;
}

FP_STAGE_EXPORT = {
	FP_STAGE_HEADER,
	.name = "edges",
	.summary = "Sobel edge magnitude, G8 out (example plugin)",
	.description =
		"The magnitude of the Sobel gradient of each pixel's gray,\n"
		"clamped to 255, or 255/0 against `threshold`. Takes any "
		"8-bit\n"
		"format and makes G8 of the same size (declared with shape).",
	.kind = FP_STAGE_FILTER,
	.flags = FP_STAGE_OUT_OF_PLACE,
	.formats = FP_FORMATS_8BIT,
	.params = params,
	.param_count = FP_COUNT_OF(params),
	.config_size = sizeof(edges_config),
	.init = edges_init,
	.process = edges_process,
	.shape = edges_shape,
};
