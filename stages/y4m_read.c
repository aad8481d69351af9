/* y4m_read — a source of frames from a YUV4MPEG2 stream (what
 * `ffmpeg -f yuv4mpegpipe` writes), from a file or standard input.
 *
 * 8-bit 4:2:0 (C420jpeg, C420paldv, C420mpeg2, C420), 4:2:2, 4:4:4 and
 * mono streams become RGB8 frames (G8 for mono, or with format = g8),
 * through the BT.601 or BT.709 matrix, honouring the stream's
 * XCOLORRANGE (LIMITED when absent). Chroma is upsampled by repeating
 * each sample. Each frame carries the stream's frame rate (F, as
 * FP_META_FRAME_RATE) and its index in the stream (FP_META_TIMESTAMP). One
 * instance reads the whole stream in order; the stream ends the run
 * (frame_count is unknown).
 */
#define _GNU_SOURCE /* fseeko, off_t */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "framepipe/stage.h"
#include "y4m.h"

#define MAX_DIM	   ((unsigned)FP_MAX_DIMENSION)
#define MAX_HEADER 1024 /* bytes of a stream or frame header line */

enum { FORMAT_KEEP, FORMAT_G8, FORMAT_RGB8 };
enum { RANGE_AUTO, RANGE_LIMITED, RANGE_FULL };

typedef struct y4m_read_config {
	const char *file;
	int format;
	int luma; /* 0 bt601, 1 bt709 */
	int range;
} y4m_read_config;

/* What a stream header says. */
typedef struct y4m_stream {
	uint32_t width, height;
	int chroma;
	bool full_range;
	uint32_t rate[2];     /* F num:den; 0:0 when absent or unknown */
	uint64_t frame_bytes; /* planes of one frame */
} y4m_stream;

typedef struct reader {
	const y4m_read_config *cfg;
	FILE *file;
	const char *name; /* for messages */
	y4m_stream s;
	fp_format format;
	y4m_decoder dec;
	uint8_t *planes;
	off_t data_start; /* where frame 0 starts, when seekable */
	uint64_t next;	  /* sequence of the next frame in the file */
	bool is_over;	  /* end of stream, or a stream we cannot follow */
} reader;

/* ---- the stream header --------------------------------------------------- */

/* One header line without its '\n' into buf; 0, or EOF at its first byte
 * (-1), or too long / cut short (-2). */
static int read_line(FILE *f, char *buf, size_t size)
{
	size_t n = 0;
	int c;
	while ((c = getc(f)) != EOF && c != '\n') {
		if (n + 1 >= size)
			return -2;
		buf[n++] = (char)c;
	}
	buf[n] = '\0';
	if (c == EOF)
		return n == 0 ? -1 : -2;
	return 0;
}

static int parse_chroma(const char *tag, int *chroma)
{
	static const struct {
		const char *tag;
		int chroma;
	} known[] = {
		{"420jpeg", Y4M_420},  {"420paldv", Y4M_420},
		{"420mpeg2", Y4M_420}, {"420", Y4M_420},
		{"422", Y4M_422},      {"444", Y4M_444},
		{"mono", Y4M_MONO},
	};
	for (size_t i = 0; i < FP_COUNT_OF(known); i++)
		if (strcmp(tag, known[i].tag) == 0) {
			*chroma = known[i].chroma;
			return 0;
		}
	return -1;
}

/* "30000:1001" into rate; 0:0 (what some writers put for "unknown")
 * and a zero part read as no rate. -1 when it is not two numbers. */
static int parse_rate(const char *t, uint32_t rate[2])
{
	unsigned long v[2];
	for (int i = 0; i < 2; i++) {
		char *end;
		if (*t < '0' || *t > '9')
			return -1;
		errno = 0;
		v[i] = strtoul(t, &end, 10);
		if (errno != 0 || v[i] > UINT32_MAX ||
		    *end != (i == 0 ? ':' : '\0'))
			return -1;
		t = end + 1;
	}
	bool known = v[0] > 0 && v[1] > 0;
	rate[0] = known ? (uint32_t)v[0] : 0;
	rate[1] = known ? (uint32_t)v[1] : 0;
	return 0;
}

/* Parse "YUV4MPEG2 W.. H.. ..." into s; else a message in err. */
static int parse_header(char *line, y4m_stream *s, char *err, size_t size)
{
	memset(s, 0, sizeof *s);
	s->chroma = Y4M_420; /* the format's default */
	if (strncmp(line, "YUV4MPEG2", 9) != 0 ||
	    (line[9] != ' ' && line[9] != '\0')) {
		snprintf(err, size,
			 "not a YUV4MPEG2 stream (starts with '%.12s')", line);
		return FP_ECORRUPT;
	}
	for (char *save, *t = strtok_r(line + 9, " ", &save); t != NULL;
	     t = strtok_r(NULL, " ", &save)) {
		char *end;
		unsigned long v;
		switch (t[0]) {
		case 'W':
		case 'H':
			errno = 0;
			v = strtoul(t + 1, &end, 10);
			if (*end != '\0' || t[1] < '0' || t[1] > '9' ||
			    v == 0 || v > MAX_DIM) {
				snprintf(err, size,
					 "%s '%.20s' (expected 1..%u)",
					 t[0] == 'W' ? "width" : "height", t,
					 MAX_DIM);
				return FP_ELIMIT;
			}
			*(t[0] == 'W' ? &s->width : &s->height) = (uint32_t)v;
			break;
		case 'C':
			if (parse_chroma(t + 1, &s->chroma) != 0) {
				snprintf(err, size,
					 "colour space 'C%.20s' is not "
					 "supported (expected 8-bit 420jpeg, "
					 "420paldv, 420mpeg2, 420, 422, 444 or "
					 "mono)",
					 t + 1);
				return FP_EFORMAT;
			}
			break;
		case 'F':
			if (parse_rate(t + 1, s->rate) != 0) {
				snprintf(err, size,
					 "frame rate '%.20s' (expected "
					 "F<numerator>:<denominator>)",
					 t);
				return FP_ECORRUPT;
			}
			break;
		case 'X':
			if (strcmp(t, "XCOLORRANGE=FULL") == 0)
				s->full_range = true;
			break;
		default: break; /* I, A and unknown tags do not matter */
		}
	}
	if (s->width == 0 || s->height == 0) {
		snprintf(err, size, "stream header has no %s",
			 s->width == 0 ? "width (W)" : "height (H)");
		return FP_ECORRUPT;
	}
	s->frame_bytes = y4m_frame_bytes(s->chroma, s->width, s->height);
	return 0;
}

static int read_header(FILE *f, y4m_stream *s, char *err, size_t size)
{
	char line[MAX_HEADER];
	int rc = read_line(f, line, sizeof line);
	if (rc == -1) {
		snprintf(err, size, "empty stream");
		return FP_ECORRUPT;
	}
	if (rc != 0) {
		snprintf(err, size,
			 "stream header longer than %d bytes, or "
			 "cut short",
			 MAX_HEADER);
		return FP_ECORRUPT;
	}
	return parse_header(line, s, err, size);
}

static fp_format format_of(const y4m_read_config *c, const y4m_stream *s)
{
	if (c->format == FORMAT_G8 ||
	    (c->format == FORMAT_KEEP && s->chroma == Y4M_MONO))
		return FP_FORMAT_G8;
	return FP_FORMAT_RGB8;
}

static bool is_stdin(const y4m_read_config *c)
{
	return strcmp(c->file, "-") == 0;
}

/* ---- conversion ---------------------------------------------------------- */

static void to_gray(const reader *r, fp_frame *out)
{
	const uint8_t *luma = r->planes;
	for (uint32_t y = 0; y < out->height; y++) {
		const uint8_t *src = luma + (size_t)y * r->s.width;
		uint8_t *dst = out->pixels + (size_t)y * out->stride;
		for (uint32_t x = 0; x < out->width; x++)
			dst[x] = y4m_clamp16(r->dec.y[src[x]]);
	}
}

static void to_rgb(const reader *r, fp_frame *out)
{
	const y4m_decoder *d = &r->dec;
	uint32_t w = r->s.width, h = r->s.height, cw, ch;
	y4m_chroma_size(r->s.chroma, w, h, &cw, &ch);
	unsigned sx = r->s.chroma == Y4M_444 ? 0 : 1;
	unsigned sy = r->s.chroma == Y4M_420 ? 1 : 0;
	const uint8_t *luma = r->planes;
	const uint8_t *cb = luma + (size_t)w * h;
	const uint8_t *cr = cb + (size_t)cw * ch;
	for (uint32_t y = 0; y < h; y++) {
		const uint8_t *ly = luma + (size_t)y * w;
		const uint8_t *uy = cb + (size_t)(y >> sy) * cw;
		const uint8_t *vy = cr + (size_t)(y >> sy) * cw;
		uint8_t *dst = out->pixels + (size_t)y * out->stride;
		for (uint32_t x = 0; x < w; x++, dst += 3) {
			int32_t l = d->y[ly[x]];
			uint8_t u = uy[x >> sx], v = vy[x >> sx];
			dst[0] = y4m_clamp16(l + d->rv[v]);
			dst[1] = y4m_clamp16(l - d->gu[u] - d->gv[v]);
			dst[2] = y4m_clamp16(l + d->bu[u]);
		}
	}
}

/* Mono streams have no chroma: grey RGB. */
static void mono_to_rgb(const reader *r, fp_frame *out)
{
	to_gray(r, out);
	for (uint32_t y = 0; y < out->height; y++) {
		uint8_t *row = out->pixels + (size_t)y * out->stride;
		for (uint32_t x = out->width; x-- > 0;)
			row[3 * x] = row[3 * x + 1] = row[3 * x + 2] = row[x];
	}
}

/* ---- the stage ----------------------------------------------------------- */

static int y4m_read_init(void **state, const void *config,
			 const fp_stage_env *env, char *err, size_t err_size)
{
	(void)env;
	const y4m_read_config *c = config;
	reader *r = calloc(1, sizeof *r);
	if (r == NULL)
		return -ENOMEM;
	r->cfg = c;
	r->name = is_stdin(c) ? "standard input" : c->file;
	r->file = is_stdin(c) ? stdin : fopen(c->file, "rbe");
	if (r->file == NULL) {
		int e = errno;
		snprintf(err, err_size, "%s: %s", c->file, strerror(e));
		free(r);
		return -e;
	}
	char why[256];
	int rc = read_header(r->file, &r->s, why, sizeof why);
	if (rc != 0) {
		snprintf(err, err_size, "%s: %s", r->name, why);
		goto err_close;
	}
	r->planes = malloc(r->s.frame_bytes);
	if (r->planes == NULL) {
		snprintf(err, err_size,
			 "%s: out of memory for a %" PRIu32 "x%" PRIu32
			 " frame",
			 r->name, r->s.width, r->s.height);
		rc = -ENOMEM;
		goto err_close;
	}
	r->format = format_of(c, &r->s);
	bool full = c->range == RANGE_AUTO ? r->s.full_range
					   : c->range == RANGE_FULL;
	y4m_decoder_init(&r->dec, c->luma == 1, full);
	r->data_start = ftello(r->file); /* -1 on a pipe */
	*state = r;
	return 0;

err_close:
	if (r->file != stdin)
		fclose(r->file);
	free(r);
	return rc;
}

static void y4m_read_fini(void *state)
{
	reader *r = state;
	if (r->file != stdin)
		fclose(r->file);
	free(r->planes);
	free(r);
}

/* A restarted instance is asked for a frame past the start: in a file
 * whose frames all have the bare "FRAME" header, go straight to it. */
static int seek_to(reader *r, fp_frame *out)
{
	off_t each = (off_t)(r->s.frame_bytes + 6);
	if (r->data_start < 0 ||
	    fseeko(r->file, r->data_start + (off_t)out->sequence * each,
		   SEEK_SET) != 0) {
		r->is_over = true;
		return fp_frame_fail(out, FP_EIO,
				     "%s: cannot go back to frame %" PRIu64
				     " after a restart (not a file)",
				     r->name, out->sequence);
	}
	r->next = out->sequence;
	return 0;
}

/* Read the next frame's planes; FP_EEND at a clean end of the stream. */
static int read_frame(reader *r, fp_frame *out)
{
	char line[MAX_HEADER];
	int rc = read_line(r->file, line, sizeof line);
	if (rc == -1 && !ferror(r->file)) {
		/* Frames past the end may already be asked for: they all
		 * end too, and are no restart to seek for. */
		r->is_over = true;
		return FP_EEND;
	}
	if (rc != 0 || strncmp(line, "FRAME", 5) != 0 ||
	    (line[5] != ' ' && line[5] != '\0')) {
		r->is_over = true;
		if (ferror(r->file))
			return fp_frame_fail(out, FP_EIO, "%s: read error: %s",
					     r->name, strerror(errno));
		return fp_frame_fail(out, FP_ECORRUPT,
				     "%s: frame %" PRIu64
				     ": expected a FRAME header, got '%.12s'",
				     r->name, r->next, line);
	}
	size_t got = fread(r->planes, 1, r->s.frame_bytes, r->file);
	if (got != r->s.frame_bytes) {
		r->is_over = true;
		return fp_frame_fail(out, FP_ECORRUPT,
				     "%s: frame %" PRIu64
				     " cut short after %zu of %" PRIu64
				     " bytes",
				     r->name, r->next, got, r->s.frame_bytes);
	}
	r->next++;
	return 0;
}

static int y4m_read_process(void *state, fp_frame *in, fp_frame *out)
{
	(void)in;
	reader *r = state;
	if (r->is_over)
		return FP_EEND;
	if (out->sequence != r->next) {
		int rc = seek_to(r, out);
		if (rc != 0)
			return rc;
	}
	int rc = read_frame(r, out);
	if (rc != 0)
		return rc;
	/* The stream's rate and the frame's place in it travel with the
	 * pixels (to y4m_write, or any sink that reads them). A zero
	 * metadata_size leaves no room: they are then not carried. */
	int64_t timestamp = (int64_t)(r->next - 1);
	if (r->s.rate[0] != 0)
		fp_meta_set(out->meta, FP_META_FRAME_RATE, 0, NULL, r->s.rate,
			    sizeof r->s.rate);
	fp_meta_set(out->meta, FP_META_TIMESTAMP, 0, NULL, &timestamp,
		    sizeof timestamp);
	unsigned channels = fp_format_channels(r->format);
	uint64_t bytes = (uint64_t)r->s.width * r->s.height * channels;
	if (bytes > out->capacity)
		return fp_frame_fail(out, FP_ENOFIT,
				     "%" PRIu32 "x%" PRIu32 " %s needs %" PRIu64
				     " bytes, a pool slot holds %zu (raise "
				     "it: --set slot_size=N or [pipeline] "
				     "slot_size)",
				     r->s.width, r->s.height,
				     fp_format_name(r->format), bytes,
				     out->capacity);
	out->width = r->s.width;
	out->height = r->s.height;
	out->format = r->format;
	out->stride = out->width * channels;
	if (r->format == FP_FORMAT_G8)
		to_gray(r, out);
	else if (r->s.chroma == Y4M_MONO)
		mono_to_rgb(r, out);
	else
		to_rgb(r, out);
	return 0;
}

/* In the supervisor, before the run: read the header of a regular file.
 * Standard input or a pipe is left alone (reading would consume it): the
 * pool then gets the default slot size, 16 MiB. */
static int y4m_read_bound(const void *config, const char *input_path,
			  uint64_t *bytes, char *err, size_t err_size)
{
	(void)input_path;
	const y4m_read_config *c = config;
	struct stat st;
	if (is_stdin(c) || stat(c->file, &st) != 0 || !S_ISREG(st.st_mode)) {
		snprintf(err, err_size, "%s: not a regular file", c->file);
		return FP_ECONFIG;
	}
	FILE *f = fopen(c->file, "rbe");
	if (f == NULL) {
		int e = errno;
		snprintf(err, err_size, "%s: %s", c->file, strerror(e));
		return -e;
	}
	y4m_stream s;
	int rc = read_header(f, &s, err, err_size);
	fclose(f);
	if (rc == 0)
		*bytes = (uint64_t)s.width * s.height *
			 fp_format_channels(format_of(c, &s));
	return rc;
}

static int64_t y4m_read_count(const void *config, size_t input_count)
{
	(void)config;
	(void)input_count;
	return -1;
}

static const fp_param params[] = {
	FP_PARAM_STRING_(y4m_read_config, file, "-",
			 "the stream to read; - is standard input"),
	FP_PARAM_CHOICE_(y4m_read_config, format, "keep", "keep|g8|rgb8",
			 "frames made: keep is RGB8, or G8 for a mono stream"),
	FP_PARAM_CHOICE_(
		y4m_read_config, luma, "bt601", "bt601|bt709",
		"luma coefficients of the Y'CbCr to RGB matrix (BT.601 "
		"SD, BT.709 HD)"),
	FP_PARAM_CHOICE_(y4m_read_config, range, "auto", "auto|limited|full",
			 "auto: the stream's XCOLORRANGE, limited when "
			 "absent"),
};

FP_STAGE_EXPORT = {
	FP_STAGE_HEADER,
	.name = "y4m_read",
	.summary = "frames from a YUV4MPEG2 stream (file or standard input)",
	.description =
		"Reads 8-bit 4:2:0, 4:2:2, 4:4:4 and mono YUV4MPEG2, as\n"
		"ffmpeg -f yuv4mpegpipe writes it, into RGB8 (G8 for mono or\n"
		"format=g8). Chroma is upsampled by repeating samples.\n"
		"Each frame carries the stream's frame rate (F) and its\n"
		"index in the stream as metadata (y4m_write writes them\n"
		"back). One instance reads the stream in order; the end of\n"
		"the stream ends the run. Pool slots are sized from the\n"
		"header when file is a regular file; from a pipe they are\n"
		"16 MiB (up to 2560x2048 RGB): set [pipeline] slot_size\n"
		"for more.",
	.kind = FP_STAGE_SOURCE,
	.flags = FP_STAGE_SINGLE_INSTANCE,
	.params = params,
	.param_count = FP_COUNT_OF(params),
	.config_size = sizeof(y4m_read_config),
	.init = y4m_read_init,
	.process = y4m_read_process,
	.fini = y4m_read_fini,
	.frame_bound = y4m_read_bound,
	.frame_count = y4m_read_count,
};
