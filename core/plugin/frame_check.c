#include "frame_check.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

int fp__frame_check(const fp_frame *f, char *err, size_t err_size)
{
	unsigned pixel_bytes = fp_format_pixel_bytes(f->format);
	if (pixel_bytes == 0) {
		snprintf(err, err_size, "produced unknown pixel format %d",
			 (int)f->format);
		return FP_EGEOMETRY;
	}
	if (f->width > FP_MAX_DIMENSION || f->height > FP_MAX_DIMENSION) {
		snprintf(err, err_size,
			 "produced %ux%u %s, larger than framepipe's %u "
			 "pixels a side (FP_MAX_DIMENSION)",
			 f->width, f->height, fp_format_name(f->format),
			 (unsigned)FP_MAX_DIMENSION);
		return FP_EGEOMETRY;
	}
	if (f->width == 0 || f->height == 0 ||
	    (uint64_t)f->width * pixel_bytes > f->stride ||
	    (uint64_t)f->stride * f->height > f->capacity) {
		snprintf(err, err_size,
			 "produced %ux%u %s with stride %u, which does not "
			 "fit its %zu-byte slot",
			 f->width, f->height, fp_format_name(f->format),
			 f->stride, f->capacity);
		return FP_EGEOMETRY;
	}
	return 0;
}

uint32_t fp__stage_formats(const fp_stage_descriptor *desc)
{
	return desc->formats != 0 ? desc->formats : FP_FORMATS_8BIT;
}

const char *fp__format_list(uint32_t formats, char *buf, size_t size)
{
	size_t at = 0;
	unsigned n = 0, total = 0;
	for (int f = FP_FORMAT_FIRST; f <= FP_FORMAT_LAST; f++)
		total += (formats & FP_FORMAT_BIT(f)) != 0;
	if (size > 0)
		buf[0] = '\0';
	for (int f = FP_FORMAT_FIRST; f <= FP_FORMAT_LAST && at < size; f++) {
		if (!(formats & FP_FORMAT_BIT(f)))
			continue;
		n++;
		const char *sep = n == 1 ? "" : n == total ? " or " : ", ";
		int w = snprintf(buf + at, size - at, "%s%s", sep,
				 fp_format_name((fp_format)f));
		if (w < 0)
			break;
		at += (size_t)w;
	}
	if (total == 0)
		snprintf(buf, size, "no");
	return buf;
}

/* The layouts to try for frames of ch channels, nearest first: the same,
 * then with colour added or alpha added or dropped, gray last. */
static const unsigned nearest_layouts[5][4] = {
	{0}, {1, 3, 4, 2}, {2, 4, 3, 1}, {3, 4, 1, 2}, {4, 3, 2, 1},
};

static void lower_name(fp_format f, char *buf, size_t size)
{
	const char *name = fp_format_name(f);
	size_t i = 0;
	for (; name[i] != '\0' && i + 1 < size; i++)
		buf[i] = (char)(name[i] >= 'A' && name[i] <= 'Z'
					? name[i] - 'A' + 'a'
					: name[i]);
	if (size > 0)
		buf[i] = '\0';
}

const char *fp__convert_advice(uint32_t accepted, uint32_t arriving, char *buf,
			       size_t size)
{
	static const char *const layout_names[5] = {"", "g", "ga", "rgb",
						    "rgba"};
	unsigned ch = 0;
	bool depth_arrives[3] = {false, false, false};
	for (int f = FP_FORMAT_FIRST; f <= FP_FORMAT_LAST; f++) {
		if (!(arriving & FP_FORMAT_BIT(f)))
			continue;
		if (ch == 0)
			ch = fp_format_channels((fp_format)f);
		depth_arrives[fp_format_sample_bytes((fp_format)f)] = true;
	}
	char name[16];
	/* A layout the stage takes at every depth that arrives: keep them. */
	for (unsigned k = 0; ch != 0 && k < 4; k++) {
		unsigned l = nearest_layouts[ch][k];
		bool all = true;
		fp_format last = 0;
		for (unsigned d = 1; d <= 2; d++)
			if (depth_arrives[d]) {
				last = fp_format_of(l, d);
				all = all && (accepted & FP_FORMAT_BIT(last));
			}
		if (!all)
			continue;
		if (depth_arrives[1] && depth_arrives[2]) {
			snprintf(buf, size, "layout=%s", layout_names[l]);
		} else {
			lower_name(last, name, sizeof name);
			snprintf(buf, size, "format=%s", name);
		}
		return buf;
	}
	/* Else the nearest layout at the depth nearest the deepest that
	 * arrives, else the richest format the stage takes. */
	unsigned deep = depth_arrives[2] ? 2 : 1;
	fp_format pick = 0;
	for (unsigned k = 0; ch != 0 && k < 4 && pick == 0; k++)
		for (unsigned d = deep;; d = 3 - d) {
			fp_format g = fp_format_of(nearest_layouts[ch][k], d);
			if (accepted & FP_FORMAT_BIT(g)) {
				pick = g;
				break;
			}
			if (d != deep)
				break;
		}
	for (int f = FP_FORMAT_LAST; f >= FP_FORMAT_FIRST && pick == 0; f--)
		if (accepted & FP_FORMAT_BIT(f))
			pick = (fp_format)f;
	lower_name(pick, name, sizeof name);
	snprintf(buf, size, "format=%s", name);
	return buf;
}

int fp__frame_accepted(const fp_stage_descriptor *desc, fp_format format,
		       char *err, size_t err_size)
{
	uint32_t accepted = fp__stage_formats(desc);
	bool known = format >= FP_FORMAT_FIRST && format <= FP_FORMAT_LAST;
	if (known && (accepted & FP_FORMAT_BIT(format)))
		return 0;
	char list[96], to[24];
	snprintf(err, err_size,
		 "takes %s frames, not %s (put `convert %s` before it)",
		 fp__format_list(accepted, list, sizeof list),
		 fp_format_name(format),
		 fp__convert_advice(accepted, known ? FP_FORMAT_BIT(format) : 0,
				    to, sizeof to));
	return FP_EFORMAT;
}

int fp__meta_copy(fp_meta *dst, const fp_meta *src)
{
	if (dst == NULL)
		return 0;
	dst->used = 0;
	if (src == NULL)
		return 0;
	int rc = 0;
	for (const fp_meta_entry *e = fp_meta_next(src, NULL); e != NULL;
	     e = fp_meta_next(src, e)) {
		size_t span = fp__meta_entry_span(e);
		size_t raw = sizeof *e + (size_t)e->key_size + e->value_size;
		if (dst->used > dst->capacity ||
		    span > dst->capacity - dst->used) {
			rc = FP_ENOFIT;
			continue;
		}
		/* The padding is written, not copied: it may lie past the
		 * source's used bytes. */
		memcpy(dst->data + dst->used, e, raw);
		memset(dst->data + dst->used + raw, 0, span - raw);
		dst->used += (uint32_t)span;
	}
	return rc;
}
