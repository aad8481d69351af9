/* broker — who holds which frame, and what happens to it next.
 *
 * The broker owns the ledger, the per-slot truth (which input a slot
 * carries, its sequence, its geometry, when it was handed over), the
 * queue in front of each stage, the frames each instance holds (in the
 * order it was given them), retry-once, the reserve slot and the order of
 * an ordered sink. It is driven by events (a record arrived, an instance
 * died or closed its socket, a tick, a signal) and acts only through the
 * operations table (send, kill, respawn, report a failure), so it runs
 * without fork, shared memory or libuv: the supervisor implements the
 * table with them, the unit tests with a fake.
 *
 * Shared memory is never trusted: a header is read once into a copy,
 * checked against the broker's own truth, and stamped again from that
 * truth before every hand-over. A header that disagrees is a protocol
 * violation of the instance that owned the slot.
 *
 * Everything here runs on the supervisor's loop thread only.
 */
#ifndef FP_BROKER_H
#define FP_BROKER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "histogram.h"
#include "ledger.h"
#include "order.h"
#include "pool.h"
#include "protocol.h"

#define FP_BROKER_MAX_DEPTH    64 /* frames one instance may hold */
#define FP_BROKER_REASON       200
/* How an instance died, with what its death detail said. */
#define FP_BROKER_DEATH	       1024
#define FP_BROKER_FIRST	       (FP_BROKER_DEATH + 64)
/* An instance whose socket reached EOF and is still alive this long after
 * is killed: the grace lets a dying instance be reaped first, so its
 * death is told as it happened (a signal, an exit status). */
#define FP_BROKER_EOF_GRACE_NS (200 * 1000000ull)

typedef struct fp_broker_ops {
	/* Queue one record for instance id. 0, or a negative code when it
	 * could not be queued (then the broker fails the run, never waits). */
	int (*send)(void *ctx, int32_t id, const fp_msg *msg);
	/* Kill instance id and its process group; why is one line. Its death
	 * comes back later as fp__broker_on_death. */
	void (*kill)(void *ctx, int32_t id, const char *why);
	/* Start a fresh instance in place of dead instance id: 0 or a
	 * negative code. On 0 the broker counts it alive (not ready). */
	int (*respawn)(void *ctx, int32_t id);
	/* One input failed at stage (a label, or "-"); borrowed strings. */
	void (*report_failure)(void *ctx, uint32_t input, const char *stage,
			       const char *reason);
	/* One line for the user (restarts, early deaths); no newline. */
	void (*notice)(void *ctx, const char *line);
	/* The slot's header in shared memory (written by the broker only
	 * while it owns the slot, read once per answer). */
	fp_slot_header *(*header)(void *ctx, uint32_t slot);
	uint64_t (*now_ns)(void *ctx); /* monotonic */
	/* Optional: one frame's time in one stage (for the trace). */
	void (*frame_done)(void *ctx, int32_t id, uint32_t input,
			   uint64_t start_ns, uint32_t us, const char *failure);
	/* Optional: what is known of instance id's death beyond its wait
	 * status, appended to "killed by SIGSEGV": " at address 0x10, code
	 * PLUGIN+0x11d9 (pid 123)"; "" when nothing more is known. */
	void (*death_detail)(void *ctx, int32_t id, int wait_status, char *buf,
			     size_t size);
	/* Optional: the input as the user knows it ("photos/a.png", "frame
	 * 17"), in buf or a static string. */
	const char *(*input_name)(void *ctx, uint32_t input, char *buf,
				  size_t size);
} fp_broker_ops;

typedef struct fp_broker_stage_conf {
	const char *label;
	unsigned workers;
	unsigned max_restarts;
	uint64_t timeout_ns; /* 0: no limit */
	bool out_of_place;   /* each frame is given a second, output slot */
} fp_broker_stage_conf;

typedef struct fp_broker_config {
	const fp_broker_stage_conf *stages; /* borrowed for the broker's life */
	size_t stage_count;
	uint32_t slot_count;
	size_t slot_bytes; /* pixel bytes per slot, for the geometry check */
	unsigned depth;	   /* frames an instance holds at most */
	uint32_t reserve;  /* free slots sources may not take */
	bool is_ordered;   /* the sink takes frames in sequence order */
	int64_t expected;  /* frames the source will make, -1 unknown */
	/* Sequences not to run (--resume), expected entries; borrowed, may
	 * be NULL. */
	const uint8_t *skip;
	const fp_broker_ops *ops;
	void *ctx;
} fp_broker_config;

/* What the broker alone knows about a slot's frame. */
typedef struct fp_slot_truth {
	uint64_t sequence;
	uint32_t input;
	uint32_t width, height, stride, format; /* checked at the last DONE */
	uint64_t sent_ns; /* when it was handed to its current owner */
	uint8_t attempts; /* times it killed an instance at this stage */
	bool is_grant;	  /* granted as an output slot, no frame yet */
} fp_slot_truth;

typedef struct fp_broker_instance {
	uint32_t stage;
	unsigned index; /* 0 .. workers-1 within its stage */
	int32_t id;	/* ledger owner id */
	uint32_t inflight;
	/* Input slots in the order handed over: an instance answers in that
	 * order, so held[held_head] is the one it works on. */
	uint32_t held[FP_BROKER_MAX_DEPTH];
	uint32_t held_out[FP_BROKER_MAX_DEPTH]; /* its granted slot or NONE */
	uint32_t held_head;
	uint64_t head_since_ns; /* when held[held_head] became its work */
	uint64_t eof_ns;	/* when its socket reached EOF; 0: not yet */
	bool is_ready;		/* said HELLO */
	bool is_alive;
	char condemned[FP_BROKER_REASON]; /* why the broker killed it */
	uint64_t frames;
	uint64_t busy_us;
	/* What its processes logged (LOGGED records), over every restart. */
	uint64_t warnings;
	uint64_t errors;
} fp_broker_instance;

typedef struct fp_broker_stage {
	fp_broker_stage_conf conf;
	unsigned restarts;
	unsigned live;
	fp_broker_instance *instances; /* conf.workers of them */
	uint32_t *queue;	       /* slots waiting to enter (ring) */
	uint32_t queue_head;
	uint32_t queue_len;
	uint64_t frames;
	uint64_t busy_us;
	uint64_t warnings; /* its instances', summed */
	uint64_t errors;
	fp_histogram us_per_frame;
} fp_broker_stage;

typedef struct fp_broker {
	fp_broker_config conf;
	fp_ledger ledger;
	fp_slot_truth *slots;
	/* Per slot: how its frame's first attempt at this stage ended, while
	 * it waits for its retry (slot_count x FP_BROKER_FIRST). */
	char *first_death;
	fp_broker_stage *stages;
	fp_broker_instance *instances;
	size_t instance_count;
	unsigned alive;
	fp_order order;
	uint64_t next_sequence; /* the next the source is asked for */
	bool source_done;
	bool interrupted;	  /* take no new input */
	bool abandoning;	  /* and drop what is in flight */
	char abandon_reason[160]; /* each dropped frame's failure */
	bool stopping;		  /* STOP sent */
	uint64_t ok;
	uint64_t failed;
	uint64_t ends; /* frames the source said were past its end */
	int runtime_error;
	char runtime_message[2048];
} fp_broker;

/* Set up for conf (copied; its arrays are borrowed). Every instance starts
 * not alive: call fp__broker_started for each one forked. 0 or -ENOMEM. */
int fp__broker_init(fp_broker *b, const fp_broker_config *conf);
void fp__broker_release(fp_broker *b);

/* Instance id was forked (before the loop). */
void fp__broker_started(fp_broker *b, int32_t id);

/* Hand out what can be handed out; send STOP when everything is done. */
void fp__broker_pump(fp_broker *b);

/* A record from instance id. */
void fp__broker_on_msg(fp_broker *b, int32_t id, const fp_msg *msg);
/* Instance id's socket reached EOF or failed. */
void fp__broker_on_eof(fp_broker *b, int32_t id);
/* Instance id was reaped with wait_status. */
void fp__broker_on_death(fp_broker *b, int32_t id, int wait_status);
/* Timeouts: stuck frames, sockets closed by live instances. */
void fp__broker_tick(fp_broker *b, uint64_t now_ns);

/* First interrupt: no new input, finish what is in flight. */
void fp__broker_interrupt(fp_broker *b);
/* Second interrupt: kill every instance, no restart, no retry; every frame
 * in flight or waiting fails as abandoned. */
void fp__broker_abandon(fp_broker *b);
/* Kill instance id, for reason why (printf); nothing if already dying. */
void fp__broker_condemn(fp_broker *b, int32_t id, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The run cannot go on (code, message); the first one is kept. */
void fp__broker_fail_run(fp_broker *b, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Every slot is free and every frame asked of the source was written,
 * failed, or was past its end. */
bool fp__broker_is_balanced(const fp_broker *b);

#endif
