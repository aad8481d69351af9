/* input_decoder — which decoder a source stage will use for one input
 * (framepipe check --list-inputs). */
#ifndef FP_INPUT_DECODER_H
#define FP_INPUT_DECODER_H

#include <stddef.h>

#include "loader.h"

/* The stage that will decode path when source reads it: the generic
 * `decode`'s choice from the file's first bytes ("jpeg_decode"), any other
 * source's own name. 0 with the name in name, or an error code with the
 * reason in err (a file no codec reads, one that cannot be opened). */
int fp__plugin_input_decoder(const fp_plugin *source, const char *path,
			     char *name, size_t name_size, char *err,
			     size_t err_size);

#endif
