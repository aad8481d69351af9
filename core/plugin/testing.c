#include "framepipe/testing.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frame_check.h"
#include "loader.h"
#include "params.h"

#define DEFAULT_CAPACITY  ((size_t)64 << 20)
#define DEFAULT_META_SIZE ((size_t)1 << 20) /* [pipeline] metadata_size */

struct fp_harness {
	fp_plugin plugin;
	void *config;
	void *state;
	int started;
	size_t capacity;
	uint8_t *buffers[2];
	fp_meta *metas[2]; /* each buffer's metadata area */
	size_t meta_size;
	uint32_t hint_width, hint_height; /* for sources' frames */
	fp_stage_env env;		  /* the stage may keep it until fini */
	const char *const *inputs;
	size_t input_count;
	char error[512];
};

/* Finish a harness whose plugin was opened with rc: make its config. */
static fp_harness *adopt(fp_harness *h, int rc)
{
	if (rc == 0)
		h->config = fp__params_new(h->plugin.desc, h->error,
					   sizeof h->error);
	if (rc != 0 || h->config == NULL) {
		fprintf(stderr, "fp_harness: %s\n", h->error);
		fp_harness_free(h);
		return NULL;
	}
	return h;
}

fp_harness *fp_harness_new(const char *stage)
{
	fp_harness *h = calloc(1, sizeof *h);
	if (h == NULL)
		return NULL;
	h->capacity = DEFAULT_CAPACITY;
	h->meta_size = DEFAULT_META_SIZE;
	int rc = strchr(stage, '/') != NULL
			 ? fp__plugin_open(&h->plugin, stage, h->error,
					   sizeof h->error)
			 : fp__plugin_find(&h->plugin, stage, h->error,
					   sizeof h->error);
	return adopt(h, rc);
}

fp_harness *fp_harness_new_linked(const fp_stage_descriptor *desc)
{
	fp_harness *h = calloc(1, sizeof *h);
	if (h == NULL)
		return NULL;
	h->capacity = DEFAULT_CAPACITY;
	h->meta_size = DEFAULT_META_SIZE;
	return adopt(h, fp__plugin_wrap(&h->plugin, desc, "linked stage",
					h->error, sizeof h->error));
}

int fp_harness_set(fp_harness *h, const char *name, const char *value)
{
	const fp__alias *alias;
	int rc = fp__params_set_spelled(h->plugin.desc, h->config, name, value,
					&alias, h->error, sizeof h->error);
	if (alias != NULL)
		fp__alias_note(alias, "fp_harness_set", h->plugin.desc->name,
			       name, value, stderr);
	return rc;
}

void fp_harness_set_capacity(fp_harness *h, size_t bytes)
{
	free(h->buffers[0]);
	free(h->buffers[1]);
	h->buffers[0] = h->buffers[1] = NULL;
	h->capacity = bytes;
}

/* fp_stage_env.log in a test: "label#0: text" on stderr, every level. */
static void harness_log(const fp_stage_env *env, fp_log_level level,
			const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "%s#%u: %s", env->label, env->instance,
		level == FP_LOG_ERROR  ? "error: "
		: level == FP_LOG_WARN ? "warning: "
				       : "");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

int fp_harness_start(fp_harness *h, const char *const *inputs,
		     size_t input_count, const char *output_dir)
{
	h->env = (fp_stage_env){
		.struct_size = sizeof h->env,
		.label = h->plugin.desc->name,
		.input_count = input_count,
		.inputs = inputs,
		.output_dir = output_dir,
		.log = harness_log,
		.threads = 1,
	};
	h->inputs = inputs;
	h->input_count = input_count;
	int rc = 0;
	if (h->plugin.desc->init != NULL)
		rc = h->plugin.desc->init(&h->state, h->config, &h->env,
					  h->error, sizeof h->error);
	h->started = rc == 0;
	return rc;
}

void fp_harness_set_metadata_size(fp_harness *h, size_t bytes)
{
	free(h->metas[0]);
	free(h->metas[1]);
	h->metas[0] = h->metas[1] = NULL;
	h->meta_size = bytes > UINT32_MAX / 2 ? UINT32_MAX / 2 : bytes;
}

static uint8_t *buffer(fp_harness *h, int which)
{
	if (h->buffers[which] == NULL)
		h->buffers[which] = malloc(h->capacity ? h->capacity : 1);
	return h->buffers[which];
}

/* Buffer which's metadata area, as the stage host hands it: the capacity
 * set by the core, whatever a stage wrote there before. */
static fp_meta *meta_area(fp_harness *h, int which)
{
	if (h->metas[which] == NULL)
		h->metas[which] = calloc(1, sizeof(fp_meta) + h->meta_size);
	if (h->metas[which] != NULL)
		h->metas[which]->capacity = (uint32_t)h->meta_size;
	return h->metas[which];
}

static void blank_frame(fp_harness *h, fp_frame *f, int which)
{
	memset(f, 0, sizeof *f);
	f->pixels = buffer(h, which);
	f->capacity = h->capacity;
	f->meta = meta_area(h, which);
	fp_meta_clear(f->meta);
	f->error = h->error;
	f->error_size = sizeof h->error;
	h->error[0] = '\0';
}

/* What the stage host checks of a frame a stage made before passing it on:
 * a known format and a geometry that fits its buffer. */
static int check_output(fp_harness *h, int rc, const fp_frame *f)
{
	if (rc != 0)
		return rc;
	return fp__frame_check(f, h->error, sizeof h->error);
}

void fp_harness_set_hint(fp_harness *h, uint32_t width, uint32_t height)
{
	h->hint_width = width;
	h->hint_height = height;
}

int fp_harness_source(fp_harness *h, uint64_t sequence, fp_frame *out)
{
	blank_frame(h, out, 0);
	out->hint_width = h->hint_width;
	out->hint_height = h->hint_height;
	out->sequence = sequence;
	out->input_index = (uint32_t)sequence;
	out->input_path =
		sequence < h->input_count ? h->inputs[sequence] : NULL;
	return check_output(h, h->plugin.desc->process(h->state, NULL, out),
			    out);
}

/* A copy of in, in harness buffer `which`, as a pool slot would hold it. */
static int copy_in(fp_harness *h, const fp_frame *in, fp_frame *f, int which)
{
	size_t bytes = (size_t)in->stride * in->height;
	if (bytes > h->capacity) {
		snprintf(h->error, sizeof h->error,
			 "harness: frame of %zu "
			 "bytes exceeds capacity %zu",
			 bytes, h->capacity);
		return FP_ENOFIT;
	}
	uint8_t *px = buffer(h, which);
	memmove(px, in->pixels, bytes);
	blank_frame(h, f, which);
	f->width = in->width;
	f->height = in->height;
	f->stride = in->stride;
	f->format = in->format;
	f->sequence = in->sequence;
	f->input_index = in->input_index;
	f->input_path = in->input_path;
	if (fp__meta_copy(f->meta, in->meta) != 0) {
		snprintf(h->error, sizeof h->error,
			 "harness: the frame's metadata does not fit the "
			 "%zu-byte area (fp_harness_set_metadata_size)",
			 h->meta_size);
		return FP_ENOFIT;
	}
	return 0;
}

/* The format rule the stage host applies before process(). */
static int accepts(fp_harness *h, const fp_frame *in)
{
	char why[256];
	int rc =
		fp__frame_accepted(h->plugin.desc, in->format, why, sizeof why);
	if (rc != 0)
		snprintf(h->error, sizeof h->error, "%s %s",
			 h->plugin.desc->name, why);
	return rc;
}

int fp_harness_filter(fp_harness *h, const fp_frame *in, fp_frame *out)
{
	fp_frame f;
	int rc = accepts(h, in);
	if (rc != 0)
		return rc;
	rc = copy_in(h, in, &f, 0);
	if (rc != 0)
		return rc;
	if (!(h->plugin.desc->flags & FP_STAGE_OUT_OF_PLACE)) {
		rc = h->plugin.desc->process(h->state, &f, &f);
		*out = f;
		return check_output(h, rc, out);
	}
	blank_frame(h, out, 1);
	fp__meta_copy(out->meta, f.meta); /* fits: same capacity */
	out->sequence = f.sequence;
	out->input_index = f.input_index;
	out->input_path = f.input_path;
	return check_output(h, h->plugin.desc->process(h->state, &f, out), out);
}

int fp_harness_sink(fp_harness *h, const fp_frame *in, const char *output_path)
{
	h->error[0] = '\0';
	int rc = accepts(h, in);
	if (rc != 0)
		return rc;
	fp_frame f = *in;
	f.output_path = output_path;
	f.error = h->error;
	f.error_size = sizeof h->error;
	return h->plugin.desc->process(h->state, &f, NULL);
}

const char *fp_harness_error(const fp_harness *h)
{
	return h->error;
}

const fp_stage_descriptor *fp_harness_descriptor(const fp_harness *h)
{
	return h->plugin.desc;
}

void fp_harness_free(fp_harness *h)
{
	if (h == NULL)
		return;
	if (h->started && h->plugin.desc->fini != NULL)
		h->plugin.desc->fini(h->state);
	if (h->plugin.desc != NULL)
		fp__params_free(h->plugin.desc, h->config);
	fp__plugin_close(&h->plugin);
	free(h->buffers[0]);
	free(h->buffers[1]);
	free(h->metas[0]);
	free(h->metas[1]);
	free(h);
}

/* ---- frames for tests ---------------------------------------------------- */

#define FRAME_ERROR_SIZE 256
#define PIXEL_ALIGN	 64
#define TEST_META_SIZE	 ((size_t)64 << 10)

/* One allocation: the frame, its error text, then its pixels, aligned. */
typedef struct test_frame {
	fp_frame frame;
	char error[FRAME_ERROR_SIZE];
	fp_meta meta; /* followed by TEST_META_SIZE bytes */
	uint8_t meta_data[TEST_META_SIZE];
} test_frame;

fp_frame *fp_testing_frame_new(uint32_t width, uint32_t height,
			       fp_format format)
{
	unsigned pixel_bytes = fp_format_pixel_bytes(format);
	if (pixel_bytes == 0 || width == 0 || height == 0 ||
	    width > UINT32_MAX / pixel_bytes)
		return NULL;
	uint32_t stride = width * pixel_bytes;
	size_t head = (sizeof(test_frame) + PIXEL_ALIGN - 1) / PIXEL_ALIGN *
		      PIXEL_ALIGN;
	if ((size_t)height > (SIZE_MAX - head) / stride)
		return NULL;
	size_t bytes = (size_t)stride * height;
	test_frame *t =
		aligned_alloc(PIXEL_ALIGN, (head + bytes + PIXEL_ALIGN - 1) /
						   PIXEL_ALIGN * PIXEL_ALIGN);
	if (t == NULL)
		return NULL;
	memset(t, 0, head + bytes);
	t->frame = (fp_frame){
		.width = width,
		.height = height,
		.stride = stride,
		.format = format,
		.pixels = (uint8_t *)t + head,
		.capacity = bytes,
		.error = t->error,
		.error_size = sizeof t->error,
		.meta = &t->meta,
	};
	t->meta.capacity = (uint32_t)TEST_META_SIZE;
	return &t->frame;
}

void fp_testing_frame_free(fp_frame *frame)
{
	free(frame); /* the frame is the first member of its test_frame */
}

static size_t row_bytes(const fp_frame *f)
{
	return (size_t)f->width * fp_format_pixel_bytes(f->format);
}

void fp_testing_frame_fill(fp_frame *frame, const uint8_t *bytes)
{
	size_t row = row_bytes(frame);
	for (uint32_t y = 0; y < frame->height; y++)
		memcpy(frame->pixels + (size_t)y * frame->stride,
		       bytes + (size_t)y * row, row);
}

void fp_testing_frame_fill_pixel(fp_frame *frame, const uint8_t *pixel)
{
	unsigned pixel_bytes = fp_format_pixel_bytes(frame->format);
	for (uint32_t y = 0; y < frame->height; y++)
		for (uint32_t x = 0; x < frame->width; x++)
			memcpy(fp_testing_pixel(frame, x, y), pixel,
			       pixel_bytes);
}

static uint8_t pattern_value(const fp_frame *f, fp_testing_pattern pattern,
			     uint32_t x, uint32_t y, unsigned c,
			     uint32_t *noise)
{
	switch (pattern) {
	case FP_TESTING_GRADIENT: {
		uint64_t span = (uint64_t)f->width + f->height - 2;
		uint64_t v = ((uint64_t)x + y) * 255 / (span ? span : 1);
		return (uint8_t)(v + 64u * c);
	}
	case FP_TESTING_NOISE:
		*noise ^= *noise << 13;
		*noise ^= *noise >> 17;
		*noise ^= *noise << 5;
		return (uint8_t)(*noise >> 24);
	case FP_TESTING_CHECKER: return ((x / 8 + y / 8) & 1) ? 255 : 0;
	}
	return 0;
}

void fp_testing_frame_fill_pattern(fp_frame *frame, fp_testing_pattern pattern,
				   uint32_t seed)
{
	unsigned channels = fp_format_channels(frame->format);
	bool wide = fp_format_sample_bytes(frame->format) == 2;
	uint32_t noise = seed != 0 ? seed : 0x9e3779b9u;
	for (uint32_t y = 0; y < frame->height; y++)
		for (uint32_t x = 0; x < frame->width; x++) {
			uint8_t *px = fp_testing_pixel(frame, x, y);
			for (unsigned c = 0; c < channels; c++) {
				uint8_t v = pattern_value(frame, pattern, x, y,
							  c, &noise);
				if (wide)
					((uint16_t *)(void *)px)[c] =
						(uint16_t)(v * 257u);
				else
					px[c] = v;
			}
		}
}

fp_frame *fp_testing_frame_copy(const fp_frame *frame)
{
	fp_frame *copy = fp_testing_frame_new(frame->width, frame->height,
					      frame->format);
	if (copy == NULL)
		return NULL;
	size_t row = row_bytes(frame);
	for (uint32_t y = 0; y < frame->height; y++)
		memcpy(copy->pixels + (size_t)y * copy->stride,
		       frame->pixels + (size_t)y * frame->stride, row);
	copy->sequence = frame->sequence;
	copy->input_index = frame->input_index;
	fp__meta_copy(copy->meta, frame->meta);
	return copy;
}

static int sample(const uint8_t *px, unsigned c, bool wide)
{
	return wide ? ((const uint16_t *)(const void *)px)[c] : px[c];
}

int fp_testing_frame_compare(const fp_frame *a, const fp_frame *b, char *why,
			     size_t why_size)
{
	if (why != NULL && why_size > 0)
		why[0] = '\0';
	if (a->width != b->width || a->height != b->height ||
	    a->format != b->format) {
		if (why != NULL)
			snprintf(why, why_size, "%ux%u %s vs %ux%u %s",
				 a->width, a->height, fp_format_name(a->format),
				 b->width, b->height,
				 fp_format_name(b->format));
		return -1;
	}
	unsigned channels = fp_format_channels(a->format);
	bool wide = fp_format_sample_bytes(a->format) == 2;
	int worst = 0;
	uint32_t wx = 0, wy = 0;
	unsigned wc = 0;
	for (uint32_t y = 0; y < a->height; y++)
		for (uint32_t x = 0; x < a->width; x++) {
			const uint8_t *pa = fp_testing_pixel(a, x, y);
			const uint8_t *pb = fp_testing_pixel(b, x, y);
			for (unsigned c = 0; c < channels; c++) {
				int d = abs(sample(pa, c, wide) -
					    sample(pb, c, wide));
				if (d > worst) {
					worst = d;
					wx = x;
					wy = y;
					wc = c;
				}
			}
		}
	if (worst > 0 && why != NULL)
		snprintf(why, why_size,
			 "max diff %d at (%u, %u) channel %u: %d vs %d", worst,
			 wx, wy, wc,
			 sample(fp_testing_pixel(a, wx, wy), wc, wide),
			 sample(fp_testing_pixel(b, wx, wy), wc, wide));
	return worst;
}

bool fp_testing_frame_equal(const fp_frame *a, const fp_frame *b)
{
	return fp_testing_frame_compare(a, b, NULL, 0) == 0;
}

int fp_testing_frame_max_diff(const fp_frame *a, const fp_frame *b)
{
	return fp_testing_frame_compare(a, b, NULL, 0);
}
