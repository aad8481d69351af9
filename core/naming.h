/* naming — output file names from a template such as "{stem}_thumb.png".
 *
 * Placeholders: {stem} (input name without extension), {name} (input file
 * name), {ext} (its extension, no dot), {index} (position in the input list,
 * from 0). An input with no file (a synthetic source) is named
 * "frame_NNNNNN". The result is a plain file name: it never contains '/' and
 * is never "." or "..", so it cannot leave the output folder.
 */
#ifndef FP_NAMING_H
#define FP_NAMING_H

#include <stddef.h>
#include <stdint.h>

/* 0 if template is usable, else FP_ECONFIG with the reason in err. */
int fp__output_template_check(const char *template, char *err, size_t err_size);

/* Write OUTPUT_DIR/NAME for this input into buf. FP_ECONFIG when the name
 * would be empty, '.', '..', or too long for buf. input_path may be NULL. */
int fp__output_path(const char *output_dir, const char *template,
		    const char *input_path, uint32_t index, char *buf,
		    size_t size);

#endif
