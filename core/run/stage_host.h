/* stage_host — the life of one forked stage instance. */
#ifndef FP_STAGE_HOST_H
#define FP_STAGE_HOST_H

#include <stdbool.h>
#include <sys/types.h>

#include "crash.h"
#include "pipeline.h"
#include "pool.h"
#include "run_files.h"
#include "supervisor.h"

/* All a forked instance is given of the supervisor's world: borrowed,
 * read only, valid for the child's life (the child's copy of the
 * supervisor's memory). */
typedef struct fp_host_args {
	const fp_pipeline *pipeline; /* output_template */
	const fp_stage_spec *spec;   /* this instance's stage */
	const fp_run_options *options;
	const fp_pool *pool;
	const fp_run_lock *run; /* the run's id (FRAMEPIPE_RUN_ID) and lock */
	const fp_crash_table *crashes; /* the fault records (crash.h) */
	size_t id;		       /* this instance's record */
	bool debug;	/* --debug-stage: stop before init for a debugger */
	unsigned index; /* 0 .. workers-1 within its stage */
	pid_t supervisor;
	int fd; /* the instance's end of its socketpair */
	/* The write end of its stdout pipe (stage_output.h), or -1: the
	 * stage writes the run's stdout. */
	int stdout_fd;
} fp_host_args;

/* Run in the child right after fork(); never returns. */
_Noreturn void fp__stage_host_main(const fp_host_args *args);

#endif
