/* supervisor_state — the supervisor's private state, shared by
 * supervisor.c (processes, loop, the broker's operations) and report.c.
 * Lives in the supervisor process only: a forked instance is given an
 * fp_host_args (stage_host.h), never this. */
#ifndef FP_SUPERVISOR_STATE_H
#define FP_SUPERVISOR_STATE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <uv.h>

#include "broker.h"
#include "channel.h"
#include "crash.h"
#include "pool.h"
#include "run_files.h"
#include "stage_output.h"
#include "supervisor.h"
#include "trace.h"

typedef struct fp_supervisor fp_supervisor;

/* One stage instance as a process: the broker knows it by id. */
typedef struct fp_process {
	fp_supervisor *sup;
	int32_t id;	/* the broker's instance id */
	pid_t pid;	/* also its process group */
	int fd;		/* supervisor's end until the channel takes it */
	fp_channel *ch; /* this incarnation's; freed when its handle closes */
	/* The read end of its stdout pipe until out takes it; -1 for a
	 * stage that writes the run's stdout (stage_output.h). */
	int out_fd;
	fp_stage_output *out; /* this incarnation's, like ch */
} fp_process;

typedef struct fp_failure {
	uint32_t input_index;
	char *stage;
	char *reason;
} fp_failure;

struct fp_supervisor {
	const fp_pipeline *pipeline;
	const fp_run_options *options;
	pid_t pid;
	uv_loop_t loop;
	uv_signal_t sigchld;
	uv_signal_t sigint;
	uv_signal_t sigterm;
	uv_signal_t sighup;
	uv_check_t pump;
	uv_timer_t stop_timer;
	uv_timer_t watchdog;
	uv_timer_t progress_timer;
	uv_poll_t keys; /* --debug-stage on a terminal: Enter continues */
	bool keys_on;
	fp_progress progress;
	fp_trace trace; /* trace.file is NULL when not tracing */

	fp_pool pool;
	fp_crash_table crashes; /* one fault record per instance (crash.h) */
	fp_broker broker;
	fp_broker_stage_conf *stage_conf; /* the broker's view of each stage */
	fp_process *procs;		  /* one per broker instance */
	size_t instance_count;
	uint32_t reserve; /* free slots sources may not take */
	uint32_t depth;	  /* [pipeline] depth, auto resolved */

	fp_output_plan plan; /* skip: inputs whose output exists (--resume) */
	fp_run_lock run;     /* the run's id, lock and temporary files */
	/* plan.skip and the inputs that failed before the run (their probe
	 * or frame_bound said they are unusable); NULL: plan.skip alone. */
	uint8_t *skip;
	int64_t expected;     /* frames the source will make, -1 unknown */
	unsigned signals;     /* interrupts received */
	uint64_t not_started; /* inputs the source never reached */

	/* The first FP_FAILURES_KEPT failures; the rest are only counted
	 * (failures_dropped), so an endless failing stream never grows. */
	fp_failure *failures;
	size_t failure_count;
	size_t failure_capacity;
	uint64_t failures_dropped;
	/* A stage writing the run's stdout found it closed (EPIPE): the run
	 * stops, said once. */
	bool stdout_closed;

	char runtime_message[512]; /* why setting up failed */
	/* The outermost folder this run made for its outputs (""): removed
	 * again, if still empty, when nothing was written. */
	char made_dir[4096];
	uint64_t start_ns;
	double wall_s;
};

/* processes.c */
extern const fp_broker_ops fp__process_ops;
/* Fork proc's instance; the child never returns from here. */
int fp__process_spawn(fp_supervisor *sup, fp_process *proc);
/* Give proc's socket to a channel on the loop. */
int fp__process_open_channel(fp_supervisor *sup, fp_process *proc);
/* Close proc's channel and its stdout reader (printing the rest of its
 * output); their memory goes when libuv is done with them. */
void fp__process_close_channel(fp_process *proc);
/* Reap every instance that ended and tell the broker. */
void fp__process_reap(fp_supervisor *sup);
/* Before or without the loop: kill and wait for every instance. */
void fp__process_kill_all(fp_supervisor *sup);

/* report.c */
void fp__report_progress(fp_supervisor *sup);
void fp__report_failure(fp_supervisor *sup, uint32_t input_index,
			const char *stage, const char *reason);
const char *fp__report_input_name(const fp_supervisor *sup,
				  uint32_t input_index, char *buf, size_t size);
/* After the loop: account for inputs never started, print the summary,
 * write --stats-json; returns the exit code. */
int fp__report_finish(fp_supervisor *sup);
void fp__report_release(fp_supervisor *sup);

#endif
