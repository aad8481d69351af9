/* framepipe — the command-line program. Parses arguments and wires the
 * core together; everything else lives in core/. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "cli.h"
#include "config.h"
#include "framepipe/framepipe.h"
#include "inputs.h"
#include "loader.h"
#include "oneline.h"
#include "pipeline.h"
#include "supervisor.h"

/* Everything `run` and `check` validate before a single frame moves. */
typedef struct prepared {
	fp_config config;
	fp_pipeline pipeline;
	fp_inputs inputs;
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

static int load_config(const cli_options *o, fp_config *config, char *err,
		       size_t size)
{
	if (o->oneline != NULL)
		return fp__oneline_parse(config, o->oneline, err, size);
	return fp__config_load(config, o->config, err, size);
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
			      o->recursive, err, sizeof err) != 0) {
		fprintf(stderr, "framepipe: %s\n", err);
		return FP_EXIT_USAGE;
	}
	const char *problem = NULL;
	if (reads_inputs(&p->pipeline) && p->inputs.count == 0 && !is_check)
		problem = "reads input files: give some with -i";
	else if (sink_writes_files(&p->pipeline) && o->output_dir == NULL &&
		 !is_check)
		problem = "writes files: give an output folder with -o";
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
	int rc = fp__outputs_check_dir(o->output_dir, err, sizeof err);
	if (rc == 0 && sink_writes_files(&p->pipeline) &&
	    reads_inputs(&p->pipeline))
		rc = fp__outputs_check(
			o->output_dir, p->pipeline.output_template,
			(const char *const *)p->inputs.paths, p->inputs.rel,
			p->inputs.count, o->existing, err, sizeof err);
	if (rc != 0) {
		fprintf(stderr, "framepipe: %s\n", err);
		return FP_EXIT_USAGE;
	}
	return 0;
}

static int print_config(const cli_options *o)
{
	char err[1024];
	fp_config config;
	if (fp__oneline_parse(&config, o->oneline, err, sizeof err) != 0) {
		fprintf(stderr, "framepipe: %s\n", err);
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

static int run_command(int argc, char **argv)
{
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
	if (code == 0) {
		fp_run_options options = {
			.inputs = (const char *const *)p.inputs.paths,
			.input_rel = p.inputs.rel,
			.input_count = p.inputs.count,
			.output_dir = o.output_dir,
			.stats_json = o.stats_json,
			.quiet = o.quiet,
			.existing = o.existing,
			.trace_path = o.trace,
			.progress = o.progress,
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
	if (code == 0) {
		printf("%s: valid:", o.oneline ? "-p" : o.config);
		for (size_t i = 0; i < p.pipeline.stage_count; i++)
			printf("%s %s", i ? " !" : "",
			       p.pipeline.stages[i].plugin.desc->name);
		if (o.input_count > 0)
			printf("; %zu inputs", p.inputs.count);
		putchar('\n');
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
	static const char *const kinds[] = {"?", "source", "filter", "sink"};
	for (size_t i = 0; i < catalog.count; i++) {
		const fp_catalog_entry *e = &catalog.entries[i];
		if (e->is_broken)
			printf("  %-20s %-7s cannot load: %s\n", e->name, "?",
			       e->summary);
		else
			printf("  %-20s %-7s %s%s\n", e->name, kinds[e->kind],
			       e->summary,
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
	char err[1024];
	fp_plugin plugin;
	int rc = strchr(name, '/')
			 ? fp__plugin_open(&plugin, name, err, sizeof err)
			 : fp__plugin_find(&plugin, name, err, sizeof err);
	if (rc != 0) {
		fp_catalog catalog;
		const char *hint = NULL;
		if (fp__catalog_load(&catalog) == 0)
			hint = fp__catalog_suggest(&catalog, name);
		fprintf(stderr, "framepipe: %s%s%s%s\n", err,
			hint ? " (did you mean '" : "", hint ? hint : "",
			hint ? "'?)" : "");
		fp__catalog_release(&catalog);
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
	if (!strcmp(command, "help")) {
		cli_usage(argc > 2 ? argv[2] : NULL, true);
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
	fprintf(stderr, "framepipe: unknown command '%s' (framepipe --help)\n",
		command);
	return FP_EXIT_USAGE;
}
