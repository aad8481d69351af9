/* histogram — per-frame times in fixed memory, for percentiles: 16 linear
 * buckets below 16 µs, then 16 buckets per power of two (±3% error). The
 * smallest and largest samples are kept exactly: a quantile never falls
 * outside them (the p95 of one sample is that sample). */
#ifndef FP_HISTOGRAM_H
#define FP_HISTOGRAM_H

#include <stdint.h>

#define FP_HISTOGRAM_BUCKETS 1024

typedef struct fp_histogram {
	uint64_t count;
	uint64_t min, max;
	uint32_t buckets[FP_HISTOGRAM_BUCKETS];
} fp_histogram;

void fp__histogram_add(fp_histogram *h, uint64_t value);
/* The value below which fraction q (0..1) of the samples fall; 0 if none. */
uint64_t fp__histogram_quantile(const fp_histogram *h, double q);

#endif
