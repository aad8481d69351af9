#include "naming.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "framepipe/error.h"

typedef struct name_parts {
	char name[256];
	const char *stem;
	size_t stem_len;
	const char *ext; /* without the dot, "" when none */
	uint32_t index;
} name_parts;

static void split_input(name_parts *parts, const char *input_path,
			uint32_t index)
{
	parts->index = index;
	if (input_path == NULL) {
		snprintf(parts->name, sizeof parts->name, "frame_%06u", index);
	} else {
		const char *slash = strrchr(input_path, '/');
		snprintf(parts->name, sizeof parts->name, "%s",
			 slash != NULL ? slash + 1 : input_path);
	}
	parts->stem = parts->name;
	const char *dot = strrchr(parts->name, '.');
	/* A leading dot (".hidden") is part of the stem, not an extension. */
	if (dot != NULL && dot != parts->name) {
		parts->stem_len = (size_t)(dot - parts->name);
		parts->ext = dot + 1;
	} else {
		parts->stem_len = strlen(parts->name);
		parts->ext = "";
	}
}

/* Expand template; -1 on an unknown placeholder or overflow. */
static int expand(const char *template, const name_parts *parts, char *out,
		  size_t size, const char **bad)
{
	size_t n = 0;
	for (const char *p = template; *p != '\0';) {
		char piece[32];
		const char *text = NULL;
		size_t len = 0;
		if (*p == '{') {
			const char *close = strchr(p, '}');
			size_t key =
				close != NULL ? (size_t)(close - p - 1) : 0;
			if (close != NULL && key == 4 &&
			    !strncmp(p + 1, "stem", 4)) {
				text = parts->stem;
				len = parts->stem_len;
			} else if (close != NULL && key == 4 &&
				   !strncmp(p + 1, "name", 4)) {
				text = parts->name;
			} else if (close != NULL && key == 3 &&
				   !strncmp(p + 1, "ext", 3)) {
				text = parts->ext;
			} else if (close != NULL && key == 5 &&
				   !strncmp(p + 1, "index", 5)) {
				snprintf(piece, sizeof piece, "%u",
					 parts->index);
				text = piece;
			} else {
				*bad = p;
				return -1;
			}
			if (len == 0)
				len = strlen(text);
			p = close + 1;
		} else {
			text = p++;
			len = 1;
		}
		if (n + len >= size)
			return -1;
		memcpy(out + n, text, len);
		n += len;
	}
	out[n] = '\0';
	return 0;
}

static bool is_plain_name(const char *name)
{
	return name[0] != '\0' && strchr(name, '/') == NULL &&
	       strcmp(name, ".") != 0 && strcmp(name, "..") != 0;
}

int fp__output_template_check(const char *template, char *err, size_t err_size)
{
	name_parts parts;
	split_input(&parts, "example.png", 0);
	char out[512];
	const char *bad = NULL;
	if (expand(template, &parts, out, sizeof out, &bad) != 0) {
		if (bad != NULL)
			snprintf(err, err_size,
				 "expected placeholders {stem}, "
				 "{name}, {ext} or {index}, got '%.20s'",
				 bad);
		else
			snprintf(err, err_size, "template too long: '%s'",
				 template);
		return FP_ECONFIG;
	}
	if (!is_plain_name(out)) {
		snprintf(err, err_size,
			 "expected a file name without '/', "
			 "got '%s'",
			 template);
		return FP_ECONFIG;
	}
	return 0;
}

int fp__output_path(const char *output_dir, const char *template,
		    const char *input_path, uint32_t index, char *buf,
		    size_t size)
{
	name_parts parts;
	split_input(&parts, input_path, index);
	char name[512];
	const char *bad = NULL;
	if (expand(template, &parts, name, sizeof name, &bad) != 0 ||
	    !is_plain_name(name))
		return FP_ECONFIG;
	int n = snprintf(buf, size, "%s/%s", output_dir, name);
	return n < 0 || (size_t)n >= size ? FP_ECONFIG : 0;
}
