/* naming — output file names from a template such as "{stem}_thumb.png".
 *
 * Placeholders: {stem} (input name without extension), {name} (input file
 * name), {ext} (its extension, no dot), {index} (position in the input list,
 * from 0; {index:0N}, N from 1 to 9, pads it with zeros to N digits), {dir}
 * (the input's sub-folder below the folder given with -i, empty for inputs
 * given as files; "{dir}/" vanishes when it is empty). An input with no file (a
 * synthetic source) is named "frame_NNNNNN".
 *
 * A name is a relative path whose every component is a plain name: never
 * absolute, never empty, "." or "..", so it cannot leave the output folder.
 */
#ifndef FP_NAMING_H
#define FP_NAMING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FP_DEFAULT_OUTPUT "{dir}/{stem}.png"

/* 0 if template is usable, else FP_ECONFIG with the reason in err. */
int fp__output_template_check(const char *template, char *err, size_t err_size);

/* Whether the names template makes carry each input's own extension
 * ({ext}, {name}): two inputs that differ only by it get different
 * names. False for a template the check refuses. */
bool fp__output_keeps_ext(const char *template);

/* Write OUTPUT_DIR/NAME for this input into buf. rel_path is the input's
 * path below its input root ("sub/x.png"), or NULL for a synthetic frame;
 * index is its {index}: its place in the full input list (a --shard run
 * reads part of the list, and names stay those of the whole run).
 * FP_ECONFIG when the name is not a safe relative path or too long. */
int fp__output_path(const char *output_dir, const char *template,
		    const char *rel_path, uint32_t index, char *buf,
		    size_t size);

#endif
