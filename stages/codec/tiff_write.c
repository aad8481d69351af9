/* tiff_write — tiff_encode: a frame as a one-page TIFF file, strips of
 * libtiff's default size (about 8 KiB), through a temporary file renamed
 * into place (codec/files.h). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include "tiff.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "files.h"

/* Classic TIFF holds offsets below 4 GiB: past this much pixel data, the
 * file is written as BigTIFF. */
#define CLASSIC_LIMIT ((uint64_t)3 << 30)

static const uint16_t compressions[] = {
	COMPRESSION_NONE,
	COMPRESSION_LZW,
	COMPRESSION_ADOBE_DEFLATE,
	COMPRESSION_PACKBITS,
};

static int check_frame(fp_frame *in)
{
	unsigned px = fp_format_pixel_bytes(in->format);
	if (px == 0)
		return fp_frame_fail(in, FP_EFORMAT, "cannot encode format %d",
				     (int)in->format);
	if (in->width == 0 || in->height == 0)
		return fp_frame_fail(in, FP_EGEOMETRY,
				     "cannot encode a %" PRIu32 "x%" PRIu32
				     " frame",
				     in->width, in->height);
	uint64_t row = (uint64_t)in->width * px;
	uint64_t need = (uint64_t)in->stride * (in->height - 1) + row;
	if (in->stride < row || in->pixels == NULL || need > in->capacity)
		return fp_frame_fail(
			in, FP_EGEOMETRY,
			"%" PRIu32 "x%" PRIu32 " %s frame with stride %" PRIu32
			" does not fit its slot of %zu bytes",
			in->width, in->height, fp_format_name(in->format),
			in->stride, in->capacity);
	if (in->output_path == NULL || in->output_path[0] == '\0')
		return fp_frame_fail(in, FP_ECONFIG,
				     "no output path (tiff_encode writes "
				     "files: give the run an output folder)");
	return 0;
}

static bool keeps(int strip, fp_meta_kind kind)
{
	return strip == TS_KEEP || (strip == TS_META && kind == FP_META_ICC);
}

static void set_metadata(TIFF *tif, const struct tiff_encode_config *cfg,
			 const fp_frame *in)
{
	const fp_meta_entry *e;
	if (keeps(cfg->strip, FP_META_ICC) &&
	    (e = fp_meta_find(in->meta, FP_META_ICC, NULL)) != NULL)
		TIFFSetField(tif, TIFFTAG_ICCPROFILE, e->value_size,
			     fp_meta_value(e));
	if (keeps(cfg->strip, FP_META_XMP) &&
	    (e = fp_meta_find(in->meta, FP_META_XMP, NULL)) != NULL)
		TIFFSetField(tif, TIFFTAG_XMLPACKET, e->value_size,
			     fp_meta_value(e));
	if (keeps(cfg->strip, FP_META_RESOLUTION) &&
	    (e = fp_meta_find(in->meta, FP_META_RESOLUTION, NULL)) != NULL &&
	    e->value_size == sizeof(fp_meta_resolution)) {
		fp_meta_resolution r;
		memcpy(&r, fp_meta_value(e), sizeof r);
		/* TIFF has no unit "per metre": per centimetre */
		double scale = r.unit == FP_RES_PER_METRE ? 0.01 : 1;
		if (r.x > 0 && r.y > 0) {
			TIFFSetField(tif, TIFFTAG_XRESOLUTION,
				     (double)r.x * scale);
			TIFFSetField(tif, TIFFTAG_YRESOLUTION,
				     (double)r.y * scale);
			TIFFSetField(tif, TIFFTAG_RESOLUTIONUNIT,
				     r.unit == FP_RES_PER_INCH ? RESUNIT_INCH
				     : r.unit == FP_RES_PER_METRE
					     ? RESUNIT_CENTIMETER
					     : RESUNIT_NONE);
		}
	}
	uint32_t o = keeps(cfg->strip, FP_META_ORIENTATION)
			     ? fp_meta_u32(in->meta, FP_META_ORIENTATION, 1)
			     : 1;
	TIFFSetField(tif, TIFFTAG_ORIENTATION,
		     (uint16_t)(o >= 1 && o <= 8 ? o : 1));
}

static void set_fields(TIFF *tif, const struct tiff_encode_config *cfg,
		       const fp_frame *in)
{
	unsigned ch = fp_format_channels(in->format);
	uint16_t compression = compressions[cfg->compression];
	TIFFSetField(tif, TIFFTAG_IMAGEWIDTH, in->width);
	TIFFSetField(tif, TIFFTAG_IMAGELENGTH, in->height);
	TIFFSetField(tif, TIFFTAG_SAMPLESPERPIXEL, (uint16_t)ch);
	TIFFSetField(tif, TIFFTAG_BITSPERSAMPLE,
		     (uint16_t)(8 * fp_format_sample_bytes(in->format)));
	TIFFSetField(tif, TIFFTAG_PHOTOMETRIC,
		     ch >= 3 ? PHOTOMETRIC_RGB : PHOTOMETRIC_MINISBLACK);
	TIFFSetField(tif, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
	TIFFSetField(tif, TIFFTAG_SAMPLEFORMAT, SAMPLEFORMAT_UINT);
	if (fp_format_has_alpha(in->format)) {
		uint16_t kind = EXTRASAMPLE_UNASSALPHA;
		TIFFSetField(tif, TIFFTAG_EXTRASAMPLES, 1, &kind);
	}
	TIFFSetField(tif, TIFFTAG_COMPRESSION, compression);
	bool differencing = compression == COMPRESSION_LZW ||
			    compression == COMPRESSION_ADOBE_DEFLATE;
	if (differencing && cfg->predictor != TP_NONE)
		TIFFSetField(tif, TIFFTAG_PREDICTOR, PREDICTOR_HORIZONTAL);
	TIFFSetField(tif, TIFFTAG_ROWSPERSTRIP, TIFFDefaultStripSize(tif, 0));
	TIFFSetField(tif, TIFFTAG_SOFTWARE, "framepipe");
	set_metadata(tif, cfg, in);
}

/* Rows are copied first: the predictor differences its input in place. */
static int write_rows(TIFF *tif, struct tiff_io *io, fp_frame *in)
{
	size_t row = (size_t)in->width * fp_format_pixel_bytes(in->format);
	uint8_t *buf = malloc(row);
	if (buf == NULL)
		return fp_frame_fail(in, -ENOMEM, "out of memory");
	int ret = 0;
	for (uint32_t y = 0; y < in->height && ret == 0; y++) {
		memcpy(buf, in->pixels + (size_t)y * in->stride, row);
		if (TIFFWriteScanline(tif, buf, y, 0) < 0)
			ret = fp_frame_fail(
				in, io->errno_seen ? -io->errno_seen : FP_EIO,
				"cannot write %s: %s", in->output_path,
				fp__tiff_reason(io, "libtiff "
						    "failed"));
	}
	free(buf);
	return ret;
}

int fp__tiff_encode(const void *config, fp_frame *in)
{
	const struct tiff_encode_config *cfg = config;
	int ret = check_frame(in);
	if (ret < 0)
		return ret;
	fp_outfile file;
	ret = fp__outfile_open(&file, in);
	if (ret < 0)
		return ret;
	struct tiff_io io = {.file = file.file, .fd = fileno(file.file)};
	uint64_t bytes = (uint64_t)in->width * in->height *
			 fp_format_pixel_bytes(in->format);
	TIFF *tif = fp__tiff_open(&io, in->output_path,
				  bytes > CLASSIC_LIMIT ? "w8" : "w", 0);
	if (tif == NULL) {
		ret = fp_frame_fail(in, FP_EIO, "cannot start %s: %s",
				    in->output_path,
				    fp__tiff_reason(&io, "libtiff failed"));
		return fp__outfile_finish(&file, in, ret);
	}
	set_fields(tif, cfg, in);
	ret = write_rows(tif, &io, in);
	if (ret == 0 && !TIFFFlush(tif)) /* the directory, and any error */
		ret = fp_frame_fail(in, io.errno_seen ? -io.errno_seen : FP_EIO,
				    "cannot write %s: %s", in->output_path,
				    fp__tiff_reason(&io, "libtiff failed"));
	TIFFClose(tif); /* io_close leaves the file to fp__outfile_finish */
	return fp__outfile_finish(&file, in, ret);
}
