/* testsrc — synthetic frames, for trying pipelines and measuring the
 * transport. Needs no input files. */
#include <framepipe/stage.h>
#include <stdlib.h>
#include <string.h>

typedef struct testsrc_config {
	int64_t count;
	int64_t width;
	int64_t height;
	int format;  /* index into FORMATS */
	int pattern; /* index into PATTERNS */
} testsrc_config;

#define FORMATS	 "g8|ga8|rgb8|rgba8|g16|ga16|rgb16|rgba16"
#define PATTERNS "gradient|noise|none"
enum { PATTERN_GRADIENT, PATTERN_NOISE, PATTERN_NONE };

static const fp_param params[] = {
	FP_PARAM_INT_(testsrc_config, count, "100", 0, 1e12,
		      "how many frames to make"),
	FP_PARAM_INT_(testsrc_config, width, "640", 1, FP_MAX_DIMENSION,
		      "frame width"),
	FP_PARAM_INT_(testsrc_config, height, "480", 1, FP_MAX_DIMENSION,
		      "frame height"),
	FP_PARAM_CHOICE_(testsrc_config, format, "rgb8", FORMATS,
			 "pixel format of the frames"),
	FP_PARAM_CHOICE_(testsrc_config, pattern, "gradient", PATTERNS,
			 "gradient or noise (both depend on the frame number), "
			 "or none: leave the pixels untouched, to measure "
			 "the transport alone"),
};

static fp_format format_of(const testsrc_config *c)
{
	return (fp_format)(FP_FORMAT_G8 + c->format);
}

static int testsrc_init(void **state, const void *config,
			const fp_stage_env *env, char *err, size_t err_size)
{
	(void)env;
	(void)err;
	(void)err_size;
	*state = (void *)config;
	return 0;
}

static void fill_gradient(fp_frame *f, unsigned channels)
{
	uint8_t shift = (uint8_t)(f->sequence * 7);
	if (fp_format_sample_bytes(f->format) == 2) {
		/* 16-bit: a ramp with detail below the 8-bit levels */
		for (uint32_t y = 0; y < f->height; y++) {
			uint16_t *row =
				(uint16_t *)(void *)(f->pixels +
						     (size_t)y * f->stride);
			for (uint32_t x = 0; x < f->width; x++)
				for (unsigned c = 0; c < channels; c++)
					row[x * channels + c] =
						(uint16_t)(x * 97u + y * 211u +
							   c * 21845u +
							   shift * 7u);
		}
		return;
	}
	for (uint32_t y = 0; y < f->height; y++) {
		uint8_t *row = f->pixels + (size_t)y * f->stride;
		for (uint32_t x = 0; x < f->width; x++)
			for (unsigned c = 0; c < channels; c++)
				row[x * channels + c] =
					(uint8_t)(x + 2 * y + 85 * c + shift);
	}
}

static void fill_noise(fp_frame *f, unsigned pixel_bytes)
{
	uint64_t s = f->sequence * 0x9E3779B97F4A7C15ull + 1;
	size_t row_bytes = (size_t)f->width * pixel_bytes;
	for (uint32_t y = 0; y < f->height; y++) {
		uint8_t *row = f->pixels + (size_t)y * f->stride;
		for (size_t i = 0; i < row_bytes; i++) {
			s ^= s << 13;
			s ^= s >> 7;
			s ^= s << 17;
			row[i] = (uint8_t)(s >> 24);
		}
	}
}

static int testsrc_process(void *state, fp_frame *in, fp_frame *out)
{
	(void)in;
	const testsrc_config *c = state;
	if (out->sequence >= (uint64_t)c->count)
		return FP_EEND;
	fp_format format = format_of(c);
	unsigned channels = fp_format_channels(format);
	unsigned pixel_bytes = fp_format_pixel_bytes(format);
	uint64_t bytes = (uint64_t)c->width * pixel_bytes * (uint64_t)c->height;
	if (bytes > out->capacity)
		return fp_frame_fail(out, FP_ENOFIT,
				     "%lldx%lld %s needs %llu bytes, pool slot "
				     "holds %zu (raise it: --set slot_size=N "
				     "or [pipeline] slot_size)",
				     (long long)c->width, (long long)c->height,
				     fp_format_name(format),
				     (unsigned long long)bytes, out->capacity);
	out->width = (uint32_t)c->width;
	out->height = (uint32_t)c->height;
	out->format = format;
	out->stride = out->width * pixel_bytes;
	if (c->pattern == PATTERN_GRADIENT)
		fill_gradient(out, channels);
	else if (c->pattern == PATTERN_NOISE)
		fill_noise(out, pixel_bytes);
	return 0;
}

static int testsrc_bound(const void *config, const char *input_path,
			 uint64_t *bytes, char *err, size_t err_size)
{
	(void)input_path;
	(void)err;
	(void)err_size;
	const testsrc_config *c = config;
	*bytes = (uint64_t)c->width * (uint64_t)c->height *
		 fp_format_pixel_bytes(format_of(c));
	return 0;
}

static int testsrc_shape(const void *config, const fp_shape *in, fp_shape *out,
			 char *err, size_t err_size)
{
	(void)in;
	(void)err;
	(void)err_size;
	const testsrc_config *c = config;
	out->width = (uint32_t)c->width;
	out->height = (uint32_t)c->height;
	out->formats = FP_FORMAT_BIT(format_of(c));
	return 0;
}

static int64_t testsrc_count(const void *config, size_t input_count)
{
	(void)input_count;
	return ((const testsrc_config *)config)->count;
}

FP_STAGE_EXPORT = {
	FP_STAGE_HEADER,
	.name = "testsrc",
	.summary = "synthetic frames (gradient, noise or untouched) for tests "
		   "and benchmarks",
	.kind = FP_STAGE_SOURCE,
	.params = params,
	.param_count = FP_COUNT_OF(params),
	.config_size = sizeof(testsrc_config),
	.init = testsrc_init,
	.process = testsrc_process,
	.frame_bound = testsrc_bound,
	.frame_count = testsrc_count,
	.shape = testsrc_shape,
};
