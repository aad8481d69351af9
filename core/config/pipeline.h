/* pipeline — a config turned into loaded, validated stages and run-wide
 * settings. Everything here is fixed before the supervisor forks, so every
 * stage process sees the same copy. */
#ifndef FP_PIPELINE_H
#define FP_PIPELINE_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "loader.h"

typedef struct fp_stage_spec {
	char *label; /* the section name, e.g. "decode" */
	int line;
	fp_plugin plugin;
	void *config; /* parsed parameters (params.h) */
	unsigned workers;
	unsigned max_restarts; /* instances of this stage restarted at most */
	uint64_t timeout_ns;   /* longest one frame may take; 0: no limit */
} fp_stage_spec;

typedef struct fp_pipeline {
	char *config_path;
	fp_stage_spec *stages;
	size_t stage_count;
	uint32_t slots;	    /* 0 = auto */
	uint64_t slot_size; /* 0 = auto */
	/* Bytes of each slot's metadata area (ICC, EXIF, XMP, text...). */
	uint64_t metadata_size;
	uint32_t depth; /* 0 = auto */
	char *output_template;
} fp_pipeline;

#define FP_MAX_WORKERS		 64
#define FP_MAX_RESTARTS		 1000
#define FP_MAX_SLOTS		 4096
#define FP_MAX_DEPTH		 64
/* Fits a camera file's EXIF (64 KiB at most in JPEG), its ICC profile and a
 * large XMP packet. */
#define FP_DEFAULT_METADATA_SIZE ((uint64_t)1 << 20)
#define FP_MAX_METADATA_SIZE	 ((uint64_t)256 << 20)
#define FP_MAX_SLOT_SIZE	 ((uint64_t)64 << 30)

/* Load every stage named in config and check the whole pipeline: stage
 * names, parameters, order of kinds, [pipeline] settings. On error returns
 * FP_ECONFIG with "FILE:LINE: section.key: what was expected, what was
 * given" in err. */
int fp__pipeline_from_config(fp_pipeline *pipeline, const fp_config *config,
			     char *err, size_t err_size);

void fp__pipeline_release(fp_pipeline *pipeline);

/* Threads one instance of spec may run in process() (fp_stage_env.threads):
 * what the stage asks for (descriptor.threads), cut to the CPUs the run may
 * use shared among its instances; at least 1. */
unsigned fp__stage_threads(const fp_stage_spec *spec);

/* The settings every stage section takes (workers, restarts, timeout), as
 * a parameter table, for `framepipe stages NAME`. */
const fp_stage_descriptor *fp__framework_descriptor(void);

/* The [pipeline] settings (slots, slot_size, depth, output...) as a
 * parameter table, for `framepipe stages pipeline` and --help. */
const fp_stage_descriptor *fp__pipeline_descriptor(void);

#endif
