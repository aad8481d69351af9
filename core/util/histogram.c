#include "histogram.h"

static unsigned bucket_of(uint64_t v)
{
	if (v < 16)
		return (unsigned)v;
	unsigned e = 63 - (unsigned)__builtin_clzll(v); /* 4..63 */
	unsigned sub = (unsigned)(v >> (e - 4)) & 15;
	return 16 + (e - 4) * 16 + sub;
}

/* The middle of a bucket's range. */
static uint64_t bucket_value(unsigned b)
{
	if (b < 16)
		return b;
	unsigned e = (b - 16) / 16 + 4, sub = (b - 16) % 16;
	uint64_t low = ((uint64_t)16 + sub) << (e - 4);
	return low + ((uint64_t)1 << (e - 4)) / 2;
}

void fp__histogram_add(fp_histogram *h, uint64_t value)
{
	h->buckets[bucket_of(value)]++;
	if (h->count == 0 || value < h->min)
		h->min = value;
	if (h->count == 0 || value > h->max)
		h->max = value;
	h->count++;
}

static uint64_t clamp(const fp_histogram *h, uint64_t v)
{
	return v < h->min ? h->min : v > h->max ? h->max : v;
}

uint64_t fp__histogram_quantile(const fp_histogram *h, double q)
{
	if (h->count == 0)
		return 0;
	/* Nearest rank: the smallest value with at least q of the samples
	 * at or below it. */
	double want = q * (double)h->count;
	uint64_t rank = (uint64_t)want, seen = 0;
	if ((double)rank < want || rank == 0)
		rank++;
	for (unsigned b = 0; b < FP_HISTOGRAM_BUCKETS; b++) {
		seen += h->buckets[b];
		if (seen >= rank)
			return clamp(h, bucket_value(b));
	}
	return h->max;
}
