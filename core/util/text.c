#include "text.h"

#include <string.h>

void fp__put_escaped(FILE *f, const char *text)
{
	for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
		if (*p == '\n')
			fputs("\\n", f);
		else if (*p == '\t')
			fputs("\\t", f);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(f, "\\x%02x", *p);
		else
			fputc(*p, f);
	}
}

size_t fp__escape(char *buf, size_t size, const char *text)
{
	return fp__escape_n(buf, size, text, strlen(text));
}

size_t fp__escape_n(char *buf, size_t size, const char *text, size_t len)
{
	size_t n = 0;
	const unsigned char *p = (const unsigned char *)text;
	for (const unsigned char *end = p + len; p < end && n + 5 < size; p++) {
		if (*p == '\n' || *p == '\t') {
			buf[n++] = '\\';
			buf[n++] = *p == '\n' ? 'n' : 't';
		} else if (*p < 0x20 || *p == 0x7f) {
			n += (size_t)snprintf(buf + n, size - n, "\\x%02x", *p);
		} else {
			buf[n++] = (char)*p;
		}
	}
	if (size > 0)
		buf[n] = '\0';
	return n;
}

void fp__put_wrapped(FILE *f, const char *text, size_t width,
		     const char *indent)
{
	size_t lead = 0; /* columns the current line starts with */
	for (const char *p = text; *p != '\0';) {
		size_t room = width > lead + 1 ? width - lead : 1;
		size_t len = strlen(p);
		size_t take = len;
		if (len > room) {
			take = room;
			while (take > 0 && p[take] != ' ')
				take--;
			if (take == 0) /* one word longer than a line */
				take = room;
		}
		fwrite(p, 1, take, f);
		fputc('\n', f);
		p += take;
		while (*p == ' ')
			p++;
		if (*p != '\0') {
			fputs(indent, f);
			lead = strlen(indent);
		}
	}
}

void fp__shorten_middle(char *buf, size_t size, const char *text, size_t width)
{
	size_t len = strlen(text);
	if (len <= width || width < 8) {
		snprintf(buf, size, "%s", text);
		return;
	}
	size_t head = (width - 3) / 3, tail = width - 3 - head;
	snprintf(buf, size, "%.*s...%s", (int)head, text, text + len - tail);
}
