/* jpeg.c — the JPEG codec (libjpeg-turbo): its parameters, its sniffer, the
 * libjpeg error handling its reader and writer share, and the jpeg_decode
 * and jpeg_encode descriptors (stage.h). Decoding is in
 * jpeg_read.c, encoding in jpeg_write.c.
 */
#include "jpeg.h"

#include <errno.h>
#include <string.h>

#include <jerror.h>

#include "files.h"

const fp_param fp_jpeg_decode_params[FP_JPEG_DECODE_PARAMS] = {
	FP_PARAM_INT_(struct fp_jpeg_decode_config, max_width, "65500", 1,
		      65500, "refuse images wider than this"),
	FP_PARAM_INT_(struct fp_jpeg_decode_config, max_height, "65500", 1,
		      65500, "refuse images taller than this"),
	FP_PARAM_INT_(struct fp_jpeg_decode_config, max_pixels, "100000000", 1,
		      4290250000.0, "refuse images with more pixels than this"),
	FP_PARAM_INT_(struct fp_jpeg_decode_config, max_scans, "100", 1,
		      1000000,
		      "refuse progressive files with more scans than this "
		      "(each scan is a pass over the whole image)"),
	FP_PARAM_SIZE_(struct fp_jpeg_decode_config, max_memory, "1G", 1 << 20,
		       1099511627776.0,
		       "libjpeg's working memory beside the frame (a "
		       "progressive file keeps every coefficient: 2 bytes "
		       "per sample, 6 per pixel at 4:4:4)"),
	FP_PARAM_INT_(struct fp_jpeg_decode_config, min_width, "0", 0, 65500,
		      "decode at 1/2, 1/4 or 1/8 scale while the image stays "
		      "at least this wide (like ImageMagick's -define "
		      "jpeg:size; 0: only when the pipeline hints it)"),
	FP_PARAM_INT_(struct fp_jpeg_decode_config, min_height, "0", 0, 65500,
		      "the same for the height"),
	FP_PARAM_BOOL_(struct fp_jpeg_decode_config, shrink, "true",
		       "decode smaller when the stages after need less (the "
		       "pipeline's hint from a resize); false: full size "
		       "unless min_width/min_height say otherwise"),
};

const fp_param fp_jpeg_encode_params[FP_JPEG_ENCODE_PARAMS] = {
	FP_PARAM_INT_(struct fp_jpeg_encode_config, quality, "75", 1, 100,
		      "quality 1..100 (cjpeg's scale; tables kept baseline)"),
	FP_PARAM_BOOL_(struct fp_jpeg_encode_config, progressive, "false",
		       "write a progressive JPEG (cjpeg -progressive)"),
	FP_PARAM_BOOL_(struct fp_jpeg_encode_config, optimize, "false",
		       "optimised Huffman tables: smaller, slower "
		       "(always on when progressive)"),
	FP_PARAM_CHOICE_(struct fp_jpeg_encode_config, subsampling, "420",
			 "420|422|444",
			 "chroma subsampling of colour frames (cjpeg -sample "
			 "2x2, 2x1, 1x1)"),
	FP_PARAM_INT_(struct fp_jpeg_encode_config, restart, "0", 0, 65535,
		      "a restart marker every this many MCU rows (0: none)"),
	FP_PARAM_CHOICE_(struct fp_jpeg_encode_config, strip, "keep",
			 "keep|meta|all",
			 "metadata written: keep everything, meta: only the "
			 "ICC profile, all: nothing"),
};

static bool jpeg_sniff(const uint8_t *head, size_t size)
{
	return size >= 3 && head[0] == 0xff && head[1] == 0xd8 &&
	       head[2] == 0xff;
}

const fp_codec fp_codec_jpeg = {
	.name = "jpeg",
	.label = "JPEG",
	.extensions = "jpg|jpeg|jpe|jfif",
	.sniff = jpeg_sniff,
	.decoder = {.params = fp_jpeg_decode_params,
		    .param_count = FP_JPEG_DECODE_PARAMS,
		    .config_size = sizeof(struct fp_jpeg_decode_config),
		    .formats = FP_JPEG_DECODE_FORMATS},
	.probe = fp__jpeg_probe,
	.decode = fp__jpeg_decode,
	.encoder = {.params = fp_jpeg_encode_params,
		    .param_count = FP_JPEG_ENCODE_PARAMS,
		    .config_size = sizeof(struct fp_jpeg_encode_config),
		    .formats = FP_JPEG_ENCODE_FORMATS},
	.encode = fp__jpeg_encode,
};

/* ---- errors ---------------------------------------------------------------
 */

static void on_error_exit(j_common_ptr cinfo)
{
	struct fp_jpeg_error *e = (struct fp_jpeg_error *)cinfo->err;
	char text[JMSG_LENGTH_MAX];

	(*cinfo->err->format_message)(cinfo, text);
	int code = cinfo->err->msg_code;
	if (code == JERR_FILE_READ || code == JERR_FILE_WRITE) {
		int errnum = fp__codec_errno();
		e->code = -errnum;
		(void)snprintf(e->msg, sizeof e->msg, "%s: %s", text,
			       strerror(errnum));
		longjmp(e->jump, 1);
	}
	if (code == JERR_NO_BACKING_STORE && e->max_memory > 0) {
		e->code = FP_ELIMIT;
		(void)snprintf(e->msg, sizeof e->msg,
			       "decoding needs more than jpeg_decode."
			       "max_memory=%llu bytes (raise it)",
			       (unsigned long long)e->max_memory);
		longjmp(e->jump, 1);
	}
	e->code = code == JERR_OUT_OF_MEMORY ? -ENOMEM : FP_ECORRUPT;
	(void)snprintf(e->msg, sizeof e->msg, "%s", text);
	longjmp(e->jump, 1);
}

/* Warnings that leave the pixels right. Every other warning is damaged
 * data (a truncated file, a bad Huffman code, a lost restart marker...):
 * libjpeg would fill the rest with gray, and that is a failure here. */
static bool benign_warning(int code)
{
	return code == JWRN_JFIF_MAJOR || code == JWRN_ADOBE_XFORM ||
	       code == JWRN_BOGUS_ICC;
}

static void on_emit_message(j_common_ptr cinfo, int level)
{
	struct fp_jpeg_error *e = (struct fp_jpeg_error *)cinfo->err;
	char text[JMSG_LENGTH_MAX];

	if (level >= 0 || benign_warning(cinfo->err->msg_code))
		return; /* trace messages, harmless warnings */
	(*cinfo->err->format_message)(cinfo, text);
	e->code = FP_ECORRUPT;
	if (cinfo->err->msg_code == JWRN_JPEG_EOF)
		(void)snprintf(e->msg, sizeof e->msg, "truncated: %s (%s)",
			       e->where != NULL ? e->where : "file ends early",
			       text);
	else
		(void)snprintf(e->msg, sizeof e->msg, "%s", text);
	longjmp(e->jump, 1);
}

struct jpeg_error_mgr *fp__jpeg_error_init(struct fp_jpeg_error *e)
{
	struct jpeg_error_mgr *mgr = jpeg_std_error(&e->pub);
	mgr->error_exit = on_error_exit;
	mgr->emit_message = on_emit_message;
	e->code = 0;
	e->msg[0] = '\0';
	return mgr;
}

static void on_progress(j_common_ptr cinfo)
{
	struct fp_jpeg_error *e = (struct fp_jpeg_error *)cinfo->err;
	if (!cinfo->is_decompressor || e->max_scans <= 0)
		return;
	j_decompress_ptr d = (j_decompress_ptr)cinfo;
	if (d->progressive_mode && d->input_scan_number > e->max_scans) {
		e->code = FP_ELIMIT;
		(void)snprintf(e->msg, sizeof e->msg,
			       "progressive JPEG with more than %lld scans "
			       "(raise jpeg_decode.max_scans)",
			       (long long)e->max_scans);
		longjmp(e->jump, 1);
	}
}

void fp__jpeg_progress_init(j_decompress_ptr d,
			    struct jpeg_progress_mgr *progress)
{
	memset(progress, 0, sizeof *progress);
	progress->progress_monitor = on_progress;
	d->progress = progress;
}

#if defined(FP_CODEC_STAGE_DECODE)
#include "stage.h"
FP_CODEC_DECODE_STAGE(
	fp_codec_jpeg, "jpeg_decode",
	"decode JPEG input files (libjpeg-turbo) into G8 or RGB8 frames",
	fp_jpeg_decode_params, struct fp_jpeg_decode_config,
	"Gray JPEGs give G8, colour ones RGB8 (CMYK and YCCK converted as "
	"djpeg does);\n"
	"pixels are djpeg's, byte for byte (integer DCT, fancy upsampling).\n"
	"Keeps EXIF, XMP, the ICC profile, comments, the JFIF density and the "
	"EXIF\n"
	"orientation (1..8; other values are ignored) as frame metadata.\n"
	"Decodes at 1/2, 1/4 or 1/8 scale when the next stages hint they need "
	"no more.\n"
	"Damaged data (a truncated file, bad Huffman codes) fails the file.");
#elif defined(FP_CODEC_STAGE_ENCODE)
#include "stage.h"
FP_CODEC_ENCODE_STAGE(
	fp_codec_jpeg, "jpeg_encode", ".jpg",
	"write G8 and RGB8 frames as JPEG files (libjpeg-turbo), atomically",
	fp_jpeg_encode_params, struct fp_jpeg_encode_config,
	FP_JPEG_ENCODE_FORMATS,
	"Settings and defaults are cjpeg's: a frame without metadata gives "
	"cjpeg's bytes.\n"
	"Frames with alpha are refused (put alpha_flatten before), 16-bit ones "
	"too.\n"
	"Writes the frame's EXIF, XMP, ICC profile, comments and resolution; "
	"strip=meta\n"
	"keeps only the ICC profile, strip=all writes none.");
#endif
