/* report — failures as they happen, the summary and --stats-json. */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "framepipe/framepipe.h"
#include "supervisor_state.h"
#include "json.h"
#include "text.h"

#define STR_(x) #x
#define STR(x)	STR_(x)

/* Failures kept in memory (listed in --stats-json); the rest counted. */
#define FP_FAILURES_KEPT 1000

static uint64_t failed_total(const fp_supervisor *sup)
{
	return sup->failure_count + sup->failures_dropped;
}

const char *fp__report_input_name(const fp_supervisor *sup,
				  uint32_t input_index, char *buf, size_t size)
{
	if (input_index < sup->options->inputs->count)
		return sup->options->inputs->paths[input_index];
	snprintf(buf, size, "frame %u", input_index);
	return buf;
}

static int remember(fp_supervisor *sup, uint32_t input_index, const char *stage,
		    const char *reason)
{
	if (sup->failure_count >= FP_FAILURES_KEPT) {
		sup->failures_dropped++;
		return 0;
	}
	if (sup->failure_count == sup->failure_capacity) {
		size_t cap =
			sup->failure_capacity ? sup->failure_capacity * 2 : 16;
		fp_failure *f = realloc(sup->failures, cap * sizeof *f);
		if (f == NULL)
			return -ENOMEM;
		sup->failures = f;
		sup->failure_capacity = cap;
	}
	fp_failure *f = &sup->failures[sup->failure_count];
	f->input_index = input_index;
	f->stage = strdup(stage);
	f->reason = strdup(reason);
	if (f->stage == NULL || f->reason == NULL) {
		free(f->stage);
		free(f->reason);
		return -ENOMEM;
	}
	sup->failure_count++;
	return 0;
}

void fp__report_progress(fp_supervisor *sup)
{
	fp_progress_counts c = {
		.done = sup->broker.ok,
		.failed = failed_total(sup),
		.total = sup->expected >= 0
				 ? sup->expected - (int64_t)sup->plan.skipped
				 : -1,
		.elapsed_s = (double)(uv_hrtime() - sup->start_ns) / 1e9,
	};
	fp__progress_update(&sup->progress, &c);
}

/* Is the failing stage (by label) one that writes the run's stdout, and
 * is that stdout a pipe nobody reads any more? Asked of the kernel, not of
 * anything a stage wrote. */
static bool stdout_is_gone(const fp_supervisor *sup, const char *stage)
{
	bool writes_stdout = false;
	for (size_t k = 0; k < sup->pipeline->stage_count; k++) {
		const fp_stage_spec *spec = &sup->pipeline->stages[k];
		if (strcmp(spec->label, stage) == 0)
			writes_stdout = spec->plugin.desc->flags &
					FP_STAGE_WRITES_STDOUT;
	}
	struct pollfd p = {.fd = STDOUT_FILENO, .events = POLLOUT};
	return writes_stdout && poll(&p, 1, 0) == 1 && (p.revents & POLLERR);
}

void fp__report_failure(fp_supervisor *sup, uint32_t input_index,
			const char *stage, const char *reason)
{
	char buf[32];
	if (!sup->stdout_closed && stdout_is_gone(sup, stage)) {
		/* A closed downstream pipe: one line, and the run takes no
		 * more input (the frames in flight fail silently). */
		sup->stdout_closed = true;
		fp__broker_interrupt(&sup->broker);
		fp__progress_clear(&sup->progress);
		fprintf(stderr,
			"framepipe: stage %s: standard output is closed (the "
			"reading end of the pipe went away); stopping\n",
			stage);
	}
	if (remember(sup, input_index, stage, reason) != 0)
		fprintf(stderr,
			"framepipe: out of memory recording failures\n");
	if (sup->stdout_closed)
		return;
	fp__progress_clear(&sup->progress);
	fp__put_escaped(stderr, fp__report_input_name(sup, input_index, buf,
						      sizeof buf));
	fprintf(stderr, ": %s: ", stage);
	fp__put_escaped(stderr, reason);
	fputc('\n', stderr);
}

/* Inputs the source never reached (interrupt, or a stage that died out):
 * counted, and listed as one range, not one record each (a batch may have
 * millions of them). */
static void report_not_started(fp_supervisor *sup)
{
	uint64_t next = sup->broker.next_sequence;
	if (sup->expected < 0 || next >= (uint64_t)sup->expected)
		return;
	const uint8_t *skip = sup->skip != NULL ? sup->skip : sup->plan.skip;
	if (skip == NULL) /* an endless-looking stream: no loop */
		sup->not_started = (uint64_t)sup->expected - next;
	for (uint64_t i = next; skip != NULL && i < (uint64_t)sup->expected;
	     i++)
		sup->not_started += !skip[i];
	if (sup->not_started == 0)
		return;
	char buf[32];
	fp__put_escaped(stderr, fp__report_input_name(sup, (uint32_t)next, buf,
						      sizeof buf));
	fprintf(stderr, ": not started: %s",
		sup->stdout_closed	  ? "standard output closed"
		: sup->broker.interrupted ? "interrupted"
					  : "the run stopped");
	if (sup->not_started > 1)
		fprintf(stderr, " (and the %" PRIu64 " inputs after it)",
			sup->not_started - 1);
	fputc('\n', stderr);
}

#define FAILURES_LISTED 20
/* The summary fits a terminal of this many columns. */
#define SUMMARY_COLUMNS 80
#define BUSIEST		"  <- busiest"

/* The stage whose instances were busy the largest share of the run. */
static size_t busiest_stage(const fp_supervisor *sup)
{
	size_t slowest = 0;
	double slowest_share = -1;
	for (size_t k = 0; k < sup->pipeline->stage_count; k++) {
		const fp_broker_stage *st = &sup->broker.stages[k];
		const fp_stage_spec *spec = &sup->pipeline->stages[k];
		double share = sup->wall_s > 0
				       ? (double)st->busy_us / 1e6 /
						 (sup->wall_s * spec->workers)
				       : 0.0;
		if (share > slowest_share) {
			slowest_share = share;
			slowest = k;
		}
	}
	return slowest;
}

static double stage_mean_ms(const fp_broker_stage *st)
{
	return st->frames ? (double)st->busy_us / 1e3 / (double)st->frames
			  : 0.0;
}

static double stage_p95_ms(const fp_broker_stage *st)
{
	return (double)fp__histogram_quantile(&st->us_per_frame, 0.95) / 1e3;
}

/* Percent of the run's wall time the stage's instances were busy. */
static double stage_busy_share(const fp_supervisor *sup, size_t k)
{
	const fp_stage_spec *spec = &sup->pipeline->stages[k];
	double busy = (double)sup->broker.stages[k].busy_us / 1e6;
	return sup->wall_s > 0 ? 100.0 * busy / (sup->wall_s * spec->workers)
			       : 0.0;
}

static bool is_busiest(const fp_supervisor *sup, size_t k)
{
	return sup->pipeline->stage_count > 1 &&
	       sup->broker.stages[k].frames > 0 && k == busiest_stage(sup);
}

/* Milliseconds in at most 8 columns: fewer decimals for long times. */
static void format_ms(char *buf, size_t size, double ms)
{
	static const int decimals[] = {3, 1, 0};
	for (size_t i = 0; i < 3; i++) {
		snprintf(buf, size, "%.*f", decimals[i], ms);
		if (strlen(buf) <= 8)
			return;
	}
}

/* name in width columns: cut with '~' when longer. */
static void fit_name(char *buf, size_t size, const char *name, size_t width)
{
	if (strlen(name) <= width)
		snprintf(buf, size, "%s", name);
	else
		snprintf(buf, size, "%.*s~", (int)(width - 1), name);
}

static void print_stage_table(const fp_supervisor *sup)
{
	const fp_pipeline *p = sup->pipeline;
	size_t label_w = strlen("stage"), type_w = strlen("type");
	uint64_t most = 0;
	for (size_t k = 0; k < p->stage_count; k++) {
		size_t l = strlen(p->stages[k].label);
		size_t t = strlen(p->stages[k].plugin.desc->name);
		label_w = l > label_w ? l : label_w;
		type_w = t > type_w ? t : type_w;
		if (sup->broker.stages[k].frames > most)
			most = sup->broker.stages[k].frames;
	}
	char num[32];
	size_t frames_w = (size_t)snprintf(num, sizeof num, "%" PRIu64, most);
	frames_w = frames_w > 6 ? frames_w : 6;
	/* "  L T inst F mean p95 busy<- busiest" */
	size_t fixed = 2 + 1 + 1 + 4 + 1 + frames_w + 1 + 8 + 1 + 8 + 1 + 5 +
		       strlen(BUSIEST);
	size_t names = SUMMARY_COLUMNS > fixed ? SUMMARY_COLUMNS - fixed : 16;
	while (label_w + type_w > names) /* shrink the wider one */
		if (label_w >= type_w)
			label_w--;
		else
			type_w--;
	fprintf(stderr, "  %-*s %-*s %4s %*s %8s %8s %5s\n", (int)label_w,
		"stage", (int)type_w, "type", "inst", (int)frames_w, "frames",
		"mean ms", "p95 ms", "busy");
	for (size_t k = 0; k < p->stage_count; k++) {
		const fp_broker_stage *st = &sup->broker.stages[k];
		const fp_stage_spec *spec = &p->stages[k];
		char label[256], type[256], mean[32], p95[32];
		fit_name(label, sizeof label, spec->label, label_w);
		fit_name(type, sizeof type, spec->plugin.desc->name, type_w);
		format_ms(mean, sizeof mean, stage_mean_ms(st));
		format_ms(p95, sizeof p95, stage_p95_ms(st));
		fprintf(stderr,
			"  %-*s %-*s %4u %*" PRIu64 " %8s %8s %4.0f%%%s\n",
			(int)label_w, label, (int)type_w, type, spec->workers,
			(int)frames_w, st->frames, mean, p95,
			stage_busy_share(sup, k),
			is_busiest(sup, k) ? BUSIEST : "");
	}
}

#define LOGGED_NAMED 8 /* instances named in the line of logged counts */

/* "1 warning", "2 errors", appended at buf + *n (cut short at size). */
static void put_count(char *buf, size_t size, size_t *n, uint64_t count,
		      const char *what)
{
	if (*n < size)
		*n += (size_t)snprintf(buf + *n, size - *n, "%" PRIu64 " %s%s",
				       count, what, count == 1 ? "" : "s");
}

/* errors and warnings: "2 errors and 1 warning", "3 warnings" (only
 * warnings, terse: "3"); the ones that are not 0. */
static void put_counts(char *buf, size_t size, size_t *n, uint64_t errors,
		       uint64_t warnings, const char *and, bool terse)
{
	if (terse && *n < size) {
		*n += (size_t)snprintf(buf + *n, size - *n, "%" PRIu64,
				       warnings);
		return;
	}
	if (errors > 0)
		put_count(buf, size, n, errors, "error");
	if (errors > 0 && warnings > 0 && *n < size)
		*n += (size_t)snprintf(buf + *n, size - *n, "%s", and);
	if (warnings > 0)
		put_count(buf, size, n, warnings, "warning");
}

/* One line (wrapped) when stages logged errors or warnings (env->log):
 * the totals, then each instance that did, "label#i: N" (both counts
 * when there are errors). */
static void print_logged(const fp_supervisor *sup)
{
	uint64_t errors = 0, warnings = 0;
	for (size_t k = 0; k < sup->pipeline->stage_count; k++) {
		errors += sup->broker.stages[k].errors;
		warnings += sup->broker.stages[k].warnings;
	}
	if (errors == 0 && warnings == 0)
		return;
	char line[2048] = "framepipe: ";
	size_t n = strlen(line), shown = 0, more = 0;
	put_counts(line, sizeof line, &n, errors, warnings, " and ", false);
	for (size_t i = 0; i < sup->broker.instance_count; i++) {
		const fp_broker_instance *inst = &sup->broker.instances[i];
		if (inst->errors == 0 && inst->warnings == 0)
			continue;
		if (shown == LOGGED_NAMED) {
			more++;
			continue;
		}
		const char *sep = shown++ == 0 ? " from stages ("
				  : errors > 0 ? "; "
					       : ", ";
		if (n < sizeof line)
			n += (size_t)snprintf(
				line + n, sizeof line - n, "%s%s#%u: ", sep,
				sup->stage_conf[inst->stage].label,
				inst->index);
		put_counts(line, sizeof line, &n, inst->errors, inst->warnings,
			   ", ", errors == 0);
	}
	if (more > 0 && n < sizeof line)
		n += (size_t)snprintf(line + n, sizeof line - n,
				      "%sand %zu more instances",
				      errors > 0 ? "; " : ", ", more);
	if (n < sizeof line)
		snprintf(line + n, sizeof line - n, ")");
	fp__put_wrapped(stderr, line, SUMMARY_COLUMNS, "  ");
}

/* Failures by input, not in the order they finished (which depends on
 * the workers). */
static int by_input(const void *a, const void *b)
{
	const fp_failure *x = a, *y = b;
	if (x->input_index != y->input_index)
		return x->input_index < y->input_index ? -1 : 1;
	return strcmp(x->stage, y->stage);
}

static void print_failures(const fp_supervisor *sup)
{
	if (sup->failure_count == 0)
		return;
	fprintf(stderr, "failed inputs:\n");
	for (size_t i = 0; i < sup->failure_count && i < FAILURES_LISTED; i++) {
		const fp_failure *f = &sup->failures[i];
		char buf[32], line[4096];
		size_t n = fp__escape(line, sizeof line,
				      fp__report_input_name(sup, f->input_index,
							    buf, sizeof buf));
		n += (size_t)snprintf(line + n, sizeof line - n,
				      ": %s: ", f->stage);
		if (n < sizeof line)
			fp__escape(line + n, sizeof line - n, f->reason);
		fputs("  ", stderr);
		fp__put_wrapped(stderr, line, SUMMARY_COLUMNS - 2, "      ");
	}
	if (failed_total(sup) > FAILURES_LISTED)
		fprintf(stderr, "  ... and %" PRIu64 " more%s\n",
			failed_total(sup) - FAILURES_LISTED,
			sup->failures_dropped > 0
				? " (--stats-json lists the first " STR(
					  FP_FAILURES_KEPT) ")"
			: sup->options->stats_json
				? " (all in the stats file)"
				: " (--stats-json lists all)");
}

static uint64_t total_frames(const fp_supervisor *sup)
{
	return sup->broker.ok + failed_total(sup) + sup->not_started +
	       sup->plan.skipped;
}

/* Every input was tried and none was written. */
static bool all_failed(const fp_supervisor *sup)
{
	return sup->broker.ok == 0 && failed_total(sup) > 0 &&
	       sup->not_started == 0 && sup->plan.skipped == 0;
}

/* The output folder as given, without the slashes it may end with. */
static size_t output_dir_length(const char *dir)
{
	size_t n = strlen(dir);
	while (n > 1 && dir[n - 1] == '/')
		n--;
	return n;
}

#define UNREAD_NAMED 3

static const fp_unread *unread_of(const fp_supervisor *sup)
{
	const fp_unread *u = &sup->options->inputs->unread;
	return sup->options->ignore_unknown || u->count == 0 ? NULL : u;
}

static const fp_unlisted *unlisted_of(const fp_supervisor *sup)
{
	const fp_unlisted *u = &sup->options->inputs->unlisted;
	return u->count == 0 ? NULL : u;
}

/* Images the folders held that were not read, or sub-folders that could
 * not be listed (--ignore-unknown does not cover those): the exit status
 * says so. */
static bool images_not_read(const fp_supervisor *sup)
{
	const fp_unread *u = unread_of(sup);
	return (u != NULL && u->images > 0) || unlisted_of(sup) != NULL;
}

/* One line per sub-folder that could not be listed (the first few). */
static void print_unlisted(const fp_supervisor *sup)
{
	const fp_unlisted *u = unlisted_of(sup);
	for (size_t i = 0; u != NULL && i < u->kept && i < UNREAD_NAMED; i++) {
		fputs("framepipe: ", stderr);
		fp__put_escaped(stderr, u->folders[i].path);
		fprintf(stderr,
			": cannot list folder: %s; its files were not read\n",
			strerror(u->folders[i].error));
	}
	if (u != NULL && u->count > UNREAD_NAMED)
		fprintf(stderr,
			"framepipe: and %" PRIu64
			" more folders that could not be listed%s\n",
			u->count - UNREAD_NAMED,
			sup->options->stats_json != NULL
				? " (all in the stats file)"
				: " (--stats-json lists all)");
}

/* One line (wrapped to the summary's width) for the files the folders
 * held that were not inputs: how many, the first few, which are images. */
static void print_unread(const fp_supervisor *sup)
{
	const fp_unread *u = unread_of(sup);
	if (u == NULL)
		return;
	char line[2048];
	size_t n = (size_t)snprintf(line, sizeof line,
				    "framepipe: %" PRIu64
				    " other file%s in the input folders, not "
				    "read: ",
				    u->count, u->count == 1 ? "" : "s");
	for (size_t i = 0; i < u->kept && i < UNREAD_NAMED && n < sizeof line;
	     i++) {
		if (i > 0)
			n += (size_t)snprintf(line + n, sizeof line - n,
					      i + 1 == u->count ? " and "
								: ", ");
		if (n < sizeof line)
			n += fp__escape(line + n, sizeof line - n,
					u->files[i].path);
		if (u->files[i].kind != NULL && n < sizeof line)
			n += (size_t)snprintf(line + n, sizeof line - n,
					      " (a %s image)",
					      u->files[i].kind);
	}
	if (u->count > UNREAD_NAMED && n < sizeof line)
		n += (size_t)snprintf(line + n, sizeof line - n,
				      " and %" PRIu64 " more",
				      u->count - UNREAD_NAMED);
	if (u->images > 0 && n < sizeof line)
		snprintf(line + n, sizeof line - n,
			 "; %" PRIu64 " of them image%s (exit status 1; "
			 "--ignore-unknown to accept)",
			 u->images, u->images == 1 ? "" : "s");
	fp__put_wrapped(stderr, line, SUMMARY_COLUMNS, "  ");
}

static void print_summary(const fp_supervisor *sup)
{
	uint64_t failed = failed_total(sup), total = total_frames(sup);
	char head[512];
	size_t n = (size_t)snprintf(
		head, sizeof head,
		"framepipe: %" PRIu64 " frame%s: %" PRIu64
		" written, %s%" PRIu64 " failed",
		total, total == 1 ? "" : "s", sup->broker.ok,
		all_failed(sup) && failed > 1 ? "all " : "", failed);
	if (sup->not_started > 0)
		n += (size_t)snprintf(head + n, sizeof head - n,
				      ", %" PRIu64 " not started",
				      sup->not_started);
	if (sup->plan.skipped > 0)
		n += (size_t)snprintf(head + n, sizeof head - n,
				      ", %" PRIu64 " skipped (already done)",
				      sup->plan.skipped);
	snprintf(head + n, sizeof head - n, " in %.2f s (%.1f frames/s)",
		 sup->wall_s,
		 sup->wall_s > 0 ? (double)sup->broker.ok / sup->wall_s : 0.0);
	const char *dir = sup->options->output_dir;
	if (dir != NULL && sup->broker.ok > 0) {
		char raw[4096], out[4096];
		snprintf(raw, sizeof raw, "%.*s", (int)output_dir_length(dir),
			 dir);
		fp__escape(out, sizeof out, raw);
		if (strlen(head) + strlen("; output in ") + strlen(out) + 1 <=
		    SUMMARY_COLUMNS) {
			fprintf(stderr, "%s; output in %s/\n", head, out);
		} else {
			char shown[SUMMARY_COLUMNS + 1];
			size_t room = SUMMARY_COLUMNS - strlen("  output in /");
			fp__shorten_middle(shown, sizeof shown, out, room);
			fp__put_wrapped(stderr, head, SUMMARY_COLUMNS, "  ");
			fprintf(stderr, "  output in %s/\n", shown);
		}
	} else {
		fp__put_wrapped(stderr, head, SUMMARY_COLUMNS, "  ");
	}
	print_stage_table(sup);
	print_logged(sup);
	print_failures(sup);
	/* after the run's own figures: what the folders held besides */
	print_unread(sup);
	print_unlisted(sup);
}

/* What --stats-json says of the run as a whole: the exit status's
 * meaning, with all_failed told apart from some_failed. */
static const char *outcome(const fp_supervisor *sup)
{
	const fp_broker *b = &sup->broker;
	if (b->runtime_error != 0)
		return "run_failed";
	if (b->interrupted)
		return "interrupted";
	return all_failed(sup)	       ? "all_failed"
	       : failed_total(sup) > 0 ? "some_failed"
	       : images_not_read(sup)  ? "images_not_read"
				       : "ok";
}

/* "not_read": what the folders held besides the inputs. */
static void json_unread(FILE *f, const fp_supervisor *sup)
{
	const fp_unread *u = &sup->options->inputs->unread;
	fprintf(f,
		",\"not_read\":{\"count\":%" PRIu64 ",\"images\":%" PRIu64
		",\"ignored\":%s,\"files\":[",
		u->count, u->images,
		sup->options->ignore_unknown ? "true" : "false");
	for (size_t i = 0; i < u->kept; i++) {
		fputs(i ? ",{\"path\":" : "{\"path\":", f);
		fp__json_write_string(f, u->files[i].path);
		fputs(",\"kind\":", f);
		if (u->files[i].kind != NULL)
			fp__json_write_string(f, u->files[i].kind);
		else
			fputs("null", f);
		fputc('}', f);
	}
	fputs("]}", f);
	const fp_unlisted *l = &sup->options->inputs->unlisted;
	fprintf(f, ",\"folders_not_read\":{\"count\":%" PRIu64 ",\"folders\":[",
		l->count);
	for (size_t i = 0; i < l->kept; i++) {
		fputs(i ? ",{\"path\":" : "{\"path\":", f);
		fp__json_write_string(f, l->folders[i].path);
		fputs(",\"reason\":", f);
		fp__json_write_string(f, strerror(l->folders[i].error));
		fputc('}', f);
	}
	fputs("]}", f);
}

/* What a stage's instances logged: the stage's totals, then each
 * instance's in the order of "pids". st NULL: nothing ran. */
static void json_logged(FILE *f, const fp_broker_stage *st, unsigned workers)
{
	fprintf(f, ",\"warnings\":%" PRIu64 ",\"errors\":%" PRIu64,
		st != NULL ? st->warnings : 0, st != NULL ? st->errors : 0);
	static const char *const keys[] = {"warnings_by_instance",
					   "errors_by_instance"};
	for (size_t k = 0; k < 2; k++) {
		fprintf(f, ",\"%s\":[", keys[k]);
		for (unsigned i = 0; i < workers; i++) {
			const fp_broker_instance *inst = &st->instances[i];
			fprintf(f, "%s%" PRIu64, i ? "," : "",
				k == 0 ? inst->warnings : inst->errors);
		}
		fputc(']', f);
	}
}

/* The stages of p; with sup NULL (nothing ran) each has no worker, no
 * frame and no pid. */
static void json_stages(FILE *f, const fp_pipeline *p, const fp_supervisor *sup)
{
	fputs("\"stages\":[", f);
	for (size_t k = 0; k < p->stage_count; k++) {
		const fp_stage_spec *spec = &p->stages[k];
		const fp_broker_stage *st =
			sup != NULL ? &sup->broker.stages[k] : NULL;
		unsigned workers = st != NULL ? spec->workers : 0;
		fprintf(f, "%s{\"name\":", k ? "," : "");
		fp__json_write_string(f, spec->label);
		fputs(",\"stage\":", f);
		fp__json_write_string(f, spec->plugin.desc->name);
		fprintf(f,
			",\"workers\":%u,\"frames\":%" PRIu64
			",\"busy_s\":%.6f,\"mean_ms\":%.3f,\"p95_ms\":%.3f,"
			"\"busy_percent\":%.3f,\"busiest\":%s,\"pids\":[",
			workers, st != NULL ? st->frames : 0,
			st != NULL ? (double)st->busy_us / 1e6 : 0.0,
			st != NULL ? stage_mean_ms(st) : 0.0,
			st != NULL ? stage_p95_ms(st) : 0.0,
			st != NULL ? stage_busy_share(sup, k) : 0.0,
			st != NULL && is_busiest(sup, k) ? "true" : "false");
		for (unsigned i = 0; i < workers; i++)
			fprintf(f, "%s%d", i ? "," : "",
				(int)sup->procs[st->instances[i].id].pid);
		fputc(']', f);
		json_logged(f, st, workers);
		fputc('}', f);
	}
	fputs("]", f);
}

/* The one --stats-json layout (stats_merge.c reads it back): a run's, or
 * with sup NULL the zero-frame report of a run that had nothing to do. */
static int write_stats(const fp_pipeline *p, const fp_supervisor *sup,
		       const char *path)
{
	FILE *f = fopen(path, "we");
	if (f == NULL)
		return -errno;
	uint64_t ok = sup ? sup->broker.ok : 0;
	uint64_t failed = sup ? failed_total(sup) : 0;
	uint64_t not_started = sup ? sup->not_started : 0;
	uint64_t skipped = sup ? sup->plan.skipped : 0;
	fprintf(f,
		"{\"frames\":{\"total\":%" PRIu64 ",\"ok\":%" PRIu64
		",\"failed\":%" PRIu64,
		ok + failed + not_started + skipped, ok, failed);
	if (not_started > 0)
		fprintf(f, ",\"not_started\":%" PRIu64, not_started);
	if (skipped > 0)
		fprintf(f, ",\"skipped\":%" PRIu64, skipped);
	fputs("},\"failures\":[", f);
	for (size_t i = 0; sup != NULL && i < sup->failure_count; i++) {
		const fp_failure *fl = &sup->failures[i];
		char buf[32];
		fputs(i ? ",{\"input\":" : "{\"input\":", f);
		fp__json_write_string(
			f, fp__report_input_name(sup, fl->input_index, buf,
						 sizeof buf));
		fputs(",\"stage\":", f);
		fp__json_write_string(f, fl->stage);
		fputs(",\"reason\":", f);
		fp__json_write_string(f, fl->reason);
		fputc('}', f);
	}
	fputs("],", f);
	if (sup != NULL && sup->failures_dropped > 0)
		fprintf(f, "\"failures_not_listed\":%" PRIu64 ",",
			sup->failures_dropped);
	json_stages(f, p, sup);
	/* slot_size as [pipeline] names it; slot_bytes, its 1.x name here,
	 * stays for the readers of 1.x files */
	size_t slot_size = sup ? sup->pool.slot_bytes : 0;
	fprintf(f,
		",\"pool\":{\"slots\":%u,\"slot_size\":%zu,"
		"\"slot_bytes\":%zu},"
		"\"wall_s\":%.6f,\"frames_per_s\":%.3f,\"outcome\":\"%s\"",
		sup ? sup->pool.slot_count : 0, slot_size, slot_size,
		sup ? sup->wall_s : 0.0,
		sup && sup->wall_s > 0 ? (double)ok / sup->wall_s : 0.0,
		sup ? outcome(sup) : "ok");
	if (sup != NULL)
		json_unread(f, sup);
	const char *dir = sup ? sup->options->output_dir : NULL;
	if (dir != NULL && ok > 0) {
		char shown[4096];
		snprintf(shown, sizeof shown, "%.*s",
			 (int)output_dir_length(dir), dir);
		fputs(",\"output_dir\":", f);
		fp__json_write_string(f, shown);
	}
	fputs("}\n", f);
	return fclose(f) == 0 ? 0 : -errno;
}

int fp__report_write_empty(const fp_pipeline *pipeline, const char *path)
{
	return write_stats(pipeline, NULL, path);
}

int fp__report_finish(fp_supervisor *sup)
{
	fp_broker *b = &sup->broker;
	if (sup->progress.mode == FP_PROGRESS_LINES)
		fp__report_progress(sup);
	fp__progress_clear(&sup->progress);
	report_not_started(sup);
	/* Anything unaccounted for is a framework bug and must not pass for
	 * success. */
	if (!fp__broker_is_balanced(b))
		fp__broker_fail_run(b, FP_EPROTOCOL,
				    "internal error: %u of %u pool slots not "
				    "returned, or frames unaccounted for",
				    b->conf.slot_count - b->ledger.free_count,
				    b->conf.slot_count);
	if (b->runtime_error != 0) {
		fputs("framepipe: ", stderr);
		fp__put_escaped(stderr, b->runtime_message);
		fputc('\n', stderr);
	}
	if (sup->failure_count > 1)
		qsort(sup->failures, sup->failure_count, sizeof *sup->failures,
		      by_input);
	if (!sup->options->quiet)
		print_summary(sup);
	else if (images_not_read(sup)) { /* part of the exit status */
		print_unread(sup);
		print_unlisted(sup);
	}
	if (sup->options->stats_json != NULL) {
		int rc = write_stats(sup->pipeline, sup,
				     sup->options->stats_json);
		if (rc != 0)
			fprintf(stderr,
				"framepipe: %s: cannot write stats: %s\n",
				sup->options->stats_json, fp_strerror(rc));
	}
	if (b->runtime_error != 0 || b->interrupted)
		return FP_EXIT_RUNTIME;
	return failed_total(sup) > 0 || images_not_read(sup) ? FP_EXIT_FAILED
							     : FP_EXIT_OK;
}

void fp__report_release(fp_supervisor *sup)
{
	for (size_t i = 0; i < sup->failure_count; i++) {
		free(sup->failures[i].stage);
		free(sup->failures[i].reason);
	}
	free(sup->failures);
	sup->failures = NULL;
	sup->failure_count = 0;
}
