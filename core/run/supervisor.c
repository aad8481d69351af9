/* supervisor — sets up a run, forks the instances, runs the loop, reaps. */
#include "supervisor.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "framepipe/framepipe.h"
#include "input_checks.h"
#include "naming.h"
#include "pipeline_check.h"
#include "slot_gate.h"
#include "supervisor_state.h"
#include "task_limits.h"

#define STOP_GRACE_MS	    10000
#define MAX_PLANNED_OUTPUTS 10000000
#define WATCHDOG_MS	    100 /* how often stage timeouts are checked */
#define AUTO_POOL_MAX	    ((uint64_t)1 << 30) /* auto slot count stays under */
#define AUTO_SLOT_FALLBACK  ((uint64_t)16 << 20)
/* depth = auto: 4 frames per instance, more (up to 16) while they hold
 * no more than this many bytes: small frames cost their records and
 * wake-ups more than their pixels, and a deeper queue sends more records
 * per write (transport.sh: 4 KiB frames ~2x the frames/s at depth 16). */
#define AUTO_DEPTH_BYTES    ((uint64_t)1 << 20)
#define AUTO_DEPTH_MIN	    4
#define AUTO_DEPTH_MAX	    16

/* Input i failed before the run (its probe or frame_bound, its output
 * name): listed now, with the reason of the stage label names, and never
 * handed to the source. */
static void fail_before_run(fp_supervisor *sup, size_t i, const char *label,
			    const char *why)
{
	size_t n = sup->options->inputs->count;
	if (sup->skip == NULL) {
		sup->skip = calloc(n, 1);
		if (sup->skip == NULL)
			return; /* it runs, and its decode says why */
		if (sup->plan.skip != NULL)
			memcpy(sup->skip, sup->plan.skip, n);
	}
	sup->skip[i] = 1;
	fp__report_failure(sup, (uint32_t)i, label,
			   why[0] ? why : "unusable input");
}

static bool failed_before_run(const fp_supervisor *sup, size_t i)
{
	return (sup->plan.skip != NULL && sup->plan.skip[i]) ||
	       (sup->skip != NULL && sup->skip[i]);
}

/* A codec's own encoder (png_encode) whose names keep each input's
 * extension would write PNG into every input's .jpg: those inputs fail
 * before the run, as check lists them. The generic encode fails a name
 * it cannot write frame by frame, after the decoder has had its say (a
 * file that is no image gets that line). */
static void check_output_names(fp_supervisor *sup)
{
	const fp_pipeline *p = sup->pipeline;
	const fp_stage_spec *sink = &p->stages[p->stage_count - 1];
	if (!(sink->plugin.desc->flags & FP_STAGE_WRITES_OUTPUTS) ||
	    strcmp(sink->plugin.desc->name, "encode") == 0 ||
	    !fp__output_keeps_ext(p->output_template))
		return;
	fp_codec_lookup l;
	fp__codec_lookup_init(&l, NULL, &sink->plugin);
	const fp_inputs *inputs = sup->options->inputs;
	for (size_t i = 0; i < inputs->count; i++) {
		char why[1024];
		if (!failed_before_run(sup, i) &&
		    fp__input_output_check(p, &l, inputs, i,
					   sup->options->output_dir, why,
					   sizeof why) != 0)
			fail_before_run(sup, i, sink->label, why);
	}
	fp__codec_lookup_release(&l);
}

/* Every input's bound, before the run (pipeline_check.h): an input the
 * source's probe or frame_bound refuses fails here, as does one whose
 * frames cannot fit a hand-set slot_size. The largest of the others. */
static uint64_t probe_inputs(fp_supervisor *sup)
{
	const fp_pipeline *p = sup->pipeline;
	uint64_t largest = 0;
	for (size_t i = 0; i < sup->options->inputs->count; i++) {
		if (sup->plan.skip != NULL && sup->plan.skip[i])
			continue; /* --resume: already done */
		uint64_t bytes = 0;
		char why[512];
		if (fp__pipeline_input_fits(p, sup->options->inputs->paths[i],
					    &bytes, why, sizeof why) != 0)
			fail_before_run(sup, i, p->stages[0].label, why);
		else if (bytes > largest)
			largest = bytes;
	}
	return largest;
}

/* The largest frame any stage will make from any input, for slot_size =
 * auto (pipeline_check.h). */
static uint64_t auto_slot_size(fp_supervisor *sup)
{
	const fp_pipeline *p = sup->pipeline;
	const fp_stage_descriptor *d = p->stages[0].plugin.desc;
	if (d->frame_bound == NULL && d->probe == NULL && d->shape == NULL)
		return AUTO_SLOT_FALLBACK;
	if (!(d->flags & FP_STAGE_READS_INPUTS)) {
		uint64_t bytes = fp__pipeline_slot_bound(p, NULL);
		return bytes > 0 ? bytes : AUTO_SLOT_FALLBACK;
	}
	uint64_t largest = probe_inputs(sup);
	return largest > 0 ? largest : 4096;
}

/* slot_size as set, or auto's; inputs whose frames cannot fit a hand-set
 * one fail before the run, and the rest of the batch goes on. */
static uint64_t slot_size_of(fp_supervisor *sup)
{
	const fp_pipeline *p = sup->pipeline;
	if (p->slot_size == 0)
		return auto_slot_size(sup);
	if (fp__pipeline_probes_inputs(p))
		(void)probe_inputs(sup);
	return p->slot_size;
}

/* Whether every stage process will open and close slots by their keys
 * (slot_gate.h): no stage runs threads in process(), and the system has
 * keys. */
static bool keys_everywhere(const fp_supervisor *sup)
{
	const fp_pipeline *p = sup->pipeline;
	for (size_t i = 0; i < p->stage_count; i++)
		if (p->stages[i].plugin.desc->threads > 1)
			return false;
	return fp__gate_has_keys();
}

static uint32_t auto_slot_count(const fp_supervisor *sup, uint64_t slot_size)
{
	/* Enough for every instance to hold `depth` frames (one in work,
	 * the rest waiting in its pipe), plus the reserve for granted output
	 * slots; fewer when that would pass the memory budget. */
	uint64_t want =
		(uint64_t)sup->depth * sup->instance_count + 1 + sup->reserve;
	/* Small frames (a deeper queue than the least): no more slots than
	 * have keys, while every instance can still hold two frames. A slot
	 * without a key costs each stage two mprotect calls per frame, more
	 * than a small frame's work: 4 KiB frames through three stages ran
	 * 3-5x the frames/s in 15 slots as in 49 (tests/bench/README.md). */
	uint64_t keyed = FP_GATE_MAX_KEYS;
	uint64_t two_each =
		2 * (uint64_t)sup->instance_count + 1 + sup->reserve;
	if (sup->depth > AUTO_DEPTH_MIN && keys_everywhere(sup))
		want = want < keyed	  ? want
		       : keyed > two_each ? keyed
					  : two_each;
	uint64_t fit =
		fp__pool_budget(AUTO_POOL_MAX) / (slot_size ? slot_size : 1);
	uint64_t floor = 2 + sup->reserve;
	if (want > fit)
		want = fit > floor ? fit : floor;
	return (uint32_t)(want < FP_MAX_SLOTS ? want : FP_MAX_SLOTS);
}

static int setup_broker(fp_supervisor *sup, uint32_t slots)
{
	const fp_pipeline *p = sup->pipeline;
	fp_broker_config conf = {
		.stages = sup->stage_conf,
		.stage_count = p->stage_count,
		.slot_count = slots,
		.slot_bytes = sup->pool.slot_bytes,
		.depth = sup->depth,
		.reserve = sup->reserve,
		.is_ordered = p->stages[p->stage_count - 1].plugin.desc->flags &
			      FP_STAGE_ORDERED,
		.expected = sup->expected,
		.skip = sup->skip != NULL ? sup->skip : sup->plan.skip,
		.ops = &fp__process_ops,
		.ctx = sup,
	};
	return fp__broker_init(&sup->broker, &conf);
}

static int setup_pool(fp_supervisor *sup)
{
	const fp_pipeline *p = sup->pipeline;
	for (size_t i = 0; i < p->stage_count; i++)
		if (p->stages[i].plugin.desc->flags & FP_STAGE_OUT_OF_PLACE)
			sup->reserve = 1;
	uint64_t slot_size = slot_size_of(sup);
	check_output_names(sup);
	sup->depth = p->depth;
	if (sup->depth == 0) {
		uint64_t d = AUTO_DEPTH_BYTES / (slot_size ? slot_size : 1);
		sup->depth = d < AUTO_DEPTH_MIN	  ? AUTO_DEPTH_MIN
			     : d > AUTO_DEPTH_MAX ? AUTO_DEPTH_MAX
						  : (uint32_t)d;
		/* A pool that would have no more slots than have keys at
		 * the least depth (a few instances) gets all of them,
		 * whatever the frame size (below), and each instance may
		 * hold as many: at depth 4 big frames cost their records
		 * and wake-ups as small ones do, and the slots are there
		 * (64 MiB frames through three stages: 2-7x the frames/s in
		 * 15 slots at depth 16 as in 13 at depth 4). */
		if (p->slots == 0 &&
		    (uint64_t)AUTO_DEPTH_MIN * sup->instance_count + 1 +
				    sup->reserve <=
			    FP_GATE_MAX_KEYS &&
		    keys_everywhere(sup))
			sup->depth = AUTO_DEPTH_MAX;
	}
	uint32_t slots = p->slots ? p->slots : auto_slot_count(sup, slot_size);
	if (slots <= sup->reserve) {
		snprintf(sup->runtime_message, sizeof sup->runtime_message,
			 "%s: [pipeline] slots = %u is too few: a stage that "
			 "writes a second slot needs at least 2",
			 p->config_path, slots);
		return FP_ECONFIG;
	}
	int rc = fp__pool_create(&sup->pool, slots, (size_t)slot_size,
				 (size_t)p->metadata_size, sup->runtime_message,
				 sizeof sup->runtime_message);
	if (rc != 0)
		return rc;
	rc = setup_broker(sup, slots);
	if (rc != 0)
		snprintf(sup->runtime_message, sizeof sup->runtime_message,
			 "cannot set up %u slots: %s", slots, fp_strerror(rc));
	return rc;
}

static int setup_stages(fp_supervisor *sup)
{
	const fp_pipeline *p = sup->pipeline;
	size_t total = 0;
	for (size_t k = 0; k < p->stage_count; k++)
		total += p->stages[k].workers;
	sup->stage_conf = calloc(p->stage_count, sizeof *sup->stage_conf);
	sup->procs = calloc(total, sizeof *sup->procs);
	if (sup->stage_conf == NULL || sup->procs == NULL)
		return -ENOMEM;
	sup->instance_count = total;
	int rc = fp__crash_table_map(&sup->crashes, total);
	if (rc != 0)
		return rc;
	for (size_t k = 0; k < p->stage_count; k++) {
		const fp_stage_spec *spec = &p->stages[k];
		sup->stage_conf[k] = (fp_broker_stage_conf){
			.label = spec->label,
			.workers = spec->workers,
			.max_restarts = spec->max_restarts,
			.timeout_ns = spec->timeout_ns,
			.out_of_place = spec->plugin.desc->flags &
					FP_STAGE_OUT_OF_PLACE,
		};
	}
	for (size_t i = 0; i < total; i++) {
		sup->procs[i].sup = sup;
		sup->procs[i].id = (int32_t)i;
		sup->procs[i].fd = -1;
		sup->procs[i].out_fd = -1;
	}
	return 0;
}

static void close_loop_handles(fp_supervisor *sup)
{
	uv_close((uv_handle_t *)&sup->sigchld, NULL);
	uv_close((uv_handle_t *)&sup->sigint, NULL);
	uv_close((uv_handle_t *)&sup->sigterm, NULL);
	uv_close((uv_handle_t *)&sup->sighup, NULL);
	uv_close((uv_handle_t *)&sup->pump, NULL);
	uv_close((uv_handle_t *)&sup->stop_timer, NULL);
	uv_close((uv_handle_t *)&sup->watchdog, NULL);
	uv_close((uv_handle_t *)&sup->progress_timer, NULL);
	if (sup->keys_on)
		uv_close((uv_handle_t *)&sup->keys, NULL);
	sup->keys_on = false;
	for (size_t i = 0; i < sup->instance_count; i++)
		fp__process_close_channel(&sup->procs[i]);
}

static void on_stop_timeout(uv_timer_t *handle)
{
	fp_supervisor *sup = handle->data;
	for (size_t i = 0; i < sup->instance_count; i++)
		/* --debug-stage: no time limit for the one being debugged */
		if (sup->broker.instances[i].stage + 1 !=
		    sup->options->debug_stage)
			fp__broker_condemn(&sup->broker, (int32_t)i,
					   "did not exit within %d ms of STOP",
					   STOP_GRACE_MS);
}

/* Write what the broker queued; a socket we cannot write to any more is
 * the end of that instance (EPIPE: it died, and SIGCHLD will say how). */
static void flush_all(fp_supervisor *sup)
{
	for (size_t i = 0; i < sup->instance_count; i++) {
		fp_channel *ch = sup->procs[i].ch;
		int rc = ch != NULL ? fp__channel_flush(ch) : 0;
		if (rc != 0 && rc != UV_EPIPE && rc != UV_ECONNRESET)
			fp__broker_condemn(&sup->broker, (int32_t)i,
					   "cannot write to its pipe: %s",
					   uv_strerror(rc));
	}
}

static void after_events(fp_supervisor *sup)
{
	if (sup->broker.alive == 0) {
		if (!uv_is_closing((uv_handle_t *)&sup->pump))
			close_loop_handles(sup);
		return;
	}
	bool was_stopping = sup->broker.stopping;
	fp__broker_pump(&sup->broker);
	flush_all(sup);
	if (sup->trace.file != NULL)
		fp__trace_free_slots(&sup->trace, uv_hrtime(),
				     sup->broker.ledger.free_count);
	if (sup->broker.stopping && !was_stopping)
		uv_timer_start(&sup->stop_timer, on_stop_timeout, STOP_GRACE_MS,
			       0);
}

static void on_sigchld(uv_signal_t *handle, int signum)
{
	(void)signum;
	fp_supervisor *sup = handle->data;
	fp__process_reap(sup);
	after_events(sup);
}

static void on_check(uv_check_t *handle)
{
	after_events(handle->data);
}

static void on_watchdog(uv_timer_t *handle)
{
	fp_supervisor *sup = handle->data;
	fp__broker_tick(&sup->broker, uv_hrtime());
}

static void on_progress(uv_timer_t *handle)
{
	fp__report_progress(handle->data);
}

static void interrupt(fp_supervisor *sup, int signum)
{
	fp__progress_clear(&sup->progress);
	if (sup->signals++ == 0) {
		fprintf(stderr,
			"framepipe: %s: finishing frames in flight, taking no "
			"new input (again to abandon them)\n",
			strsignal(signum));
		fp__broker_interrupt(&sup->broker);
	} else if (sup->signals == 2) {
		fprintf(stderr,
			"framepipe: %s again: abandoning the frames in "
			"flight\n",
			strsignal(signum));
		fp__broker_abandon(&sup->broker);
	}
}

static void on_interrupt(uv_signal_t *handle, int signum)
{
	fp_supervisor *sup = handle->data;
	interrupt(sup, signum);
	after_events(sup);
}

/* --debug-stage, stdin a terminal: Enter sends the stopped instance
 * SIGCONT (a debugger attached since may also have). */
static void on_key(uv_poll_t *handle, int status, int events)
{
	(void)events;
	fp_supervisor *sup = handle->data;
	char buf[256];
	ssize_t n = status == 0 ? read(STDIN_FILENO, buf, sizeof buf) : 0;
	if (n > 0 && memchr(buf, '\n', (size_t)n) == NULL)
		return;
	for (size_t i = 0; i < sup->instance_count; i++)
		if (sup->broker.instances[i].stage + 1 ==
			    sup->options->debug_stage &&
		    sup->broker.instances[i].is_alive)
			kill(sup->procs[i].pid, SIGCONT);
	uv_close((uv_handle_t *)&sup->keys, NULL);
	sup->keys_on = false;
}

static int start_loop(fp_supervisor *sup)
{
	int rc = uv_loop_init(&sup->loop);
	if (rc != 0)
		return rc;
	uv_signal_init(&sup->loop, &sup->sigchld);
	uv_signal_init(&sup->loop, &sup->sigint);
	uv_signal_init(&sup->loop, &sup->sigterm);
	uv_signal_init(&sup->loop, &sup->sighup);
	uv_check_init(&sup->loop, &sup->pump);
	uv_timer_init(&sup->loop, &sup->stop_timer);
	uv_timer_init(&sup->loop, &sup->watchdog);
	sup->watchdog.data = sup;
	uv_timer_start(&sup->watchdog, on_watchdog, WATCHDOG_MS, WATCHDOG_MS);
	uv_timer_init(&sup->loop, &sup->progress_timer);
	sup->progress_timer.data = sup;
	unsigned every = fp__progress_interval_ms(&sup->progress);
	if (every > 0)
		uv_timer_start(&sup->progress_timer, on_progress, every, every);
	sup->sigchld.data = sup->sigint.data = sup->sigterm.data = sup;
	sup->sighup.data = sup;
	sup->pump.data = sup->stop_timer.data = sup;
	uv_signal_start(&sup->sigchld, on_sigchld, SIGCHLD);
	uv_signal_start(&sup->sigint, on_interrupt, SIGINT);
	uv_signal_start(&sup->sigterm, on_interrupt, SIGTERM);
	/* nohup: a hang-up ignored by whoever started us stays ignored. */
	struct sigaction hup;
	if (sigaction(SIGHUP, NULL, &hup) == 0 && hup.sa_handler != SIG_IGN)
		uv_signal_start(&sup->sighup, on_interrupt, SIGHUP);
	uv_check_start(&sup->pump, on_check);
	if (sup->options->debug_stage != 0 && isatty(STDIN_FILENO) &&
	    uv_poll_init(&sup->loop, &sup->keys, STDIN_FILENO) == 0) {
		sup->keys.data = sup;
		sup->keys_on =
			uv_poll_start(&sup->keys, UV_READABLE, on_key) == 0;
		if (!sup->keys_on)
			uv_close((uv_handle_t *)&sup->keys, NULL);
	}
	for (size_t i = 0; i < sup->instance_count && rc == 0; i++)
		rc = fp__process_open_channel(sup, &sup->procs[i]);
	return rc;
}

static void teardown(fp_supervisor *sup)
{
	if (sup->broker.ok == 0)
		fp__remove_empty_tree(sup->made_dir);
	fp__pool_release(&sup->pool);
	fp__crash_table_unmap(&sup->crashes);
	fp__broker_release(&sup->broker);
	free(sup->stage_conf);
	free(sup->procs);
	fp__report_release(sup);
	fp__outputs_release(&sup->plan);
	free(sup->skip);
	int rc = fp__trace_close(&sup->trace);
	if (rc != 0)
		fprintf(stderr, "framepipe: %s: cannot write the trace: %s\n",
			sup->options->trace_path, strerror(-rc));
}

/* Every instance is gone (or none was started): this run's temporary
 * files, a crashed instance's too, are removed with its lock, before the
 * rest is torn down. */
static void end_run(fp_supervisor *sup)
{
	fp__run_lock_release(&sup->run);
	teardown(sup);
}

/* Before anything is forked: every output's name, collisions, files
 * already there (--overwrite, --resume), sub-folders. */
static int plan_outputs(fp_supervisor *sup)
{
	const fp_pipeline *p = sup->pipeline;
	const fp_run_options *o = sup->options;
	const fp_stage_descriptor *src = p->stages[0].plugin.desc;
	const fp_stage_descriptor *sink =
		p->stages[p->stage_count - 1].plugin.desc;
	if (o->output_dir == NULL || !(sink->flags & FP_STAGE_WRITES_OUTPUTS))
		return 0;
	bool files = src->flags & FP_STAGE_READS_INPUTS;
	int64_t count = files ? (int64_t)o->inputs->count : sup->expected;
	if (count < 0 || count > MAX_PLANNED_OUTPUTS)
		return 0; /* an endless or huge stream: names are checked
			     frame by frame when written */
	int rc = fp__outputs_plan(&sup->plan, o->output_dir, p->output_template,
				  files ? o->inputs : NULL, (uint64_t)count,
				  o->existing, sup->runtime_message,
				  sizeof sup->runtime_message);
	return rc == -ENOMEM ? rc : rc != 0 ? FP_ECONFIG : 0;
}

/* The run's lock in the output folder, naming the folders its sinks write
 * to (only the output folder itself when the outputs were not planned). */
static int take_run_lock(fp_supervisor *sup)
{
	const fp_pipeline *p = sup->pipeline;
	const fp_run_options *o = sup->options;
	const fp_stage_descriptor *sink =
		p->stages[p->stage_count - 1].plugin.desc;
	if (o->output_dir == NULL || !(sink->flags & FP_STAGE_WRITES_OUTPUTS))
		return 0;
	static char root[] = "";
	static char *root_only[] = {root};
	char **folders = sup->plan.folders;
	size_t count = sup->plan.folder_count;
	/* The output folder holds the lock of every run into it: looked at
	 * even when no output goes there (-r, all in sub-folders), or a
	 * killed run's lock with no temporary file would stay for ever.
	 * Sorted, "" comes first. */
	if (count == 0 || folders[0][0] != '\0') {
		int fd =
			open(o->output_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd >= 0) {
			sup->plan.stale_removed +=
				fp__run_stale_remove(fd, sup->run.id);
			close(fd);
		}
	}
	if (count == 0) {
		folders = root_only;
		count = 1;
	}
	int rc = fp__run_lock_take(&sup->run, o->output_dir, folders, count,
				   sup->runtime_message,
				   sizeof sup->runtime_message);
	return rc == 0 ? 0 : FP_ECONFIG;
}

static int prepare(fp_supervisor *sup)
{
	const fp_pipeline *p = sup->pipeline;
	const fp_run_options *o = sup->options;
	const fp_stage_descriptor *src = p->stages[0].plugin.desc;
	if ((src->flags & FP_STAGE_READS_INPUTS) && o->inputs->count == 0) {
		snprintf(sup->runtime_message, sizeof sup->runtime_message,
			 "stage %s reads input files: give some with -i",
			 p->stages[0].label);
		return FP_ECONFIG;
	}
	if (o->output_dir != NULL) {
		int rc = fp__make_dirs(o->output_dir, sup->made_dir,
				       sizeof sup->made_dir);
		if (rc != 0) {
			snprintf(sup->runtime_message,
				 sizeof sup->runtime_message,
				 "%s: cannot use as output folder: %s",
				 o->output_dir, strerror(-rc));
			return FP_ECONFIG;
		}
	}
	sup->expected = src->frame_count != NULL
				? src->frame_count(p->stages[0].config,
						   o->inputs->count)
				: -1;
	fp__progress_init(&sup->progress, o->progress, stderr);
	if (o->quiet)
		sup->progress.mode = FP_PROGRESS_NONE;
	int rc = plan_outputs(sup);
	if (rc == 0)
		rc = take_run_lock(sup);
	if (rc == 0 && o->trace_path != NULL &&
	    (rc = fp__trace_open(&sup->trace, o->trace_path, sup->start_ns)) !=
		    0) {
		snprintf(sup->runtime_message, sizeof sup->runtime_message,
			 "%s: cannot write the trace: %s", o->trace_path,
			 strerror(-rc));
		rc = FP_ECONFIG;
	}
	if (rc == 0)
		rc = setup_stages(sup);
	if (rc == 0)
		rc = setup_pool(sup);
	return rc;
}

/* Signals before the loop exists (planning, forking): noted here, acted on
 * once the loop runs, or before the run when nothing was forked. */
static volatile sig_atomic_t early_signal, early_count;

static void on_early_signal(int signum)
{
	early_signal = signum;
	early_count++;
}

void fp__supervisor_catch_signals(void)
{
	static const int signals[] = {SIGINT, SIGTERM, SIGHUP};
	struct sigaction sa = {.sa_handler = on_early_signal};
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof signals / sizeof *signals; i++) {
		struct sigaction old;
		/* A signal ignored by whoever started us stays ignored. */
		if (sigaction(signals[i], NULL, &old) == 0 &&
		    old.sa_handler == SIG_IGN)
			continue;
		sigaction(signals[i], &sa, NULL);
	}
}

static int stopped_before_run(fp_supervisor *sup)
{
	fprintf(stderr, "framepipe: %s before the run started; nothing ran\n",
		strsignal(early_signal));
	end_run(sup);
	free(sup);
	return FP_EXIT_RUNTIME;
}

/* Fork every instance, before the loop exists so that no child inherits
 * any of it, then start the loop. */
static int start(fp_supervisor *sup)
{
	int rc = 0;
	for (size_t i = 0; i < sup->instance_count && rc == 0; i++) {
		rc = fp__process_spawn(sup, &sup->procs[i]);
		if (rc == 0)
			fp__broker_started(&sup->broker, (int32_t)i);
	}
	if (rc == 0)
		rc = start_loop(sup);
	for (size_t i = 0;
	     rc == 0 && sup->trace.file && i < sup->instance_count; i++) {
		const fp_broker_instance *inst = &sup->broker.instances[i];
		fp__trace_track(&sup->trace, inst->id + 1,
				sup->stage_conf[inst->stage].label, inst->index,
				(int)sup->procs[i].pid);
	}
	return rc;
}

int fp__supervisor_run(const fp_pipeline *pipeline,
		       const fp_run_options *options)
{
	fp__supervisor_catch_signals();
	fp_supervisor *sup = calloc(1, sizeof *sup);
	if (sup == NULL)
		return FP_EXIT_RUNTIME;
	sup->pipeline = pipeline;
	sup->options = options;
	sup->pid = getpid();
	sup->start_ns = uv_hrtime();
	if (fp__run_id_make(&sup->run) != 0) {
		fprintf(stderr,
			"framepipe: no random bytes for the run's id: "
			"%s\n",
			strerror(errno));
		free(sup);
		return FP_EXIT_RUNTIME;
	}
	/* A stage that dies makes writes to its socket fail with EPIPE;
	 * that must not kill the supervisor. */
	struct sigaction ignore = {.sa_handler = SIG_IGN}, old_pipe;
	sigaction(SIGPIPE, &ignore, &old_pipe);
	if (early_signal != 0)
		return stopped_before_run(sup);
	int rc = prepare(sup);
	if (rc != 0) {
		fprintf(stderr, "framepipe: %s\n", sup->runtime_message);
		end_run(sup);
		free(sup);
		return rc == FP_ECONFIG ? FP_EXIT_USAGE : FP_EXIT_RUNTIME;
	}
	if (early_signal != 0)
		return stopped_before_run(sup);
	rc = start(sup);
	if (rc != 0) {
		fprintf(stderr, "framepipe: cannot start stage processes: %s\n",
			fp_strerror(rc));
		fp__process_kill_all(sup);
		end_run(sup);
		free(sup);
		return FP_EXIT_RUNTIME;
	}
	/* The loop's handlers are in place: what came during forking is
	 * acted on now, as if it had come now. */
	for (int i = 0; i < early_count && i < 2; i++)
		interrupt(sup, early_signal);
	fp__process_reap(
		sup); /* children that died before SIGCHLD was watched */
	after_events(sup);
	uv_run(&sup->loop, UV_RUN_DEFAULT);
	uv_loop_close(&sup->loop);
	sup->wall_s = (double)(uv_hrtime() - sup->start_ns) / 1e9;

	int code = fp__report_finish(sup);
	end_run(sup);
	free(sup);
	sigaction(SIGPIPE, &old_pipe, NULL);
	return code;
}
