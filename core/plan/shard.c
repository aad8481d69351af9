#include "shard.h"

#include <errno.h>
#include <stdlib.h>

#include "framepipe/error.h"

/* A decimal number of at most 7 digits up to the first non-digit. */
static const char *parse_number(const char *p, uint32_t *value)
{
	uint32_t v = 0;
	const char *start = p;
	while (*p >= '0' && *p <= '9' && p - start < 7)
		v = v * 10 + (uint32_t)(*p++ - '0');
	if (p == start || (*p >= '0' && *p <= '9'))
		return NULL;
	*value = v;
	return p;
}

int fp__shard_parse(fp_shard *shard, const char *text)
{
	uint32_t k, n;
	const char *p = parse_number(text, &k);
	if (p == NULL || *p != '/')
		return FP_ECONFIG;
	p = parse_number(p + 1, &n);
	if (p == NULL || *p != '\0' || n == 0 || n > FP_SHARD_MAX || k >= n)
		return FP_ECONFIG;
	shard->k = k;
	shard->n = n;
	return 0;
}

uint64_t fp__shard_hash(const char *rel_path)
{
	uint64_t h = 0xcbf29ce484222325ull; /* FNV-1a 64 */
	for (const unsigned char *p = (const unsigned char *)rel_path; *p;
	     p++) {
		h ^= *p;
		h *= 0x100000001b3ull;
	}
	h ^= h >> 33; /* murmur3 fmix64: every bit reaches the low ones */
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ull;
	h ^= h >> 33;
	return h;
}

bool fp__shard_has(const fp_shard *shard, const char *rel_path)
{
	return shard->n == 0 || fp__shard_hash(rel_path) % shard->n == shard->k;
}

int fp__inputs_shard(fp_inputs *inputs, const fp_shard *shard)
{
	uint32_t *index =
		malloc((inputs->count ? inputs->count : 1) * sizeof *index);
	if (index == NULL)
		return -ENOMEM;
	size_t kept = 0;
	for (size_t i = 0; i < inputs->count; i++) {
		uint32_t full = fp__inputs_index(inputs, i);
		if (!fp__shard_has(shard, fp__inputs_rel_path(inputs, i))) {
			free(inputs->paths[i]);
			continue;
		}
		inputs->paths[kept] = inputs->paths[i];
		inputs->rel[kept] = inputs->rel[i];
		index[kept++] = full;
	}
	free(inputs->index);
	inputs->index = index;
	inputs->count = kept;
	return 0;
}
