/* csv_stats — a sink that appends one CSV line per frame to `file`:
 *   input,width,height,format,mean0,mean1,mean2,mean3
 * (the mean of each channel, empty for channels the format lacks).
 *
 * An example of a sink plugin: it consumes frames and writes no image. The
 * same shape serves an uploader or a database writer. Each line is one
 * write() on an O_APPEND descriptor, so `workers = N` instances can share
 * the file; instance 0 writes the header when the file is empty. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <framepipe/stage.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct csv_config {
	const char *file;
	bool header;
} csv_config;

static const fp_param params[] = {
	FP_PARAM_STRING_(csv_config, file, NULL,
			 "CSV file the lines are appended to (required)"),
	FP_PARAM_BOOL_(csv_config, header, "true",
		       "write a header line when the file is empty"),
};

static const char HEADER[] = "input,width,height,format,mean0,mean1,mean2,"
			     "mean3\n";

typedef struct csv_state {
	int fd;
} csv_state;

static int csv_init(void **state, const void *config, const fp_stage_env *env,
		    char *err, size_t err_size)
{
	const csv_config *c = config;
	if (c->file == NULL || c->file[0] == '\0') {
		snprintf(err, err_size, "parameter file is required");
		return FP_EPARAM;
	}
	csv_state *s = malloc(sizeof *s);
	if (s == NULL)
		return -ENOMEM;
	s->fd = open(c->file, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	struct stat st;
	if (s->fd < 0 || fstat(s->fd, &st) != 0) {
		int e = errno;
		snprintf(err, err_size, "%s: %s", c->file, strerror(e));
		if (s->fd >= 0)
			close(s->fd);
		free(s);
		return -e;
	}
	if (c->header && env->instance == 0 && st.st_size == 0 &&
	    write(s->fd, HEADER, sizeof HEADER - 1) != sizeof HEADER - 1) {
		int e = errno;
		snprintf(err, err_size, "%s: %s", c->file, strerror(e));
		close(s->fd);
		free(s);
		return -e;
	}
	*state = s;
	return 0;
}

/* name as one CSV field: quoted, with quotes doubled, when it needs it. */
static size_t csv_field(char *dst, size_t size, const char *name)
{
	if (strpbrk(name, ",\"\n\r") == NULL) {
		int n = snprintf(dst, size, "%s", name);
		return n < 0 ? 0 : (size_t)n < size ? (size_t)n : size - 1;
	}
	size_t n = 0;
	if (n + 1 < size)
		dst[n++] = '"';
	for (const char *c = name; *c != '\0' && n + 3 < size; c++) {
		if (*c == '"')
			dst[n++] = '"';
		dst[n++] = *c;
	}
	dst[n++] = '"';
	dst[n] = '\0';
	return n;
}

static int csv_process(void *state, fp_frame *in, fp_frame *out)
{
	(void)out; /* sinks get no output frame */
	const csv_state *s = state;
	unsigned channels = fp_format_channels(in->format);
	uint64_t sum[4] = {0};
	for (uint32_t y = 0; y < in->height; y++) {
		const uint8_t *row = in->pixels + (size_t)y * in->stride;
		for (size_t i = 0; i < (size_t)in->width * channels; i++)
			sum[i % channels] += row[i];
	}
	char line[4096 + 256], name[64];
	const char *input = in->input_path;
	if (input == NULL) {
		snprintf(name, sizeof name, "frame %" PRIu32, in->input_index);
		input = name;
	}
	size_t n = csv_field(line, 4096, input);
	n += (size_t)snprintf(line + n, sizeof line - n, ",%u,%u,%s", in->width,
			      in->height, fp_format_name(in->format));
	double pixels = (double)in->width * in->height;
	for (unsigned c = 0; c < 4; c++)
		n += (size_t)(c < channels ? snprintf(line + n, sizeof line - n,
						      ",%.3f", sum[c] / pixels)
					   : snprintf(line + n, sizeof line - n,
						      ","));
	n += (size_t)snprintf(line + n, sizeof line - n, "\n");
	if (write(s->fd, line, n) != (ssize_t)n)
		return fp_frame_fail(in, FP_EIO, "cannot append to the CSV: %s",
				     strerror(errno));
	return 0;
}

static void csv_fini(void *state)
{
	csv_state *s = state;
	if (s == NULL)
		return;
	close(s->fd);
	free(s);
}

FP_STAGE_EXPORT = {
	FP_STAGE_HEADER,
	.name = "csv_stats",
	.summary = "append per-frame channel means to a CSV (example sink)",
	.description = "One line per frame: input, size, format and the mean "
		       "of each channel.\nLines are appended with one write() "
		       "each, so several workers can share the file.",
	.kind = FP_STAGE_SINK,
	.formats = FP_FORMATS_8BIT,
	.params = params,
	.param_count = FP_COUNT_OF(params),
	.config_size = sizeof(csv_config),
	.init = csv_init,
	.process = csv_process,
	.fini = csv_fini,
};
