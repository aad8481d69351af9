/* webp_decode and webp_encode against libwebp's own tools: decodes equal
 * `dwebp -pam` (and `dwebp -scale` for shrink-on-load) byte for byte on
 * lossy, lossless and alpha files made with cwebp from tests/data; encodes
 * equal cwebp's bytes at the same settings and decode with dwebp; chunks
 * (webpmux) in and out; hostile files fail with one line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "codec_util.h"
#include "framepipe/testing.h"

#define SAMPLE DATA_DIR "/sample"

static char *dir; /* the scratch folder, files made once by setup */

/* What setup makes: name, source image, cwebp options. */
static const struct {
	const char *name;
	const char *source;
	const char *options;
	fp_format format;
} made[] = {
	{"lossy.webp", "chelsea.png", "-q 80", FP_FORMAT_RGB8},
	{"lossless.webp", "chelsea.png", "-lossless", FP_FORMAT_RGB8},
	{"gray.webp", "camera.png", "-q 60 -m 6", FP_FORMAT_RGB8},
	{"opaque.webp", "logo.png", "-q 70", FP_FORMAT_RGB8},
	{"alpha.webp", "@rgba.png", "-q 70", FP_FORMAT_RGBA8},
	{"alpha_q.webp", "@rgba.png", "-q 90 -alpha_q 40", FP_FORMAT_RGBA8},
	{"alpha_lossless.webp", "@rgba.png", "-lossless -exact",
	 FP_FORMAT_RGBA8},
};

/* "@name" is a file setup makes in the scratch folder, else a sample. */
static const char *source_path(const char *name)
{
	static char path[600];
	if (name[0] == '@')
		snprintf(path, sizeof path, "%s/%s", dir, name + 1);
	else
		snprintf(path, sizeof path, SAMPLE "/%s", name);
	return path;
}

static int setup(void **state)
{
	(void)state;
	dir = scratch_new("webp");
	/* The samples' RGBA logo is opaque: a photo with a real alpha ramp
	 * (0 on the left .. 255 on the right) stands in. */
	if (run("convert '" SAMPLE "/chelsea.png' -alpha set -channel A "
		"-fx 'i/(w-1)' +channel '%s'",
		scratch_path(dir, "rgba.png")) != 0)
		return -1;
	for (size_t i = 0; i < FP_COUNT_OF(made); i++)
		if (run("cwebp -quiet %s '%s' -o '%s'", made[i].options,
			source_path(made[i].source),
			scratch_path(dir, made[i].name)) != 0)
			return -1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	scratch_remove(dir);
	return 0;
}

/* f's pixels equal the PAM's (RGBA): all four channels, or RGB with the
 * PAM's alpha all 255 for an RGB8 frame. */
static bool equals_pam(const fp_frame *f, const pnm *p, char *why,
		       size_t why_size)
{
	unsigned ch = fp_format_channels(f->format);
	if (p->depth != 4 || p->width != f->width || p->height != f->height) {
		snprintf(why, why_size, "%ux%u vs PAM %ux%u depth %u", f->width,
			 f->height, p->width, p->height, p->depth);
		return false;
	}
	for (uint32_t y = 0; y < f->height; y++)
		for (uint32_t x = 0; x < f->width; x++) {
			const uint8_t *a = f->pixels + (size_t)y * f->stride +
					   (size_t)x * ch;
			const uint8_t *b =
				p->samples + ((size_t)y * p->width + x) * 4;
			for (unsigned c = 0; c < 4; c++) {
				unsigned va = c < ch ? a[c] : 255;
				if (va != b[c]) {
					snprintf(why, why_size,
						 "(%u, %u) channel %u: %u vs "
						 "dwebp %u",
						 x, y, c, va, b[c]);
					return false;
				}
			}
		}
	return true;
}

/* Decode through the real webp_decode stage (harness). */
static int stage_decode(fp_harness **h, const char *path, fp_frame *f)
{
	*h = fp_harness_new("webp_decode");
	assert_non_null(*h);
	static const char *inputs[1];
	inputs[0] = path;
	assert_int_equal(fp_harness_start(*h, inputs, 1, NULL), 0);
	return fp_harness_source(*h, 0, f);
}

static void test_decode_equals_dwebp(void **state)
{
	(void)state;
	for (size_t i = 0; i < FP_COUNT_OF(made); i++) {
		const char *webp = scratch_path(dir, made[i].name);
		const char *pam = scratch_path(dir, "ref.pam");
		assert_int_equal(
			run("dwebp -quiet '%s' -pam -o '%s'", webp, pam), 0);
		pnm ref;
		assert_true(pnm_read(pam, &ref));
		fp_harness *h;
		fp_frame f;
		int rc = stage_decode(&h, webp, &f);
		if (rc != 0)
			fail_msg("%s: %s", made[i].name, fp_harness_error(h));
		assert_int_equal(f.format, made[i].format);
		char why[200];
		if (!equals_pam(&f, &ref, why, sizeof why))
			fail_msg("%s differs from dwebp -pam: %s", made[i].name,
				 why);
		free(ref.file);
		fp_harness_free(h);
	}
}

static void test_probe_and_bound(void **state)
{
	(void)state;
	fp_harness *h = fp_harness_new("webp_decode");
	assert_non_null(h);
	const fp_stage_descriptor *d = fp_harness_descriptor(h);
	void *cfg = codec_config(&fp_codec_webp.decoder, NULL);
	fp_shape s;
	char err[256];
	assert_int_equal(d->probe(cfg, scratch_path(dir, "alpha.webp"), &s, err,
				  sizeof err),
			 0);
	assert_int_equal(s.width, 451);
	assert_int_equal(s.height, 300);
	assert_int_equal(s.formats, FP_FORMAT_BIT(FP_FORMAT_RGBA8));
	uint64_t bytes = 0;
	assert_int_equal(d->frame_bound(cfg, scratch_path(dir, "lossy.webp"),
					&bytes, err, sizeof err),
			 0);
	assert_int_equal(bytes, 451 * 300 * 3);
	assert_int_equal(d->frame_count(cfg, 7), 7);
	/* probe reads the header only: a file cut after it still probes */
	size_t n;
	uint8_t *data = slurp(scratch_path(dir, "lossy.webp"), &n);
	assert_non_null(data);
	assert_true(spit(scratch_path(dir, "notwebp.bin"), "GIF89a", 6));
	assert_int_equal(d->probe(cfg, scratch_path(dir, "notwebp.bin"), &s,
				  err, sizeof err),
			 FP_ECORRUPT);
	assert_true(one_line(err));
	free(data);
	free(cfg);
	fp_harness_free(h);
}

/* Shrink-on-load: the hint decodes with libwebp's scaler, like
 * `dwebp -scale W H`, at the smallest size not below the hint. */
static void test_scaled_decode(void **state)
{
	(void)state;
	static const struct {
		const char *file;
		uint32_t hint_w, hint_h, want_w, want_h;
	} cases[] = {
		{"lossy.webp", 200, 0, 200, 133}, /* 300 * 200 / 451 = 133.04 */
		{"lossy.webp", 0, 100, 150, 100}, /* 451 / 3 = 150.33 */
		{"lossy.webp", 200, 100, 200, 133}, /* the larger scale wins */
		{"lossless.webp", 64, 64, 96, 64},  /* 96.25 */
		{"alpha.webp", 100, 0, 100, 67},    /* 66.52 */
		{"lossy.webp", 451, 0, 451, 300},   /* no smaller: full size */
		{"lossy.webp", 1000, 1000, 451, 300},
	};
	fp_frame *f = test_frame_new(4 << 20, 0);
	for (size_t i = 0; i < FP_COUNT_OF(cases); i++) {
		const char *webp = scratch_path(dir, cases[i].file);
		int rc = codec_decode(&fp_codec_webp, NULL, webp,
				      cases[i].hint_w, cases[i].hint_h, f);
		if (rc != 0)
			fail_msg("%s: %s", cases[i].file, f->error);
		assert_int_equal(f->width, cases[i].want_w);
		assert_int_equal(f->height, cases[i].want_h);
		assert_true(f->width >= cases[i].hint_w || f->width == 451);
		const char *pam = scratch_path(dir, "scaled.pam");
		if (f->width == 451)
			assert_int_equal(run("dwebp -quiet '%s' -pam -o '%s'",
					     webp, pam),
					 0);
		else
			assert_int_equal(
				run("dwebp -quiet -scale %u %u '%s' -pam -o "
				    "'%s'",
				    f->width, f->height, webp, pam),
				0);
		pnm ref;
		assert_true(pnm_read(pam, &ref));
		char why[200];
		if (!equals_pam(f, &ref, why, sizeof why))
			fail_msg("%s at %ux%u differs from dwebp -scale: %s",
				 cases[i].file, f->width, f->height, why);
		free(ref.file);
	}
	test_frame_free(f);
}

/* resize width=W of f through the resize stage; a copy (free it). */
static fp_frame *resized(const fp_frame *f, const char *width)
{
	fp_harness *h = fp_harness_new("resize");
	assert_non_null(h);
	assert_int_equal(fp_harness_set(h, "width", width), 0);
	assert_int_equal(fp_harness_start(h, NULL, 0, NULL), 0);
	fp_frame out;
	if (fp_harness_filter(h, f, &out) != 0)
		fail_msg("resize: %s", fp_harness_error(h));
	fp_frame *copy = fp_testing_frame_copy(&out);
	fp_harness_free(h);
	return copy;
}

static double psnr(const fp_frame *a, const fp_frame *b)
{
	assert_int_equal(a->width, b->width);
	assert_int_equal(a->height, b->height);
	assert_int_equal(a->format, b->format);
	size_t n = (size_t)a->width * a->height * fp_format_channels(a->format);
	double se = 0;
	for (size_t i = 0; i < n; i++) {
		double d = (double)a->pixels[i] - b->pixels[i];
		se += d * d;
	}
	return se == 0 ? 99 : 10 * log10(255.0 * 255.0 * n / se);
}

/* Shrink-on-load then resize stays close to a full decode then the same
 * resize: at least 35 dB on the photo (the planner's hint for resize
 * width=100 is 100x100, so the file decodes at 150x100). */
static void test_scaled_decode_then_resize(void **state)
{
	(void)state;
	fp_frame *full = test_frame_new(4 << 20, 0);
	fp_frame *small = test_frame_new(4 << 20, 0);
	static const char *const files[] = {"lossy.webp", "lossless.webp",
					    "alpha.webp"};
	for (size_t i = 0; i < FP_COUNT_OF(files); i++) {
		const char *webp = scratch_path(dir, files[i]);
		assert_int_equal(
			codec_decode(&fp_codec_webp, NULL, webp, 0, 0, full),
			0);
		assert_int_equal(codec_decode(&fp_codec_webp, NULL, webp, 100,
					      100, small),
				 0);
		assert_int_equal(small->width, 150);
		fp_frame *a = resized(full, "100"), *b = resized(small, "100");
		double db = psnr(a, b);
		print_message("%s: shrink-on-load + resize vs full + resize: "
			      "%.1f dB\n",
			      files[i], db);
		assert_true(db >= 35);
		fp_testing_frame_free(a);
		fp_testing_frame_free(b);
	}
	test_frame_free(full);
	test_frame_free(small);
}

static void test_animation_first_frame(void **state)
{
	(void)state;
	const char *flop = scratch_path(dir, "flop.png");
	const char *anim = scratch_path(dir, "anim.webp");
	assert_int_equal(
		run("convert '" SAMPLE "/chelsea.png' -flop '%s'", flop), 0);
	assert_int_equal(run("img2webp -lossless '" SAMPLE
			     "/chelsea.png' '%s' -o '%s' >/dev/null 2>&1",
			     flop, anim),
			 0);
	/* The reference: the first frame alone, the still lossless file. */
	const char *pam = scratch_path(dir, "first.pam");
	assert_int_equal(run("dwebp -quiet '%s' -pam -o '%s'",
			     scratch_path(dir, "lossless.webp"), pam),
			 0);
	pnm ref;
	assert_true(pnm_read(pam, &ref));
	fp_harness *h;
	fp_frame f;
	int rc = stage_decode(&h, anim, &f);
	if (rc != 0)
		fail_msg("anim.webp: %s", fp_harness_error(h));
	assert_int_equal(f.width, 451);
	assert_int_equal(f.height, 300);
	char why[200];
	if (!equals_pam(&f, &ref, why, sizeof why))
		fail_msg("first frame differs from the still: %s", why);
	fp_harness_free(h);
	free(ref.file);
}

/* ---- metadata ------------------------------------------------------------ */

static const char icc[] = "not really an ICC profile, but bytes to keep";
static const char exif[] = "II*\0\x08\0\0\0\0\0\0\0\0\0";
static const char xmp[] = "<x:xmpmeta xmlns:x='adobe:ns:meta/'/>";

static bool entry_is(const fp_meta *m, fp_meta_kind kind, const void *value,
		     size_t size)
{
	const fp_meta_entry *e = fp_meta_find(m, kind, NULL);
	return e != NULL && e->value_size == size &&
	       memcmp(fp_meta_value(e), value, size) == 0;
}

/* webpmux -get KIND of path into a file; true when it has the bytes. */
static bool chunk_is(const char *path, const char *kind, const void *value,
		     size_t size)
{
	const char *out = scratch_path(dir, "chunk.bin");
	unlink(out);
	if (run("webpmux -get %s '%s' -o '%s' >/dev/null 2>&1", kind, path,
		out) != 0)
		return false;
	size_t n;
	uint8_t *got = slurp(out, &n);
	bool same = got != NULL && n == size && memcmp(got, value, n) == 0;
	free(got);
	return same;
}

static void test_metadata_in_and_out(void **state)
{
	(void)state;
	char with[600], out[600];
	snprintf(with, sizeof with, "%s/meta.webp", dir);
	snprintf(out, sizeof out, "%s/out.webp", dir);
	assert_true(spit(scratch_path(dir, "icc.bin"), icc, sizeof icc));
	/* EXIF as some writers store it, with JPEG's "Exif\0\0" prefix */
	char prefixed[6 + sizeof exif];
	memcpy(prefixed, "Exif\0\0", 6);
	memcpy(prefixed + 6, exif, sizeof exif);
	assert_true(
		spit(scratch_path(dir, "exif.bin"), prefixed, sizeof prefixed));
	assert_true(spit(scratch_path(dir, "xmp.bin"), xmp, sizeof xmp - 1));
	assert_int_equal(
		run("cd '%s' && webpmux -set icc icc.bin lossy.webp -o a.webp "
		    "&& webpmux -set exif exif.bin a.webp -o b.webp && "
		    "webpmux -set xmp xmp.bin b.webp -o meta.webp",
		    dir),
		0);

	fp_frame *f = test_frame_new(4 << 20, 64 << 10);
	assert_int_equal(codec_decode(&fp_codec_webp, NULL, with, 0, 0, f), 0);
	assert_true(entry_is(f->meta, FP_META_ICC, icc, sizeof icc));
	assert_true(entry_is(f->meta, FP_META_EXIF, exif, sizeof exif));
	assert_true(entry_is(f->meta, FP_META_XMP, xmp, sizeof xmp - 1));

	/* keep: all three; meta: the profile only; all: none */
	static const char *const keep[] = {"strip", "keep", NULL};
	assert_int_equal(codec_encode(&fp_codec_webp, keep, f, out), 0);
	assert_true(chunk_is(out, "icc", icc, sizeof icc));
	assert_true(chunk_is(out, "exif", exif, sizeof exif));
	assert_true(chunk_is(out, "xmp", xmp, sizeof xmp - 1));
	assert_int_equal(run("dwebp -quiet '%s' -o /dev/null", out), 0);
	static const char *const meta[] = {"strip", "meta", NULL};
	assert_int_equal(codec_encode(&fp_codec_webp, meta, f, out), 0);
	assert_true(chunk_is(out, "icc", icc, sizeof icc));
	assert_false(chunk_is(out, "exif", exif, sizeof exif));
	assert_false(chunk_is(out, "xmp", xmp, sizeof xmp - 1));
	static const char *const all[] = {"strip", "all", NULL};
	assert_int_equal(codec_encode(&fp_codec_webp, all, f, out), 0);
	assert_false(chunk_is(out, "icc", icc, sizeof icc));
	size_t n;
	uint8_t *bytes = slurp(out, &n);
	assert_non_null(bytes);
	assert_memory_equal(bytes + 12, "VP8 ", 4); /* a simple file */
	free(bytes);

	/* the animation's chunks too */
	assert_int_equal(run("cd '%s' && webpmux -set icc icc.bin anim.webp "
			     "-o anim_icc.webp",
			     dir),
			 0);
	assert_int_equal(codec_decode(&fp_codec_webp, NULL,
				      scratch_path(dir, "anim_icc.webp"), 0, 0,
				      f),
			 0);
	assert_true(entry_is(f->meta, FP_META_ICC, icc, sizeof icc));

	/* An area too small: one line naming what to raise. */
	fp_frame *small = test_frame_new(4 << 20, 32);
	assert_int_equal(codec_decode(&fp_codec_webp, NULL, with, 0, 0, small),
			 FP_ENOFIT);
	assert_true(one_line(small->error));
	assert_non_null(strstr(small->error, "metadata_size"));
	test_frame_free(small);
	/* No area at all (a 1.1 harness): decoded, nothing kept. */
	fp_frame *none = test_frame_new(4 << 20, 0);
	assert_int_equal(codec_decode(&fp_codec_webp, NULL, with, 0, 0, none),
			 0);
	assert_int_equal(codec_encode(&fp_codec_webp, keep, none, out), 0);
	assert_false(chunk_is(out, "icc", icc, sizeof icc));
	test_frame_free(none);
	test_frame_free(f);
}

/* ---- hostile files ------------------------------------------------------- */

static void put_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

/* Decode bytes written to a file; expect code and words in one line. */
static void expect_refused(const char *name, const void *bytes, size_t size,
			   const char *const *settings, int code,
			   const char *words)
{
	const char *path = scratch_path(dir, name);
	assert_true(spit(path, bytes, size));
	fp_frame *f = test_frame_new(4 << 20, 4096);
	int rc = codec_decode(&fp_codec_webp, settings, path, 0, 0, f);
	if (rc != code || !one_line(f->error) ||
	    strstr(f->error, words) == NULL)
		fail_msg("%s: got %d '%s', expected %d with '%s'", name, rc,
			 f->error, code, words);
	test_frame_free(f);
}

static void test_hostile_files(void **state)
{
	(void)state;
	size_t n;
	uint8_t *good = slurp(scratch_path(dir, "lossy.webp"), &n);
	assert_non_null(good);
	uint8_t *bad = malloc(n + 64);
	assert_non_null(bad);

	/* RIFF size past the end of the file */
	memcpy(bad, good, n);
	put_le32(bad + 4, (uint32_t)n + 1000);
	expect_refused("riff_past_end.webp", bad, n, NULL, FP_ECORRUPT,
		       "RIFF size says");
	/* cut in the middle: the RIFF size no longer matches */
	expect_refused("cut.webp", good, n / 2, NULL, FP_ECORRUPT, "truncated");
	/* cut, RIFF size made to agree: the VP8 chunk now overruns it */
	memcpy(bad, good, n / 2);
	put_le32(bad + 4, (uint32_t)(n / 2 - 8));
	expect_refused("cut_agreeing.webp", bad, n / 2, NULL, FP_ECORRUPT,
		       "corrupt");
	/* cut inside the RIFF header, empty, not a WebP */
	expect_refused("header_cut.webp", good, 10, NULL, FP_ECORRUPT,
		       "in the RIFF header");
	expect_refused("empty.webp", good, 0, NULL, FP_ECORRUPT, "empty");
	expect_refused("png.webp", "\x89PNG\r\n\x1a\n", 8, NULL, FP_ECORRUPT,
		       "not a WebP");
	memcpy(bad, good, n);
	memcpy(bad + 8, "AVI ", 4);
	expect_refused("avi.webp", bad, n, NULL, FP_ECORRUPT, "AVI");
	/* the bitstream after the headers destroyed */
	memcpy(bad, good, n);
	memset(bad + 40, 0xff, n - 40);
	expect_refused("garbage.webp", bad, n, NULL, FP_ECORRUPT, "corrupt");
	/* the limits, from the header */
	static const char *const narrow[] = {"max_width", "400", NULL};
	expect_refused("limit.webp", good, n, narrow, FP_ELIMIT,
		       "webp_decode.max_width=400");
	/* A lossless header claiming 16384 x 16384 (the format's largest),
	 * then nothing: refused by max_pixels before anything is read. */
	uint8_t huge[40] = "RIFF\0\0\0\0WEBPVP8L";
	put_le32(huge + 4, sizeof huge - 8);
	put_le32(huge + 16, sizeof huge - 20);
	huge[20] = 0x2f;
	uint32_t bits = 16383u | 16383u << 14; /* width-1, height-1, a=0, v=0 */
	put_le32(huge + 21, bits);
	expect_refused("huge.webp", huge, sizeof huge, NULL, FP_ELIMIT,
		       "16384x16384 exceeds webp_decode.max_pixels");
	/* a slot too small for the image */
	const char *path = scratch_path(dir, "lossy.webp");
	fp_frame *f = test_frame_new(1000, 0);
	assert_int_equal(codec_decode(&fp_codec_webp, NULL, path, 0, 0, f),
			 FP_ENOFIT);
	assert_true(one_line(f->error));
	assert_non_null(strstr(f->error, "slot_size"));
	test_frame_free(f);
	free(bad);
	free(good);
}

/* ---- encoding ------------------------------------------------------------ */

/* Decode a sample PNG with png_decode; the frame in *f (valid until the
 * harness is freed). */
static fp_harness *png_frame(const char *name, fp_frame *f)
{
	fp_harness *h = fp_harness_new("png_decode");
	assert_non_null(h);
	static char path[600];
	static const char *inputs[1];
	snprintf(path, sizeof path, "%s", source_path(name));
	inputs[0] = path;
	assert_int_equal(fp_harness_start(h, inputs, 1, NULL), 0);
	assert_int_equal(fp_harness_source(h, 0, f), 0);
	/* png_decode gives the file's metadata (chelsea.png: its profile
	 * and XMP); cwebp writes none by default (-metadata none). */
	fp_meta_clear(f->meta);
	return h;
}

/* Encode f with webp_encode (the stage) under settings into out. */
static void stage_encode(const fp_frame *f, const char *const *settings,
			 const char *out)
{
	fp_harness *h = fp_harness_new("webp_encode");
	assert_non_null(h);
	for (size_t i = 0; settings != NULL && settings[i] != NULL; i += 2)
		assert_int_equal(
			fp_harness_set(h, settings[i], settings[i + 1]), 0);
	assert_int_equal(fp_harness_start(h, NULL, 0, dir), 0);
	if (fp_harness_sink(h, f, out) != 0)
		fail_msg("%s: %s", out, fp_harness_error(h));
	fp_harness_free(h);
}

static bool same_file(const char *a, const char *b)
{
	size_t na, nb;
	uint8_t *da = slurp(a, &na), *db = slurp(b, &nb);
	bool same =
		da != NULL && db != NULL && na == nb && memcmp(da, db, na) == 0;
	free(da);
	free(db);
	return same;
}

/* Our bytes equal cwebp's at the same settings: the parameters map onto
 * libwebp's config as cwebp's options do. */
static void test_encode_equals_cwebp(void **state)
{
	(void)state;
	static const struct {
		const char *png;
		const char *cwebp;
		const char *settings[9];
	} cases[] = {
		{"chelsea.png", "", {NULL}},
		{"chelsea.png", "-q 90 -m 6", {"quality", "90", "effort", "6"}},
		{"chelsea.png", "-q 50 -m 0", {"quality", "50", "effort", "0"}},
		{"@rgba.png",
		 "-q 80 -alpha_q 50",
		 {"quality", "80", "alpha_quality", "50"}},
		{"chelsea.png", "-lossless", {"lossless", "true"}},
		{"@rgba.png",
		 "-lossless -exact",
		 {"lossless", "true", "exact", "true"}},
		{"chelsea.png",
		 "-lossless -near_lossless 40",
		 {"lossless", "true", "near_lossless", "40"}},
		{"camera.png", "-q 70", {"quality", "70"}},
		{"coins.png",
		 "-lossless -q 30 -m 2",
		 {"lossless", "true", "quality", "30", "effort", "2"}},
	};
	for (size_t i = 0; i < FP_COUNT_OF(cases); i++) {
		fp_frame f;
		fp_harness *png = png_frame(cases[i].png, &f);
		const char *ours = scratch_path(dir, "ours.webp");
		const char *theirs = scratch_path(dir, "theirs.webp");
		stage_encode(&f, cases[i].settings, ours);
		assert_int_equal(run("cwebp -quiet %s '%s' -o '%s'",
				     cases[i].cwebp, source_path(cases[i].png),
				     theirs),
				 0);
		if (!same_file(ours, theirs))
			fail_msg("%s with '%s': differs from cwebp's bytes",
				 cases[i].png, cases[i].cwebp);
		assert_int_equal(run("dwebp -quiet '%s' -o /dev/null", ours),
				 0);
		fp_harness_free(png);
	}
}

/* Lossless files decode (dwebp) to exactly the frame, in every format. */
static void test_lossless_round_trip(void **state)
{
	(void)state;
	static const char *const settings[] = {"lossless", "true", "exact",
					       "true", NULL};
	static const fp_format formats[] = {FP_FORMAT_G8, FP_FORMAT_GA8,
					    FP_FORMAT_RGB8, FP_FORMAT_RGBA8};
	for (size_t i = 0; i < FP_COUNT_OF(formats); i++) {
		fp_frame *f = fp_testing_frame_new(97, 61, formats[i]);
		fp_testing_frame_fill_pattern(f, FP_TESTING_NOISE,
					      (uint32_t)i + 1);
		const char *out = scratch_path(dir, "rt.webp");
		const char *pam = scratch_path(dir, "rt.pam");
		stage_encode(f, settings, out);
		assert_int_equal(
			run("dwebp -quiet '%s' -pam -o '%s'", out, pam), 0);
		pnm p;
		assert_true(pnm_read(pam, &p));
		unsigned ch = fp_format_channels(formats[i]);
		for (size_t k = 0; k < (size_t)97 * 61; k++) {
			const uint8_t *s = f->pixels + k * ch;
			const uint8_t *d = p.samples + k * 4;
			uint8_t want[4] = {s[0], s[0], s[0], 255};
			if (ch >= 3)
				memcpy(want, s, 3);
			if (ch == 2 || ch == 4)
				want[3] = s[ch - 1];
			if (memcmp(want, d, 4) != 0)
				fail_msg("%s: pixel %zu differs",
					 fp_format_name(formats[i]), k);
		}
		free(p.file);
		fp_testing_frame_free(f);
	}
}

static void test_encode_refusals(void **state)
{
	(void)state;
	char err[256];
	void *cfg = codec_config(
		&fp_codec_webp.encoder,
		(const char *const[]){"near_lossless", "50", NULL});
	assert_int_equal(fp_codec_webp.encoder.check(cfg, err, sizeof err),
			 FP_EPARAM);
	assert_true(one_line(err));
	assert_non_null(strstr(err, "lossless=true"));
	free(cfg);

	/* too wide for WebP; 16-bit; no half-written file is left */
	const char *out = scratch_path(dir, "refused.webp");
	fp_frame *wide = fp_testing_frame_new(16384, 1, FP_FORMAT_G8);
	assert_int_equal(codec_encode(&fp_codec_webp, NULL, wide, out),
			 FP_EGEOMETRY);
	assert_true(one_line(wide->error));
	fp_testing_frame_free(wide);
	fp_frame *deep = fp_testing_frame_new(8, 8, FP_FORMAT_RGB16);
	assert_int_equal(codec_encode(&fp_codec_webp, NULL, deep, out),
			 FP_EFORMAT);
	fp_testing_frame_free(deep);
	fp_frame *ok = fp_testing_frame_new(8, 8, FP_FORMAT_RGB8);
	assert_true(codec_encode(&fp_codec_webp, NULL, ok,
				 "/nonexistent-dir/x.webp") < 0);
	assert_true(one_line(ok->error));
	fp_testing_frame_free(ok);
	struct stat st;
	assert_int_not_equal(stat(out, &st), 0);
	assert_int_equal(
		run("ls -A '%s' | grep -c fp-tmp | grep -q '^0$'", dir), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode_equals_dwebp),
		cmocka_unit_test(test_probe_and_bound),
		cmocka_unit_test(test_scaled_decode),
		cmocka_unit_test(test_scaled_decode_then_resize),
		cmocka_unit_test(test_animation_first_frame),
		cmocka_unit_test(test_metadata_in_and_out),
		cmocka_unit_test(test_hostile_files),
		cmocka_unit_test(test_encode_equals_cwebp),
		cmocka_unit_test(test_lossless_round_trip),
		cmocka_unit_test(test_encode_refusals),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
