/* dispatch — the broker: hands slots to stage instances and takes them
 * back, keeping the ledger honest. Runs on the supervisor's loop only. */
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include "framepipe/stage.h"
#include "supervisor_state.h"

static const char *stage_label(const fp_supervisor *sup, size_t stage)
{
	return sup->stages[stage].spec->label;
}

void fp__dispatch_condemn(fp_instance *inst, const char *fmt, ...)
{
	if (inst->condemned[0] != '\0' || !inst->is_alive)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(inst->condemned, sizeof inst->condemned, fmt, ap);
	va_end(ap);
	if (inst->condemned[0] == '\0')
		snprintf(inst->condemned, sizeof inst->condemned, "killed");
	inst->ch->is_muted = true;
	fprintf(stderr, "framepipe: stage %s#%u (pid %d): %s; killing it\n",
		stage_label(inst->sup, inst->stage), inst->index,
		(int)inst->pid, inst->condemned);
	kill(inst->pid, SIGKILL);
}

/* The live, ready instance of stage with the fewest frames in hand and
 * room for one more, or NULL. */
static fp_instance *least_loaded(fp_supervisor *sup, fp_stage_run *st)
{
	fp_instance *best = NULL;
	for (unsigned i = 0; i < st->spec->workers; i++) {
		fp_instance *inst = &st->instances[i];
		if (!inst->is_alive || !inst->is_ready ||
		    inst->condemned[0] != '\0' ||
		    inst->inflight >= sup->pipeline->depth)
			continue;
		if (best == NULL || inst->inflight < best->inflight)
			best = inst;
	}
	return best;
}

static void queue_push(fp_supervisor *sup, fp_stage_run *st, uint32_t slot)
{
	uint32_t n = sup->pool.slot_count;
	st->queue[(st->queue_head + st->queue_len) % n] = slot;
	st->queue_len++;
}

/* Back to the head of the queue: frames taken from a dead instance go
 * before the ones that were waiting behind them. */
static void queue_push_front(fp_supervisor *sup, fp_stage_run *st,
			     uint32_t slot)
{
	uint32_t n = sup->pool.slot_count;
	st->queue_head = (st->queue_head + n - 1) % n;
	st->queue[st->queue_head] = slot;
	st->queue_len++;
}

static uint32_t queue_pop(fp_supervisor *sup, fp_stage_run *st)
{
	uint32_t slot = st->queue[st->queue_head];
	st->queue_head = (st->queue_head + 1) % sup->pool.slot_count;
	st->queue_len--;
	return slot;
}

static void hand_over(fp_instance *inst, uint32_t slot, uint32_t out)
{
	fp_slot_header *h = fp__pool_header(&inst->sup->pool, slot);
	h->answer = 0;
	h->started_ns = 0;
	inst->held[(inst->held_head + inst->inflight) % FP_MAX_DEPTH] = slot;
	inst->inflight++;
	fp__channel_send(inst->ch, FP_MSG_FRAME, slot, out, 0);
}

/* The instance answered for input slot `slot`: it must be the oldest it
 * holds, since an instance works through its frames in order. */
static bool take_back(fp_instance *inst, uint32_t slot)
{
	if (inst->inflight == 0 || inst->held[inst->held_head] != slot) {
		fp__dispatch_condemn(inst,
				     "answered for slot %u, which is not "
				     "the frame it was working on",
				     slot);
		return false;
	}
	inst->held_head = (inst->held_head + 1) % FP_MAX_DEPTH;
	inst->inflight--;
	return true;
}

static void fail_slot(fp_supervisor *sup, uint32_t slot, const char *stage,
		      const char *reason)
{
	if (sup->is_ordered &&
	    fp__order_resolve(&sup->order, sup->slot_input[slot]) != 0)
		fp__report_failure(sup, sup->slot_input[slot], "-",
				   "out of memory keeping the output order");
	fp__report_failure(sup, sup->slot_input[slot], stage, reason);
	fp__ledger_move(&sup->ledger, slot, FP_OWNER_SUPERVISOR, FP_OWNER_FREE);
}

static void stamp(fp_supervisor *sup, uint32_t slot, uint64_t sequence)
{
	fp_slot_header *h = fp__pool_header(&sup->pool, slot);
	memset(h, 0, sizeof *h);
	h->sequence = sequence;
	h->input_index = (uint32_t)sequence;
	sup->slot_input[slot] = (uint32_t)sequence;
	sup->slot_is_grant[slot] = false;
}

/* Remove the i-th waiting slot of the queue (order is not kept: the
 * ordered sink searches by sequence). */
static uint32_t queue_take(fp_supervisor *sup, fp_stage_run *st, uint32_t i)
{
	uint32_t n = sup->pool.slot_count;
	uint32_t *at = &st->queue[(st->queue_head + i) % n];
	uint32_t slot = *at;
	*at = st->queue[st->queue_head];
	queue_pop(sup, st);
	return slot;
}

/* The ordered sink: hand over the frame whose sequence is next, if it is
 * waiting, and go on while the following ones are. */
static void pump_ordered_sink(fp_supervisor *sup, fp_stage_run *st)
{
	for (;;) {
		fp__order_advance(&sup->order, sup->plan.skip,
				  sup->expected > 0 ? (uint64_t)sup->expected
						    : 0);
		uint32_t i = 0;
		while (i < st->queue_len &&
		       sup->slot_input[st->queue[(st->queue_head + i) %
						 sup->pool.slot_count]] !=
			       sup->order.next)
			i++;
		fp_instance *inst = least_loaded(sup, st);
		if (i == st->queue_len || inst == NULL)
			return;
		uint32_t slot = queue_take(sup, st, i);
		fp__ledger_move(&sup->ledger, slot, FP_OWNER_SUPERVISOR,
				inst->id);
		hand_over(inst, slot, FP_SLOT_NONE);
		sup->order.next++;
	}
}

static void pump_stage(fp_supervisor *sup, size_t k)
{
	fp_stage_run *st = &sup->stages[k];
	bool grants = st->spec->plugin.desc->flags & FP_STAGE_OUT_OF_PLACE;
	if (st->live == 0) {
		while (st->queue_len > 0)
			fail_slot(sup, queue_pop(sup, st), st->spec->label,
				  "stage has no running instance");
		return;
	}
	if (sup->is_ordered && k + 1 == sup->stage_count) {
		pump_ordered_sink(sup, st);
		return;
	}
	while (st->queue_len > 0) {
		fp_instance *inst = least_loaded(sup, st);
		if (inst == NULL)
			return;
		uint32_t out = FP_SLOT_NONE;
		if (grants) {
			if (fp__ledger_take(&sup->ledger, inst->id, &out) != 0)
				return;
			sup->slot_is_grant[out] = true;
		}
		uint32_t slot = queue_pop(sup, st);
		if (out != FP_SLOT_NONE) {
			/* The output slot carries the same frame on. */
			const fp_slot_header *from =
				fp__pool_header(&sup->pool, slot);
			fp_slot_header *to = fp__pool_header(&sup->pool, out);
			memset(to, 0, sizeof *to);
			to->sequence = from->sequence;
			to->input_index = from->input_index;
		}
		fp__ledger_move(&sup->ledger, slot, FP_OWNER_SUPERVISOR,
				inst->id);
		hand_over(inst, slot, out);
	}
}

static bool source_has_more(fp_supervisor *sup)
{
	while (sup->plan.skip != NULL &&
	       (sup->expected < 0 ||
		sup->next_sequence < (uint64_t)sup->expected) &&
	       sup->plan.skip[sup->next_sequence])
		sup->next_sequence++;
	return !sup->source_done && !sup->interrupted &&
	       sup->runtime_error == 0 &&
	       (sup->expected < 0 ||
		sup->next_sequence < (uint64_t)sup->expected);
}

static void pump_source(fp_supervisor *sup)
{
	fp_stage_run *st = &sup->stages[0];
	if (st->live == 0)
		sup->source_done = true;
	/* Frames a dead source instance never got to, first. */
	pump_stage(sup, 0);
	while (st->queue_len == 0 && source_has_more(sup) &&
	       sup->ledger.free_count > sup->reserve) {
		fp_instance *inst = least_loaded(sup, st);
		if (inst == NULL)
			return;
		uint32_t slot;
		fp__ledger_take(&sup->ledger, inst->id, &slot);
		stamp(sup, slot, sup->next_sequence++);
		sup->slot_attempts[slot] = 0;
		hand_over(inst, slot, FP_SLOT_NONE);
	}
}

static void send_stop(fp_supervisor *sup)
{
	sup->stopping = true;
	for (size_t i = 0; i < sup->instance_count; i++) {
		fp_instance *inst = &sup->instances[i];
		if (inst->is_alive && inst->ch->is_open)
			fp__channel_send(inst->ch, FP_MSG_STOP, FP_SLOT_NONE,
					 FP_SLOT_NONE, 0);
	}
}

void fp__dispatch_pump(fp_supervisor *sup)
{
	if (!sup->stopping) {
		for (size_t k = sup->stage_count - 1; k > 0; k--)
			pump_stage(sup, k);
		pump_source(sup);
		if (!source_has_more(sup) &&
		    sup->ledger.free_count == sup->pool.slot_count)
			send_stop(sup);
	}
	for (size_t i = 0; i < sup->instance_count; i++) {
		fp_instance *inst = &sup->instances[i];
		int rc = inst->ch ? fp__channel_flush(inst->ch) : 0;
		/* EPIPE: it died and SIGCHLD will say how; anything else is a
		 * socket we cannot use any more. */
		if (rc != 0 && rc != UV_EPIPE && rc != UV_ECONNRESET &&
		    inst->is_alive)
			fp__dispatch_condemn(inst,
					     "cannot write to its pipe: "
					     "%s",
					     uv_strerror(rc));
	}
}

/* A frame header written by an instance is untrusted: check it describes
 * pixels inside the slot before anyone else reads them. */
static bool header_is_sane(const fp_supervisor *sup, uint32_t slot)
{
	const fp_slot_header *h = fp__pool_header(&sup->pool, slot);
	unsigned channels = fp_format_channels((fp_format)h->format);
	if (channels == 0 || h->width == 0 || h->height == 0)
		return false;
	if ((uint64_t)h->width * channels > h->stride)
		return false;
	return (uint64_t)h->stride * h->height <= sup->pool.slot_bytes;
}

/* One frame's time in one stage, for the trace. */
static void trace_frame(fp_supervisor *sup, fp_instance *inst,
			uint32_t input_slot, uint32_t us, const char *failure)
{
	if (sup->trace.file == NULL)
		return;
	const fp_slot_header *h = fp__pool_header(&sup->pool, input_slot);
	uint32_t input = sup->slot_input[input_slot];
	char buf[32];
	int step = inst->stage == 0			 ? 0
		   : inst->stage + 1 == sup->stage_count ? 2
							 : 1;
	fp__trace_frame(&sup->trace, inst->id + 1,
			fp__report_input_name(sup, input, buf, sizeof buf),
			input, h->started_ns, us, step, failure);
}

static void on_done(fp_supervisor *sup, fp_instance *inst, const fp_msg *m)
{
	fp_stage_run *st = &sup->stages[inst->stage];
	bool grants = st->spec->plugin.desc->flags & FP_STAGE_OUT_OF_PLACE;
	bool is_sink = inst->stage + 1 == sup->stage_count;
	if (!fp__ledger_is_owner(&sup->ledger, m->slot, inst->id) ||
	    (grants &&
	     !fp__ledger_is_owner(&sup->ledger, m->slot2, inst->id)) ||
	    (!grants && m->slot2 != FP_SLOT_NONE) || m->slot == m->slot2) {
		fp__dispatch_condemn(inst,
				     "DONE names slot %u/%u it does "
				     "not own",
				     m->slot, m->slot2);
		return;
	}
	if (!is_sink && !header_is_sane(sup, m->slot)) {
		fp__dispatch_condemn(inst,
				     "DONE with an impossible frame "
				     "geometry in slot %u",
				     m->slot);
		return;
	}
	if (!take_back(inst, grants ? m->slot2 : m->slot))
		return;
	inst->frames++;
	inst->busy_us += m->arg;
	st->frames++;
	st->busy_us += m->arg;
	fp__histogram_add(&st->us_per_frame, m->arg);
	trace_frame(sup, inst, grants ? m->slot2 : m->slot, m->arg, NULL);
	if (grants) {
		/* The output now carries the frame; the input slot is done. */
		sup->slot_input[m->slot] = sup->slot_input[m->slot2];
		sup->slot_is_grant[m->slot] = false;
		fp__ledger_move(&sup->ledger, m->slot2, inst->id,
				FP_OWNER_FREE);
	}
	if (is_sink) {
		fp__ledger_move(&sup->ledger, m->slot, inst->id, FP_OWNER_FREE);
		sup->ok++;
		return;
	}
	fp__ledger_move(&sup->ledger, m->slot, inst->id, FP_OWNER_SUPERVISOR);
	sup->slot_attempts[m->slot] = 0;
	queue_push(sup, &sup->stages[inst->stage + 1], m->slot);
}

static void on_fail(fp_supervisor *sup, fp_instance *inst, const fp_msg *m)
{
	if (!fp__ledger_is_owner(&sup->ledger, m->slot, inst->id) ||
	    (m->slot2 != FP_SLOT_NONE &&
	     !fp__ledger_is_owner(&sup->ledger, m->slot2, inst->id)) ||
	    m->slot == m->slot2) {
		fp__dispatch_condemn(inst,
				     "FAIL names slot %u/%u it does "
				     "not own",
				     m->slot, m->slot2);
		return;
	}
	if (!take_back(inst, m->slot))
		return;
	fp_slot_header *h = fp__pool_header(&sup->pool, m->slot);
	h->error[sizeof h->error - 1] = '\0';
	char label[128];
	snprintf(label, sizeof label, "%s",
		 sup->stages[inst->stage].spec->label);
	fp__ledger_move(&sup->ledger, m->slot, inst->id, FP_OWNER_SUPERVISOR);
	trace_frame(sup, inst, m->slot, m->arg,
		    h->error[0] ? h->error : "failed");
	fail_slot(sup, m->slot, label, h->error[0] ? h->error : "failed");
	if (m->slot2 != FP_SLOT_NONE)
		fp__ledger_move(&sup->ledger, m->slot2, inst->id,
				FP_OWNER_FREE);
}

static void on_end(fp_supervisor *sup, fp_instance *inst, const fp_msg *m)
{
	if (inst->stage != 0 ||
	    !fp__ledger_is_owner(&sup->ledger, m->slot, inst->id)) {
		fp__dispatch_condemn(inst,
				     "END for slot %u it does not own "
				     "or from a non-source",
				     m->slot);
		return;
	}
	if (!take_back(inst, m->slot))
		return;
	sup->source_done = true;
	sup->ends++;
	fp__ledger_move(&sup->ledger, m->slot, inst->id, FP_OWNER_FREE);
}

void fp__dispatch_on_msg(fp_channel *ch, const fp_msg *m)
{
	fp_instance *inst = ch->data;
	fp_supervisor *sup = inst->sup;
	switch (m->type) {
	case FP_MSG_HELLO:
		if (m->arg >> 16 != FP_ABI_MAJOR || inst->is_ready) {
			fp__dispatch_condemn(inst, "bad HELLO (ABI %u.%u)",
					     m->arg >> 16, m->arg & 0xffff);
			return;
		}
		inst->is_ready = true;
		return;
	case FP_MSG_DONE: on_done(sup, inst, m); return;
	case FP_MSG_FAIL: on_fail(sup, inst, m); return;
	case FP_MSG_END: on_end(sup, inst, m); return;
	default:
		fp__dispatch_condemn(inst,
				     "protocol violation: unexpected "
				     "%s record (0x%08x)",
				     fp__msg_type_name(m->type), m->type);
	}
}

static void describe_death(const fp_instance *inst, int status, char *buf,
			   size_t size)
{
	const char *label = inst->sup->stages[inst->stage].spec->label;
	if (inst->condemned[0] != '\0')
		snprintf(buf, size, "stage %s#%u killed: %s", label,
			 inst->index, inst->condemned);
	else if (WIFSIGNALED(status))
		snprintf(buf, size, "stage %s#%u killed by SIG%s", label,
			 inst->index,
			 sigabbrev_np(WTERMSIG(status))
				 ? sigabbrev_np(WTERMSIG(status))
				 : "?");
	else
		snprintf(buf, size, "stage %s#%u exited with status %d", label,
			 inst->index, WEXITSTATUS(status));
}

/* Slots the dead instance held come back. Output slots it was granted
 * are freed; frames waiting in its pipe go back to the front of the
 * stage's queue; the frame it was working on is retried once when the
 * stage can restart, else it failed. */
static void take_back_frames(fp_supervisor *sup, fp_instance *inst,
			     const char *why, bool retry)
{
	fp_stage_run *st = &sup->stages[inst->stage];
	uint32_t slots[FP_MAX_SLOTS];
	uint32_t n =
		fp__ledger_reclaim(&sup->ledger, inst->id, slots, FP_MAX_SLOTS);
	for (uint32_t i = 0; i < n; i++)
		if (sup->slot_is_grant[slots[i]])
			fp__ledger_move(&sup->ledger, slots[i],
					FP_OWNER_SUPERVISOR, FP_OWNER_FREE);
	for (uint32_t i = inst->inflight; i-- > 0;) {
		uint32_t slot =
			inst->held[(inst->held_head + i) % FP_MAX_DEPTH];
		if (inst->stage == 0) /* the dead source may have scribbled */
			stamp(sup, slot, sup->slot_input[slot]);
		if (sup->is_ordered && inst->stage + 1 == sup->stage_count)
			fp__order_rewind(&sup->order, sup->slot_input[slot]);
		if (i > 0 || (retry && sup->slot_attempts[slot] == 0)) {
			sup->slot_attempts[slot] += i == 0;
			queue_push_front(sup, st, slot);
			continue;
		}
		char twice[320];
		snprintf(twice, sizeof twice, "%s%s", why,
			 sup->slot_attempts[slot] > 0 ? " (twice); skipped"
						      : "");
		fail_slot(sup, slot, st->spec->label, twice);
	}
	inst->inflight = 0;
}

/* Answers the dead instance wrote into slot headers but never got to
 * send, in order, as if the records had arrived. */
static void replay_answers(fp_supervisor *sup, fp_instance *inst)
{
	while (inst->inflight > 0) {
		uint32_t slot = inst->held[inst->held_head];
		const fp_slot_header *h = fp__pool_header(&sup->pool, slot);
		fp_msg m = {.type = h->answer, .arg = 0};
		uint32_t other = h->answer_slot;
		bool out_of_place =
			sup->stages[inst->stage].spec->plugin.desc->flags &
			FP_STAGE_OUT_OF_PLACE;
		if (m.type == FP_MSG_DONE && out_of_place) {
			m.slot = other;
			m.slot2 = slot;
		} else {
			m.slot = slot;
			m.slot2 = other;
		}
		uint32_t before = inst->inflight;
		if (m.type == FP_MSG_DONE)
			on_done(sup, inst, &m);
		else if (m.type == FP_MSG_FAIL)
			on_fail(sup, inst, &m);
		else if (m.type == FP_MSG_END)
			on_end(sup, inst, &m);
		if (inst->inflight == before) /* no answer, or a bad one */
			return;
	}
}

void fp__dispatch_on_death(fp_supervisor *sup, fp_instance *inst, int status)
{
	fp_stage_run *st = &sup->stages[inst->stage];
	inst->is_alive = false;
	sup->alive--;
	st->live--;
	fp__supervisor_close_channel(inst);
	bool expected = sup->stopping && inst->condemned[0] == '\0' &&
			WIFEXITED(status) && WEXITSTATUS(status) == 0;
	if (expected)
		return;
	char why[300];
	describe_death(inst, status, why, sizeof why);
	bool was_ready = inst->is_ready;
	if (!was_ready && !sup->stopping)
		fprintf(stderr, "framepipe: %s before it was ready\n", why);
	/* An instance that never got ready will not get ready next time
	 * either (its init failed): no restart for it. */
	bool restart = was_ready && !sup->stopping && sup->runtime_error == 0 &&
		       st->restarts < st->spec->max_restarts;
	replay_answers(sup, inst);
	take_back_frames(sup, inst, why, restart);
	if (restart) {
		st->restarts++;
		fp__progress_clear(&sup->progress);
		fprintf(stderr,
			"framepipe: %s; restarting it (restart %u of %u)\n",
			why, st->restarts, st->spec->max_restarts);
		int rc = fp__supervisor_respawn(sup, inst);
		if (rc == 0)
			return;
		snprintf(why, sizeof why, "cannot restart stage %s#%u: %s",
			 st->spec->label, inst->index, uv_strerror(rc));
	}
	if (st->live == 0 && !sup->stopping && sup->runtime_error == 0) {
		sup->runtime_error = FP_ECRASHED;
		snprintf(sup->runtime_message, sizeof sup->runtime_message,
			 "stage %s cannot go on: %s%s", st->spec->label, why,
			 restart || !was_ready ? ""
					       : " (restart limit reached: "
						 "raise its 'restarts')");
	}
}

void fp__dispatch_watchdog(fp_supervisor *sup, uint64_t now_ns)
{
	for (size_t i = 0; i < sup->instance_count; i++) {
		fp_instance *inst = &sup->instances[i];
		uint64_t limit = sup->stages[inst->stage].spec->timeout_ns;
		if (limit == 0 || !inst->is_alive)
			continue;
		/* The frame in work is the oldest without an answer: the ones
		 * before it may be answered with the record not sent yet. */
		const fp_slot_header *h = NULL;
		for (uint32_t k = 0; k < inst->inflight && h == NULL; k++) {
			uint32_t slot = inst->held[(inst->held_head + k) %
						   FP_MAX_DEPTH];
			h = fp__pool_header(&sup->pool, slot);
			if (h->answer != 0)
				h = NULL;
		}
		uint64_t started = h != NULL ? h->started_ns : 0;
		if (started == 0 || started > now_ns ||
		    now_ns - started <= limit)
			continue;
		fp__dispatch_condemn(inst,
				     "stuck on one frame for %.1f s (timeout = "
				     "%g s)",
				     (double)(now_ns - started) / 1e9,
				     (double)limit / 1e9);
	}
}
