#include "framepipe/testing.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loader.h"
#include "params.h"

#define DEFAULT_CAPACITY ((size_t)64 << 20)

struct fp_harness {
	fp_plugin plugin;
	void *config;
	void *state;
	int started;
	size_t capacity;
	uint8_t *buffers[2];
	const char *const *inputs;
	size_t input_count;
	char error[512];
};

fp_harness *fp_harness_new(const char *stage)
{
	fp_harness *h = calloc(1, sizeof *h);
	if (h == NULL)
		return NULL;
	h->capacity = DEFAULT_CAPACITY;
	int rc = strchr(stage, '/') != NULL
			 ? fp__plugin_open(&h->plugin, stage, h->error,
					   sizeof h->error)
			 : fp__plugin_find(&h->plugin, stage, h->error,
					   sizeof h->error);
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

int fp_harness_set(fp_harness *h, const char *name, const char *value)
{
	return fp__params_set(h->plugin.desc, h->config, name, value, h->error,
			      sizeof h->error);
}

void fp_harness_set_capacity(fp_harness *h, size_t bytes)
{
	free(h->buffers[0]);
	free(h->buffers[1]);
	h->buffers[0] = h->buffers[1] = NULL;
	h->capacity = bytes;
}

int fp_harness_start(fp_harness *h, const char *const *inputs,
		     size_t input_count, const char *output_dir)
{
	fp_stage_env env = {
		.struct_size = sizeof env,
		.label = h->plugin.desc->name,
		.input_count = input_count,
		.inputs = inputs,
		.output_dir = output_dir,
	};
	h->inputs = inputs;
	h->input_count = input_count;
	int rc = 0;
	if (h->plugin.desc->init != NULL)
		rc = h->plugin.desc->init(&h->state, h->config, &env, h->error,
					  sizeof h->error);
	h->started = rc == 0;
	return rc;
}

static uint8_t *buffer(fp_harness *h, int which)
{
	if (h->buffers[which] == NULL)
		h->buffers[which] = malloc(h->capacity ? h->capacity : 1);
	return h->buffers[which];
}

static void blank_frame(fp_harness *h, fp_frame *f, int which)
{
	memset(f, 0, sizeof *f);
	f->pixels = buffer(h, which);
	f->capacity = h->capacity;
	f->error = h->error;
	f->error_size = sizeof h->error;
	h->error[0] = '\0';
}

int fp_harness_source(fp_harness *h, uint64_t sequence, fp_frame *out)
{
	blank_frame(h, out, 0);
	out->sequence = sequence;
	out->input_index = (uint32_t)sequence;
	out->input_path =
		sequence < h->input_count ? h->inputs[sequence] : NULL;
	return h->plugin.desc->process(h->state, NULL, out);
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
	return 0;
}

int fp_harness_filter(fp_harness *h, const fp_frame *in, fp_frame *out)
{
	fp_frame f;
	int rc = copy_in(h, in, &f, 0);
	if (rc != 0)
		return rc;
	if (!(h->plugin.desc->flags & FP_STAGE_OUT_OF_PLACE)) {
		rc = h->plugin.desc->process(h->state, &f, &f);
		*out = f;
		return rc;
	}
	blank_frame(h, out, 1);
	out->sequence = f.sequence;
	out->input_index = f.input_index;
	out->input_path = f.input_path;
	return h->plugin.desc->process(h->state, &f, out);
}

int fp_harness_sink(fp_harness *h, const fp_frame *in, const char *output_path)
{
	fp_frame f = *in;
	f.output_path = output_path;
	f.error = h->error;
	f.error_size = sizeof h->error;
	h->error[0] = '\0';
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
	free(h);
}
