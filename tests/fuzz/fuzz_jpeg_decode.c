/* libFuzzer target: the JPEG decode path, through jpeg_decode's own code with
 * its default limits (linked in, run through framepipe::testing), on a
 * slot of 16 MiB. Any crash, sanitizer report or leak is a bug. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "framepipe/testing.h"

extern const fp_stage_descriptor framepipe_stage;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static fp_harness *h;
	static char path[64];
	if (h == NULL) {
		snprintf(path, sizeof path, "/tmp/fp_fuzz_jpeg_%d.jpg",
			 (int)getpid());
		h = fp_harness_new_linked(&framepipe_stage);
		if (h == NULL)
			abort();
		fp_harness_set_capacity(h, (size_t)16 << 20);
		static const char *inputs[1];
		inputs[0] = path;
		if (fp_harness_start(h, inputs, 1, NULL) != 0)
			abort();
	}
	FILE *f = fopen(path, "wb");
	if (f == NULL || fwrite(data, 1, size, f) != size || fclose(f) != 0)
		abort();
	fp_frame out;
	int rc = fp_harness_source(h, 0, &out);
	/* A decoded frame must lie inside the slot it was given. */
	if (rc == 0 && ((uint64_t)out.stride * out.height > out.capacity ||
			out.width == 0 || out.height == 0))
		abort();
	return 0;
}
