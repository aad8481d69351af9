/* framepipe — the command-line program. Parses arguments and wires the
 * core together; everything else lives in core/. */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "catalog.h"
#include "cli.h"
#include "config.h"
#include "framepipe/framepipe.h"
#include "codec_lookup.h"
#include "input_checks.h"
#include "inputs.h"
#include "loader.h"
#include "naming.h"
#include "oneline.h"
#include "pipeline.h"
#include "stats_merge.h"
#include "suggest.h"
#include "text.h"
#include "supervisor.h"

/* "framepipe: MESSAGE" on stderr, with the control bytes a config or a
 * file name may carry escaped. */
static void print_error(const char *message)
{
	fputs("framepipe: ", stderr);
	fp__put_escaped(stderr, message);
	fputc('\n', stderr);
}

/* A config mistake; for -p, the line with a caret under the column. */
static void print_config_error(const cli_options *o, const char *message)
{
	print_error(message);
	fp__oneline_show_column(stderr, o->oneline, message);
}

/* Everything `run` and `check` validate before a single frame moves. */
typedef struct prepared {
	fp_config config;
	fp_pipeline pipeline;
	fp_inputs inputs;
	size_t all_inputs;   /* before --shard */
	bool is_empty_shard; /* --shard left no input: nothing to do */
} prepared;

static void release(prepared *p)
{
	fp__inputs_release(&p->inputs);
	fp__pipeline_release(&p->pipeline);
	fp__config_release(&p->config);
}

static bool sink_writes_files(const fp_pipeline *p)
{
	const fp_stage_spec *sink = &p->stages[p->stage_count - 1];
	return sink->plugin.desc->flags & FP_STAGE_WRITES_OUTPUTS;
}

static bool reads_inputs(const fp_pipeline *p)
{
	return p->stages[0].plugin.desc->flags & FP_STAGE_READS_INPUTS;
}

/* --overwrite / --resume, and --in-place. */
static fp_existing existing_mode(const cli_options *o)
{
	return (fp_existing)(o->existing |
			     (o->in_place ? FP_EXISTING_IN_PLACE : 0));
}

/* CONFIG or -p, then every --set over it, in order; for -p, then the
 * decode and encode it implies. */
static int load_config(const cli_options *o, fp_config *config, char *err,
		       size_t size)
{
	int rc = o->oneline != NULL
			 ? fp__oneline_parse(config, o->oneline, err, size)
			 : fp__config_load(config, o->config, err, size);
	for (size_t i = 0; rc == 0 && i < o->set_count; i++)
		rc = fp__config_set_text(config, o->sets[i], "--set", err,
					 size);
	if (rc == 0 && o->oneline != NULL)
		rc = fp__oneline_complete(config, err, size);
	if (rc != 0 && (o->set_count > 0 || o->oneline != NULL))
		fp__config_release(config);
	return rc;
}

/* --shard: keep this shard's inputs; {index} keeps naming each by its
 * place in the full list. 0 or an error already printed. */
static int take_shard(const cli_options *o, prepared *p)
{
	p->all_inputs = p->inputs.count;
	if (o->shard.n == 0)
		return 0;
	if (!reads_inputs(&p->pipeline)) {
		fprintf(stderr,
			"framepipe: --shard splits the input files, and stage "
			"%s makes its own frames (shard a stream upstream)\n",
			p->pipeline.stages[0].label);
		return FP_EXIT_USAGE;
	}
	if (fp__inputs_shard(&p->inputs, &o->shard) != 0) {
		fprintf(stderr, "framepipe: out of memory\n");
		return FP_EXIT_RUNTIME;
	}
	p->is_empty_shard = p->inputs.count == 0 && p->all_inputs > 0;
	return 0;
}

/* True when a folder given to -o holds a placeholder of the output name
 * template ({stem}, {name}, {ext}, {index...}, {dir}): the user meant a
 * name, and the run would make a folder literally named so. */
static bool looks_like_template(const char *dir)
{
	static const char *const placeholders[] = {"{stem}", "{name}", "{ext}",
						   "{index", "{dir}"};
	for (size_t i = 0; i < sizeof placeholders / sizeof *placeholders; i++)
		if (strstr(dir, placeholders[i]) != NULL)
			return true;
	return false;
}

/* The checks `run` and `check` share; 0 or an error already printed. For
 * check, the output side is judged without touching the disk. */
static int prepare(const cli_options *o, prepared *p, bool is_check)
{
	char err[1024];
	memset(p, 0, sizeof *p);
	if (load_config(o, &p->config, err, sizeof err) != 0 ||
	    fp__pipeline_from_config(&p->pipeline, &p->config, err,
				     sizeof err) != 0 ||
	    fp__inputs_expand(&p->inputs, o->inputs, o->input_count,
			      o->recursive, o->output_dir, err,
			      sizeof err) != 0) {
		print_config_error(o, err);
		return FP_EXIT_USAGE;
	}
	int rc = take_shard(o, p);
	if (rc != 0)
		return rc;
	const char *problem = NULL;
	if (reads_inputs(&p->pipeline) && p->inputs.count == 0 && !is_check &&
	    !p->is_empty_shard)
		problem = "reads input files: give some with -i";
	else if (sink_writes_files(&p->pipeline) && o->output_dir == NULL &&
		 !is_check && !o->list_inputs)
		problem = "writes files: give an output folder with -o";
	if (o->output_dir != NULL && looks_like_template(o->output_dir)) {
		fprintf(stderr,
			"framepipe: -o names the output folder, and '%s' looks "
			"like a name template: give the folder with -o and the "
			"names with --set output=TEMPLATE (or [pipeline] "
			"output)\n",
			o->output_dir);
		return FP_EXIT_USAGE;
	}
	if (problem != NULL) {
		const fp_stage_spec *s =
			strstr(problem, "reads")
				? &p->pipeline.stages[0]
				: &p->pipeline
					   .stages[p->pipeline.stage_count - 1];
		fprintf(stderr, "framepipe: stage %s %s\n", s->label, problem);
		return FP_EXIT_USAGE;
	}
	if (!is_check || o->output_dir == NULL)
		return 0;
	rc = fp__outputs_check_dir(o->output_dir, err, sizeof err);
	if (rc == 0 && sink_writes_files(&p->pipeline) &&
	    reads_inputs(&p->pipeline) && p->inputs.count > 0)
		rc = fp__outputs_check(
			o->output_dir, p->pipeline.output_template, &p->inputs,
			p->inputs.count, existing_mode(o), err, sizeof err);
	if (rc != 0) {
		print_error(err);
		return FP_EXIT_USAGE;
	}
	return 0;
}

static int print_config(const cli_options *o)
{
	char err[1024];
	fp_config config;
	if (load_config(o, &config, err, sizeof err) != 0) {
		print_config_error(o, err);
		return FP_EXIT_USAGE;
	}
	int rc = fp__config_write_ini(&config, stdout);
	if (rc != 0)
		fprintf(stderr, "framepipe: a value of -p cannot be written "
				"to INI (a ';', a newline, or spaces at an "
				"end)\n");
	fp__config_release(&config);
	return rc ? FP_EXIT_USAGE : 0;
}

/* check --list-inputs: "PATH<tab>DECODER", the stage that will decode it
 * (the generic decode's choice from the file's first bytes); a file no
 * decoder takes, or one of a format the source's codec does not read,
 * gets "-" and one line on stderr, and makes the exit 1. */
static int print_decoder(const fp_codec_lookup *l, const char *path)
{
	char name[64], err[1024];
	int rc = fp__codec_lookup_decoder(l, path, name, sizeof name, err,
					  sizeof err);
	printf("%s\t%s\n", path, rc == 0 ? name : "-");
	if (rc == 0)
		return 0;
	fflush(stdout);
	fputs("framepipe: ", stderr);
	fp__put_escaped(stderr, path);
	fputs(": ", stderr);
	fp__put_escaped(stderr, err);
	fputc('\n', stderr);
	return FP_EXIT_FAILED;
}

/* The sub-folders the walk could not list, one line each: the run would
 * not read their files (exit status 1), so check says so too. */
static int report_unlisted(const prepared *p)
{
	const fp_unlisted *u = &p->inputs.unlisted;
	for (size_t i = 0; i < u->kept; i++) {
		fputs("framepipe: ", stderr);
		fp__put_escaped(stderr, u->folders[i].path);
		fprintf(stderr, ": cannot list folder: %s\n",
			strerror(u->folders[i].error));
	}
	if (u->count > u->kept)
		fprintf(stderr,
			"framepipe: and %" PRIu64
			" more folders that could not be listed\n",
			u->count - u->kept);
	return u->count > 0 ? FP_EXIT_FAILED : 0;
}

/* Whether --resume would skip input i: its output is there. */
static bool is_resumed(const cli_options *o, const prepared *p, size_t i)
{
	char path[4096];
	struct stat st;
	return o->existing == FP_EXISTING_SKIP && o->output_dir != NULL &&
	       sink_writes_files(&p->pipeline) &&
	       fp__output_path(o->output_dir, p->pipeline.output_template,
			       fp__inputs_rel_path(&p->inputs, i),
			       fp__inputs_index(&p->inputs, i), path,
			       sizeof path) == 0 &&
	       lstat(path, &st) == 0;
}

/* --list-inputs: the inputs the run would process, one a line: this
 * shard's, less those --resume would skip; check adds each one's decoder. */
static int list_inputs(const cli_options *o, const prepared *p,
		       bool with_decoder)
{
	fp_codec_lookup l;
	with_decoder = with_decoder && reads_inputs(&p->pipeline);
	fp__codec_lookup_init(
		&l, with_decoder ? &p->pipeline.stages[0].plugin : NULL, NULL);
	int code = 0;
	for (size_t i = 0; i < p->inputs.count; i++) {
		if (is_resumed(o, p, i))
			continue;
		if (with_decoder) {
			if (print_decoder(&l, p->inputs.paths[i]) != 0)
				code = FP_EXIT_FAILED;
		} else {
			printf("%s\n", p->inputs.paths[i]);
		}
	}
	fp__codec_lookup_release(&l);
	if (report_unlisted(p) != 0)
		code = FP_EXIT_FAILED;
	return fflush(stdout) == 0 ? code : FP_EXIT_RUNTIME;
}

/* check: every input the run would fail, from a small read of each
 * (input_checks.h), one line each for the first few, then a count. */
/* Each input the run would fail, one line each (the first few); how
 * many in *failing. */
static int check_inputs(const cli_options *o, const prepared *p,
			size_t *failing_out)
{
	enum { SHOWN = 10 };
	*failing_out = 0;
	if (!reads_inputs(&p->pipeline))
		return 0;
	const fp_pipeline *pl = &p->pipeline;
	fp_codec_lookup l;
	fp__codec_lookup_init(&l, &pl->stages[0].plugin,
			      sink_writes_files(pl)
				      ? &pl->stages[pl->stage_count - 1].plugin
				      : NULL);
	size_t failing = 0;
	for (size_t i = 0; i < p->inputs.count; i++) {
		char err[2048];
		if (is_resumed(o, p, i) ||
		    fp__input_check(pl, &l, &p->inputs, i, o->output_dir, err,
				    sizeof err) == 0)
			continue;
		if (failing++ < SHOWN)
			print_error(err);
	}
	fp__codec_lookup_release(&l);
	if (failing > SHOWN)
		fprintf(stderr,
			"framepipe: and %zu more inputs the run would "
			"fail\n",
			failing - SHOWN);
	*failing_out = failing;
	return failing > 0 ? FP_EXIT_FAILED : 0;
}

/* A shard with no input: nothing runs, but the stats file a script waits
 * for still says so (and stats-merge reads it). */
static int empty_shard(const cli_options *o, const prepared *p)
{
	if (!o->quiet)
		fprintf(stderr,
			"framepipe: shard %u/%u: none of the %zu inputs is in "
			"this shard; nothing to do\n",
			o->shard.k, o->shard.n, p->all_inputs);
	if (o->stats_json == NULL)
		return 0;
	int rc = fp__report_write_empty(&p->pipeline, o->stats_json);
	if (rc != 0) {
		fprintf(stderr, "framepipe: %s: cannot write stats: %s\n",
			o->stats_json, fp_strerror(rc));
		return FP_EXIT_RUNTIME;
	}
	return 0;
}

/* --debug-stage LABEL: that stage runs as one instance, never restarted
 * (so its frame is never retried on a fresh, unattached instance), with
 * no timeout. Returns 1 + its index, or 0 after saying why not. */
static size_t debug_stage(const char *label, fp_pipeline *p)
{
	for (size_t k = 0; k < p->stage_count; k++) {
		fp_stage_spec *s = &p->stages[k];
		if (strcmp(s->label, label) != 0)
			continue;
		s->workers = 1;
		s->max_restarts = 0;
		s->timeout_ns = 0;
		return k + 1;
	}
	fprintf(stderr,
		"framepipe: --debug-stage %s: the pipeline has no "
		"stage so named; its stages are",
		label);
	for (size_t k = 0; k < p->stage_count; k++)
		fprintf(stderr, "%s %s", k ? "," : "", p->stages[k].label);
	fputc('\n', stderr);
	return 0;
}

static int run_command(int argc, char **argv)
{
	/* A signal while inputs are found and outputs planned ends the run
	 * with 3 and one line, not with the signal's default. */
	fp__supervisor_catch_signals();
	cli_options o;
	int code = cli_parse(argc, argv, 2, "run", &o);
	if (code != 0 || o.help) {
		if (o.help)
			cli_usage("run", true);
		cli_release(&o);
		return code;
	}
	if (o.print_config) {
		code = print_config(&o);
		cli_release(&o);
		return code;
	}
	prepared p;
	code = prepare(&o, &p, false);
	size_t debug = 0;
	if (code == 0 && o.debug_stage != NULL &&
	    (debug = debug_stage(o.debug_stage, &p.pipeline)) == 0)
		code = FP_EXIT_USAGE;
	if (code == 0 && o.list_inputs) {
		code = list_inputs(&o, &p, false);
	} else if (code == 0 && p.is_empty_shard) {
		code = empty_shard(&o, &p);
	} else if (code == 0) {
		fp_run_options options = {
			.inputs = &p.inputs,
			.output_dir = o.output_dir,
			.stats_json = o.stats_json,
			.quiet = o.quiet,
			.ignore_unknown = o.ignore_unknown,
			.existing = existing_mode(&o),
			.trace_path = o.trace,
			.progress = o.progress,
			.debug_stage = debug,
		};
		code = fp__supervisor_run(&p.pipeline, &options);
	}
	release(&p);
	cli_release(&o);
	return code;
}

static int check_command(int argc, char **argv)
{
	cli_options o;
	int code = cli_parse(argc, argv, 2, "check", &o);
	if (code == 0 && o.help)
		cli_usage("check", true);
	if (code != 0 || o.help) {
		cli_release(&o);
		return code;
	}
	prepared p;
	code = prepare(&o, &p, true);
	if (code == 0 && o.list_inputs) {
		code = list_inputs(&o, &p, true);
	} else if (code == 0) {
		size_t failing;
		code = check_inputs(&o, &p, &failing);
		bool unlisted = report_unlisted(&p) != 0;
		if (unlisted)
			code = FP_EXIT_FAILED;
		fflush(stderr);
		/* "valid" only when the run would fail nothing and read
		 * every folder */
		printf("%s: %s:", o.oneline ? "-p" : o.config,
		       failing > 0 || unlisted ? "the pipeline is valid"
					       : "valid");
		for (size_t i = 0; i < p.pipeline.stage_count; i++)
			printf("%s %s", i ? " !" : "",
			       p.pipeline.stages[i].plugin.desc->name);
		if (o.input_count > 0 && o.shard.n > 0)
			printf("; %zu of %zu inputs in shard %u/%u",
			       p.inputs.count, p.all_inputs, o.shard.k,
			       o.shard.n);
		else if (o.input_count > 0)
			printf("; %zu input%s", p.inputs.count,
			       p.inputs.count == 1 ? "" : "s");
		if (failing > 0)
			printf(", of which %zu would fail (listed on standard "
			       "error)",
			       failing);
		if (unlisted)
			printf("%s some folders could not be listed (on "
			       "standard error)",
			       failing > 0 ? ";" : ",");
		putchar('\n');
		fflush(stdout);
	}
	release(&p);
	cli_release(&o);
	return code;
}

static int list_stages(void)
{
	fp_catalog catalog;
	if (fp__catalog_load(&catalog) != 0) {
		fprintf(stderr, "framepipe: out of memory listing stages\n");
		return FP_EXIT_RUNTIME;
	}
	for (size_t i = 0; i < catalog.count; i++) {
		const fp_catalog_entry *e = &catalog.entries[i];
		if (e->is_broken)
			printf("  %-20s %-7s cannot load: %s\n", e->name, "?",
			       e->summary);
		else
			printf("  %-20s %-7s %s%s\n", e->name,
			       fp__stage_kind_name(e->kind), e->summary,
			       e->is_shadowed  ? " (shadowed by an earlier "
						 "stage of this name)"
			       : e->is_builtin ? ""
					       : " [plugin]");
	}
	printf("%zu stages. framepipe stages NAME describes one.\n",
	       catalog.count);
	fp__catalog_release(&catalog);
	return 0;
}

static int describe_stage(const char *name)
{
	if (strcmp(name, "pipeline") == 0) {
		const fp_stage_descriptor *d = fp__pipeline_descriptor();
		printf("[pipeline] — %s\n\nsettings:\n", d->summary);
		fp__params_describe(stdout, d);
		return 0;
	}
	char err[1024];
	fp_plugin plugin;
	int rc = strchr(name, '/')
			 ? fp__plugin_open(&plugin, name, err, sizeof err)
			 : fp__plugin_find(&plugin, name, err, sizeof err);
	if (rc != 0) {
		char hint[256];
		bool close = rc == FP_ENOSTAGE &&
			     fp__stage_name_suggest(name, hint, sizeof hint);
		fprintf(stderr, "framepipe: %s%s%s%s\n", err,
			close ? " (did you mean '" : "", close ? hint : "",
			close ? "'?)" : "");
		return FP_EXIT_USAGE;
	}
	fp__stage_describe(stdout, plugin.desc, plugin.path);
	printf("\nevery stage also takes:\n");
	fp__params_describe(stdout, fp__framework_descriptor());
	fp__plugin_close(&plugin);
	return 0;
}

static int stages_command(int argc, char **argv)
{
	if (argc > 2 &&
	    (!strcmp(argv[2], "-h") || !strcmp(argv[2], "--help"))) {
		cli_usage("stages", true);
		return 0;
	}
	if (argc > 3) {
		fprintf(stderr, "framepipe stages: one NAME at most\n");
		return FP_EXIT_USAGE;
	}
	return argc == 3 ? describe_stage(argv[2]) : list_stages();
}

/* "unknown WHAT 'NAME' (did you mean 'X'?) (SEE)": exit status 2. */
static int unknown_name(const char *what, const char *name,
			const fp_suggest *hint, const char *see)
{
	const char *best = fp__suggest_best(hint);
	fprintf(stderr, "framepipe: unknown %s '%s'%s%s%s (%s)\n", what, name,
		best ? " (did you mean '" : "", best ? best : "",
		best ? "'?)" : "", see);
	return FP_EXIT_USAGE;
}

/* help [NAME]: the help of command NAME, or of stage NAME as `stages NAME`
 * prints it; another NAME is refused with the nearest of both. */
static int help_command(int argc, char **argv)
{
	const char *name = argc > 2 ? argv[2] : NULL;
	if (argc > 3) {
		fprintf(stderr, "framepipe help: one NAME at most\n");
		return FP_EXIT_USAGE;
	}
	if (name != NULL && (!strcmp(name, "-h") || !strcmp(name, "--help")))
		name = "help";
	if (name == NULL || cli_is_command(name)) {
		cli_usage(name, true);
		return 0;
	}
	char err[1024];
	fp_plugin plugin = {0};
	/* a path is a stage file: describe_stage says why it does not load */
	if (strcmp(name, "pipeline") == 0 || strchr(name, '/') != NULL)
		return describe_stage(name);
	if (fp__plugin_find(&plugin, name, err, sizeof err) != FP_ENOSTAGE) {
		fp__plugin_close(&plugin);
		return describe_stage(name);
	}
	char stage[256];
	fp_suggest hint;
	fp__suggest_init(&hint, name);
	cli_suggest_command(&hint);
	fp__suggest_offer(&hint, "pipeline");
	if (fp__stage_name_suggest(name, stage, sizeof stage))
		fp__suggest_offer(&hint, stage);
	return unknown_name("command or stage", name, &hint,
			    "framepipe --help, framepipe stages");
}

static int stats_merge_usage(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
static int stats_merge_usage(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "framepipe stats-merge: ");
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n(framepipe stats-merge --help)\n");
	return FP_EXIT_USAGE;
}

static int stats_merge_command(int argc, char **argv)
{
	const char *out_path = NULL;
	const char **files = calloc((size_t)argc, sizeof *files);
	size_t count = 0;
	bool options_done = false;
	if (files == NULL)
		return FP_EXIT_RUNTIME;
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i];
		int rc = -1;
		if (options_done || a[0] != '-' || a[1] == '\0')
			files[count++] = a;
		else if (!strcmp(a, "--"))
			options_done = true;
		else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			cli_usage("stats-merge", true);
			rc = 0;
		} else if (strcmp(a, "-o") && strcmp(a, "--output"))
			rc = stats_merge_usage("unknown option '%s'", a);
		else if (i + 1 == argc)
			rc = stats_merge_usage("%s needs a file name", a);
		else
			out_path = argv[++i];
		if (rc >= 0) {
			free(files);
			return rc;
		}
	}
	if (count == 0) {
		free(files);
		return stats_merge_usage("needs STATS.json files");
	}
	FILE *out = out_path != NULL ? fopen(out_path, "we") : stdout;
	if (out == NULL) {
		perror(out_path);
		free(files);
		return FP_EXIT_RUNTIME;
	}
	char err[1024];
	int rc = fp__stats_merge(files, count, out, err, sizeof err);
	free(files);
	if (rc != 0)
		fprintf(stderr, "framepipe stats-merge: %s\n", err);
	if (rc != 0 && out_path != NULL)
		(void)remove(out_path);
	if ((out != stdout ? fclose(out) : fflush(out)) != 0 && rc == 0) {
		perror(out_path != NULL ? out_path : "standard output");
		return FP_EXIT_RUNTIME;
	}
	return rc == 0 ? 0 : rc == -ENOMEM ? FP_EXIT_RUNTIME : FP_EXIT_USAGE;
}

int main(int argc, char **argv)
{
	const char *command = argc > 1 ? argv[1] : NULL;
	if (command == NULL) {
		cli_usage(NULL, false);
		return FP_EXIT_USAGE;
	}
	if (!strcmp(command, "-h") || !strcmp(command, "--help")) {
		cli_usage(NULL, true);
		return 0;
	}
	if (!strcmp(command, "--version")) {
		printf("framepipe %s (stage ABI %d.%d)\n", FP_VERSION,
		       FP_ABI_MAJOR, FP_ABI_MINOR);
		return 0;
	}
	if (!strcmp(command, "run"))
		return run_command(argc, argv);
	if (!strcmp(command, "check"))
		return check_command(argc, argv);
	if (!strcmp(command, "stages"))
		return stages_command(argc, argv);
	if (!strcmp(command, "stats-merge"))
		return stats_merge_command(argc, argv);
	if (!strcmp(command, "help"))
		return help_command(argc, argv);
	fp_suggest hint;
	fp__suggest_init(&hint, command);
	cli_suggest_command(&hint);
	return unknown_name("command", command, &hint, "framepipe --help");
}
