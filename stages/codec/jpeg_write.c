/* jpeg_write.c — encoding frames as JPEG files with libjpeg-turbo.
 *
 * G8 frames become gray JPEGs, RGB8 frames YCbCr ones. Frames with alpha
 * are refused (JPEG has none: put alpha_flatten before the encoder, which
 * says what the transparent parts become), and so are 16-bit ones (JPEG is
 * 8-bit here). Settings are cjpeg's, with the same defaults: quality 75
 * with baseline tables (cjpeg -baseline; the same tables as cjpeg's from
 * quality 25 up), 4:2:0, the integer DCT, a JFIF header, standard Huffman
 * tables unless optimize or progressive (libjpeg's simple progression):
 * a frame without metadata gives cjpeg's bytes.
 *
 * Metadata, unless strip says otherwise: FP_META_EXIF as APP1 "Exif" (with
 * its orientation tag set to FP_META_ORIENTATION when both are there; an
 * orientation other than 1 without EXIF gets a minimal EXIF of its own),
 * FP_META_XMP as APP1, FP_META_ICC as APP2 segments, FP_META_COMMENT and
 * the text entry keyed "Comment" (PNG's tEXt Comment) as COM (other text
 * entries have no place in a JPEG and are left out),
 * FP_META_RESOLUTION as the JFIF density. An EXIF or XMP too big for
 * one segment (64 KiB) fails the frame rather than be lost silently.
 * strip=meta keeps only the ICC profile, strip=all writes nothing.
 */
#include "jpeg.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "exif.h"
#include "files.h"

#define SEGMENT_MAX 65533u /* bytes of data in one marker segment */

struct writer {
	const struct fp_jpeg_encode_config *cfg;
	struct jpeg_compress_struct c;
	struct fp_jpeg_error e;
	bool created;
	uint8_t *exif; /* a patched copy of the EXIF blob */
};

static int check_frame(fp_frame *in)
{
	if (!(FP_JPEG_ENCODE_FORMATS & FP_FORMAT_BIT(in->format))) {
		const char *why = fp_format_has_alpha(in->format)
					  ? "JPEG has no alpha: put "
					    "alpha_flatten before the encoder"
					  : "JPEG is 8-bit: convert the frame "
					    "to G8 or RGB8 first";
		return fp_frame_fail(in, FP_EFORMAT, "cannot encode %s (%s)",
				     fp_format_name(in->format), why);
	}
	if (in->width == 0 || in->height == 0 ||
	    in->width > JPEG_MAX_DIMENSION || in->height > JPEG_MAX_DIMENSION)
		return fp_frame_fail(in, FP_EGEOMETRY,
				     "cannot encode a %" PRIu32 "x%" PRIu32
				     " frame as JPEG (1..%d each way)",
				     in->width, in->height,
				     (int)JPEG_MAX_DIMENSION);
	uint64_t row = (uint64_t)in->width * fp_format_channels(in->format);
	uint64_t need = (uint64_t)in->stride * (in->height - 1) + row;
	if (in->stride < row || in->pixels == NULL || need > in->capacity)
		return fp_frame_fail(
			in, FP_EGEOMETRY,
			"%" PRIu32 "x%" PRIu32 " frame with stride %" PRIu32
			" does not fit its slot of %zu bytes",
			in->width, in->height, in->stride, in->capacity);
	return 0;
}

/* Metadata that does not fit a segment, found before the file is made. */
static int check_meta(fp_frame *in, int strip)
{
	if (in->meta == NULL || strip != FP_JPEG_STRIP_KEEP)
		return 0;
	const fp_meta_entry *e = fp_meta_find(in->meta, FP_META_EXIF, NULL);
	if (e != NULL && e->value_size > SEGMENT_MAX - 6)
		return fp_frame_fail(in, FP_ENOFIT,
				     "EXIF of %" PRIu32 " bytes does not fit "
				     "a JPEG APP1 segment (%u at most; "
				     "strip=meta drops it)",
				     e->value_size, SEGMENT_MAX - 6);
	e = fp_meta_find(in->meta, FP_META_XMP, NULL);
	if (e != NULL && e->value_size > SEGMENT_MAX - 29)
		return fp_frame_fail(in, FP_ENOFIT,
				     "XMP packet of %" PRIu32 " bytes does "
				     "not fit a JPEG APP1 segment (%u at "
				     "most; strip=meta drops it)",
				     e->value_size, SEGMENT_MAX - 29);
	return 0;
}

static void set_density(struct jpeg_compress_struct *c, const fp_meta *m)
{
	const fp_meta_entry *e = fp_meta_find(m, FP_META_RESOLUTION, NULL);
	fp_meta_resolution r;
	if (e == NULL || e->value_size != sizeof r)
		return;
	memcpy(&r, fp_meta_value(e), sizeof r);
	uint8_t unit = 0;
	if (r.unit == FP_RES_PER_INCH)
		unit = 1;
	else if (r.unit == FP_RES_PER_METRE) {
		unit = 2; /* per centimetre */
		r.x = (r.x + 50) / 100;
		r.y = (r.y + 50) / 100;
	}
	if (r.x == 0 || r.y == 0 || r.x > 65535 || r.y > 65535)
		return; /* JFIF cannot say it */
	c->density_unit = unit;
	c->X_density = (UINT16)r.x;
	c->Y_density = (UINT16)r.y;
}

static void write_segment(struct jpeg_compress_struct *c, int marker,
			  const char *id, size_t id_len, const uint8_t *data,
			  size_t size)
{
	jpeg_write_m_header(c, marker, (unsigned)(id_len + size));
	for (size_t i = 0; i < id_len; i++)
		jpeg_write_m_byte(c, (uint8_t)id[i]);
	for (size_t i = 0; i < size; i++)
		jpeg_write_m_byte(c, data[i]);
}

static void write_exif(struct writer *w, const fp_meta *m)
{
	const fp_meta_entry *e = fp_meta_find(m, FP_META_EXIF, NULL);
	uint32_t orientation = fp_meta_u32(m, FP_META_ORIENTATION, 0);
	uint8_t minimal[FP_EXIF_MINIMAL_SIZE];
	const uint8_t *data;
	size_t size;
	if (e != NULL) {
		size = e->value_size;
		data = fp_meta_value(e);
		if (orientation >= 1 && orientation <= 8 &&
		    fp__exif_orientation(data, size) != (int)orientation &&
		    (w->exif = malloc(size)) != NULL) {
			memcpy(w->exif, data, size);
			(void)fp__exif_set_orientation(w->exif, size,
						       (uint16_t)orientation);
			data = w->exif;
		}
	} else if (orientation >= 2 && orientation <= 8) {
		fp__exif_minimal(minimal, (uint16_t)orientation);
		data = minimal;
		size = sizeof minimal;
	} else {
		return;
	}
	write_segment(&w->c, JPEG_APP0 + 1, "Exif\0", 6, data, size);
}

static void write_meta(struct writer *w, const fp_meta *m)
{
	int strip = w->cfg->strip;
	if (m == NULL || strip == FP_JPEG_STRIP_ALL)
		return;
	if (strip == FP_JPEG_STRIP_KEEP) {
		write_exif(w, m);
		const fp_meta_entry *e = fp_meta_find(m, FP_META_XMP, NULL);
		if (e != NULL)
			write_segment(&w->c, JPEG_APP0 + 1,
				      "http://ns.adobe.com/xap/1.0/", 29,
				      fp_meta_value(e), e->value_size);
	}
	const fp_meta_entry *icc = fp_meta_find(m, FP_META_ICC, NULL);
	if (icc != NULL && icc->value_size > 0)
		jpeg_write_icc_profile(&w->c, fp_meta_value(icc),
				       icc->value_size);
	if (strip != FP_JPEG_STRIP_KEEP)
		return;
	for (const fp_meta_entry *e = fp_meta_next(m, NULL); e != NULL;
	     e = fp_meta_next(m, e)) {
		const uint8_t *text = fp_meta_value(e);
		size_t size = e->value_size;
		fp_meta_text t;
		if (e->kind == FP_META_TEXT &&
		    strcmp(fp_meta_key(e), "Comment") == 0 &&
		    fp_meta_text_parts(e, &t)) {
			text = (const uint8_t *)t.text;
			size = t.text_size;
		} else if (e->kind != FP_META_COMMENT) {
			continue;
		}
		write_segment(&w->c, JPEG_COM, "", 0, text,
			      size < SEGMENT_MAX ? size : SEGMENT_MAX);
	}
}

static void set_parameters(struct writer *w, const fp_frame *in)
{
	const struct fp_jpeg_encode_config *cfg = w->cfg;
	struct jpeg_compress_struct *c = &w->c;
	c->image_width = in->width;
	c->image_height = in->height;
	bool gray = in->format == FP_FORMAT_G8;
	c->input_components = gray ? 1 : 3;
	c->in_color_space = gray ? JCS_GRAYSCALE : JCS_RGB;
	jpeg_set_defaults(c);
	jpeg_set_quality(c, (int)cfg->quality, TRUE);
	if (!gray) {
		static const int h[] = {2, 2, 1}, v[] = {2, 1, 1};
		c->comp_info[0].h_samp_factor = h[cfg->subsampling];
		c->comp_info[0].v_samp_factor = v[cfg->subsampling];
	}
	c->optimize_coding = cfg->optimize ? TRUE : FALSE;
	c->restart_in_rows = (int)cfg->restart;
	if (cfg->progressive)
		jpeg_simple_progression(c);
	if (in->meta != NULL && cfg->strip == FP_JPEG_STRIP_KEEP)
		set_density(c, in->meta);
}

static int write_jpeg(struct writer *w, fp_frame *in, FILE *file)
{
	struct jpeg_compress_struct *c = &w->c;
	if (setjmp(w->e.jump))
		return fp_frame_fail(in, w->e.code, "%s", w->e.msg);
	c->err = fp__jpeg_error_init(&w->e);
	jpeg_create_compress(c);
	w->created = true;
	jpeg_stdio_dest(c, file);
	set_parameters(w, in);
	jpeg_start_compress(c, TRUE);
	write_meta(w, in->meta);
	while (c->next_scanline < c->image_height) {
		JSAMPROW row =
			in->pixels + (size_t)c->next_scanline * in->stride;
		(void)jpeg_write_scanlines(c, &row, 1);
	}
	jpeg_finish_compress(c);
	/* stdio errors are sticky: fp__outfile_finish's fclose reports them */
	return 0;
}

int fp__jpeg_encode(const void *config, fp_frame *in)
{
	struct writer w = {.cfg = config};
	fp_outfile out;
	int ret = check_frame(in);
	if (ret == 0)
		ret = check_meta(in, w.cfg->strip);
	if (ret < 0)
		return ret;
	ret = fp__outfile_open(&out, in);
	if (ret < 0)
		return ret;
	ret = write_jpeg(&w, in, out.file);
	if (ret == 0 && (fflush(out.file) != 0 || ferror(out.file))) {
		int e = fp__codec_errno();
		ret = fp_frame_fail(in, -e, "cannot write %s: %s",
				    in->output_path, strerror(e));
	}
	if (w.created)
		jpeg_destroy_compress(&w.c);
	free(w.exif);
	return fp__outfile_finish(&out, in, ret);
}
