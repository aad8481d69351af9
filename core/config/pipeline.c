#include "pipeline.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "codec_lookup.h"
#include "task_limits.h"
#include "naming.h"
#include "params.h"
#include "pipeline_check.h"
#include "suggest.h"

#define ERR_AT(line, ...)                                                 \
	do {                                                              \
		int n_ = snprintf(err, err_size, "%s:%d: ", config->path, \
				  (line));                                \
		if (n_ > 0 && (size_t)n_ < err_size)                      \
			snprintf(err + n_, err_size - (size_t)n_,         \
				 __VA_ARGS__);                            \
	} while (0)

/* Where an entry was set, for messages: "FILE:LINE: " or "--set: ". */
static void err_at(const fp_config *config, const fp_config_entry *e, int line,
		   char *err, size_t err_size, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
static void err_at(const fp_config *config, const fp_config_entry *e, int line,
		   char *err, size_t err_size, const char *fmt, ...)
{
	int n = e != NULL && e->origin != NULL
			? snprintf(err, err_size, "%s: ", e->origin)
			: snprintf(err, err_size, "%s:%d: ", config->path,
				   e != NULL ? e->line : line);
	if (n > 0 && (size_t)n < err_size) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err + n, err_size - (size_t)n, fmt, ap);
		va_end(ap);
	}
}

/* Set label's name = value from e (an INI line, a -p word, --set), in
 * today's spelling or an old one (aliases.h); an old one prints its note
 * on stderr, once per run, before anything is forked. */
static int set_spelled(const fp_config *config, const fp_config_entry *e,
		       const char *label, const fp_stage_descriptor *desc,
		       void *values, char *why, size_t why_size)
{
	const fp__alias *alias;
	int rc = fp__params_set_spelled(desc, values, e->key, e->value, &alias,
					why, why_size);
	if (alias != NULL) {
		char where[320];
		if (e->origin != NULL)
			snprintf(where, sizeof where, "%s", e->origin);
		else
			snprintf(where, sizeof where, "%s:%d", config->path,
				 e->line);
		fp__alias_note(alias, where, label, e->key, e->value, stderr);
	}
	return rc;
}

/* The [pipeline] settings: one table, parsed, checked, described
 * (`framepipe stages pipeline`) and suggested from like a stage's. */
typedef struct pipeline_settings {
	int64_t slots;
	uint64_t slot_size;
	int64_t depth;
	const char *output;
	uint64_t metadata_size;
} pipeline_settings;

static const fp_param pipeline_params[] = {
	FP_PARAM_INT_(pipeline_settings, slots, "auto", 1, FP_MAX_SLOTS,
		      "pool slots (frames in flight); auto: enough for every "
		      "instance, within the memory budget (frames under 256 "
		      "KiB: at most 15, the slots with protection keys)"),
	FP_PARAM_SIZE_(pipeline_settings, slot_size, "auto", 1,
		       FP_MAX_SLOT_SIZE,
		       "bytes of pixels per slot; auto: the largest frame any "
		       "stage makes from the largest input"),
	FP_PARAM_INT_(pipeline_settings, depth, "auto", 1, FP_MAX_DEPTH,
		      "frames each instance may hold; auto: 4, more for frames "
		      "under 256 KiB (16 at 64 KiB or less, or when 15 keyed "
		      "slots hold the pool)"),
	FP_PARAM_STRING_(pipeline_settings, output, FP_DEFAULT_OUTPUT,
			 "output file name below -o: {dir} {stem} {name} {ext} "
			 "{index}"),
	FP_PARAM_SIZE_(pipeline_settings, metadata_size, "1M", 0,
		       FP_MAX_METADATA_SIZE,
		       "bytes of each slot's metadata area (ICC, EXIF, XMP, "
		       "text); fits a camera file's EXIF, ICC and XMP"),
};
_Static_assert(FP_DEFAULT_METADATA_SIZE == 1 << 20,
	       "metadata_size's default in the table says 1M");

static int check_pipeline_settings(const void *config, char *err,
				   size_t err_size)
{
	const pipeline_settings *ps = config;
	char why[512];
	if (fp__output_template_check(ps->output, why, sizeof why) == 0)
		return 0;
	snprintf(err, err_size, "output: %s", why);
	return FP_EPARAM;
}

static const fp_stage_descriptor pipeline_desc = {
	FP_STAGE_HEADER,
	.name = "pipeline",
	.summary = "run-wide settings: the [pipeline] section of a config, "
		   "or --set KEY=VALUE",
	.params = pipeline_params,
	.param_count = FP_COUNT_OF(pipeline_params),
	.config_size = sizeof(pipeline_settings),
	.check = check_pipeline_settings,
};

const fp_stage_descriptor *fp__pipeline_descriptor(void)
{
	return &pipeline_desc;
}

/* "NAME: no such parameter of stage S" from fp__params_set, completed
 * with the nearest name in the tables and the list of them. */
static void explain_unknown(char *why, size_t size, const char *key,
			    const fp_stage_descriptor *const *tables,
			    size_t count)
{
	fp_suggest s;
	fp__suggest_init(&s, key);
	for (size_t t = 0; t < count; t++)
		for (size_t i = 0; i < tables[t]->param_count; i++)
			fp__suggest_offer(&s, tables[t]->params[i].name);
	size_t n = strlen(why);
	if (fp__suggest_best(&s) != NULL && n < size)
		n += (size_t)snprintf(why + n, size - n,
				      " (did you mean '%s'?)",
				      fp__suggest_best(&s));
	const char *sep = "; it takes: ";
	for (size_t t = 0; t < count && n < size; t++) {
		for (size_t i = 0; i < tables[t]->param_count && n < size;
		     i++) {
			n += (size_t)snprintf(why + n, size - n, "%s%s", sep,
					      tables[t]->params[i].name);
			sep = ", ";
		}
	}
}

static int pipeline_settings_from(fp_pipeline *p, const fp_config *config,
				  const fp_config_section *s, char *err,
				  size_t err_size)
{
	char why[1024];
	pipeline_settings *ps = fp__params_new(&pipeline_desc, why, sizeof why);
	if (ps == NULL) {
		snprintf(err, err_size, "%s: %s", config->path, why);
		return -ENOMEM;
	}
	int rc = 0;
	const fp_config_entry *output = NULL;
	for (size_t i = 0; rc == 0 && s != NULL && i < s->count; i++) {
		const fp_config_entry *e = &s->entries[i];
		rc = set_spelled(config, e, "pipeline", &pipeline_desc, ps, why,
				 sizeof why);
		if (rc == FP_EPARAM &&
		    !fp__params_find(&pipeline_desc, e->key) &&
		    !fp__alias_find("pipeline", e->key, e->value)) {
			const fp_stage_descriptor *t[] = {&pipeline_desc};
			snprintf(why, sizeof why, "%s: unknown setting",
				 e->key);
			explain_unknown(why, sizeof why, e->key, t, 1);
		}
		if (rc != 0)
			err_at(config, e, 0, err, err_size, "pipeline.%s", why);
		if (strcmp(e->key, "output") == 0)
			output = e;
	}
	if (rc == 0 && check_pipeline_settings(ps, why, sizeof why) != 0) {
		err_at(config, output, 0, err, err_size, "pipeline.%s", why);
		rc = FP_ECONFIG;
	}
	if (rc == 0) {
		p->slots = (uint32_t)ps->slots;
		p->slot_size = ps->slot_size;
		p->depth = (uint32_t)ps->depth;
		p->metadata_size = ps->metadata_size;
		free(p->output_template);
		p->output_template = strdup(ps->output);
		if (p->output_template == NULL)
			rc = -ENOMEM;
	}
	fp__params_free(&pipeline_desc, ps);
	return rc == 0 || rc == -ENOMEM ? rc : FP_ECONFIG;
}

static const fp_config_entry *entry(const fp_config_section *s, const char *key)
{
	for (size_t i = 0; i < s->count; i++)
		if (strcmp(s->entries[i].key, key) == 0)
			return &s->entries[i];
	return NULL;
}

/* A stage file whose name is close to name; static storage. */
static const char *suggestion(const char *name)
{
	static char best[256];
	return fp__stage_name_suggest(name, best, sizeof best) ? best : NULL;
}

static int load_plugin(fp_stage_spec *spec, const fp_config *config,
		       const fp_config_section *s, char *err, size_t err_size)
{
	const fp_config_entry *stage = entry(s, "stage");
	const fp_config_entry *plugin = entry(s, "plugin");
	char why[512];
	int rc;
	if ((stage == NULL) == (plugin == NULL)) {
		ERR_AT(s->line,
		       "[%s]: expected exactly one of 'stage = NAME' "
		       "or 'plugin = PATH'",
		       s->name);
		return FP_ECONFIG;
	}
	if (stage != NULL)
		rc = fp__plugin_find(&spec->plugin, stage->value, why,
				     sizeof why);
	else
		rc = fp__plugin_open(&spec->plugin, plugin->value, why,
				     sizeof why);
	if (rc != 0) {
		const char *hint = rc == FP_ENOSTAGE && stage != NULL
					   ? suggestion(stage->value)
					   : NULL;
		err_at(config, stage != NULL ? stage : plugin, 0, err, err_size,
		       "%s: %s%s%s%s", s->name, why,
		       hint ? " (did you mean '" : "", hint ? hint : "",
		       hint ? "'?)" : "");
		return FP_ECONFIG;
	}
	return 0;
}

/* Settings every stage section takes besides its own parameters, parsed
 * by the same table machinery so their errors read the same. */
typedef struct framework_settings {
	int64_t workers;
	int64_t restarts;
	double timeout;
} framework_settings;

static const fp_param framework_params[] = {
	FP_PARAM_INT_(framework_settings, workers, "auto", 0, FP_MAX_WORKERS,
		      "instances of this stage; auto (or 0): one per CPU the "
		      "run may use (affinity mask, cgroup CPU quota, "
		      "SLURM_CPUS_PER_TASK: the smallest)"),
	FP_PARAM_INT_(framework_settings, restarts, "5", 0, FP_MAX_RESTARTS,
		      "dead instances replaced before the run gives up"),
	FP_PARAM_FLOAT_(framework_settings, timeout, "300", 0, 1e6,
			"seconds one frame may take before the instance is "
			"killed (0: no limit)"),
};

static const fp_stage_descriptor framework_desc = {
	FP_STAGE_HEADER,
	.name = "(every stage)",
	.params = framework_params,
	.param_count = FP_COUNT_OF(framework_params),
	.config_size = sizeof(framework_settings),
};

const fp_stage_descriptor *fp__framework_descriptor(void)
{
	return &framework_desc;
}

/* workers = auto: one instance per CPU this run may use (task_limits.h). Every
 * stage gets that many, and the kernel shares the CPUs among them: a
 * stage that costs more simply keeps more of its instances busy, so no
 * stage starves the others whatever their costs. */
static unsigned auto_workers(const fp_stage_descriptor *d)
{
	unsigned n = fp__cpus()->cpus;
	/* A stage that runs threads inside process() counts them: N threads
	 * each take N CPUs' worth (FP_THREADS_ANY: one instance, all CPUs). */
	uint32_t t = d->threads;
	if (t == FP_THREADS_ANY)
		n = 1;
	else if (t > 1)
		n = n / t > 0 ? n / t : 1;
	return n > FP_MAX_WORKERS ? FP_MAX_WORKERS : n;
}

unsigned fp__stage_threads(const fp_stage_spec *spec)
{
	uint32_t t = spec->plugin.desc->threads;
	if (t <= 1)
		return 1;
	unsigned cpus = fp__cpus()->cpus;
	unsigned share = spec->workers > 0 ? cpus / spec->workers : cpus;
	if (share < 1)
		share = 1;
	return t == FP_THREADS_ANY || t > share ? share : (unsigned)t;
}

static int stage_settings(fp_stage_spec *spec, const fp_config *config,
			  const fp_config_section *s, char *err,
			  size_t err_size)
{
	spec->label = strdup(s->name);
	spec->line = s->line;
	if (spec->label == NULL)
		return -ENOMEM;
	int rc = load_plugin(spec, config, s, err, err_size);
	if (rc != 0)
		return rc;
	const fp_stage_descriptor *d = spec->plugin.desc;
	char why[512];
	framework_settings fw;
	spec->config = fp__params_new(d, why, sizeof why);
	void *fw_defaults = fp__params_new(&framework_desc, why, sizeof why);
	if (spec->config == NULL || fw_defaults == NULL) {
		free(fw_defaults);
		ERR_AT(s->line, "%s: %s", s->name, why);
		return FP_ECONFIG;
	}
	memcpy(&fw, fw_defaults, sizeof fw);
	free(fw_defaults);
	for (size_t i = 0; i < s->count; i++) {
		const fp_config_entry *e = &s->entries[i];
		if (strcmp(e->key, "stage") == 0 ||
		    strcmp(e->key, "plugin") == 0)
			continue;
		bool is_framework = fp__params_find(&framework_desc, e->key);
		rc = is_framework ? fp__params_set(&framework_desc, &fw, e->key,
						   e->value, why, sizeof why)
				  : set_spelled(config, e, s->name, d,
						spec->config, why, sizeof why);
		if (rc == FP_EPARAM && !is_framework &&
		    !fp__params_find(d, e->key) &&
		    !fp__alias_find(d->name, e->key, e->value)) {
			const fp_stage_descriptor *t[] = {d, &framework_desc};
			explain_unknown(why, sizeof why, e->key, t, 2);
		}
		if (rc != 0) {
			err_at(config, e, 0, err, err_size, "%s.%s", s->name,
			       why);
			return rc == -ENOMEM ? rc : FP_ECONFIG;
		}
	}
	if (fw.workers > 1 &&
	    (d->flags & (FP_STAGE_SINGLE_INSTANCE | FP_STAGE_ORDERED))) {
		const fp_config_entry *e = entry(s, "workers");
		err_at(config, e, s->line, err, err_size,
		       "%s.workers: stage %s runs as one instance (it %s), got "
		       "%lld",
		       s->name, d->name,
		       d->flags & FP_STAGE_ORDERED ? "writes frames in order"
						   : "reads or writes a stream",
		       (long long)fw.workers);
		return FP_ECONFIG;
	}
	bool single = d->flags & (FP_STAGE_SINGLE_INSTANCE | FP_STAGE_ORDERED);
	spec->workers = fw.workers > 0 ? (unsigned)fw.workers
			: single       ? 1
				       : auto_workers(d);
	spec->max_restarts = (unsigned)fw.restarts;
	spec->timeout_ns = (uint64_t)(fw.timeout * 1e9);
	return 0;
}

static int check_order(const fp_pipeline *p, const fp_config *config, char *err,
		       size_t err_size)
{
	if (p->stage_count < 2) {
		ERR_AT(1,
		       "a pipeline needs a source and a sink section, "
		       "found %zu stage section(s)",
		       p->stage_count);
		return FP_ECONFIG;
	}
	size_t last = p->stage_count - 1;
	for (size_t i = 0; i <= last; i++) {
		const fp_stage_spec *spec = &p->stages[i];
		fp_stage_kind kind = spec->plugin.desc->kind;
		const char *name = spec->plugin.desc->name;
		if (i == 0 && kind != FP_STAGE_SOURCE) {
			ERR_AT(spec->line,
			       "%s: stage %s is a %s, but a pipeline starts "
			       "with a source",
			       spec->label, name, fp__stage_kind_name(kind));
			return FP_ECONFIG;
		}
		if (i > 0 && kind == FP_STAGE_SOURCE) {
			ERR_AT(spec->line,
			       "%s: stage %s is a source; only the first stage "
			       "can be one",
			       spec->label, name);
			return FP_ECONFIG;
		}
		if (i < last && kind == FP_STAGE_SINK) {
			const fp_stage_spec *next = &p->stages[i + 1];
			ERR_AT(next->line,
			       "%s: placed after the sink %s, where no frames "
			       "reach it",
			       next->label, spec->label);
			return FP_ECONFIG;
		}
		if (i == last && kind != FP_STAGE_SINK) {
			ERR_AT(spec->line,
			       "%s: stage %s is a %s, but a pipeline ends with "
			       "a sink",
			       spec->label, name, fp__stage_kind_name(kind));
			return FP_ECONFIG;
		}
	}
	return 0;
}

/* Without [pipeline] output, the name follows the sink: the extension it
 * declares (".jpg"; ".{ext}", the input's own, for `encode`), or ".png"
 * for a sink that declares none (as before ABI 1.2). */
static int default_output(fp_pipeline *p, const fp_config *config)
{
	const fp_config_section *s = fp__config_find(config, "pipeline");
	if ((s != NULL && entry(s, "output") != NULL) || p->stage_count == 0)
		return 0;
	const fp_stage_descriptor *sink =
		p->stages[p->stage_count - 1].plugin.desc;
	if (!(sink->flags & FP_STAGE_WRITES_OUTPUTS))
		return 0;
	const char *ext = sink->output_extension;
	if (ext == NULL)
		return 0; /* FP_DEFAULT_OUTPUT */
	char name[64];
	snprintf(name, sizeof name, "{dir}/{stem}%s%.32s",
		 ext[0] == '.' ? "" : ".", ext);
	char *copy = strdup(name);
	if (copy == NULL)
		return -ENOMEM;
	free(p->output_template);
	p->output_template = copy;
	return 0;
}

/* An output name the sink would write wrongly (codec_lookup.h), refused
 * here when every input's name ends the same: the template's own
 * extension. One that keeps each input's ({ext}) is judged per input,
 * by check. */
static int check_output_name(const fp_pipeline *p, const fp_config *config,
			     char *err, size_t err_size)
{
	const fp_stage_spec *sink = &p->stages[p->stage_count - 1];
	char path[4096], why[512];
	if (!(sink->plugin.desc->flags & FP_STAGE_WRITES_OUTPUTS) ||
	    fp__output_keeps_ext(p->output_template) ||
	    fp__output_path(".", p->output_template, "example.png", 0, path,
			    sizeof path) != 0)
		return 0;
	fp_codec_lookup l;
	fp__codec_lookup_init(&l, NULL, &sink->plugin);
	int rc = fp__codec_lookup_writes(&l, path, why, sizeof why);
	fp__codec_lookup_release(&l);
	if (rc == 0)
		return 0;
	const fp_config_section *s = fp__config_find(config, "pipeline");
	err_at(config, s != NULL ? entry(s, "output") : NULL, sink->line, err,
	       err_size, "pipeline.output: %s: %s", p->output_template, why);
	return rc;
}

int fp__pipeline_from_config(fp_pipeline *p, const fp_config *config, char *err,
			     size_t err_size)
{
	memset(p, 0, sizeof *p);
	p->depth = 0; /* auto: the supervisor picks it from slot_size */
	p->metadata_size = FP_DEFAULT_METADATA_SIZE;
	p->config_path = strdup(config->path);
	p->output_template = strdup(FP_DEFAULT_OUTPUT);
	/* at least one: calloc(0, ...) may return NULL */
	p->stages = calloc(config->count + 1, sizeof *p->stages);
	int rc = -ENOMEM;
	if (p->config_path == NULL || p->output_template == NULL ||
	    p->stages == NULL)
		goto err_release;
	rc = pipeline_settings_from(
		p, config, fp__config_find(config, "pipeline"), err, err_size);
	if (rc != 0)
		goto err_release;
	for (size_t i = 0; i < config->count; i++) {
		const fp_config_section *s = &config->sections[i];
		if (strcmp(s->name, "pipeline") == 0)
			continue;
		rc = stage_settings(&p->stages[p->stage_count++], config, s,
				    err, err_size);
		if (rc != 0)
			goto err_release;
	}
	rc = default_output(p, config);
	if (rc == 0)
		rc = check_order(p, config, err, err_size);
	if (rc == 0)
		rc = fp__pipeline_check(p, config, err, err_size);
	if (rc == 0 && p->stage_count > 0)
		rc = check_output_name(p, config, err, err_size);
	if (rc != 0)
		goto err_release;
	return 0;

err_release:
	if (rc == -ENOMEM)
		snprintf(err, err_size, "%s: out of memory", config->path);
	fp__pipeline_release(p);
	return rc;
}

void fp__pipeline_release(fp_pipeline *p)
{
	for (size_t i = 0; p->stages != NULL && i < p->stage_count; i++) {
		fp_stage_spec *spec = &p->stages[i];
		if (spec->plugin.desc != NULL)
			fp__params_free(spec->plugin.desc, spec->config);
		fp__plugin_close(&spec->plugin);
		free(spec->label);
	}
	free(p->stages);
	free(p->config_path);
	free(p->output_template);
	memset(p, 0, sizeof *p);
}
