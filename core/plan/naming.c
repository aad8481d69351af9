#include "naming.h"

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "framepipe/error.h"

/* Pieces of one input's path, pointing into it (never copied into a
 * fixed buffer, so a deep {dir} is never cut short). */
typedef struct name_parts {
	char synthetic[32]; /* frame_000012, when there is no input file */
	const char *name;
	const char *dir;
	size_t dir_len;
	const char *stem;
	size_t stem_len;
	const char *ext; /* without the dot, "" when none */
	uint32_t index;
} name_parts;

static void split_input(name_parts *parts, const char *rel_path, uint32_t index)
{
	parts->index = index;
	parts->dir = "";
	parts->dir_len = 0;
	if (rel_path == NULL) {
		snprintf(parts->synthetic, sizeof parts->synthetic,
			 "frame_%06u", index);
		parts->name = parts->synthetic;
	} else {
		const char *slash = strrchr(rel_path, '/');
		parts->name = slash != NULL ? slash + 1 : rel_path;
		if (slash != NULL) {
			parts->dir = rel_path;
			parts->dir_len = (size_t)(slash - rel_path);
		}
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

/* The text of placeholder {key} (key_len bytes), or NULL if unknown. */
static const char *placeholder(const name_parts *parts, const char *key,
			       size_t key_len, char *piece, size_t piece_size,
			       size_t *len)
{
	const char *text = NULL;
	*len = 0;
	if (key_len == 4 && strncmp(key, "stem", 4) == 0) {
		*len = parts->stem_len;
		return parts->stem;
	}
	if (key_len == 4 && strncmp(key, "name", 4) == 0)
		text = parts->name;
	else if (key_len == 3 && strncmp(key, "ext", 3) == 0)
		text = parts->ext;
	else if (key_len == 3 && strncmp(key, "dir", 3) == 0) {
		*len = parts->dir_len;
		return parts->dir;
	} else if (key_len == 5 && strncmp(key, "index", 5) == 0) {
		snprintf(piece, piece_size, "%u", parts->index);
		text = piece;
	} else if (key_len == 8 && strncmp(key, "index:0", 7) == 0 &&
		   key[7] >= '1' && key[7] <= '9') {
		snprintf(piece, piece_size, "%0*u", key[7] - '0', parts->index);
		text = piece;
	}
	if (text != NULL)
		*len = strlen(text);
	return text;
}

/* Expand template; -1 on an unknown placeholder (*bad points at it) or
 * overflow. */
static int expand(const char *template, const name_parts *parts, char *out,
		  size_t size, const char **bad)
{
	size_t n = 0;
	for (const char *p = template; *p != '\0';) {
		char piece[32];
		const char *text = p;
		size_t len = 1;
		if (*p == '{') {
			const char *close = strchr(p, '}');
			text = close == NULL
				       ? NULL
				       : placeholder(parts, p + 1,
						     (size_t)(close - p - 1),
						     piece, sizeof piece, &len);
			if (text == NULL) {
				*bad = p;
				return -1;
			}
			p = close + 1;
			/* An empty {dir} takes its separator with it. */
			if (len == 0 && *p == '/' && text == parts->dir)
				p++;
		} else {
			p++;
		}
		if (n + len >= size)
			return -1;
		memcpy(out + n, text, len);
		n += len;
	}
	out[n] = '\0';
	return 0;
}

/* Relative, and every component a plain name. */
static bool is_safe_relative(const char *path)
{
	if (path[0] == '\0' || path[0] == '/')
		return false;
	for (const char *c = path; c != NULL;) {
		const char *slash = strchr(c, '/');
		size_t n = slash != NULL ? (size_t)(slash - c) : strlen(c);
		if (n == 0 || (n == 1 && c[0] == '.') ||
		    (n == 2 && c[0] == '.' && c[1] == '.'))
			return false;
		c = slash != NULL ? slash + 1 : NULL;
	}
	return true;
}

int fp__output_template_check(const char *template, char *err, size_t err_size)
{
	name_parts parts;
	split_input(&parts, "example.png", 0);
	char out[PATH_MAX];
	const char *bad = NULL;
	if (expand(template, &parts, out, sizeof out, &bad) != 0) {
		if (bad != NULL)
			snprintf(err, err_size,
				 "expected placeholders {stem}, {name}, {ext}, "
				 "{index}, {index:0N} or {dir}, got '%.20s'",
				 bad);
		else
			snprintf(err, err_size, "template too long: '%s'",
				 template);
		return FP_ECONFIG;
	}
	if (!is_safe_relative(out)) {
		snprintf(err, err_size,
			 "expected a relative name inside the output folder "
			 "(no leading '/', no '.' or '..' parts), got '%s'",
			 template);
		return FP_ECONFIG;
	}
	return 0;
}

bool fp__output_keeps_ext(const char *template)
{
	name_parts png, jpg;
	split_input(&png, "example.png", 0);
	split_input(&jpg, "example.jpg", 0);
	char a[PATH_MAX], b[PATH_MAX];
	const char *bad = NULL;
	return expand(template, &png, a, sizeof a, &bad) == 0 &&
	       expand(template, &jpg, b, sizeof b, &bad) == 0 &&
	       strcmp(a, b) != 0;
}

int fp__output_path(const char *output_dir, const char *template,
		    const char *rel_path, uint32_t index, char *buf,
		    size_t size)
{
	name_parts parts;
	split_input(&parts, rel_path, index);
	char name[PATH_MAX];
	const char *bad = NULL;
	if (expand(template, &parts, name, sizeof name, &bad) != 0 ||
	    !is_safe_relative(name))
		return FP_ECONFIG;
	/* "-o thumbs/" names thumbs/x.jpg, not thumbs//x.jpg */
	size_t dir_len = strlen(output_dir);
	while (dir_len > 0 && output_dir[dir_len - 1] == '/')
		dir_len--;
	int n = snprintf(buf, size, "%.*s/%s", (int)dir_len, output_dir, name);
	return n < 0 || (size_t)n >= size ? FP_ECONFIG : 0;
}
