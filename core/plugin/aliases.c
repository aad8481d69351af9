#include "aliases.h"

#include <string.h>

#include "framepipe/stage.h"

/* Old spelling -> new, for every 1.x. Rows with a value come before a
 * row renaming the same parameter for any value. */
static const fp__alias aliases[] = {
	/* colours are `color` */
	{"alpha_flatten", "background", NULL, "color", NULL},
	/* luma coefficients are `luma` */
	{"grayscale", "weights", NULL, "luma", NULL},
	{"y4m_read", "matrix", NULL, "luma", NULL},
	{"y4m_write", "matrix", NULL, "luma", NULL},
	/* pixel formats: format is a frame format (g8 .. rgba16), layout the
	 * channels (g ga rgb rgba), depth the bits; keep leaves it as it is */
	{"png_decode", "format", "rgba", "layout", "rgba"},
	{"png_decode", "format", "rgb", "layout", "rgb"},
	{"png_decode", "format", "gray", "layout", "g"},
	{"png_decode", "format", "ga", "layout", "ga"},
	{"y4m_read", "format", "auto", "format", "keep"},
	{"y4m_read", "format", "rgb", "format", "rgb8"},
	{"y4m_read", "format", "gray", "format", "g8"},
	/* one channel is gray, never mono */
	{"y4m_write", "chroma", "mono", "chroma", "gray"},
	/* zlib strategies named for what they do */
	{"png_encode", "strategy", "default", "strategy", "full"},
	{"png_encode", "strategy", "filtered", "strategy", "long"},
};

static bool noted[FP_COUNT_OF(aliases)];

const fp__alias *fp__aliases(size_t *count)
{
	*count = FP_COUNT_OF(aliases);
	return aliases;
}

static const fp__alias *find(const char *stage, size_t stage_len,
			     const char *param, const char *value)
{
	for (size_t i = 0; i < FP_COUNT_OF(aliases); i++) {
		const fp__alias *a = &aliases[i];
		if (strlen(a->stage) == stage_len &&
		    strncmp(a->stage, stage, stage_len) == 0 &&
		    strcmp(a->param, param) == 0 &&
		    (a->value == NULL || strcmp(a->value, value) == 0))
			return a;
	}
	return NULL;
}

const fp__alias *fp__alias_find(const char *stage, const char *param,
				const char *value)
{
	const char *dot = strchr(param, '.');
	bool generic =
		strcmp(stage, "decode") == 0 || strcmp(stage, "encode") == 0;
	if (!generic || dot == NULL)
		return find(stage, strlen(stage), param, value);
	/* decode's png.format is png_decode's format */
	char codec_stage[64];
	int n = snprintf(codec_stage, sizeof codec_stage, "%.*s_%s",
			 (int)(dot - param), param, stage);
	if (n < 0 || (size_t)n >= sizeof codec_stage)
		return NULL;
	return find(codec_stage, (size_t)n, dot + 1, value);
}

void fp__alias_apply(const fp__alias *a, const char *param, const char *value,
		     char *name, size_t name_size, const char **new_value)
{
	const char *dot = strchr(param, '.');
	int prefix = dot != NULL && strcmp(dot + 1, a->param) == 0
			     ? (int)(dot - param + 1)
			     : 0;
	snprintf(name, name_size, "%.*s%s", prefix, param, a->new_param);
	*new_value = a->new_value != NULL ? a->new_value : value;
}

bool fp__alias_note(const fp__alias *a, const char *where, const char *label,
		    const char *param, const char *value, FILE *out)
{
	size_t i = (size_t)(a - aliases);
	if (i >= FP_COUNT_OF(aliases) || noted[i])
		return false;
	noted[i] = true;
	char name[128];
	const char *new_value;
	fp__alias_apply(a, param, value, name, sizeof name, &new_value);
	fprintf(out,
		"framepipe: %s: note: %s.%s = %s is now spelled %s.%s = %s "
		"(the old spelling works in every 1.x)\n",
		where, label, param, value, label, name, new_value);
	return true;
}

void fp__alias_reset_notes(void)
{
	memset(noted, 0, sizeof noted);
}
