/* suggest — "did you mean": the candidate closest to a misspelt name, when
 * it is close enough to be a typo. One place for stage names, parameter
 * names, [pipeline] settings and commands. */
#ifndef FP_SUGGEST_H
#define FP_SUGGEST_H

#include <stddef.h>

typedef struct fp_suggest {
	const char *name; /* what the user wrote */
	const char *best; /* the closest candidate so far, or NULL */
	size_t best_distance;
} fp_suggest;

void fp__suggest_init(fp_suggest *s, const char *name);
/* Consider one candidate (borrowed: must outlive the fp_suggest). */
void fp__suggest_offer(fp_suggest *s, const char *candidate);
/* The closest candidate within typo distance, or NULL. */
const char *fp__suggest_best(const fp_suggest *s);

/* Edit distance: insertions, deletions, substitutions and swaps of two
 * neighbours each count 1. Names over 63 bytes are "far" (64). */
size_t fp__edit_distance(const char *a, const char *b);

#endif
