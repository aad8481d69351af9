#include "stats_merge.h"

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "framepipe/error.h"
#include "framepipe/stage.h"
#include "json.h"

#define MAX_FILE_BYTES ((size_t)256 << 20)

typedef struct merged {
	fp_json *files; /* one parsed document per path */
	size_t count;
	const fp_json *stages; /* the first non-empty stage list */
	size_t stages_from;    /* its file */
} merged;

static int read_file(const char *path, char **text, size_t *len)
{
	FILE *f = fopen(path, "rbe");
	if (f == NULL)
		return -errno;
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap);
	int rc = 0;
	while (buf != NULL && rc == 0) {
		n += fread(buf + n, 1, cap - n, f);
		if (ferror(f))
			rc = -EIO;
		else if (n < cap)
			break;
		else if (cap >= MAX_FILE_BYTES)
			rc = -EFBIG;
		else {
			char *grown = realloc(buf, cap * 2);
			if (grown == NULL)
				free(buf);
			buf = grown;
			cap *= 2;
		}
	}
	fclose(f);
	if (buf == NULL)
		return -ENOMEM;
	if (rc != 0) {
		free(buf);
		return rc;
	}
	*text = buf;
	*len = n;
	return 0;
}

static double number(const fp_json *obj, const char *key)
{
	const fp_json *v = fp__json_get(obj, key);
	return v != NULL && v->type == FP_JSON_NUMBER ? v->number : 0;
}

static const char *string(const fp_json *obj, const char *key)
{
	const fp_json *v = fp__json_get(obj, key);
	return v != NULL && v->type == FP_JSON_STRING ? v->string : "";
}

static bool is_kind(const fp_json *v, fp_json_type type)
{
	return v != NULL && v->type == type;
}

/* Shape of one file: frames{}, failures[], stages[] of objects. */
static int check_file(merged *m, size_t i, const char *const *paths, char *err,
		      size_t err_size)
{
	const fp_json *doc = &m->files[i];
	const fp_json *stages = fp__json_get(doc, "stages");
	if (!is_kind(fp__json_get(doc, "frames"), FP_JSON_OBJECT) ||
	    !is_kind(fp__json_get(doc, "failures"), FP_JSON_ARRAY) ||
	    !is_kind(stages, FP_JSON_ARRAY)) {
		snprintf(err, err_size,
			 "%s: not a framepipe --stats-json file (expected "
			 "frames, failures and stages)",
			 paths[i]);
		return FP_ECORRUPT;
	}
	if (stages->count == 0 || number(&stages->item[0], "workers") == 0)
		return 0; /* a shard with no input */
	if (m->stages == NULL) {
		m->stages = stages;
		m->stages_from = i;
		return 0;
	}
	for (size_t k = 0; k < stages->count || k < m->stages->count; k++) {
		const fp_json *a =
			k < m->stages->count ? &m->stages->item[k] : NULL;
		const fp_json *b = k < stages->count ? &stages->item[k] : NULL;
		if (a != NULL && b != NULL &&
		    !strcmp(string(a, "name"), string(b, "name")) &&
		    !strcmp(string(a, "stage"), string(b, "stage")))
			continue;
		snprintf(err, err_size,
			 "%s: stage %zu is '%s' (%s), in %s it is '%s' (%s): "
			 "not the same pipeline",
			 paths[i], k + 1, b ? string(b, "name") : "none",
			 b ? string(b, "stage") : "-", paths[m->stages_from],
			 a ? string(a, "name") : "none",
			 a ? string(a, "stage") : "-");
		return FP_ECONFIG;
	}
	return 0;
}

static int load(merged *m, const char *const *paths, size_t count, char *err,
		size_t err_size)
{
	m->files = calloc(count ? count : 1, sizeof *m->files);
	if (m->files == NULL)
		return -ENOMEM;
	for (; m->count < count; m->count++) {
		char *text = NULL, why[256];
		size_t len = 0;
		int rc = read_file(paths[m->count], &text, &len);
		if (rc != 0) {
			snprintf(err, err_size, "%s: %s", paths[m->count],
				 strerror(-rc));
			return rc;
		}
		rc = fp__json_parse(&m->files[m->count], text, len, why,
				    sizeof why);
		free(text);
		if (rc != 0) {
			snprintf(err, err_size, "%s: %s", paths[m->count], why);
			return rc;
		}
		rc = check_file(m, m->count, paths, err, err_size);
		if (rc != 0) {
			m->count++;
			return rc;
		}
	}
	return 0;
}

/* Every counter of "frames" that any file has, summed, in first-seen
 * order. */
static void put_frames(FILE *f, const merged *m)
{
	static const char *const keys[] = {"total", "ok", "failed",
					   "not_started", "skipped"};
	fputs("\"frames\":{", f);
	bool first = true;
	for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
		double sum = 0;
		bool seen = k < 3;
		for (size_t i = 0; i < m->count; i++) {
			const fp_json *fr =
				fp__json_get(&m->files[i], "frames");
			seen |= fp__json_get(fr, keys[k]) != NULL;
			sum += number(fr, keys[k]);
		}
		if (!seen)
			continue;
		fprintf(f, "%s\"%s\":%.0f", first ? "" : ",", keys[k], sum);
		first = false;
	}
	fputc('}', f);
}

static void put_failures(FILE *f, const merged *m)
{
	fputs(",\"failures\":[", f);
	bool first = true;
	for (size_t i = 0; i < m->count; i++) {
		const fp_json *fl = fp__json_get(&m->files[i], "failures");
		for (size_t j = 0; j < fl->count; j++) {
			static const char *const keys[] = {"input", "stage",
							   "reason"};
			fputs(first ? "{" : ",{", f);
			for (size_t k = 0; k < 3; k++) {
				fprintf(f, "%s\"%s\":", k ? "," : "", keys[k]);
				fp__json_write_string(
					f, string(&fl->item[j], keys[k]));
			}
			fputc('}', f);
			first = false;
		}
	}
	fputc(']', f);
}

static void put_stages(FILE *f, const merged *m)
{
	fputs(",\"stages\":[", f);
	for (size_t k = 0; m->stages != NULL && k < m->stages->count; k++) {
		double workers = 0, frames = 0, busy = 0, warnings = 0,
		       errors = 0;
		for (size_t i = 0; i < m->count; i++) {
			const fp_json *st =
				fp__json_get(&m->files[i], "stages");
			if (k >= st->count)
				continue;
			workers += number(&st->item[k], "workers");
			frames += number(&st->item[k], "frames");
			busy += number(&st->item[k], "busy_s");
			warnings += number(&st->item[k], "warnings");
			errors += number(&st->item[k], "errors");
		}
		fputs(k ? ",{\"name\":" : "{\"name\":", f);
		fp__json_write_string(f, string(&m->stages->item[k], "name"));
		fputs(",\"stage\":", f);
		fp__json_write_string(f, string(&m->stages->item[k], "stage"));
		/* mean_ms as a run gives it, over every shard's frames; a
		 * p95 cannot be made from the shards' p95s: not given. The
		 * logged counts are summed (an older file has none: 0);
		 * the per-instance lists are not, shards' instances are not
		 * the same processes. */
		fprintf(f,
			",\"workers\":%.0f,\"frames\":%.0f,\"busy_s\":%.6f,"
			"\"mean_ms\":%.3f,\"warnings\":%.0f,\"errors\":%.0f}",
			workers, frames, busy,
			frames > 0 ? busy * 1e3 / frames : 0.0, warnings,
			errors);
	}
	fputc(']', f);
}

/* A string member, or null when it is not a string. */
static void put_string_or_null(FILE *f, const fp_json *obj, const char *key)
{
	const fp_json *v = fp__json_get(obj, key);
	if (v != NULL && v->type == FP_JSON_STRING)
		fp__json_write_string(f, v->string);
	else
		fputs("null", f);
}

/* "not_read" and "folders_not_read" (each when some file has it): the
 * counts summed, the lists one after the other. */
static void put_not_read(FILE *f, const merged *m)
{
	static const struct {
		const char *name, *list, *fields[2];
		const char *counts[2];
	} parts[] = {
		{"not_read", "files", {"path", "kind"}, {"count", "images"}},
		{"folders_not_read", "folders", {"path", "reason"}, {"count"}},
	};
	for (size_t p = 0; p < FP_COUNT_OF(parts); p++) {
		double sums[2] = {0, 0};
		bool seen = false, ignored = true;
		for (size_t i = 0; i < m->count; i++) {
			const fp_json *part =
				fp__json_get(&m->files[i], parts[p].name);
			if (!is_kind(part, FP_JSON_OBJECT))
				continue;
			seen = true;
			const fp_json *ig = fp__json_get(part, "ignored");
			ignored = ignored && ig != NULL &&
				  ig->type == FP_JSON_BOOL && ig->boolean;
			for (size_t c = 0; c < 2 && parts[p].counts[c]; c++)
				sums[c] += number(part, parts[p].counts[c]);
		}
		if (!seen)
			continue;
		fprintf(f, ",\"%s\":{", parts[p].name);
		for (size_t c = 0; c < 2 && parts[p].counts[c]; c++)
			fprintf(f, "%s\"%s\":%.0f", c ? "," : "",
				parts[p].counts[c], sums[c]);
		if (p == 0)
			fprintf(f, ",\"ignored\":%s",
				ignored ? "true" : "false");
		fprintf(f, ",\"%s\":[", parts[p].list);
		bool first = true;
		for (size_t i = 0; i < m->count; i++) {
			const fp_json *list = fp__json_get(
				fp__json_get(&m->files[i], parts[p].name),
				parts[p].list);
			for (size_t j = 0;
			     is_kind(list, FP_JSON_ARRAY) && j < list->count;
			     j++) {
				fputs(first ? "{" : ",{", f);
				for (size_t k = 0; k < 2; k++) {
					fprintf(f, "%s\"%s\":", k ? "," : "",
						parts[p].fields[k]);
					put_string_or_null(f, &list->item[j],
							   parts[p].fields[k]);
				}
				fputc('}', f);
				first = false;
			}
		}
		fputs("]}", f);
	}
}

/* The merged run's outcome, as a run's --stats-json names it: a shard
 * that failed or was interrupted is the whole's outcome; else the summed
 * frames say it, then whether some shard left images unread. */
static const char *merged_outcome(const merged *m)
{
	bool interrupted = false, not_read = false;
	double ok = 0, failed = 0, others = 0;
	for (size_t i = 0; i < m->count; i++) {
		const char *o = string(&m->files[i], "outcome");
		if (strcmp(o, "run_failed") == 0)
			return "run_failed";
		interrupted |= strcmp(o, "interrupted") == 0;
		not_read |= strcmp(o, "images_not_read") == 0;
		const fp_json *fr = fp__json_get(&m->files[i], "frames");
		ok += number(fr, "ok");
		failed += number(fr, "failed");
		others += number(fr, "not_started") + number(fr, "skipped");
	}
	return interrupted			? "interrupted"
	       : failed > 0 && ok + others == 0 ? "all_failed"
	       : failed > 0			? "some_failed"
	       : not_read			? "images_not_read"
						: "ok";
}

static void put_rest(FILE *f, const merged *m)
{
	double slots = 0, slot_size = 0, wall = 0;
	for (size_t i = 0; i < m->count; i++) {
		const fp_json *pool = fp__json_get(&m->files[i], "pool");
		if (number(pool, "slots") > slots)
			slots = number(pool, "slots");
		/* a file of framepipe 1.2 or older has only slot_bytes */
		double size = fp__json_get(pool, "slot_size") != NULL
				      ? number(pool, "slot_size")
				      : number(pool, "slot_bytes");
		if (size > slot_size)
			slot_size = size;
		if (number(&m->files[i], "wall_s") > wall)
			wall = number(&m->files[i], "wall_s");
	}
	double ok = 0;
	for (size_t i = 0; i < m->count; i++)
		ok += number(fp__json_get(&m->files[i], "frames"), "ok");
	/* the shards ran side by side: the longest is the merged wall */
	fprintf(f,
		",\"pool\":{\"slots\":%.0f,\"slot_size\":%.0f,"
		"\"slot_bytes\":%.0f},\"wall_s\":%.6f,\"frames_per_s\":%.3f,"
		"\"outcome\":\"%s\"",
		slots, slot_size, slot_size, wall, wall > 0 ? ok / wall : 0.0,
		merged_outcome(m));
	put_not_read(f, m);
	fputs("}\n", f);
}

int fp__stats_merge(const char *const *paths, size_t count, FILE *out,
		    char *err, size_t err_size)
{
	merged m = {0};
	int rc = load(&m, paths, count, err, err_size);
	if (rc == -ENOMEM)
		snprintf(err, err_size, "out of memory");
	if (rc == 0) {
		fprintf(out, "{\"shards\":%zu,", count);
		put_frames(out, &m);
		put_failures(out, &m);
		put_stages(out, &m);
		put_rest(out, &m);
	}
	for (size_t i = 0; i < m.count; i++)
		fp__json_free(&m.files[i]);
	free(m.files);
	return rc;
}
