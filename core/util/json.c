#include "json.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "framepipe/error.h"

#define MAX_DEPTH 64

typedef struct parser {
	const char *p, *end, *start;
	char *err;
	size_t err_size;
	int rc;
} parser;

static int fail(parser *ps, const char *what)
{
	if (ps->rc == 0) {
		ps->rc = FP_ECORRUPT;
		snprintf(ps->err, ps->err_size, "byte %zu: expected %s",
			 (size_t)(ps->p - ps->start), what);
	}
	return ps->rc;
}

static int no_memory(parser *ps)
{
	if (ps->rc == 0) {
		ps->rc = -ENOMEM;
		snprintf(ps->err, ps->err_size, "out of memory");
	}
	return ps->rc;
}

static void skip_space(parser *ps)
{
	while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t' ||
				   *ps->p == '\n' || *ps->p == '\r'))
		ps->p++;
}

static bool literal(parser *ps, const char *word)
{
	size_t n = strlen(word);
	if ((size_t)(ps->end - ps->p) < n || memcmp(ps->p, word, n) != 0)
		return false;
	ps->p += n;
	return true;
}

static int hex4(parser *ps, unsigned *code)
{
	*code = 0;
	for (int i = 0; i < 4; i++, ps->p++) {
		char c = ps->p < ps->end ? *ps->p : '\0';
		int d = c >= '0' && c <= '9'   ? c - '0'
			: c >= 'a' && c <= 'f' ? c - 'a' + 10
			: c >= 'A' && c <= 'F' ? c - 'A' + 10
					       : -1;
		if (d < 0)
			return fail(ps, "4 hex digits after \\u");
		*code = *code * 16 + (unsigned)d;
	}
	return 0;
}

static size_t put_utf8(char *out, unsigned code)
{
	if (code < 0x80) {
		out[0] = (char)code;
		return 1;
	}
	if (code < 0x800) {
		out[0] = (char)(0xC0 | code >> 6);
		out[1] = (char)(0x80 | (code & 0x3F));
		return 2;
	}
	if (code < 0x10000) {
		out[0] = (char)(0xE0 | code >> 12);
		out[1] = (char)(0x80 | ((code >> 6) & 0x3F));
		out[2] = (char)(0x80 | (code & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | code >> 18);
	out[1] = (char)(0x80 | ((code >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((code >> 6) & 0x3F));
	out[3] = (char)(0x80 | (code & 0x3F));
	return 4;
}

static int escape(parser *ps, char *out, size_t *n)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	char c = ps->p < ps->end ? *ps->p++ : '\0';
	const char *at = c != '\0' ? strchr(from, c) : NULL;
	if (at != NULL) {
		out[(*n)++] = to[at - from];
		return 0;
	}
	if (c != 'u')
		return fail(ps, "an escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t "
				"\\u)");
	unsigned code, low;
	if (hex4(ps, &code) != 0)
		return ps->rc;
	if (code >= 0xD800 && code < 0xDC00 && literal(ps, "\\u")) {
		if (hex4(ps, &low) != 0)
			return ps->rc;
		if (low < 0xDC00 || low > 0xDFFF)
			return fail(ps, "a low surrogate");
		code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
	}
	if (code == 0)
		return fail(ps, "no NUL in a string");
	*n += put_utf8(out + *n, code);
	return 0;
}

/* At the opening quote. */
static int parse_string(parser *ps, char **s)
{
	ps->p++;
	/* Decoded text is never longer than its source. */
	const char *close = ps->p;
	while (close < ps->end && *close != '"')
		close += *close == '\\' ? 2 : 1;
	if (close >= ps->end)
		return fail(ps, "a closing '\"'");
	char *out = malloc((size_t)(close - ps->p) + 1);
	if (out == NULL)
		return no_memory(ps);
	size_t n = 0;
	while (ps->p < ps->end && *ps->p != '"') {
		unsigned char c = (unsigned char)*ps->p;
		if (c < 0x20) {
			free(out);
			return fail(ps, "no control character in a string");
		}
		if (c == '\\') {
			ps->p++;
			if (escape(ps, out, &n) != 0) {
				free(out);
				return ps->rc;
			}
		} else {
			out[n++] = (char)c;
			ps->p++;
		}
	}
	ps->p++;
	out[n] = '\0';
	*s = out;
	return 0;
}

static int parse_value(parser *ps, fp_json *v, int depth);

/* Append one member to an array or object. */
static fp_json *grow(parser *ps, fp_json *v, bool with_key)
{
	fp_json *items = realloc(v->item, (v->count + 1) * sizeof *items);
	if (items == NULL)
		return no_memory(ps), NULL;
	v->item = items;
	if (with_key) {
		char **keys = realloc(v->key, (v->count + 1) * sizeof *keys);
		if (keys == NULL)
			return no_memory(ps), NULL;
		v->key = keys;
		v->key[v->count] = NULL;
	}
	memset(&v->item[v->count], 0, sizeof *items);
	return &v->item[v->count++];
}

static int parse_members(parser *ps, fp_json *v, int depth, char close)
{
	bool is_object = close == '}';
	ps->p++;
	skip_space(ps);
	if (ps->p < ps->end && *ps->p == close) {
		ps->p++;
		return 0;
	}
	for (;;) {
		skip_space(ps);
		fp_json *item = grow(ps, v, is_object);
		if (item == NULL)
			return ps->rc;
		if (is_object) {
			if (ps->p >= ps->end || *ps->p != '"')
				return fail(ps, "a member name in quotes");
			if (parse_string(ps, &v->key[v->count - 1]) != 0)
				return ps->rc;
			skip_space(ps);
			if (ps->p >= ps->end || *ps->p++ != ':')
				return fail(ps, "':' after a member name");
		}
		if (parse_value(ps, item, depth + 1) != 0)
			return ps->rc;
		skip_space(ps);
		char c = ps->p < ps->end ? *ps->p++ : '\0';
		if (c == close)
			return 0;
		if (c != ',')
			return fail(ps,
				    is_object ? "',' or '}'" : "',' or ']'");
	}
}

static int parse_value(parser *ps, fp_json *v, int depth)
{
	memset(v, 0, sizeof *v);
	if (depth > MAX_DEPTH)
		return fail(ps, "less nesting");
	skip_space(ps);
	char c = ps->p < ps->end ? *ps->p : '\0';
	if (c == '{') {
		v->type = FP_JSON_OBJECT;
		return parse_members(ps, v, depth, '}');
	}
	if (c == '[') {
		v->type = FP_JSON_ARRAY;
		return parse_members(ps, v, depth, ']');
	}
	if (c == '"') {
		v->type = FP_JSON_STRING;
		return parse_string(ps, &v->string);
	}
	if (literal(ps, "true") || literal(ps, "false")) {
		v->type = FP_JSON_BOOL;
		v->boolean = ps->p[-1] == 'e' && ps->p[-2] == 'u';
		return 0;
	}
	if (literal(ps, "null"))
		return 0;
	if (c == '-' || (c >= '0' && c <= '9')) {
		char buf[64];
		size_t n = 0;
		while (ps->p + n < ps->end && n + 1 < sizeof buf &&
		       strchr("+-.0123456789eE", ps->p[n]) != NULL) {
			buf[n] = ps->p[n];
			n++;
		}
		buf[n] = '\0';
		char *stop;
		v->type = FP_JSON_NUMBER;
		v->number = strtod(buf, &stop);
		if (stop != buf + n)
			return fail(ps, "a number");
		ps->p += n;
		return 0;
	}
	return fail(ps, "a value");
}

int fp__json_parse(fp_json *value, const char *text, size_t len, char *err,
		   size_t err_size)
{
	parser ps = {text, text + len, text, err, err_size, 0};
	if (parse_value(&ps, value, 0) == 0) {
		skip_space(&ps);
		if (ps.p != ps.end)
			fail(&ps, "the end of the document");
	}
	if (ps.rc != 0)
		fp__json_free(value);
	return ps.rc;
}

void fp__json_free(fp_json *v)
{
	for (size_t i = 0; i < v->count; i++) {
		fp__json_free(&v->item[i]);
		if (v->key != NULL)
			free(v->key[i]);
	}
	free(v->item);
	free(v->key);
	free(v->string);
	memset(v, 0, sizeof *v);
}

const fp_json *fp__json_get(const fp_json *v, const char *key)
{
	if (v == NULL || v->type != FP_JSON_OBJECT)
		return NULL;
	for (size_t i = 0; i < v->count; i++)
		if (v->key[i] != NULL && strcmp(v->key[i], key) == 0)
			return &v->item[i];
	return NULL;
}

void fp__json_write_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p < 0x20)
			fprintf(f, "\\u%04x", *p);
		else
			fputc(*p, f);
	}
	fputc('"', f);
}
