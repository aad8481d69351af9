/* stage_output — what a stage instance prints to its stdout, when its
 * stdout is not the run's (every stage but a stream writer such as
 * y4m_write: FP_STAGE_WRITES_STDOUT).
 *
 * The instance's stdout is the write end of a pipe; the supervisor reads
 * the other end on its loop, cuts it into lines and prints each on stderr
 * as "label#instance: line", above the progress line, as env->log does.
 * Runs in the supervisor, on its loop.
 */
#ifndef FP_STAGE_OUTPUT_H
#define FP_STAGE_OUTPUT_H

#include <uv.h>

#include "progress.h"

/* Longer lines are printed in pieces of this many bytes, each a line of
 * its own with the prefix: a plugin that never prints a newline costs
 * the supervisor this much memory, not more. */
#define FP_STAGE_LINE_MAX 1024

typedef struct fp_stage_output {
	uv_pipe_t pipe;
	const char *label; /* borrowed: the stage's spec outlives the loop */
	unsigned instance;
	fp_progress *progress; /* borrowed: erased before each line */
	size_t len;	       /* bytes of line waiting for their newline */
	char line[FP_STAGE_LINE_MAX];
	char read_buf[16384];
} fp_stage_output;

/* Take over fd (the read end of the instance's stdout pipe) and start
 * reading it on loop. *out is new, freed by fp__stage_output_close; on
 * failure fd is closed and *out is NULL. 0 or a libuv error. */
int fp__stage_output_open(fp_stage_output **out, uv_loop_t *loop, int fd,
			  const char *label, unsigned instance,
			  fp_progress *progress);

/* The instance is dead: print what the pipe still holds, without waiting,
 * and the last line even without its newline; then close. The memory goes
 * when libuv is done with the handle. o may be NULL. */
void fp__stage_output_close(fp_stage_output *o);

#endif
