#include "catalog.h"

#include "frame_check.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "loader.h"
#include "params.h"
#include "suggest.h"

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool is_known(const fp_catalog *catalog, const char *name)
{
	for (size_t i = 0; i < catalog->count; i++)
		if (!catalog->entries[i].is_broken &&
		    strcmp(catalog->entries[i].name, name) == 0)
			return true;
	return false;
}

static int add(fp_catalog *catalog, const char *dir, const char *file,
	       bool builtin)
{
	fp_catalog_entry *grown =
		realloc(catalog->entries, (catalog->count + 1) * sizeof *grown);
	if (grown == NULL)
		return -ENOMEM;
	catalog->entries = grown;
	fp_catalog_entry *e = &grown[catalog->count];
	memset(e, 0, sizeof *e);
	size_t len = strlen(dir) + strlen(file) + 2;
	e->path = malloc(len);
	e->name = strndup(file, strlen(file) - 3);
	if (e->path == NULL || e->name == NULL) {
		free(e->path);
		free(e->name);
		return -ENOMEM;
	}
	snprintf(e->path, len, "%s/%s", dir, file);
	e->is_builtin = builtin;
	e->is_shadowed = is_known(catalog, e->name);
	char err[512];
	fp_plugin plugin;
	if (fp__plugin_open(&plugin, e->path, err, sizeof err) != 0) {
		e->is_broken = true;
		e->summary = strdup(err);
	} else {
		e->kind = plugin.desc->kind;
		e->summary = strdup(plugin.desc->summary ? plugin.desc->summary
							 : "");
		fp__plugin_close(&plugin);
	}
	catalog->count++;
	return 0;
}

/* The stage files (NAME.so, sorted) of dir; *count of them. NULL and 0
 * when the folder is not there or is empty. */
static char **stage_files(const char *dir, size_t *count)
{
	*count = 0;
	DIR *d = opendir(dir);
	if (d == NULL)
		return NULL;
	char **files = NULL;
	size_t n = 0;
	for (struct dirent *de; (de = readdir(d)) != NULL;) {
		size_t len = strlen(de->d_name);
		if (len < 4 || strcmp(de->d_name + len - 3, ".so") != 0 ||
		    de->d_name[0] == '.')
			continue;
		char **grown = realloc(files, (n + 1) * sizeof *files);
		if (grown == NULL)
			break;
		files = grown;
		files[n] = strdup(de->d_name);
		n += files[n] != NULL;
	}
	closedir(d);
	if (n > 0)
		qsort(files, n, sizeof *files, compare_names);
	*count = n;
	return files;
}

static void free_files(char **files, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(files[i]);
	free(files);
}

int fp__catalog_load(fp_catalog *catalog)
{
	memset(catalog, 0, sizeof *catalog);
	int rc = 0;
	fp_plugin_dirs it = {0};
	while (rc == 0 && fp__plugin_dirs_next(&it)) {
		size_t n;
		char **files = stage_files(it.dir, &n);
		for (size_t i = 0; rc == 0 && i < n; i++)
			rc = add(catalog, it.dir, files[i], it.is_builtin);
		free_files(files, n);
	}
	return rc;
}

bool fp__stage_name_suggest(const char *name, char *out, size_t size)
{
	fp_suggest s;
	fp__suggest_init(&s, name);
	fp_plugin_dirs it = {0};
	while (fp__plugin_dirs_next(&it)) {
		size_t n;
		char **files = stage_files(it.dir, &n);
		for (size_t i = 0; i < n; i++) {
			files[i][strlen(files[i]) - 3] = '\0';
			const char *before = fp__suggest_best(&s);
			fp__suggest_offer(&s, files[i]);
			if (fp__suggest_best(&s) != before) {
				/* keep it: the listing is freed below */
				snprintf(out, size, "%s", files[i]);
				s.best = out;
			}
		}
		free_files(files, n);
	}
	return fp__suggest_best(&s) != NULL;
}

void fp__catalog_release(fp_catalog *catalog)
{
	for (size_t i = 0; i < catalog->count; i++) {
		free(catalog->entries[i].name);
		free(catalog->entries[i].path);
		free(catalog->entries[i].summary);
	}
	free(catalog->entries);
	memset(catalog, 0, sizeof *catalog);
}

void fp__params_describe(FILE *out, const fp_stage_descriptor *desc)
{
	for (size_t i = 0; i < desc->param_count; i++) {
		const fp_param *p = &desc->params[i];
		char range[160] = "";
		if (p->type == FP_PARAM_CHOICE)
			snprintf(range, sizeof range, "one of %s", p->choices);
		else if (p->type == FP_PARAM_INT || p->type == FP_PARAM_FLOAT ||
			 p->type == FP_PARAM_SIZE)
			fp__param_range(p, range, sizeof range);
		fprintf(out, "  %-14s %-8s default %-10s %s\n", p->name,
			fp__param_type_name(p->type),
			p->default_value ? p->default_value : "(required)",
			range);
		if (p->help != NULL)
			fprintf(out, "  %-14s %s\n", "", p->help);
	}
}

/* What the stage takes and makes, with its parameters' defaults: a
 * source's formats; a sink's; for a filter, each format it takes and what
 * it makes of it ("RGB8 -> G8"), from its shape function. */
static void describe_formats(FILE *out, const fp_stage_descriptor *desc)
{
	uint32_t takes = fp__stage_formats(desc);
	char why[256];
	void *config = fp__params_new(desc, why, sizeof why);
	if (desc->kind == FP_STAGE_SOURCE) {
		fp_shape made = {.formats = FP_FORMATS_8BIT};
		if (desc->shape != NULL && config != NULL)
			(void)desc->shape(config, NULL, &made, why, sizeof why);
		fputs("  makes:    ", out);
		for (int f = FP_FORMAT_FIRST; f <= FP_FORMAT_LAST; f++)
			if (made.formats & FP_FORMAT_BIT(f))
				fprintf(out, " %s",
					fp_format_name((fp_format)f));
		fputs(" (with its default parameters)\n", out);
	} else if (desc->kind == FP_STAGE_SINK || desc->shape == NULL ||
		   config == NULL) {
		fputs("  accepts:  ", out);
		for (int f = FP_FORMAT_FIRST; f <= FP_FORMAT_LAST; f++)
			if (takes & FP_FORMAT_BIT(f))
				fprintf(out, " %s",
					fp_format_name((fp_format)f));
		fputs(desc->kind == FP_STAGE_FILTER ? " (each kept as it is)\n"
						    : "\n",
		      out);
	} else {
		fputs("  formats:  ", out);
		const char *sep = "";
		for (int f = FP_FORMAT_FIRST; f <= FP_FORMAT_LAST; f++) {
			if (!(takes & FP_FORMAT_BIT(f)))
				continue;
			fp_shape in = {.width = 64,
				       .height = 64,
				       .formats = FP_FORMAT_BIT(f)},
				 made = {0};
			fprintf(out, "%s%s ->", sep,
				fp_format_name((fp_format)f));
			if (desc->shape(config, &in, &made, why, sizeof why) !=
			    0)
				fputs(" (refused)", out);
			for (int g = FP_FORMAT_FIRST; g <= FP_FORMAT_LAST; g++)
				if (made.formats & FP_FORMAT_BIT(g))
					fprintf(out, " %s",
						fp_format_name((fp_format)g));
			sep = ", ";
		}
		fputc('\n', out);
	}
	if (config != NULL)
		fp__params_free(desc, config);
}

/* The old spellings of desc's parameters (aliases.h), if it has any. */
static void describe_aliases(FILE *out, const fp_stage_descriptor *desc)
{
	size_t count;
	const fp__alias *a = fp__aliases(&count);
	bool first = true;
	for (size_t i = 0; i < count; i++) {
		if (strcmp(a[i].stage, desc->name) != 0)
			continue;
		if (first)
			fputs("\nold spellings (still taken, with a note):\n",
			      out);
		first = false;
		char old[96], now[96];
		snprintf(old, sizeof old, "%s%s%s", a[i].param,
			 a[i].value ? " = " : "", a[i].value ? a[i].value : "");
		snprintf(now, sizeof now, "%s%s%s", a[i].new_param,
			 a[i].new_value ? " = " : "",
			 a[i].new_value ? a[i].new_value : "");
		fprintf(out, "  %-22s -> %s\n", old, now);
	}
}

const char *fp__stage_kind_name(fp_stage_kind kind)
{
	return kind == FP_STAGE_SOURCE	 ? "source"
	       : kind == FP_STAGE_FILTER ? "filter"
	       : kind == FP_STAGE_SINK	 ? "sink"
					 : "?";
}

void fp__stage_describe(FILE *out, const fp_stage_descriptor *desc,
			const char *path)
{
	fprintf(out, "%s — %s\n\n", desc->name,
		desc->summary ? desc->summary : "");
	/* ABI 1.1; the loader's copy has it NULL for older plugins. */
	if (desc->description != NULL)
		fprintf(out, "%s\n\n", desc->description);
	fprintf(out, "  kind:      %s%s\n", fp__stage_kind_name(desc->kind),
		desc->flags & FP_STAGE_OUT_OF_PLACE
			? " (writes a second slot: may change the size)"
			: "");
	fprintf(out, "  file:      %s\n", path);
	fprintf(out, "  ABI:       %u.%u\n", desc->abi_major, desc->abi_minor);
	describe_formats(out, desc);
	if (desc->flags & FP_STAGE_READS_INPUTS)
		fputs("  reads:     the input files (-i)\n", out);
	if (desc->flags & FP_STAGE_WRITES_OUTPUTS)
		fputs("  writes:    files into the output folder (-o)\n", out);
	fprintf(out, "\nparameters:%s\n", desc->param_count ? "" : " none");
	fp__params_describe(out, desc);
	describe_aliases(out, desc);
}
