/* icc_transform — convert RGB pixels from the frame's ICC profile (its
 * FP_META_ICC entry, sRGB when it has none) to a target profile with
 * Little CMS, in place; the frame then carries the target's profile
 * (FP_META_ICC, key "": a file target's own bytes, the built-in sRGB as
 * lcms2 writes it). RGB8, RGBA8, RGB16, RGBA16; alpha is copied.
 * The transform is kept while the source profile's bytes and the format
 * stay the same, so a batch with one profile builds it once. */
#include <framepipe/stage.h>
#include <errno.h>
#include <lcms2.h>
#include <stdlib.h>
#include <string.h>

/* A target profile file larger than this is refused. */
#define MAX_PROFILE ((size_t)64 << 20)

typedef struct icc_config {
	const char *to;
	int intent;
	bool bpc;
} icc_config;

typedef struct icc_state {
	cmsHPROFILE target;
	uint8_t *target_bytes;
	cmsUInt32Number target_size;
	cmsUInt32Number flags;
	int intent;
	/* The cached transform and what it was built for. */
	cmsHTRANSFORM xf;
	fp_format xf_format;
	uint8_t *src_bytes; /* NULL: the built-in sRGB */
	size_t src_size;
} icc_state;

static const fp_param params[] = {
	FP_PARAM_STRING_(icc_config, to, "srgb",
			 "target profile: srgb (built in) or an .icc file"),
	FP_PARAM_CHOICE_(icc_config, intent, "relative",
			 "perceptual|relative|saturation|absolute",
			 "rendering intent"),
	FP_PARAM_BOOL_(icc_config, bpc, "false", "black point compensation"),
};

/* The choices' order is lcms2's INTENT_* numbering. */
static const cmsUInt32Number intents[] = {
	INTENT_PERCEPTUAL, INTENT_RELATIVE_COLORIMETRIC, INTENT_SATURATION,
	INTENT_ABSOLUTE_COLORIMETRIC};

static bool is_srgb_name(const char *to)
{
	return strcmp(to, "srgb") == 0 || strcmp(to, "sRGB") == 0;
}

/* Open the target profile; NULL with err set when it cannot be used.
 * With bytes, a file's bytes are kept there (the caller frees them). */
static cmsHPROFILE open_target(const char *to, uint8_t **bytes, size_t *nbytes,
			       char *err, size_t err_size)
{
	if (is_srgb_name(to))
		return cmsCreate_sRGBProfile();
	/* Read it whole: lcms2 reads a profile opened from a file lazily,
	 * and closes the file itself. */
	FILE *f = fopen(to, "rb");
	if (f == NULL) {
		snprintf(err, err_size, "to: %s: %s", to, strerror(errno));
		return NULL;
	}
	uint8_t *buf = NULL;
	size_t size = 0, cap = 0;
	for (;;) {
		if (size == cap) {
			if (cap >= MAX_PROFILE)
				break;
			cap = cap == 0 ? 65536 : cap * 2;
			uint8_t *grown = realloc(buf, cap);
			if (grown == NULL)
				break;
			buf = grown;
		}
		size_t n = fread(buf + size, 1, cap - size, f);
		size += n;
		if (n == 0)
			break;
	}
	bool bad = ferror(f) != 0;
	bool big = size == cap;
	fclose(f);
	cmsHPROFILE copy = NULL;
	if (!bad && !big)
		copy = cmsOpenProfileFromMem(buf, (cmsUInt32Number)size);
	if (copy != NULL && bytes != NULL) {
		*bytes = buf;
		*nbytes = size;
		buf = NULL;
	}
	free(buf);
	if (copy == NULL) {
		snprintf(err, err_size, "to: %s: %s", to,
			 bad   ? "cannot be read"
			 : big ? "larger than 64 MiB, not a profile"
			       : "not a valid ICC profile");
		return NULL;
	}
	if (cmsGetColorSpace(copy) != cmsSigRgbData) {
		cmsCloseProfile(copy);
		snprintf(err, err_size,
			 "to: %s: not an RGB profile (only RGB is supported)",
			 to);
		return NULL;
	}
	return copy;
}

static int icc_check(const void *config, char *err, size_t err_size)
{
	const icc_config *c = config;
	cmsHPROFILE p = open_target(c->to, NULL, NULL, err, err_size);
	if (p == NULL)
		return FP_EPARAM;
	cmsCloseProfile(p);
	return 0;
}

static void icc_fini(void *state)
{
	icc_state *s = state;
	if (s == NULL)
		return;
	if (s->xf != NULL)
		cmsDeleteTransform(s->xf);
	if (s->target != NULL)
		cmsCloseProfile(s->target);
	free(s->target_bytes);
	free(s->src_bytes);
	free(s);
}

static int icc_init(void **state, const void *config, const fp_stage_env *env,
		    char *err, size_t err_size)
{
	(void)env;
	const icc_config *c = config;
	icc_state *s = calloc(1, sizeof *s);
	if (s == NULL) {
		snprintf(err, err_size, "out of memory");
		return -ENOMEM;
	}
	size_t size = 0;
	s->target = open_target(c->to, &s->target_bytes, &size, err, err_size);
	if (s->target == NULL) {
		icc_fini(s);
		return FP_EPARAM;
	}
	s->target_size = (cmsUInt32Number)size;
	/* The built-in sRGB's bytes as lcms2 writes them; a file's as is. */
	if (s->target_bytes == NULL &&
	    (!cmsSaveProfileToMem(s->target, NULL, &s->target_size) ||
	     (s->target_bytes = malloc(s->target_size)) == NULL ||
	     !cmsSaveProfileToMem(s->target, s->target_bytes,
				  &s->target_size))) {
		snprintf(err, err_size, "to: %s: cannot serialise the profile",
			 c->to);
		icc_fini(s);
		return FP_EPARAM;
	}
	s->intent = c->intent;
	s->flags = cmsFLAGS_COPY_ALPHA |
		   (c->bpc ? cmsFLAGS_BLACKPOINTCOMPENSATION : 0u);
	*state = s;
	return 0;
}

static cmsUInt32Number lcms_type(fp_format f)
{
	switch (f) {
	case FP_FORMAT_RGB8: return TYPE_RGB_8;
	case FP_FORMAT_RGBA8: return TYPE_RGBA_8;
	case FP_FORMAT_RGB16: return TYPE_RGB_16;
	case FP_FORMAT_RGBA16: return TYPE_RGBA_16;
	default: return 0;
	}
}

/* Make s->xf the transform from src (NULL: sRGB) for this format,
 * rebuilding it only when either changed. */
static int ensure_transform(icc_state *s, fp_frame *in, const void *src,
			    size_t src_size)
{
	if (s->xf != NULL && s->xf_format == in->format &&
	    (src == NULL ? s->src_bytes == NULL
			 : (s->src_bytes != NULL && s->src_size == src_size &&
			    memcmp(s->src_bytes, src, src_size) == 0)))
		return 0;
	if (s->xf != NULL)
		cmsDeleteTransform(s->xf);
	s->xf = NULL;
	free(s->src_bytes);
	s->src_bytes = NULL;
	s->src_size = 0;

	cmsHPROFILE from =
		src == NULL
			? cmsCreate_sRGBProfile()
			: cmsOpenProfileFromMem(src, (cmsUInt32Number)src_size);
	if (from == NULL)
		return fp_frame_fail(in, FP_ECORRUPT,
				     "ICC profile (%zu bytes) is not valid",
				     src_size);
	if (cmsGetColorSpace(from) != cmsSigRgbData) {
		cmsCloseProfile(from);
		return fp_frame_fail(in, FP_EFORMAT,
				     "ICC profile is not an RGB profile, the "
				     "frame is %s",
				     fp_format_name(in->format));
	}
	cmsUInt32Number type = lcms_type(in->format);
	/* At 16 bits lcms2 would otherwise resample the pipeline into a
	 * CLUT, which errs by up to 6% where colours leave the target's
	 * gamut; evaluating it per pixel matches ImageMagick there. (At 8
	 * bits its matrix-shaper fast path is exact to the level.) */
	cmsUInt32Number flags = s->flags;
	if (fp_format_sample_bytes(in->format) == 2)
		flags |= cmsFLAGS_NOOPTIMIZE;
	s->xf = cmsCreateTransform(from, type, s->target, type,
				   intents[s->intent], flags);
	cmsCloseProfile(from);
	if (s->xf == NULL)
		return fp_frame_fail(in, FP_ECORRUPT,
				     "cannot build a transform from the "
				     "frame's ICC profile to the target");
	if (src != NULL) {
		s->src_bytes = malloc(src_size);
		if (s->src_bytes == NULL) {
			cmsDeleteTransform(s->xf);
			s->xf = NULL;
			return fp_frame_fail(in, -ENOMEM, "out of memory");
		}
		memcpy(s->src_bytes, src, src_size);
		s->src_size = src_size;
	}
	s->xf_format = in->format;
	return 0;
}

static int icc_process(void *state, fp_frame *in, fp_frame *out)
{
	(void)out;
	icc_state *s = state;
	if (lcms_type(in->format) == 0)
		return fp_frame_fail(in, FP_EFORMAT, "cannot handle %s",
				     fp_format_name(in->format));
	if (in->meta == NULL)
		return fp_frame_fail(in, FP_ENOFIT,
				     "no metadata area to carry the target "
				     "profile");
	const fp_meta_entry *e = fp_meta_find(in->meta, FP_META_ICC, NULL);
	int rc = ensure_transform(s, in, e == NULL ? NULL : fp_meta_value(e),
				  e == NULL ? 0 : e->value_size);
	if (rc != 0)
		return rc;
	/* Input and output are the same buffer: lcms2 allows it when both
	 * formats are the same. */
	cmsDoTransformLineStride(s->xf, in->pixels, in->pixels, in->width,
				 in->height, in->stride, in->stride, 0, 0);
	fp_meta_remove(in->meta, FP_META_ICC, NULL);
	if (fp_meta_add(in->meta, FP_META_ICC, 0, "", s->target_bytes,
			s->target_size) != 0)
		return fp_frame_fail(
			in, FP_ENOFIT,
			"target ICC profile (%u bytes) does not "
			"fit the metadata area (%u bytes free)",
			(unsigned)s->target_size,
			(unsigned)(in->meta->capacity - in->meta->used));
	return 0;
}

FP_STAGE_EXPORT = {
	FP_STAGE_HEADER,
	.name = "icc_transform",
	.summary = "convert RGB from the frame's ICC profile (sRGB if none) "
		   "to a target profile with Little CMS (in place)",
	.description =
		"The source profile is the frame's ICC profile (as decoders "
		"carry it), or sRGB\n"
		"when it has none; `to` is srgb (lcms2's built-in) or the path "
		"of an RGB .icc\n"
		"file, opened before the run. The output carries the target "
		"profile.\n"
		"RGB8, RGBA8, RGB16, RGBA16 (alpha copied, depth kept); gray "
		"formats are refused\n"
		"(convert to RGB first). The transform is rebuilt only when "
		"the source profile\n"
		"or the format changes.",
	.kind = FP_STAGE_FILTER,
	.formats = FP_FORMAT_BIT(FP_FORMAT_RGB8) |
		   FP_FORMAT_BIT(FP_FORMAT_RGBA8) |
		   FP_FORMAT_BIT(FP_FORMAT_RGB16) |
		   FP_FORMAT_BIT(FP_FORMAT_RGBA16),
	.params = params,
	.param_count = FP_COUNT_OF(params),
	.config_size = sizeof(icc_config),
	.check = icc_check,
	.init = icc_init,
	.process = icc_process,
	.fini = icc_fini,
};
