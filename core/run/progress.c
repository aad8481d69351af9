#include "progress.h"

#include <unistd.h>

#define BAR_MS	 200
#define LINES_MS 3000

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
	if (p->mode == FP_PROGRESS_BAR)
		fputs("\r\033[K", p->out);
	fprintf(p->out,
		"%llu/%s frames, %llu failed, %.1f frames/s, ETA %s, "
		"elapsed %s",
		(unsigned long long)c->done, total,
		(unsigned long long)c->failed, rate, eta, elapsed);
	if (p->mode == FP_PROGRESS_LINES)
		fputc('\n', p->out);
	p->bar_shown = p->mode == FP_PROGRESS_BAR;
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
