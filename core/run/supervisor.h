/* supervisor — runs a pipeline: creates the pool, forks the stage
 * instances, brokers slot ownership between them and reports. */
#ifndef FP_SUPERVISOR_H
#define FP_SUPERVISOR_H

#include <stdbool.h>
#include <stddef.h>

#include "inputs.h"
#include "outputs.h"
#include "pipeline.h"
#include "progress.h"

typedef struct fp_run_options {
	/* borrowed, never NULL: the files, already expanded (none: count 0),
	 * each with its path below its root and its {index} */
	const fp_inputs *inputs;
	const char *output_dir; /* borrowed; created if missing; may be NULL */
	const char *stats_json; /* path or NULL */
	bool quiet;		/* no summary */
	/* --ignore-unknown: files of the folders that are not inputs are
	 * neither named nor part of the exit status */
	bool ignore_unknown;
	fp_existing existing; /* outputs already there: refuse, replace, skip */
	const char *trace_path; /* Chrome trace JSON to write, or NULL */
	fp_progress_mode progress;
	/* --debug-stage: 1 + the index of the stage whose one instance stops
	 * before init for a debugger (its restarts, workers and timeout are
	 * the caller's to set: 0, 1, 0); 0: none. */
	size_t debug_stage;
} fp_run_options;

/* Exit codes, as the program returns them. */
enum fp_exit {
	FP_EXIT_OK = 0,	     /* every frame written */
	FP_EXIT_FAILED = 1,  /* some frames failed, each listed, or a folder
				held images framepipe does not read */
	FP_EXIT_USAGE = 2,   /* usage or config error */
	FP_EXIT_RUNTIME = 3, /* the run itself failed */
};

/* Run pipeline over the inputs. Call from the main thread of a process with
 * no other children. Prints one line per failed input to stderr, then the
 * summary. Returns an enum fp_exit. */
int fp__supervisor_run(const fp_pipeline *pipeline,
		       const fp_run_options *options);

/* From here on, SIGINT, SIGTERM and SIGHUP are noted, not fatal, until
 * fp__supervisor_run acts on them (3 and a one-line message before the
 * run, the summary after). Call as early as a run's planning starts. */
void fp__supervisor_catch_signals(void);

/* --stats-json for a run that had nothing to do (a --shard with no
 * input): the layout of every run's, with zero frames. 0 or -errno. */
int fp__report_write_empty(const fp_pipeline *pipeline, const char *path);

#endif
