/* libFuzzer target: the TIFF decode path, through tiff_decode's own code
 * (the stage's descriptor, its default limits: the hand-walked IFD chain,
 * libtiff through our I/O) on a slot of 16 MiB with a 64 KiB metadata
 * area. Any crash, sanitizer report or leak is a bug. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "framepipe/stage.h"
#include "params.h"

extern const fp_stage_descriptor framepipe_stage;

#define SLOT ((size_t)16 << 20)
#define META ((uint32_t)64 << 10)

static char path[64];

static void remove_input(void)
{
	(void)unlink(path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static void *state;
	static uint8_t *pixels;
	static fp_meta *meta;
	static char error[512];
	if (state == NULL) {
		char err[256];
		snprintf(path, sizeof path, "/tmp/fp_fuzz_tiff_%d.tif",
			 (int)getpid());
		atexit(remove_input);
		void *cfg = fp__params_new(&framepipe_stage, err, sizeof err);
		pixels = malloc(SLOT);
		meta = malloc(sizeof(fp_meta) + META);
		if (cfg == NULL || pixels == NULL || meta == NULL ||
		    framepipe_stage.init(&state, cfg, NULL, err, sizeof err) !=
			    0)
			abort();
	}
	FILE *f = fopen(path, "wb");
	if (f == NULL || fwrite(data, 1, size, f) != size || fclose(f) != 0)
		abort();
	{
		meta->capacity = META;
		meta->used = 0;
		fp_frame out = {
			.pixels = pixels,
			.capacity = SLOT,
			.input_path = path,
			.error = error,
			.error_size = sizeof error,
			.meta = meta,
		};
		int rc = framepipe_stage.process(state, NULL, &out);
		/* A decoded frame lies inside its slot; the area is sound. */
		if (rc == 0 &&
		    ((uint64_t)out.stride * out.height > out.capacity ||
		     out.width == 0 || out.height == 0 ||
		     (uint64_t)out.width * 8 < out.stride ||
		     meta->used > meta->capacity))
			abort();
	}
	return 0;
}
