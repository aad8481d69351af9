/* processes — the stage instances as processes: fork, channels, kills,
 * reaping; and the broker's operations, implemented with them. Runs in the
 * supervisor, on its loop once the loop exists. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cores.h"
#include "framepipe/framepipe.h"
#include "stage_host.h"
#include "supervisor_state.h"

static const fp_stage_spec *spec_of(const fp_supervisor *sup, int32_t id)
{
	return &sup->pipeline->stages[sup->broker.instances[id].stage];
}

/* The pipe that becomes the instance's stdout (stage_output.h), unless
 * its stdout is the run's: {-1, -1} then. Both ends close on exec; the
 * child's fd 1 is a dup2 copy, which does not. */
static int stdout_pipe(const fp_stage_spec *spec, int p[2])
{
	p[0] = p[1] = -1;
	if (spec->plugin.desc->flags & FP_STAGE_WRITES_STDOUT)
		return 0;
	return pipe2(p, O_CLOEXEC) == 0 ? 0 : -errno;
}

static void close_pair(int p[2])
{
	for (int i = 0; i < 2; i++)
		if (p[i] >= 0)
			close(p[i]);
}

int fp__process_spawn(fp_supervisor *sup, fp_process *proc)
{
	int sv[2], out[2];
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
		return -errno;
	int rc = stdout_pipe(spec_of(sup, proc->id), out);
	if (rc != 0) {
		close_pair(sv);
		return rc;
	}
	const fp_broker_instance *inst = &sup->broker.instances[proc->id];
	fp_host_args args = {
		.pipeline = sup->pipeline,
		.spec = spec_of(sup, proc->id),
		.options = sup->options,
		.pool = &sup->pool,
		.run = &sup->run,
		.crashes = &sup->crashes,
		.id = (size_t)proc->id,
		.debug = sup->options->debug_stage == inst->stage + 1,
		.index = inst->index,
		.supervisor = sup->pid,
		.fd = sv[1],
		.stdout_fd = out[1],
	};
	fflush(NULL); /* or the child would flush the parent's buffers too */
	pid_t pid = fork();
	if (pid < 0) {
		int e = errno;
		close_pair(sv);
		close_pair(out);
		return -e;
	}
	if (pid == 0) {
		/* A group of its own, so that whatever a plugin forks dies with
		 * the instance (fp__process_kill, reaping). Set on both sides:
		 * whichever runs first, the group exists before any kill. */
		setpgid(0, 0);
		close(sv[0]);
		if (out[0] >= 0)
			close(out[0]);
		fp__stage_host_main(&args);
	}
	setpgid(pid, pid);
	close(sv[1]);
	/* Now, before any other fork: the pipe's EOF is this child's exit
	 * (and that of what it forks), no other process holds its end. */
	if (out[1] >= 0)
		close(out[1]);
	proc->pid = pid;
	proc->fd = sv[0];
	proc->out_fd = out[0];
	return 0;
}

static void kill_group(pid_t pid)
{
	if (pid <= 0)
		return;
	kill(-pid, SIGKILL);
	kill(pid, SIGKILL);
}

static void on_msg(fp_channel *ch, const fp_msg *msg)
{
	fp_process *proc = ch->data;
	fp__broker_on_msg(&proc->sup->broker, proc->id, msg);
}

static void on_eof(fp_channel *ch, int status)
{
	(void)status;
	fp_process *proc = ch->data;
	fp__broker_on_eof(&proc->sup->broker, proc->id);
}

static void free_channel(uv_handle_t *handle)
{
	free(handle->data);
}

/* Give the read end of proc's stdout pipe to a reader on the loop. */
static int open_output(fp_supervisor *sup, fp_process *proc)
{
	int fd = proc->out_fd;
	proc->out_fd = -1;
	if (fd < 0)
		return 0;
	return fp__stage_output_open(
		&proc->out, &sup->loop, fd, spec_of(sup, proc->id)->label,
		sup->broker.instances[proc->id].index, &sup->progress);
}

int fp__process_open_channel(fp_supervisor *sup, fp_process *proc)
{
	proc->ch = malloc(sizeof *proc->ch);
	if (proc->ch == NULL)
		return -ENOMEM;
	int rc = fp__channel_open(proc->ch, &sup->loop, proc->fd, on_msg,
				  on_eof, proc);
	if (rc != 0 && !proc->ch->is_open)
		close(proc->fd);
	proc->fd = -1;
	int out_rc = open_output(sup, proc);
	return rc != 0 ? rc : out_rc;
}

void fp__process_close_channel(fp_process *proc)
{
	fp__stage_output_close(proc->out);
	proc->out = NULL;
	if (proc->ch == NULL)
		return;
	if (proc->ch->is_open)
		fp__channel_close(proc->ch, free_channel);
	else
		free(proc->ch);
	proc->ch = NULL;
}

void fp__process_reap(fp_supervisor *sup)
{
	int status;
	pid_t pid;
	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		for (size_t i = 0; i < sup->instance_count; i++) {
			fp_process *proc = &sup->procs[i];
			if (proc->pid != pid ||
			    !sup->broker.instances[i].is_alive)
				continue;
			/* What the plugin forked goes with it. */
			kill_group(pid);
			/* Its last records (a final LOGGED) before its death,
			 * whichever of the two the loop saw first. */
			if (proc->ch != NULL)
				fp__channel_drain(proc->ch);
			fp__process_close_channel(proc);
			fp__broker_on_death(&sup->broker, proc->id, status);
			break;
		}
	}
}

void fp__process_kill_all(fp_supervisor *sup)
{
	for (size_t i = 0; i < sup->instance_count; i++) {
		fp_process *proc = &sup->procs[i];
		if (proc->pid > 0 && sup->broker.instances[i].is_alive) {
			kill_group(proc->pid);
			waitpid(proc->pid, NULL, 0);
			sup->broker.instances[i].is_alive = false;
		}
		if (proc->fd >= 0)
			close(proc->fd);
		if (proc->out_fd >= 0)
			close(proc->out_fd);
		proc->fd = proc->out_fd = -1;
	}
}

/* ---- the broker's operations ---- */

static int op_send(void *ctx, int32_t id, const fp_msg *m)
{
	fp_supervisor *sup = ctx;
	fp_channel *ch = sup->procs[id].ch;
	if (ch == NULL || !ch->is_open)
		return -EPIPE;
	return fp__channel_send(ch, m->type, m->slot, m->slot2, m->arg);
}

static void op_kill(void *ctx, int32_t id, const char *why)
{
	fp_supervisor *sup = ctx;
	fp_process *proc = &sup->procs[id];
	if (proc->ch != NULL)
		proc->ch->is_muted = true;
	if (why != NULL) {
		fp__progress_clear(&sup->progress);
		fprintf(stderr,
			"framepipe: stage %s#%u (pid %d): %s; killing it\n",
			spec_of(sup, id)->label,
			sup->broker.instances[id].index, (int)proc->pid, why);
	}
	kill_group(proc->pid);
}

static int op_respawn(void *ctx, int32_t id)
{
	/* The child closes every descriptor but its socket, the loop's
	 * included, and resets the signals the loop installed. */
	fp_supervisor *sup = ctx;
	fp_process *proc = &sup->procs[id];
	int rc = fp__process_spawn(sup, proc);
	if (rc == 0)
		rc = fp__process_open_channel(sup, proc);
	return rc;
}

static void op_report_failure(void *ctx, uint32_t input, const char *stage,
			      const char *reason)
{
	fp__report_failure(ctx, input, stage, reason);
}

static void op_notice(void *ctx, const char *line)
{
	fp_supervisor *sup = ctx;
	fp__progress_clear(&sup->progress);
	fprintf(stderr, "framepipe: %s\n", line);
}

static fp_slot_header *op_header(void *ctx, uint32_t slot)
{
	fp_supervisor *sup = ctx;
	return fp__pool_header(&sup->pool, slot);
}

static uint64_t op_now(void *ctx)
{
	(void)ctx;
	return uv_hrtime();
}

/* One frame's time in one stage, for the trace. */
static void op_frame_done(void *ctx, int32_t id, uint32_t input,
			  uint64_t start_ns, uint32_t us, const char *failure)
{
	fp_supervisor *sup = ctx;
	if (sup->trace.file == NULL)
		return;
	size_t stage = sup->broker.instances[id].stage;
	size_t last = sup->pipeline->stage_count - 1;
	char buf[32];
	int step = stage == 0 ? 0 : stage == last ? 2 : 1;
	fp__trace_frame(&sup->trace, id + 1,
			fp__report_input_name(sup, input, buf, sizeof buf),
			input, start_ns, us, step, failure);
}

/* The fault record the instance wrote as it died (crash.h), its pid and
 * its plugin's file. */
static void op_death_detail(void *ctx, int32_t id, int status, char *buf,
			    size_t size)
{
	fp_supervisor *sup = ctx;
	const fp_process *proc = &sup->procs[id];
	fp_crash_record r;
	char fault[700] = "";
	if (WIFSIGNALED(status) &&
	    fp__crash_take(&sup->crashes, (size_t)id, proc->pid,
			   WTERMSIG(status), &r))
		fp__crash_describe(&r, &sup->pool, fault, sizeof fault);
	const fp_stage_spec *spec = spec_of(sup, id);
	char core[PATH_MAX + 128] = "";
	if (WIFSIGNALED(status) && WCOREDUMP(status)) {
		char comm[16];
		snprintf(comm, sizeof comm, "fp:%s", spec->label);
		fp__cores_where(proc->pid, spec->label,
				sup->broker.instances[id].index, comm,
				WTERMSIG(status), core, sizeof core);
	}
	snprintf(buf, size, "%s (pid %d, plugin %s%s)", fault, (int)proc->pid,
		 spec->plugin.path, core);
}

static const char *op_input_name(void *ctx, uint32_t input, char *buf,
				 size_t size)
{
	return fp__report_input_name(ctx, input, buf, size);
}

const fp_broker_ops fp__process_ops = {
	.send = op_send,
	.kill = op_kill,
	.respawn = op_respawn,
	.report_failure = op_report_failure,
	.notice = op_notice,
	.header = op_header,
	.now_ns = op_now,
	.frame_done = op_frame_done,
	.death_detail = op_death_detail,
	.input_name = op_input_name,
};
