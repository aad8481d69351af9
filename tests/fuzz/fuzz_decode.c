/* libFuzzer target for one decoder stage: the stage's own code (its
 * descriptor, framepipe_stage, compiled into the target with its codec and
 * instrumented with it), with its default parameters, on a slot of 16 MiB
 * with a 1 MiB metadata area (the [pipeline] defaults' area). Each input is
 * written to a file named with FP_FUZZ_EXTENSION (".png") and decoded at
 * full size, then, when FP_FUZZ_HINT is not 0, once more with a shrink hint
 * of FP_FUZZ_HINT x FP_FUZZ_HINT (the codec's scaled decode). Any crash,
 * sanitizer report or leak is a bug, and so is a decoded frame the stage
 * host would refuse (fp__frame_check), with rows wider than their pixels
 * (the codecs write tight rows) or an overfull metadata area.
 *
 * CMake (tests/fuzz): fp_add_decode_fuzz_target(NAME EXTENSION HINT
 * SOURCES...). */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "frame_check.h"
#include "framepipe/stage.h"
#include "params.h"

#ifndef FP_FUZZ_EXTENSION
#error "build with -DFP_FUZZ_EXTENSION=\".ext\" (fp_add_decode_fuzz_target)"
#endif
#ifndef FP_FUZZ_HINT
#define FP_FUZZ_HINT 0
#endif

#define SLOT ((size_t)16 << 20)
#define META ((uint32_t)1 << 20)

extern const fp_stage_descriptor framepipe_stage;

static char path[64];

static void remove_input(void)
{
	(void)unlink(path);
}

/* The stage, started once per process, and its slot. */
static void *state;
static uint8_t *pixels;
static fp_meta *meta;

static void start(void)
{
	char err[256];
	/* the input is rewritten for every run: in memory where there is a
	 * tmpfs (on a disk, writing it was 2/3 of the fuzzer's CPU time,
	 * system time) */
	const char *dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
	snprintf(path, sizeof path, "%s/fp_fuzz_%s_%d%s", dir,
		 framepipe_stage.name, (int)getpid(), FP_FUZZ_EXTENSION);
	atexit(remove_input);
	void *cfg = fp__params_new(&framepipe_stage, err, sizeof err);
	pixels = malloc(SLOT);
	meta = malloc(sizeof(fp_meta) + META);
	if (cfg == NULL || pixels == NULL || meta == NULL ||
	    framepipe_stage.init(&state, cfg, NULL, err, sizeof err) != 0)
		abort();
}

static void decode(uint32_t hint)
{
	static char error[512];
	meta->capacity = META;
	meta->used = 0;
	fp_frame out = {
		.pixels = pixels,
		.capacity = SLOT,
		.input_path = path,
		.error = error,
		.error_size = sizeof error,
		.meta = meta,
		.hint_width = hint,
		.hint_height = hint,
	};
	if (framepipe_stage.process(state, NULL, &out) != 0)
		return;
	char why[256];
	if (fp__frame_check(&out, why, sizeof why) != 0 ||
	    out.stride >
		    (uint64_t)out.width * fp_format_pixel_bytes(out.format) ||
	    meta->used > meta->capacity)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (state == NULL)
		start();
	FILE *f = fopen(path, "wb");
	if (f == NULL || fwrite(data, 1, size, f) != size || fclose(f) != 0)
		abort();
	decode(0);
	if (FP_FUZZ_HINT != 0)
		decode(FP_FUZZ_HINT);
	return 0;
}
