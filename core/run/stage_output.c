/* stage_output — an instance's stdout as prefixed lines on stderr. */
#include "stage_output.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "text.h"

/* fp__stage_output_close reads at most this many buffers: a process the
 * dead instance forked may hold the pipe and write until its own SIGKILL
 * lands. */
#define DRAIN_READS 64

/* One write for the whole line: stderr is unbuffered, and a plugin that
 * prints a lot must not cost the supervisor a system call per byte. */
static void put_line(fp_stage_output *o)
{
	char out[300 + 4 * FP_STAGE_LINE_MAX]; /* 4: "\xNN" per byte */
	snprintf(out, 256, "%s#%u: ", o->label, o->instance);
	size_t n = strlen(out);
	/* Escaped: bytes a plugin wrote by mistake (pixels) cannot move the
	 * cursor, and a NUL does not end the line early. */
	n += fp__escape_n(out + n, sizeof out - n - 1, o->line, o->len);
	out[n++] = '\n';
	fp__progress_clear(o->progress);
	fwrite(out, 1, n, stderr);
	o->len = 0;
}

/* Append bytes, printing every line they complete; a line that outgrows
 * the buffer is printed in pieces. */
static void feed(fp_stage_output *o, const char *bytes, size_t n)
{
	while (n > 0) {
		const char *nl = memchr(bytes, '\n', n);
		size_t take = nl != NULL ? (size_t)(nl - bytes) : n;
		size_t room = sizeof o->line - o->len;
		bool cut = take > room;
		if (cut)
			take = room;
		memcpy(o->line + o->len, bytes, take);
		o->len += take;
		bytes += take;
		n -= take;
		if (cut) {
			put_line(o); /* the rest of it follows as a line */
		} else if (nl != NULL) {
			put_line(o);
			bytes++; /* the newline itself */
			n--;
		}
	}
}

static void on_alloc(uv_handle_t *handle, size_t suggested, uv_buf_t *buf)
{
	(void)suggested;
	fp_stage_output *o = handle->data;
	*buf = uv_buf_init(o->read_buf, sizeof o->read_buf);
}

static void on_read(uv_stream_t *stream, ssize_t nread, const uv_buf_t *buf)
{
	fp_stage_output *o = stream->data;
	if (nread > 0)
		feed(o, buf->base, (size_t)nread);
	else if (nread < 0) /* EOF: the close prints the rest */
		uv_read_stop(stream);
}

static void free_output(uv_handle_t *handle)
{
	free(handle->data);
}

int fp__stage_output_open(fp_stage_output **out, uv_loop_t *loop, int fd,
			  const char *label, unsigned instance,
			  fp_progress *progress)
{
	*out = NULL;
	fp_stage_output *o = calloc(1, sizeof *o);
	int rc = o != NULL ? uv_pipe_init(loop, &o->pipe, 0) : UV_ENOMEM;
	if (rc != 0) {
		free(o);
		close(fd);
		return rc;
	}
	o->pipe.data = o;
	o->label = label;
	o->instance = instance;
	o->progress = progress;
	rc = uv_pipe_open(&o->pipe, fd);
	if (rc != 0)
		close(fd);
	else
		rc = uv_read_start((uv_stream_t *)&o->pipe, on_alloc, on_read);
	if (rc != 0) {
		uv_close((uv_handle_t *)&o->pipe, free_output);
		return rc;
	}
	*out = o;
	return 0;
}

/* What the pipe holds now; uv_pipe_open made it non-blocking. */
static void drain(fp_stage_output *o)
{
	uv_os_fd_t fd;
	if (uv_fileno((uv_handle_t *)&o->pipe, &fd) != 0)
		return;
	for (int i = 0; i < DRAIN_READS; i++) {
		ssize_t n = read(fd, o->read_buf, sizeof o->read_buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		feed(o, o->read_buf, (size_t)n);
	}
}

void fp__stage_output_close(fp_stage_output *o)
{
	if (o == NULL)
		return;
	uv_read_stop((uv_stream_t *)&o->pipe);
	drain(o);
	if (o->len > 0)
		put_line(o);
	uv_close((uv_handle_t *)&o->pipe, free_output);
}
