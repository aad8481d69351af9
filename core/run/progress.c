#include "progress.h"

#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define BAR_MS	  200
#define LINES_MS  3000
/* A bar no narrower than this, or none (counts only). */
#define BAR_MIN	  10
/* Columns kept free at the end of the line: the terminal echoes ^C there
 * when the user interrupts, and a line that wrapped could not be erased
 * with one carriage return. */
#define BAR_SPARE 3

void fp__progress_init(fp_progress *p, fp_progress_mode mode, FILE *out)
{
	p->out = out;
	p->bar_shown = false;
	p->last_ns = 0;
	if (mode == FP_PROGRESS_AUTO)
		mode = isatty(fileno(out)) ? FP_PROGRESS_BAR : FP_PROGRESS_NONE;
	p->mode = mode;
}

unsigned fp__progress_interval_ms(const fp_progress *p)
{
	return p->mode == FP_PROGRESS_BAR     ? BAR_MS
	       : p->mode == FP_PROGRESS_LINES ? LINES_MS
					      : 0;
}

static void format_duration(char *buf, size_t size, double s)
{
	if (s < 60)
		snprintf(buf, size, "%.1fs", s);
	else if (s < 3600)
		snprintf(buf, size, "%dm%02ds", (int)s / 60, (int)s % 60);
	else
		snprintf(buf, size, "%dh%02dm", (int)s / 3600,
			 (int)s / 60 % 60);
}

/* The terminal's width, asked again each time (it may be resized); 80
 * when it cannot say. */
static unsigned terminal_columns(FILE *out)
{
	struct winsize ws;
	if (ioctl(fileno(out), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	return 80;
}

/* "[#######--------]  45% " into buf, the bar `width` cells wide
 * (brackets included), from finished of total. */
static void draw_bar(char *buf, size_t size, unsigned width, uint64_t finished,
		     uint64_t total)
{
	unsigned cells = width - 2;
	double share = total > 0 ? (double)finished / (double)total : 1.0;
	if (share > 1)
		share = 1;
	unsigned full = (unsigned)(share * cells);
	size_t n = 0;
	buf[n++] = '[';
	for (unsigned i = 0; i < cells && n + 8 < size; i++)
		buf[n++] = i < full ? '#' : '-';
	buf[n++] = ']';
	snprintf(buf + n, size - n, " %3d%% ", (int)(share * 100));
}

/* The line for a terminal of `columns`: as much as fits, the bar taking
 * what is left. */
static void bar_line(char *line, size_t size, unsigned columns,
		     const fp_progress_counts *c, const char *counts,
		     const char *rest)
{
	size_t room = columns > BAR_SPARE ? columns - BAR_SPARE : 1;
	if (room >= size)
		room = size - 1;
	char text[256];
	snprintf(text, sizeof text, "%s%s", counts, rest);
	if (strlen(text) > room)
		snprintf(text, sizeof text, "%s", counts);
	uint64_t finished = c->done + c->failed;
	size_t pct = sizeof " 100% " - 1;
	if (c->total >= 0 && strlen(text) + pct + BAR_MIN <= room) {
		unsigned width = (unsigned)(room - strlen(text) - pct);
		if (width > 50)
			width = 50;
		draw_bar(line, size, width, finished, (uint64_t)c->total);
		snprintf(line + strlen(line), size - strlen(line), "%s", text);
	} else if (c->total >= 0 && strlen(text) + pct <= room) {
		snprintf(line, size, "%3d%% %s",
			 c->total > 0
				 ? (int)(100 * finished / (uint64_t)c->total)
				 : 100,
			 text);
	} else {
		snprintf(line, size, "%.*s", (int)room, text);
	}
}

void fp__progress_update(fp_progress *p, const fp_progress_counts *c)
{
	if (p->mode != FP_PROGRESS_BAR && p->mode != FP_PROGRESS_LINES)
		return;
	uint64_t finished = c->done + c->failed;
	double rate = c->elapsed_s > 0 ? (double)finished / c->elapsed_s : 0;
	char total[32] = "?", eta[32] = "?", elapsed[32];
	format_duration(elapsed, sizeof elapsed, c->elapsed_s);
	if (c->total >= 0) {
		snprintf(total, sizeof total, "%lld", (long long)c->total);
		if (rate > 0 && (uint64_t)c->total >= finished)
			format_duration(
				eta, sizeof eta,
				(double)((uint64_t)c->total - finished) / rate);
	}
	if (p->mode == FP_PROGRESS_LINES) {
		fprintf(p->out,
			"%llu/%s frames, %llu failed, %.1f frames/s, ETA %s, "
			"elapsed %s\n",
			(unsigned long long)c->done, total,
			(unsigned long long)c->failed, rate, eta, elapsed);
		fflush(p->out);
		return;
	}
	char counts[128], rest[128], line[512];
	if (c->failed > 0)
		snprintf(counts, sizeof counts, "%llu/%s, %llu failed",
			 (unsigned long long)c->done, total,
			 (unsigned long long)c->failed);
	else
		snprintf(counts, sizeof counts, "%llu/%s",
			 (unsigned long long)c->done, total);
	if (c->total >= 0)
		snprintf(rest, sizeof rest, ", %.1f frames/s, ETA %s", rate,
			 eta);
	else
		snprintf(rest, sizeof rest, " frames, %.1f frames/s, %s", rate,
			 elapsed);
	bar_line(line, sizeof line, terminal_columns(p->out), c, counts, rest);
	fprintf(p->out, "\r\033[K%s", line);
	p->bar_shown = true;
	fflush(p->out);
}

void fp__progress_clear(fp_progress *p)
{
	if (!p->bar_shown)
		return;
	fputs("\r\033[K", p->out);
	fflush(p->out);
	p->bar_shown = false;
}
