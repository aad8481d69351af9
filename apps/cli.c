#include "cli.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "supervisor.h"

static const char run_help[] =
	"usage: framepipe run (CONFIG | -p PIPELINE) -i INPUT... [-o OUTDIR] "
	"[options]\n"
	"\n"
	"Run a pipeline over INPUT files or folders (a folder means its "
	"*.png,\n"
	"sorted by name). CONFIG is an INI file; PIPELINE is the same on one\n"
	"line: 'png_decode ! resize width=256 ! png_encode level=6'.\n"
	"\n"
	"options:\n"
	"  -p, --pipeline LINE    the pipeline on one line instead of CONFIG\n"
	"  -i, --input INPUT...   input files or folders (repeatable)\n"
	"  -o, --output OUTDIR    output folder, created if missing\n"
	"  -r, --recursive        look for *.png in sub-folders too; {dir} in\n"
	"                         the output name mirrors them (the default)\n"
	"  --overwrite            replace outputs that already exist\n"
	"  --resume               skip inputs whose output already exists\n"
	"  --shard K/N            process only share K of N (0 <= K < N) of "
	"the\n"
	"                         inputs, picked by a hash of each one's path\n"
	"                         below its input folder: N machines running "
	"K =\n"
	"                         0..N-1 write exactly the outputs of one "
	"run;\n"
	"                         {index} stays the place in the full list\n"
	"  --list-inputs          print the inputs this run would process, "
	"one a\n"
	"                         line (after --shard and --resume), and exit\n"
	"  --stats-json FILE      write run statistics as JSON\n"
	"  --trace FILE           write a Chrome trace (open in Perfetto)\n"
	"  --progress MODE        auto (a live line on a terminal), bar, "
	"lines\n"
	"                         (one every few seconds) or none\n"
	"  -q, --quiet            no progress and no summary\n"
	"  --print-config         print the INI form of -p PIPELINE and exit\n"
	"  -h, --help             this text\n"
	"\n"
	"exit status: 0 every frame written, 1 some frames failed (each\n"
	"listed), 2 usage or config error (nothing was run), 3 the run itself\n"
	"failed or was interrupted.\n";

static const char check_help[] =
	"usage: framepipe check (CONFIG | -p PIPELINE) [-i INPUT...] "
	"[-o OUTDIR] [-r]\n"
	"                       [--shard K/N] [--list-inputs]\n"
	"\n"
	"Check a pipeline without running it: stage names, parameters and\n"
	"their ranges, the order of sources, filters and sinks, the inputs,\n"
	"the output folder and output names. Every mistake is reported as\n"
	"FILE:LINE: stage.param: what was expected, what was given.\n"
	"\n"
	"exit status: 0 valid, 2 invalid.\n";

static const char main_help[] =
	"usage: framepipe COMMAND [options]\n"
	"\n"
	"commands:\n"
	"  run      run a pipeline over a batch of images\n"
	"  check    validate a pipeline without running it\n"
	"  stages   list the stages framepipe can find, or describe one\n"
	"  stats-merge  one report from the --stats-json files of shards\n"
	"  help     help on a command\n"
	"\n"
	"  framepipe run configs/default.ini -i photos/ -o out/\n"
	"  framepipe run -p 'png_decode ! png_encode level=9' -i a.png -o "
	"out/\n"
	"  framepipe stages png_encode\n"
	"\n"
	"framepipe COMMAND --help for its options; framepipe --version.\n"
	"Stages are found in the built-in folder and FRAMEPIPE_PLUGIN_PATH.\n";

static const char stages_help[] =
	"usage: framepipe stages [NAME]\n"
	"\n"
	"Without NAME, list every stage found (built-in, then the folders of\n"
	"FRAMEPIPE_PLUGIN_PATH) with its kind and summary. With NAME, print\n"
	"its parameters: type, default, range or choices, help, and the pixel\n"
	"formats it accepts.\n";

static const char stats_merge_help[] =
	"usage: framepipe stats-merge [-o FILE] STATS.json...\n"
	"\n"
	"Combine the --stats-json files of the shards of one batch (--shard\n"
	"K/N) into one, on standard output or into FILE: frame counts and\n"
	"failures added up, per stage workers, frames and busy seconds added\n"
	"up, wall_s the longest shard's; \"shards\" says how many files.\n"
	"Files of different pipelines are refused.\n";

void cli_usage(const char *command, bool to_stdout)
{
	const char *text = main_help;
	if (command != NULL && strcmp(command, "run") == 0)
		text = run_help;
	else if (command != NULL && strcmp(command, "check") == 0)
		text = check_help;
	else if (command != NULL && strcmp(command, "stages") == 0)
		text = stages_help;
	else if (command != NULL && strcmp(command, "stats-merge") == 0)
		text = stats_merge_help;
	fputs(text, to_stdout ? stdout : stderr);
}

static int usage_error(const char *command, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static int usage_error(const char *command, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "framepipe %s: ", command);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n(framepipe %s --help)\n", command);
	return FP_EXIT_USAGE;
}

/* "--name=value", "--name value" or "-n value": the value, or NULL. */
static const char *value_of(int argc, char **argv, int *i, const char *eq)
{
	if (eq != NULL)
		return eq + 1;
	return *i + 1 < argc ? argv[++*i] : NULL;
}

static int parse_progress(const char *text, fp_progress_mode *mode)
{
	static const char *const names[] = {"auto", "bar", "lines", "none"};
	for (int m = 0; m < 4; m++) {
		if (strcmp(text, names[m]) == 0) {
			*mode = (fp_progress_mode)m;
			return 0;
		}
	}
	return -1;
}

/* One option; *in_inputs tells whether bare words are inputs. */
static int parse_option(int argc, char **argv, int *i, const char *command,
			cli_options *o, bool *in_inputs)
{
	const char *arg = argv[*i];
	const char *eq = strncmp(arg, "--", 2) == 0 ? strchr(arg, '=') : NULL;
	size_t len = eq ? (size_t)(eq - arg) : strlen(arg);
#define IS(s) (len == strlen(s) && strncmp(arg, s, len) == 0)
#define VALUE(dst, what)                                                       \
	do {                                                                   \
		if (((dst) = value_of(argc, argv, i, eq)) == NULL)             \
			return usage_error(command, "%.*s needs %s", (int)len, \
					   arg, what);                         \
	} while (0)
	*in_inputs = false;
	if (IS("-i") || IS("--input"))
		*in_inputs = true;
	else if (IS("-p") || IS("--pipeline"))
		VALUE(o->oneline, "a pipeline");
	else if (IS("-o") || IS("--output"))
		VALUE(o->output_dir, "a folder");
	else if (IS("--stats-json"))
		VALUE(o->stats_json, "a file name");
	else if (IS("--trace"))
		VALUE(o->trace, "a file name");
	else if (IS("-r") || IS("--recursive"))
		o->recursive = true;
	else if (IS("-q") || IS("--quiet"))
		o->quiet = true;
	else if (IS("--overwrite"))
		o->existing = FP_EXISTING_OVERWRITE;
	else if (IS("--resume"))
		o->existing = FP_EXISTING_SKIP;
	else if (IS("--print-config"))
		o->print_config = true;
	else if (IS("--list-inputs"))
		o->list_inputs = true;
	else if (IS("--shard")) {
		const char *text;
		VALUE(text, "K/N");
		if (fp__shard_parse(&o->shard, text) != 0)
			return usage_error(command,
					   "--shard: expected K/N with 0 <= K "
					   "< N <= %u, got '%s'",
					   FP_SHARD_MAX, text);
	} else if (IS("-h") || IS("--help"))
		o->help = true;
	else if (IS("--progress")) {
		const char *mode;
		VALUE(mode, "auto, bar, lines or none");
		if (parse_progress(mode, &o->progress) != 0)
			return usage_error(command,
					   "--progress: expected auto, bar, "
					   "lines or none, got '%s'",
					   mode);
	} else
		return usage_error(command, "unknown option '%s'", arg);
	return 0;
#undef IS
#undef VALUE
}

int cli_parse(int argc, char **argv, int first, const char *command,
	      cli_options *o)
{
	memset(o, 0, sizeof *o);
	o->inputs = calloc((size_t)argc, sizeof *o->inputs);
	if (o->inputs == NULL)
		return FP_EXIT_RUNTIME;
	bool in_inputs = false, options_done = false;
	for (int i = first; i < argc; i++) {
		const char *arg = argv[i];
		if (!options_done && strcmp(arg, "--") == 0) {
			options_done = true;
		} else if (!options_done && arg[0] == '-' && arg[1] != '\0') {
			int rc = parse_option(argc, argv, &i, command, o,
					      &in_inputs);
			if (rc != 0)
				return rc;
		} else if (in_inputs || o->config != NULL ||
			   o->oneline != NULL) {
			o->inputs[o->input_count++] = arg;
		} else {
			o->config = arg;
		}
	}
	if (o->help)
		return 0;
	if (o->config == NULL && o->oneline == NULL)
		return usage_error(command,
				   "needs a CONFIG file or -p PIPELINE");
	if (o->print_config && o->oneline == NULL)
		return usage_error(command, "--print-config goes with -p");
	return 0;
}

void cli_release(cli_options *o)
{
	free(o->inputs);
	o->inputs = NULL;
}
