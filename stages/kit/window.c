/* kit/window.c — a ring of edge-padded input rows for the 2-D
 * neighbourhood filters (convolve, median), so they can write each output
 * row in place once the rows it needs are copied out. */
#include "kit.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int fp__kit_window_begin(fp__kit_window *w, const fp_frame *f, unsigned radius,
			 unsigned pixel_bytes)
{
	w->radius = radius;
	w->channels = pixel_bytes;
	w->size = 2 * radius + 1;
	w->row_bytes = ((size_t)f->width + 2 * radius) * pixel_bytes;
	w->loaded = 0;
	w->frame = f;
	return fp__kit_grow(&w->rows, &w->cap, w->row_bytes * w->size, 1);
}

static void load(fp__kit_window *w, uint32_t y)
{
	const fp_frame *f = w->frame;
	unsigned ch = w->channels, r = w->radius;
	uint8_t *dst = w->rows + (size_t)(y % w->size) * w->row_bytes;
	const uint8_t *src = f->pixels + (size_t)y * f->stride;
	size_t body = (size_t)f->width * ch;
	memcpy(dst + (size_t)r * ch, src, body);
	for (unsigned i = 0; i < r; i++) {
		memcpy(dst + (size_t)i * ch, src, ch);
		memcpy(dst + (size_t)r * ch + body + (size_t)i * ch,
		       src + body - ch, ch);
	}
}

void fp__kit_window_rows(fp__kit_window *w, uint32_t y, const uint8_t **rows)
{
	int64_t last = (int64_t)w->frame->height - 1;
	int64_t need = (int64_t)y + w->radius;
	if (need > last)
		need = last;
	for (; w->loaded <= need; w->loaded++)
		load(w, (uint32_t)w->loaded);
	for (unsigned i = 0; i < w->size; i++) {
		int64_t row = (int64_t)y - w->radius + i;
		row = row < 0 ? 0 : row > last ? last : row;
		rows[i] = w->rows + (size_t)(row % w->size) * w->row_bytes;
	}
}

void fp__kit_window_release(fp__kit_window *w)
{
	free(w->rows);
	w->rows = NULL;
	w->cap = 0;
}
