/* jpeg_read.c — decoding JPEG files into frames with libjpeg-turbo.
 *
 * The header is read first and the limits (width, height, pixels) and the
 * slot size are checked from it, before libjpeg allocates anything for the
 * image; a progress monitor stops a progressive file at max_scans scans
 * (djpeg -maxscans) and libjpeg's memory is held to max_memory (a
 * progressive file keeps all its coefficients, whatever the slot). Gray files
 * give G8; YCbCr and RGB give RGB8; CMYK and YCCK are decoded to CMYK by
 * libjpeg and turned into RGB8 here as djpeg -pnm does, R = C K / 255 on
 * inverted samples: files with an Adobe APP14 marker (Photoshop, ImageMagick,
 * libjpeg itself) store CMYK inverted, files without one are taken as plain
 * CMYK and inverted first. No colour management: an ICC profile is carried, not
 * applied. Pixels are made with libjpeg's defaults, the integer DCT
 * (JDCT_ISLOW) and fancy upsampling: byte for byte what `djpeg -pnm` makes.
 *
 * Shrink-on-load: with a hint (out->hint_width/hint_height, or the
 * min_width/min_height parameters: the larger counts) the file is decoded
 * at the smallest DCT scale of 1/8, 1/4 and 1/2 whose size stays at or
 * above it in each dimension given (`djpeg -scale 1/N`). At 1/8 a
 * progressive file is read again as its DC scans alone (jpeg_dc.c, with
 * the AC scans of components a larger IDCT scales): the same pixels for a
 * fraction of the entropy decoding; damage inside the AC scans left out is
 * then not seen.
 *
 * Metadata (when out->meta is there): APP1 EXIF (FP_META_EXIF, the TIFF
 * structure without "Exif\0\0"; its orientation, when 1..8, also as
 * FP_META_ORIENTATION: another value is not an orientation and is left out,
 * the image then counts as upright), APP1 XMP (FP_META_XMP, the packet
 * without the namespace; extended XMP segments are not reassembled and are
 * left out), the APP2 ICC profile reassembled from its segments
 * (FP_META_ICC, key "ICC profile"), each COM (FP_META_COMMENT) and the
 * JFIF density (FP_META_RESOLUTION; the default 1:1 aspect, which says
 * nothing, is left out).
 */
#include "jpeg.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "exif.h"
#include "files.h"
#include "jpeg_dc.h"

#define EXIF_ID	    "Exif\0\0"
#define EXIF_ID_LEN 6
#define XMP_ID	    "http://ns.adobe.com/xap/1.0/"
#define XMP_ID_LEN  29 /* with its NUL */

/* Everything the error path needs, outside the function calling setjmp. */
struct reader {
	const struct fp_jpeg_decode_config *cfg;
	struct jpeg_decompress_struct d;
	struct fp_jpeg_error e;
	struct jpeg_progress_mgr progress;
	FILE *file;
	uint8_t *row; /* one CMYK row */
	JOCTET *icc;
	uint8_t *dc; /* the file's DC scans alone (jpeg_dc.h), or NULL */
	size_t dc_size;
	bool created;
};

static int check_limits(const struct fp_jpeg_decode_config *cfg, uint32_t w,
			uint32_t h, char *err, size_t err_size)
{
	const char *name = NULL;
	int64_t limit = 0;
	if ((int64_t)w > cfg->max_width)
		name = "max_width", limit = cfg->max_width;
	else if ((int64_t)h > cfg->max_height)
		name = "max_height", limit = cfg->max_height;
	else if ((int64_t)w * h > cfg->max_pixels)
		name = "max_pixels", limit = cfg->max_pixels;
	if (name == NULL)
		return 0;
	return fp__codec_error(err, err_size, FP_ELIMIT,
			       "%" PRIu32 "x%" PRIu32
			       " exceeds jpeg_decode.%s=%" PRId64
			       " (raise it in the stage's parameters)",
			       w, h, name, limit);
}

static void release(struct reader *r)
{
	if (r->created)
		jpeg_destroy_decompress(&r->d);
	r->created = false;
	free(r->row);
	r->row = NULL;
	free(r->icc);
	r->icc = NULL;
	free(r->dc);
	r->dc = NULL;
	if (r->file != NULL)
		(void)fclose(r->file); /* read only: nothing to lose */
	r->file = NULL;
}

/* Open path and read its header (from r->dc instead when it is set); the
 * caller calls release(). With meta, the markers framepipe keeps are saved
 * for read_meta(). */
static int open_header(struct reader *r, const char *path, bool meta, char *err,
		       size_t err_size)
{
	int ret = r->dc != NULL
			  ? 0
			  : fp__codec_open_input(path, &r->file, err, err_size);
	if (ret < 0)
		return ret;
	r->d.err = fp__jpeg_error_init(&r->e);
	r->e.max_scans = r->cfg->max_scans;
	r->e.where = "the file ends in the headers, before the image data";
	if (setjmp(r->e.jump))
		return fp__codec_error(err, err_size, r->e.code, "%s",
				       r->e.msg);
	jpeg_create_decompress(&r->d);
	r->created = true;
	r->e.max_memory = r->cfg->max_memory;
	r->d.mem->max_memory_to_use = (long)r->cfg->max_memory;
	fp__jpeg_progress_init(&r->d, &r->progress);
	if (r->dc != NULL)
		jpeg_mem_src(&r->d, r->dc, (unsigned long)r->dc_size);
	else
		jpeg_stdio_src(&r->d, r->file);
	if (meta) {
		jpeg_save_markers(&r->d, JPEG_APP0 + 1, 0xffff);
		jpeg_save_markers(&r->d, JPEG_APP0 + 2, 0xffff);
		jpeg_save_markers(&r->d, JPEG_COM, 0xffff);
	}
	(void)jpeg_read_header(&r->d, TRUE);
	return check_limits(r->cfg, r->d.image_width, r->d.image_height, err,
			    err_size);
}

static fp_format format_of(const struct jpeg_decompress_struct *d)
{
	return d->jpeg_color_space == JCS_GRAYSCALE ? FP_FORMAT_G8
						    : FP_FORMAT_RGB8;
}

int fp__jpeg_probe(const void *config, const char *path, fp_shape *out,
		   char *err, size_t err_size)
{
	struct reader r = {.cfg = config};
	int ret = open_header(&r, path, false, err, err_size);
	if (ret == 0) {
		*out = (fp_shape){.width = r.d.image_width,
				  .height = r.d.image_height,
				  .formats = FP_FORMAT_BIT(format_of(&r.d))};
	}
	release(&r);
	return ret;
}

/* ---- metadata -------------------------------------------------------------
 */

static int add_meta(fp_frame *out, fp_meta_kind kind, const char *key,
		    const void *value, size_t size, const char *what)
{
	if (fp_meta_add(out->meta, kind, 0, key, value, size) == 0)
		return 0;
	return fp_frame_fail(out, FP_ENOFIT,
			     "the %s (%zu bytes) does not fit the frame's "
			     "metadata area (%" PRIu32 " of %" PRIu32
			     " bytes used; raise [pipeline] metadata_size)",
			     what, size, out->meta->used, out->meta->capacity);
}

static int add_u32(fp_frame *out, fp_meta_kind kind, uint32_t v,
		   const char *what)
{
	return add_meta(out, kind, NULL, &v, sizeof v, what);
}

static int add_density(fp_frame *out, const struct jpeg_decompress_struct *d)
{
	fp_meta_resolution res = {.x = d->X_density, .y = d->Y_density};
	if (!d->saw_JFIF_marker || d->X_density == 0 || d->Y_density == 0)
		return 0;
	switch (d->density_unit) {
	case 1: res.unit = FP_RES_PER_INCH; break;
	case 2:
		res.unit = FP_RES_PER_METRE;
		res.x *= 100;
		res.y *= 100;
		break;
	default:
		if (res.x == res.y)
			return 0; /* square pixels: says nothing */
		res.unit = FP_RES_UNKNOWN;
		break;
	}
	return add_meta(out, FP_META_RESOLUTION, NULL, &res, sizeof res,
			"JFIF density");
}

static int add_exif(fp_frame *out, const uint8_t *tiff, size_t size)
{
	int ret = add_meta(out, FP_META_EXIF, NULL, tiff, size, "EXIF");
	int orientation = fp__exif_orientation(tiff, size);
	if (ret == 0 && orientation >= 1 && orientation <= 8)
		ret = add_u32(out, FP_META_ORIENTATION, (uint32_t)orientation,
			      "orientation");
	return ret;
}

static int read_meta(struct reader *r, fp_frame *out)
{
	bool exif = false, xmp = false;
	int ret = 0;
	for (jpeg_saved_marker_ptr m = r->d.marker_list; m != NULL && ret == 0;
	     m = m->next) {
		const uint8_t *p = m->data;
		size_t n = m->data_length;
		if (m->marker == JPEG_COM)
			ret = add_meta(out, FP_META_COMMENT, NULL, p, n,
				       "comment");
		else if (m->marker == JPEG_APP0 + 1 && !exif &&
			 n >= EXIF_ID_LEN &&
			 memcmp(p, EXIF_ID, EXIF_ID_LEN) == 0) {
			exif = true;
			ret = add_exif(out, p + EXIF_ID_LEN, n - EXIF_ID_LEN);
		} else if (m->marker == JPEG_APP0 + 1 && !xmp &&
			   n >= XMP_ID_LEN &&
			   memcmp(p, XMP_ID, XMP_ID_LEN) == 0) {
			xmp = true;
			ret = add_meta(out, FP_META_XMP, NULL, p + XMP_ID_LEN,
				       n - XMP_ID_LEN, "XMP packet");
		}
	}
	unsigned icc_size = 0;
	if (ret == 0 && jpeg_read_icc_profile(&r->d, &r->icc, &icc_size))
		ret = add_meta(out, FP_META_ICC, "ICC profile", r->icc,
			       icc_size, "ICC profile");
	if (ret == 0)
		ret = add_density(out, &r->d);
	return ret;
}

/* ---- pixels ---------------------------------------------------------------
 */

static unsigned ceil_div(unsigned a, unsigned b)
{
	return (a + b - 1) / b;
}

/* The smallest 1/denom (8, 4, 2) that keeps the output at or above the
 * floor in each dimension that has one (the larger of the core's hint and
 * min_width/min_height); 1 when neither has any. */
static unsigned shrink_denom(const struct jpeg_decompress_struct *d,
			     const struct fp_jpeg_decode_config *cfg,
			     const fp_frame *out)
{
	uint32_t fw = cfg->shrink ? out->hint_width : 0;
	uint32_t fh = cfg->shrink ? out->hint_height : 0;
	if (cfg->min_width > (int64_t)fw)
		fw = (uint32_t)cfg->min_width;
	if (cfg->min_height > (int64_t)fh)
		fh = (uint32_t)cfg->min_height;
	if (fw == 0 && fh == 0)
		return 1;
	for (unsigned denom = 8; denom >= 2; denom /= 2)
		if ((fw == 0 || ceil_div(d->image_width, denom) >= fw) &&
		    (fh == 0 || ceil_div(d->image_height, denom) >= fh))
			return denom;
	return 1;
}

static int check_fit(fp_frame *out, uint32_t w, uint32_t h, fp_format format)
{
	uint64_t need = (uint64_t)w * h * fp_format_channels(format);
	if (need <= out->capacity)
		return 0;
	return fp_frame_fail(out, FP_ENOFIT,
			     "decoded %" PRIu32 "x%" PRIu32 " %s needs %" PRIu64
			     " bytes, pool slot holds %zu (raise [pipeline] "
			     "slot_size)",
			     w, h, fp_format_name(format), need, out->capacity);
}

/* CMYK row to RGB, as libjpeg-turbo's cmyk_to_rgb (djpeg -pnm). */
static void cmyk_to_rgb(const uint8_t *in, uint8_t *out, uint32_t w,
			bool inverted)
{
	for (uint32_t x = 0; x < w; x++, in += 4, out += 3) {
		unsigned k = inverted ? in[3] : 255u - in[3];
		for (unsigned c = 0; c < 3; c++) {
			unsigned v = inverted ? in[c] : 255u - in[c];
			out[c] = (uint8_t)((double)v * (double)k / 255.0 + 0.5);
		}
	}
}

static void read_rows(struct reader *r, fp_frame *out)
{
	struct jpeg_decompress_struct *d = &r->d;
	size_t stride = (size_t)out->stride;
	bool cmyk = d->out_color_space == JCS_CMYK;
	while (d->output_scanline < d->output_height) {
		uint8_t *dst =
			out->pixels + (size_t)d->output_scanline * stride;
		JSAMPROW row = cmyk ? r->row : dst;
		if (jpeg_read_scanlines(d, &row, 1) != 1)
			break; /* a suspending source only: not ours */
		if (cmyk)
			cmyk_to_rgb(r->row, dst, out->width,
				    d->saw_Adobe_marker);
	}
}

/* After the header: metadata, scale, colour space, then every row. */
static int decode_pixels(struct reader *r, fp_frame *out)
{
	struct jpeg_decompress_struct *d = &r->d;
	if (setjmp(r->e.jump))
		return fp_frame_fail(out, r->e.code, "%s", r->e.msg);
	if (out->meta != NULL) {
		int ret = read_meta(r, out);
		if (ret < 0)
			return ret;
	}
	fp_format format = format_of(d);
	if (d->jpeg_color_space == JCS_CMYK || d->jpeg_color_space == JCS_YCCK)
		d->out_color_space = JCS_CMYK;
	else if (format == FP_FORMAT_RGB8)
		d->out_color_space = JCS_RGB;
	d->scale_num = 1;
	d->scale_denom = shrink_denom(d, r->cfg, out);
	jpeg_calc_output_dimensions(d);
	int ret = check_fit(out, d->output_width, d->output_height, format);
	if (ret < 0)
		return ret;
	if (d->out_color_space == JCS_CMYK) {
		r->row = malloc((size_t)d->output_width * 4);
		if (r->row == NULL)
			return fp_frame_fail(out, -ENOMEM, "out of memory");
	}
	out->width = d->output_width;
	out->height = d->output_height;
	out->format = format;
	out->stride = out->width * fp_format_channels(format);
	r->e.where = "the file ends in the image data";
	(void)jpeg_start_decompress(d);
	read_rows(r, out);
	if (d->output_scanline < d->output_height)
		return fp_frame_fail(out, FP_ECORRUPT,
				     "libjpeg stopped at row %u of %u",
				     d->output_scanline, d->output_height);
	r->e.where = "the file ends after the image data, before its end "
		     "marker";
	(void)jpeg_finish_decompress(d);
	return 0;
}

/* A progressive file decoded at 1/8: read again as its DC scans alone
 * (jpeg_dc.c), which give the same pixels for a fraction of the work; r
 * is left as it was when the file is not one that holds for. */
static int reopen_dc_only(struct reader *r, fp_frame *out)
{
	struct jpeg_decompress_struct *d = &r->d;
	if (!d->progressive_mode || d->arith_code ||
	    shrink_denom(d, r->cfg, out) != 8)
		return 0;
	if (setjmp(r->e.jump))
		return fp_frame_fail(out, r->e.code, "%s", r->e.msg);
	/* the components scaled by a larger IDCT need their AC scans */
	d->scale_num = 1;
	d->scale_denom = 8;
	jpeg_calc_output_dimensions(d);
	bool keep_ac[256] = {false};
	for (int c = 0; c < d->num_components; c++)
		if (d->comp_info[c].DCT_scaled_size != 1)
			keep_ac[d->comp_info[c].component_id & 255] = true;
	size_t size;
	uint8_t *dc = fp__jpeg_dc_scans(r->file, r->cfg->max_memory,
					r->cfg->max_scans, keep_ac, &size);
	if (dc == NULL)
		return 0;
	release(r);
	*r = (struct reader){.cfg = r->cfg, .dc = dc, .dc_size = size};
	int ret = open_header(r, out->input_path, out->meta != NULL, out->error,
			      out->error_size);
	r->d.do_block_smoothing = FALSE;
	return ret;
}

int fp__jpeg_decode(const void *config, fp_frame *out)
{
	struct reader r = {.cfg = config};
	if (out->meta != NULL)
		fp_meta_clear(out->meta);
	int ret = open_header(&r, out->input_path, out->meta != NULL,
			      out->error, out->error_size);
	if (ret == 0)
		ret = reopen_dc_only(&r, out);
	if (ret == 0)
		ret = decode_pixels(&r, out);
	release(&r);
	return ret;
}
