/* json_sidecar — a sink that writes one JSON file per input, beside the
 * images another run would write:
 *   {"input": "photos/a.png", "width": 640, "height": 480,
 *    "format": "RGB8", "channels": [{"min": 0, "max": 255,
 *    "mean": 117.250}, ...]}
 *
 * An example of a sink that writes files other than images (ABI 1.2): it
 * declares output_extension ".json", so the default output name is
 * {dir}/{stem}.json and the core's output planning (collisions between
 * inputs, --overwrite, --resume) covers these files. Each file is written
 * to a temporary name in the output folder and renamed into place once
 * complete, so a killed run never leaves half a JSON under its name. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <framepipe/stage.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct sidecar_config {
	bool pretty;
} sidecar_config;

static const fp_param params[] = {
	FP_PARAM_BOOL_(sidecar_config, pretty, "false",
		       "one field a line instead of one line"),
};

static int sidecar_init(void **state, const void *config,
			const fp_stage_env *env, char *err, size_t err_size)
{
	(void)env;
	(void)err;
	(void)err_size;
	*state = (void *)config;
	return 0;
}

/* s as a JSON string, with what JSON requires escaped. */
static void put_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
		if (*c == '"' || *c == '\\')
			fprintf(f, "\\%c", *c);
		else if (*c < 0x20)
			fprintf(f, "\\u%04x", *c);
		else
			fputc(*c, f);
	}
	fputc('"', f);
}

static void write_json(FILE *f, const sidecar_config *c, const fp_frame *in)
{
	unsigned channels = fp_format_channels(in->format);
	uint64_t sum[4] = {0};
	unsigned lo[4] = {255, 255, 255, 255}, hi[4] = {0};
	for (uint32_t y = 0; y < in->height; y++) {
		const uint8_t *row = in->pixels + (size_t)y * in->stride;
		for (size_t i = 0; i < (size_t)in->width * channels; i++) {
			unsigned k = (unsigned)(i % channels);
			sum[k] += row[i];
			lo[k] = row[i] < lo[k] ? row[i] : lo[k];
			hi[k] = row[i] > hi[k] ? row[i] : hi[k];
		}
	}
	const char *nl = c->pretty ? "\n  " : " ";
	fputc('{', f);
	fprintf(f, "%s\"input\": ", c->pretty ? "\n  " : "");
	if (in->input_path != NULL)
		put_string(f, in->input_path);
	else
		fprintf(f, "\"frame %u\"", in->input_index);
	fprintf(f,
		",%s\"width\": %u,%s\"height\": %u,%s\"format\": \"%s\",%s"
		"\"channels\": [",
		nl, in->width, nl, in->height, nl, fp_format_name(in->format),
		nl);
	double pixels = (double)in->width * in->height;
	for (unsigned k = 0; k < channels; k++)
		fprintf(f, "%s{\"min\": %u, \"max\": %u, \"mean\": %.3f}",
			k ? ", " : "", lo[k], hi[k], sum[k] / pixels);
	fprintf(f, "]%s}\n", c->pretty ? "\n" : "");
}

/* DIR/.NAME.fp-tmp-RUNID-XXXXXX: the run's temporary-file name (see
 * framepipe/stage.h), so that the run removes it if this instance dies. */
static int temp_name(char *tmp, size_t size, const char *path)
{
	const char *slash = strrchr(path, '/');
	const char *name = slash ? slash + 1 : path;
	int dir = slash ? (int)(slash - path + 1) : 0;
	const char *run = getenv("FRAMEPIPE_RUN_ID");
	char own[40];
	if (run == NULL || strlen(run) != 32) {
		snprintf(own, sizeof own, "%032x", (unsigned)getpid());
		run = own;
	}
	int n = snprintf(tmp, size, "%.*s.%s.fp-tmp-%s-XXXXXX", dir, path, name,
			 run);
	return n > 0 && (size_t)n < size ? 0 : -ENAMETOOLONG;
}

static int sidecar_process(void *state, fp_frame *in, fp_frame *out)
{
	(void)out; /* sinks get no output frame */
	if (in->output_path == NULL)
		return fp_frame_fail(in, FP_ECONFIG,
				     "no output path (the run needs -o)");
	char tmp[4096];
	if (temp_name(tmp, sizeof tmp, in->output_path) != 0)
		return fp_frame_fail(in, FP_EIO, "output path too long");
	int fd = mkstemp(tmp); /* mode 0600: made 0644 like an image */
	FILE *f = fd >= 0 && fchmod(fd, 0644) == 0 ? fdopen(fd, "w") : NULL;
	if (f == NULL) {
		int e = errno;
		if (fd >= 0) {
			close(fd);
			unlink(tmp);
		}
		return fp_frame_fail(in, -e, "cannot create %s: %s", tmp,
				     strerror(e));
	}
	write_json(f, state, in);
	int e = ferror(f) ? EIO : 0;
	if (fclose(f) != 0 && e == 0)
		e = errno;
	if (e == 0 && rename(tmp, in->output_path) != 0)
		e = errno;
	if (e != 0) {
		unlink(tmp);
		return fp_frame_fail(in, -e, "cannot write %s: %s",
				     in->output_path, strerror(e));
	}
	return 0;
}

FP_STAGE_EXPORT = {
	FP_STAGE_HEADER,
	.name = "json_sidecar",
	.summary = "one JSON of size, format and channel statistics per "
		   "input (example sink)",
	.description = "Writes {dir}/{stem}.json for each input: its name, "
		       "size, format and the\nmin, max and mean of each "
		       "channel. Declares output_extension \".json\",\nso "
		       "collisions, --overwrite and --resume cover these "
		       "files.",
	.kind = FP_STAGE_SINK,
	.flags = FP_STAGE_WRITES_OUTPUTS,
	.formats = FP_FORMATS_8BIT,
	.params = params,
	.param_count = FP_COUNT_OF(params),
	.config_size = sizeof(sidecar_config),
	.init = sidecar_init,
	.process = sidecar_process,
	.output_extension = ".json",
};
