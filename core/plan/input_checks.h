/* input_checks — what `check` tells of one input before the run, at the
 * cost of a small read: a file of a format the source's codec does not
 * read (codec_lookup.h), one the source's probe refuses or whose frames
 * cannot fit a hand-set slot_size (pipeline_check.h), an output name the
 * sink would write wrongly when names keep each input's extension. The
 * run fails the same inputs: before it (probe, slot_size) or frame by
 * frame, and the rest of the batch goes on. */
#ifndef FP_INPUT_CHECKS_H
#define FP_INPUT_CHECKS_H

#include <stddef.h>

#include "codec_lookup.h"
#include "inputs.h"
#include "pipeline.h"

/* Input i of inputs, read by p's source (l: p's source and sink, see
 * codec_lookup.h), written below output_dir (NULL: -o not given, names
 * are judged alone). 0, or an error with "PATH: why" in err. */
int fp__input_check(const fp_pipeline *p, const fp_codec_lookup *l,
		    const fp_inputs *inputs, size_t i, const char *output_dir,
		    char *err, size_t err_size);

/* Only the output-name part: when names keep each input's extension,
 * whether the sink writes input i's as its name says. 0, or an error with
 * "its output PATH: why" in err. */
int fp__input_output_check(const fp_pipeline *p, const fp_codec_lookup *l,
			   const fp_inputs *inputs, size_t i,
			   const char *output_dir, char *err, size_t err_size);

#endif
