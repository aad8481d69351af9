/* protocol — the fixed-size records that move slot ownership.
 *
 * One socketpair per stage instance; the supervisor is at the other end of
 * every one (a star). A record is 16 bytes; the byte stream is cut into
 * records by fp_msg_reader whatever the read sizes were.
 *
 *   HELLO  stage → sup   arg = ABI major << 16 | minor; instance is ready
 *   FRAME  sup → stage   you now own slot (and slot2, a granted output slot
 *                        for out-of-place filters, else FP_SLOT_NONE);
 *                        arg = the frame's input index (the header's copy
 *                        is shared memory: not to be trusted)
 *   DONE   stage → sup   slot holds my output, I no longer own it; slot2 is
 *                        the input slot I give back (out-of-place) or NONE;
 *                        arg = microseconds spent in process()
 *   FAIL   stage → sup   the frame in slot failed (reason in its header);
 *                        slot2 = granted slot given back, or NONE
 *   END    stage → sup   (sources) no frame for this slot, stream is over
 *   STOP   sup → stage   finish: call fini and exit
 *   LOGGED stage → sup   since its last LOGGED (or its start), this process
 *                        logged slot warnings and slot2 errors (env->log);
 *                        arg = 0. Sent between answers and once after fini;
 *                        an instance killed before then takes the rest of
 *                        its count with it.
 */
#ifndef FP_PROTOCOL_H
#define FP_PROTOCOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FP_SLOT_NONE UINT32_MAX

/* Every record kind, once: the enum, the names and the range check all
 * come from this list (append only: the values are on the wire). */
#define FP_MSG_KINDS(X) \
	X(HELLO)        \
	X(FRAME)        \
	X(DONE)         \
	X(FAIL)         \
	X(END)          \
	X(STOP)         \
	X(LOGGED)

#define FP__MSG_ENUM(name) FP_MSG_##name,
enum fp_msg_type {
	FP_MSG_FIRST_ = 0x46500000u, /* 'FP' << 16: garbage rarely matches */
	FP_MSG_KINDS(FP__MSG_ENUM) FP_MSG_END_
};
#undef FP__MSG_ENUM

typedef struct fp_msg {
	uint32_t type;
	uint32_t slot;
	uint32_t slot2;
	uint32_t arg;
} fp_msg;

_Static_assert(sizeof(fp_msg) == 16, "records are 16 bytes on the wire");

bool fp__msg_type_is_valid(uint32_t type);
const char *fp__msg_type_name(uint32_t type);

/* Reassembles records from a byte stream. */
typedef struct fp_msg_reader {
	unsigned char partial[sizeof(fp_msg)];
	size_t have;
} fp_msg_reader;

typedef void (*fp_msg_fn)(void *user, const fp_msg *msg);

/* Feed len bytes; on_msg is called once per complete record, in order. A
 * trailing partial record is kept for the next call. */
void fp__msg_reader_feed(fp_msg_reader *reader, const void *bytes, size_t len,
			 fp_msg_fn on_msg, void *user);

/* Records waiting to be written to one peer, sent together. */
typedef struct fp_outbox {
	fp_msg *msgs;
	size_t count;
	size_t capacity;
} fp_outbox;

int fp__outbox_push(fp_outbox *box, fp_msg msg);
void fp__outbox_release(fp_outbox *box);

#endif
