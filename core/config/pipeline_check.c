#include "pipeline_check.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "framepipe/framepipe.h"
#include "frame_check.h"

/* The line of key in section label, or the section's own line. */
static int line_of(const fp_config *config, const fp_stage_spec *spec,
		   const char *msg)
{
	const fp_config_section *s = fp__config_find(config, spec->label);
	if (s == NULL)
		return spec->line;
	size_t key_len = strcspn(msg, ": =");
	for (size_t i = 0; i < s->count; i++)
		if (strlen(s->entries[i].key) == key_len &&
		    strncmp(s->entries[i].key, msg, key_len) == 0)
			return s->entries[i].line;
	return spec->line;
}

static int run_checks(const fp_pipeline *p, const fp_config *config, char *err,
		      size_t err_size)
{
	for (size_t i = 0; i < p->stage_count; i++) {
		const fp_stage_spec *spec = &p->stages[i];
		const fp_stage_descriptor *d = spec->plugin.desc;
		if (d->check == NULL)
			continue;
		char why[512] = "";
		int rc = d->check(spec->config, why, sizeof why);
		if (rc == 0)
			continue;
		if (why[0] == '\0')
			snprintf(why, sizeof why, "invalid parameters");
		snprintf(err, err_size, "%s:%d: %s.%s", config->path,
			 line_of(config, spec, why), spec->label, why);
		return rc < 0 ? rc : FP_EPARAM;
	}
	return 0;
}

/* What a stage without a shape function makes. */
static void default_shape(const fp_stage_descriptor *d, const fp_shape *in,
			  fp_shape *out)
{
	if (in == NULL) {
		*out = (fp_shape){.formats = FP_FORMATS_8BIT};
		return;
	}
	(void)d;
	*out = *in;
}

int fp__pipeline_shapes(const fp_pipeline *p, const fp_shape *first,
			fp_shape *shapes, char *err, size_t err_size)
{
	shapes[0] = *first;
	for (size_t i = 1; i < p->stage_count; i++) {
		const fp_stage_spec *spec = &p->stages[i];
		const fp_stage_descriptor *d = spec->plugin.desc;
		fp_shape in = shapes[i - 1];
		in.formats &= fp__stage_formats(d);
		if (d->kind == FP_STAGE_SINK || d->shape == NULL) {
			default_shape(d, &in, &shapes[i]);
			continue;
		}
		char why[256] = "";
		shapes[i] = (fp_shape){0};
		int rc = d->shape(spec->config, &in, &shapes[i], why,
				  sizeof why);
		if (rc != 0) {
			snprintf(err, err_size, "%s: %s", spec->label,
				 why[0] ? why : "cannot take these frames");
			return rc;
		}
	}
	return 0;
}

uint64_t fp__shapes_bound(const fp_shape *shapes, size_t count, size_t *at)
{
	uint64_t largest = 0;
	for (size_t i = 0; i < count; i++) {
		if (shapes[i].width == 0 || shapes[i].height == 0)
			return 0;
		uint64_t bytes = fp_shape_max_bytes(&shapes[i]);
		if (bytes > largest) {
			largest = bytes;
			if (at != NULL)
				*at = i;
		}
	}
	return largest;
}

/* Formats: refuse a stage that can never get a frame it takes. Where only
 * some arriving formats fit, the run refuses the others frame by frame. */
static int check_formats(const fp_pipeline *p, const fp_config *config,
			 char *err, size_t err_size)
{
	const fp_stage_descriptor *src = p->stages[0].plugin.desc;
	fp_shape flow;
	char why[256] = "";
	if (src->shape != NULL) {
		flow = (fp_shape){0};
		if (src->shape(p->stages[0].config, NULL, &flow, why,
			       sizeof why) != 0) {
			snprintf(err, err_size, "%s:%d: %s: %s", config->path,
				 p->stages[0].line, p->stages[0].label, why);
			return FP_ECONFIG;
		}
	} else {
		default_shape(src, NULL, &flow);
	}
	for (size_t i = 1; i < p->stage_count; i++) {
		const fp_stage_spec *spec = &p->stages[i];
		const fp_stage_descriptor *d = spec->plugin.desc;
		uint32_t accepted = fp__stage_formats(d);
		if (flow.formats != 0 && (flow.formats & accepted) == 0) {
			char takes[96], gets[96], to[24];
			snprintf(err, err_size,
				 "%s:%d: %s: takes %s frames, but %s before it "
				 "makes %s (put `convert %s` before it)",
				 config->path, spec->line, spec->label,
				 fp__format_list(accepted, takes, sizeof takes),
				 p->stages[i - 1].label,
				 fp__format_list(flow.formats, gets,
						 sizeof gets),
				 fp__convert_advice(accepted, flow.formats, to,
						    sizeof to));
			return FP_EFORMAT;
		}
		fp_shape in = flow;
		in.formats &= accepted;
		if (d->kind == FP_STAGE_SINK || d->shape == NULL) {
			default_shape(d, &in, &flow);
			continue;
		}
		flow = (fp_shape){0};
		if (d->shape(spec->config, &in, &flow, why, sizeof why) != 0) {
			snprintf(err, err_size, "%s:%d: %s: %s", config->path,
				 spec->line, spec->label, why);
			return FP_EFORMAT;
		}
	}
	return 0;
}

int fp__pipeline_check(const fp_pipeline *p, const fp_config *config, char *err,
		       size_t err_size)
{
	if (p->stage_count == 0)
		return 0;
	int rc = run_checks(p, config, err, err_size);
	if (rc == 0)
		rc = check_formats(p, config, err, err_size);
	return rc;
}

uint64_t fp__pipeline_slot_bound(const fp_pipeline *p, const char *input_path)
{
	char err[256];
	uint64_t bytes = 0;
	return fp__pipeline_input_bound(p, input_path, &bytes, NULL, err,
					sizeof err) == 0
		       ? bytes
		       : 0;
}

/* The first stage that resamples, or stage_count. */
static size_t first_resampler(const fp_pipeline *p)
{
	size_t i = 1;
	while (i < p->stage_count &&
	       !(p->stages[i].plugin.desc->flags & FP_STAGE_RESAMPLES))
		i++;
	return i;
}

/* fp__pipeline_input_bound; with shrinks, the source decodes to a shrink
 * hint by a factor only it knows (1/2, 1/4, 1/8 for JPEG): its own frame
 * and those of the stages before the resampler are left to the run (the
 * decoder judges the frame it makes), and only the frames from the
 * resampler's on are bounded here. */
static int input_bound(const fp_pipeline *p, const char *input_path,
		       bool shrinks, uint64_t *bytes_out, size_t *stage_out,
		       char *err, size_t err_size)
{
	const fp_stage_spec *src = &p->stages[0];
	const fp_stage_descriptor *d = src->plugin.desc;
	uint64_t bound = 0, bytes = 0;
	size_t stage = 0;
	*bytes_out = 0;
	if (stage_out != NULL)
		*stage_out = 0;
	err[0] = '\0';
	if (d->frame_bound != NULL && !shrinks) {
		int rc = d->frame_bound(src->config, input_path, &bytes, err,
					err_size);
		if (rc != 0) {
			if (err[0] == '\0')
				snprintf(err, err_size, "%s", fp_strerror(rc));
			return rc;
		}
		bound = bytes;
	}
	fp_shape first = {0};
	int rc = -1;
	if (d->probe != NULL && input_path != NULL) {
		rc = d->probe(src->config, input_path, &first, err, err_size);
		if (rc != 0) {
			if (err[0] == '\0')
				snprintf(err, err_size, "%s", fp_strerror(rc));
			return rc;
		}
	} else if (d->shape != NULL) {
		rc = d->shape(src->config, NULL, &first, err, err_size);
	}
	*bytes_out = bound;
	if (rc != 0 || first.width == 0 || first.height == 0)
		return 0;
	if (first.formats == 0)
		first.formats = FP_FORMATS_8BIT;
	fp_shape *shapes = calloc(p->stage_count, sizeof *shapes);
	if (shapes == NULL)
		return 0;
	uint64_t planned = 0;
	char why[256];
	size_t from = shrinks ? first_resampler(p) : 0;
	if (fp__pipeline_shapes(p, &first, shapes, why, sizeof why) == 0 &&
	    from < p->stage_count) {
		planned = fp__shapes_bound(shapes + from, p->stage_count - from,
					   &stage);
		stage += from;
	}
	free(shapes);
	*bytes_out = planned > bound ? planned : bound;
	if (stage_out != NULL && planned > bound)
		*stage_out = stage;
	return 0;
}

bool fp__pipeline_probes_inputs(const fp_pipeline *p)
{
	const fp_stage_descriptor *d = p->stages[0].plugin.desc;
	return (d->flags & FP_STAGE_READS_INPUTS) &&
	       (d->probe != NULL || d->frame_bound != NULL);
}

/* bytes as a slot_size that holds them: whole MiB (KiB below 1 MiB),
 * rounded up. */
static const char *size_setting(uint64_t bytes, char *buf, size_t size)
{
	uint64_t mib = (uint64_t)1 << 20;
	if (bytes >= mib)
		snprintf(buf, size, "%" PRIu64 "M", (bytes + mib - 1) / mib);
	else
		snprintf(buf, size, "%" PRIu64 "K", (bytes + 1023) / 1024);
	return buf;
}

int fp__pipeline_input_bound(const fp_pipeline *p, const char *input_path,
			     uint64_t *bytes_out, size_t *stage_out, char *err,
			     size_t err_size)
{
	return input_bound(p, input_path, false, bytes_out, stage_out, err,
			   err_size);
}

int fp__pipeline_input_fits(const fp_pipeline *p, const char *input_path,
			    uint64_t *bytes, char *err, size_t err_size)
{
	size_t stage;
	uint32_t hint_w = 0, hint_h = 0;
	if (p->slot_size != 0)
		fp__pipeline_hint(p, input_path, &hint_w, &hint_h);
	int rc = input_bound(p, input_path, hint_w != 0, bytes, &stage, err,
			     err_size);
	if (rc != 0 || p->slot_size == 0 || *bytes <= p->slot_size)
		return rc;
	char setting[32];
	if (*bytes > FP_MAX_SLOT_SIZE)
		snprintf(err, err_size,
			 "needs %" PRIu64 "-byte slots after %s, more than "
			 "any slot_size (64G at most)",
			 *bytes, p->stages[stage].label);
	else
		snprintf(err, err_size,
			 "needs %" PRIu64 "-byte slots after %s (slot_size "
			 "is %" PRIu64 "): set slot_size = %s or auto",
			 *bytes, p->stages[stage].label, p->slot_size,
			 size_setting(*bytes, setting, sizeof setting));
	return FP_ENOFIT;
}

/* Whether stage makes the same size from a frame half as large: a resize
 * to a width or a box, not by a scale factor, whose result a shrunk frame
 * would change. */
static bool size_fixed(const fp_stage_spec *spec, const fp_shape *in,
		       const fp_shape *out)
{
	const fp_stage_descriptor *d = spec->plugin.desc;
	fp_shape half = *in, again = {0};
	half.width = in->width / 2 > 0 ? in->width / 2 : 1;
	half.height = in->height / 2 > 0 ? in->height / 2 : 1;
	char err[128];
	return d->shape != NULL &&
	       d->shape(spec->config, &half, &again, err, sizeof err) == 0 &&
	       again.width == out->width && again.height == out->height;
}

void fp__pipeline_hint(const fp_pipeline *p, const char *input_path,
		       uint32_t *width, uint32_t *height)
{
	*width = *height = 0;
	const fp_stage_spec *src = &p->stages[0];
	const fp_stage_descriptor *d = src->plugin.desc;
	char err[256];
	fp_shape first = {0};
	bool resamples = false;
	for (size_t i = 1; i < p->stage_count && !resamples; i++)
		resamples =
			p->stages[i].plugin.desc->flags & FP_STAGE_RESAMPLES;
	/* No stage could take a smaller frame: no hint, and no probe (it
	 * reads the input's header once more for every frame). */
	if (!resamples || d->probe == NULL || input_path == NULL ||
	    d->probe(src->config, input_path, &first, err, sizeof err) != 0 ||
	    first.width == 0 || first.height == 0)
		return;
	fp_shape *shapes = calloc(p->stage_count, sizeof *shapes);
	if (shapes == NULL)
		return;
	if (fp__pipeline_shapes(p, &first, shapes, err, sizeof err) == 0) {
		for (size_t i = 1; i < p->stage_count; i++) {
			const fp_shape *in = &shapes[i - 1], *out = &shapes[i];
			if (p->stages[i].plugin.desc->flags &
			    FP_STAGE_RESAMPLES) {
				if (out->width < in->width &&
				    out->height < in->height &&
				    size_fixed(&p->stages[i], in, out)) {
					uint32_t side = out->width > out->height
								? out->width
								: out->height;
					*width = *height = side;
				}
				break;
			}
			if (out->width != in->width ||
			    out->height != in->height)
				break;
		}
	}
	free(shapes);
}
