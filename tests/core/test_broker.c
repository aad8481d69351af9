/* The broker as a unit: no fork, no shared memory, no loop. A fake
 * operations table records what the broker does; the tests play the
 * instances (HELLO, DONE, FAIL, deaths) and check every frame is accounted
 * for, whatever happens. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "broker.h"
#include "framepipe/framepipe.h"
#include "framepipe/stage.h"

#define MAX_LOG	     512
#define MAX_INSTANCE 16
#define DEAD_BY_KILL SIGKILL /* a wait status: killed by SIGKILL */

typedef struct sent {
	int32_t id;
	fp_msg msg;
	uint64_t sequence; /* what the header said when it was sent */
	bool answered;
} sent;

typedef struct world {
	fp_broker b;
	fp_broker_stage_conf stages[4];
	fp_slot_header *headers;
	sent sent[MAX_LOG];
	size_t sent_count;
	int32_t killed[MAX_LOG];
	char kill_why[MAX_LOG][FP_BROKER_REASON];
	size_t kill_count;
	int respawns;
	int respawn_rc;
	struct {
		uint32_t input;
		char reason[256];
	} failures[MAX_LOG];
	size_t failure_count;
	char notices[8][512];
	size_t notice_count;
	int send_rc[MAX_INSTANCE]; /* what send returns, per instance */
	uint64_t clock;
	uint32_t stops[MAX_INSTANCE];
} world;

static int fake_send(void *ctx, int32_t id, const fp_msg *m)
{
	world *w = ctx;
	if (w->send_rc[id] != 0)
		return w->send_rc[id];
	if (m->type == FP_MSG_STOP) {
		w->stops[id]++;
		return 0;
	}
	assert_true(w->sent_count < MAX_LOG);
	w->sent[w->sent_count++] = (sent){
		.id = id,
		.msg = *m,
		.sequence = w->headers[m->slot].sequence,
	};
	return 0;
}

static void fake_kill(void *ctx, int32_t id, const char *why)
{
	world *w = ctx;
	w->killed[w->kill_count] = id;
	snprintf(w->kill_why[w->kill_count], FP_BROKER_REASON, "%s",
		 why ? why : "");
	w->kill_count++;
}

static int fake_respawn(void *ctx, int32_t id)
{
	(void)id;
	world *w = ctx;
	w->respawns++;
	return w->respawn_rc;
}

static void fake_report_failure(void *ctx, uint32_t input, const char *stage,
				const char *reason)
{
	(void)stage;
	world *w = ctx;
	w->failures[w->failure_count].input = input;
	snprintf(w->failures[w->failure_count].reason, 256, "%s", reason);
	w->failure_count++;
}

static void fake_notice(void *ctx, const char *line)
{
	world *w = ctx;
	snprintf(w->notices[w->notice_count % 8], 512, "%s", line);
	w->notice_count++;
}

static fp_slot_header *fake_header(void *ctx, uint32_t slot)
{
	world *w = ctx;
	return &w->headers[slot];
}

static uint64_t fake_now(void *ctx)
{
	world *w = ctx;
	return w->clock;
}

static const fp_broker_ops fake_ops = {
	.send = fake_send,
	.kill = fake_kill,
	.respawn = fake_respawn,
	.report_failure = fake_report_failure,
	.notice = fake_notice,
	.header = fake_header,
	.now_ns = fake_now,
};

typedef struct shape {
	unsigned workers[4]; /* per stage; 0 ends the list */
	bool out_of_place[4];
	unsigned restarts;
	uint64_t timeout_ns;
	uint32_t slots;
	uint32_t reserve;
	unsigned depth;
	bool ordered;
	int64_t expected;
} shape;

static const char *labels[] = {"src", "mid", "sink", "four"};

static world *make(const shape *s)
{
	world *w = calloc(1, sizeof *w);
	assert_non_null(w);
	size_t n = 0;
	while (n < 4 && s->workers[n] != 0) {
		w->stages[n] = (fp_broker_stage_conf){
			.label = labels[n],
			.workers = s->workers[n],
			.max_restarts = s->restarts,
			.timeout_ns = s->timeout_ns,
			.out_of_place = s->out_of_place[n],
		};
		n++;
	}
	w->headers = calloc(s->slots, sizeof *w->headers);
	assert_non_null(w->headers);
	fp_broker_config conf = {
		.stages = w->stages,
		.stage_count = n,
		.slot_count = s->slots,
		.slot_bytes = 1 << 20,
		.depth = s->depth ? s->depth : 4,
		.reserve = s->reserve,
		.is_ordered = s->ordered,
		.expected = s->expected,
		.ops = &fake_ops,
		.ctx = w,
	};
	assert_int_equal(fp__broker_init(&w->b, &conf), 0);
	w->clock = 1000;
	for (size_t i = 0; i < w->b.instance_count; i++)
		fp__broker_started(&w->b, (int32_t)i);
	return w;
}

static void destroy(world *w)
{
	fp__broker_release(&w->b);
	free(w->headers);
	free(w);
}

static void hello(world *w, int32_t id)
{
	fp_msg m = {.type = FP_MSG_HELLO,
		    .slot = FP_SLOT_NONE,
		    .slot2 = FP_SLOT_NONE,
		    .arg = (uint32_t)FP_ABI_MAJOR << 16 | FP_ABI_MINOR};
	fp__broker_on_msg(&w->b, id, &m);
}

static void hello_all(world *w)
{
	for (size_t i = 0; i < w->b.instance_count; i++)
		hello(w, (int32_t)i);
}

/* The oldest unanswered FRAME sent to id, or NULL. */
static sent *next_frame(world *w, int32_t id)
{
	for (size_t i = 0; i < w->sent_count; i++)
		if (w->sent[i].id == id && !w->sent[i].answered &&
		    w->sent[i].msg.type == FP_MSG_FRAME)
			return &w->sent[i];
	return NULL;
}

static size_t frames_held(world *w, int32_t id)
{
	size_t n = 0;
	for (size_t i = 0; i < w->sent_count; i++)
		n += w->sent[i].id == id && !w->sent[i].answered;
	return n;
}

/* Instance id finishes its oldest frame: the geometry a real stage would
 * write, then DONE as the host sends it. */
static void done(world *w, int32_t id)
{
	sent *s = next_frame(w, id);
	assert_non_null(s);
	s->answered = true;
	uint32_t out =
		s->msg.slot2 != FP_SLOT_NONE ? s->msg.slot2 : s->msg.slot;
	fp_slot_header *h = &w->headers[out];
	h->width = 4;
	h->height = 2;
	h->stride = 4;
	h->format = FP_FORMAT_G8;
	fp_msg m = {.type = FP_MSG_DONE, .slot = out, .arg = 10};
	m.slot2 = s->msg.slot2 != FP_SLOT_NONE ? s->msg.slot : FP_SLOT_NONE;
	fp__broker_on_msg(&w->b, id, &m);
}

static void fail_one(world *w, int32_t id, const char *why)
{
	sent *s = next_frame(w, id);
	assert_non_null(s);
	s->answered = true;
	snprintf(w->headers[s->msg.slot].error, FP_SLOT_ERROR_SIZE, "%s", why);
	fp_msg m = {.type = FP_MSG_FAIL,
		    .slot = s->msg.slot,
		    .slot2 = s->msg.slot2};
	fp__broker_on_msg(&w->b, id, &m);
}

/* id died with status: what it was sent is gone with it. */
static void die(world *w, int32_t id, int status)
{
	for (size_t i = 0; i < w->sent_count; i++)
		if (w->sent[i].id == id)
			w->sent[i].answered = true;
	fp__broker_on_death(&w->b, id, status);
}

/* Every live instance answers everything it holds, until nothing moves;
 * then every instance that was sent STOP exits. */
static void run_to_end(world *w)
{
	for (int round = 0; round < 10000; round++) {
		fp__broker_pump(&w->b);
		bool moved = false;
		for (size_t i = 0; i < w->b.instance_count; i++) {
			int32_t id = (int32_t)i;
			if (w->b.instances[i].is_alive &&
			    next_frame(w, id) != NULL) {
				done(w, id);
				moved = true;
			}
		}
		if (!moved)
			break;
	}
	fp__broker_pump(&w->b);
	assert_true(w->b.stopping);
	for (size_t i = 0; i < w->b.instance_count; i++)
		if (w->b.instances[i].is_alive)
			fp__broker_on_death(&w->b, (int32_t)i, 0);
}

static bool has_failure(const world *w, uint32_t input, const char *text)
{
	for (size_t i = 0; i < w->failure_count; i++)
		if (w->failures[i].input == input &&
		    strstr(w->failures[i].reason, text) != NULL)
			return true;
	return false;
}

/* ---- the tests ---- */

/* The filter holds 3 frames when it dies: the one it worked on is
 * retried once, the two waiting in its pipe go back in front, in order;
 * the stage restarts and the run ends with every frame written. */
static void test_death_holding_three_frames(void **state)
{
	(void)state;
	shape s = {
		.workers = {1, 1, 1}, .restarts = 1, .slots = 8, .expected = 3};
	world *w = make(&s);
	hello_all(w);
	fp__broker_pump(&w->b);
	for (int i = 0; i < 3; i++)
		done(w, 0); /* the source makes frames 0, 1, 2 */
	fp__broker_pump(&w->b);
	assert_int_equal(frames_held(w, 1), 3);
	uint32_t slots[3];
	for (int i = 0; i < 3; i++)
		slots[i] = w->sent[w->sent_count - 3 + (size_t)i].msg.slot;

	die(w, 1, DEAD_BY_KILL);
	assert_int_equal(w->respawns, 1);
	assert_int_equal(w->failure_count, 0);
	assert_int_equal(w->b.stages[1].queue_len, 3);
	assert_non_null(strstr(w->notices[(w->notice_count - 1) % 8],
			       "stage mid#0 killed by SIGKILL on input 0; "
			       "restarting it"));
	/* The new instance gets the same frames in the same order. */
	size_t before = w->sent_count;
	hello(w, 1);
	fp__broker_pump(&w->b);
	assert_int_equal(w->sent_count, before + 3);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(w->sent[before + (size_t)i].msg.slot,
				 slots[i]);
		assert_int_equal(w->sent[before + (size_t)i].sequence,
				 (uint64_t)i);
	}
	assert_int_equal(w->b.slots[slots[0]].attempts, 1);
	assert_int_equal(w->b.slots[slots[1]].attempts, 0);
	run_to_end(w);
	assert_int_equal(w->b.ok, 3);
	assert_int_equal(w->b.failed, 0);
	assert_true(fp__broker_is_balanced(&w->b));
	destroy(w);
}

/* One frame kills the instance that takes it, twice: it fails, naming
 * both instances, and every other frame is written. */
static void test_frame_kills_two_instances(void **state)
{
	(void)state;
	shape s = {.workers = {1, 2, 1},
		   .restarts = 5,
		   .slots = 8,
		   .depth = 1,
		   .expected = 4};
	world *w = make(&s);
	hello_all(w);
	fp__broker_pump(&w->b);
	done(w, 0);
	fp__broker_pump(&w->b);
	/* Frame 0 went to filter instance 1 (id 1). */
	sent *f = next_frame(w, 1);
	assert_non_null(f);
	assert_int_equal(f->sequence, 0);
	die(w, 1, DEAD_BY_KILL);
	hello(w, 1);
	fp__broker_pump(&w->b);
	/* The retry went to whichever filter instance was free. */
	int32_t second =
		next_frame(w, 1) != NULL && next_frame(w, 1)->sequence == 0 ? 1
									    : 2;
	assert_non_null(next_frame(w, second));
	assert_int_equal(next_frame(w, second)->sequence, 0);
	die(w, second, DEAD_BY_KILL);
	assert_int_equal(w->failure_count, 1);
	assert_int_equal(w->failures[0].input, 0);
	/* Both deaths, each naming its own instance. */
	char twice[160];
	snprintf(twice, sizeof twice,
		 "instance #0 killed by SIGKILL; then, on its retry, instance "
		 "#%d killed by SIGKILL; skipped",
		 (int)second - 1);
	assert_true(has_failure(w, 0, twice));
	hello(w, second);
	run_to_end(w);
	assert_int_equal(w->b.ok, 3);
	assert_int_equal(w->b.failed, 1);
	assert_true(fp__broker_is_balanced(&w->b));
	destroy(w);
}

/* The ledger refuses a move (the books were broken behind the broker's
 * back): the run fails with the reason, the frame is not sent, and the
 * run still ends (STOP), never waiting for the lost slot. */
static void test_refused_ledger_move(void **state)
{
	(void)state;
	shape s = {.workers = {1, 1, 1}, .slots = 4, .expected = 1};
	world *w = make(&s);
	hello(w, 0);
	hello(w, 2);
	fp__broker_pump(&w->b);
	done(w, 0);
	assert_int_equal(w->b.stages[1].queue_len, 1);
	uint32_t slot = w->b.stages[1].queue[w->b.stages[1].queue_head];
	assert_int_equal(fp__ledger_move(&w->b.ledger, slot,
					 FP_OWNER_SUPERVISOR, FP_OWNER_FREE),
			 0);
	hello(w, 1);
	size_t before = w->sent_count;
	fp__broker_pump(&w->b);
	assert_int_equal(w->sent_count, before); /* nothing sent */
	assert_int_equal(w->b.runtime_error, FP_EPROTOCOL);
	assert_non_null(strstr(w->b.runtime_message, "ledger refused"));
	fp__broker_pump(&w->b);
	assert_true(w->b.stopping);
	for (int32_t id = 0; id < 3; id++)
		assert_int_equal(w->stops[id], 1);
	destroy(w);
}

/* A FRAME that cannot be queued is a runtime failure of the run, never a
 * hang: the instance is killed, not restarted, the frame fails, and the
 * run ends with every frame accounted for. */
static void test_failed_send(void **state)
{
	(void)state;
	shape s = {
		.workers = {1, 1, 1}, .restarts = 3, .slots = 4, .expected = 2};
	world *w = make(&s);
	hello_all(w);
	w->send_rc[1] = -ENOMEM;
	fp__broker_pump(&w->b);
	done(w, 0);
	fp__broker_pump(&w->b);
	assert_int_equal(w->b.runtime_error, FP_EIO);
	assert_non_null(strstr(w->b.runtime_message,
			       "cannot send stage mid#0 a frame"));
	assert_int_equal(w->kill_count, 1);
	assert_int_equal(w->killed[0], 1);
	assert_non_null(strstr(w->kill_why[0], "cannot be sent a frame"));
	w->send_rc[1] = 0;
	die(w, 1, DEAD_BY_KILL);
	assert_int_equal(w->respawns, 0);
	fp__broker_pump(&w->b);
	assert_true(has_failure(w, 0, "stage has no running instance"));
	/* No second frame was asked of the source: the run failed. */
	run_to_end(w);
	assert_true(fp__broker_is_balanced(&w->b));
	assert_int_equal(w->b.ok, 0);
	destroy(w);
}

/* An ordered sink gets frames strictly by sequence; a frame that failed
 * upstream leaves no gap it would wait for. */
static void test_ordered_sink_skips_failed(void **state)
{
	(void)state;
	shape s = {.workers = {1, 2, 1},
		   .slots = 16,
		   .depth = 4,
		   .ordered = true,
		   .expected = 6};
	world *w = make(&s);
	hello_all(w);
	fp__broker_pump(&w->b);
	for (int i = 0; i < 4; i++)
		done(w, 0);
	fp__broker_pump(&w->b);
	for (int i = 0; i < 2; i++)
		done(w, 0);
	fp__broker_pump(&w->b);
	/* Frames alternate between the filter's two instances: 0 2 4 on
	 * one, 1 3 5 on the other. The second finishes first; on the first,
	 * frame 2 fails. */
	int32_t a = next_frame(w, 1)->sequence == 0 ? 1 : 2, b = 3 - a;
	while (next_frame(w, b) != NULL)
		done(w, b);
	fp__broker_pump(&w->b);
	assert_null(next_frame(w, 3)); /* the sink waits for frame 0 */
	done(w, a);		       /* 0 */
	fail_one(w, a, "bad frame");   /* 2 */
	done(w, a);		       /* 4 */
	run_to_end(w);
	uint64_t want[] = {0, 1, 3, 4, 5}, got[8];
	size_t n = 0;
	for (size_t i = 0; i < w->sent_count; i++)
		if (w->sent[i].id == 3)
			got[n++] = w->sent[i].sequence;
	assert_int_equal(n, 5);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(got[i], want[i]);
	assert_true(has_failure(w, 2, "bad frame"));
	assert_int_equal(w->b.ok, 5);
	assert_true(fp__broker_is_balanced(&w->b));
	destroy(w);
}

/* The ordered sink dies holding frames 1, 2 and 3 (0 written): its
 * restarted instance gets them again, in order, from 1 — the order is
 * rewound to the oldest frame it lost — and the run ends with all four
 * written once. */
static void test_ordered_sink_dies_holding_frames(void **state)
{
	(void)state;
	shape s = {.workers = {1, 1, 1},
		   .restarts = 1,
		   .slots = 8,
		   .depth = 4,
		   .ordered = true,
		   .expected = 4};
	world *w = make(&s);
	hello_all(w);
	fp__broker_pump(&w->b);
	for (int i = 0; i < 4; i++)
		done(w, 0);
	fp__broker_pump(&w->b);
	for (int i = 0; i < 4; i++)
		done(w, 1);
	fp__broker_pump(&w->b);
	assert_int_equal(frames_held(w, 2), 4);
	done(w, 2); /* frame 0 */
	die(w, 2, DEAD_BY_KILL);
	assert_int_equal(w->respawns, 1);
	size_t before = w->sent_count;
	hello(w, 2);
	run_to_end(w);
	uint64_t want[] = {1, 2, 3};
	size_t n = 0;
	for (size_t i = before; i < w->sent_count; i++)
		if (w->sent[i].id == 2 && w->sent[i].msg.type == FP_MSG_FRAME) {
			assert_true(n < 3);
			assert_int_equal(w->sent[i].sequence, want[n++]);
		}
	assert_int_equal(n, 3);
	assert_int_equal(w->b.ok, 4);
	assert_int_equal(w->b.failed, 0);
	assert_true(fp__broker_is_balanced(&w->b));
	destroy(w);
}

/* A full pool: the source never takes the reserve slot, so an
 * out-of-place filter always finds its output slot and the run ends. */
static void test_reserve_slot_under_full_pool(void **state)
{
	(void)state;
	shape s = {.workers = {1, 1, 1},
		   .out_of_place = {false, true},
		   .slots = 3,
		   .reserve = 1,
		   .expected = 6};
	world *w = make(&s);
	hello(w, 0);
	hello(w, 2);
	fp__broker_pump(&w->b);
	/* The filter is not ready: the source fills all but the reserve. */
	for (int i = 0; i < 4 && next_frame(w, 0) != NULL; i++) {
		done(w, 0);
		fp__broker_pump(&w->b);
	}
	assert_int_equal(w->b.ledger.free_count, 1);
	assert_null(next_frame(w, 0));
	hello(w, 1);
	fp__broker_pump(&w->b);
	sent *f = next_frame(w, 1);
	assert_non_null(f);
	assert_int_not_equal(f->msg.slot2, FP_SLOT_NONE);
	assert_int_equal(w->b.ledger.free_count, 0);
	run_to_end(w);
	assert_int_equal(w->b.ok, 6);
	assert_true(fp__broker_is_balanced(&w->b));
	destroy(w);
}

/* A stage that rewrites the input index or sequence in its slot's header
 * breaks the protocol: it is killed, and the frame keeps its identity
 * (the broker's truth, stamped again on the next hand-over). */
static void test_rewritten_header_is_a_violation(void **state)
{
	(void)state;
	shape s = {
		.workers = {1, 1, 1}, .restarts = 1, .slots = 4, .expected = 2};
	world *w = make(&s);
	hello_all(w);
	fp__broker_pump(&w->b);
	done(w, 0);
	done(w, 0);
	fp__broker_pump(&w->b);
	sent *f = next_frame(w, 1);
	assert_non_null(f);
	w->headers[f->msg.slot].input_index = 77;
	done(w, 1);
	assert_int_equal(w->kill_count, 1);
	assert_non_null(strstr(w->kill_why[0], "its header says 77"));
	/* Later garbage in a queued frame's header changes nothing. */
	w->headers[f->msg.slot].sequence = 12345;
	die(w, 1, DEAD_BY_KILL);
	hello(w, 1);
	fp__broker_pump(&w->b);
	assert_int_equal(next_frame(w, 1)->sequence, 0);
	assert_int_equal(w->headers[next_frame(w, 1)->msg.slot].input_index, 0);
	run_to_end(w);
	assert_int_equal(w->b.ok, 2);
	assert_true(fp__broker_is_balanced(&w->b));
	destroy(w);
}

/* The watchdog goes by the broker's clock from the hand-over, whatever
 * the header's started_ns says. */
static void test_watchdog_own_clock(void **state)
{
	(void)state;
	shape s = {.workers = {1, 1, 1},
		   .slots = 4,
		   .timeout_ns = 1000000,
		   .expected = 1};
	world *w = make(&s);
	hello_all(w);
	fp__broker_pump(&w->b);
	done(w, 0);
	fp__broker_pump(&w->b);
	sent *f = next_frame(w, 1);
	/* The stage claims an answer, and to have started a moment ago. */
	w->headers[f->msg.slot].answer = FP_MSG_DONE;
	w->headers[f->msg.slot].started_ns = 1;
	w->clock += 900000;
	fp__broker_tick(&w->b, w->clock);
	assert_int_equal(w->kill_count, 0);
	w->clock += 200000;
	w->headers[f->msg.slot].started_ns = w->clock - 10;
	fp__broker_tick(&w->b, w->clock);
	assert_int_equal(w->kill_count, 1);
	assert_int_equal(w->killed[0], 1);
	assert_non_null(strstr(w->kill_why[0], "stuck on one frame"));
	destroy(w);
}

/* An instance that closes its socket is killed once the grace is over;
 * one that dies within it is told as it died. */
/* LOGGED records add up per instance and per stage, before HELLO too and
 * over a restart; one with a non-zero arg breaks the protocol. */
static void test_logged_counts(void **state)
{
	(void)state;
	shape s = {
		.workers = {1, 2, 1}, .restarts = 1, .slots = 8, .expected = 2};
	world *w = make(&s);
	fp_msg logged = {.type = FP_MSG_LOGGED, .slot = 2, .slot2 = 1};
	fp__broker_on_msg(&w->b, 1, &logged); /* init's, before HELLO */
	hello_all(w);
	logged.slot = 3;
	logged.slot2 = 0;
	fp__broker_on_msg(&w->b, 2, &logged);
	die(w, 1, DEAD_BY_KILL);
	hello(w, 1);
	logged.slot = 1;
	fp__broker_on_msg(&w->b, 1, &logged);
	assert_int_equal(w->b.instances[1].warnings, 3);
	assert_int_equal(w->b.instances[1].errors, 1);
	assert_int_equal(w->b.instances[2].warnings, 3);
	assert_int_equal(w->b.stages[1].warnings, 6);
	assert_int_equal(w->b.stages[1].errors, 1);
	assert_int_equal(w->b.stages[0].warnings, 0);

	logged.arg = 7;
	fp__broker_on_msg(&w->b, 2, &logged);
	assert_int_equal(w->b.instances[2].warnings, 3);
	assert_non_null(strstr(w->b.instances[2].condemned, "bad LOGGED"));
	destroy(w);
}

static void test_eof_kills(void **state)
{
	(void)state;
	shape s = {.workers = {1, 1, 1}, .slots = 4, .expected = 1};
	world *w = make(&s);
	hello_all(w);
	fp__broker_pump(&w->b);
	fp__broker_on_eof(&w->b, 1);
	fp__broker_tick(&w->b, w->clock + FP_BROKER_EOF_GRACE_NS / 2);
	assert_int_equal(w->kill_count, 0);
	fp__broker_tick(&w->b, w->clock + FP_BROKER_EOF_GRACE_NS + 1);
	assert_int_equal(w->kill_count, 1);
	assert_non_null(strstr(w->kill_why[0], "closed its end"));
	destroy(w);
}

/* A second interrupt: every instance killed, none restarted, no frame
 * retried; frames in flight and waiting fail as abandoned. */
static void test_abandon(void **state)
{
	(void)state;
	shape s = {.workers = {1, 1, 1},
		   .restarts = 5,
		   .slots = 8,
		   .expected = 100};
	world *w = make(&s);
	hello(w, 0);
	hello(w, 2);
	fp__broker_pump(&w->b);
	done(w, 0);
	done(w, 0);
	fp__broker_interrupt(&w->b);
	fp__broker_abandon(&w->b);
	assert_int_equal(w->kill_count, 3);
	assert_int_equal(w->b.stages[1].queue_len, 0);
	for (int32_t id = 0; id < 3; id++)
		die(w, id, DEAD_BY_KILL);
	assert_int_equal(w->respawns, 0);
	assert_int_equal(w->b.alive, 0);
	assert_true(has_failure(w, 0, "abandoned"));
	assert_true(has_failure(w, 3, "abandoned"));
	assert_true(fp__broker_is_balanced(&w->b));
	assert_int_equal(w->b.runtime_error, 0);
	destroy(w);
}

/* Abandoned with an answer the last instance to die wrote but never
 * sent: the replayed frame has nobody left to go to, and fails too. */
static void test_abandon_replayed_answer(void **state)
{
	(void)state;
	shape s = {.workers = {1, 1, 1},
		   .restarts = 5,
		   .slots = 8,
		   .expected = 100};
	world *w = make(&s);
	hello_all(w);
	fp__broker_pump(&w->b);
	done(w, 0);
	fp__broker_pump(&w->b);
	sent *f = next_frame(w, 1);
	assert_non_null(f);
	fp_slot_header *h = &w->headers[f->msg.slot];
	h->width = h->height = h->stride = 4;
	h->format = FP_FORMAT_G8;
	h->answer = FP_MSG_DONE;
	h->answer_slot = FP_SLOT_NONE;
	fp__broker_abandon(&w->b);
	die(w, 0, DEAD_BY_KILL);
	die(w, 2, DEAD_BY_KILL);
	die(w, 1, DEAD_BY_KILL);
	assert_int_equal(w->b.alive, 0);
	assert_int_equal(w->b.stages[2].queue_len, 0);
	assert_true(has_failure(w, 0, "abandoned"));
	assert_true(fp__broker_is_balanced(&w->b));
	destroy(w);
}

/* The stop reached the instances too (Slurm's scancel signals every
 * process of the job): once interrupted, an instance dead of SIGTERM is not
 * restarted; the run abandons what is in flight, naming the signal. Before
 * the interrupt, the same death is a crash, and restarted. */
static void test_stop_signal_reaches_instances(void **state)
{
	(void)state;
	shape s = {.workers = {1, 2, 1},
		   .restarts = 5,
		   .slots = 8,
		   .expected = 100};
	world *w = make(&s);
	hello_all(w);
	fp__broker_pump(&w->b);
	done(w, 0);
	done(w, 0);
	fp__broker_pump(&w->b);
	die(w, 1, SIGTERM);
	assert_int_equal(w->respawns, 1);
	assert_int_equal(w->kill_count, 0);
	hello(w, 1);
	fp__broker_interrupt(&w->b);
	die(w, 2, SIGTERM);
	assert_int_equal(w->respawns, 1);
	assert_int_equal(w->kill_count, 3); /* the source, filter#0, sink */
	for (int32_t id = 0; id < 4; id++)
		if (id != 2)
			die(w, id, DEAD_BY_KILL);
	assert_int_equal(w->b.alive, 0);
	assert_true(has_failure(w, 0, "got SIGTERM too"));
	assert_true(fp__broker_is_balanced(&w->b));
	assert_int_equal(w->b.runtime_error, 0);
	destroy(w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_death_holding_three_frames),
		cmocka_unit_test(test_frame_kills_two_instances),
		cmocka_unit_test(test_refused_ledger_move),
		cmocka_unit_test(test_failed_send),
		cmocka_unit_test(test_ordered_sink_skips_failed),
		cmocka_unit_test(test_ordered_sink_dies_holding_frames),
		cmocka_unit_test(test_reserve_slot_under_full_pool),
		cmocka_unit_test(test_rewritten_header_is_a_violation),
		cmocka_unit_test(test_watchdog_own_clock),
		cmocka_unit_test(test_logged_counts),
		cmocka_unit_test(test_eof_kills),
		cmocka_unit_test(test_abandon),
		cmocka_unit_test(test_abandon_replayed_answer),
		cmocka_unit_test(test_stop_signal_reaches_instances),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
