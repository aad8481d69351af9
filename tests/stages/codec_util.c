#include "codec_util.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "params.h"

char *scratch_new(const char *tag)
{
	const char *tmp = getenv("TMPDIR");
	char *dir = malloc(512);
	assert_non_null(dir);
	snprintf(dir, 512, "%s/fp-test-%s-XXXXXX",
		 tmp != NULL && tmp[0] != '\0' ? tmp : "/tmp", tag);
	assert_non_null(mkdtemp(dir));
	return dir;
}

void scratch_remove(char *dir)
{
	if (dir == NULL)
		return;
	(void)run("rm -rf '%s'", dir);
	free(dir);
}

const char *scratch_path(const char *dir, const char *name)
{
	static char ring[8][600];
	static int next;
	char *p = ring[next++ % 8];
	snprintf(p, sizeof ring[0], "%s/%s", dir, name);
	return p;
}

int run(const char *fmt, ...)
{
	char cmd[4096];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(cmd, sizeof cmd, fmt, ap);
	va_end(ap);
	int rc = system(cmd);
	if (rc != 0)
		print_message("command failed (%d): %s\n", rc, cmd);
	return rc;
}

uint8_t *slurp(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	uint8_t *buf = malloc((size_t)n + 1);
	if (buf != NULL && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	*size = (size_t)n;
	return buf;
}

bool spit(const char *path, const void *data, size_t size)
{
	FILE *f = fopen(path, "wb");
	if (f == NULL)
		return false;
	bool ok = fwrite(data, 1, size, f) == size;
	return fclose(f) == 0 && ok;
}

/* The next whitespace-separated token of a PNM header (comments skipped). */
static const char *pnm_token(const uint8_t *d, size_t n, size_t *at, char *tok,
			     size_t tok_size)
{
	size_t i = *at, k = 0;
	for (;;) {
		while (i < n && (d[i] == ' ' || d[i] == '\t' || d[i] == '\n' ||
				 d[i] == '\r'))
			i++;
		if (i < n && d[i] == '#') {
			while (i < n && d[i] != '\n')
				i++;
			continue;
		}
		break;
	}
	while (i < n && k + 1 < tok_size && d[i] != ' ' && d[i] != '\t' &&
	       d[i] != '\n' && d[i] != '\r')
		tok[k++] = (char)d[i++];
	tok[k] = 0;
	*at = i;
	return tok;
}

bool pnm_read(const char *path, pnm *out)
{
	size_t n, at = 2;
	char tok[64];
	memset(out, 0, sizeof *out);
	out->file = slurp(path, &n);
	if (out->file == NULL || n < 3 || out->file[0] != 'P')
		return false;
	char kind = (char)out->file[1];
	if (kind == '7') {
		for (;;) {
			pnm_token(out->file, n, &at, tok, sizeof tok);
			if (strcmp(tok, "ENDHDR") == 0 || tok[0] == 0)
				break;
			char val[64];
			pnm_token(out->file, n, &at, val, sizeof val);
			if (strcmp(tok, "WIDTH") == 0)
				out->width = (uint32_t)atol(val);
			else if (strcmp(tok, "HEIGHT") == 0)
				out->height = (uint32_t)atol(val);
			else if (strcmp(tok, "DEPTH") == 0)
				out->depth = (uint32_t)atol(val);
			else if (strcmp(tok, "MAXVAL") == 0)
				out->maxval = (uint32_t)atol(val);
		}
	} else if (kind == '5' || kind == '6') {
		out->depth = kind == '5' ? 1 : 3;
		out->width = (uint32_t)atol(
			pnm_token(out->file, n, &at, tok, sizeof tok));
		out->height = (uint32_t)atol(
			pnm_token(out->file, n, &at, tok, sizeof tok));
		out->maxval = (uint32_t)atol(
			pnm_token(out->file, n, &at, tok, sizeof tok));
	} else {
		return false;
	}
	at++; /* the one whitespace byte after the header */
	out->size = (size_t)out->width * out->height * out->depth *
		    (out->maxval > 255 ? 2 : 1);
	if (at + out->size > n)
		return false;
	out->samples = out->file + at;
	return true;
}

void *codec_config(const fp_codec_side *side, const char *const *settings)
{
	fp_stage_descriptor desc = {
		.name = "codec_test",
		.params = side->params,
		.param_count = side->param_count,
		.config_size = side->config_size,
	};
	char err[256];
	void *cfg = fp__params_new(&desc, err, sizeof err);
	if (cfg == NULL)
		fail_msg("defaults: %s", err);
	for (size_t i = 0; settings != NULL && settings[i] != NULL; i += 2)
		if (fp__params_set(&desc, cfg, settings[i], settings[i + 1],
				   err, sizeof err) != 0)
			fail_msg("%s", err);
	return cfg;
}

fp_frame *test_frame_new(size_t capacity, uint32_t meta_capacity)
{
	fp_frame *f = calloc(1, sizeof *f);
	assert_non_null(f);
	f->pixels = malloc(capacity);
	assert_non_null(f->pixels);
	f->capacity = capacity;
	f->error_size = 512;
	f->error = calloc(1, f->error_size);
	assert_non_null(f->error);
	if (meta_capacity > 0) {
		f->meta = calloc(1, sizeof(fp_meta) + meta_capacity);
		assert_non_null(f->meta);
		f->meta->capacity = meta_capacity;
	}
	return f;
}

void test_frame_free(fp_frame *f)
{
	if (f == NULL)
		return;
	free(f->pixels);
	free(f->error);
	free(f->meta);
	free(f);
}

int codec_decode(const fp_codec *codec, const char *const *settings,
		 const char *path, uint32_t hint_w, uint32_t hint_h,
		 fp_frame *f)
{
	void *cfg = codec_config(&codec->decoder, settings);
	f->input_path = path;
	f->hint_width = hint_w;
	f->hint_height = hint_h;
	f->error[0] = 0;
	int rc = codec->decode(cfg, f);
	free(cfg);
	return rc;
}

int codec_encode(const fp_codec *codec, const char *const *settings,
		 fp_frame *f, const char *path)
{
	void *cfg = codec_config(&codec->encoder, settings);
	f->output_path = path;
	f->error[0] = 0;
	int rc = codec->encode(cfg, f);
	free(cfg);
	return rc;
}

bool one_line(const char *text)
{
	return text != NULL && text[0] != 0 && strchr(text, '\n') == NULL;
}
