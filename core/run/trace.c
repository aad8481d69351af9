#include "trace.h"
#include "json.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>

int fp__trace_open(fp_trace *trace, const char *path, uint64_t origin_ns)
{
	memset(trace, 0, sizeof *trace);
	trace->file = fopen(path, "we");
	if (trace->file == NULL)
		return -errno;
	trace->origin_ns = origin_ns;
	trace->first = true;
	trace->last_free = UINT32_MAX;
	fputs("{\"displayTimeUnit\":\"ms\",\"traceEvents\":[\n", trace->file);
	return 0;
}

static void begin_event(fp_trace *trace)
{
	if (!trace->first)
		fputs(",\n", trace->file);
	trace->first = false;
}

static double micros(const fp_trace *trace, uint64_t ns)
{
	return ns > trace->origin_ns ? (double)(ns - trace->origin_ns) / 1e3
				     : 0.0;
}

void fp__trace_track(fp_trace *trace, int track, const char *label,
		     unsigned index, int pid)
{
	char name[160];
	snprintf(name, sizeof name, "%s#%u (pid %d)", label, index, pid);
	begin_event(trace);
	fprintf(trace->file,
		"{\"ph\":\"M\",\"name\":\"process_name\",\"pid\":%d,"
		"\"args\":{\"name\":",
		track);
	fp__json_write_string(trace->file, name);
	fprintf(trace->file,
		"}},\n{\"ph\":\"M\",\"name\":\"process_sort_index\","
		"\"pid\":%d,\"args\":{\"sort_index\":%d}}",
		track, track);
}

void fp__trace_frame(fp_trace *trace, int track, const char *input,
		     uint32_t input_index, uint64_t start_ns, uint64_t dur_us,
		     int step, const char *failure)
{
	const char *slash = strrchr(input, '/');
	double ts = micros(trace, start_ns);
	begin_event(trace);
	fputs("{\"ph\":\"X\",\"name\":", trace->file);
	fp__json_write_string(trace->file, slash ? slash + 1 : input);
	fprintf(trace->file,
		",\"pid\":%d,\"tid\":1,\"ts\":%.3f,\"dur\":%" PRIu64
		",\"args\":{\"input\":",
		track, ts, dur_us);
	fp__json_write_string(trace->file, input);
	if (failure != NULL) {
		fputs(",\"failed\":", trace->file);
		fp__json_write_string(trace->file, failure);
	}
	fputs("}}", trace->file);
	/* The flow arrow binds to the slice it lies in: put it inside. */
	static const char *const phases[] = {"s", "t", "f"};
	begin_event(trace);
	fprintf(trace->file,
		"{\"ph\":\"%s\",\"name\":\"frame\",\"cat\":\"frame\","
		"\"id\":%" PRIu32 ",\"pid\":%d,\"tid\":1,\"ts\":%.3f%s}",
		phases[step], input_index, track, ts + (double)dur_us / 2,
		step == 2 ? ",\"bp\":\"e\"" : "");
}

void fp__trace_free_slots(fp_trace *trace, uint64_t now_ns, uint32_t free)
{
	if (free == trace->last_free ||
	    now_ns - trace->last_counter_ns < 500000)
		return;
	trace->last_free = free;
	trace->last_counter_ns = now_ns;
	begin_event(trace);
	fprintf(trace->file,
		"{\"ph\":\"C\",\"name\":\"free slots\",\"pid\":0,\"ts\":%.3f,"
		"\"args\":{\"free\":%" PRIu32 "}}",
		micros(trace, now_ns), free);
}

int fp__trace_close(fp_trace *trace)
{
	if (trace->file == NULL)
		return 0;
	begin_event(trace);
	fputs("{\"ph\":\"M\",\"name\":\"process_name\",\"pid\":0,"
	      "\"args\":{\"name\":\"pool\"}}\n]}\n",
	      trace->file);
	int rc = ferror(trace->file) ? -EIO : 0;
	if (fclose(trace->file) != 0 && rc == 0)
		rc = -errno;
	trace->file = NULL;
	return rc;
}
