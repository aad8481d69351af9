/* autorotate — turn each frame upright by its EXIF orientation, then say
 * it is upright: the frame's FP_META_ORIENTATION becomes 1, and so does
 * the orientation tag inside its FP_META_EXIF blob, so that a viewer
 * reading the written file does not turn it a second time.
 *
 * The orientation is FP_META_ORIENTATION, or when there is none the tag in
 * the EXIF blob (values other than 1..8 mean upright). What each value
 * does, as ImageMagick's -auto-orient:
 *   1 nothing            2 mirror left-right   3 turn 180
 *   4 mirror top-bottom  5 transpose           6 turn 90 clockwise
 *   7 transverse         8 turn 90 counter-clockwise (270 clockwise)
 * 5 to 8 swap width and height, and the resolution's x and y with them.
 * Every format, 8 and 16 bits. In place: a frame that needs turning is
 * copied to a buffer the instance keeps (one frame's size) and written
 * back turned, tightly packed; an upright frame costs nothing. Without a
 * metadata area (a 1.1 harness) frames pass unchanged. Other EXIF tags
 * (the pixel dimensions of the Exif IFD, a thumbnail) are left as they
 * are.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <framepipe/stage.h>

#include "exif.h"

#define TILE 32

struct autorotate {
	uint8_t *scratch;
	size_t cap;
};

static int autorotate_init(void **state, const void *config,
			   const fp_stage_env *env, char *err, size_t err_size)
{
	(void)config;
	(void)env;
	*state = calloc(1, sizeof(struct autorotate));
	if (*state == NULL) {
		(void)snprintf(err, err_size, "out of memory");
		return -ENOMEM;
	}
	return 0;
}

static void autorotate_fini(void *state)
{
	struct autorotate *s = state;
	if (s != NULL)
		free(s->scratch);
	free(s);
}

static int orientation_of(const fp_meta *m)
{
	uint32_t o = fp_meta_u32(m, FP_META_ORIENTATION, 0);
	if (o == 0) {
		const fp_meta_entry *e = fp_meta_find(m, FP_META_EXIF, NULL);
		if (e != NULL)
			o = (uint32_t)fp__exif_orientation(fp_meta_value(e),
							   e->value_size);
	}
	return o >= 1 && o <= 8 ? (int)o : 1;
}

/* out(x, y) = *(base + x dx + y dy) for every pixel of pb bytes, in
 * tiles so that the reads of a transposing walk stay in cache. */
static inline __attribute__((always_inline)) void
walk(const uint8_t *base, ptrdiff_t dx, ptrdiff_t dy, uint8_t *out,
     size_t out_stride, uint32_t w, uint32_t h, unsigned pb)
{
	for (uint32_t ty = 0; ty < h; ty += TILE)
		for (uint32_t tx = 0; tx < w; tx += TILE) {
			uint32_t x1 = tx + TILE < w ? tx + TILE : w;
			uint32_t y1 = ty + TILE < h ? ty + TILE : h;
			for (uint32_t y = ty; y < y1; y++) {
				uint8_t *d =
					out + y * out_stride + (size_t)tx * pb;
				const uint8_t *s = base + (ptrdiff_t)tx * dx +
						   (ptrdiff_t)y * dy;
				for (uint32_t x = tx; x < x1;
				     x++, d += pb, s += dx)
					memcpy(d, s, pb);
			}
		}
}

/* src: w x h, packed; out: the turned frame's pixels, packed. */
static void turn(const uint8_t *src, uint32_t w, uint32_t h, unsigned pb,
		 int orientation, uint8_t *out)
{
	ptrdiff_t px = pb, row = (ptrdiff_t)w * pb;
	ptrdiff_t last_x = ((ptrdiff_t)w - 1) * px;
	ptrdiff_t last_y = ((ptrdiff_t)h - 1) * row;
	/* where out(0, 0) comes from, and the steps for x and y */
	static const struct {
		bool swap;
		int x0, y0;	   /* 1: start at the last column / row */
		int dx_px, dx_row; /* x step, in pixels and rows */
		int dy_px, dy_row;
	} map[9] = {
		[1] = {false, 0, 0, 1, 0, 0, 1},
		[2] = {false, 1, 0, -1, 0, 0, 1},
		[3] = {false, 1, 1, -1, 0, 0, -1},
		[4] = {false, 0, 1, 1, 0, 0, -1},
		[5] = {true, 0, 0, 0, 1, 1, 0},
		[6] = {true, 0, 1, 0, -1, 1, 0},
		[7] = {true, 1, 1, 0, -1, -1, 0},
		[8] = {true, 1, 0, 0, 1, -1, 0},
	};
	const uint8_t *base = src + map[orientation].x0 * last_x +
			      map[orientation].y0 * last_y;
	ptrdiff_t dx =
		map[orientation].dx_px * px + map[orientation].dx_row * row;
	ptrdiff_t dy =
		map[orientation].dy_px * px + map[orientation].dy_row * row;
	uint32_t ow = map[orientation].swap ? h : w;
	uint32_t oh = map[orientation].swap ? w : h;
	size_t os = (size_t)ow * pb;
	switch (pb) {
	case 1: walk(base, dx, dy, out, os, ow, oh, 1); break;
	case 2: walk(base, dx, dy, out, os, ow, oh, 2); break;
	case 3: walk(base, dx, dy, out, os, ow, oh, 3); break;
	case 4: walk(base, dx, dy, out, os, ow, oh, 4); break;
	case 6: walk(base, dx, dy, out, os, ow, oh, 6); break;
	default: walk(base, dx, dy, out, os, ow, oh, 8); break;
	}
}

/* The frame is upright now: say so, in both places. */
static void reset_metadata(fp_meta *m, bool swapped)
{
	uint32_t one = 1;
	if (fp_meta_find(m, FP_META_ORIENTATION, NULL) != NULL)
		(void)fp_meta_set(m, FP_META_ORIENTATION, 0, NULL, &one,
				  sizeof one); /* smaller or equal: fits */
	const fp_meta_entry *e = fp_meta_find(m, FP_META_EXIF, NULL);
	if (e != NULL)
		(void)fp__exif_set_orientation((uint8_t *)fp_meta_value(e),
					       e->value_size, 1);
	e = fp_meta_find(m, FP_META_RESOLUTION, NULL);
	fp_meta_resolution r;
	if (swapped && e != NULL && e->value_size == sizeof r) {
		uint8_t *v = (uint8_t *)fp_meta_value(e);
		memcpy(&r, v, sizeof r);
		uint32_t x = r.x;
		r.x = r.y;
		r.y = x;
		memcpy(v, &r, sizeof r);
	}
}

static int autorotate_process(void *state, fp_frame *in, fp_frame *out)
{
	struct autorotate *s = state;
	(void)out; /* in place: out == in */
	unsigned pb = fp_format_pixel_bytes(in->format);
	if (pb == 0)
		return fp_frame_fail(in, FP_EFORMAT, "cannot handle format %d",
				     (int)in->format);
	if (in->meta == NULL)
		return 0;
	int orientation = orientation_of(in->meta);
	if (orientation == 1) {
		reset_metadata(in->meta, false); /* a bogus EXIF value too */
		return 0;
	}
	size_t row = (size_t)in->width * pb, bytes = row * in->height;
	if (bytes > s->cap) {
		uint8_t *p = realloc(s->scratch, bytes);
		if (p == NULL)
			return fp_frame_fail(in, -ENOMEM,
					     "out of memory for a %zu-byte "
					     "copy of the frame",
					     bytes);
		s->scratch = p;
		s->cap = bytes;
	}
	for (uint32_t y = 0; y < in->height; y++)
		memcpy(s->scratch + y * row,
		       in->pixels + (size_t)y * in->stride, row);
	turn(s->scratch, in->width, in->height, pb, orientation, in->pixels);
	bool swap = orientation >= 5;
	if (swap) {
		uint32_t w = in->width;
		in->width = in->height;
		in->height = w;
	}
	in->stride = (uint32_t)((size_t)in->width * pb);
	reset_metadata(in->meta, swap);
	return 0;
}

FP_STAGE_EXPORT = {
	FP_STAGE_HEADER,
	.name = "autorotate",
	.summary = "turn frames upright by their EXIF orientation (and reset "
		   "it to 1)",
	.description =
		"Orientation 2..8 (FP_META_ORIENTATION, else the EXIF tag) is "
		"applied to the pixels\n"
		"as ImageMagick's -auto-orient does; 5..8 swap width and "
		"height. The orientation\n"
		"entry and the EXIF tag are then set to 1, so that viewers do "
		"not turn the image\n"
		"again. Every format, 8 and 16 bits; upright frames pass "
		"untouched.",
	.kind = FP_STAGE_FILTER,
	.formats = FP_FORMATS_ALL,
	.init = autorotate_init,
	.process = autorotate_process,
	.fini = autorotate_fini,
};
