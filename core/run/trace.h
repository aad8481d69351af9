/* trace — a Chrome trace-event JSON file of the run (open it in Perfetto or
 * chrome://tracing): one process track per stage instance, one slice per
 * frame per stage named after the input, flow arrows that follow each
 * frame from stage to stage, and a counter of free pool slots. Events are
 * written as they happen, so memory does not grow with the batch. */
#ifndef FP_TRACE_H
#define FP_TRACE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

typedef struct fp_trace {
	FILE *file;
	uint64_t origin_ns; /* uv_hrtime() at the start of the run */
	uint64_t last_counter_ns;
	uint32_t last_free;
	bool first;
} fp_trace;

/* Open path for writing; -errno on failure. */
int fp__trace_open(fp_trace *trace, const char *path, uint64_t origin_ns);

/* Name the track of one stage instance (track id = instance id + 1; the
 * pool's counter is on track 0). */
void fp__trace_track(fp_trace *trace, int track, const char *label,
		     unsigned index, int pid);

/* One frame through one stage: started at start_ns, took dur_us. step is
 * 0 for the first stage, 2 for the last, 1 between (for the flow arrow);
 * failed frames carry their reason. */
void fp__trace_frame(fp_trace *trace, int track, const char *input,
		     uint32_t input_index, uint64_t start_ns, uint64_t dur_us,
		     int step, const char *failure);

/* The free-slot counter, written when it changed and not more often than
 * every 500 µs. */
void fp__trace_free_slots(fp_trace *trace, uint64_t now_ns, uint32_t free);

/* Finish the JSON and close; -errno if the file could not be written. */
int fp__trace_close(fp_trace *trace);

#endif
