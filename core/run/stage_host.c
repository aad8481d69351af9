/* stage_host — the life of one forked stage instance.
 *
 * Runs in the child right after fork(): it cuts itself off from everything
 * of the supervisor's but its own socket and the inherited pool mapping,
 * calls the plugin's init, says HELLO, then turns FRAME records into
 * process() calls and answers each with DONE, FAIL or END.
 */
#include "stage_host.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

#include "framepipe/framepipe.h"
#include "frame_check.h"
#include "pipeline_check.h"
#include "channel.h"
#include "cores.h"
#include "naming.h"
#include "slot_gate.h"

#define HOST_FD	       3
/* Answers are gathered and written together at the end of a read batch,
 * unless frames take longer than this: then each is answered at once, and
 * pending answers are sent before the next frame starts, so that a quick
 * frame's answer never waits behind a slow frame. */
#define FLUSH_AFTER_NS 50000

typedef struct host {
	const fp_host_args *args;
	const fp_pool *pool;
	const fp_run_options *options;
	const fp_stage_spec *spec;
	const fp_stage_descriptor *desc;
	void *state;
	uv_loop_t loop;
	uv_check_t flush;
	fp_channel ch;
	fp_gate gate;
	bool stopping;
	uint64_t typical_ns; /* moving average of process() times */
	char output_path[PATH_MAX];
	fp_stage_env env; /* the plugin may keep it until fini */
} host;

/* The host of this process (one instance per process), for env->log. */
static const host *the_host;

/* Errors and warnings env->log printed, by level (FP_LOG_ERROR,
 * FP_LOG_WARN): counted by whichever thread of the plugin's logs, sent by
 * the loop's in LOGGED records (protocol.h), which carry what was counted
 * since the last one. */
static _Atomic uint32_t logged[FP_LOG_WARN + 1];
static uint32_t logged_sent[FP_LOG_WARN + 1];

/* fp_stage_env.log: "label#instance: text" on stderr. INFO is silenced by
 * -q and DEBUG shown only with FRAMEPIPE_DEBUG set; errors and warnings
 * are counted for the summary. On a terminal that shows the progress
 * line, the line is cleared first (the supervisor redraws it). */
static void stage_log(const fp_stage_env *env, fp_log_level level,
		      const char *fmt, ...)
{
	const host *h = the_host;
	if (h == NULL || env == NULL)
		return;
	if (level == FP_LOG_ERROR || level == FP_LOG_WARN)
		atomic_fetch_add_explicit(&logged[level], 1,
					  memory_order_relaxed);
	if (level >= FP_LOG_INFO && h->options->quiet)
		return;
	if (level >= FP_LOG_DEBUG && getenv("FRAMEPIPE_DEBUG") == NULL)
		return;
	char text[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	size_t n = strlen(text);
	while (n > 0 && text[n - 1] == '\n')
		text[--n] = '\0';
	static const char *const names[] = {"", "error: ", "warning: ", "",
					    "debug: "};
	bool clear = h->options->progress != FP_PROGRESS_NONE &&
		     isatty(STDERR_FILENO);
	fprintf(stderr, "%s%s#%u: %s%s\n", clear ? "\r\033[K" : "", env->label,
		env->instance,
		level >= FP_LOG_ERROR && level <= FP_LOG_DEBUG ? names[level]
							       : "",
		text);
}

static void isolate(const fp_host_args *a)
{
	int fd = a->fd;
	/* Die with the supervisor, and do not outlive it if it is already
	 * gone (the death signal is only armed from here on). */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != a->supervisor)
		_exit(FP_EXIT_RUNTIME);
	char name[16];
	snprintf(name, sizeof name, "fp:%s", a->spec->label);
	prctl(PR_SET_NAME, name);
	/* The supervisor decides how the run ends: an instance ignores the
	 * interrupts a terminal or a kill of the old group would send. */
	signal(SIGINT, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	/* Over a file-size limit, writes fail with EFBIG and the frame fails,
	 * rather than the instance dying of SIGXFSZ. */
	signal(SIGXFSZ, SIG_IGN);
	signal(SIGCHLD, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	/* A stage's stdout is the run's only when it writes a stream there
	 * (y4m_write): anything else a plugin prints goes to a pipe whose
	 * lines the supervisor prints on stderr with our prefix
	 * (stage_output.h), so it can never land inside a stream. Before
	 * the socket moves: the pipe may be on HOST_FD. Line buffered, so
	 * that lines come as printed, not when a 4 KiB buffer fills. */
	if (a->stdout_fd >= 0) {
		if (dup2(a->stdout_fd, STDOUT_FILENO) < 0)
			_exit(FP_EXIT_RUNTIME);
		(void)setvbuf(stdout, NULL, _IOLBF, BUFSIZ);
	}
	if (fd != HOST_FD) {
		if (dup2(fd, HOST_FD) < 0)
			_exit(FP_EXIT_RUNTIME);
		close(fd);
	}
	/* dup2 cleared close-on-exec: a program the plugin runs (system(),
	 * popen()) must not get the supervisor's socket */
	if (fcntl(HOST_FD, F_SETFD, FD_CLOEXEC) != 0)
		_exit(FP_EXIT_RUNTIME);
	/* Nothing of the parent's but stdio and our socket stays open. */
	if (close_range(HOST_FD + 1, ~0u, 0) != 0)
		for (int i = HOST_FD + 1; i < 1024; i++)
			close(i);
	/* The run's id names the sinks' temporary files; the run's lock,
	 * held here too, says they are not stale while this process lives. */
	if (setenv(FP_RUN_ID_ENV, a->run->id, 1) != 0)
		_exit(FP_EXIT_RUNTIME);
	fp__run_lock_join(a->run);
}

/* input: the frame's input index as the FRAME record said it; the copy in
 * the header is shared memory anyone could have written since. */
static void frame_from_slot(host *h, uint32_t slot, uint32_t input, fp_frame *f)
{
	const fp_pool *pool = h->pool;
	fp_slot_header *hd = fp__pool_header(pool, slot);
	const fp_run_options *o = h->options;
	memset(f, 0, sizeof *f);
	f->width = hd->width;
	f->height = hd->height;
	f->stride = hd->stride;
	f->format = (fp_format)hd->format;
	f->pixels = fp__pool_pixels(pool, slot);
	f->capacity = pool->slot_bytes;
	f->sequence = hd->sequence;
	f->input_index = input;
	f->input_path =
		input < o->inputs->count ? o->inputs->paths[input] : NULL;
	f->error = hd->error;
	f->error_size = sizeof hd->error;
	f->meta = fp__pool_meta_reset(pool, slot, 0);
}

static void frame_to_slot(host *h, uint32_t slot, const fp_frame *f)
{
	fp_slot_header *hd = fp__pool_header(h->pool, slot);
	hd->width = f->width;
	hd->height = f->height;
	hd->stride = f->stride;
	hd->format = (uint32_t)f->format;
}

/* The input's path below its input root, for {dir} and {name}. */
static const char *rel_path(const host *h, uint32_t input_index)
{
	const fp_inputs *in = h->options->inputs;
	return input_index < in->count ? fp__inputs_rel_path(in, input_index)
				       : NULL;
}

/* The input's {index}: its place in the full list of a sharded run. */
static uint32_t name_index(const host *h, uint32_t input_index)
{
	const fp_inputs *in = h->options->inputs;
	return input_index < in->count ? fp__inputs_index(in, input_index)
				       : input_index;
}

/* Run process() on one frame; returns its code and the time it took. */
static int run_frame(host *h, const fp_msg *m, uint64_t *ns)
{
	fp_frame in, out;
	fp_frame *pin = NULL, *pout = NULL;
	uint32_t slot = m->slot, slot2 = m->slot2;
	frame_from_slot(h, slot, m->arg, &in);
	in.error[0] = '\0';
	if (h->desc->kind != FP_STAGE_SOURCE &&
	    fp__frame_check(&in, in.error, in.error_size) != 0) {
		/* Checked by the supervisor at DONE, then stamped: only a
		 * write into our slot since (another process's) gets here. */
		snprintf(in.error, in.error_size,
			 "its slot header was overwritten while it waited");
		return FP_EPROTOCOL;
	}
	if (h->desc->kind != FP_STAGE_SOURCE) {
		/* Only the formats the stage declared: a 1.1 plugin is
		 * never handed a 16-bit frame. */
		char why[200];
		int rc =
			fp__frame_accepted(h->desc, in.format, why, sizeof why);
		if (rc != 0) {
			/* reported as "input: label: takes ..." */
			snprintf(in.error, in.error_size, "%s", why);
			return rc;
		}
	}
	switch (h->desc->kind) {
	case FP_STAGE_SOURCE:
		pout = &in;
		fp_meta_clear(in.meta);
		fp__pipeline_hint(h->args->pipeline, in.input_path,
				  &in.hint_width, &in.hint_height);
		break;
	case FP_STAGE_SINK:
		pin = &in;
		if (h->options->output_dir != NULL &&
		    fp__output_path(h->options->output_dir,
				    h->args->pipeline->output_template,
				    rel_path(h, in.input_index),
				    name_index(h, in.input_index),
				    h->output_path, sizeof h->output_path) == 0)
			in.output_path = h->output_path;
		break;
	case FP_STAGE_FILTER:
		pin = pout = &in;
		if (slot2 != FP_SLOT_NONE) {
			frame_from_slot(h, slot2, m->arg, &out);
			out.width = out.height = out.stride = 0;
			out.error = in.error;
			out.error_size = in.error_size;
			/* Same capacity in every slot: it all fits. */
			fp__meta_copy(out.meta, in.meta);
			pout = &out;
		}
		break;
	}
	uint64_t t0 = uv_hrtime();
	int rc = h->desc->process(h->state, pin, pout);
	*ns = uv_hrtime() - t0;
	if (rc == 0 && pout != NULL)
		rc = fp__frame_check(pout, in.error, in.error_size);
	if (rc == 0 && pout != NULL)
		frame_to_slot(h, slot2 != FP_SLOT_NONE ? slot2 : slot, pout);
	if (rc != 0 && rc != FP_EEND && in.error[0] == '\0')
		snprintf(in.error, in.error_size, "%s", fp_strerror(rc));
	return rc;
}

/* A record that cannot be queued or written (no memory for the outbox,
 * the supervisor's end gone) is an answer the supervisor would wait for
 * until the timeout: end instead. Every answer is in its slot header
 * before it is sent, so the supervisor, seeing this instance die, takes
 * the finished frames from there. */
static void sent_or_end(const host *h, int rc, const char *what)
{
	if (rc == 0)
		return;
	fprintf(stderr,
		"framepipe: stage %s#%u: cannot %s the supervisor: %s; "
		"ending\n",
		h->spec->label, h->args->index, what, uv_strerror(rc));
	_exit(FP_EXIT_RUNTIME);
}

static void send_or_end(host *h, uint32_t type, uint32_t slot, uint32_t slot2,
			uint32_t arg)
{
	sent_or_end(h, fp__channel_send(&h->ch, type, slot, slot2, arg),
		    "queue a record for");
}

static void flush_or_end(host *h)
{
	sent_or_end(h, fp__channel_flush(&h->ch), "write to");
}

/* Queue a LOGGED record for what env->log counted since the last one.
 * Loop thread only. */
static void send_logged(host *h)
{
	uint32_t now[FP_LOG_WARN + 1];
	for (int level = FP_LOG_ERROR; level <= FP_LOG_WARN; level++)
		now[level] = atomic_load_explicit(&logged[level],
						  memory_order_relaxed);
	uint32_t warnings = now[FP_LOG_WARN] - logged_sent[FP_LOG_WARN];
	uint32_t errors = now[FP_LOG_ERROR] - logged_sent[FP_LOG_ERROR];
	if (warnings == 0 && errors == 0)
		return;
	send_or_end(h, FP_MSG_LOGGED, warnings, errors, 0);
	logged_sent[FP_LOG_WARN] = now[FP_LOG_WARN];
	logged_sent[FP_LOG_ERROR] = now[FP_LOG_ERROR];
}

/* Record the answer in the input slot's header, then queue it: after what
 * the frame logged, so that the supervisor has every count of a frame's
 * process() before it can send STOP. */
static void answer(host *h, uint32_t type, uint32_t slot, uint32_t slot2,
		   uint32_t input_slot, uint32_t arg)
{
	fp_slot_header *hd = fp__pool_header(h->pool, input_slot);
	hd->answer_slot = slot == input_slot ? slot2 : slot;
	hd->answer = type;
	/* the header first: ending on a failed send leaves the answer */
	send_logged(h);
	send_or_end(h, type, slot, slot2, arg);
}

/* Open (or close) the frame's slots to this process (slot_gate.h); an
 * instance that cannot is not isolated, and ends. */
static void protect(host *h, const fp_msg *m, bool writable)
{
	int rc = fp__gate_set(&h->gate, m->slot, writable);
	if (rc == 0 && m->slot2 != FP_SLOT_NONE)
		rc = fp__gate_set(&h->gate, m->slot2, writable);
	if (rc != 0) {
		fprintf(stderr,
			"framepipe: stage %s#%u: cannot %s slot %u: %s\n",
			h->spec->label, h->args->index,
			writable ? "open" : "close", m->slot, strerror(-rc));
		_exit(FP_EXIT_RUNTIME);
	}
}

static void on_frame(host *h, const fp_msg *m)
{
	uint64_t ns = 0;
	if (h->typical_ns >= FLUSH_AFTER_NS)
		flush_or_end(h);
	protect(h, m, true);
	int rc = run_frame(h, m, &ns);
	/* Before the answer: from it on, the slots are someone else's. */
	protect(h, m, false);
	h->typical_ns = (h->typical_ns * 7 + ns) / 8;
	uint64_t us = ns / 1000;
	uint32_t arg = us > UINT32_MAX ? UINT32_MAX : (uint32_t)us;
	if (rc == 0 && m->slot2 != FP_SLOT_NONE)
		answer(h, FP_MSG_DONE, m->slot2, m->slot, m->slot, arg);
	else if (rc == 0)
		answer(h, FP_MSG_DONE, m->slot, FP_SLOT_NONE, m->slot, arg);
	else if (rc == FP_EEND && h->desc->kind == FP_STAGE_SOURCE)
		answer(h, FP_MSG_END, m->slot, FP_SLOT_NONE, m->slot, 0);
	else
		answer(h, FP_MSG_FAIL, m->slot, m->slot2, m->slot, arg);
	if (ns >= FLUSH_AFTER_NS)
		flush_or_end(h);
}

/* fini runs here, on the loop, so that what it logs is still sent; an
 * instance killed before it ends takes its last counts with it. */
static void stop(host *h)
{
	if (h->stopping)
		return;
	h->stopping = true;
	if (h->desc->fini != NULL)
		h->desc->fini(h->state);
	send_logged(h);
	(void)fp__channel_flush(&h->ch); /* ending either way */
	fp__channel_close(&h->ch, NULL);
	uv_close((uv_handle_t *)&h->flush, NULL);
}

static void on_msg(fp_channel *ch, const fp_msg *m)
{
	host *h = ch->data;
	if (m->type == FP_MSG_FRAME && m->slot < h->pool->slot_count &&
	    (m->slot2 == FP_SLOT_NONE || m->slot2 < h->pool->slot_count))
		on_frame(h, m);
	else if (m->type == FP_MSG_STOP)
		stop(h);
	else
		_exit(FP_EXIT_RUNTIME); /* the supervisor would never */
}

static void on_eof(fp_channel *ch, int status)
{
	(void)status;
	/* The supervisor is gone: nobody can take our frames. */
	stop(ch->data);
}

static void on_check(uv_check_t *handle)
{
	host *h = handle->data;
	if (h->stopping)
		return;
	send_logged(h); /* what the plugin's own threads logged */
	flush_or_end(h);
}

static int init_stage(host *h)
{
	const fp_run_options *o = h->options;
	h->env = (fp_stage_env){
		.struct_size = sizeof h->env,
		.label = h->spec->label,
		.instance = h->args->index,
		.input_count = o->inputs->count,
		.inputs = (const char *const *)o->inputs->paths,
		.output_dir = o->output_dir,
		.log = stage_log,
		.threads = fp__stage_threads(h->spec),
	};
	the_host = h;
	char err[512] = "";
	if (h->desc->init == NULL)
		return 0;
	int rc = h->desc->init(&h->state, h->spec->config, &h->env, err,
			       sizeof err);
	if (rc != 0)
		fprintf(stderr, "framepipe: stage %s#%u: cannot start: %s\n",
			h->spec->label, h->args->index,
			err[0] ? err : fp_strerror(rc));
	return rc;
}

/* --debug-stage: wait before init until a debugger attaches (it then
 * starts with gdb's `continue`) or SIGCONT comes (kill -CONT, or Enter at
 * the supervisor's terminal). */
static volatile sig_atomic_t debug_go;

static void on_debug_cont(int signum)
{
	(void)signum;
	debug_go = 1;
}

/* Whether a debugger (any tracer) is attached to this process. */
static bool is_traced(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[128];
	bool traced = false;
	while (f != NULL && fgets(line, sizeof line, f) != NULL)
		if (strncmp(line, "TracerPid:", 10) == 0) {
			traced = atoi(line + 10) != 0;
			break;
		}
	if (f != NULL)
		fclose(f);
	return traced;
}

static void wait_for_debugger(const fp_host_args *a)
{
	/* With kernel.yama.ptrace_scope = 1 only an ancestor may attach; a
	 * gdb started from another terminal is none. */
	prctl(PR_SET_PTRACER, PR_SET_PTRACER_ANY);
	struct sigaction sa = {.sa_handler = on_debug_cont};
	sigemptyset(&sa.sa_mask);
	sigaction(SIGCONT, &sa, NULL);
	int pid = (int)getpid();
	fprintf(stderr,
		"framepipe: --debug-stage: stage %s#%u is pid %d (plugin %s), "
		"waiting before init\n"
		"framepipe: attach with: gdb -p %d (set breakpoints, then "
		"'continue'); or: kill -CONT %d%s\n",
		a->spec->label, a->index, pid, a->spec->plugin.path, pid, pid,
		isatty(STDIN_FILENO) ? "; or press Enter here" : "");
	fflush(stderr);
	struct timespec tick = {0, 50 * 1000000L};
	while (!debug_go && !is_traced())
		nanosleep(&tick, NULL);
	signal(SIGCONT, SIG_DFL);
}

_Noreturn void fp__stage_host_main(const fp_host_args *args)
{
	isolate(args);
	/* A fault's address and code reach the supervisor (crash.h); the
	 * death stays a signal death. Unarmed, a crash is still reported,
	 * by its signal only. */
	(void)fp__crash_arm(args->crashes, args->id);
	fp__cores_prepare();
	if (args->debug)
		wait_for_debugger(args);
	/* FP_POOL_PREFAULT=1 maps the whole pool into our page tables before
	 * the first frame (closed, the mapping stays). Off by default: on 4 KiB
	 * pages it costs more than it saves (the whole pool becomes resident,
	 * where the frames touch a few slots; tests/bench/README.md has the
	 * figures). */
	const char *prefault = getenv("FP_POOL_PREFAULT");
	if (prefault != NULL && strcmp(prefault, "1") == 0)
		fp__pool_prefault(args->pool);
	host h = {.args = args, .pool = args->pool, .options = args->options};
	h.spec = args->spec;
	h.desc = h.spec->plugin.desc;
	/* No slot is ours until a FRAME says so. Keys only for a process()
	 * that runs no threads of its own (the register that allows a key
	 * is per thread), and unless FP_POOL_PKEYS=0. */
	if (fp__gate_init(&h.gate, args->pool, h.desc->threads <= 1) != 0)
		_exit(FP_EXIT_RUNTIME);
	if (init_stage(&h) != 0)
		_exit(FP_EXIT_RUNTIME);
	/* A fresh loop of our own: the parent's loop did not exist yet when
	 * the first instances were forked, and is never touched here. */
	if (uv_loop_init(&h.loop) != 0 ||
	    fp__channel_open(&h.ch, &h.loop, HOST_FD, on_msg, on_eof, &h) != 0)
		_exit(FP_EXIT_RUNTIME);
	uv_check_init(&h.loop, &h.flush);
	h.flush.data = &h;
	uv_check_start(&h.flush, on_check);
	send_or_end(&h, FP_MSG_HELLO, FP_SLOT_NONE, FP_SLOT_NONE,
		    (uint32_t)FP_ABI_MAJOR << 16 | FP_ABI_MINOR);
	send_logged(&h); /* init's */
	flush_or_end(&h);
	uv_run(&h.loop, UV_RUN_DEFAULT);
	uv_loop_close(&h.loop);
	/* fini ran in stop(); its last line reaches stdout's pipe now */
	fflush(NULL);
	_exit(0);
}
