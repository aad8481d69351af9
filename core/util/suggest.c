#include "suggest.h"

#include <string.h>

size_t fp__edit_distance(const char *a, const char *b)
{
	size_t n = strlen(a), m = strlen(b);
	if (n > 63 || m > 63)
		return 64;
	size_t d[64][64];
	for (size_t i = 0; i <= n; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= m; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= n; i++) {
		for (size_t j = 1; j <= m; j++) {
			size_t best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
			if (d[i - 1][j] + 1 < best)
				best = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < best)
				best = d[i - 2][j - 2] + 1;
			d[i][j] = best;
		}
	}
	return d[n][m];
}

void fp__suggest_init(fp_suggest *s, const char *name)
{
	s->name = name;
	s->best = NULL;
	/* A typo: at most a third of the name wrong, and 2 for short ones. */
	s->best_distance = strlen(name) / 3 + 1;
	if (s->best_distance < 2)
		s->best_distance = 2;
	s->best_distance++;
}

void fp__suggest_offer(fp_suggest *s, const char *candidate)
{
	if (candidate == NULL || strcmp(candidate, s->name) == 0)
		return;
	size_t d = fp__edit_distance(s->name, candidate);
	if (d < s->best_distance) {
		s->best = candidate;
		s->best_distance = d;
	}
}

const char *fp__suggest_best(const fp_suggest *s)
{
	return s->best;
}
