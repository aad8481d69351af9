#include "input_checks.h"

#include <stdint.h>
#include <stdio.h>

#include "framepipe/error.h"
#include "naming.h"
#include "pipeline_check.h"

/* The sink writes files and their names keep each input's extension:
 * whether it can write this one's (a name that ends the same for every
 * input was judged with the pipeline). */
int fp__input_output_check(const fp_pipeline *p, const fp_codec_lookup *l,
			   const fp_inputs *inputs, size_t i,
			   const char *output_dir, char *why, size_t why_size)
{
	const fp_stage_descriptor *sink =
		p->stages[p->stage_count - 1].plugin.desc;
	char path[4096];
	if (!(sink->flags & FP_STAGE_WRITES_OUTPUTS) ||
	    !fp__output_keeps_ext(p->output_template) ||
	    fp__output_path(output_dir != NULL ? output_dir : ".",
			    p->output_template, fp__inputs_rel_path(inputs, i),
			    fp__inputs_index(inputs, i), path,
			    sizeof path) != 0)
		return 0;
	char reason[512];
	int rc = fp__codec_lookup_writes(l, path, reason, sizeof reason);
	if (rc != 0 &&
	    snprintf(why, why_size, "its output %s: %s", path, reason) < 0)
		why[0] = '\0';
	return rc;
}

int fp__input_check(const fp_pipeline *p, const fp_codec_lookup *l,
		    const fp_inputs *inputs, size_t i, const char *output_dir,
		    char *err, size_t err_size)
{
	const char *path = inputs->paths[i];
	char name[64], why[768];
	uint64_t bytes;
	int rc = fp__codec_lookup_decoder(l, path, name, sizeof name, why,
					  sizeof why);
	if (rc != 0) {
		snprintf(err, err_size, "%s: %s", path, why);
		return rc;
	}
	if (fp__pipeline_probes_inputs(p) &&
	    (rc = fp__pipeline_input_fits(p, path, &bytes, why, sizeof why)) !=
		    0) {
		/* As the run lists it: the input, the source, the reason. */
		snprintf(err, err_size, "%s: %s: %s", path, p->stages[0].label,
			 why);
		return rc;
	}
	rc = fp__input_output_check(p, l, inputs, i, output_dir, why,
				    sizeof why);
	if (rc != 0)
		snprintf(err, err_size, "%s: %s", path, why);
	return rc;
}
