/* supervisor_state — the supervisor's private state, shared by
 * supervisor.c (processes and loop), dispatch.c (the broker) and report.c.
 * Lives in the supervisor process; a forked instance reads the pipeline and
 * pool through it but never touches the loop parts. */
#ifndef FP_SUPERVISOR_STATE_H
#define FP_SUPERVISOR_STATE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <uv.h>

#include "channel.h"
#include "histogram.h"
#include "order.h"
#include "ledger.h"
#include "pool.h"
#include "supervisor.h"
#include "trace.h"

typedef struct fp_supervisor fp_supervisor;

typedef struct fp_instance {
	fp_supervisor *sup;
	size_t stage;	/* index into sup->stages */
	unsigned index; /* 0 .. workers-1 within its stage */
	int32_t id;	/* ledger owner id: index into sup->instances */
	pid_t pid;
	int fd;		/* supervisor's end until the channel takes it */
	fp_channel *ch; /* this incarnation's; freed when its handle closes */
	uint32_t inflight; /* frames handed over and not yet answered */
	/* Their input slots in the order handed over: an instance answers in
	 * that order, so held[held_head] is the frame it is working on. */
	uint32_t held[FP_MAX_DEPTH];
	uint32_t held_head;
	bool is_ready;	     /* said HELLO */
	bool is_alive;	     /* not yet reaped */
	char condemned[200]; /* why the supervisor killed it, if it did */
	uint64_t frames;
	uint64_t busy_us;
} fp_instance;

typedef struct fp_stage_run {
	const fp_stage_spec *spec;
	unsigned restarts;	/* instances restarted so far */
	fp_instance *instances; /* workers of them, within sup->instances */
	unsigned live;		/* instances not yet dead */
	uint32_t *queue;	/* slots waiting to enter this stage (FIFO) */
	uint32_t queue_head;
	uint32_t queue_len;
	uint64_t frames;
	uint64_t busy_us;
	fp_histogram us_per_frame; /* time in process(), per frame */
} fp_stage_run;

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
	uv_check_t pump;
	uv_timer_t stop_timer;
	uv_timer_t watchdog;
	uv_timer_t progress_timer;
	fp_progress progress;
	fp_trace trace; /* trace.file is NULL when not tracing */

	fp_pool pool;
	fp_ledger ledger;
	uint32_t *slot_input;	/* input index of the frame in each slot */
	uint8_t *slot_attempts; /* times the frame in it killed an instance
				   at its current stage */
	bool *slot_is_grant;	/* slot was granted as an output slot */
	uint32_t reserve;	/* free slots sources may not take */

	fp_stage_run *stages;
	size_t stage_count;
	fp_instance *instances;
	size_t instance_count;
	unsigned alive;

	fp_output_plan plan; /* skip: inputs whose output exists (--resume) */
	bool is_ordered;     /* the sink takes frames in sequence order */
	fp_order order;
	uint64_t next_sequence;
	int64_t expected; /* frames the source will make, -1 unknown */
	bool source_done;
	bool interrupted;
	bool stopping; /* STOP sent */
	uint64_t ok;
	uint64_t not_started; /* inputs the source never reached */
	uint64_t ends;	      /* frames the source said were past its end */

	fp_failure *failures;
	size_t failure_count;
	size_t failure_capacity;

	int runtime_error; /* 0, or why the run failed */
	char runtime_message[512];
	uint64_t start_ns;
	double wall_s;
};

/* dispatch.c */
void fp__dispatch_pump(fp_supervisor *sup);
void fp__dispatch_on_msg(fp_channel *ch, const fp_msg *msg);
void fp__dispatch_on_death(fp_supervisor *sup, fp_instance *inst,
			   int wait_status);
/* Kill instances stuck on one frame longer than their stage's timeout. */
void fp__dispatch_watchdog(fp_supervisor *sup, uint64_t now_ns);
void fp__dispatch_condemn(fp_instance *inst, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

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

/* supervisor.c: fork a fresh instance in place of a dead one, from the
 * running loop. */
int fp__supervisor_respawn(fp_supervisor *sup, fp_instance *inst);
/* Close the instance's channel; its memory goes when libuv is done. */
void fp__supervisor_close_channel(fp_instance *inst);

/* stage_host.c: the life of one forked instance; never returns. */
_Noreturn void fp__stage_host_main(fp_supervisor *sup, fp_instance *inst,
				   int fd);

#endif
