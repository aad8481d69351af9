/* Runs a libFuzzer target over files given on the command line, without
 * libFuzzer: how ctest replays the seed corpus and every input that ever
 * crashed (tests/fuzz/regressions/) in ordinary and sanitizer builds. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv)
{
	int ran = 0;
	for (int i = 1; i < argc; i++) {
		FILE *f = fopen(argv[i], "rb");
		if (f == NULL)
			continue;
		uint8_t *buf = malloc(1 << 22);
		size_t n = buf ? fread(buf, 1, 1 << 22, f) : 0;
		fclose(f);
		LLVMFuzzerTestOneInput(buf, n);
		free(buf);
		ran++;
	}
	printf("%d inputs replayed\n", ran);
	return ran > 0 ? 0 : 1;
}
