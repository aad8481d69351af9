/* webp — WebP files with libwebp: the webp_decode and webp_encode stages,
 * and the codec the generic decode and encode stages use.
 *
 * Decode: lossy (VP8) and lossless (VP8L), with or without alpha: RGBA8
 * when the file says it has alpha, RGB8 otherwise, exactly the pixels of
 * `dwebp -pam` (same library, same default options: fancy upsampling, no
 * dithering). The RIFF header and the bitstream header are read first
 * (WebPGetFeatures on the first bytes), so the limits, the RIFF size
 * against the file size and the slot size are all checked before the file
 * is read or anything is allocated; libwebp then decodes straight into the
 * pool slot. Animated files give their first frame, composited on the
 * canvas as a viewer shows it (WebPAnimDecoder): a batch of web images
 * holds animated stickers beside stills, and a thumbnail or a conversion
 * of the first frame is what vips and ImageMagick make of them too;
 * refusing them would fail the batch for no gain. Shrink-on-load: when
 * the frame has a hint (fp_frame.hint_width/hint_height), a still image is
 * decoded by libwebp's scaler at the smallest size with the file's aspect
 * ratio that is not below the hint in either non-zero dimension.
 * Metadata: the ICCP, EXIF and XMP chunks go to the frame's metadata area.
 *
 * Encode: RGB8 and RGBA8 as given, G8 and GA8 as gray RGB(A); lossy or
 * lossless with cwebp's defaults (quality 75, method 4). The frame's ICC
 * profile, EXIF and XMP are written as chunks (WebPMux) unless `strip`
 * says otherwise. */
#define _POSIX_C_SOURCE 200809L /* fileno */

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <webp/decode.h>
#include <webp/demux.h>
#include <webp/encode.h>
#include <webp/mux.h>

#include "codec.h"
#include "files.h"
#include "decode_limits.h"

#define HEAD_SIZE   64 /* RIFF header + VP8X, or + the VP8/VP8L frame header */
#define RIFF_HEADER 8

struct webp_decode_config {
	int64_t max_width;
	int64_t max_height;
	int64_t max_pixels;
};

enum strip_choice { STRIP_KEEP, STRIP_META, STRIP_ALL };

struct webp_encode_config {
	double quality;
	bool lossless;
	int64_t effort;
	int64_t near_lossless;
	int64_t alpha_quality;
	bool exact;
	int strip; /* enum strip_choice */
};

/* A WebP file opened and its headers checked. */
struct webp_file {
	FILE *file;
	uint64_t size; /* bytes the RIFF header says, + 8 */
	uint8_t head[HEAD_SIZE];
	size_t head_len;
	WebPBitstreamFeatures features;
};

static uint32_t load_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static bool webp_sniff(const uint8_t *head, size_t size)
{
	return size >= 12 && memcmp(head, "RIFF", 4) == 0 &&
	       memcmp(head + 8, "WEBP", 4) == 0;
}

static const char *status_text(VP8StatusCode status)
{
	switch (status) {
	case VP8_STATUS_OUT_OF_MEMORY: return "out of memory";
	case VP8_STATUS_INVALID_PARAM: return "invalid decoder parameter";
	case VP8_STATUS_BITSTREAM_ERROR:
		return "corrupt image data (bitstream error)";
	case VP8_STATUS_UNSUPPORTED_FEATURE:
		return "uses a feature libwebp does not support";
	case VP8_STATUS_NOT_ENOUGH_DATA:
		return "truncated: the image data ends early";
	case VP8_STATUS_SUSPENDED: /* a damaged partition read past its end */
		return "corrupt image data (a partition ends early)";
	default: return "cannot be decoded";
	}
}

static int status_code(VP8StatusCode status)
{
	return status == VP8_STATUS_OUT_OF_MEMORY	  ? -ENOMEM
	       : status == VP8_STATUS_UNSUPPORTED_FEATURE ? FP_EFORMAT
							  : FP_ECORRUPT;
}

/* The RIFF header: "RIFF", size, "WEBP"; its size against the file's. */
static int check_riff(struct webp_file *wf, uint64_t file_size, char *err,
		      size_t err_size)
{
	size_t n = wf->head_len < 4 ? wf->head_len : 4;
	if (memcmp(wf->head, "RIFF", n) != 0)
		return fp__codec_error(err, err_size, FP_ECORRUPT,
				       "not a WebP file (no RIFF header)");
	if (wf->head_len < 12)
		return fp__codec_error(err, err_size, FP_ECORRUPT,
				       "truncated: file ends after %zu bytes, "
				       "in the RIFF header",
				       wf->head_len);
	if (memcmp(wf->head + 8, "WEBP", 4) != 0)
		return fp__codec_error(err, err_size, FP_ECORRUPT,
				       "not a WebP file (a RIFF file of type "
				       "'%.4s')",
				       (const char *)wf->head + 8);
	uint64_t riff = load_le32(wf->head + 4);
	if (riff < 4 + RIFF_HEADER + 1)
		return fp__codec_error(err, err_size, FP_ECORRUPT,
				       "RIFF size %" PRIu64
				       " is too small for a WebP image",
				       riff);
	if (riff + RIFF_HEADER > file_size)
		return fp__codec_error(err, err_size, FP_ECORRUPT,
				       "truncated: RIFF size says %" PRIu64
				       " bytes, the file has %" PRIu64,
				       riff + RIFF_HEADER, file_size);
	wf->size = riff + RIFF_HEADER; /* what follows is not ours */
	return 0;
}

/* Open path, check the RIFF header, the features and the limits; the
 * caller closes wf->file. */
static int open_checked(const struct webp_decode_config *cfg, const char *path,
			struct webp_file *wf, char *err, size_t err_size)
{
	struct stat st;
	int ret = fp__codec_open_input(path, &wf->file, err, err_size);
	if (ret < 0)
		return ret;
	if (fstat(fileno(wf->file), &st) != 0) {
		int e = fp__codec_errno();
		ret = fp__codec_error(err, err_size, -e, "cannot stat: %s",
				      strerror(e));
		goto err_close;
	}
	errno = 0;
	wf->head_len = fread(wf->head, 1, HEAD_SIZE, wf->file);
	if (wf->head_len < HEAD_SIZE && ferror(wf->file)) {
		int e = fp__codec_errno();
		ret = fp__codec_error(err, err_size, -e, "cannot read: %s",
				      strerror(e));
		goto err_close;
	}
	if (wf->head_len == 0) {
		ret = fp__codec_error(err, err_size, FP_ECORRUPT, "empty file");
		goto err_close;
	}
	ret = check_riff(wf, (uint64_t)st.st_size, err, err_size);
	if (ret < 0)
		goto err_close;
	size_t len = wf->head_len < wf->size ? wf->head_len : (size_t)wf->size;
	VP8StatusCode status = WebPGetFeatures(wf->head, len, &wf->features);
	if (status == VP8_STATUS_NOT_ENOUGH_DATA && len == wf->size)
		status = VP8_STATUS_BITSTREAM_ERROR; /* the whole file */
	if (status != VP8_STATUS_OK) {
		ret = fp__codec_error(err, err_size, status_code(status),
				      "header: %s", status_text(status));
		goto err_close;
	}
	fp_codec_limits limits = {cfg->max_width, cfg->max_height,
				  cfg->max_pixels};
	ret = fp__codec_check_limits(
		"webp_decode", &limits, (uint64_t)wf->features.width,
		(uint64_t)wf->features.height, err, err_size);
	if (ret < 0)
		goto err_close;
	return 0;

err_close:
	(void)fclose(wf->file);
	wf->file = NULL;
	return ret;
}

static int webp_probe(const void *config, const char *path, fp_shape *out,
		      char *err, size_t err_size)
{
	struct webp_file wf = {0};
	int ret = open_checked(config, path, &wf, err, err_size);
	if (ret < 0)
		return ret;
	(void)fclose(wf.file); /* read only: nothing to lose */
	out->width = (uint32_t)wf.features.width;
	out->height = (uint32_t)wf.features.height;
	out->formats = FP_FORMAT_BIT(wf.features.has_alpha ? FP_FORMAT_RGBA8
							   : FP_FORMAT_RGB8);
	out->reserved = 0;
	return 0;
}

/* ---- decoding ------------------------------------------------------------ */

/* The whole RIFF file in memory (the head already read, then the rest);
 * free *data. */
static int read_all(struct webp_file *wf, fp_frame *out, uint8_t **data)
{
	uint8_t *buf = malloc((size_t)wf->size);
	if (buf == NULL)
		return fp_frame_fail(out, -ENOMEM,
				     "out of memory reading %" PRIu64 " bytes",
				     wf->size);
	size_t have = wf->head_len < wf->size ? wf->head_len : (size_t)wf->size;
	memcpy(buf, wf->head, have);
	errno = 0;
	size_t got = fread(buf + have, 1, (size_t)wf->size - have, wf->file);
	if (have + got < wf->size) {
		int e = ferror(wf->file) ? fp__codec_errno() : 0;
		free(buf);
		if (e != 0)
			return fp_frame_fail(out, -e, "cannot read: %s",
					     strerror(e));
		/* the file shrank since fstat */
		return fp_frame_fail(out, FP_ECORRUPT,
				     "truncated: file ends after %zu bytes",
				     have + got);
	}
	*data = buf;
	return 0;
}

/* The size a w x h image decodes to for the hint: the smallest with its
 * aspect ratio that is not below a non-zero hint each way; w x h when
 * the hint asks for no less. The side that sets the scale is exactly its
 * hint; the other is rounded to nearest (never below its own hint, which
 * it exceeds before rounding), which keeps the aspect ratio within half a
 * pixel, so that a resize after it computes the same size as from the
 * full image in all but borderline cases. */
static void scaled_size(uint32_t w, uint32_t h, uint32_t hint_w,
			uint32_t hint_h, uint32_t *sw, uint32_t *sh)
{
	*sw = w;
	*sh = h;
	if ((hint_w == 0 && hint_h == 0) || hint_w >= w || hint_h >= h)
		return;
	/* scale = max(hint_w / w, hint_h / h), as the exact fraction n/d */
	uint64_t n = hint_w, d = w;
	if ((uint64_t)hint_h * w > (uint64_t)hint_w * h) {
		n = hint_h;
		d = h;
	}
	*sw = (uint32_t)(((uint64_t)w * n + d / 2) / d);
	*sh = (uint32_t)(((uint64_t)h * n + d / 2) / d);
	if (*sw < 1)
		*sw = 1;
	if (*sh < 1)
		*sh = 1;
}

static int decode_still(const WebPBitstreamFeatures *ft, const uint8_t *data,
			size_t size, fp_frame *out)
{
	WebPDecoderConfig dc;
	unsigned channels = ft->has_alpha ? 4 : 3;
	uint32_t w, h;

	if (!WebPInitDecoderConfig(&dc))
		return fp_frame_fail(out, FP_EFORMAT,
				     "libwebp version mismatch");
	scaled_size((uint32_t)ft->width, (uint32_t)ft->height, out->hint_width,
		    out->hint_height, &w, &h);
	if (w != (uint32_t)ft->width || h != (uint32_t)ft->height) {
		dc.options.use_scaling = 1;
		dc.options.scaled_width = (int)w;
		dc.options.scaled_height = (int)h;
	}
	int ret = fp__codec_check_fit(out, w, h, channels,
				      channels == 4 ? "RGBA8" : "RGB8");
	if (ret < 0)
		return ret;
	dc.output.colorspace = channels == 4 ? MODE_RGBA : MODE_RGB;
	dc.output.is_external_memory = 1;
	dc.output.u.RGBA.rgba = out->pixels;
	dc.output.u.RGBA.stride = (int)(w * channels);
	dc.output.u.RGBA.size = (size_t)w * channels * h;
	VP8StatusCode status = WebPDecode(data, size, &dc);
	WebPFreeDecBuffer(&dc.output);
	if (status != VP8_STATUS_OK)
		return fp_frame_fail(out, status_code(status), "%s",
				     status_text(status));
	out->width = w;
	out->height = h;
	out->stride = w * channels;
	out->format = channels == 4 ? FP_FORMAT_RGBA8 : FP_FORMAT_RGB8;
	return 0;
}

/* Metadata chunk fourcc into the frame's area as kind. */
static int copy_chunk(const WebPDemuxer *dmx, const char *fourcc,
		      fp_meta_kind kind, const char *what, fp_frame *out)
{
	WebPChunkIterator it;
	if (!WebPDemuxGetChunk(dmx, fourcc, 1, &it))
		return 0;
	const uint8_t *value = it.chunk.bytes;
	size_t size = it.chunk.size;
	/* Some writers keep JPEG's APP1 prefix; the area holds bare TIFF. */
	if (kind == FP_META_EXIF && size >= 6 &&
	    memcmp(value, "Exif\0\0", 6) == 0) {
		value += 6;
		size -= 6;
	}
	int ret = fp_meta_add(out->meta, kind, 0, NULL, value, size);
	WebPDemuxReleaseChunkIterator(&it);
	if (ret < 0)
		return fp_frame_fail(out, FP_ENOFIT,
				     "%s of %zu bytes does not fit the frame's "
				     "metadata area of %" PRIu32
				     " bytes (raise [pipeline] metadata_size)",
				     what, size, out->meta->capacity);
	return 0;
}

static int copy_metadata(const WebPDemuxer *dmx, fp_frame *out)
{
	if (out->meta == NULL)
		return 0;
	int ret = copy_chunk(dmx, "ICCP", FP_META_ICC, "ICC profile", out);
	if (ret == 0)
		ret = copy_chunk(dmx, "EXIF", FP_META_EXIF, "EXIF", out);
	if (ret == 0)
		ret = copy_chunk(dmx, "XMP ", FP_META_XMP, "XMP packet", out);
	return ret;
}

/* The still image's metadata: only a VP8X file can have chunks. */
static int still_metadata(const uint8_t *data, size_t size, fp_frame *out)
{
	if (out->meta == NULL || size < 21 || memcmp(data + 12, "VP8X", 4) != 0)
		return 0;
	const uint32_t chunk_flags = ICCP_FLAG | EXIF_FLAG | XMP_FLAG;
	if ((data[20] & chunk_flags) == 0)
		return 0;
	WebPData wd = {data, size};
	WebPDemuxer *dmx = WebPDemux(&wd);
	if (dmx == NULL)
		return fp_frame_fail(out, FP_ECORRUPT,
				     "corrupt chunk layout (the metadata "
				     "chunks cannot be read)");
	int ret = copy_metadata(dmx, out);
	WebPDemuxDelete(dmx);
	return ret;
}

/* Copy the canvas (RGBA) into the slot, dropping alpha for RGB8. */
static void copy_canvas(const uint8_t *rgba, uint32_t w, uint32_t h,
			unsigned channels, uint8_t *dst)
{
	size_t n = (size_t)w * h;
	if (channels == 4) {
		memcpy(dst, rgba, n * 4);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		dst[3 * i] = rgba[4 * i];
		dst[3 * i + 1] = rgba[4 * i + 1];
		dst[3 * i + 2] = rgba[4 * i + 2];
	}
}

/* The first frame of an animation, composited on its canvas. No scaled
 * decode: WebPAnimDecoder has none (the resize after does it all). */
static int decode_animation(const WebPBitstreamFeatures *ft,
			    const uint8_t *data, size_t size, fp_frame *out)
{
	WebPAnimDecoderOptions opts;
	WebPAnimInfo info;
	unsigned channels = ft->has_alpha ? 4 : 3;
	uint8_t *canvas;
	int timestamp;
	int ret;

	if (!WebPAnimDecoderOptionsInit(&opts))
		return fp_frame_fail(out, FP_EFORMAT,
				     "libwebp version mismatch");
	opts.color_mode = MODE_RGBA;
	opts.use_threads = 0;
	ret = fp__codec_check_fit(out, (uint64_t)ft->width,
				  (uint64_t)ft->height, channels,
				  channels == 4 ? "RGBA8" : "RGB8");
	if (ret < 0)
		return ret;
	WebPData wd = {data, size};
	WebPAnimDecoder *dec = WebPAnimDecoderNew(&wd, &opts);
	if (dec == NULL)
		return fp_frame_fail(out, FP_ECORRUPT,
				     "corrupt animation (its chunks cannot be "
				     "read)");
	if (!WebPAnimDecoderGetInfo(dec, &info) ||
	    info.canvas_width != (uint32_t)ft->width ||
	    info.canvas_height != (uint32_t)ft->height ||
	    info.frame_count < 1) {
		ret = fp_frame_fail(out, FP_ECORRUPT,
				    "animation header disagrees with its "
				    "VP8X canvas");
		goto out_delete;
	}
	if (!WebPAnimDecoderGetNext(dec, &canvas, &timestamp)) {
		ret = fp_frame_fail(out, FP_ECORRUPT,
				    "corrupt first frame of the animation");
		goto out_delete;
	}
	copy_canvas(canvas, info.canvas_width, info.canvas_height, channels,
		    out->pixels);
	out->width = info.canvas_width;
	out->height = info.canvas_height;
	out->stride = info.canvas_width * channels;
	out->format = channels == 4 ? FP_FORMAT_RGBA8 : FP_FORMAT_RGB8;
	ret = copy_metadata(WebPAnimDecoderGetDemuxer(dec), out);
out_delete:
	WebPAnimDecoderDelete(dec);
	return ret;
}

static int webp_decode(const void *config, fp_frame *out)
{
	struct webp_file wf = {0};
	int ret = open_checked(config, out->input_path, &wf, out->error,
			       out->error_size);
	if (ret < 0)
		return ret;
	/* Before reading the file: the smallest frame it can give. */
	uint32_t w, h;
	scaled_size((uint32_t)wf.features.width, (uint32_t)wf.features.height,
		    wf.features.has_animation ? 0 : out->hint_width,
		    wf.features.has_animation ? 0 : out->hint_height, &w, &h);
	ret = fp__codec_check_fit(out, w, h, wf.features.has_alpha ? 4 : 3,
				  wf.features.has_alpha ? "RGBA8" : "RGB8");
	if (ret < 0)
		goto out_close;
	uint8_t *data = NULL;
	ret = read_all(&wf, out, &data);
	if (ret < 0)
		goto out_close;
	fp_meta_clear(out->meta);
	if (wf.features.has_animation) {
		ret = decode_animation(&wf.features, data, (size_t)wf.size,
				       out);
	} else {
		ret = decode_still(&wf.features, data, (size_t)wf.size, out);
		if (ret == 0)
			ret = still_metadata(data, (size_t)wf.size, out);
	}
	free(data);
out_close:
	(void)fclose(wf.file); /* read only: nothing to lose */
	return ret;
}

/* ---- encoding ------------------------------------------------------------ */

static int check_frame(fp_frame *in)
{
	unsigned channels = fp_format_channels(in->format);
	if (fp_format_sample_bytes(in->format) != 1)
		return fp_frame_fail(in, FP_EFORMAT,
				     "cannot encode %s (expected G8, GA8, RGB8 "
				     "or RGBA8)",
				     fp_format_name(in->format));
	if (in->width == 0 || in->height == 0 ||
	    in->width > WEBP_MAX_DIMENSION || in->height > WEBP_MAX_DIMENSION)
		return fp_frame_fail(in, FP_EGEOMETRY,
				     "cannot encode a %" PRIu32 "x%" PRIu32
				     " frame as WebP (1..%d each way)",
				     in->width, in->height, WEBP_MAX_DIMENSION);
	uint64_t row = (uint64_t)in->width * channels;
	uint64_t need = (uint64_t)in->stride * (in->height - 1) + row;
	if (in->stride < row || in->pixels == NULL || need > in->capacity)
		return fp_frame_fail(
			in, FP_EGEOMETRY,
			"%" PRIu32 "x%" PRIu32 " %s frame with stride %" PRIu32
			" does not fit its slot of %zu bytes",
			in->width, in->height, fp_format_name(in->format),
			in->stride, in->capacity);
	return 0;
}

static const char *encode_error_text(WebPEncodingError e)
{
	switch (e) {
	case VP8_ENC_ERROR_OUT_OF_MEMORY: return "out of memory";
	case VP8_ENC_ERROR_BITSTREAM_OUT_OF_MEMORY:
		return "out of memory for the bitstream";
	case VP8_ENC_ERROR_BAD_DIMENSION: return "bad picture dimensions";
	case VP8_ENC_ERROR_PARTITION0_OVERFLOW:
		return "partition 0 is too big (lower quality or size)";
	case VP8_ENC_ERROR_PARTITION_OVERFLOW:
		return "a partition is too big (lower quality or size)";
	case VP8_ENC_ERROR_FILE_TOO_BIG: return "the file would exceed 4 GiB";
	default: return "libwebp failed to encode";
	}
}

/* Gray frames as RGB(A): libwebp imports 3 or 4 channels only. */
static uint8_t *gray_to_rgb(const fp_frame *in, unsigned channels)
{
	unsigned dc = channels == 2 ? 4 : 3;
	uint8_t *rgb = malloc((size_t)in->width * in->height * dc);
	if (rgb == NULL)
		return NULL;
	uint8_t *d = rgb;
	for (uint32_t y = 0; y < in->height; y++) {
		const uint8_t *s = in->pixels + (size_t)y * in->stride;
		for (uint32_t x = 0; x < in->width; x++, s += channels) {
			d[0] = d[1] = d[2] = s[0];
			if (dc == 4)
				d[3] = s[1];
			d += dc;
		}
	}
	return rgb;
}

static int import_pixels(WebPPicture *pic, fp_frame *in)
{
	unsigned channels = fp_format_channels(in->format);
	int ok;
	if (channels >= 3) {
		ok = channels == 4 ? WebPPictureImportRGBA(pic, in->pixels,
							   (int)in->stride)
				   : WebPPictureImportRGB(pic, in->pixels,
							  (int)in->stride);
	} else {
		uint8_t *rgb = gray_to_rgb(in, channels);
		if (rgb == NULL)
			return fp_frame_fail(in, -ENOMEM, "out of memory");
		int stride = (int)in->width * (channels == 2 ? 4 : 3);
		ok = channels == 2 ? WebPPictureImportRGBA(pic, rgb, stride)
				   : WebPPictureImportRGB(pic, rgb, stride);
		free(rgb);
	}
	if (!ok)
		return fp_frame_fail(in, -ENOMEM,
				     "out of memory importing the picture");
	return 0;
}

static int set_config(const struct webp_encode_config *cfg, WebPConfig *wc,
		      fp_frame *in)
{
	if (!WebPConfigInit(wc))
		return fp_frame_fail(in, FP_EFORMAT,
				     "libwebp version mismatch");
	wc->quality = (float)cfg->quality;
	wc->lossless = cfg->lossless;
	wc->method = (int)cfg->effort;
	wc->near_lossless = (int)cfg->near_lossless;
	wc->alpha_quality = (int)cfg->alpha_quality;
	wc->exact = cfg->exact;
	if (!WebPValidateConfig(wc))
		return fp_frame_fail(in, FP_ECONFIG,
				     "libwebp refuses these settings");
	return 0;
}

/* Encode in's pixels into *mem (WebPMemoryWriterClear() it). */
static int encode_image(const struct webp_encode_config *cfg, fp_frame *in,
			WebPMemoryWriter *mem)
{
	WebPConfig wc;
	WebPPicture pic;
	int ret = set_config(cfg, &wc, in);
	if (ret < 0)
		return ret;
	if (!WebPPictureInit(&pic))
		return fp_frame_fail(in, FP_EFORMAT,
				     "libwebp version mismatch");
	pic.width = (int)in->width;
	pic.height = (int)in->height;
	pic.use_argb = cfg->lossless; /* as cwebp: no YUV round trip */
	ret = import_pixels(&pic, in);
	if (ret < 0) {
		WebPPictureFree(&pic);
		return ret;
	}
	pic.writer = WebPMemoryWrite;
	pic.custom_ptr = mem;
	if (!WebPEncode(&wc, &pic))
		ret = fp_frame_fail(in,
				    pic.error_code ==
						    VP8_ENC_ERROR_OUT_OF_MEMORY
					    ? -ENOMEM
					    : FP_EFORMAT,
				    "%s", encode_error_text(pic.error_code));
	WebPPictureFree(&pic);
	return ret;
}

/* Which metadata entries the file gets under strip. */
static bool keeps(int strip, fp_meta_kind kind)
{
	return strip == STRIP_KEEP ||
	       (strip == STRIP_META && kind == FP_META_ICC);
}

static const struct {
	fp_meta_kind kind;
	const char *fourcc;
} chunk_kinds[] = {
	{FP_META_ICC, "ICCP"},
	{FP_META_EXIF, "EXIF"},
	{FP_META_XMP, "XMP "},
};

/* Add the frame's metadata to the bitstream in *image; on success *image
 * is the assembled file (free with WebPDataClear) when *muxed. */
static int add_metadata(const struct webp_encode_config *cfg, fp_frame *in,
			WebPData *image, bool *muxed)
{
	bool any = false;
	*muxed = false;
	for (size_t i = 0; i < FP_COUNT_OF(chunk_kinds); i++)
		any |= keeps(cfg->strip, chunk_kinds[i].kind) &&
		       fp_meta_find(in->meta, chunk_kinds[i].kind, NULL) !=
			       NULL;
	if (!any)
		return 0;
	WebPMux *mux = WebPMuxCreate(image, 0);
	if (mux == NULL)
		return fp_frame_fail(in, -ENOMEM, "out of memory (WebPMux)");
	WebPMuxError me = WEBP_MUX_OK;
	for (size_t i = 0; i < FP_COUNT_OF(chunk_kinds) && me == WEBP_MUX_OK;
	     i++) {
		const fp_meta_entry *e =
			fp_meta_find(in->meta, chunk_kinds[i].kind, NULL);
		if (e == NULL || !keeps(cfg->strip, chunk_kinds[i].kind))
			continue;
		WebPData chunk = {fp_meta_value(e), e->value_size};
		me = WebPMuxSetChunk(mux, chunk_kinds[i].fourcc, &chunk, 0);
	}
	WebPData out = {NULL, 0};
	if (me == WEBP_MUX_OK)
		me = WebPMuxAssemble(mux, &out);
	WebPMuxDelete(mux);
	if (me != WEBP_MUX_OK)
		return fp_frame_fail(
			in, me == WEBP_MUX_MEMORY_ERROR ? -ENOMEM : FP_EFORMAT,
			"cannot add the metadata chunks (WebPMux "
			"error %d)",
			(int)me);
	*image = out;
	*muxed = true;
	return 0;
}

static int write_file(fp_frame *in, const WebPData *data)
{
	fp_outfile file;
	int ret = fp__outfile_open(&file, in);
	if (ret < 0)
		return ret;
	errno = 0;
	if (fwrite(data->bytes, 1, data->size, file.file) != data->size) {
		int e = fp__codec_errno();
		ret = fp_frame_fail(in, -e, "cannot write %s: %s",
				    in->output_path, strerror(e));
	}
	return fp__outfile_finish(&file, in, ret);
}

static int webp_encode(const void *config, fp_frame *in)
{
	const struct webp_encode_config *cfg = config;
	WebPMemoryWriter mem;
	int ret = check_frame(in);
	if (ret < 0)
		return ret;
	if (in->output_path == NULL || in->output_path[0] == '\0')
		return fp_frame_fail(in, FP_ECONFIG,
				     "no output path (webp_encode writes "
				     "files: give the run an output folder)");
	WebPMemoryWriterInit(&mem);
	ret = encode_image(cfg, in, &mem);
	if (ret == 0) {
		WebPData image = {mem.mem, mem.size};
		bool muxed;
		ret = add_metadata(cfg, in, &image, &muxed);
		if (ret == 0)
			ret = write_file(in, &image);
		if (muxed)
			WebPDataClear(&image);
	}
	WebPMemoryWriterClear(&mem);
	return ret;
}

static int webp_encode_check(const void *config, char *err, size_t err_size)
{
	const struct webp_encode_config *cfg = config;
	if (cfg->near_lossless < 100 && !cfg->lossless)
		return fp__codec_error(err, err_size, FP_EPARAM,
				       "near_lossless: applies to lossless "
				       "encoding only (add lossless=true)");
	return 0;
}

/* ---- tables -------------------------------------------------------------- */

static const fp_param webp_decode_params[] = {
	FP_CODEC_LIMIT_PARAMS(struct webp_decode_config),
};

static const fp_param webp_encode_params[] = {
	FP_PARAM_FLOAT_(struct webp_encode_config, quality, "75", 0, 100,
			"lossy: quality 0 (smallest) .. 100 (best); lossless: "
			"effort spent on size"),
	FP_PARAM_BOOL_(struct webp_encode_config, lossless, "false",
		       "encode losslessly (VP8L)"),
	FP_PARAM_INT_(struct webp_encode_config, effort, "4", 0, 6,
		      "libwebp's method: 0 fastest .. 6 smallest files"),
	FP_PARAM_INT_(struct webp_encode_config, near_lossless, "100", 0, 100,
		      "lossless only: preprocessing, 0 strongest .. 100 off"),
	FP_PARAM_INT_(struct webp_encode_config, alpha_quality, "100", 0, 100,
		      "lossy: quality of the alpha plane (100: lossless)"),
	FP_PARAM_BOOL_(struct webp_encode_config, exact, "false",
		       "keep the RGB values under fully transparent pixels"),
	FP_PARAM_CHOICE_(struct webp_encode_config, strip, "keep",
			 "keep|meta|all",
			 "keep: write ICC, EXIF and XMP; meta: only the ICC "
			 "profile; all: none"),
};

const fp_codec fp_codec_webp = {
	.name = "webp",
	.label = "WebP",
	.extensions = "webp",
	.sniff = webp_sniff,
	.decoder =
		{
			.params = webp_decode_params,
			.param_count = FP_COUNT_OF(webp_decode_params),
			.config_size = sizeof(struct webp_decode_config),
			.formats = FP_FORMAT_BIT(FP_FORMAT_RGB8) |
				   FP_FORMAT_BIT(FP_FORMAT_RGBA8),
		},
	.probe = webp_probe,
	.decode = webp_decode,
	.encoder =
		{
			.params = webp_encode_params,
			.param_count = FP_COUNT_OF(webp_encode_params),
			.config_size = sizeof(struct webp_encode_config),
			.formats = FP_FORMATS_8BIT,
			.check = webp_encode_check,
		},
	.encode = webp_encode,
};

#if defined(FP_CODEC_STAGE_DECODE)
#include "stage.h"
FP_CODEC_DECODE_STAGE(
	fp_codec_webp, "webp_decode",
	"decode WebP files (libwebp): lossy, lossless, alpha, first frame of "
	"an animation",
	webp_decode_params, struct webp_decode_config,
	"RGBA8 when the file has alpha, else RGB8; the pixels of `dwebp "
	"-pam`.\n"
	"An animated file gives its first frame on the canvas.\n"
	"Decodes smaller when the pipeline says it needs less (shrink hint).\n"
	"ICCP, EXIF and XMP chunks become the frame's metadata.");
#elif defined(FP_CODEC_STAGE_ENCODE)
#include "stage.h"
FP_CODEC_ENCODE_STAGE(
	fp_codec_webp, "webp_encode", ".webp",
	"write frames as WebP files (libwebp), atomically", webp_encode_params,
	struct webp_encode_config, FP_FORMATS_8BIT,
	"Lossy by default (cwebp's settings: quality 75, effort 4);\n"
	"lossless=true for VP8L. Gray frames are written as gray RGB.\n"
	"The frame's ICC profile, EXIF and XMP are written as chunks unless\n"
	"strip says otherwise.");
#endif
