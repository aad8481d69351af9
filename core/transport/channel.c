#include "channel.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* fp__channel_drain reads at most this many buffers: a process the dead
 * peer forked may hold the socket and write until its own SIGKILL lands. */
#define DRAIN_READS 64

typedef struct pending_write {
	uv_write_t req;
	fp_msg msgs[];
} pending_write;

static void on_alloc(uv_handle_t *handle, size_t suggested, uv_buf_t *buf)
{
	(void)suggested;
	fp_channel *ch = handle->data;
	*buf = uv_buf_init(ch->read_buf, sizeof ch->read_buf);
}

static void deliver(void *user, const fp_msg *msg)
{
	fp_channel *ch = user;
	if (!ch->is_muted)
		ch->on_msg(ch, msg);
}

static void on_read(uv_stream_t *stream, ssize_t nread, const uv_buf_t *buf)
{
	fp_channel *ch = stream->data;
	if (nread > 0) {
		fp__msg_reader_feed(&ch->reader, buf->base, (size_t)nread,
				    deliver, ch);
	} else if (nread < 0) {
		uv_read_stop(stream);
		if (ch->on_eof != NULL)
			ch->on_eof(ch, (int)nread);
	}
}

int fp__channel_open(fp_channel *ch, uv_loop_t *loop, int fd,
		     fp_channel_msg_cb on_msg, fp_channel_eof_cb on_eof,
		     void *data)
{
	memset(ch, 0, sizeof *ch);
	ch->on_msg = on_msg;
	ch->on_eof = on_eof;
	ch->data = data;
	int rc = uv_pipe_init(loop, &ch->pipe, 0);
	if (rc != 0)
		return rc;
	ch->pipe.data = ch;
	ch->is_open = true;
	rc = uv_pipe_open(&ch->pipe, fd);
	if (rc == 0)
		rc = uv_read_start((uv_stream_t *)&ch->pipe, on_alloc, on_read);
	return rc;
}

int fp__channel_send(fp_channel *ch, uint32_t type, uint32_t slot,
		     uint32_t slot2, uint32_t arg)
{
	fp_msg msg = {.type = type, .slot = slot, .slot2 = slot2, .arg = arg};
	return fp__outbox_push(&ch->out, msg);
}

static void on_written(uv_write_t *req, int status)
{
	(void)status; /* a dead peer is noticed by its read side and SIGCHLD */
	free(req);
}

int fp__channel_flush(fp_channel *ch)
{
	size_t count = ch->out.count;
	if (count == 0 || !ch->is_open)
		return 0;
	size_t total = count * sizeof(fp_msg);
	uv_buf_t buf = uv_buf_init((char *)ch->out.msgs, (unsigned)total);
	int n = uv_try_write((uv_stream_t *)&ch->pipe, &buf, 1);
	if (n < 0 && n != UV_EAGAIN)
		return n;
	size_t written = n > 0 ? (size_t)n : 0;
	ch->out.count = 0;
	if (written == total)
		return 0;
	/* The rest goes through libuv's queue, which keeps order: a later
	 * uv_try_write returns EAGAIN while this one is pending. */
	size_t rest = total - written;
	pending_write *pw = malloc(sizeof *pw + rest);
	if (pw == NULL)
		return UV_ENOMEM;
	memcpy(pw->msgs, (char *)ch->out.msgs + written, rest);
	buf = uv_buf_init((char *)pw->msgs, (unsigned)rest);
	int rc = uv_write(&pw->req, (uv_stream_t *)&ch->pipe, &buf, 1,
			  on_written);
	if (rc != 0)
		free(pw);
	return rc;
}

void fp__channel_drain(fp_channel *ch)
{
	uv_os_fd_t fd;
	if (!ch->is_open || uv_fileno((uv_handle_t *)&ch->pipe, &fd) != 0)
		return;
	/* uv_pipe_open made the socket non-blocking: EAGAIN ends it. */
	for (int i = 0; i < DRAIN_READS && ch->is_open; i++) {
		ssize_t n = read(fd, ch->read_buf, sizeof ch->read_buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		fp__msg_reader_feed(&ch->reader, ch->read_buf, (size_t)n,
				    deliver, ch);
	}
}

void fp__channel_close(fp_channel *ch, uv_close_cb cb)
{
	if (!ch->is_open)
		return;
	ch->is_open = false;
	ch->is_muted = true;
	uv_close((uv_handle_t *)&ch->pipe, cb);
	fp__outbox_release(&ch->out);
}
