#include "cli.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "suggest.h"
#include "supervisor.h"

/* Every option of run and check, once: parsing and --help come from it.
 * An option that means something else to check has a row for each. */
enum option_id {
	OPT_PIPELINE,
	OPT_INPUT,
	OPT_OUTPUT,
	OPT_RECURSIVE,
	OPT_SET,
	OPT_OVERWRITE,
	OPT_RESUME,
	OPT_IN_PLACE,
	OPT_IGNORE_UNKNOWN,
	OPT_SHARD,
	OPT_LIST_INPUTS,
	OPT_STATS_JSON,
	OPT_TRACE,
	OPT_PROGRESS,
	OPT_QUIET,
	OPT_DEBUG_STAGE,
	OPT_PRINT_CONFIG,
	OPT_HELP,
};

#define RUN   0x1u
#define CHECK 0x2u

typedef struct cli_option {
	enum option_id id;
	const char *short_name; /* "-i", or NULL */
	const char *long_name;	/* "--input" */
	const char *value;	/* what follows it ("INPUT..."), NULL: a flag */
	unsigned commands;	/* RUN, CHECK */
	const char *help;	/* lines separated by '\n' */
} cli_option;

static const cli_option options[] = {
	{OPT_PIPELINE, "-p", "--pipeline", "LINE", RUN | CHECK,
	 "the pipeline on one line instead of CONFIG"},
	{OPT_INPUT, "-i", "--input", "INPUT...", RUN | CHECK,
	 "input files or folders (repeatable)"},
	{OPT_OUTPUT, "-o", "--output", "OUTDIR", RUN,
	 "output folder, created if missing"},
	{OPT_OUTPUT, "-o", "--output", "OUTDIR", CHECK,
	 "the output folder run would write: checked\n(that it can be made, "
	 "the output names,\nexisting outputs), never created"},
	{OPT_RECURSIVE, "-r", "--recursive", NULL, RUN | CHECK,
	 "look for images in sub-folders too; the\ndefault output name "
	 "({dir}/...) mirrors them"},
	{OPT_SET, NULL, "--set", "KEY=VALUE", RUN | CHECK,
	 "a [pipeline] setting (slot_size=8M, slots=16,\n...: framepipe "
	 "stages pipeline lists them),\nor SECTION.KEY=VALUE for a stage; "
	 "repeatable,\nover what CONFIG or -p says"},
	{OPT_OVERWRITE, NULL, "--overwrite", NULL, RUN | CHECK,
	 "replace outputs that already exist (never an\ninput: see "
	 "--in-place)"},
	{OPT_RESUME, NULL, "--resume", NULL, RUN | CHECK,
	 "skip inputs whose output already exists"},
	{OPT_IN_PLACE, NULL, "--in-place", NULL, RUN | CHECK,
	 "let outputs replace the inputs themselves\n(-o on the input "
	 "folder); refused otherwise"},
	{OPT_IGNORE_UNKNOWN, NULL, "--ignore-unknown", NULL, RUN,
	 "say nothing of files in the input folders\nthat are not images "
	 "framepipe reads (by\ndefault named, and exit 1 if some are images)"},
	{OPT_SHARD, NULL, "--shard", "K/N", RUN | CHECK,
	 "process only share K of N (0 <= K < N) of the\ninputs, picked by "
	 "a hash of each one's path\nbelow its input folder: N machines "
	 "running K =\n0..N-1 write exactly the outputs of one run;\n"
	 "{index} stays the place in the full list"},
	{OPT_LIST_INPUTS, NULL, "--list-inputs", NULL, RUN | CHECK,
	 "print the inputs this run would process, one a\nline (after "
	 "--shard and --resume), and exit;\ncheck adds a tab and the decoder "
	 "each will get\n(decode: from the file's first bytes)"},
	{OPT_STATS_JSON, NULL, "--stats-json", "FILE", RUN,
	 "write run statistics as JSON"},
	{OPT_TRACE, NULL, "--trace", "FILE", RUN,
	 "write a Chrome trace (open in Perfetto)"},
	{OPT_PROGRESS, NULL, "--progress", "MODE", RUN,
	 "auto (a live line on a terminal), bar, lines\n(one every few "
	 "seconds) or none"},
	{OPT_QUIET, "-q", "--quiet", NULL, RUN, "no progress and no summary"},
	{OPT_DEBUG_STAGE, NULL, "--debug-stage", "LABEL", RUN,
	 "run stage LABEL (a section name) as one\ninstance, waiting before "
	 "init until a debugger\nattaches (its pid is printed): no "
	 "restart,\nno retry, no timeout"},
	{OPT_PRINT_CONFIG, NULL, "--print-config", NULL, RUN,
	 "print the INI form of -p PIPELINE (and --set)\nand exit"},
	{OPT_HELP, "-h", "--help", NULL, RUN | CHECK, "this text"},
};

static const char run_head[] =
	"usage: framepipe run (CONFIG | -p PIPELINE) -i INPUT... [-o OUTDIR] "
	"[options]\n"
	"\n"
	"Run a pipeline over INPUT files or folders (a folder means its "
	"image\n"
	"files, sorted by name). CONFIG is an INI file; PIPELINE is the same "
	"on\n"
	"one line: 'png_decode ! resize width=256 ! png_encode level=6'.\n";

static const char run_tail[] =
	"exit status: 0 every frame written, 1 some or all frames failed\n"
	"(each listed), 2 usage or config error (nothing was run), 3 the run\n"
	"itself failed or was interrupted.\n";

static const char check_head[] =
	"usage: framepipe check (CONFIG | -p PIPELINE) [-i INPUT...] "
	"[-o OUTDIR] [options]\n"
	"\n"
	"Check a pipeline without running it: stage names, parameters and\n"
	"their ranges, the order of sources, filters and sinks, the inputs,\n"
	"the output folder and output names. Every mistake is reported as\n"
	"FILE:LINE: stage.param: what was expected, what was given.\n";

static const char check_tail[] =
	"exit status: 0 valid, 2 invalid; 1 when some input would fail\n"
	"(each named: a format its source does not read, frames too large\n"
	"for a hand-set slot_size, an output name the sink cannot write).\n";

static void print_options(FILE *out, unsigned command)
{
	fputs("\noptions:\n", out);
	for (size_t i = 0; i < sizeof options / sizeof options[0]; i++) {
		const cli_option *o = &options[i];
		if (!(o->commands & command))
			continue;
		char names[64];
		snprintf(names, sizeof names, "%s%s%s%s%s",
			 o->short_name ? o->short_name : "",
			 o->short_name ? ", " : "", o->long_name,
			 o->value ? " " : "", o->value ? o->value : "");
		const char *line = o->help;
		int width = fprintf(out, "  %s", names);
		for (;;) {
			const char *nl = strchr(line, '\n');
			int len = nl ? (int)(nl - line) : (int)strlen(line);
			fprintf(out, "%*s%.*s\n", width < 25 ? 25 - width : 1,
				"", len, line);
			if (nl == NULL)
				break;
			line = nl + 1;
			width = 0;
		}
	}
	fputc('\n', out);
}

static const char stages_help[] =
	"usage: framepipe stages [NAME]\n"
	"\n"
	"Without NAME, list every stage found (built-in, then the folders of\n"
	"FRAMEPIPE_PLUGIN_PATH) with its kind and summary. With NAME, print\n"
	"its parameters: type, default, range or choices, help, and the pixel\n"
	"formats it accepts. `framepipe stages pipeline` lists the [pipeline]\n"
	"settings (also given as --set KEY=VALUE).\n";

static const char stats_merge_help[] =
	"usage: framepipe stats-merge [-o FILE] STATS.json...\n"
	"\n"
	"Combine the --stats-json files of the shards of one batch (--shard\n"
	"K/N) into one, on standard output or into FILE: frame counts and\n"
	"failures added up, per stage workers, frames and busy seconds added\n"
	"up, wall_s the longest shard's; \"shards\" says how many files.\n"
	"Files of different pipelines are refused.\n";

static const char help_help[] =
	"usage: framepipe help [COMMAND | STAGE]\n"
	"\n"
	"The help of COMMAND (what framepipe COMMAND --help prints), or what\n"
	"framepipe stages STAGE prints of a stage (pipeline: the [pipeline]\n"
	"settings). Without a name, the list of commands.\n";

/* Every command, once: the list of framepipe --help, the help of each,
 * and what `help NAME` and did-you-mean take for a command. */
typedef struct cli_command {
	const char *name;
	const char *summary; /* its line in framepipe --help */
	const char *head;    /* usage and what it does */
	unsigned options;    /* RUN, CHECK: the option rows it lists, or 0 */
	const char *tail;    /* after the options, or NULL */
} cli_command;

static const cli_command commands[] = {
	{"run", "run a pipeline over a batch of images", run_head, RUN,
	 run_tail},
	{"check", "validate a pipeline without running it", check_head, CHECK,
	 check_tail},
	{"stages", "list the stages framepipe can find, or describe one",
	 stages_help, 0, NULL},
	{"stats-merge", "one report from the --stats-json files of shards",
	 stats_merge_help, 0, NULL},
	{"help", "the help of a command or a stage", help_help, 0, NULL},
};

static const cli_command *find_command(const char *name)
{
	for (size_t i = 0;
	     name != NULL && i < sizeof commands / sizeof *commands; i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

bool cli_is_command(const char *name)
{
	return find_command(name) != NULL;
}

void cli_suggest_command(fp_suggest *hint)
{
	for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
		fp__suggest_offer(hint, commands[i].name);
}

static void print_main_help(FILE *out)
{
	fputs("usage: framepipe COMMAND [options]\n\ncommands:\n", out);
	for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
		fprintf(out, "  %-12s %s\n", commands[i].name,
			commands[i].summary);
	fputs("\n"
	      "  framepipe run configs/default.ini -i photos/ -o out/\n"
	      "  framepipe run -p 'png_decode ! png_encode level=9' -i a.png "
	      "-o out/\n"
	      "  framepipe stages png_encode\n"
	      "\n"
	      "framepipe COMMAND --help for its options; framepipe "
	      "--version.\n"
	      "Stages are found in the built-in folder and "
	      "FRAMEPIPE_PLUGIN_PATH.\n",
	      out);
}

void cli_usage(const char *command, bool to_stdout)
{
	FILE *out = to_stdout ? stdout : stderr;
	const cli_command *c = find_command(command);
	if (c == NULL) {
		print_main_help(out);
		return;
	}
	fputs(c->head, out);
	if (c->options != 0)
		print_options(out, c->options);
	if (c->tail != NULL)
		fputs(c->tail, out);
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

/* The table row of command (RUN, CHECK) for arg ("--name" or
 * "--name=value"), NULL if none. */
static const cli_option *find_option(const char *arg, size_t len,
				     unsigned command)
{
	for (size_t i = 0; i < sizeof options / sizeof options[0]; i++) {
		const cli_option *o = &options[i];
		if (!(o->commands & command))
			continue;
		if ((o->short_name && strlen(o->short_name) == len &&
		     strncmp(arg, o->short_name, len) == 0) ||
		    (strlen(o->long_name) == len &&
		     strncmp(arg, o->long_name, len) == 0))
			return o;
	}
	return NULL;
}

/* One option; *in_inputs tells whether bare words are inputs. */
static int parse_option(int argc, char **argv, int *i, const char *command,
			cli_options *o, bool *in_inputs)
{
	const char *arg = argv[*i];
	const char *eq = strncmp(arg, "--", 2) == 0 ? strchr(arg, '=') : NULL;
	size_t len = eq ? (size_t)(eq - arg) : strlen(arg);
	unsigned mask = strcmp(command, "run") == 0 ? RUN : CHECK;
	const cli_option *opt = find_option(arg, len, mask);
	if (opt == NULL) {
		fp_suggest hint;
		fp__suggest_init(&hint, arg);
		for (size_t k = 0; k < sizeof options / sizeof options[0]; k++)
			if (options[k].commands & mask)
				fp__suggest_offer(&hint, options[k].long_name);
		const char *best = fp__suggest_best(&hint);
		return usage_error(command, "unknown option '%s'%s%s%s", arg,
				   best ? " (did you mean '" : "",
				   best ? best : "", best ? "'?)" : "");
	}
	const char *value = NULL;
	if (opt->value != NULL && opt->id != OPT_INPUT &&
	    (value = value_of(argc, argv, i, eq)) == NULL)
		return usage_error(command, "%.*s needs %s", (int)len, arg,
				   opt->value);
	if (opt->value == NULL && eq != NULL)
		return usage_error(command, "%.*s takes no value", (int)len,
				   arg);
	*in_inputs = false;
	switch (opt->id) {
	case OPT_INPUT: *in_inputs = true; break;
	case OPT_PIPELINE: o->oneline = value; break;
	case OPT_OUTPUT: o->output_dir = value; break;
	case OPT_STATS_JSON: o->stats_json = value; break;
	case OPT_TRACE: o->trace = value; break;
	case OPT_RECURSIVE: o->recursive = true; break;
	case OPT_QUIET: o->quiet = true; break;
	case OPT_DEBUG_STAGE: o->debug_stage = value; break;
	case OPT_OVERWRITE: o->existing = FP_EXISTING_OVERWRITE; break;
	case OPT_RESUME: o->existing = FP_EXISTING_SKIP; break;
	case OPT_IN_PLACE: o->in_place = true; break;
	case OPT_IGNORE_UNKNOWN: o->ignore_unknown = true; break;
	case OPT_PRINT_CONFIG: o->print_config = true; break;
	case OPT_LIST_INPUTS: o->list_inputs = true; break;
	case OPT_HELP: o->help = true; break;
	case OPT_SET: o->sets[o->set_count++] = value; break;
	case OPT_SHARD:
		if (fp__shard_parse(&o->shard, value) != 0)
			return usage_error(command,
					   "--shard: expected K/N with 0 <= K "
					   "< N <= %u, got '%s'",
					   FP_SHARD_MAX, value);
		break;
	case OPT_PROGRESS:
		if (parse_progress(value, &o->progress) != 0)
			return usage_error(command,
					   "--progress: expected auto, bar, "
					   "lines or none, got '%s'",
					   value);
		break;
	}
	return 0;
}

int cli_parse(int argc, char **argv, int first, const char *command,
	      cli_options *o)
{
	memset(o, 0, sizeof *o);
	o->inputs = calloc((size_t)argc, sizeof *o->inputs);
	o->sets = calloc((size_t)argc, sizeof *o->sets);
	if (o->inputs == NULL || o->sets == NULL)
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
	free(o->sets);
	o->inputs = NULL;
	o->sets = NULL;
}
