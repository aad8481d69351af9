/* oneline — a pipeline on one line, as gst-launch writes them:
 *
 *   png_decode ! resize width=256 fit=inside ! png_encode level=6
 *
 * Stages are separated by '!'; each is a stage name (or a path to a plugin
 * .so, anything with a '/') followed by key=value settings. Values may be
 * quoted with '...' or "..." to hold spaces or '!'. A stage used twice gets
 * the section label NAME_2, NAME_3... The result is the same fp_config an
 * INI file gives, so every check and message is the same; entries carry
 * the column where they start in place of a line number, and the config's
 * path is "-p".
 *
 * A line that starts with a filter reads the inputs with `decode`; one
 * that ends with a filter writes them with `encode`: `-p 'resize
 * width=256'` is a whole pipeline (fp__oneline_complete). */
#ifndef FP_ONELINE_H
#define FP_ONELINE_H

#include <stddef.h>
#include <stdio.h>

#include "config.h"

/* On error returns FP_ECONFIG with "-p:COLUMN: what is wrong" in err. */
int fp__oneline_parse(fp_config *config, const char *line, char *err,
		      size_t err_size);

/* Add the sections [decode] (first) and [encode] (after the last stage)
 * that config, parsed from a -p line, implies, so that it is the whole
 * pipeline: what runs and what --print-config writes. Call it after every
 * --set. 0, or -ENOMEM with err set. */
int fp__oneline_complete(fp_config *config, char *err, size_t err_size);

/* When err is "-p:COLUMN: ..." about line: the line (escaped, as
 * fp__put_escaped writes it; a window of it when long) and a '^' under that
 * column, each indented by two spaces, to f. Nothing otherwise. */
void fp__oneline_show_column(FILE *f, const char *line, const char *err);

/* Write config as an INI file (what --print-config shows). Values that
 * would not survive INI parsing are refused with FP_ECONFIG. */
int fp__config_write_ini(const fp_config *config, FILE *out);

#endif
