/* bench_filters — megapixels per second of each filter stage on a 12 MP
 * (4000x3000) RGB8 frame, in-process through framepipe::testing (no
 * pipeline, no pool, one core). Each figure is the best of a few runs
 * (first argument: how many, default 3); the harness's copy of the input
 * into its buffer (the passthrough row) is subtracted from the others.
 * A second argument 16 runs the same on an RGB16 frame. On a loaded
 * machine FP_BENCH_CPU=1 measures the process's CPU time instead of the
 * wall clock (steadier when other work shares the cores). The last
 * column is a checksum of each output (FNV-1a over its geometry and rows):
 * two builds that print the same one wrote the same bytes.
 *
 *   build/bin/bench_filters [RUNS [16]]          (needs the built stages)
 *   FRAMEPIPE_PLUGIN_PATH=build/lib/framepipe/stages build/.../bench_filters
 *   FP_BENCH_ONLY=blur,median build/bin/bench_filters    (those stages and
 *                                                  passthrough only)
 * To compare with another build, run that build's bench_filters (it
 * loads the stages beside it): the checksums show whether they agree.
 *
 * Where libvips-dev was found at configure time, each row also times
 * libvips's equivalent on the same frame, one thread (filters_vips.c),
 * and prints it beside ours with the ratio (vips time / ours).
 */
#define _POSIX_C_SOURCE 200809L
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "framepipe/testing.h"

#ifdef FP_BENCH_VIPS
#include "filters_vips.h"
#endif

#define W 4000
#define H 3000

static clockid_t clock_id = CLOCK_MONOTONIC;

static double now(void)
{
	struct timespec ts;
	clock_gettime(clock_id, &ts);
	return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* FNV-1a, 64 bits, over the frame's geometry and its rows (not the
 * padding past width). */
static uint64_t checksum(const fp_frame *f)
{
	uint64_t h = 14695981039346656037ull;
	uint32_t head[3] = {f->width, f->height, (uint32_t)f->format};
	const uint8_t *p = (const uint8_t *)head;
	for (size_t i = 0; i < sizeof head; i++)
		h = (h ^ p[i]) * 1099511628211ull;
	size_t row = (size_t)f->width * fp_format_pixel_bytes(f->format);
	for (uint32_t y = 0; y < f->height; y++) {
		p = f->pixels + (size_t)y * f->stride;
		for (size_t i = 0; i < row; i++)
			h = (h ^ p[i]) * 1099511628211ull;
	}
	return h;
}

/* Whether name is one of the comma-separated names of list. */
static bool listed(const char *list, const char *name)
{
	size_t n = strlen(name);
	for (const char *p = list; *p;) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (len == n && strncmp(p, name, n) == 0)
			return true;
		p += len + (end != NULL);
	}
	return false;
}

struct bench {
	const char *stage;
	const char *params[10]; /* name, value pairs, NULL-terminated */
};

static const struct bench benches[] = {
	{"passthrough", {NULL}},
	{"invert", {NULL}},
	{"grayscale", {NULL}},
	{"brightness_contrast", {"contrast", "1.2", NULL}},
	{"gamma", {"gamma", "2.2", NULL}},
	{"levels", {"in_black", "10", "in_white", "240", NULL}},
	{"threshold", {NULL}},
	{"channel_mixer", {"preset", "sepia", NULL}},
	{"flip", {"direction", "horizontal", NULL}},
	{"flip", {"direction", "vertical", NULL}},
	{"crop",
	 {"x", "100", "y", "100", "width", "3000", "height", "2000", NULL}},
	{"rotate", {"degrees", "90", NULL}},
	{"transpose", {NULL}},
	{"pad", {"width", "4100", "height", "3100", NULL}},
	{"resize", {"scale", "0.5", "kernel", "lanczos3", NULL}},
	{"resize", {"scale", "0.5", "kernel", "bilinear", NULL}},
	{"resize", {"width", "256", "kernel", "lanczos3", NULL}},
	{"blur", {"sigma", "2", NULL}},
	{"sharpen", {"sigma", "1", NULL}},
	{"convolve", {"kernel", "0 -1 0 -1 5 -1 0 -1 0", NULL}},
	{"median", {"radius", "1", NULL}},
};

int main(int argc, char **argv)
{
	int runs = argc > 1 ? atoi(argv[1]) : 3;
	fp_frame in;
	memset(&in, 0, sizeof in);
	bool wide = argc > 2 && strcmp(argv[2], "16") == 0;
	const char *cpu = getenv("FP_BENCH_CPU");
	if (cpu != NULL && strcmp(cpu, "1") == 0)
		clock_id = CLOCK_PROCESS_CPUTIME_ID;
	unsigned bytes = wide ? 2 : 1;
	in.width = W;
	in.height = H;
	in.stride = W * 3 * bytes;
	in.format = wide ? FP_FORMAT_RGB16 : FP_FORMAT_RGB8;
	in.pixels = malloc((size_t)W * H * 3 * bytes);
	if (in.pixels == NULL)
		return 1;
	uint32_t s = 1;
	for (size_t i = 0; i < (size_t)W * H * 3; i++) {
		s = s * 1103515245u + 12345u;
		uint8_t v = (uint8_t)((i / 3 % W + i / (3 * W)) / 16 +
				      (s >> 28)); /* gradient + noise */
		if (!wide) {
			in.pixels[i] = v;
			continue;
		}
		uint16_t v16 = (uint16_t)(v * 257u ^ (s >> 20 & 0xff));
		memcpy(in.pixels + 2 * i, &v16, 2);
	}
	double copy = 0;
#ifdef FP_BENCH_VIPS
	bool vips = fp_bench_vips_init(argv[0]) == 0;
	printf("%-20s %-34s %8s %7s %8s %6s  %-16s\n", "stage", "parameters",
	       "ms", "MP/s", "vips ms", "ratio", "output checksum");
#else
	printf("%-20s %-34s %8s %7s  %-16s\n", "stage", "parameters", "ms",
	       "MP/s", "output checksum");
#endif
	for (size_t b = 0; b < sizeof benches / sizeof benches[0]; b++) {
		const struct bench *bn = &benches[b];
		const char *only = getenv("FP_BENCH_ONLY");
		if (b > 0 && only != NULL && !listed(only, bn->stage))
			continue;
		char path[4096];
		const char *dir = getenv("FP_BENCH_STAGES");
		if (dir != NULL)
			snprintf(path, sizeof path, "%s/%s.so", dir, bn->stage);
		fp_harness *h = fp_harness_new(dir ? path : bn->stage);
		if (h == NULL)
			return 1;
		/* room for pad's 4100x3100 at 16 bits (76 MB) */
		fp_harness_set_capacity(h, (size_t)128 << 20);
		char desc[64] = "";
		for (const char *const *p = bn->params; *p; p += 2) {
			if (fp_harness_set(h, p[0], p[1]) != 0) {
				fprintf(stderr, "%s\n", fp_harness_error(h));
				return 1;
			}
			size_t n = strlen(desc);
			snprintf(desc + n, sizeof desc - n, "%s%s=%s",
				 n ? " " : "", p[0], p[1]);
		}
		if (fp_harness_start(h, NULL, 0, NULL) != 0) {
			fprintf(stderr, "%s\n", fp_harness_error(h));
			return 1;
		}
		double best = 1e9;
		uint64_t sum = 0;
		for (int r = 0; r < runs; r++) {
			fp_frame out;
			double t0 = now();
			int rc = fp_harness_filter(h, &in, &out);
			double t = now() - t0;
			if (rc != 0) {
				fprintf(stderr, "%s: %s\n", bn->stage,
					fp_harness_error(h));
				return 1;
			}
			best = t < best ? t : best;
			if (r == 0)
				sum = checksum(&out);
		}
		/* the harness copies the input into its buffer first, as a
		 * pool slot would hold it: passthrough measures that copy */
		if (b == 0)
			copy = best;
		double net = b == 0 ? best : best - copy;
		if (net < 1e-6)
			net = 1e-6;
		printf("%-20s %-34s %8.1f %7.0f ", bn->stage, desc, net * 1e3,
		       W * H / net / 1e6);
#ifdef FP_BENCH_VIPS
		double v = vips ? fp_bench_vips(bn->stage, desc, in.pixels, W,
						H, 3, wide, runs, now)
				: -1;
		if (v > 0 && b > 0)
			printf("%8.1f %5.1fx ", v * 1e3, v / net);
		else if (v > 0)
			printf("%8.1f %6s ", v * 1e3, "");
		else
			printf("%8s %6s ", "-", "");
#endif
		printf(" %016llx\n", (unsigned long long)sum);
		fp_harness_free(h);
	}
	free(in.pixels);
	return 0;
}
