/* cli — the command line: the commands and their help, and the options of
 * `framepipe run` and `framepipe check`. */
#ifndef FP_CLI_H
#define FP_CLI_H

#include <stdbool.h>
#include <stddef.h>

#include "outputs.h"
#include "progress.h"
#include "shard.h"
#include "suggest.h"

typedef struct cli_options {
	const char *config;  /* CONFIG file, or */
	const char *oneline; /* -p LINE */
	const char **inputs; /* -i INPUT... (into argv) */
	size_t input_count;
	const char *output_dir;
	const char **sets; /* --set KEY=VALUE... (into argv) */
	size_t set_count;
	const char *stats_json;
	const char *trace;
	const char *debug_stage; /* --debug-stage LABEL */
	bool recursive;
	bool quiet;
	bool print_config;
	bool list_inputs;
	bool help;
	bool in_place;	     /* --in-place: outputs may replace the inputs */
	bool ignore_unknown; /* --ignore-unknown */
	fp_shard shard;	     /* --shard K/N; n == 0 when not given */
	fp_existing existing;
	fp_progress_mode progress;
} cli_options;

/* Parse argv[first..] for command ("run" or "check"). Returns 0, or the
 * exit code for a usage error (already reported). Free with cli_release. */
int cli_parse(int argc, char **argv, int first, const char *command,
	      cli_options *options);
void cli_release(cli_options *options);

/* The help of command (run, check, stages, ...); of framepipe itself, the
 * list of commands, when command is NULL or not one. */
void cli_usage(const char *command, bool to_stdout);

/* Whether name is a command of framepipe. */
bool cli_is_command(const char *name);

/* Offer every command's name to hint (did you mean). */
void cli_suggest_command(fp_suggest *hint);

#endif
