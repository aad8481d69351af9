/* checksum_sink — one line per frame: input index, a 64-bit FNV-1a hash of
 * its pixels (row bytes only, not stride padding), size and format.
 * Lines are appended to `file` with one write() each, so several instances
 * can share the file; sort it to compare runs. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <framepipe/stage.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct checksum_config {
	const char *file;
} checksum_config;

static const fp_param params[] = {
	FP_PARAM_STRING_(checksum_config, file, NULL,
			 "file the lines are appended to (required)"),
};

typedef struct checksum_state {
	int fd;
} checksum_state;

static int checksum_init(void **state, const void *config,
			 const fp_stage_env *env, char *err, size_t err_size)
{
	(void)env;
	const checksum_config *c = config;
	if (c->file == NULL || c->file[0] == '\0') {
		snprintf(err, err_size, "parameter file is required");
		return FP_EPARAM;
	}
	checksum_state *s = malloc(sizeof *s);
	if (s == NULL)
		return -ENOMEM;
	s->fd = open(c->file, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (s->fd < 0) {
		int e = errno;
		snprintf(err, err_size, "%s: %s", c->file, strerror(e));
		free(s);
		return -e;
	}
	*state = s;
	return 0;
}

static uint64_t hash_pixels(const fp_frame *f)
{
	uint64_t h = 0xcbf29ce484222325ull;
	size_t row_bytes = (size_t)f->width * fp_format_pixel_bytes(f->format);
	for (uint32_t y = 0; y < f->height; y++) {
		const uint8_t *row = f->pixels + (size_t)y * f->stride;
		for (size_t i = 0; i < row_bytes; i++)
			h = (h ^ row[i]) * 0x100000001b3ull;
	}
	return h;
}

static int checksum_process(void *state, fp_frame *in, fp_frame *out)
{
	(void)out;
	const checksum_state *s = state;
	char line[128];
	int n = snprintf(line, sizeof line,
			 "%" PRIu32 " %016" PRIx64 " %ux%u %s\n",
			 in->input_index, hash_pixels(in), in->width,
			 in->height, fp_format_name(in->format));
	if (write(s->fd, line, (size_t)n) != n)
		return fp_frame_fail(in, FP_EIO,
				     "cannot append to the "
				     "checksum file: %s",
				     strerror(errno));
	return 0;
}

static void checksum_fini(void *state)
{
	checksum_state *s = state;
	if (s == NULL)
		return;
	close(s->fd);
	free(s);
}

FP_STAGE_EXPORT = {
	FP_STAGE_HEADER,
	.name = "checksum_sink",
	.summary = "append 'index hash WxH format' per frame to a file",
	.kind = FP_STAGE_SINK,
	.formats = FP_FORMATS_ALL,
	.params = params,
	.param_count = FP_COUNT_OF(params),
	.config_size = sizeof(checksum_config),
	.init = checksum_init,
	.process = checksum_process,
	.fini = checksum_fini,
};
