/* shard — a deterministic share of a run's inputs, for running the same
 * command on N machines (--shard K/N).
 *
 * An input belongs to shard K of N when H(rel) mod N == K, where rel is its
 * path below its input root (the part {dir}/{name} are made of) and H is
 * FNV-1a 64 followed by the murmur3 64-bit finaliser (FNV-1a alone keeps
 * the low bits of the bytes in the low bits of the hash, which would skew
 * small powers of two). The share of an input depends on its own name only:
 * not on the order of the list, not on the other inputs, not on the
 * machine or on where the input folder is mounted.
 */
#ifndef FP_SHARD_H
#define FP_SHARD_H

#include <stdbool.h>
#include <stdint.h>

#include "inputs.h"

#define FP_SHARD_MAX 1000000u

typedef struct fp_shard {
	uint32_t k;
	uint32_t n; /* 0: no sharding */
} fp_shard;

/* "K/N" with 0 <= K < N <= FP_SHARD_MAX, decimal. 0 or FP_ECONFIG. */
int fp__shard_parse(fp_shard *shard, const char *text);

uint64_t fp__shard_hash(const char *rel_path);

/* Does rel_path belong to shard (always, when shard->n is 0)? */
bool fp__shard_has(const fp_shard *shard, const char *rel_path);

/* Keep only the inputs of shard, in their order, and set inputs->index to
 * each one's position in the full list (for {index}). -ENOMEM or 0; on
 * error inputs is unchanged. */
int fp__inputs_shard(fp_inputs *inputs, const fp_shard *shard);

#endif
