#include "catalog.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "loader.h"
#include "params.h"

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

static int scan(fp_catalog *catalog, const char *dir, bool builtin)
{
	DIR *d = opendir(dir);
	if (d == NULL)
		return 0; /* a folder on the path that is not there */
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
	int rc = 0;
	for (size_t i = 0; i < n; i++) {
		if (rc == 0)
			rc = add(catalog, dir, files[i], builtin);
		free(files[i]);
	}
	free(files);
	return rc;
}

int fp__catalog_load(fp_catalog *catalog)
{
	memset(catalog, 0, sizeof *catalog);
	int rc = scan(catalog, fp__builtin_stage_dir(), true);
	const char *path = getenv("FRAMEPIPE_PLUGIN_PATH");
	while (rc == 0 && path != NULL && *path != '\0') {
		const char *colon = strchr(path, ':');
		size_t len = colon ? (size_t)(colon - path) : strlen(path);
		char *dir = strndup(path, len);
		if (dir == NULL)
			return -ENOMEM;
		if (len > 0)
			rc = scan(catalog, dir, false);
		free(dir);
		path = colon ? colon + 1 : NULL;
	}
	return rc;
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

/* Edit distance (insert, delete, substitute, swap of neighbours). */
static size_t distance(const char *a, const char *b)
{
	size_t n = strlen(a), m = strlen(b);
	if (n > 63 || m > 63)
		return 64;
	size_t d[64][64];
	for (size_t i = 0; i <= n; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= m; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= n; i++) {
		for (size_t j = 1; j <= m; j++) {
			size_t best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
			if (d[i - 1][j] + 1 < best)
				best = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < best)
				best = d[i - 2][j - 2] + 1;
			d[i][j] = best;
		}
	}
	return d[n][m];
}

const char *fp__catalog_suggest(const fp_catalog *catalog, const char *name)
{
	const char *best = NULL;
	size_t best_d = strlen(name) / 3 + 1;
	if (best_d < 2)
		best_d = 2;
	best_d++;
	for (size_t i = 0; i < catalog->count; i++) {
		const fp_catalog_entry *e = &catalog->entries[i];
		size_t d = distance(name, e->name);
		if (!e->is_broken && d < best_d) {
			best = e->name;
			best_d = d;
		}
	}
	return best;
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
			snprintf(range, sizeof range, "%g..%g", p->min, p->max);
		fprintf(out, "  %-14s %-8s default %-10s %s\n", p->name,
			fp__param_type_name(p->type),
			p->default_value ? p->default_value : "(required)",
			range);
		if (p->help != NULL)
			fprintf(out, "  %-14s %s\n", "", p->help);
	}
}

void fp__stage_describe(FILE *out, const fp_stage_descriptor *desc,
			const char *path)
{
	static const char *const kinds[] = {"?", "source", "filter", "sink"};
	fprintf(out, "%s — %s\n\n", desc->name,
		desc->summary ? desc->summary : "");
	/* ABI 1.1; the loader's copy has it NULL for older plugins. */
	if (desc->description != NULL)
		fprintf(out, "%s\n\n", desc->description);
	fprintf(out, "  kind:      %s%s\n", kinds[desc->kind],
		desc->flags & FP_STAGE_OUT_OF_PLACE
			? " (writes a second slot: may change the size)"
			: "");
	fprintf(out, "  file:      %s\n", path);
	fprintf(out, "  ABI:       %u.%u\n", desc->abi_major, desc->abi_minor);
	if (desc->kind != FP_STAGE_SOURCE) {
		fputs("  accepts:  ", out);
		for (int f = FP_FORMAT_G8; f <= FP_FORMAT_RGBA8; f++)
			if (desc->formats & FP_FORMAT_BIT(f))
				fprintf(out, " %s",
					fp_format_name((fp_format)f));
		fputc('\n', out);
	}
	if (desc->flags & FP_STAGE_READS_INPUTS)
		fputs("  reads:     the input files (-i)\n", out);
	if (desc->flags & FP_STAGE_WRITES_OUTPUTS)
		fputs("  writes:    files into the output folder (-o)\n", out);
	fprintf(out, "\nparameters:%s\n", desc->param_count ? "" : " none");
	fp__params_describe(out, desc);
}
