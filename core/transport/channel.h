/* channel — one end of a stage's socketpair, driven by a libuv loop.
 *
 * Reads are reassembled into records (protocol.h) and handed to on_msg one
 * by one; sends are gathered in an outbox and written with one syscall per
 * flush, which the owner calls once per loop iteration or per batch.
 */
#ifndef FP_CHANNEL_H
#define FP_CHANNEL_H

#include <stdbool.h>
#include <uv.h>

#include "protocol.h"

typedef struct fp_channel fp_channel;
typedef void (*fp_channel_msg_cb)(fp_channel *ch, const fp_msg *msg);
/* The peer closed its end (status UV_EOF) or the read failed. */
typedef void (*fp_channel_eof_cb)(fp_channel *ch, int status);

struct fp_channel {
	uv_pipe_t pipe;
	fp_msg_reader reader;
	fp_outbox out;
	fp_channel_msg_cb on_msg;
	fp_channel_eof_cb on_eof;
	void *data; /* the owner's */
	bool is_open;
	bool is_muted; /* drop further records (peer condemned) */
	char read_buf[4096];
};

/* Take over fd (a connected socket) and start reading. */
int fp__channel_open(fp_channel *ch, uv_loop_t *loop, int fd,
		     fp_channel_msg_cb on_msg, fp_channel_eof_cb on_eof,
		     void *data);

/* Queue one record; nothing is written until fp__channel_flush(). */
int fp__channel_send(fp_channel *ch, uint32_t type, uint32_t slot,
		     uint32_t slot2, uint32_t arg);

/* Write every queued record: uv_try_write, then uv_write for any rest. */
int fp__channel_flush(fp_channel *ch);

/* The peer is dead: deliver the records its socket still holds, without
 * waiting (a read or a SIGCHLD may come first; this makes the records win).
 * Records sent after the last answer, such as a final LOGGED, are then
 * never lost to the order of one loop iteration's events. */
void fp__channel_drain(fp_channel *ch);

/* Stop reading and close; cb runs from the loop when the handle is gone. */
void fp__channel_close(fp_channel *ch, uv_close_cb cb);

#endif
