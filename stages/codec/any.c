#include "any.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

/* FP_ANY_<CODEC>: defined by stages/CMakeLists.txt for each codec built. */
const fp_codec *const fp_codecs[] = {
#ifdef FP_ANY_PNG
	&fp_codec_png,
#endif
#ifdef FP_ANY_JPEG
	&fp_codec_jpeg,
#endif
#ifdef FP_ANY_WEBP
	&fp_codec_webp,
#endif
#ifdef FP_ANY_TIFF
	&fp_codec_tiff,
#endif
};
const size_t fp_codec_count = sizeof fp_codecs / sizeof fp_codecs[0];

static const fp_codec_side *side_of(const fp_codec *c, int decoder)
{
	return decoder ? &c->decoder : &c->encoder;
}

static int has_side(const fp_codec *c, int decoder)
{
	return decoder ? c->decode != NULL : c->encode != NULL;
}

int fp__any_table_build(fp_any_table *t, int decoder)
{
	size_t at = 0;
	memset(t, 0, sizeof *t);
	if (fp_codec_count > sizeof t->offsets / sizeof t->offsets[0])
		return -1;
	for (size_t i = 0; i < fp_codec_count; i++) {
		const fp_codec *c = fp_codecs[i];
		const fp_codec_side *s = side_of(c, decoder);
		at = (at + alignof(max_align_t) - 1) / alignof(max_align_t) *
		     alignof(max_align_t);
		t->offsets[i] = at;
		if (!has_side(c, decoder))
			continue;
		if (at + s->config_size > FP_ANY_CONFIG_BYTES)
			return -1;
		for (size_t k = 0; k < s->param_count; k++) {
			if (t->count == FP_ANY_MAX_PARAMS)
				return -1;
			fp_param *p = &t->params[t->count];
			*p = s->params[k];
			int n = snprintf(t->names[t->count],
					 sizeof t->names[t->count], "%s.%s",
					 c->name, s->params[k].name);
			if (n < 0 || (size_t)n >= sizeof t->names[t->count])
				return -1;
			p->name = t->names[t->count];
			p->offset += at;
			t->count++;
		}
		at += s->config_size;
	}
	return 0;
}

int fp__any_check(const fp_any_table *table, int decoder, const void *config,
		  char *err, size_t err_size)
{
	for (size_t i = 0; i < fp_codec_count; i++) {
		const fp_codec *c = fp_codecs[i];
		const fp_codec_side *s = side_of(c, decoder);
		if (!has_side(c, decoder) || s->check == NULL)
			continue;
		char why[256] = "";
		int rc = s->check(fp__any_block(table, config, i), why,
				  sizeof why);
		if (rc != 0) {
			snprintf(err, err_size, "%s.%s", c->name, why);
			return rc;
		}
	}
	return 0;
}

const fp_codec *fp__any_sniff(const unsigned char *head, size_t size,
			      size_t *index)
{
	for (size_t i = 0; i < fp_codec_count; i++)
		if (fp_codecs[i]->decode != NULL &&
		    fp_codecs[i]->sniff(head, size)) {
			*index = i;
			return fp_codecs[i];
		}
	return NULL;
}

const fp_codec *fp__any_by_stage(const char *stage, const char *suffix)
{
	for (size_t i = 0; i < fp_codec_count; i++) {
		size_t n = strlen(fp_codecs[i]->name);
		if (strncmp(stage, fp_codecs[i]->name, n) == 0 &&
		    strcmp(stage + n, suffix) == 0)
			return fp_codecs[i];
	}
	return NULL;
}

/* Whether ext (no dot) is one of the '|'-separated names in list. */
static int in_list(const char *list, const char *ext)
{
	size_t n = strlen(ext);
	for (const char *p = list; *p != '\0';) {
		size_t len = strcspn(p, "|");
		if (len == n && strncasecmp(p, ext, n) == 0)
			return 1;
		p += len;
		if (*p == '|')
			p++;
	}
	return 0;
}

const fp_codec *fp__any_by_extension(const char *path, size_t *index)
{
	const char *slash = strrchr(path, '/');
	const char *dot = strrchr(slash != NULL ? slash + 1 : path, '.');
	if (dot == NULL)
		return NULL;
	for (size_t i = 0; i < fp_codec_count; i++)
		if (fp_codecs[i]->encode != NULL &&
		    in_list(fp_codecs[i]->extensions, dot + 1)) {
			*index = i;
			return fp_codecs[i];
		}
	return NULL;
}

const char *fp__any_names(int decoder, char *buf, size_t size)
{
	size_t at = 0, total = 0, n = 0;
	for (size_t i = 0; i < fp_codec_count; i++)
		total += has_side(fp_codecs[i], decoder) != 0;
	buf[0] = '\0';
	for (size_t i = 0; i < fp_codec_count && at < size; i++) {
		if (!has_side(fp_codecs[i], decoder))
			continue;
		n++;
		const char *ext = fp_codecs[i]->extensions;
		int w = snprintf(buf + at, size - at, "%s%.*s",
				 n == 1	      ? ""
				 : n == total ? " or "
					      : ", ",
				 (int)strcspn(ext, "|"), ext);
		if (w < 0)
			break;
		at += (size_t)w;
	}
	return buf;
}
