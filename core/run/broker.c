#include "broker.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "framepipe/framepipe.h"
#include "framepipe/stage.h"

#define ABANDONED "abandoned: interrupted again"

static fp_slot_header *header(fp_broker *b, uint32_t slot)
{
	return b->conf.ops->header(b->conf.ctx, slot);
}

static uint64_t now(fp_broker *b)
{
	return b->conf.ops->now_ns(b->conf.ctx);
}

static void notice(fp_broker *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void notice(fp_broker *b, const char *fmt, ...)
{
	char line[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	b->conf.ops->notice(b->conf.ctx, line);
}

int fp__broker_init(fp_broker *b, const fp_broker_config *conf)
{
	memset(b, 0, sizeof *b);
	b->conf = *conf;
	if (conf->depth == 0 || conf->depth > FP_BROKER_MAX_DEPTH ||
	    conf->stage_count == 0 || conf->slot_count == 0)
		return -EINVAL;
	int rc = fp__ledger_init(&b->ledger, conf->slot_count);
	if (rc != 0)
		return rc;
	size_t total = 0;
	for (size_t k = 0; k < conf->stage_count; k++)
		total += conf->stages[k].workers;
	b->slots = calloc(conf->slot_count, sizeof *b->slots);
	b->first_death = calloc(conf->slot_count, FP_BROKER_FIRST);
	b->stages = calloc(conf->stage_count, sizeof *b->stages);
	b->instances = calloc(total ? total : 1, sizeof *b->instances);
	if (b->slots == NULL || b->first_death == NULL || b->stages == NULL ||
	    b->instances == NULL)
		goto err_release;
	b->instance_count = total;
	size_t next = 0;
	for (size_t k = 0; k < conf->stage_count; k++) {
		fp_broker_stage *st = &b->stages[k];
		st->conf = conf->stages[k];
		st->instances = &b->instances[next];
		st->queue = calloc(conf->slot_count, sizeof *st->queue);
		if (st->queue == NULL)
			goto err_release;
		for (unsigned i = 0; i < st->conf.workers; i++, next++) {
			fp_broker_instance *inst = &b->instances[next];
			inst->stage = (uint32_t)k;
			inst->index = i;
			inst->id = (int32_t)next;
		}
	}
	return 0;
err_release:
	fp__broker_release(b);
	return -ENOMEM;
}

void fp__broker_release(fp_broker *b)
{
	for (size_t k = 0; b->stages != NULL && k < b->conf.stage_count; k++)
		free(b->stages[k].queue);
	free(b->stages);
	free(b->instances);
	free(b->slots);
	free(b->first_death);
	fp__ledger_release(&b->ledger);
	fp__order_release(&b->order);
	b->stages = NULL;
	b->instances = NULL;
	b->slots = NULL;
	b->first_death = NULL;
}

static fp_broker_instance *instance(fp_broker *b, int32_t id)
{
	if (id < 0 || (size_t)id >= b->instance_count)
		return NULL;
	return &b->instances[id];
}

static void mark_alive(fp_broker *b, fp_broker_instance *inst)
{
	inst->is_alive = true;
	inst->is_ready = false;
	inst->condemned[0] = '\0';
	inst->inflight = 0;
	inst->held_head = 0;
	inst->eof_ns = 0;
	b->alive++;
	b->stages[inst->stage].live++;
}

void fp__broker_started(fp_broker *b, int32_t id)
{
	fp_broker_instance *inst = instance(b, id);
	if (inst != NULL && !inst->is_alive)
		mark_alive(b, inst);
}

void fp__broker_fail_run(fp_broker *b, int code, const char *fmt, ...)
{
	if (b->runtime_error != 0)
		return;
	b->runtime_error = code;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(b->runtime_message, sizeof b->runtime_message, fmt, ap);
	va_end(ap);
}

static void condemn(fp_broker *b, fp_broker_instance *inst, bool quiet,
		    const char *fmt, va_list ap)
{
	if (inst->condemned[0] != '\0' || !inst->is_alive)
		return;
	vsnprintf(inst->condemned, sizeof inst->condemned, fmt, ap);
	if (inst->condemned[0] == '\0')
		snprintf(inst->condemned, sizeof inst->condemned, "killed");
	b->conf.ops->kill(b->conf.ctx, inst->id,
			  quiet ? NULL : inst->condemned);
}

void fp__broker_condemn(fp_broker *b, int32_t id, const char *fmt, ...)
{
	fp_broker_instance *inst = instance(b, id);
	if (inst == NULL)
		return;
	va_list ap;
	va_start(ap, fmt);
	condemn(b, inst, false, fmt, ap);
	va_end(ap);
}

static void condemn_inst(fp_broker *b, fp_broker_instance *inst,
			 const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void condemn_inst(fp_broker *b, fp_broker_instance *inst,
			 const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	condemn(b, inst, false, fmt, ap);
	va_end(ap);
}

/* Every change of owner goes through here: a refusal means the broker's
 * own books are wrong, and the run must end rather than go on with them. */
static bool move(fp_broker *b, uint32_t slot, int32_t from, int32_t to)
{
	if (fp__ledger_move(&b->ledger, slot, from, to) == 0)
		return true;
	fp__broker_fail_run(b, FP_EPROTOCOL,
			    "internal error: the ledger refused to move slot "
			    "%u from owner %d to %d",
			    slot, (int)from, (int)to);
	return false;
}

/* ---- queues ---- */

static void queue_push(fp_broker *b, fp_broker_stage *st, uint32_t slot)
{
	uint32_t n = b->conf.slot_count;
	st->queue[(st->queue_head + st->queue_len) % n] = slot;
	st->queue_len++;
}

/* Frames taken back from a dead instance go before the ones that were
 * waiting behind them. */
static void queue_push_front(fp_broker *b, fp_broker_stage *st, uint32_t slot)
{
	uint32_t n = b->conf.slot_count;
	st->queue_head = (st->queue_head + n - 1) % n;
	st->queue[st->queue_head] = slot;
	st->queue_len++;
}

static uint32_t queue_pop(fp_broker *b, fp_broker_stage *st)
{
	uint32_t slot = st->queue[st->queue_head];
	st->queue_head = (st->queue_head + 1) % b->conf.slot_count;
	st->queue_len--;
	return slot;
}

/* Remove the i-th waiting slot (order is not kept: the ordered sink
 * searches by sequence). */
static uint32_t queue_take(fp_broker *b, fp_broker_stage *st, uint32_t i)
{
	uint32_t *at = &st->queue[(st->queue_head + i) % b->conf.slot_count];
	uint32_t slot = *at;
	*at = st->queue[st->queue_head];
	queue_pop(b, st);
	return slot;
}

/* ---- frames ---- */

/* slot, owned by the supervisor, failed at stage: it is told, its order
 * resolved, and the slot freed. */
static void fail_frame(fp_broker *b, uint32_t slot, const char *stage,
		       const char *reason)
{
	const fp_slot_truth *t = &b->slots[slot];
	if (b->conf.is_ordered &&
	    fp__order_resolve(&b->order, t->sequence) != 0)
		notice(b, "out of memory keeping the output order");
	b->failed++;
	b->conf.ops->report_failure(b->conf.ctx, t->input, stage, reason);
	move(b, slot, FP_OWNER_SUPERVISOR, FP_OWNER_FREE);
}

/* Write what the next owner reads from the broker's truth, whatever the
 * previous owner left there. */
static void stamp(fp_broker *b, uint32_t slot)
{
	const fp_slot_truth *t = &b->slots[slot];
	fp_slot_header *h = header(b, slot);
	h->width = t->width;
	h->height = t->height;
	h->stride = t->stride;
	h->format = t->format;
	h->sequence = t->sequence;
	h->input_index = t->input;
	h->answer = 0;
	h->answer_slot = FP_SLOT_NONE;
	h->started_ns = 0;
	h->error[0] = '\0';
}

/* The live, ready instance of st with the fewest frames in hand and room
 * for one more, or NULL. */
static fp_broker_instance *least_loaded(fp_broker *b, fp_broker_stage *st)
{
	fp_broker_instance *best = NULL;
	for (unsigned i = 0; i < st->conf.workers; i++) {
		fp_broker_instance *inst = &st->instances[i];
		if (!inst->is_alive || !inst->is_ready ||
		    inst->condemned[0] != '\0' ||
		    inst->inflight >= b->conf.depth)
			continue;
		if (best == NULL || inst->inflight < best->inflight)
			best = inst;
	}
	return best;
}

/* Give slot (and granted output slot out, or FP_SLOT_NONE), both owned by
 * the supervisor, to inst. On failure both stay the supervisor's, out is
 * freed, slot goes back to the front of the stage's queue, and inst is
 * killed: the run fails rather than wait for an answer that cannot come. */
static bool hand_over(fp_broker *b, fp_broker_instance *inst, uint32_t slot,
		      uint32_t out)
{
	fp_broker_stage *st = &b->stages[inst->stage];
	if (!move(b, slot, FP_OWNER_SUPERVISOR, inst->id))
		return false;
	if (out != FP_SLOT_NONE &&
	    !move(b, out, FP_OWNER_SUPERVISOR, inst->id)) {
		move(b, slot, inst->id, FP_OWNER_SUPERVISOR);
		return false;
	}
	stamp(b, slot);
	if (out != FP_SLOT_NONE)
		stamp(b, out);
	fp_msg m = {.type = FP_MSG_FRAME,
		    .slot = slot,
		    .slot2 = out,
		    .arg = b->slots[slot].input};
	int rc = b->conf.ops->send(b->conf.ctx, inst->id, &m);
	if (rc != 0) {
		move(b, slot, inst->id, FP_OWNER_SUPERVISOR);
		queue_push_front(b, st, slot);
		if (out != FP_SLOT_NONE &&
		    move(b, out, inst->id, FP_OWNER_SUPERVISOR))
			move(b, out, FP_OWNER_SUPERVISOR, FP_OWNER_FREE);
		fp__broker_fail_run(
			b, FP_EIO, "cannot send stage %s#%u a frame: %s",
			st->conf.label, inst->index, fp_strerror(rc));
		condemn_inst(b, inst, "cannot be sent a frame: %s",
			     fp_strerror(rc));
		return false;
	}
	uint64_t t = now(b);
	b->slots[slot].sent_ns = t;
	if (inst->inflight == 0)
		inst->head_since_ns = t;
	uint32_t at = (inst->held_head + inst->inflight) % FP_BROKER_MAX_DEPTH;
	inst->held[at] = slot;
	inst->held_out[at] = out;
	inst->inflight++;
	return true;
}

/* The slot the instance works on, if it is `slot`. */
static bool is_head(const fp_broker_instance *inst, uint32_t slot)
{
	return inst->inflight > 0 && inst->held[inst->held_head] == slot;
}

static void pop_head(fp_broker *b, fp_broker_instance *inst)
{
	inst->held_head = (inst->held_head + 1) % FP_BROKER_MAX_DEPTH;
	inst->inflight--;
	inst->head_since_ns = now(b);
}

/* The granted output slot of the frame inst works on, or FP_SLOT_NONE. */
static uint32_t head_grant(const fp_broker_instance *inst)
{
	return inst->inflight > 0 ? inst->held_out[inst->held_head]
				  : FP_SLOT_NONE;
}

/* ---- pumping ---- */

static void pump_ordered_sink(fp_broker *b, fp_broker_stage *st)
{
	uint64_t count = b->conf.expected > 0 ? (uint64_t)b->conf.expected : 0;
	for (;;) {
		fp__order_advance(&b->order, b->conf.skip, count);
		uint32_t i = 0;
		while (i < st->queue_len &&
		       b->slots[st->queue[(st->queue_head + i) %
					  b->conf.slot_count]]
				       .sequence != b->order.next)
			i++;
		fp_broker_instance *inst = least_loaded(b, st);
		if (i == st->queue_len || inst == NULL)
			return;
		uint32_t slot = queue_take(b, st, i);
		if (!hand_over(b, inst, slot, FP_SLOT_NONE))
			return;
		b->order.next++;
	}
}

static void pump_stage(fp_broker *b, size_t k)
{
	fp_broker_stage *st = &b->stages[k];
	if (st->live == 0 || b->abandoning) {
		while (st->queue_len > 0)
			fail_frame(b, queue_pop(b, st), st->conf.label,
				   b->abandoning
					   ? b->abandon_reason
					   : "stage has no running instance");
		return;
	}
	if (b->conf.is_ordered && k + 1 == b->conf.stage_count) {
		pump_ordered_sink(b, st);
		return;
	}
	while (st->queue_len > 0) {
		fp_broker_instance *inst = least_loaded(b, st);
		if (inst == NULL)
			return;
		uint32_t slot = st->queue[st->queue_head];
		uint32_t out = FP_SLOT_NONE;
		if (st->conf.out_of_place) {
			if (fp__ledger_take(&b->ledger, FP_OWNER_SUPERVISOR,
					    &out) != 0)
				return;
			/* The output slot carries the same frame on. */
			b->slots[out] = (fp_slot_truth){
				.sequence = b->slots[slot].sequence,
				.input = b->slots[slot].input,
				.is_grant = true,
			};
		}
		queue_pop(b, st);
		if (!hand_over(b, inst, slot, out))
			return;
	}
}

static bool source_has_more(fp_broker *b)
{
	int64_t expected = b->conf.expected;
	while (b->conf.skip != NULL && expected >= 0 &&
	       b->next_sequence < (uint64_t)expected &&
	       b->conf.skip[b->next_sequence])
		b->next_sequence++;
	return !b->source_done && !b->interrupted && b->runtime_error == 0 &&
	       (expected < 0 || b->next_sequence < (uint64_t)expected);
}

static void pump_source(fp_broker *b)
{
	fp_broker_stage *st = &b->stages[0];
	if (st->live == 0)
		b->source_done = true;
	pump_stage(b, 0); /* frames a dead source instance never got to */
	while (st->queue_len == 0 && source_has_more(b) &&
	       b->ledger.free_count > b->conf.reserve) {
		fp_broker_instance *inst = least_loaded(b, st);
		uint32_t slot;
		if (inst == NULL ||
		    fp__ledger_take(&b->ledger, FP_OWNER_SUPERVISOR, &slot) !=
			    0)
			return;
		uint64_t seq = b->next_sequence++;
		b->slots[slot] = (fp_slot_truth){
			.sequence = seq,
			.input = (uint32_t)seq,
		};
		if (!hand_over(b, inst, slot, FP_SLOT_NONE))
			return;
	}
}

/* Nothing is waiting and no instance holds a frame. */
static bool is_idle(const fp_broker *b)
{
	for (size_t k = 0; k < b->conf.stage_count; k++)
		if (b->stages[k].queue_len > 0)
			return false;
	for (size_t i = 0; i < b->instance_count; i++)
		if (b->instances[i].inflight > 0)
			return false;
	return true;
}

static void send_stop(fp_broker *b)
{
	b->stopping = true;
	for (size_t i = 0; i < b->instance_count; i++) {
		fp_broker_instance *inst = &b->instances[i];
		if (!inst->is_alive || inst->condemned[0] != '\0')
			continue;
		fp_msg m = {.type = FP_MSG_STOP,
			    .slot = FP_SLOT_NONE,
			    .slot2 = FP_SLOT_NONE};
		int rc = b->conf.ops->send(b->conf.ctx, inst->id, &m);
		if (rc != 0)
			condemn_inst(b, inst, "cannot be sent STOP: %s",
				     fp_strerror(rc));
	}
}

void fp__broker_pump(fp_broker *b)
{
	if (b->stopping)
		return;
	for (size_t k = b->conf.stage_count - 1; k > 0; k--)
		pump_stage(b, k);
	pump_source(b);
	if (!source_has_more(b) && is_idle(b))
		send_stop(b);
}

/* ---- answers ---- */

/* A geometry written by an instance describes pixels inside the slot. */
static bool geometry_is_sane(const fp_broker *b, const fp_slot_header *h)
{
	unsigned channels = fp_format_channels((fp_format)h->format);
	if (channels == 0 || h->width == 0 || h->height == 0)
		return false;
	if ((uint64_t)h->width * channels > h->stride)
		return false;
	return (uint64_t)h->stride * h->height <= b->conf.slot_bytes;
}

static void count_frame(fp_broker *b, fp_broker_instance *inst, uint32_t slot,
			uint32_t us, const char *failure)
{
	fp_broker_stage *st = &b->stages[inst->stage];
	if (failure == NULL) {
		inst->frames++;
		inst->busy_us += us;
		st->frames++;
		st->busy_us += us;
		fp__histogram_add(&st->us_per_frame, us);
	}
	if (b->conf.ops->frame_done == NULL)
		return;
	/* The instance's own timing is a hint for the trace only, kept
	 * within what the broker saw. */
	uint64_t t = now(b), start = inst->head_since_ns;
	if ((uint64_t)us * 1000 < t - start)
		start = t - (uint64_t)us * 1000;
	b->conf.ops->frame_done(b->conf.ctx, inst->id, b->slots[slot].input,
				start, us, failure);
}

static void on_done(fp_broker *b, fp_broker_instance *inst, const fp_msg *m)
{
	fp_broker_stage *st = &b->stages[inst->stage];
	bool grants = st->conf.out_of_place;
	bool is_sink = inst->stage + 1 == b->conf.stage_count;
	uint32_t in = grants ? m->slot2 : m->slot;
	uint32_t out = m->slot;
	if (!fp__ledger_is_owner(&b->ledger, out, inst->id) ||
	    (grants && !fp__ledger_is_owner(&b->ledger, in, inst->id)) ||
	    (!grants && m->slot2 != FP_SLOT_NONE) || m->slot == m->slot2) {
		condemn_inst(b, inst, "DONE names slot %u/%u it does not own",
			     m->slot, m->slot2);
		return;
	}
	if (!is_head(inst, in)) {
		condemn_inst(b, inst,
			     "answered for slot %u, which is not the frame it "
			     "was working on",
			     in);
		return;
	}
	if (grants && out != head_grant(inst)) {
		condemn_inst(b, inst,
			     "DONE names slot %u as the output of slot %u, "
			     "granted slot %u",
			     out, in, head_grant(inst));
		return;
	}
	/* Read once: the instance may still be writing to it. */
	fp_slot_header h = *header(b, out);
	const fp_slot_truth *t = &b->slots[in];
	if (h.sequence != t->sequence || h.input_index != t->input) {
		condemn_inst(b, inst,
			     "protocol violation: slot %u carries input %u "
			     "(sequence %llu), its header says %u (%llu)",
			     out, t->input, (unsigned long long)t->sequence,
			     h.input_index, (unsigned long long)h.sequence);
		return;
	}
	if (!is_sink && !geometry_is_sane(b, &h)) {
		condemn_inst(
			b, inst,
			"DONE with an impossible frame geometry in slot %u",
			out);
		return;
	}
	pop_head(b, inst);
	count_frame(b, inst, in, m->arg, NULL);
	if (grants) {
		/* The output now carries the frame; the input slot is done. */
		b->slots[out] = *t;
		b->slots[out].is_grant = false;
		if (!move(b, in, inst->id, FP_OWNER_FREE))
			return;
	}
	fp_slot_truth *o = &b->slots[out];
	o->width = h.width;
	o->height = h.height;
	o->stride = h.stride;
	o->format = h.format;
	if (is_sink) {
		if (move(b, out, inst->id, FP_OWNER_FREE))
			b->ok++;
		return;
	}
	if (!move(b, out, inst->id, FP_OWNER_SUPERVISOR))
		return;
	o->attempts = 0;
	queue_push(b, &b->stages[inst->stage + 1], out);
}

static void on_fail(fp_broker *b, fp_broker_instance *inst, const fp_msg *m)
{
	fp_broker_stage *st = &b->stages[inst->stage];
	uint32_t grant = head_grant(inst);
	if (!fp__ledger_is_owner(&b->ledger, m->slot, inst->id) ||
	    (m->slot2 != FP_SLOT_NONE &&
	     !fp__ledger_is_owner(&b->ledger, m->slot2, inst->id)) ||
	    m->slot == m->slot2) {
		condemn_inst(b, inst, "FAIL names slot %u/%u it does not own",
			     m->slot, m->slot2);
		return;
	}
	if (!is_head(inst, m->slot)) {
		condemn_inst(b, inst,
			     "answered for slot %u, which is not the frame it "
			     "was working on",
			     m->slot);
		return;
	}
	if (m->slot2 != grant) {
		condemn_inst(b, inst,
			     "FAIL gives back slot %u, granted slot %u",
			     m->slot2, grant);
		return;
	}
	char reason[FP_SLOT_ERROR_SIZE];
	memcpy(reason, header(b, m->slot)->error, sizeof reason);
	reason[sizeof reason - 1] = '\0';
	if (reason[0] == '\0')
		snprintf(reason, sizeof reason, "failed");
	pop_head(b, inst);
	count_frame(b, inst, m->slot, m->arg, reason);
	if (!move(b, m->slot, inst->id, FP_OWNER_SUPERVISOR))
		return;
	fail_frame(b, m->slot, st->conf.label, reason);
	if (grant != FP_SLOT_NONE && move(b, grant, inst->id, FP_OWNER_FREE))
		b->slots[grant].is_grant = false;
}

static void on_end(fp_broker *b, fp_broker_instance *inst, const fp_msg *m)
{
	if (inst->stage != 0 ||
	    !fp__ledger_is_owner(&b->ledger, m->slot, inst->id)) {
		condemn_inst(b, inst,
			     "END for slot %u it does not own or from a "
			     "non-source",
			     m->slot);
		return;
	}
	if (!is_head(inst, m->slot)) {
		condemn_inst(b, inst,
			     "answered for slot %u, which is not the frame it "
			     "was working on",
			     m->slot);
		return;
	}
	pop_head(b, inst);
	b->source_done = true;
	b->ends++;
	move(b, m->slot, inst->id, FP_OWNER_FREE);
}

/* Counts only: no slot changes hands, so any state may send one. */
static void on_logged(fp_broker *b, fp_broker_instance *inst, const fp_msg *m)
{
	if (m->arg != 0) {
		condemn_inst(b, inst, "bad LOGGED record (arg 0x%08x)", m->arg);
		return;
	}
	fp_broker_stage *st = &b->stages[inst->stage];
	inst->warnings += m->slot;
	inst->errors += m->slot2;
	st->warnings += m->slot;
	st->errors += m->slot2;
}

static void answer(fp_broker *b, fp_broker_instance *inst, const fp_msg *m)
{
	switch (m->type) {
	case FP_MSG_HELLO:
		if (m->arg >> 16 != FP_ABI_MAJOR || inst->is_ready) {
			condemn_inst(b, inst, "bad HELLO (ABI %u.%u)",
				     m->arg >> 16, m->arg & 0xffff);
			return;
		}
		inst->is_ready = true;
		return;
	case FP_MSG_DONE: on_done(b, inst, m); return;
	case FP_MSG_FAIL: on_fail(b, inst, m); return;
	case FP_MSG_END: on_end(b, inst, m); return;
	case FP_MSG_LOGGED: on_logged(b, inst, m); return;
	default:
		condemn_inst(
			b, inst,
			"protocol violation: unexpected %s record (0x%08x)",
			fp__msg_type_name(m->type), m->type);
	}
}

void fp__broker_on_msg(fp_broker *b, int32_t id, const fp_msg *m)
{
	fp_broker_instance *inst = instance(b, id);
	/* A condemned instance's further records are not believed. */
	if (inst == NULL || !inst->is_alive || inst->condemned[0] != '\0')
		return;
	answer(b, inst, m);
}

void fp__broker_on_eof(fp_broker *b, int32_t id)
{
	fp_broker_instance *inst = instance(b, id);
	if (inst != NULL && inst->is_alive && inst->eof_ns == 0)
		inst->eof_ns = now(b);
}

/* ---- deaths ---- */

/* How inst died: "killed by SIGSEGV", "exited with status 7", "killed:
 * stuck on one frame ...", and with detail, what the supervisor knows
 * more (the fault address, the code, the pid). */
static void describe_death(const fp_broker *b, const fp_broker_instance *inst,
			   int status, bool detail, char *buf, size_t size)
{
	char more[FP_BROKER_DEATH] = "";
	if (detail && b->conf.ops->death_detail != NULL)
		b->conf.ops->death_detail(b->conf.ctx, inst->id, status, more,
					  sizeof more);
	if (inst->condemned[0] != '\0')
		snprintf(buf, size, "killed: %s%s", inst->condemned, more);
	else if (WIFSIGNALED(status))
		snprintf(buf, size, "killed by SIG%s%s",
			 sigabbrev_np(WTERMSIG(status))
				 ? sigabbrev_np(WTERMSIG(status))
				 : "?",
			 more);
	else
		snprintf(buf, size, "exited with status %d%s",
			 WEXITSTATUS(status), more);
}

/* " on INPUT" for the frame inst was working on, or "". */
static void describe_inflight(fp_broker *b, const fp_broker_instance *inst,
			      char *buf, size_t size)
{
	buf[0] = '\0';
	if (inst->inflight == 0)
		return;
	uint32_t input = b->slots[inst->held[inst->held_head]].input;
	char name[512];
	const char *n = NULL;
	if (b->conf.ops->input_name != NULL)
		n = b->conf.ops->input_name(b->conf.ctx, input, name,
					    sizeof name);
	if (n == NULL) {
		snprintf(name, sizeof name, "input %u", input);
		n = name;
	}
	snprintf(buf, size, " on %s", n);
}

/* Answers the dead instance wrote into slot headers but never got to
 * send, in order, as if the records had arrived: every one is checked as
 * a record would be. */
static void replay_answers(fp_broker *b, fp_broker_instance *inst)
{
	bool out_of_place = b->stages[inst->stage].conf.out_of_place;
	while (inst->inflight > 0) {
		uint32_t slot = inst->held[inst->held_head];
		const fp_slot_header *h = header(b, slot);
		fp_msg m = {.type = h->answer, .arg = 0};
		uint32_t other = h->answer_slot;
		if (m.type == FP_MSG_DONE && out_of_place) {
			m.slot = other;
			m.slot2 = slot;
		} else {
			m.slot = slot;
			m.slot2 = other;
		}
		uint32_t before = inst->inflight;
		if (m.type == FP_MSG_DONE)
			on_done(b, inst, &m);
		else if (m.type == FP_MSG_FAIL)
			on_fail(b, inst, &m);
		else if (m.type == FP_MSG_END)
			on_end(b, inst, &m);
		if (inst->inflight == before) /* no answer, or a bad one */
			return;
	}
}

static void abandon(fp_broker *b, const char *why)
{
	b->interrupted = true;
	b->abandoning = true;
	snprintf(b->abandon_reason, sizeof b->abandon_reason, "%s", why);
	for (size_t i = 0; i < b->instance_count; i++) {
		fp_broker_instance *inst = &b->instances[i];
		if (!inst->is_alive || inst->condemned[0] != '\0')
			continue;
		snprintf(inst->condemned, sizeof inst->condemned, "%s", why);
		b->conf.ops->kill(b->conf.ctx, inst->id, NULL);
	}
	for (size_t k = 0; k < b->conf.stage_count; k++)
		pump_stage(b, k);
}

/* After the run was interrupted, an instance that dies of a stop signal
 * we did not send was reached by the same stop as the supervisor: Slurm's
 * scancel and time limit, systemd and a kill of the whole cgroup signal
 * every process, not only ours. Restarting it would only feed it to the
 * next signal (SIGKILL, for Slurm), so the run abandons what is in flight,
 * as a second signal does. */
static bool stop_reached_instances(const fp_broker *b,
				   const fp_broker_instance *inst, int status)
{
	if (!b->interrupted || b->abandoning || inst->condemned[0] != '\0' ||
	    !WIFSIGNALED(status))
		return false;
	int sig = WTERMSIG(status);
	return sig == SIGTERM || sig == SIGINT || sig == SIGHUP;
}

/* Slots the dead instance held come back. Granted output slots are
 * freed; frames waiting in its pipe go back to the front of the queue;
 * the frame it was working on is retried once when the stage restarts,
 * else it failed. what: how it died ("killed by SIGSEGV at ..."); brief:
 * the same without the detail, for a retry's second death. */
static void take_back_frames(fp_broker *b, fp_broker_instance *inst,
			     const char *what, const char *brief, bool retry)
{
	fp_broker_stage *st = &b->stages[inst->stage];
	for (uint32_t s = 0; s < b->conf.slot_count; s++) {
		if (!fp__ledger_is_owner(&b->ledger, s, inst->id))
			continue;
		if (!move(b, s, inst->id, FP_OWNER_SUPERVISOR))
			continue;
		if (b->slots[s].is_grant &&
		    move(b, s, FP_OWNER_SUPERVISOR, FP_OWNER_FREE))
			b->slots[s].is_grant = false;
	}
	bool is_ordered_sink =
		b->conf.is_ordered && inst->stage + 1 == b->conf.stage_count;
	for (uint32_t i = inst->inflight; i-- > 0;) {
		uint32_t slot =
			inst->held[(inst->held_head + i) % FP_BROKER_MAX_DEPTH];
		fp_slot_truth *t = &b->slots[slot];
		char *first = b->first_death + (size_t)slot * FP_BROKER_FIRST;
		if (is_ordered_sink)
			fp__order_rewind(&b->order, t->sequence);
		if (b->abandoning) {
			fail_frame(b, slot, st->conf.label, b->abandon_reason);
			continue;
		}
		if (i > 0) {
			queue_push_front(b, st, slot);
			continue;
		}
		if (retry && t->attempts == 0) {
			t->attempts = 1;
			snprintf(first, FP_BROKER_FIRST, "instance #%u %s",
				 inst->index, what);
			queue_push_front(b, st, slot);
			continue;
		}
		/* The failure line says "input: label: ...": the label is
		 * not repeated, the instance is. */
		char reason[FP_BROKER_FIRST * 2 + FP_BROKER_REASON];
		if (t->attempts > 0)
			snprintf(reason, sizeof reason,
				 "%s; then, on its retry, instance #%u %s; "
				 "skipped",
				 first, inst->index, brief);
		else
			snprintf(reason, sizeof reason, "instance #%u %s",
				 inst->index, what);
		fail_frame(b, slot, st->conf.label, reason);
	}
	inst->inflight = 0;
}

void fp__broker_on_death(fp_broker *b, int32_t id, int status)
{
	fp_broker_instance *inst = instance(b, id);
	if (inst == NULL || !inst->is_alive)
		return;
	fp_broker_stage *st = &b->stages[inst->stage];
	inst->is_alive = false;
	b->alive--;
	st->live--;
	bool expected = b->stopping && inst->condemned[0] == '\0' &&
			WIFEXITED(status) && WEXITSTATUS(status) == 0;
	if (expected)
		return;
	if (stop_reached_instances(b, inst, status)) {
		char why[160];
		snprintf(why, sizeof why,
			 "abandoned: stage %s#%u got SIG%s too", st->conf.label,
			 inst->index, sigabbrev_np(WTERMSIG(status)));
		notice(b,
		       "stage %s#%u got SIG%s too: abandoning the frames in "
		       "flight",
		       st->conf.label, inst->index,
		       sigabbrev_np(WTERMSIG(status)));
		abandon(b, why);
	}
	char what[FP_BROKER_DEATH], brief[FP_BROKER_REASON + 64];
	describe_death(b, inst, status, true, what, sizeof what);
	describe_death(b, inst, status, false, brief, sizeof brief);
	bool was_ready = inst->is_ready;
	/* An instance that never got ready will not get ready next time
	 * either (its init failed): no restart for it. */
	bool restart = was_ready && !b->stopping && !b->abandoning &&
		       b->runtime_error == 0 &&
		       st->restarts < st->conf.max_restarts;
	replay_answers(b, inst);
	/* The line names the instance that died and the input it was on. */
	char on[600], why[FP_BROKER_DEATH + 700];
	describe_inflight(b, inst, on, sizeof on);
	snprintf(why, sizeof why, "stage %s#%u %s%s", st->conf.label,
		 inst->index, what, on);
	if (!was_ready && !b->stopping && !b->abandoning)
		notice(b, "%s before it was ready", why);
	take_back_frames(b, inst, what, brief, restart);
	if (b->alive == 0 && !restart)
		/* Nobody is left to pump for: what waits fails now. */
		for (size_t k = 0; k < b->conf.stage_count; k++)
			pump_stage(b, k);
	if (restart) {
		st->restarts++;
		notice(b, "%s; restarting it (restart %u of %u)", why,
		       st->restarts, st->conf.max_restarts);
		int rc = b->conf.ops->respawn(b->conf.ctx, inst->id);
		if (rc == 0) {
			mark_alive(b, inst);
			return;
		}
		snprintf(why, sizeof why, "cannot restart stage %s#%u: %s",
			 st->conf.label, inst->index, fp_strerror(rc));
	}
	if (st->live == 0 && !b->stopping && !b->abandoning)
		fp__broker_fail_run(b, FP_ECRASHED,
				    "stage %s cannot go on: %s%s",
				    st->conf.label, why,
				    restart || !was_ready
					    ? ""
					    : " (restart limit reached: raise "
					      "its 'restarts')");
}

void fp__broker_tick(fp_broker *b, uint64_t now_ns)
{
	for (size_t i = 0; i < b->instance_count; i++) {
		fp_broker_instance *inst = &b->instances[i];
		if (!inst->is_alive || inst->condemned[0] != '\0')
			continue;
		if (inst->eof_ns != 0 && !b->stopping &&
		    now_ns - inst->eof_ns > FP_BROKER_EOF_GRACE_NS) {
			condemn_inst(b, inst,
				     "closed its end of the socket (protocol "
				     "violation)");
			continue;
		}
		uint64_t limit = b->stages[inst->stage].conf.timeout_ns;
		uint64_t since = inst->head_since_ns;
		if (limit == 0 || inst->inflight == 0 || since > now_ns ||
		    now_ns - since <= limit)
			continue;
		condemn_inst(b, inst,
			     "stuck on one frame for %.1f s (timeout = %g s)",
			     (double)(now_ns - since) / 1e9,
			     (double)limit / 1e9);
	}
}

void fp__broker_interrupt(fp_broker *b)
{
	b->interrupted = true;
}

void fp__broker_abandon(fp_broker *b)
{
	abandon(b, ABANDONED);
}

bool fp__broker_is_balanced(const fp_broker *b)
{
	uint64_t issued = b->next_sequence;
	for (uint64_t i = 0; b->conf.skip != NULL && i < b->next_sequence; i++)
		issued -= b->conf.skip[i];
	return b->ledger.free_count == b->conf.slot_count &&
	       b->ok + b->failed + b->ends == issued;
}
