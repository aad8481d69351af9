/* stats_merge — one report from the --stats-json files of the shards of a
 * batch (framepipe stats-merge). */
#ifndef FP_STATS_MERGE_H
#define FP_STATS_MERGE_H

#include <stddef.h>
#include <stdio.h>

/* Read the stats files at paths and write their sum to out, in the format
 * of --stats-json plus "shards" (how many files): frame counts and
 * failures added up, per stage workers, frames and busy_s added up (pids,
 * which mean nothing across machines, are left out), pool figures and
 * wall_s the largest. Files of shards that had no input (no workers) only
 * add their shard. Stage lists that differ in names or stages are an
 * error: not the same pipeline. 0, or FP_ECORRUPT / FP_ECONFIG / -errno
 * with "FILE: reason" in err. */
int fp__stats_merge(const char *const *paths, size_t count, FILE *out,
		    char *err, size_t err_size);

#endif
