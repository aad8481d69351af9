/* filters_vips.c — libvips's equivalent of each bench_filters row, for the
 * side-by-side column (built only where libvips-dev is installed; the bench
 * is never a test). One thread (vips_concurrency_set(1)), no operation
 * cache, the same frame wrapped without a copy
 * (vips_image_new_from_memory), the result written into a memory image
 * (whose pages are reused from run to run): what is timed is vips's own
 * pass over the pixels, best of the runs like ours.
 *
 * The operations are the closest libvips has, not always the same
 * arithmetic: grayscale is colourspace b-w (through XYZ, not a weighted
 * sum of the stored samples), sharpen is vips_sharpen (on L* of Lab),
 * gaussblur keeps vips's default min_ampl 0.2 (a shorter kernel than our
 * 4 sigma), levels and brightness_contrast are linear + cast, transpose
 * is rot90 + flip. */
#include "filters_vips.h"

#include <malloc.h>
#include <stdio.h>
#include <string.h>

#include <vips/vips.h>

static int lut_gamma(VipsImage *in, VipsImage **out)
{
	/* our gamma 2.2 is v^(1/2.2); vips_gamma's exponent is applied as
	 * v^(1/exponent) on the 0..255 scale */
	return vips_gamma(in, out, "exponent", 2.2, NULL);
}

static int linear_cast(VipsImage *in, VipsImage **out, double a, double b)
{
	VipsImage *t;
	if (vips_linear1(in, &t, a, b, "uchar", TRUE, NULL))
		return -1;
	*out = t;
	return 0;
}

static int op(const char *stage, const char *desc, VipsImage *in,
	      VipsImage **out)
{
	bool wide = in->BandFmt == VIPS_FORMAT_USHORT;
	double top = wide ? 65535 : 255;
	if (strcmp(stage, "passthrough") == 0)
		return vips_copy(in, out, NULL);
	if (strcmp(stage, "invert") == 0)
		return vips_invert(in, out, NULL);
	if (strcmp(stage, "grayscale") == 0)
		return vips_colourspace(in, out, VIPS_INTERPRETATION_B_W, NULL);
	if (strcmp(stage, "brightness_contrast") == 0)
		return linear_cast(in, out, 1.2, -0.1 * top);
	if (strcmp(stage, "gamma") == 0)
		return lut_gamma(in, out);
	if (strcmp(stage, "levels") == 0)
		return linear_cast(in, out, 255.0 / 230, -10 * 255.0 / 230);
	if (strcmp(stage, "threshold") == 0)
		return vips_moreeq_const1(in, out, top / 2, NULL);
	if (strcmp(stage, "channel_mixer") == 0) {
		VipsImage *m = vips_image_new_matrixv(3, 3, 0.393, 0.769, 0.189,
						      0.349, 0.686, 0.168,
						      0.272, 0.534, 0.131);
		VipsImage *t;
		int rc = vips_recomb(in, &t, m, NULL);
		g_object_unref(m);
		if (rc)
			return rc;
		rc = vips_cast(t, out, in->BandFmt, NULL);
		g_object_unref(t);
		return rc;
	}
	if (strcmp(stage, "flip") == 0)
		return vips_flip(in, out,
				 strstr(desc, "horizontal")
					 ? VIPS_DIRECTION_HORIZONTAL
					 : VIPS_DIRECTION_VERTICAL,
				 NULL);
	if (strcmp(stage, "crop") == 0)
		return vips_crop(in, out, 100, 100, 3000, 2000, NULL);
	if (strcmp(stage, "rotate") == 0)
		return vips_rot(in, out, VIPS_ANGLE_D90, NULL);
	if (strcmp(stage, "transpose") == 0) {
		VipsImage *t;
		if (vips_rot(in, &t, VIPS_ANGLE_D90, NULL))
			return -1;
		int rc = vips_flip(t, out, VIPS_DIRECTION_HORIZONTAL, NULL);
		g_object_unref(t);
		return rc;
	}
	if (strcmp(stage, "pad") == 0)
		return vips_embed(in, out, 50, 50, 4100, 3100, NULL);
	if (strcmp(stage, "resize") == 0) {
		VipsKernel k = strstr(desc, "bilinear") ? VIPS_KERNEL_LINEAR
							: VIPS_KERNEL_LANCZOS3;
		double scale =
			strstr(desc, "width=256") ? 256.0 / in->Xsize : 0.5;
		return vips_resize(in, out, scale, "kernel", k, NULL);
	}
	if (strcmp(stage, "blur") == 0)
		return vips_gaussblur(in, out, 2.0, NULL);
	if (strcmp(stage, "sharpen") == 0)
		return vips_sharpen(in, out, "sigma", 1.0, NULL);
	if (strcmp(stage, "convolve") == 0) {
		VipsImage *m = vips_image_new_matrixv(
			3, 3, 0.0, -1.0, 0.0, -1.0, 5.0, -1.0, 0.0, -1.0, 0.0);
		int rc = vips_conv(in, out, m, "precision",
				   VIPS_PRECISION_INTEGER, NULL);
		g_object_unref(m);
		return rc;
	}
	if (strcmp(stage, "median") == 0)
		return vips_median(in, out, 3, NULL);
	return 1; /* no equivalent */
}

int fp_bench_vips_init(const char *argv0)
{
	if (VIPS_INIT(argv0))
		return -1;
	vips_concurrency_set(1);
	vips_cache_set_max(0);
	/* keep freed output buffers in the heap: the best run reuses pages
	 * that are already mapped, as the harness's buffers are */
	mallopt(M_MMAP_THRESHOLD, 1 << 30);
	mallopt(M_TRIM_THRESHOLD, 1 << 30);
	return 0;
}

double fp_bench_vips(const char *stage, const char *desc, void *pixels,
		     int width, int height, int bands, bool wide, int runs,
		     double (*now)(void))
{
	size_t bytes = (size_t)width * height * bands * (wide ? 2 : 1);
	double best = -1;
	for (int r = 0; r < runs; r++) {
		VipsImage *in = vips_image_new_from_memory(
			pixels, bytes, width, height, bands,
			wide ? VIPS_FORMAT_USHORT : VIPS_FORMAT_UCHAR);
		if (in == NULL)
			return -1;
		in->Type = wide ? VIPS_INTERPRETATION_RGB16
				: VIPS_INTERPRETATION_sRGB;
		VipsImage *out = NULL;
		double t0 = now();
		int rc = op(stage, desc, in, &out);
		VipsImage *mem = rc == 0 ? vips_image_new_memory() : NULL;
		if (mem != NULL && vips_image_write(out, mem) != 0)
			rc = -1;
		double t = now() - t0;
		if (mem != NULL)
			g_object_unref(mem);
		if (out != NULL)
			g_object_unref(out);
		g_object_unref(in);
		if (rc != 0) {
			if (rc < 0)
				fprintf(stderr, "vips %s: %s\n", stage,
					vips_error_buffer());
			vips_error_clear();
			return -1;
		}
		best = best < 0 || t < best ? t : best;
	}
	return best;
}
