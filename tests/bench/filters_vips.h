/* filters_vips.h — the libvips column of bench_filters (filters_vips.c). */
#ifndef FP_BENCH_FILTERS_VIPS_H
#define FP_BENCH_FILTERS_VIPS_H

#include <stdbool.h>

/* VIPS_INIT, one thread, no cache; 0 or -1. */
int fp_bench_vips_init(const char *argv0);

/* Best of runs, in seconds by now(), of libvips's equivalent of stage
 * (desc: the bench row's parameters) on the frame at pixels (borrowed);
 * -1 when libvips has none or fails. */
double fp_bench_vips(const char *stage, const char *desc, void *pixels,
		     int width, int height, int bands, bool wide, int runs,
		     double (*now)(void));

#endif
