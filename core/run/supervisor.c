/* supervisor — sets up a run, forks the instances, runs the loop, reaps. */
#include "supervisor.h"

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "supervisor_state.h"
#include "task_limits.h"

#define STOP_GRACE_MS	    10000
#define MAX_PLANNED_OUTPUTS 10000000
#define WATCHDOG_MS	    100 /* how often stage timeouts are checked */
#define AUTO_POOL_MAX	    ((uint64_t)1 << 30) /* auto slot count stays under */
#define AUTO_SLOT_FALLBACK  ((uint64_t)16 << 20)

/* The largest frame the source will make, for slot_size = auto. */
static uint64_t auto_slot_size(const fp_supervisor *sup)
{
	const fp_stage_spec *src = &sup->pipeline->stages[0];
	const fp_stage_descriptor *d = src->plugin.desc;
	if (d->frame_bound == NULL)
		return AUTO_SLOT_FALLBACK;
	uint64_t largest = 0, bytes = 0;
	char err[256];
	if (!(d->flags & FP_STAGE_READS_INPUTS)) {
		if (d->frame_bound(src->config, NULL, &bytes, err,
				   sizeof err) == 0)
			largest = bytes;
		return largest > 0 ? largest : AUTO_SLOT_FALLBACK;
	}
	/* Unusable inputs are skipped here: their decode fails with its own
	 * message, and must not make the pool huge. */
	for (size_t i = 0; i < sup->options->input_count; i++)
		if (d->frame_bound(src->config, sup->options->inputs[i], &bytes,
				   err, sizeof err) == 0 &&
		    bytes > largest)
			largest = bytes;
	return largest > 0 ? largest : 4096;
}

static uint32_t auto_slot_count(const fp_supervisor *sup, uint64_t slot_size)
{
	/* Enough for every instance to hold `depth` frames (one in work,
	 * the rest waiting in its pipe), plus the reserve for granted output
	 * slots; fewer when that would pass the memory budget. */
	uint64_t want = (uint64_t)sup->pipeline->depth * sup->instance_count +
			1 + sup->reserve;
	uint64_t fit =
		fp__pool_budget(AUTO_POOL_MAX) / (slot_size ? slot_size : 1);
	uint64_t floor = 2 + sup->reserve;
	if (want > fit)
		want = fit > floor ? fit : floor;
	return (uint32_t)(want < FP_MAX_SLOTS ? want : FP_MAX_SLOTS);
}

static int setup_pool(fp_supervisor *sup)
{
	const fp_pipeline *p = sup->pipeline;
	for (size_t i = 0; i < p->stage_count; i++)
		if (p->stages[i].plugin.desc->flags & FP_STAGE_OUT_OF_PLACE)
			sup->reserve = 1;
	uint64_t slot_size = p->slot_size ? p->slot_size : auto_slot_size(sup);
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
	rc = fp__ledger_init(&sup->ledger, slots);
	sup->slot_input = calloc(slots, sizeof *sup->slot_input);
	sup->slot_is_grant = calloc(slots, sizeof *sup->slot_is_grant);
	sup->slot_attempts = calloc(slots, sizeof *sup->slot_attempts);
	for (size_t k = 0; k < sup->stage_count; k++)
		sup->stages[k].queue = calloc(slots, sizeof(uint32_t));
	for (size_t k = 0; k < sup->stage_count && rc == 0; k++)
		if (sup->stages[k].queue == NULL)
			rc = -ENOMEM;
	if (rc == 0 && (sup->slot_input == NULL || sup->slot_is_grant == NULL ||
			sup->slot_attempts == NULL))
		rc = -ENOMEM;
	if (rc != 0)
		snprintf(sup->runtime_message, sizeof sup->runtime_message,
			 "out of memory setting up %u slots", slots);
	return rc;
}

static int setup_stages(fp_supervisor *sup)
{
	const fp_pipeline *p = sup->pipeline;
	size_t total = 0;
	for (size_t k = 0; k < p->stage_count; k++)
		total += p->stages[k].workers;
	sup->stages = calloc(p->stage_count, sizeof *sup->stages);
	sup->instances = calloc(total, sizeof *sup->instances);
	if (sup->stages == NULL || sup->instances == NULL)
		return -ENOMEM;
	sup->stage_count = p->stage_count;
	sup->instance_count = total;
	size_t next = 0;
	for (size_t k = 0; k < p->stage_count; k++) {
		fp_stage_run *st = &sup->stages[k];
		st->spec = &p->stages[k];
		st->instances = &sup->instances[next];
		for (unsigned i = 0; i < st->spec->workers; i++, next++) {
			fp_instance *inst = &sup->instances[next];
			inst->sup = sup;
			inst->stage = k;
			inst->index = i;
			inst->id = (int32_t)next;
			inst->fd = -1;
		}
	}
	return 0;
}

/* Fork one instance. The child never returns from here. */
static int spawn(fp_supervisor *sup, fp_instance *inst)
{
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
		return -errno;
	fflush(NULL); /* or the child would flush the parent's buffers too */
	pid_t pid = fork();
	if (pid < 0) {
		int e = errno;
		close(sv[0]);
		close(sv[1]);
		return -e;
	}
	if (pid == 0) {
		close(sv[0]);
		fp__stage_host_main(sup, inst, sv[1]);
	}
	close(sv[1]);
	inst->pid = pid;
	inst->fd = sv[0];
	inst->is_alive = true;
	sup->alive++;
	sup->stages[inst->stage].live++;
	return 0;
}

static void reap(fp_supervisor *sup)
{
	int status;
	pid_t pid;
	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		for (size_t i = 0; i < sup->instance_count; i++) {
			fp_instance *inst = &sup->instances[i];
			if (inst->pid == pid && inst->is_alive) {
				fp__dispatch_on_death(sup, inst, status);
				break;
			}
		}
	}
}

static void close_loop_handles(fp_supervisor *sup)
{
	uv_close((uv_handle_t *)&sup->sigchld, NULL);
	uv_close((uv_handle_t *)&sup->sigint, NULL);
	uv_close((uv_handle_t *)&sup->sigterm, NULL);
	uv_close((uv_handle_t *)&sup->pump, NULL);
	uv_close((uv_handle_t *)&sup->stop_timer, NULL);
	uv_close((uv_handle_t *)&sup->watchdog, NULL);
	uv_close((uv_handle_t *)&sup->progress_timer, NULL);
	for (size_t i = 0; i < sup->instance_count; i++)
		fp__supervisor_close_channel(&sup->instances[i]);
}

static void on_stop_timeout(uv_timer_t *handle)
{
	fp_supervisor *sup = handle->data;
	for (size_t i = 0; i < sup->instance_count; i++)
		if (sup->instances[i].is_alive)
			fp__dispatch_condemn(
				&sup->instances[i],
				"did not exit within %d ms of STOP",
				STOP_GRACE_MS);
}

static void after_events(fp_supervisor *sup)
{
	if (sup->alive == 0) {
		if (!uv_is_closing((uv_handle_t *)&sup->pump))
			close_loop_handles(sup);
		return;
	}
	bool was_stopping = sup->stopping;
	fp__dispatch_pump(sup);
	if (sup->trace.file != NULL)
		fp__trace_free_slots(&sup->trace, uv_hrtime(),
				     sup->ledger.free_count);
	if (sup->stopping && !was_stopping)
		uv_timer_start(&sup->stop_timer, on_stop_timeout, STOP_GRACE_MS,
			       0);
}

static void on_sigchld(uv_signal_t *handle, int signum)
{
	(void)signum;
	fp_supervisor *sup = handle->data;
	reap(sup);
	after_events(sup);
}

static void on_check(uv_check_t *handle)
{
	after_events(handle->data);
}

static void on_watchdog(uv_timer_t *handle)
{
	fp_supervisor *sup = handle->data;
	fp__dispatch_watchdog(sup, uv_hrtime());
}

static void on_progress(uv_timer_t *handle)
{
	fp__report_progress(handle->data);
}

static void on_interrupt(uv_signal_t *handle, int signum)
{
	fp_supervisor *sup = handle->data;
	if (sup->interrupted) {
		/* Second signal: do not wait for frames in flight. */
		for (size_t i = 0; i < sup->instance_count; i++)
			if (sup->instances[i].is_alive)
				kill(sup->instances[i].pid, SIGKILL);
		return;
	}
	sup->interrupted = true;
	fprintf(stderr,
		"framepipe: %s: finishing frames in flight, taking no "
		"new input (again to abandon them)\n",
		strsignal(signum));
	after_events(sup);
}

static void free_channel(uv_handle_t *handle)
{
	free(handle->data);
}

/* Give the instance's socket to a channel on the loop. */
static int open_channel(fp_supervisor *sup, fp_instance *inst)
{
	inst->ch = malloc(sizeof *inst->ch);
	if (inst->ch == NULL)
		return -ENOMEM;
	int rc = fp__channel_open(inst->ch, &sup->loop, inst->fd,
				  fp__dispatch_on_msg, NULL, inst);
	if (rc != 0 && !inst->ch->is_open)
		close(inst->fd);
	inst->fd = -1;
	return rc;
}

void fp__supervisor_close_channel(fp_instance *inst)
{
	if (inst->ch == NULL)
		return;
	if (inst->ch->is_open)
		fp__channel_close(inst->ch, free_channel);
	else
		free(inst->ch);
	inst->ch = NULL;
}

int fp__supervisor_respawn(fp_supervisor *sup, fp_instance *inst)
{
	/* The child closes every descriptor but its socket, the loop's
	 * included, and resets the signals the loop installed. */
	inst->is_ready = false;
	inst->condemned[0] = '\0';
	inst->held_head = 0;
	inst->inflight = 0;
	int rc = spawn(sup, inst);
	if (rc == 0)
		rc = open_channel(sup, inst);
	return rc;
}

static int start_loop(fp_supervisor *sup)
{
	int rc = uv_loop_init(&sup->loop);
	if (rc != 0)
		return rc;
	uv_signal_init(&sup->loop, &sup->sigchld);
	uv_signal_init(&sup->loop, &sup->sigint);
	uv_signal_init(&sup->loop, &sup->sigterm);
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
	sup->pump.data = sup->stop_timer.data = sup;
	uv_signal_start(&sup->sigchld, on_sigchld, SIGCHLD);
	uv_signal_start(&sup->sigint, on_interrupt, SIGINT);
	uv_signal_start(&sup->sigterm, on_interrupt, SIGTERM);
	uv_check_start(&sup->pump, on_check);
	for (size_t i = 0; i < sup->instance_count && rc == 0; i++) {
		fp_instance *inst = &sup->instances[i];
		rc = open_channel(sup, inst);
	}
	return rc;
}

static void kill_all(fp_supervisor *sup)
{
	for (size_t i = 0; i < sup->instance_count; i++) {
		fp_instance *inst = &sup->instances[i];
		if (inst->is_alive) {
			kill(inst->pid, SIGKILL);
			waitpid(inst->pid, NULL, 0);
			inst->is_alive = false;
		}
		if (inst->fd >= 0)
			close(inst->fd);
	}
}

static void teardown(fp_supervisor *sup)
{
	fp__pool_release(&sup->pool);
	fp__ledger_release(&sup->ledger);
	free(sup->slot_input);
	free(sup->slot_is_grant);
	free(sup->slot_attempts);
	for (size_t k = 0; sup->stages != NULL && k < sup->stage_count; k++)
		free(sup->stages[k].queue);
	free(sup->stages);
	free(sup->instances);
	fp__report_release(sup);
	fp__outputs_release(&sup->plan);
	fp__order_release(&sup->order);
	int rc = fp__trace_close(&sup->trace);
	if (rc != 0)
		fprintf(stderr, "framepipe: %s: cannot write the trace: %s\n",
			sup->options->trace_path, strerror(-rc));
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
	int64_t count = files ? (int64_t)o->input_count : sup->expected;
	if (count < 0 || count > MAX_PLANNED_OUTPUTS)
		return 0; /* an endless or huge stream: names are checked
			     frame by frame when written */
	int rc = fp__outputs_plan(
		&sup->plan, o->output_dir, p->output_template,
		files ? o->inputs : NULL, o->input_rel,
		files ? o->input_index : NULL, (uint64_t)count, o->existing,
		sup->runtime_message, sizeof sup->runtime_message);
	return rc == -ENOMEM ? rc : rc != 0 ? FP_ECONFIG : 0;
}

static int prepare(fp_supervisor *sup)
{
	const fp_pipeline *p = sup->pipeline;
	const fp_run_options *o = sup->options;
	const fp_stage_descriptor *src = p->stages[0].plugin.desc;
	if ((src->flags & FP_STAGE_READS_INPUTS) && o->input_count == 0) {
		snprintf(sup->runtime_message, sizeof sup->runtime_message,
			 "stage %s reads input files: give some with -i",
			 p->stages[0].label);
		return FP_ECONFIG;
	}
	if (o->output_dir != NULL) {
		int rc = fp__make_dirs(o->output_dir);
		if (rc != 0) {
			snprintf(sup->runtime_message,
				 sizeof sup->runtime_message,
				 "%s: cannot use as output folder: %s",
				 o->output_dir, strerror(-rc));
			return FP_ECONFIG;
		}
	}
	sup->expected =
		src->frame_count != NULL
			? src->frame_count(p->stages[0].config, o->input_count)
			: -1;
	sup->is_ordered = p->stages[p->stage_count - 1].plugin.desc->flags &
			  FP_STAGE_ORDERED;
	fp__progress_init(&sup->progress, o->progress, stderr);
	if (o->quiet)
		sup->progress.mode = FP_PROGRESS_NONE;
	int rc = plan_outputs(sup);
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

int fp__supervisor_run(const fp_pipeline *pipeline,
		       const fp_run_options *options)
{
	fp_supervisor *sup = calloc(1, sizeof *sup);
	if (sup == NULL)
		return FP_EXIT_RUNTIME;
	sup->pipeline = pipeline;
	sup->options = options;
	sup->pid = getpid();
	sup->start_ns = uv_hrtime();
	/* A stage that dies makes writes to its socket fail with EPIPE;
	 * that must not kill the supervisor. */
	struct sigaction ignore = {.sa_handler = SIG_IGN}, old_pipe;
	sigaction(SIGPIPE, &ignore, &old_pipe);
	int rc = prepare(sup);
	if (rc != 0) {
		fprintf(stderr, "framepipe: %s\n", sup->runtime_message);
		teardown(sup);
		free(sup);
		return rc == FP_ECONFIG ? FP_EXIT_USAGE : FP_EXIT_RUNTIME;
	}
	/* Every instance is forked before the loop exists, so no child
	 * inherits any of it. */
	for (size_t i = 0; i < sup->instance_count && rc == 0; i++)
		rc = spawn(sup, &sup->instances[i]);
	if (rc == 0)
		rc = start_loop(sup);
	for (size_t i = 0;
	     rc == 0 && sup->trace.file && i < sup->instance_count; i++) {
		fp_instance *inst = &sup->instances[i];
		fp__trace_track(&sup->trace, inst->id + 1,
				sup->stages[inst->stage].spec->label,
				inst->index, (int)inst->pid);
	}
	if (rc != 0) {
		fprintf(stderr, "framepipe: cannot start stage processes: %s\n",
			rc < -1000 ? "internal error" : strerror(-rc));
		kill_all(sup);
		teardown(sup);
		free(sup);
		return FP_EXIT_RUNTIME;
	}
	reap(sup); /* children that died before SIGCHLD was watched */
	after_events(sup);
	uv_run(&sup->loop, UV_RUN_DEFAULT);
	uv_loop_close(&sup->loop);
	sup->wall_s = (double)(uv_hrtime() - sup->start_ns) / 1e9;

	int code = fp__report_finish(sup);
	teardown(sup);
	free(sup);
	sigaction(SIGPIPE, &old_pipe, NULL);
	return code;
}
