/* The PNG codec (libpng): its parameters, the checks across them, the
 * formats a decoder config makes, and fp_codec_png. Decoding is
 * png_read.c, encoding png_write.c, metadata chunks png_meta.c. */
#include "png_codec.h"

#include <string.h>

#include "files.h"

const fp_param fp_png_decode_params[FP_PNG_DECODE_PARAMS] = {
	FP_PARAM_CHOICE_(struct fp_png_decode_config, format, "keep",
			 FP_PNG_FORMATS,
			 "the frame format (keep: as layout and depth say)"),
	FP_PARAM_CHOICE_(struct fp_png_decode_config, layout, "keep",
			 FP_PNG_LAYOUTS,
			 "the channels: keep the file's, or g, ga, rgb, rgba"),
	FP_PARAM_CHOICE_(struct fp_png_decode_config, depth, "keep",
			 "keep|8|16",
			 "bits per sample: keep the file's (16 stays 16, "
			 "1..8 become 8), 8 (16-bit rounded) or 16 (v * 257)"),
	FP_PARAM_INT_(struct fp_png_decode_config, max_width,
		      FP_MAX_DIMENSION_TEXT, 1, FP_MAX_DIMENSION,
		      "refuse images wider than this"),
	FP_PARAM_INT_(struct fp_png_decode_config, max_height,
		      FP_MAX_DIMENSION_TEXT, 1, FP_MAX_DIMENSION,
		      "refuse images taller than this"),
	/* the upper bound 2^62 exceeds (2^31 - 1)^2: effectively no limit */
	FP_PARAM_INT_(struct fp_png_decode_config, max_pixels, "100000000", 1,
		      4611686018427387904.0,
		      "refuse images with more pixels than this"),
	FP_PARAM_SIZE_(struct fp_png_decode_config, max_metadata, "64M", 1024,
		       1099511627776.0,
		       "refuse files whose metadata chunks, read and inflated, "
		       "exceed this (decompression bombs in zTXt, iTXt, iCCP)"),
	FP_PARAM_SIZE_(struct fp_png_decode_config, max_extra_idat, "64K", 0,
		       1099511627776.0,
		       "refuse files with more compressed IDAT bytes than this "
		       "after the image's last row (an IDAT decompression "
		       "bomb)"),
};

unsigned fp__png_want_channels(const struct fp_png_decode_config *cfg)
{
	if (cfg->format != 0)
		return fp_format_channels((fp_format)cfg->format);
	return (unsigned)cfg->layout;
}

static const char *const layout_names[] = {"keep", "g", "ga", "rgb", "rgba"};

/* The depth `format` names (g16: 16), or 0. */
static unsigned format_depth(int format)
{
	return 8 * fp_format_sample_bytes((fp_format)format);
}

unsigned fp__png_want_depth(const struct fp_png_decode_config *cfg)
{
	unsigned d = format_depth(cfg->format);
	if (d != 0)
		return d;
	return cfg->depth == FP_PNG_DEPTH_8    ? 8
	       : cfg->depth == FP_PNG_DEPTH_16 ? 16
					       : 0;
}

int fp__png_decode_check(const void *config, char *err, size_t err_size)
{
	const struct fp_png_decode_config *cfg = config;
	unsigned fd = format_depth(cfg->format);
	unsigned d = cfg->depth == FP_PNG_DEPTH_8    ? 8
		     : cfg->depth == FP_PNG_DEPTH_16 ? 16
						     : 0;
	if (fd != 0 && d != 0 && fd != d)
		return fp__codec_error(
			err, err_size, FP_EPARAM,
			"depth: %u contradicts format = %s, which is %u-bit "
			"(give one of them)",
			d, fp_format_name((fp_format)cfg->format), fd);
	unsigned fc = fp_format_channels((fp_format)cfg->format);
	if (fc != 0 && cfg->layout != 0 && (unsigned)cfg->layout != fc)
		return fp__codec_error(
			err, err_size, FP_EPARAM,
			"layout: %s contradicts format = %s (give one of "
			"them)",
			layout_names[cfg->layout],
			fp_format_name((fp_format)cfg->format));
	return 0;
}

int fp__png_decode_shape(const void *config, const fp_shape *in, fp_shape *out,
			 char *err, size_t err_size)
{
	const struct fp_png_decode_config *cfg = config;
	unsigned ch = fp__png_want_channels(cfg);
	unsigned depth = fp__png_want_depth(cfg);
	uint32_t formats = 0;

	(void)in;
	(void)err;
	(void)err_size;
	for (unsigned c = 1; c <= 4; c++)
		for (unsigned b = 1; b <= 2; b++)
			if ((ch == 0 || ch == c) &&
			    (depth == 0 || depth == 8 * b))
				formats |= FP_FORMAT_BIT(fp_format_of(c, b));
	*out = (fp_shape){.formats = formats};
	return 0;
}

const char fp_png_decode_description[] =
	"One frame per input file, decoded by libpng straight into the pool "
	"slot.\n"
	"layout=keep gives the file's channels: gray -> G, gray+alpha -> GA, "
	"RGB and palette -> RGB,\n"
	"RGBA -> RGBA; a tRNS chunk adds alpha. layout g, ga, rgb and rgba "
	"convert (g: Rec. 709\n"
	"luma of the stored values; dropping alpha is a plain drop). "
	"depth=keep keeps 16-bit\n"
	"files 16-bit (G16..RGBA16, native-endian) and makes 1..8-bit files "
	"8-bit; depth=8\n"
	"rounds 16-bit samples (round(v / 257)); depth=16 widens 8-bit ones "
	"(v * 257).\n"
	"format=g8 .. rgba16 sets both layout and depth.\n"
	"Gamma, colour chunks and sBIT are not applied: samples are taken "
	"as stored. The\n"
	"metadata chunks go into the frame's metadata area: iCCP, eXIf, "
	"XMP (iTXt\n"
	"XML:com.adobe.xmp), tEXt, zTXt, iTXt (language, translated "
	"keyword), pHYs, gAMA,\n"
	"cHRM, sRGB; max_metadata bounds what they may cost.";

static bool png_sniff(const uint8_t *head, size_t size)
{
	static const uint8_t sig[8] = {137, 80, 78, 71, 13, 10, 26, 10};
	return size >= 8 && memcmp(head, sig, 8) == 0;
}

const fp_codec fp_codec_png = {
	.name = "png",
	.label = "PNG",
	.extensions = "png",
	.sniff = png_sniff,
	.decoder =
		{
			.params = fp_png_decode_params,
			.param_count = FP_PNG_DECODE_PARAMS,
			.config_size = sizeof(struct fp_png_decode_config),
			.formats = FP_FORMATS_ALL,
			.check = fp__png_decode_check,
			.shape = fp__png_decode_shape,
		},
	.probe = fp__png_probe,
	.decode = fp__png_decode,
	.encoder =
		{
			.params = fp_png_encode_params,
			.param_count = FP_PNG_ENCODE_PARAMS,
			.config_size = sizeof(struct fp_png_encode_config),
			.formats = FP_FORMATS_ALL,
		},
	.encode = fp__png_encode,
};

#if defined(FP_CODEC_STAGE_DECODE)
#include "stage.h"
FP_CODEC_DECODE_STAGE(fp_codec_png, "png_decode",
		      "decode PNG input files (libpng) into 8- or 16-bit "
		      "frames with their metadata",
		      fp_png_decode_params, struct fp_png_decode_config,
		      fp_png_decode_description);
#elif defined(FP_CODEC_STAGE_ENCODE)
#include "stage.h"
FP_CODEC_ENCODE_STAGE(fp_codec_png, "png_encode", ".png",
		      "write frames as PNG files (libpng), 8 or 16 bits, with "
		      "their metadata, atomically",
		      fp_png_encode_params, struct fp_png_encode_config,
		      FP_FORMATS_ALL, fp_png_encode_description);
#endif
