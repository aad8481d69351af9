/* libFuzzer target: the INI config reader and the one-line pipeline
 * parser, on the same bytes; round-trips what --print-config writes. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "oneline.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	char err[512];
	fp_config config;
	if (fp__config_parse_string(&config, "fuzz.ini", text, err,
				    sizeof err) == 0)
		fp__config_release(&config);
	if (fp__oneline_parse(&config, text, err, sizeof err) == 0) {
		FILE *sink = fopen("/dev/null", "w");
		if (sink != NULL) {
			fp__config_write_ini(&config, sink);
			fclose(sink);
		}
		fp__config_release(&config);
	}
	free(text);
	return 0;
}
