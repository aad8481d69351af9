/* progress — what a run shows while it runs: on a terminal one line that
 * updates in place; elsewhere nothing, or a plain line every few seconds
 * when asked (--progress=lines). */
#ifndef FP_PROGRESS_H
#define FP_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

typedef enum fp_progress_mode {
	FP_PROGRESS_AUTO = 0, /* bar on a terminal, else none */
	FP_PROGRESS_BAR,
	FP_PROGRESS_LINES,
	FP_PROGRESS_NONE,
} fp_progress_mode;

typedef struct fp_progress {
	fp_progress_mode mode; /* resolved: BAR, LINES or NONE */
	FILE *out;
	bool bar_shown; /* a bar line is on screen and must be erased */
	uint64_t last_ns;
} fp_progress;

typedef struct fp_progress_counts {
	uint64_t done; /* written */
	uint64_t failed;
	int64_t total; /* -1 when unknown */
	double elapsed_s;
} fp_progress_counts;

void fp__progress_init(fp_progress *p, fp_progress_mode mode, FILE *out);
/* Interval between updates for the mode, in ms (0: no updates). */
unsigned fp__progress_interval_ms(const fp_progress *p);
void fp__progress_update(fp_progress *p, const fp_progress_counts *c);
/* Erase the bar before other output (a failure line, the summary). */
void fp__progress_clear(fp_progress *p);

#endif
