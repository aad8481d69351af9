/* framepipe — the command-line program. Parses arguments and wires the
 * core together; everything else lives in core/. */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "framepipe/framepipe.h"
#include "inputs.h"
#include "pipeline.h"
#include "supervisor.h"

static const char usage_text[] =
	"usage: framepipe run CONFIG -i INPUT... [-o OUTDIR] [options]\n"
	"\n"
	"Run the pipeline in CONFIG (an INI file) over INPUT files or folders\n"
	"(a folder means its *.png files, sorted by name).\n"
	"\n"
	"options:\n"
	"  -i, --input INPUT...   input files or folders (repeatable)\n"
	"  -o, --output OUTDIR    output folder, created if missing\n"
	"  --stats-json FILE      write run statistics as JSON\n"
	"  -q, --quiet            no summary at the end\n"
	"  -h, --help             this text\n"
	"  --version              print the version\n"
	"\n"
	"exit status: 0 all frames written, 1 some frames failed (listed),\n"
	"2 usage or config error, 3 the run itself failed.\n";

typedef struct run_args {
	const char *config;
	const char **inputs;
	size_t input_count;
	const char *output_dir;
	const char *stats_json;
	bool quiet;
} run_args;

static int usage_error(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
static int usage_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("framepipe: ", stderr);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\n(see framepipe --help)\n", stderr);
	return FP_EXIT_USAGE;
}

static const char *option_value(int argc, char **argv, int *i)
{
	if (*i + 1 >= argc)
		return NULL;
	return argv[++*i];
}

static int parse_run_args(int argc, char **argv, run_args *a)
{
	a->inputs = calloc((size_t)argc, sizeof *a->inputs);
	if (a->inputs == NULL)
		return FP_EXIT_RUNTIME;
	bool in_inputs = false, no_more_options = false;
	for (int i = 2; i < argc; i++) {
		const char *arg = argv[i];
		bool is_option = !no_more_options && arg[0] == '-' && arg[1];
		if (is_option && strcmp(arg, "--") == 0) {
			no_more_options = true;
		} else if (is_option &&
			   (!strcmp(arg, "-i") || !strcmp(arg, "--input"))) {
			in_inputs = true;
		} else if (is_option &&
			   (!strcmp(arg, "-o") || !strcmp(arg, "--output"))) {
			if ((a->output_dir = option_value(argc, argv, &i)) ==
			    NULL)
				return usage_error("%s needs a folder", arg);
			in_inputs = false;
		} else if (is_option && !strcmp(arg, "--stats-json")) {
			if ((a->stats_json = option_value(argc, argv, &i)) ==
			    NULL)
				return usage_error("%s needs a file name", arg);
			in_inputs = false;
		} else if (is_option &&
			   (!strcmp(arg, "-q") || !strcmp(arg, "--quiet"))) {
			a->quiet = true;
		} else if (is_option) {
			return usage_error("unknown option '%s'", arg);
		} else if (in_inputs || a->config != NULL) {
			a->inputs[a->input_count++] = arg;
		} else {
			a->config = arg;
		}
	}
	if (a->config == NULL)
		return usage_error("run needs a CONFIG file");
	return 0;
}

static bool sink_writes_files(const fp_pipeline *p)
{
	const fp_stage_descriptor *sink =
		p->stages[p->stage_count - 1].plugin.desc;
	return sink->flags & FP_STAGE_WRITES_OUTPUTS;
}

static int run_command(int argc, char **argv)
{
	run_args a = {0};
	int code = parse_run_args(argc, argv, &a);
	if (code != 0) {
		free(a.inputs);
		return code;
	}
	char err[1024];
	fp_config config;
	fp_pipeline pipeline;
	fp_inputs inputs = {0};
	if (fp__config_load(&config, a.config, err, sizeof err) != 0) {
		fprintf(stderr, "framepipe: %s\n", err);
		free(a.inputs);
		return FP_EXIT_USAGE;
	}
	code = FP_EXIT_USAGE;
	if (fp__pipeline_from_config(&pipeline, &config, err, sizeof err) !=
	    0) {
		fprintf(stderr, "framepipe: %s\n", err);
		goto out_config;
	}
	if (fp__inputs_expand(&inputs, a.inputs, a.input_count, err,
			      sizeof err) != 0) {
		fprintf(stderr, "framepipe: %s\n", err);
		goto out_pipeline;
	}
	if (a.output_dir == NULL && sink_writes_files(&pipeline)) {
		fprintf(stderr,
			"framepipe: stage %s writes files: give an "
			"output folder with -o\n",
			pipeline.stages[pipeline.stage_count - 1].label);
		goto out_inputs;
	}
	fp_run_options options = {
		.inputs = (const char *const *)inputs.paths,
		.input_count = inputs.count,
		.output_dir = a.output_dir,
		.stats_json = a.stats_json,
		.quiet = a.quiet,
	};
	code = fp__supervisor_run(&pipeline, &options);
out_inputs:
	fp__inputs_release(&inputs);
out_pipeline:
	fp__pipeline_release(&pipeline);
out_config:
	fp__config_release(&config);
	free(a.inputs);
	return code;
}

int main(int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		fputs(usage_text, argc < 2 ? stderr : stdout);
		return argc < 2 ? FP_EXIT_USAGE : 0;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("framepipe %s (stage ABI %d.%d)\n", FP_VERSION,
		       FP_ABI_MAJOR, FP_ABI_MINOR);
		return 0;
	}
	if (!strcmp(argv[1], "run"))
		return run_command(argc, argv);
	return usage_error("unknown command '%s'", argv[1]);
}
